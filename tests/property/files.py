"""Files that are not what they claim to be, built by hand: zip bombs, raw zips, malformed lists."""

import functools
import io
import struct
import zipfile
import zlib

from hypothesis import strategies as st

from lophoc.nominee_import import MAX_FILE_BYTES
from tests.lophoc.nominee_files import nominee, xlsx


def deflated_spaces(megabytes: int) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, size) of `megabytes` MB of spaces, built in milliseconds:
    one fully flushed block of 1 MB repeated (each block stands alone), then an empty last one."""
    chunk = b" " * (1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return block * megabytes + b"\x03\x00", crc, len(chunk) * megabytes


def raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from (name, data, method, CRC-32, inflated size) members, written by hand."""
    body, directory = b"", b""
    for name, data, method, crc, size in members:
        encoded = name.encode()
        sizes = struct.pack("<III", crc, len(data), size)
        directory += (
            struct.pack("<IHHHHHH", 0x02014B50, 20, 20, 0, method, 0, 0)
            + sizes
            + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, len(body))
            + encoded
        )
        body += struct.pack("<IHHHHH", 0x04034B50, 20, 0, method, 0, 0) + sizes
        body += struct.pack("<HH", len(encoded), 0) + encoded + data
    count = len(members)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), len(body), 0)
    return body + directory + end


@functools.cache
def zip_bomb(inflated_mb: int) -> bytes:
    """A real workbook whose sheet1.xml is replaced by `inflated_mb` MB of spaces (~1000:1)."""
    valid = zipfile.ZipFile(io.BytesIO(xlsx([nominee(1)])))
    members = []
    for info in valid.infolist():
        data = valid.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            members.append((info.filename, *deflated_spaces(inflated_mb)))
            members[-1] = (info.filename, members[-1][1], 8, members[-1][2], members[-1][3])
        else:
            members.append((info.filename, data, 0, zlib.crc32(data), len(data)))
    return raw_zip(members)


def zipped(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BOMB_SIZES = (8, 60, 300)
VALID = xlsx([nominee(1), nominee(2)])
CSV = "STT,Họ và tên,Ngày sinh,Giới tính\n1,Nguyễn Văn An,17/05/1990,Nam\n".encode()


@st.composite
def malformed_files(draw):
    kind = draw(
        st.sampled_from(
            ["bomb", "csv", "random", "pk-random", "truncated", "flipped", "empty", "zip", "big"]
        )
    )
    if kind == "bomb":
        return zip_bomb(draw(st.sampled_from(BOMB_SIZES))), kind
    if kind == "csv":
        return CSV * draw(st.integers(1, 50)), kind
    if kind == "random":
        return draw(st.binary(min_size=1, max_size=4096)), kind
    if kind == "pk-random":
        return b"PK\x03\x04" + draw(st.binary(max_size=4096)), kind
    if kind == "truncated":
        return VALID[: draw(st.integers(1, len(VALID) - 1))], kind
    if kind == "flipped":
        at = draw(st.integers(0, len(VALID) - 1))
        return VALID[:at] + bytes([VALID[at] ^ 0xFF]) + VALID[at + 1 :], kind
    if kind == "zip":
        name = draw(st.sampled_from(["mimetype", "xl/workbook.xml", "a.txt", "word/document.xml"]))
        method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
        return zipped({name: draw(st.binary(max_size=200))}, method), kind
    if kind == "big":
        return b"PK\x03\x04" + b"\x00" * MAX_FILE_BYTES, kind
    return b"", kind

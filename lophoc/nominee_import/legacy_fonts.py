"""Text typed with old Vietnamese font encodings, which Excel shows as garbage (DESIGN §12).

Before Unicode, Vietnamese was typed with fonts that drew Vietnamese letters in place of Western
ones: TCVN3 (ABC, fonts .VnTime…) puts one letter per Latin-1 character ("NguyÔn V¨n An"), VNI
(fonts VNI-Times…) writes a base letter followed by a mark character ("Nguyeãn Vaên An"). Opened
without those fonts, or read by a program, the text is garbage; storing it would put garbled names
on certificates. We recognise the characteristic characters and sequences and refuse the file.
"""

import re
import unicodedata

TCVN3 = "TCVN3"
VNI = "VNI"
MOJIBAKE = "UTF8_AS_ANSI"

LABELS = {
    TCVN3: "TCVN3 (ABC, phông .VnTime)",
    VNI: "VNI (phông VNI-Times)",
    MOJIBAKE: "Unicode bị đọc sai thành ANSI",
}

# Characters TCVN3 uses for Vietnamese letters that are neither Vietnamese letters themselves nor
# produced by VNI: ă â ê ô ơ ư đ and many toned letters land on these Latin-1 symbols.
_TCVN3_SIGNS = set("¡¢£¤¥¦§¨©ª¬\xad®µ¶¸¹¼½¾ÇÐ×Þßç÷þ")
# Quote-like TCVN3 letters count only inside words: « (ô) and · (ã) right after a letter, » (ằ)
# between two letters, since a closing quote also follows a letter.
_TCVN3_AFTER_LETTER = set("«·")
_TCVN3_INSIDE_WORD = re.compile(r"(?<=[^\W\d_])»(?=[^\W\d_])")
# TCVN3 writes toned letters as Latin-1 capitals, so they appear inside lower-case words
# ("NguyÔn" for Nguyễn); a Unicode name never has an accented capital after a small letter.
_TCVN3_INNER_CAPITAL = re.compile(r"[a-zđ][ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝÆËÎÏÑÖØÜ]")

# VNI: a vowel followed by a mark character. In Unicode Vietnamese a plain a/e is never followed
# by a marked vowel, and o/u/y/ơ/ư are never followed by ù ø û õ ï (the VNI tones).
_VNI_SEQUENCES = re.compile(
    r"[aAeE][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]"
    r"|[oOuUyYôÔöÖ][ùøûõïÙØÛÕÏ]"
    r"|[oO][âåäÂÅÄ]"
    r"|(?<![^\W\d_])[ñÑ]"  # đ at the start of a word ("Ñaøo" for Đào)
    r"|[öÖ]"  # ư
)
_VNI_SIGNS = set("ÙÛÅÄ")

_MOJIBAKE_HINTS = ("Ã", "Ä", "Æ°", "á»", "áº", "Ä‘", "Æ¡")


def legacy_encoding(text: str) -> str | None:
    """TCVN3, VNI or UTF8_AS_ANSI when `text` looks typed in that encoding, else None."""
    if not text or text.isascii():
        return None
    text = unicodedata.normalize("NFC", text)
    if any(hint in text for hint in _MOJIBAKE_HINTS) and _utf8_read_as_ansi(text):
        return MOJIBAKE
    tcvn3 = sum(ch in _TCVN3_SIGNS for ch in text)
    tcvn3 += sum(
        ch in _TCVN3_AFTER_LETTER and index > 0 and text[index - 1].isalpha()
        for index, ch in enumerate(text)
    )
    tcvn3 += len(_TCVN3_INSIDE_WORD.findall(text))
    tcvn3 += len(_TCVN3_INNER_CAPITAL.findall(text))
    vni = len(_VNI_SEQUENCES.findall(text)) + sum(ch in _VNI_SIGNS for ch in text)
    if not tcvn3 and not vni:
        return None
    return TCVN3 if tcvn3 >= vni else VNI


def _utf8_read_as_ansi(text: str) -> bool:
    """Whether `text` is UTF-8 bytes decoded as Windows-1252 ("Nguyá»…n" for Nguyễn)."""
    raw = bytearray()
    for ch in text:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 255:
                return False
            raw.append(ord(ch))
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return decoded != text and not decoded.isascii()


def conversion_advice(encoding: str) -> str:
    """What to do, in words a centre's staff can follow."""
    if encoding == MOJIBAKE:
        return (
            "Chữ tiếng Việt trong file đã bị lỗi khi chuyển qua phần mềm khác (Unicode bị đọc "
            "thành ANSI). Hãy xin đơn vị gửi lại file gốc, hoặc gõ lại các ô bị lỗi, rồi tải lên lại."
        )
    source = "TCVN3 (ABC)" if encoding == TCVN3 else "VNI Windows"
    return (
        f"File được gõ bằng bảng mã cũ {LABELS[encoding]}, không phải Unicode, nên tên người sẽ "
        "bị lưu sai. Hãy chuyển file sang Unicode rồi tải lên lại: mở file bằng Excel, chọn và "
        "sao chép (Ctrl+C) vùng danh sách; bật Unikey, mở «Công cụ chuyển mã» (Ctrl+Shift+F6), "
        f"chọn Nguồn: {source}, Đích: Unicode, bấm «Chuyển mã»; dán lại (Ctrl+V) vào Excel, "
        "đổi phông chữ sang Times New Roman và lưu file."
    )

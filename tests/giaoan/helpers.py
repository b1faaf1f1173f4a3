"""Builders for the lesson plan tests: topics, real small documents, plans in a given state."""

import io
import zlib

from pypdf import PdfWriter

from giaoan.plans import version_review, version_upload
from lophoc.models import Topic
from tests import builders
from tests.property.files import deflated_spaces, raw_zip
from trungtam.devtools.demo.quality_giaoan import sample_docx
from trungtam.models import Role


def make_topic(course, title="Chuyên đề 1: Khái quát về chủ nghĩa Mác – Lênin", order=1) -> Topic:
    return Topic.objects.create(course=course, order=order, title=title, periods=4)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(title="Giáo án") -> bytes:
    return sample_docx(title)


def docx_bomb(megabytes=300) -> bytes:
    """A .docx whose document.xml inflates to `megabytes` MB of spaces."""
    head = b'<?xml version="1.0"?><Types/>'
    data, crc, size = deflated_spaces(megabytes)
    return raw_zip(
        [
            ("[Content_Types].xml", head, 0, zlib.crc32(head), len(head)),
            ("word/document.xml", data, 8, crc, size),
        ]
    )


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def old_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def make_leader_user(centre, username="giamdoc"):
    return builders.make_user(
        role=Role.STAFF, centre=centre, username=username, is_centre_leader=True
    )


def upload_plan(topic, user, content=None, filename="giao-an.pdf", lecturer=None):
    return version_upload(
        topic=topic,
        content=content if content is not None else pdf_bytes(),
        filename=filename,
        user=user,
        lecturer=lecturer,
    )


def review_plan(version, leader, approve=True, comment="", reusable=False):
    return version_review(
        version=version,
        posted_number=version.number,
        approve=approve,
        comment=comment,
        user=leader,
        reusable=reusable,
    )


def approved_plan(topic, user, leader, reusable=False):
    return review_plan(upload_plan(topic, user), leader, approve=True, reusable=reusable)


def stored_files(storage=None, folder="giao-an") -> set[str]:
    """Every file under `folder` of the default storage (shared by the tests of a process)."""
    from django.core.files.storage import default_storage

    storage = storage or default_storage
    found = set()
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return found
    found.update(f"{folder}/{name}" for name in files)
    for sub in folders:
        found |= stored_files(storage, f"{folder}/{sub}")
    return found

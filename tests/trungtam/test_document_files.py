"""The guard every document upload goes through (trungtam/document_files.py)."""

import pytest

from tests import document_samples as samples
from tests.guards import nothing_inflated
from tests.property.files import deflated_spaces, raw_zip
from trungtam.document_files import (
    DOCX,
    LESSON_PLAN_KINDS,
    MATERIAL_KINDS,
    ODT,
    PDF,
    PPTX,
    DocumentRefused,
    document_kind,
)


@pytest.mark.parametrize(
    ("content", "kind"),
    [(samples.pdf(), PDF), (samples.docx(), DOCX), (samples.odt(), ODT)],
    ids=["pdf", "docx", "odt"],
)
def test_lesson_plan_kinds_are_recognised_by_content(content, kind):
    assert document_kind(content, "bat-ky-ten.bin") == kind


def test_a_presentation_is_a_material_but_not_a_lesson_plan():
    assert document_kind(samples.pptx(), "bai-giang.pptx", kinds=MATERIAL_KINDS) == PPTX
    with pytest.raises(DocumentRefused, match=r"đây là file PowerPoint \(\.pptx\)"):
        document_kind(samples.pptx(), "bai-giang.pptx", kinds=LESSON_PLAN_KINDS)


def test_a_renamed_file_is_told_its_name_says_one_kind_and_its_content_another():
    with pytest.raises(DocumentRefused, match=r"đuôi file là \.pdf nhưng nội dung không phải file"):
        document_kind(samples.executable(), "giao-an.pdf")
    with pytest.raises(DocumentRefused) as refused:
        document_kind(samples.executable(), "giao-an.exe")
    assert "đuôi file là" not in str(refused.value)  # the name did not pretend


def test_a_file_over_the_cap_gets_advice_that_fits_it():
    from trungtam.document_files import too_large

    big = 6 * 1024 * 1024
    assert "xuất lại PDF với hình ảnh nén nhỏ hơn" in too_large("bai-giang.pdf", big)
    assert "lưu tài liệu thành PDF" in too_large("bai-giang.docx", big)
    assert "«bai-giang.pdf» quá lớn (6,0 MB); chỉ nhận file đến 5 MB" in too_large(
        "bai-giang.pdf", big
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (samples.executable(), "«giao-an.pdf» không phải tài liệu được nhận"),
        (b"", "rỗng"),
        (samples.encrypted_pdf(), "đặt mật khẩu"),
        (samples.encrypted_docx(), "đặt mật khẩu"),
        (samples.old_doc(), "Word/Excel cũ"),
        (b"%PDF-1.4 not really a pdf", "PDF nhưng đã bị hỏng"),
        (b"PK\x03\x04broken", "bị hỏng"),
        ("Giáo án,chuyên đề\n".encode(), r"Chỉ nhận file PDF, Word \(\.docx\) hoặc OpenDocument"),
    ],
    ids=["exe", "empty", "encrypted-pdf", "encrypted-docx", "doc", "bad-pdf", "bad-zip", "csv"],
)
def test_what_is_not_a_document_is_refused_with_the_reason(content, message):
    with pytest.raises(DocumentRefused, match=message):
        document_kind(content, "giao-an.pdf")


def test_an_oversized_file_is_refused_with_its_size_and_the_limit():
    content = samples.pdf() + b"%" * (2 * 1024 * 1024)
    with pytest.raises(DocumentRefused, match=r"quá lớn \(2,0 MB\); chỉ nhận file đến 1 MB"):
        document_kind(content, "giao-an.pdf", max_bytes=1024 * 1024)


@pytest.mark.parametrize("megabytes", [8, 300])
def test_a_zip_bomb_is_refused_from_the_directory_alone(megabytes):
    data, crc, size = deflated_spaces(megabytes)
    bomb = raw_zip(
        [
            ("[Content_Types].xml", b"<Types/>", 0, 0, 8),
            ("word/document.xml", data, 8, crc, size),
        ]
    )
    with nothing_inflated(), pytest.raises(DocumentRefused, match="nén bất thường"):
        document_kind(bomb, "giao-an.docx")

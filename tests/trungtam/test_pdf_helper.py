"""trungtam.documents.pdf: the Vietnamese administrative layout every PDF shares."""

import datetime
import unicodedata
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests import builders
from tests.pdf_reading import bottom_margin_texts, page_numbers
from trungtam.documents import pdf
from trungtam.models import DocumentLayout

DAY = datetime.date(2026, 2, 5)


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def font_names(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.get_object().values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font
    return names


def rows_of(count: int) -> list[list[str]]:
    return [["STT", "Họ và tên", "Đơn vị"]] + [
        [str(n), f"Nguyễn Thị Ngọc Huyền {n}", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Phú Lợi"]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def party_centre(db):
    return builders.make_centre(
        name="Trung tâm Chính trị phường Phú Lợi",
        parent_body="Đảng ủy phường Phú Lợi",
        place_name="Phú Lợi",
    )


def test_party_layout_header_title_and_page_number(party_centre):
    content = pdf.build_pdf(
        centre=party_centre,
        title="DANH SÁCH HỌC VIÊN",
        subtitle=["Lớp bồi dưỡng nhận thức về Đảng", "Từ ngày 02/3/2026"],
        body=[pdf.para("Nội dung có ệ ữ ỹ Đ")],
        number="Số 12-BC/TTCT",
        date=DAY,
    )
    assert content.startswith(b"%PDF")
    (text,) = pages(content)
    for expected in [
        "ĐẢNG ỦY PHƯỜNG PHÚ LỢI",
        "TRUNG TÂM CHÍNH TRỊ PHƯỜNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-BC/TTCT",
        "Phú Lợi, ngày 05 tháng 02 năm 2026",
        "DANH SÁCH HỌC VIÊN",
        "Lớp bồi dưỡng nhận thức về Đảng",
        "Nội dung có ệ ữ ỹ Đ",
    ]:
        assert expected in text
    assert "Trang" not in text  # one page: no page number at all
    assert "CỘNG HÒA" not in text


def test_state_layout_has_the_national_motto(party_centre):
    party_centre.document_layout = DocumentLayout.STATE
    (text,) = pages(pdf.build_pdf(centre=party_centre, title="BÁO CÁO", body=[], date=DAY))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN" not in text


def test_text_comes_back_nfc_even_from_decomposed_input(party_centre):
    decomposed = unicodedata.normalize("NFD", "Đặng Thị Mỹ Hữu Nguyễn")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    (text,) = pages(
        pdf.build_pdf(centre=party_centre, title="DANH SÁCH", body=[pdf.para(decomposed)])
    )
    assert "Đặng Thị Mỹ Hữu Nguyễn" in unicodedata.normalize("NFC", text)
    assert "Đặng Thị Mỹ Hữu Nguyễn" in text


def test_every_font_is_the_embedded_tinos(party_centre):
    body = [
        pdf.data_table(rows_of(3), widths=[1, 5, 5], total_width=pdf.content_width()),
        pdf.para("nghiêng", "note"),
    ]
    content = pdf.build_pdf(
        centre=party_centre,
        title="DANH SÁCH",
        body=body,
        signers=[pdf.Signer("GIÁM ĐỐC", "Trần Văn Bình")],
        recipients=["Lưu: VT."],
        draft=True,
    )
    names = font_names(content)
    assert names and all("Tinos" in name for name in names), names
    assert not any("Helvetica" in name for name in names)


@pytest.mark.parametrize("layout", [DocumentLayout.PARTY, DocumentLayout.STATE])
@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
def test_long_tables_repeat_the_header_and_number_pages_top_centre_from_the_second(
    party_centre, layout, landscape
):
    # Nghị định 30/2020 and Hướng dẫn 36-HD/VPTW: the number alone, centred in the top margin,
    # none on the first page; nothing at the foot.
    party_centre.document_layout = layout
    body = [pdf.data_table(rows_of(80), widths=[1, 5, 5], total_width=pdf.content_width())]
    content = pdf.build_pdf(
        centre=party_centre, title="DANH SÁCH", body=body, landscape=landscape, draft=True
    )
    texts = pages(content)
    assert len(texts) >= 3
    for text in texts:
        assert "Họ và tên" in text
        assert "Trang" not in text
    assert page_numbers(content) == [""] + [str(n) for n in range(2, len(texts) + 1)]
    assert bottom_margin_texts(content) == [""] * len(texts)


def test_landscape_pages_are_wider_than_tall(party_centre):
    content = pdf.build_pdf(centre=party_centre, title="BẢNG", body=[], landscape=True)
    box = PdfReader(BytesIO(content)).pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert pdf.content_width(landscape=True) > pdf.content_width()


def test_draft_mark_on_every_page(party_centre):
    body = [pdf.data_table(rows_of(60), widths=[1, 5, 5], total_width=pdf.content_width())]
    texts = pages(pdf.build_pdf(centre=party_centre, title="BÁO CÁO", body=body, draft=True))
    assert len(texts) > 1
    assert all("DỰ THẢO" in text for text in texts)
    final = pages(pdf.build_pdf(centre=party_centre, title="BÁO CÁO", body=body))
    assert not any("DỰ THẢO" in text for text in final)


def test_signers_and_recipients(party_centre):
    (text,) = pages(
        pdf.build_pdf(
            centre=party_centre,
            title="BÁO CÁO",
            body=[],
            signers=[
                pdf.Signer("NGƯỜI LẬP BIỂU", "Phan Thị Mỹ Linh", note="(Ký, ghi rõ họ tên)"),
                pdf.Signer("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Trần Quốc Hưng"),
            ],
            recipients=["Ban Thường vụ Đảng ủy phường", "Lưu: VT."],
        )
    )
    for expected in [
        "NGƯỜI LẬP BIỂU",
        "(Ký, ghi rõ họ tên)",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Trần Quốc Hưng",
        "Phan Thị Mỹ Linh",
        "Nơi nhận:",
        "- Ban Thường vụ Đảng ủy phường",
    ]:
        assert expected in text


def test_cells_are_text_not_markup(party_centre):
    rows = [["Tên"], ["<b>Nguyễn</b> & <i>Công ty</i>"]]
    (text,) = pages(
        pdf.build_pdf(
            centre=party_centre,
            title="X",
            body=[pdf.data_table(rows, widths=[100 * pdf.mm])],
        )
    )
    assert "<b>Nguyễn</b> & <i>Công ty</i>" in text


def test_min_row_height_grows_with_long_text():
    rows = [["STT", "Đơn vị"], ["1", "Ngắn"], ["2", "Rất dài " * 30]]
    table = pdf.data_table(rows, widths=[20 * pdf.mm, 60 * pdf.mm], min_row_height=20)
    heights = table._argH
    assert heights[0] is None
    assert heights[1] == 20
    assert heights[2] > 40


def test_table_parts_keep_the_last_rows_with_the_signature(party_centre):
    rows = rows_of(34)
    head, tail = pdf.data_table_parts(
        rows, keep_last=3, widths=[1, 5, 5], total_width=pdf.content_width()
    )
    assert tail is not None
    texts = pages(
        pdf.build_pdf(
            centre=party_centre,
            title="DANH SÁCH",
            body=[head],
            closing=[tail, pdf.para("Tổng số: 34 học viên.")],
            signers=[pdf.Signer("GIÁM ĐỐC", "Trần Văn Bình")],
        )
    )
    last = texts[-1]
    assert "Nguyễn Thị Ngọc Huyền 34" in last and "Trần Văn Bình" in last
    assert "Họ và tên" in last  # the header is repeated above the rows that moved
    words = " ".join(texts).split()
    numbers = [int(w) for w, before in zip(words[1:], words[:-1], strict=True) if before == "Huyền"]
    assert numbers == list(range(1, 35))  # every row printed once, in order

    short_head, no_tail = pdf.data_table_parts(rows_of(2), keep_last=3, widths=[1, 5, 5])
    assert no_tail is None


def test_invariant_documents_reprint_byte_for_byte(party_centre):
    def build():
        return pdf.build_pdf(
            centre=party_centre, title="BÁO CÁO", body=[pdf.para("Nội dung")], date=DAY,
            invariant=True,
        )  # fmt: skip

    assert build() == build()


def test_the_signature_never_stands_alone_on_a_page(party_centre):
    # Enough text to fill the first page to its foot, so only the signature would be left over.
    for count in range(10, 40):
        body = [pdf.para(f"Đoạn {n}: " + "nội dung báo cáo " * 12) for n in range(count)]
        content = pdf.build_pdf(
            centre=party_centre,
            title="BÁO CÁO",
            body=body,
            signers=[pdf.Signer("GIÁM ĐỐC", "Trần Văn Bình")],
            recipients=["Lưu Văn phòng."],
        )
        texts = pages(content)
        last = texts[-1]
        assert "Trần Văn Bình" in last
        assert "Đoạn" in last, f"{count} paragraphs: the signature page holds no text"


def test_the_date_column_widens_only_when_asked(party_centre):
    """A long place name keeps its date line on one line in documents that ask for it; every
    other document keeps the header it always had, so its final bytes (kept signed copies) do
    not change."""
    day = datetime.date(2026, 12, 7)
    width = pdf.content_width()

    def right_width(place, **kw):
        return pdf.header_block(party_centre, width=width, date=day, place=place, **kw)._colWidths[
            1
        ]

    short, long = "Phú Lợi", "Thành phố Hồ Chí Minh"
    assert right_width(long) == right_width(short)  # the old header, whatever the place
    assert right_width(long, fit_date=True) > right_width(long)
    assert right_width(short, fit_date=True) == right_width(short)  # widened only when needed

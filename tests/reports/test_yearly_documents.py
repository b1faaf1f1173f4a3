"""The yearly report's PDF and XLSX, read back: layout, DỰ THẢO, tables, one sheet per section."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import builders
from tests.pdf_reading import pdf_fonts, pdf_pages
from tests.reports.yearly_helpers import WRITTEN, YEAR, for_a_test, year_for_the_module
from trungtam.models import DocumentLayout
from trungtam.reports import yearly, yearly_all
from trungtam.reports.yearly_documents import DRAFT_LINE, build, report_filename

pytestmark = pytest.mark.django_db

SHEETS = [
    "I. Lớp học",
    "II. Học viên",
    "III. Kết quả",
    "IV. Giảng viên",
    "V. So sánh",
    "VI. Chất lượng",
]


@pytest.fixture(scope="module")
def module_year(django_db_setup, django_db_blocker):
    """full_year(classes=2) built once for the module (every test here reads a full year)."""
    with year_for_the_module(django_db_blocker, classes=2) as year:
        yield year


@pytest.fixture
def year(module_year, db):
    return for_a_test(module_year)


@pytest.fixture
def centre(year):
    """The year's centre, read again for each test (conftest's `centre`, built once)."""
    return year.centre


def content_of(centre, **values):
    report = yearly.report_for(centre, YEAR)
    if values:
        report = yearly.report_save(report=report, values=values, user=None)
    return yearly.report_content(report)


def sent_content(centre):
    report = yearly.report_save(
        report=yearly.report_for(centre, YEAR),
        values={
            "number": "12",
            "report_date": datetime.date(YEAR, 12, 5),
            **WRITTEN,
            "results_text": "Kết quả đạt được rất tốt.",
            "limitations_text": "Hạn chế: còn ít lớp.",
            "direction_text": "Phương hướng: mở thêm lớp.",
            "recipients": "Ban Thường vụ Đảng ủy phường Phú Lợi\nLưu VT",
        },
        user=None,
    )
    return yearly.report_content(yearly.report_send(report=report, user=None))


def test_the_draft_pdf_has_the_administrative_layout_and_draft_on_every_page(year, centre):
    content = content_of(centre)
    pages = pdf_pages(build(content, "pdf").content)
    assert len(pages) >= 3
    assert all("DỰ THẢO" in page for page in pages)
    first = pages[0]
    for text in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TRUNG TÂM CHÍNH TRỊ PHƯỜNG",
        "BÁO CÁO",
        "Kết quả công tác đào tạo, bồi dưỡng năm 2026",
        f"Kính gửi: {centre.supervising_committee}",
        "-BC/TTCT",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "Năm 2026, Trung tâm mở 4/6 lớp, đạt 66,7% kế hoạch",
    ):
        assert text in first, text
    text = "\n".join(pages)
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027" in text
    assert "Nơi nhận:" in text and "Trần Văn Giám" in text and "GIÁM ĐỐC" in text
    assert "PHỤ LỤC" in text
    for title in (
        "I. SỐ LỚP THEO CHƯƠNG TRÌNH VÀ HỆ",
        "II. HỌC VIÊN THEO CHƯƠNG TRÌNH",
        "III. KẾT QUẢ HỌC TẬP THEO CHƯƠNG TRÌNH",
        "IV. ĐỘI NGŨ GIẢNG VIÊN",
        "V. SO SÁNH VỚI NĂM 2025",
    ):
        assert title in text
    assert "87,5%" in text and "66,7%" in text
    fonts = {name.split("+")[-1] for name in pdf_fonts(build(content, "pdf").content)}
    assert fonts >= {"Tinos", "Tinos-Bold"} and not any("Helvetica" in f for f in fonts)


def test_the_sent_pdf_has_no_draft_mark_and_carries_number_date_and_text(year, centre):
    pages = pdf_pages(build(sent_content(centre), "pdf").content)
    assert not any("DỰ THẢO" in page for page in pages)
    text = "\n".join(pages)
    assert "Số 12-BC/TTCT" in text
    assert "Phú Lợi, ngày 05 tháng 12 năm 2026" in text
    assert "Kết quả đạt được rất tốt." in text and "Phương hướng: mở thêm lớp." in text
    assert "(Kèm theo Báo cáo số 12-BC/TTCT ngày 05/12/2026 của" in text
    assert "- Ban Thường vụ Đảng ủy phường Phú Lợi;" in " ".join(text.split())


def pdf_runs(data: bytes) -> list[tuple[str, str, float]]:
    """Every run of text of the PDF with its font (without the subset prefix) and size."""
    runs = []
    for page in PdfReader(BytesIO(data)).pages:

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                name = str(font.get("/BaseFont", "")) if font else ""
                runs.append((text.strip(), name.split("+")[-1], size))

        page.extract_text(visitor_text=visit)
    return runs


def narrative_cells(content: dict) -> list:
    sheet = load_workbook(BytesIO(build(content, "xlsx").content))["Nội dung báo cáo"]
    return [cell for row in sheet.iter_rows() for cell in row if cell.value]


RECIPIENTS = "Ban Thường vụ Đảng ủy\nLưu VT"


@pytest.mark.parametrize(
    ("layout", "file_copy", "font", "heading_style"),
    [
        # Hướng dẫn 36-HD/VPTW: «Nơi nhận:» upright and underlined, «- Lưu Văn phòng.» last.
        (
            DocumentLayout.PARTY,
            "- Lưu Văn phòng.",
            "Tinos",
            {"underline": "single", "italic": False},
        ),
        # Nghị định 30/2020: «Nơi nhận:» bold italic, «- Lưu: VT.» last.
        (DocumentLayout.STATE, "- Lưu: VT.", "Tinos-BoldItalic", {"bold": True, "italic": True}),
    ],
    ids=["party-36-hd-vptw", "state-decree-30"],
)
def test_nơi_nhận_is_laid_out_as_the_centre_s_layout_says(
    year, centre, layout, file_copy, font, heading_style
):
    """A «;» after each recipient and the office's own copy last, whatever file copy staff typed;
    the heading set as the layout says, in the PDF and the XLSX."""
    centre.document_layout = layout
    centre.save()
    content = content_of(centre, recipients=RECIPIENTS)
    runs = pdf_runs(build(content, "pdf").content)
    texts = [text for text, _, _ in runs]
    start = texts.index("Nơi nhận:")
    assert texts[start + 1 : start + 3] == ["- Ban Thường vụ Đảng ủy;", file_copy]
    assert runs[start][1] == font and not any("Lưu VT" in text for text in texts)
    if layout == DocumentLayout.PARTY:
        assert runs[start][2] == 14  # the Party layout's 14 pt
    cells = narrative_cells(content)
    values = [cell.value for cell in cells]
    assert "- Ban Thường vụ Đảng ủy;" in values and file_copy in values
    assert "- Lưu VT" not in values
    heading = next(cell for cell in cells if cell.value == "Nơi nhận:")
    assert {name: getattr(heading.font, name) for name in heading_style} == heading_style


def test_a_new_report_needs_no_file_copy_line(year, centre):
    assert yearly.DEFAULT_RECIPIENTS == ["Như trên"]
    texts = [text for text, _, _ in pdf_runs(build(content_of(centre), "pdf").content)]
    start = texts.index("Nơi nhận:")
    assert texts[start + 1 : start + 3] == ["- Như trên;", "- Lưu Văn phòng."]


def test_a_report_sent_before_nơi_nhận_was_laid_out_reprints_as_it_was(year, centre):
    old = sent_content(centre)
    old["version"] = 2
    texts = [text for text, _, _ in pdf_runs(build(old, "pdf").content)]
    start = texts.index("Nơi nhận:")
    assert texts[start + 1 : start + 3] == ["- Ban Thường vụ Đảng ủy phường Phú Lợi", "- Lưu VT"]
    heading = next(cell for cell in narrative_cells(old) if cell.value == "Nơi nhận:")
    assert heading.font.bold and not heading.font.italic and not heading.font.underline


def test_the_state_layout_numbers_the_report_its_way(year, centre):
    centre.document_layout = DocumentLayout.STATE
    centre.short_name = "TTCTBM"
    centre.save()
    text = "\n".join(pdf_pages(build(content_of(centre, number="7"), "pdf").content))
    assert "Số: 7/BC-TTCTBM" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text


def test_the_xlsx_has_one_sheet_per_section_with_numbers(year, centre):
    book = load_workbook(BytesIO(build(content_of(centre), "xlsx").content))
    assert book.sheetnames == [*SHEETS, "Nội dung báo cáo"]
    for name in book.sheetnames:
        values = [c for row in book[name].iter_rows(values_only=True) for c in row if c]
        assert DRAFT_LINE in values, name
    rows = {
        row[1]: row[2:6]
        for row in book["I. Lớp học"].iter_rows(values_only=True)
        if row[1] and isinstance(row[2], int)
    }
    assert rows["Bồi dưỡng nhận thức về Đảng"] == (4, 2, 2, 0.5)
    assert rows["Tổng cộng"] == (6, 4, 3, pytest.approx(0.667))
    sheet = book["I. Lớp học"]
    total = next(r for r in sheet.iter_rows() if r[1].value == "Tổng cộng")
    assert total[5].number_format == "0.0%" and total[2].number_format == "#,##0"
    assert total[1].font.bold
    results = {
        row[1]: row[2:5]
        for row in book["III. Kết quả"].iter_rows(values_only=True)
        if row[1] and isinstance(row[2], int)
    }
    assert results["Bồi dưỡng nhận thức về Đảng"] == (12, 2, pytest.approx(16.7))
    header = [c for row in book["III. Kết quả"].iter_rows(values_only=True) for c in row]
    assert "Xuất sắc" in header and "Không đạt" in header
    narrative = [c for row in book["Nội dung báo cáo"].iter_rows(values_only=True) for c in row]
    assert any(str(c).startswith("Năm 2026, Trung tâm mở 4/6 lớp") for c in narrative if c)
    assert f"Kính gửi: {centre.supervising_committee}" in narrative


def test_no_two_merged_ranges_of_a_sheet_overlap(year, centre, other_centre):
    # Excel reports a file with overlapping merges as damaged.
    builders.make_report_issuer()
    for content in (
        content_of(centre),
        yearly_all.all_centres_content([centre, other_centre], YEAR),
    ):
        book = load_workbook(BytesIO(build(content, "xlsx").content))
        for sheet in book.worksheets:
            cells = [set(r.cells) for r in sheet.merged_cells.ranges]
            for index, first in enumerate(cells):
                for second in cells[index + 1 :]:
                    assert not first & second, sheet.title
        assert book["III. Kết quả"].print_title_rows


def test_the_sent_xlsx_has_no_draft_line(year, centre):
    book = load_workbook(BytesIO(build(sent_content(centre), "xlsx").content))
    for name in book.sheetnames:
        values = [c for row in book[name].iter_rows(values_only=True) for c in row if c]
        assert DRAFT_LINE not in values
    narrative = [c for row in book["Nội dung báo cáo"].iter_rows(values_only=True) for c in row]
    assert "Số 12-BC/TTCT" in narrative and "Kết quả đạt được rất tốt." in narrative


def test_text_that_looks_like_a_formula_stays_text(year, centre):
    content = content_of(centre, results_text='=HYPERLINK("http://x")')
    sheet = load_workbook(BytesIO(build(content, "xlsx").content))["Nội dung báo cáo"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


# The all-centres report's documents: tests/reports/test_yearly_all.py.


def test_filenames_are_ascii_per_design(year, centre):
    assert report_filename(content_of(centre), "pdf") == "2026_bao-cao-nam_TTA.pdf"
    assert (
        report_filename({"kind": "all", "year": 2026}, "xlsx") == "2026_bao-cao-nam_tong-hop.xlsx"
    )
    assert report_filename(
        {"kind": "centre", "year": 2026, "centre": {"code": "TT/Phú"}}, "pdf"
    ) == ("2026_bao-cao-nam_TT-Ph.pdf")


@pytest.mark.parametrize("padding", range(0, 40, 3))
def test_the_signature_page_always_carries_the_end_of_the_text(year, centre, padding):
    # Longer and longer recommendations push the signature over the page foot somewhere in this
    # range; wherever it lands, the last paragraph lands with it.
    content = content_of(
        centre, recommendations_text="Kiến nghị cuối. " + "Đề xuất. " * padding * 8
    )
    pages = pdf_pages(build(content, "pdf").content)
    signed = next(page for page in pages if "Trần Văn Giám" in page)
    assert "Kiến nghị cuối." in signed

import datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.test import RequestFactory
from reportlab.pdfbase import pdfmetrics

from tests import builders
from trungtam.documents.downloads import file_download, personal_data_download
from trungtam.documents.fonts import SERIF, register_fonts
from trungtam.documents.layout import date_line, document_number, motto_lines
from trungtam.documents.numbers import format_number, format_percent, format_score
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.models import DocumentLayout, ExportLog


@pytest.mark.parametrize(
    "value,decimals,expected",
    [
        (1634, 0, "1.634"),
        (1234567, 0, "1.234.567"),
        (999, 0, "999"),
        (Decimal("8.25"), 1, "8,3"),
        (Decimal("8.24"), 1, "8,2"),
        (-1500, 0, "-1.500"),
        (None, 0, ""),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_percent():
    assert format_percent(34, 36) == "94,4%"
    assert format_percent(Decimal("100")) == "100,0%"
    assert format_percent(3, 0) == "–"


def test_format_score():
    assert format_score(Decimal("8.50")) == "8,5"
    assert format_score(Decimal("7.25")) == "7,25"
    assert format_score(Decimal("10.00")) == "10"


def test_date_line_has_leading_zeros_for_small_days_and_january_february():
    assert date_line("Phú Lợi", datetime.date(2026, 2, 5)) == "Phú Lợi, ngày 05 tháng 02 năm 2026"
    assert date_line("Phú Lợi", datetime.date(2026, 11, 21)) == "Phú Lợi, ngày 21 tháng 11 năm 2026"
    assert date_line("Bình Mỹ", datetime.date(2026, 3, 9)) == "Bình Mỹ, ngày 09 tháng 3 năm 2026"


@pytest.mark.django_db
def test_document_number_follows_the_layout(centre):
    assert document_number(centre, 12, "BC") == "Số 12-BC/TTCT"
    assert motto_lines(centre) == ["ĐẢNG CỘNG SẢN VIỆT NAM"]
    centre.document_layout = DocumentLayout.STATE
    assert document_number(centre, 12, "BC") == "Số: 12/BC-TTCT"
    assert motto_lines(centre)[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # Without a number: eight no-break spaces the office fills in by hand.
    assert document_number(centre, None, "TB") == "Số: " + "\u00a0" * 8 + "/TB-TTCT"
    assert document_number(centre, "", "KH") == document_number(centre, None, "KH")


def test_pdf_font_has_every_vietnamese_glyph():
    register_fonts()
    face = pdfmetrics.getFont(SERIF).face
    letters = "ăâđêôơưĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
    missing = [ch for ch in letters + letters.upper() if ord(ch) not in face.charToGlyph]
    assert missing == []


@pytest.mark.parametrize(
    "dangerous", ["=1+2", "+84912345678", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x","y")']
)
def test_xlsx_stores_formula_like_text_as_text(dangerous):
    book = SafeWorkbook()
    sheet = book.sheet("Danh sách")
    sheet.append(["Họ và tên", "Ghi chú"], bold=True)
    sheet.append(["Nguyễn Văn An", dangerous])
    loaded = openpyxl.load_workbook(BytesIO(book.to_bytes()))
    cell = loaded.active["B2"]
    assert cell.value == dangerous
    assert cell.data_type == "s"  # a string, never a formula ("f")
    assert loaded.active["A1"].value == "Họ và tên"


def test_xlsx_keeps_numbers_and_dates_typed():
    book = SafeWorkbook()
    sheet = book.sheet("Số liệu")
    sheet.append([1634, datetime.date(2026, 2, 5), "-"])
    row = next(openpyxl.load_workbook(BytesIO(book.to_bytes())).active.iter_rows(values_only=True))
    assert row[0] == 1634 and row[1].date() == datetime.date(2026, 2, 5) and row[2] == "-"


def test_xlsx_drops_control_characters():
    book = SafeWorkbook()
    book.sheet("A").append(["Lê\x00 Văn\x07 An"])
    assert openpyxl.load_workbook(BytesIO(book.to_bytes())).active["A1"].value == "Lê Văn An"


@pytest.mark.django_db
def test_personal_data_download_logs_who_when_what(staff, centre):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")
    request.user = staff
    response = personal_data_download(
        request,
        content=b"%PDF-1.4 test",
        filename="KND-01-2026_danh-sach-hoc-vien.pdf",
        description="Danh sách học viên lớp KND-01/2026",
        centre=centre,
        rows=42,
    )
    assert response["Content-Type"] == "application/pdf"
    assert "KND-01-2026_danh-sach-hoc-vien.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    log = ExportLog.objects.get()
    assert (log.user, log.username, log.centre, log.rows, log.address) == (
        staff,
        "canbo",
        centre,
        42,
        "10.0.0.7",
    )
    assert log.description == "Danh sách học viên lớp KND-01/2026"
    assert log.created_at is not None


def test_a_file_name_with_vietnamese_letters_is_sent_as_rfc_6266_filename_star():
    response = file_download(b"x", "Kế hoạch năm.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20n%C4%83m.xlsx"
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_a_file_shown_in_place_is_inline_and_typed_from_its_extension():
    response = file_download(b"BEGIN:VCALENDAR", "lich.ics", inline=True, cache_control="private")
    assert response["Content-Disposition"] == 'inline; filename="lich.ics"'
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private"
    assert response.getvalue() == b"BEGIN:VCALENDAR"


@pytest.mark.django_db
def test_export_log_is_per_download(staff, centre):
    request = RequestFactory().get("/")
    request.user = staff
    for _ in range(2):
        personal_data_download(request, content=b"x", filename="a.xlsx", description="Danh sách")
    assert ExportLog.objects.count() == 2
    builders.make_user(centre=centre)  # unrelated writes do not log
    assert ExportLog.objects.count() == 2

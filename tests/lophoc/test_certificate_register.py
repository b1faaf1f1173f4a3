"""Sổ cấp giấy chứng nhận: the page, PDF and XLSX of a year, per role, logged, constant queries."""

import datetime
from io import BytesIO
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from lophoc.certificates import certificate_reissue, certificate_void, certificates_issue
from lophoc.documents.certificate_register import (
    certificate_register_pdf,
    certificate_register_xlsx,
    closing_statement,
    register_certificates,
    signer_text,
)
from lophoc.models import CertificateStatus
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from tests.xlsx_reading import find_row
from trungtam.models import DocumentLayout, ExportLog, LeaderRole

pytestmark = pytest.mark.django_db
PAGE = reverse("lophoc:certificate_register")
DAY = datetime.date(2026, 12, 28)


def issued(centre, staff, passing=2):
    course = closed_course(centre, passing=passing)
    return certificates_issue(
        course=course, user=staff, signer=make_leader(centre), issued_on=ISSUED_ON
    )


def test_page_lists_the_years_certificates_with_status(client, centre, staff):
    first, second = issued(centre, staff)
    certificate_void(certificate=second, user=staff, reason="In sai tên")
    client.force_login(staff)
    response = client.get(PAGE, {"nam": ISSUED_ON.year})
    assert response.status_code == 200
    assert first.number in response.text and first.full_name in response.text
    assert "Đã thu hồi: In sai tên" in response.text
    assert "Chưa cấp" in client.get(PAGE, {"nam": ISSUED_ON.year - 1}).text


def test_other_centres_certificates_are_not_listed(client, centre, staff, other_centre):
    other_staff = builders.make_user(centre=other_centre)
    (theirs,) = issued(other_centre, other_staff, passing=1)
    client.force_login(staff)
    assert theirs.full_name not in client.get(PAGE, {"nam": ISSUED_ON.year}).text


@pytest.mark.parametrize("role", ["official", "lecturer"])
def test_roles_without_the_right_get_403(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE)["Location"].startswith(reverse("login"))


def test_downloads_read_back_and_are_logged(client, centre, staff):
    certificates = issued(centre, staff)
    client.force_login(staff)
    year = ISSUED_ON.year
    xlsx = client.get(reverse("lophoc:certificate_register_download", args=[year, "xlsx"]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    header = find_row(sheet, "STT")
    numbers = [
        row[1]
        for row in sheet.iter_rows(min_row=header + 1, values_only=True)
        if isinstance(row[0], int)
    ]
    assert numbers == [c.number for c in certificates]
    assert find_row(sheet, "NGƯỜI LẬP SỔ") and find_row(sheet, staff.full_name)
    pdf = client.get(reverse("lophoc:certificate_register_download", args=[year, "pdf"]))
    text = "".join(
        p.extract_text() for p in PdfReader(BytesIO(b"".join(pdf.streaming_content))).pages
    )
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text and certificates[0].full_name in text
    assert ExportLog.objects.filter(user=staff).count() == 2
    bad = client.get(reverse("lophoc:certificate_register_download", args=[year, "doc"]))
    assert bad.status_code == 404


def test_page_queries_do_not_grow(client, centre, staff):
    client.force_login(staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(PAGE, {"nam": ISSUED_ON.year})
        return len(queries)

    issued(centre, staff, passing=2)
    small = count()
    issued(centre, staff, passing=6)
    assert count() == small


# --- the documents read back (issue 13, item 11) ---


def register_pdf_text(centre, year=ISSUED_ON.year, **options) -> tuple[list[str], str]:
    certificates = register_certificates(centre, year)
    content = certificate_register_pdf(centre, year, certificates, day=DAY, **options)
    pages = [page.extract_text() for page in PdfReader(BytesIO(content)).pages]
    return pages, " ".join(" ".join(pages).split())


def test_the_pdf_is_compact_about_25_rows_a_page(centre, staff):
    certificates = issued(centre, staff, passing=80)
    pages, _ = register_pdf_text(centre)
    # The first page, under the header block, holds fewer; the next ones 25 or more (the old
    # register printed 8 a page: 618 certificates on 81 pages).
    assert len(pages) <= 4
    on_page = [sum(c.register_number in page for c in certificates) for page in pages]
    assert on_page[0] >= 15 and all(count >= 25 for count in on_page[1:-1])
    assert sum(on_page) == len(certificates) == 80


def test_no_number_is_broken_over_two_lines(centre, staff):
    first = issued(centre, staff, passing=12)
    second = issued(centre, staff, passing=3)
    certificate_reissue(
        certificate=first[4],
        user=staff,
        reason="Học viên báo mất giấy",
        issued_on=ISSUED_ON,
        signer=make_leader(centre, full_name="Lê Văn Phó", role=LeaderRole.DEPUTY),
    )
    pages, _ = register_pdf_text(centre)
    whole = "\n".join(pages)
    for certificate in register_certificates(centre, ISSUED_ON.year):
        # Extracted line by line: a number cut in two would have a line break inside it.
        assert certificate.number in whole, certificate.number
        assert certificate.register_number in whole
    assert f"cấp lại cho số {first[4].number}" in whole.replace("\n", " ")
    assert len(second) == 3


def test_a_long_number_is_printed_smaller_never_cut(centre, staff):
    # As long as a number may be (39 of the 40 characters the register stores).
    centre.certificate_number_pattern = "{seq:05d}/GCN-TTCTPHUONGPHULOITHANHPHO/{year}"
    centre.save()
    certificates = issued(centre, staff, passing=3)
    pages, _ = register_pdf_text(centre)
    whole = "\n".join(pages)
    for certificate in certificates:
        assert len(certificate.number) == 39
        assert certificate.number in whole


def test_the_closing_statement_and_the_directors_signature(centre, staff):
    certificates = issued(centre, staff, passing=5)  # signed by the director, Trần Văn Giám
    certificate_void(certificate=certificates[1], user=staff, reason="In sai tên")
    _, text = register_pdf_text(centre, maker_name="Nguyễn Thị Lập")
    assert (
        f"Sổ có 5 giấy chứng nhận, từ số {certificates[0].number} đến số "
        f"{certificates[-1].number}; trong đó 1 giấy đã thu hồi." in text
    )
    assert "NGƯỜI LẬP SỔ" in text and "Nguyễn Thị Lập" in text
    assert "GIÁM ĐỐC" in text and "Trần Văn Giám" in text
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text and "Năm 2026" in text
    assert "Trang 1/" not in text
    # The class is named once, in the row above its certificates.
    assert text.count(certificates[0].course_code) == 1


def test_the_closing_statement_writes_numbers_the_vietnamese_way():
    many = [
        SimpleNamespace(number=f"{n}/GCN-TTCT", status=CertificateStatus.VALID)
        for n in range(1, 1635)
    ]
    many[7].status = CertificateStatus.VOIDED
    assert closing_statement(many) == (
        "Sổ có 1.634 giấy chứng nhận, từ số 1/GCN-TTCT đến số 1634/GCN-TTCT; "
        "trong đó 1 giấy đã thu hồi."
    )
    assert closing_statement([]) == "Sổ không có giấy chứng nhận nào."


def test_a_deputy_signer_is_named_with_the_office_they_signed_in():
    deputy = SimpleNamespace(signer_title="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", signer_name="Lê Văn Phó")
    director = SimpleNamespace(signer_title="GIÁM ĐỐC", signer_name="Võ Văn Tâm")
    assert signer_text(deputy) == "Lê Văn Phó (Phó giám đốc)"
    assert signer_text(director) == "Võ Văn Tâm"


def test_the_state_layout_prints_its_header(centre, staff):
    centre.document_layout = DocumentLayout.STATE
    centre.save()
    issued(centre, staff, passing=2)
    _, text = register_pdf_text(centre)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_an_empty_year_prints_a_register_that_says_so(centre):
    _, text = register_pdf_text(centre, year=2020)
    assert "Sổ không có giấy chứng nhận nào." in text


def test_the_xlsx_is_ready_to_print_with_real_dates(centre, staff):
    certificates = issued(centre, staff, passing=3)
    content = certificate_register_xlsx(centre, ISSUED_ON.year, certificates, maker_name="Lập")
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = find_row(sheet, "STT")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_margins.left == pytest.approx(30 / 25.4)
    first = header + 1
    born, issued_on = sheet.cell(first, 5), sheet.cell(first, 13)
    assert isinstance(born.value, datetime.datetime) and born.number_format == "DD/MM/YYYY"
    assert issued_on.value.date() == ISSUED_ON
    assert sheet.cell(first, 12).value == pytest.approx(8.5)
    assert all(sheet.cell(first, column).alignment.wrap_text for column in range(1, 16))
    statement = find_row(sheet, closing_statement(certificates))
    assert statement > first + len(certificates)
    assert find_row(sheet, "NGƯỜI LẬP SỔ")

"""The unit's documents (issue 16, item 4): its own page of a class's result notice, and the
yearly summary as PDF and XLSX — read back, logged, and only ever with the unit's people."""

import datetime
import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from lophoc.models import CourseStatus
from tests import builders
from tests.donvi.conftest import closed_with_results
from tests.lophoc.certificate_helpers import make_certificate
from tests.xlsx_reading import sheet_rows, xlsx_sheet
from trungtam.models import ExportLog

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def people(centre, commune, cell, agency):
    hoa = builders.make_trainee(
        centre,
        unit=commune,
        full_name="Nguyễn Thị Hoa",
        date_of_birth=datetime.date(1988, 4, 2),
        position="Phó Bí thư Đảng ủy",
    )
    son = builders.make_trainee(centre, unit=cell, full_name="Lê Văn Sơn")
    khoi = builders.make_trainee(centre, unit=agency, full_name="Trần Minh Khôi")
    course, enrolments = closed_with_results(centre, [(hoa, commune), (son, cell), (khoi, agency)])
    certificate = make_certificate(enrolments[0], 12, number="12-GCN/TTCT")
    return {"course": course, "certificate": certificate}


# --- the result notice -------------------------------------------------------------------------


def test_the_unit_gets_its_own_letters_only_and_the_download_is_logged(
    client, liaison, commune, people
):
    course = people["course"]
    client.force_login(liaison)
    response = client.get(reverse("donvi:result_notice", args=[commune.pk, course.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(body(response))
    assert "THÔNG BÁO" in text
    assert "Kính gửi: Đảng ủy phường Phú Lợi" in text and "Kính gửi: Chi bộ khu phố 3" in text
    assert "Nguyễn Thị Hoa" in text and "Lê Văn Sơn" in text
    assert "Trần Minh Khôi" not in text and "Trường THCS" not in text
    log = ExportLog.objects.get()
    assert (log.user, log.rows) == (liaison, 2)
    assert course.code in log.description


def test_another_units_class_does_not_exist_for_the_unit(client, centre, liaison, commune, agency):
    khoi = builders.make_trainee(centre, unit=agency)
    course, _ = closed_with_results(centre, [(khoi, agency)])
    client.force_login(liaison)
    url = reverse("donvi:result_notice", args=[commune.pk, course.pk])
    assert client.get(url).status_code == 404
    # …nor through the other unit's address.
    url = reverse("donvi:result_notice", args=[agency.pk, course.pk])
    assert client.get(url).status_code == 404
    assert not ExportLog.objects.exists()


def test_a_class_not_closed_has_no_notice_yet(client, centre, liaison, commune):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    builders.make_enrolment(course, trainee=builders.make_trainee(centre), unit=commune)
    client.force_login(liaison)
    response = client.get(reverse("donvi:result_notice", args=[commune.pk, course.pk]), follow=True)
    assert "chưa kết thúc nên chưa có thông báo kết quả" in response.content.decode()
    assert not ExportLog.objects.exists()


# --- the yearly summary ------------------------------------------------------------------------


def summary_url(unit, year=2026, fmt="pdf"):
    return reverse("donvi:summary", args=[unit.pk, year, fmt])


def test_the_summary_pdf(client, liaison, commune, people):
    client.force_login(liaison)
    response = client.get(summary_url(commune))
    assert response.status_code == 200
    text = " ".join(pdf_text(body(response)).split())
    title = "DANH SÁCH CÁN BỘ, ĐẢNG VIÊN DO ĐẢNG ỦY PHƯỜNG PHÚ LỢI CỬ ĐI BỒI DƯỠNG NĂM 2026"
    assert f"{title} tại Trung tâm" in text
    assert "NĂM 2026 NĂM 2026" not in text and "Năm 2026 —" not in text
    assert re.search(r"Số\s+-BC/\w+", text)
    assert "Nguyễn Thị Hoa" in text and "1988" in text and "Phó Bí thư Đảng ủy" in text
    assert "Lê Văn Sơn" in text and "Chi bộ khu phố 3" in text  # the unit column: two units
    assert "12-GCN/TTCT" in text and "Hoàn thành" in text and "Giỏi (8,5)" in text
    assert people["course"].code in text
    assert "Trần Minh Khôi" not in text
    assert "Tổng cộng: 2 lượt người (2 người)" in text
    assert "Nơi nhận" in text
    assert ExportLog.objects.get().rows == 2


def test_the_summary_xlsx(client, staff, commune, people):
    client.force_login(staff)
    response = client.get(summary_url(commune, fmt="xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('danh-sach-boi-duong-2026.xlsx"')
    rows = sheet_rows(xlsx_sheet(body(response)))
    cells = [value for row in rows[:8] for value in row if value]
    assert any(re.fullmatch(r"Số\s+-BC/\w+", str(value)) for value in cells)
    assert any(str(value).startswith("DANH SÁCH CÁN BỘ, ĐẢNG VIÊN DO ") for value in cells)
    header = next(row for row in rows if row[0] == "STT")
    assert header[:5] == ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị"]
    data = {row[1]: row for row in rows if isinstance(row[0], int)}
    assert set(data) == {"Nguyễn Thị Hoa", "Lê Văn Sơn"}
    hoa = dict(zip(header, data["Nguyễn Thị Hoa"], strict=False))
    assert hoa["Năm sinh"] == 1988
    assert hoa["Số GCN"] == "12-GCN/TTCT"
    assert hoa["Kết quả"] == "Hoàn thành" and hoa["Xếp loại"] == "Giỏi (8,5)"
    assert ExportLog.objects.get().user == staff


def test_a_sub_unit_alone_has_no_unit_column(client, liaison, cell, people):
    client.force_login(liaison)
    rows = sheet_rows(xlsx_sheet(body(client.get(summary_url(cell, fmt="xlsx")))))
    header = next(row for row in rows if row[0] == "STT")
    assert "Đơn vị" not in header
    assert [row[1] for row in rows if isinstance(row[0], int)] == ["Lê Văn Sơn"]


def test_an_empty_year_says_so_once(client, liaison, commune):
    client.force_login(liaison)
    text = " ".join(pdf_text(body(client.get(summary_url(commune, year=2021)))).split())
    empty = "không có cán bộ, đảng viên nào học xong lớp bồi dưỡng"
    assert text.count(empty) == 1
    assert "Họ và tên" not in text  # no empty table around it
    rows = sheet_rows(xlsx_sheet(body(client.get(summary_url(commune, year=2021, fmt="xlsx")))))
    assert sum(empty in str(value) for row in rows for value in row) == 1
    assert not any(row[0] == "STT" for row in rows)


def test_classes_not_finished_are_counted_not_listed(client, centre, liaison, commune, people):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    waiting = builders.make_trainee(centre, unit=commune, full_name="Đỗ Văn Chờ")
    builders.make_enrolment(course, trainee=waiting, unit=commune)
    client.force_login(liaison)
    text = " ".join(pdf_text(body(client.get(summary_url(commune)))).split())
    assert "Đỗ Văn Chờ" not in text and "Chưa có kết quả" not in text
    assert "Chưa tính 1 lượt người của 1 lớp chưa kết thúc (chưa có kết quả)." in text
    assert "Tổng cộng: 2 lượt người (2 người)" in text
    rows = sheet_rows(xlsx_sheet(body(client.get(summary_url(commune, fmt="xlsx")))))
    assert "Đỗ Văn Chờ" not in [row[1] for row in rows]
    assert any("Chưa tính 1 lượt người" in str(row[0]) for row in rows)
    assert ExportLog.objects.last().rows == 2


@pytest.mark.parametrize("fmt", ["doc", "PDF"])
def test_an_unknown_format_does_not_exist(client, liaison, commune, fmt):
    client.force_login(liaison)
    assert client.get(summary_url(commune, fmt=fmt)).status_code == 404


def test_another_units_summary_does_not_exist(client, liaison, agency):
    client.force_login(liaison)
    assert client.get(summary_url(agency)).status_code == 404
    assert not ExportLog.objects.exists()


def test_the_summary_reads_a_fixed_number_of_queries(client, centre, liaison, commune, cell):
    def add_people(count):
        people = [
            (builders.make_trainee(centre, unit=unit), unit) for unit in [commune, cell] * count
        ]
        _, enrolments = closed_with_results(centre, people)
        for enrolment in enrolments:
            make_certificate(enrolment, 100 + enrolment.pk)

    client.force_login(liaison)
    counts = []
    for count in (2, 6):
        add_people(count)
        with CaptureQueriesContext(connection) as queries:
            body(client.get(summary_url(commune, fmt="xlsx")))
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_unit_under_the_liaisons_own_gets_no_letter_deeper_than_the_liaisons_scope(
    client, centre, liaison, cell
):
    """The commune's liaison reaches two levels down: opening its Party cell's page, the letter of
    a group two levels under the cell (three under the commune) stays out."""
    group = builders.make_unit(centre, name="Tổ đảng số 1", parent=cell)
    deep = builders.make_unit(centre, name="Nhóm nòng cốt tổ 1", parent=group)
    son = builders.make_trainee(centre, unit=cell, full_name="Lê Văn Sơn")
    tu = builders.make_trainee(centre, unit=deep, full_name="Đặng Văn Tư")
    course, _ = closed_with_results(centre, [(son, cell), (tu, deep)])
    client.force_login(liaison)

    response = client.get(reverse("donvi:result_notice", args=[cell.pk, course.pk]))

    assert response.status_code == 200
    text = pdf_text(body(response))
    assert "Kính gửi: Chi bộ khu phố 3" in text and "Lê Văn Sơn" in text
    assert "Nhóm nòng cốt tổ 1" not in text and "Đặng Văn Tư" not in text
    assert ExportLog.objects.get().rows == 1

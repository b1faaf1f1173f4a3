"""The lecturer hours pages (trungtam/reports/hours_views.py): who may see them, what they show,
the logged downloads, and a lecturer's own hours."""

import datetime
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giangvien.models import LecturerKind
from lophoc.models import SessionKind, SessionPart
from tests import builders
from tests.pdf_reading import pdf_pages
from trungtam.models import ExportLog

pytestmark = pytest.mark.django_db

YEAR = 2026
TODAY = datetime.date(2026, 12, 31)  # "today" for these tests: the report date of the page


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Sessions after today are planned, not taught: a fixed today, never the wall clock."""
    monkeypatch.setattr("trungtam.reports.hours_views.timezone.localdate", lambda: TODAY)
    return TODAY


def page(**query) -> str:
    url = reverse("reports:hours")
    query.setdefault("nam", YEAR)
    return url + "?" + "&".join(f"{key}={value}" for key, value in query.items())


def pdf_url(centre, year=YEAR) -> str:
    return reverse("reports:hours_pdf", args=[centre.pk, year])


def xlsx_url(centre, year=YEAR) -> str:
    return reverse("reports:hours_xlsx", args=[centre.pk, year])


@pytest.fixture
def teaching(centre):
    """A full-time lecturer and a guest who taught a class of the centre in 2026."""
    centre.guest_rate_per_period = 200_000
    centre.save()
    course = builders.make_course(centre, code="KND-07/2026", status="closed")
    full_time = builders.make_lecturer(centre, full_name="Nguyễn Văn Chính", title="ThS.")
    guest = builders.make_lecturer(centre, full_name="Hồ Thị Mời", kind=LecturerKind.GUEST)
    builders.make_session(course, lecturer=full_time, periods=4)
    builders.make_session(
        course,
        lecturer=full_time,
        kind=SessionKind.DISCUSSION,
        periods=4,
        part=SessionPart.AFTERNOON,
    )
    builders.make_session(
        course, lecturer=guest, periods=5, date=course.start_date + datetime.timedelta(days=1)
    )
    return course


# --- who may see it ---


@pytest.mark.parametrize("name", ["hours", "my_hours"])
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(f"reports:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_downloads_are_sent_to_log_in(client, centre):
    for url in (pdf_url(centre), xlsx_url(centre)):
        assert client.get(url).status_code == 302
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("who", ["staff", "admin_user", "official", "superuser"])
def test_staff_admins_and_officials_see_the_report(client, request, who, centre, teaching):
    client.force_login(request.getfixturevalue(who))
    query = {"trung_tam": centre.pk} if who == "superuser" else {}
    response = client.get(page(**query))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nguyễn Văn Chính" in content and "Hồ Thị Mời" in content
    assert "1.000.000 đ" in content  # the guest: 5 periods × 200.000 đ
    assert 'data-link="hours-pdf"' in content


def test_lecturers_get_403_for_the_centre_report(client, lecturer, centre, teaching):
    client.force_login(lecturer)
    assert client.get(page()).status_code == 403
    assert client.get(page(trung_tam=centre.pk)).status_code == 403
    assert client.get(pdf_url(centre)).status_code == 403
    assert client.get(xlsx_url(centre)).status_code == 403
    assert not ExportLog.objects.exists()


def test_another_centre_answers_404(client, other_staff, lecturer, centre, other_centre):
    client.force_login(other_staff)
    assert client.get(page(trung_tam=centre.pk)).status_code == 404
    assert client.get(pdf_url(centre)).status_code == 404
    assert client.get(xlsx_url(centre)).status_code == 404
    assert client.get(page(trung_tam="abc")).status_code == 404
    client.force_login(lecturer)
    assert client.get(page(trung_tam=other_centre.pk)).status_code == 404
    assert client.get(pdf_url(other_centre)).status_code == 404
    assert not ExportLog.objects.exists()


def test_an_official_of_one_centre_cannot_open_another(client, official, other_centre):
    client.force_login(official)
    assert client.get(page(trung_tam=other_centre.pk)).status_code == 404
    assert client.get(pdf_url(other_centre)).status_code == 404


def test_a_province_official_chooses_a_centre_first(
    client, province_official, centre, other_centre, teaching
):
    client.force_login(province_official)
    response = client.get(page())
    assert response.status_code == 200
    content = response.content.decode()
    assert centre.name in content and other_centre.name in content
    assert f"trung_tam={centre.pk}" in content
    assert "Nguyễn Văn Chính" not in content

    response = client.get(page(trung_tam=centre.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nguyễn Văn Chính" in content
    assert f'name="trung_tam" value="{centre.pk}"' in content  # kept when the year changes
    assert client.get(pdf_url(other_centre)).status_code == 200


# --- what the page shows ---


def test_the_page_shows_norms_overtime_and_amounts(client, staff, centre, teaching):
    client.force_login(staff)
    content = client.get(page()).content.decode()
    # 4 lecture + 4 discussion × 0,5 = 6,0 standard hours of a norm of 120: 5,0%, 114 missing.
    assert "6,0" in content and "5,0%" in content and "-114,0" in content
    assert "thiếu giờ" in content
    assert "KND-07/2026" in content
    assert reverse("lophoc:course_detail", args=[teaching.pk]) in content
    lecturer_id = teaching.sessions.first().lecturer_id
    assert reverse("giangvien:lecturer_detail", args=[lecturer_id]) in content
    assert "200.000 đ" in content  # the rate, in the notes


def test_an_official_sees_no_link_to_the_lecturer_records(client, official, teaching):
    client.force_login(official)
    content = client.get(page()).content.decode()
    assert "Nguyễn Văn Chính" in content
    assert "/giang-vien/" not in content


def test_a_year_without_anything_says_what_to_do(client, staff, centre):
    client.force_login(staff)
    content = client.get(page()).content.decode()
    assert "data-empty" in content
    assert reverse("giangvien:lecturer_create") in content
    assert 'data-link="hours-pdf"' not in content


def test_the_page_runs_the_same_queries_for_three_times_the_data(client, staff, centre):
    client.force_login(staff)

    def grow(count: int) -> None:
        for index in range(count):
            for kind in (LecturerKind.FULL_TIME, LecturerKind.PART_TIME, LecturerKind.GUEST):
                lecturer = builders.make_lecturer(centre, kind=kind)
                course = builders.make_course(centre, start_date=datetime.date(2026, 5, 1 + index))
                builders.make_session(course, lecturer=lecturer)
                builders.make_session(
                    course, lecturer=lecturer, kind=SessionKind.EXAM, part=SessionPart.AFTERNOON
                )

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    grow(2)
    small = (count(page()), count(pdf_url(centre)), count(xlsx_url(centre)))
    grow(4)
    assert (count(page()), count(pdf_url(centre)), count(xlsx_url(centre))) == small


# --- downloads ---


def test_the_pdf_download_is_logged(client, staff, centre, teaching):
    client.force_login(staff)
    response = client.get(pdf_url(centre))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "GG-2026-TTA_bang-tong-hop-gio-giang.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = " ".join(" ".join(pdf_pages(b"".join(response.streaming_content))).split())
    assert "BẢNG TỔNG HỢP GIỜ GIẢNG NĂM 2026" in text
    assert "Nguyễn Văn Chính" in text and "1.000.000" in text
    assert staff.full_name in text  # the maker signs "Người lập biểu"
    log = ExportLog.objects.get()
    assert log.user == staff and log.centre == centre and log.rows == 2
    assert log.filename == "GG-2026-TTA_bang-tong-hop-gio-giang.pdf"
    assert "giờ giảng năm 2026" in log.description


def test_the_xlsx_download_is_logged_and_reads_back(client, official, centre, teaching):
    client.force_login(official)
    response = client.get(xlsx_url(centre))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content))).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    guest = next(row for row in values if isinstance(row[1], str) and "Hồ Thị Mời" in row[1])
    assert guest[8] == 5 and guest[13] == 1_000_000
    assert ExportLog.objects.get().filename.endswith(".xlsx")


def test_a_year_out_of_range_is_404(client, staff, centre):
    client.force_login(staff)
    assert client.get(pdf_url(centre, 1999)).status_code == 404
    assert not ExportLog.objects.exists()


def test_a_bad_year_in_the_page_falls_back_to_this_year(client, staff):
    client.force_login(staff)
    response = client.get(reverse("reports:hours") + "?nam=abc")
    assert response.status_code == 200
    assert response.context["year"] == TODAY.year


# --- a lecturer's own hours ---


def test_a_lecturer_sees_only_their_own_hours(client, lecturer, centre, teaching):
    own = lecturer.lecturer
    builders.make_session(teaching, lecturer=own, periods=3, part=SessionPart.EVENING)
    client.force_login(lecturer)
    response = client.get(reverse("reports:my_hours") + f"?nam={YEAR}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Lê Thị Hồng" in content and "KND-07/2026" in content
    assert "Nguyễn Văn Chính" not in content and "Hồ Thị Mời" not in content
    assert 'data-link="hours-pdf"' not in content
    assert [row.lecturer_id for row in response.context["report"].lecturers] == [own.pk]


def test_a_login_without_a_lecturer_record_has_no_own_hours(client, staff):
    client.force_login(staff)
    assert client.get(reverse("reports:my_hours")).status_code == 404


# --- only what was taught is paid (issue 13, item 15) ---


def test_sessions_after_today_show_as_planned_and_are_not_paid(
    client, staff, centre, teaching, monkeypatch
):
    later = builders.make_course(
        centre, code="DVM-08/2026", status="enrolling", start_date=datetime.date(2026, 12, 28)
    )
    guest = teaching.sessions.get(periods=5).lecturer
    builders.make_session(later, lecturer=guest, periods=4)
    monkeypatch.setattr(
        "trungtam.reports.hours_views.timezone.localdate", lambda: datetime.date(2026, 12, 20)
    )
    client.force_login(staff)
    response = client.get(page())
    row = next(r for r in response.context["report"].lecturers if r.lecturer_id == guest.pk)
    assert (row.periods, row.planned_periods, row.amount_due) == (5, 4, 1_000_000)
    content = response.content.decode()
    assert "đến ngày 20/12/2026" in content
    assert "Dự kiến sau ngày 20/12/2026: 1 buổi, 4 tiết" in content
    text = " ".join(
        " ".join(pdf_pages(b"".join(client.get(pdf_url(centre)).streaming_content))).split()
    )
    assert "(Từ ngày 01/01/2026 đến ngày 20/12/2026)" in text
    assert "Dự kiến sau ngày 20/12/2026: 1 buổi, 4 tiết" in text

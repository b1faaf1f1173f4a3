"""The nominee import from the class page: upload → preview → confirm, per role."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import Trainee, Unit
from lophoc.models import CourseStatus, Enrolment
from lophoc.views.imports import SESSION_KEY, _course_url
from tests import builders
from tests.lophoc.nominee_files import (
    first_data_row,
    national_id,
    nominee,
    person_name,
    tcvn3,
    xls,
    xlsx,
    xlsx_people,
)
from trungtam.context_processors import navigation

ROW = first_data_row()
pytestmark = pytest.mark.django_db


def counts():
    return (Trainee.objects.count(), Unit.objects.count(), Enrolment.objects.count())


def upload_url(course):
    return reverse("lophoc:import_upload", args=[course.pk])


def preview_url(course):
    return reverse("lophoc:import_preview", args=[course.pk])


def confirm_url(course):
    return reverse("lophoc:import_confirm", args=[course.pk])


def upload(client, course, content, name="danh-sach.xlsx"):
    return client.post(upload_url(course), {"file": SimpleUploadedFile(name, content)})


def pending_sha(client):
    return builders.pending_upload_of(client, SESSION_KEY).sha256


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --- permissions ---------------------------------------------------------------------------


def _teaching_lecturer(course, lecturer):
    builders.make_session(course, lecturer=lecturer.lecturer)
    return lecturer


@pytest.mark.parametrize(
    "name", ["import_upload", "import_preview", "import_confirm", "import_cancel"]
)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("other_staff", 404),
        ("official", 403),
        ("province_official", 403),
        ("lecturer", 404),  # a class they do not teach does not exist for them
        ("teaching_lecturer", 403),
    ],
)
def test_only_staff_of_the_centre_may_import(client, request, course, name, who, expected):
    user = (
        _teaching_lecturer(course, request.getfixturevalue("lecturer"))
        if who == "teaching_lecturer"
        else request.getfixturevalue(who)
    )
    client.force_login(user)
    url = reverse(f"lophoc:{name}", args=[course.pk])
    response = client.post(url) if name in ("import_confirm", "import_cancel") else client.get(url)
    assert response.status_code == expected


@pytest.mark.parametrize("name", ["import_upload", "import_preview", "import_confirm"])
def test_anonymous_users_are_sent_to_login(client, course, name):
    response = client.get(reverse(f"lophoc:{name}", args=[course.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["staff", "admin_user", "superuser"])
def test_staff_and_admins_see_the_upload_form(client, request, course, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(upload_url(course))
    assert response.status_code == 200
    assert "Nhập danh sách học viên từ Excel" in response.content.decode()


def test_confirm_and_cancel_are_post_only(staff_client, course):
    assert staff_client.get(confirm_url(course)).status_code == 405
    assert staff_client.get(reverse("lophoc:import_cancel", args=[course.pk])).status_code == 405


# --- the template ----------------------------------------------------------------------------


def test_the_template_download_is_the_exact_format(staff_client):
    response = staff_client.get(reverse("lophoc:import_template"))
    assert response.status_code == 200
    assert 'filename="mau-danh-sach-hoc-vien.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sheet["A1"].value == "DANH SÁCH HỌC VIÊN CỬ ĐI HỌC"
    assert [cell.value for cell in sheet[5]][:4] == [
        "STT",
        "Họ và tên *",
        "Ngày sinh *",
        "Giới tính *",
    ]
    assert sheet["A6"].value == "Ví dụ" and sheet["B6"].value == "Nguyễn Văn An"
    assert sheet["F6"].value == "001090012345"


@pytest.mark.parametrize(("who", "expected"), [("official", 403), ("lecturer", 403)])
def test_the_template_is_for_staff(client, request, who, expected):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("lophoc:import_template")).status_code == expected


# --- the flow --------------------------------------------------------------------------------


def test_upload_preview_confirm_enrols_everyone(staff_client, course, staff):
    existing = builders.make_trainee(course.centre, national_id=national_id(2))
    response = upload(staff_client, course, xlsx_people(3))
    assert response.status_code == 302 and response.url == preview_url(course)
    assert counts() == (1, 0, 0)  # nothing written before confirming

    response = staff_client.get(preview_url(course))
    assert response.status_code == 200
    page = response.content.decode()
    assert person_name(1) in page and "•••••••••001" in page and national_id(1) not in page
    assert "đã có (khớp CCCD)" in page and "mới" in page
    assert "Xã Phú Lợi" in page and "sẽ tạo mới" in page
    totals = response.context["totals"]
    assert (totals["rows"], totals["new"], totals["matched"], totals["new_units"]) == (3, 2, 1, 1)

    response = staff_client.post(confirm_url(course), {"sha256": pending_sha(staff_client)})
    assert response.status_code == 302 and response.url == _course_url(course)
    assert Enrolment.objects.filter(course=course).count() == 3
    assert Enrolment.objects.filter(course=course, trainee=existing).exists()
    assert Trainee.objects.get(national_id=national_id(1)).history.get().history_user == staff
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == (
        f"Đã ghi danh 3 học viên vào lớp {course.code}: 2 học viên mới, 1 học viên đã có "
        "(khớp số CCCD); tạo 1 đơn vị mới."
    )
    assert messages[1].startswith("1 lưu ý")  # the existing record differs from the file
    assert SESSION_KEY not in staff_client.session
    assert staff_client.get(preview_url(course)).url == upload_url(course)


def test_an_xls_file_goes_through_the_same_flow(staff_client, course):
    response = upload(staff_client, course, xls([nominee(1), nominee(2)]), name="danh-sach.xls")
    assert response.status_code == 302
    assert person_name(2) in staff_client.get(preview_url(course)).content.decode()
    staff_client.post(confirm_url(course), {"sha256": pending_sha(staff_client)})
    assert Enrolment.objects.filter(course=course).count() == 2


def test_a_pending_file_expires(staff_client, course):
    upload(staff_client, course, xlsx_people(1))
    pending = builders.pending_upload_of(staff_client, SESSION_KEY)
    pending.created_at = pending.created_at.replace(year=2020)
    pending.save()
    assert staff_client.get(preview_url(course)).url == upload_url(course)
    assert SESSION_KEY not in staff_client.session


def test_a_file_that_is_not_a_workbook_is_refused_next_to_the_field(staff_client, course):
    response = upload(staff_client, course, b"STT,Ho va ten\n1,An\n")
    assert response.status_code == 200
    assert "CSV" in response.context["form"].errors["file"][0]
    assert SESSION_KEY not in staff_client.session
    response = upload(staff_client, course, b"STT,Ho va ten\n", name="danh-sach.csv")
    assert "không phải file Excel" in response.context["form"].errors["file"][0]
    response = upload(staff_client, course, b"", name="danh-sach.xlsx")
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (xlsx([nominee(1), nominee(2, dob="31/02/1990")]), "không phải ngày hợp lệ"),
        (xlsx([nominee(1), nominee(2, cccd="123")]), "không phải số CCCD hợp lệ"),
        (xlsx([nominee(1), nominee(2, cccd=national_id(1))]), "trùng số CCCD với dòng"),
        (xlsx([[1, "Lê Văn Tám"]], header=["STT", "Họ và tên"]), "thiếu cột bắt buộc"),
        (xlsx([nominee(1, name=tcvn3("Nguyễn Văn An"))]), "Unikey"),
        (xlsx([]), "Không có học viên nào"),
    ],
    ids=["date", "national-id", "duplicate", "header", "tcvn3", "no-rows"],
)
def test_bad_files_show_every_error_and_cannot_be_confirmed(
    staff_client, course, content, expected
):
    before = counts()
    assert upload(staff_client, course, content).status_code == 302
    response = staff_client.get(preview_url(course))
    page = response.content.decode()
    assert expected in page
    assert 'data-testid="confirm"' not in page
    assert "Tải lên file đã sửa" in page
    response = staff_client.post(confirm_url(course), {"sha256": pending_sha(staff_client)})
    assert response.status_code == 200 and expected in response.content.decode()
    assert counts() == before


def test_over_capacity_is_shown_and_refused(staff_client, course):
    course.capacity = 2
    course.save()
    upload(staff_client, course, xlsx_people(3))
    page = staff_client.get(preview_url(course)).content.decode()
    assert "Lớp chỉ nhận tối đa 2 học viên" in page and 'data-testid="confirm"' not in page


def test_confirm_checks_again_so_a_class_filled_meanwhile_is_not_overfilled(staff_client, course):
    upload(staff_client, course, xlsx_people(3))
    assert 'data-testid="confirm"' in staff_client.get(preview_url(course)).content.decode()
    course.capacity = 3
    course.save()
    builders.make_enrolment(course)  # someone enrolled a trainee in the meantime
    before = counts()
    response = staff_client.post(confirm_url(course), {"sha256": pending_sha(staff_client)})
    assert response.status_code == 200
    assert "Lớp chỉ nhận tối đa 3 học viên" in response.content.decode()
    assert counts() == before


def test_a_different_pending_file_is_not_confirmed_blindly(staff_client, course):
    upload(staff_client, course, xlsx_people(2))
    before = counts()
    response = staff_client.post(confirm_url(course), {"sha256": "0" * 64})
    assert response.status_code == 302 and response.url == preview_url(course)
    assert counts() == before


def test_confirm_without_a_pending_file_sends_back_to_upload(staff_client, course):
    response = staff_client.post(confirm_url(course), {"sha256": "x"})
    assert response.url == upload_url(course)


def test_cancel_forgets_the_file(staff_client, course):
    upload(staff_client, course, xlsx_people(2))
    response = staff_client.post(reverse("lophoc:import_cancel", args=[course.pk]))
    assert response.status_code == 302 and SESSION_KEY not in staff_client.session
    assert counts() == (0, 0, 0)


def test_a_pending_file_belongs_to_its_class(staff_client, course, centre):
    other = builders.make_course(centre)
    upload(staff_client, course, xlsx_people(2))
    assert staff_client.get(preview_url(other)).url == upload_url(other)


@pytest.mark.parametrize(
    "status", [CourseStatus.GRADING, CourseStatus.CLOSED, CourseStatus.CANCELLED]
)
def test_a_class_not_accepting_enrolments_offers_no_upload(staff_client, centre, status):
    course = builders.make_course(centre, status=status)
    response = staff_client.get(upload_url(course))
    page = response.content.decode()
    assert "không nhận thêm học viên" in page and "Tải lên và xem trước" not in page
    response = upload(staff_client, course, xlsx_people(1))
    assert response.status_code == 200 and SESSION_KEY not in staff_client.session


# --- name + date of birth proposals ------------------------------------------------------------


@pytest.fixture
def look_alike(course):
    return builders.make_trainee(
        course.centre,
        full_name=person_name(1),
        date_of_birth=datetime.date(1990, 2, 2),
        unit=builders.make_unit(course.centre, name="Xã Cũ"),
    )


def test_a_name_and_birth_date_match_is_proposed_with_a_checkbox(staff_client, course, look_alike):
    upload(staff_client, course, xlsx([nominee(1, cccd=None), nominee(2)]))
    response = staff_client.get(preview_url(course))
    page = response.content.decode()
    assert f'name="cung_nguoi_{ROW}" value="{look_alike.pk}"' in page
    assert 'type="checkbox"' in page
    assert f"có thể trùng với {person_name(1)}" in page
    assert "Xã Cũ" in page


def test_a_confirmed_proposal_enrols_the_existing_trainee(staff_client, course, look_alike):
    upload(staff_client, course, xlsx([nominee(1, cccd=None), nominee(2)]))
    staff_client.post(
        confirm_url(course),
        {"sha256": pending_sha(staff_client), f"cung_nguoi_{ROW}": str(look_alike.pk)},
    )
    assert Enrolment.objects.filter(course=course, trainee=look_alike).exists()
    assert Trainee.objects.filter(full_name=person_name(1)).count() == 1
    assert Enrolment.objects.filter(course=course).count() == 2


def test_an_unconfirmed_proposal_creates_a_new_trainee(staff_client, course, look_alike):
    upload(staff_client, course, xlsx([nominee(1, cccd=None)]))
    staff_client.post(confirm_url(course), {"sha256": pending_sha(staff_client)})
    assert not Enrolment.objects.filter(trainee=look_alike).exists()
    assert Trainee.objects.filter(full_name=person_name(1)).count() == 2


def test_several_look_alikes_are_offered_as_a_choice(staff_client, course, look_alike):
    second = builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    upload(staff_client, course, xlsx([nominee(1, cccd=None)]))
    page = staff_client.get(preview_url(course)).content.decode()
    assert page.count(f'type="radio" name="cung_nguoi_{ROW}"') == 3  # two people, or a new one
    staff_client.post(
        confirm_url(course),
        {"sha256": pending_sha(staff_client), f"cung_nguoi_{ROW}": str(second.pk)},
    )
    assert Enrolment.objects.get(course=course).trainee == second


def test_a_forged_choice_is_refused(staff_client, course, look_alike, other_centre):
    stranger = builders.make_trainee(other_centre, full_name=person_name(1))
    upload(staff_client, course, xlsx([nominee(1, cccd=None)]))
    before = counts()
    response = staff_client.post(
        confirm_url(course),
        {"sha256": pending_sha(staff_client), f"cung_nguoi_{ROW}": str(stranger.pk)},
    )
    assert response.status_code == 200 and "không còn đúng" in response.content.decode()
    assert counts() == before


# --- queries and the class page button -------------------------------------------------------


def _preview_queries(client, course, count) -> int:
    rows = [
        nominee(i, cccd=None if i % 3 == 0 else national_id(i), unit=f"Xã Số {i % 4}")
        for i in range(1, count + 1)
    ]
    upload(client, course, xlsx(rows))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(preview_url(course))
    assert response.status_code == 200
    return len(queries)


def test_the_preview_runs_the_same_queries_for_10_or_30_rows(staff_client, course):
    for i in range(1, 31, 2):
        builders.make_trainee(course.centre, national_id=national_id(i))
    for i in (3, 6):
        builders.make_trainee(
            course.centre,
            full_name=person_name(i),
            date_of_birth=datetime.date(1990, 1 + i % 12, 1 + i),
            unit=builders.make_unit(course.centre),
        )
    builders.make_unit(course.centre, name="Xã Số 1")
    assert _preview_queries(staff_client, course, 10) == _preview_queries(staff_client, course, 30)


def _button(user, course) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "lophoc/includes/course_import_button.html",
        {"course": course, **navigation(request)},
        request=request,
    )


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (CourseStatus.PLANNED, True),
        (CourseStatus.ENROLLING, True),
        (CourseStatus.IN_PROGRESS, True),
        (CourseStatus.GRADING, False),
        (CourseStatus.CLOSED, False),
    ],
)
def test_the_class_page_button_shows_while_the_class_accepts_enrolments(
    staff, centre, status, shown
):
    course = builders.make_course(centre, status=status)
    html = _button(staff, course)
    assert ("Nhập danh sách từ Excel" in html) is shown
    assert (reverse("lophoc:import_template") in html) is shown


@pytest.mark.parametrize("who", ["official", "lecturer"])
def test_the_class_page_button_is_hidden_without_the_right(request, course, who):
    assert "Nhập danh sách" not in _button(request.getfixturevalue(who), course)

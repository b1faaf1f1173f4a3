"""Who sees a trainee's personal data (DESIGN §8b): staff and admins see the record in full;
lecturers see on their classes' pages only what teaching needs; officials never open a person.
"""

import datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders

# Values that identify or profile the person and must not leave the pages of those who manage it.
SENSITIVE = ["Tày", "Phật giáo", "03/02/2015"]
RESTRICTED = ["001203004567", "0912 345 678", "an.nguyen@example.vn"]


@pytest.fixture
def trainee(centre):
    return builders.make_trainee(
        centre,
        full_name="Nguyễn Văn An",
        national_id="001203004567",
        unit=builders.make_unit(centre, name="Phường Phú Lợi"),
        ethnicity="Tày",
        religion="Phật giáo",
        is_party_member=True,
        party_joined_on=datetime.date(2015, 2, 3),
        phone="0912 345 678",
        email="an.nguyen@example.vn",
    )


@pytest.fixture
def taught(centre, lecturer, trainee):
    """A class the lecturer teaches, in grading, with the trainee enrolled and graded."""
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    session = builders.make_session(course, lecturer=lecturer.lecturer)
    enrolment = builders.make_enrolment(course, trainee, unit=trainee.unit)
    assessment = builders.make_assessment(course)
    builders.make_score(enrolment, assessment, "7.5")
    return course, session


TRAINEE_PAGES = ["trainee_detail", "trainee_edit", "trainee_export", "trainee_delete"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", TRAINEE_PAGES)
@pytest.mark.parametrize(
    "role, status",
    [
        ("lecturer", 403),
        ("official", 403),
        ("province_official", 403),
        ("other_staff", 404),
    ],
)
def test_only_those_who_manage_records_open_a_person(client, request, trainee, page, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"hocvien:{page}", args=[trainee.pk])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["lecturer", "official", "province_official"])
def test_lists_of_people_are_closed_to_read_only_roles(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("hocvien:trainee_list")).status_code == 403
    assert client.get(reverse("hocvien:unit_list")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_staff_and_admins_see_the_record_in_full(client, request, trainee, role):
    client.force_login(request.getfixturevalue(role))
    text = client.get(reverse("hocvien:trainee_detail", args=[trainee.pk])).text
    for value in SENSITIVE + RESTRICTED:
        assert value in text, value


@pytest.mark.django_db
def test_the_list_masks_the_national_id_and_shows_no_sensitive_field(client, staff, trainee):
    client.force_login(staff)
    text = client.get(reverse("hocvien:trainee_list")).text
    assert "Nguyễn Văn An" in text
    assert trainee.masked_national_id in text and "•••567" in text
    for value in SENSITIVE + RESTRICTED:
        assert value not in text, value


@pytest.mark.django_db
def test_a_lecturer_sees_name_birth_date_and_unit_only(client, lecturer, trainee, taught):
    course, session = taught
    client.force_login(lecturer)
    pages = [
        reverse("lophoc:course_detail", args=[course.pk]),
        reverse("lophoc:attendance_edit", args=[session.pk]),
        reverse("lophoc:grade_grid", args=[course.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Nguyễn Văn An" in response.text
        for value in SENSITIVE + RESTRICTED:
            assert value not in response.text, (page, value)


@pytest.mark.django_db
def test_the_grade_sheet_a_lecturer_downloads_has_no_sensitive_field(
    client, lecturer, trainee, taught
):
    course, _ = taught
    client.force_login(lecturer)
    response = client.get(reverse("lophoc:grade_sheet_download", args=[course.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.getvalue()))
    cells = [
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert any("Nguyễn Văn An" in cell for cell in cells)
    for value in SENSITIVE + RESTRICTED:
        assert not any(value in cell for cell in cells), value


@pytest.mark.django_db
def test_an_official_reading_a_class_sees_no_personal_detail(client, official, trainee, taught):
    course, _ = taught
    client.force_login(official)
    response = client.get(reverse("lophoc:course_detail", args=[course.pk]))
    assert response.status_code == 200
    for value in SENSITIVE + RESTRICTED:
        assert value not in response.text, value
    # Nor a way into the person's record.
    assert reverse("hocvien:trainee_detail", args=[trainee.pk]) not in response.text


@pytest.mark.django_db
def test_the_admin_list_of_trainees_masks_the_national_id(client, admin_user, trainee):
    client.force_login(admin_user)
    text = client.get(reverse("admin:hocvien_trainee_changelist")).text
    assert "Nguyễn Văn An" in text and trainee.masked_national_id in text
    for value in SENSITIVE + RESTRICTED:
        assert value not in text, value

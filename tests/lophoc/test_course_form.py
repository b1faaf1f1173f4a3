"""Opening a class from a program, editing it and its topics: steps, refusals, roles."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lophoc.models import (
    CertificateIssuer,
    Course,
    CourseStatus,
    ProgramAssessment,
    ProgramTopic,
    Topic,
    Venue,
)
from tests import builders
from trungtam.models import Role

CREATE = reverse("lophoc:course_create")


def edit_url(course):
    return reverse("lophoc:course_edit", args=[course.pk])


def topics_url(course):
    return reverse("lophoc:course_topics", args=[course.pk])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def details(**overrides):
    values = {
        "code": "KND-01/2026",
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa 1",
        "start_date": "02/03/2026",
        "end_date": "06/03/2026",
        "venue": "Hội trường Trung tâm",
        "capacity": "60",
        "is_assessed": "on",
        "certificate_issuer": CertificateIssuer.CENTRE,
        "absence_limit_percent": "20",
        "partner_name": "",
        "notes": "",
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture(autouse=True)
def venues(db, request):
    """The centre's list of venues that the forms below choose from."""
    if "centre" not in request.fixturenames:
        return []
    centre = request.getfixturevalue("centre")
    names = ["Hội trường Trung tâm", "Hội trường B", "Phòng 2", "Nơi mới"]
    return [Venue.objects.create(centre=centre, name=name) for name in names]


@pytest.fixture
def program(centre):
    program = builders.make_program(
        centre, code="KND", name="Bồi dưỡng nhận thức về Đảng", default_days=5
    )
    ProgramTopic.objects.create(program=program, order=1, title="Chuyên đề 1", periods=4)
    ProgramTopic.objects.create(program=program, order=2, title="Chuyên đề 2", periods=4)
    ProgramAssessment.objects.create(program=program, name="Bài thu hoạch", is_final=True)
    return program


def step_url(program, day="02/03/2026", **extra):
    query = "&".join(
        f"{k}={v}" for k, v in {"chuong_trinh": program.pk, "ngay": day, **extra}.items()
    )
    return f"{CREATE}?{query}"


# --- opening ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestCreateAccess:
    def test_anonymous_goes_to_login(self, client):
        response = client.get(CREATE)
        assert response.status_code == 302 and reverse("login") in response["Location"]

    @pytest.mark.parametrize("role", ["official", "lecturer"])
    def test_read_only_roles_get_403(self, client, role, request, program):
        client.force_login(request.getfixturevalue(role))
        assert client.get(CREATE).status_code == 403
        assert client.post(step_url(program), details()).status_code == 403
        assert not Course.objects.exists()


@pytest.mark.django_db
class TestCreate:
    @pytest.fixture
    def logged_in(self, client, staff):
        client.force_login(staff)
        return client

    def test_first_step_offers_the_active_programs_of_the_centre(
        self, logged_in, program, centre, other_centre
    ):
        retired = builders.make_program(centre, active=False)
        foreign = builders.make_program(other_centre)
        response = logged_in.get(CREATE)
        assert response.status_code == 200
        choices = list(response.context["form"].fields["program"].queryset)
        assert program in choices and retired not in choices and foreign not in choices

    def test_a_program_of_another_centre_is_refused(self, logged_in, program, other_centre):
        foreign = builders.make_program(other_centre)
        response = logged_in.get(step_url(foreign))
        assert response.context["step"] == "start"
        assert "Hãy chọn một chương trình trong danh sách." in response.text

    def test_a_bad_date_in_the_first_step(self, logged_in, program):
        response = logged_in.get(step_url(program, day="31/02/2026"))
        assert response.context["step"] == "start"
        assert "Hãy nhập ngày theo dạng ngày/tháng/năm" in response.text

    def test_second_step_is_prefilled_from_the_program(self, logged_in, program, centre):
        builders.make_course(
            centre, program=program, code="X", start_date=datetime.date(2026, 1, 5)
        )
        response = logged_in.get(step_url(program, day="05/03/2026"))
        assert response.context["step"] == "details"
        form = response.context["form"]
        assert form.initial["code"] == "KND-02/2026"
        assert form.initial["start_date"] == datetime.date(2026, 3, 5)  # day first
        assert form.initial["end_date"] == datetime.date(2026, 3, 9)
        assert form.initial["name"] == "Lớp bồi dưỡng nhận thức về Đảng"
        assert form.initial["absence_limit_percent"] == "20"
        assert 'value="KND-02/2026"' in response.text
        assert 'value="09/03/2026"' in response.text
        assert "Chuyên đề 1" in response.text

    def test_going_back_to_the_first_step_keeps_the_choice(self, logged_in, program):
        response = logged_in.get(step_url(program, doi=1))
        assert response.context["step"] == "start"
        assert response.context["form"]["start_date"].value() == "02/03/2026"

    def test_opening_copies_topics_and_assessments(self, logged_in, program, staff):
        response = logged_in.post(step_url(program), details())
        course = Course.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("lophoc:course_detail", args=[course.pk])
        assert course.code == "KND-01/2026" and course.status == CourseStatus.PLANNED
        assert course.start_date == datetime.date(2026, 3, 2)
        assert course.program == program and course.centre == program.centre
        assert course.topics.count() == 2 and course.assessments.count() == 1
        assert flash(response)[0].startswith("Đã mở lớp KND-01/2026")

    def test_rules_typed_on_the_form_win(self, logged_in, program):
        logged_in.post(
            step_url(program),
            details(
                is_assessed=None,
                absence_limit_percent="10",
                certificate_issuer=CertificateIssuer.PARTNER,
                partner_name="Trường Chính trị tỉnh",
            ),
        )
        course = Course.objects.get()
        assert course.is_assessed is False
        assert course.absence_limit_percent == Decimal("10")
        assert course.certificate_issuer == CertificateIssuer.PARTNER
        assert course.partner_name == "Trường Chính trị tỉnh"

    def test_a_blank_code_is_asked_for(self, logged_in, program):
        response = logged_in.post(step_url(program), details(code=""))
        assert response.context["form"].errors["code"] == ["Hãy nhập mã lớp, ví dụ KND-01/2026."]
        assert not Course.objects.exists()

    def test_a_taken_code_is_refused_next_to_the_field(self, logged_in, program, centre):
        builders.make_course(centre, code="KND-01/2026", name="Lớp đã có")
        response = logged_in.post(step_url(program), details(venue="Phòng 2"))
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "Lớp đã có" in errors["code"][0]
        assert 'value="Phòng 2"' in response.text  # what was typed is kept
        assert Course.objects.count() == 1

    @pytest.mark.parametrize(
        "field,value,message",
        [
            ("end_date", "01/03/2026", "Ngày bế giảng không được trước ngày khai giảng."),
            ("end_date", "30/02/2026", "Hãy nhập ngày theo dạng ngày/tháng/năm"),
            ("capacity", "0", "Sĩ số tối đa phải lớn hơn 0"),
            ("absence_limit_percent", "120", "100"),
            ("name", "", "Hãy nhập tên lớp."),
        ],
    )
    def test_bad_values_are_refused(self, logged_in, program, field, value, message):
        response = logged_in.post(step_url(program), details(**{field: value}))
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert any(message in error for error in errors.get(field, [])), errors
        assert not Course.objects.exists()

    def test_dates_are_read_day_first(self, logged_in, program):
        logged_in.post(step_url(program), details(start_date="05/03/2026", end_date="09/03/2026"))
        course = Course.objects.get()
        assert (course.start_date, course.end_date) == (
            datetime.date(2026, 3, 5),
            datetime.date(2026, 3, 9),
        )

    def test_no_program_yet_says_what_to_do(self, logged_in):
        response = logged_in.get(CREATE)
        assert "chưa có chương trình nào" in response.text


@pytest.mark.django_db
class TestProvinceWideAdmin:
    @pytest.fixture
    def province_admin(self, db):
        return builders.make_user(role=Role.ADMIN, centre=None, username="tinh_admin")

    def test_chooses_the_centre_then_its_programs(
        self, client, province_admin, centre, other_centre, program
    ):
        foreign = builders.make_program(other_centre)
        client.force_login(province_admin)
        response = client.get(CREATE)
        assert response.context["step"] == "centre"
        response = client.get(CREATE, {"trung_tam": centre.pk})
        assert response.context["step"] == "start"
        choices = list(response.context["form"].fields["program"].queryset)
        assert program in choices and foreign not in choices
        assert f'name="trung_tam" value="{centre.pk}"' in response.text
        response = client.get(
            CREATE, {"trung_tam": centre.pk, "chuong_trinh": foreign.pk, "ngay": "02/03/2026"}
        )
        assert response.context["step"] == "start"
        url = f"{step_url(program)}&trung_tam={centre.pk}"
        response = client.post(url, details())
        assert response.status_code == 302
        assert Course.objects.get().centre == centre


# --- editing ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestEdit:
    def test_roles(self, client, course, official, other_staff, lecturer):
        assert client.get(edit_url(course)).status_code == 302
        client.force_login(other_staff)
        assert client.get(edit_url(course)).status_code == 404
        client.force_login(official)
        assert client.get(edit_url(course)).status_code == 403
        assert client.post(edit_url(course), details()).status_code == 403
        client.force_login(lecturer)
        assert client.get(edit_url(course)).status_code == 404
        builders.make_session(course, lecturer=lecturer.lecturer)
        assert client.get(edit_url(course)).status_code == 403

    def test_staff_edits(self, client, staff, course):
        client.force_login(staff)
        page = client.get(edit_url(course))
        assert page.status_code == 200
        assert f'value="{course.code}"' in page.text
        assert 'value="02/03/2026"' in page.text
        response = client.post(
            edit_url(course),
            details(code="KND-09/2026", venue="Hội trường B", absence_limit_percent="15"),
        )
        assert response.status_code == 302
        course.refresh_from_db()
        assert (course.code, course.venue, course.absence_limit_percent) == (
            "KND-09/2026",
            "Hội trường B",
            Decimal("15"),
        )
        assert flash(response) == ["Đã lưu thông tin lớp KND-09/2026."]

    def test_percentages_are_read_and_shown_the_vietnamese_way(self, client, staff, course):
        client.force_login(staff)
        page = client.get(edit_url(course))
        assert 'name="absence_limit_percent" value="20"' in page.text
        client.post(edit_url(course), details(code=course.code, absence_limit_percent="12,5"))
        course.refresh_from_db()
        assert course.absence_limit_percent == Decimal("12.5")
        page = client.get(edit_url(course))
        assert 'name="absence_limit_percent" value="12,5"' in page.text

    def test_capacity_below_the_trainees_is_refused_next_to_the_field(self, client, staff, course):
        builders.make_enrolment(course)
        builders.make_enrolment(course)
        client.force_login(staff)
        response = client.post(edit_url(course), details(capacity="1", venue="Nơi mới"))
        assert response.status_code == 200
        assert "2 học viên đang học" in response.context["form"].errors["capacity"][0]
        assert 'value="Nơi mới"' in response.text
        course.refresh_from_db()
        assert course.capacity == 60

    def test_dates_leaving_sessions_out_are_refused(self, client, staff, course):
        builders.make_session(course, date=datetime.date(2026, 3, 6))
        client.force_login(staff)
        response = client.post(edit_url(course), details(end_date="05/03/2026"))
        assert "1 buổi học ngoài khoảng ngày mới" in response.context["form"].errors["end_date"][0]

    def test_a_closed_class_is_not_edited(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        client.force_login(staff)
        response = client.get(edit_url(course))
        assert response.status_code == 302
        assert "Lớp đã kết thúc" in flash(response)[0]
        response = client.post(edit_url(course), details(code="MOI"))
        course.refresh_from_db()
        assert course.code != "MOI"


# --- topics ----------------------------------------------------------------------------------


def topic_data(rows, initial):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{n}-{key}"] = value
    return data


@pytest.mark.django_db
class TestTopics:
    def test_roles(self, client, course, official, other_staff):
        client.force_login(other_staff)
        assert client.get(topics_url(course)).status_code == 404
        client.force_login(official)
        assert client.get(topics_url(course)).status_code == 403

    def test_add_rename_remove(self, client, staff, course):
        first = Topic.objects.create(course=course, order=1, title="Một", periods=4)
        second = Topic.objects.create(course=course, order=2, title="Hai", periods=4)
        client.force_login(staff)
        assert client.get(topics_url(course)).status_code == 200
        response = client.post(
            topics_url(course),
            topic_data(
                [
                    {"id": first.pk, "order": 1, "title": "Một (sửa)", "periods": 6},
                    {"id": second.pk, "order": 2, "title": "Hai", "periods": 4, "DELETE": "on"},
                    {"order": 3, "title": "Ba", "periods": 2},
                    {"order": 4, "title": "", "periods": 4},  # a blank row left alone
                ],
                initial=2,
            ),
        )
        assert response.status_code == 302
        assert list(course.topics.values_list("title", "periods")) == [
            ("Một (sửa)", 6),
            ("Ba", 2),
        ]
        assert "Đã lưu danh sách chuyên đề" in flash(response)[0]

    def test_a_topic_in_the_timetable_is_kept(self, client, staff, course):
        topic = Topic.objects.create(course=course, order=1, title="Một", periods=4)
        builders.make_session(course, topic=topic)
        client.force_login(staff)
        response = client.post(
            topics_url(course),
            topic_data(
                [{"id": topic.pk, "order": 1, "title": "Một", "periods": 4, "DELETE": "on"}], 1
            ),
        )
        assert response.status_code == 200
        assert "đã có 1 buổi học" in response.text
        assert course.topics.count() == 1

    def test_a_title_is_required(self, client, staff, course):
        client.force_login(staff)
        response = client.post(
            topics_url(course), topic_data([{"order": 1, "title": "", "periods": 3}], 0)
        )
        assert response.status_code == 200
        assert not course.topics.exists()


@pytest.mark.django_db
class TestVenues:
    """A class's venue is chosen from the centre's list, so one place has one name."""

    def test_the_form_offers_the_centres_active_venues_only(
        self, client, staff, course, centre, other_centre
    ):
        Venue.objects.create(centre=other_centre, name="Hội trường xã Bình Mỹ")
        Venue.objects.create(centre=centre, name="Phòng cũ", active=False)
        client.force_login(staff)
        text = client.get(edit_url(course)).text
        assert '<option value="Hội trường B">' in text
        assert "Hội trường xã Bình Mỹ" not in text and "Phòng cũ" not in text

    def test_a_venue_off_the_list_is_refused_next_to_the_field(self, client, staff, course):
        client.force_login(staff)
        response = client.post(edit_url(course), details(code=course.code, venue="Hội trường C"))
        assert response.status_code == 200
        assert "Hãy chọn một địa điểm trong danh sách địa điểm học của trung tâm." in response.text
        course.refresh_from_db()
        assert course.venue != "Hội trường C"

    def test_a_class_keeps_a_venue_no_longer_on_the_list(self, client, staff, course):
        type(course).objects.filter(pk=course.pk).update(venue="Nhà văn hóa khu phố 3")
        client.force_login(staff)
        text = client.get(edit_url(course)).text
        assert '<option value="Nhà văn hóa khu phố 3" selected>' in text
        response = client.post(
            edit_url(course), details(code=course.code, venue="Nhà văn hóa khu phố 3")
        )
        assert response.status_code == 302

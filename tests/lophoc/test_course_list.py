"""The class list: scope per role, filters, search, sorting, pagination, constant queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.models import CourseStatus, EnrolmentStatus, ProgramSystem, Venue
from tests import builders

URL = reverse("lophoc:course_list")
THIS_YEAR = timezone.localdate().year


def this_year(month=3, day=2):
    return datetime.date(THIS_YEAR, month, day)


def codes(response):
    return [course.code for course in response.context["page_obj"]]


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_goes_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_staff_sees_their_centre_only(self, client, staff, centre, other_centre):
        builders.make_course(centre, code="MINE", start_date=this_year())
        builders.make_course(other_centre, code="THEIRS", start_date=this_year())
        client.force_login(staff)
        response = client.get(URL)
        assert response.status_code == 200
        assert codes(response) == ["MINE"]
        assert reverse("lophoc:course_create") in response.text

    def test_official_reads_without_a_create_button(self, client, official, centre):
        builders.make_course(centre, code="MINE", start_date=this_year())
        client.force_login(official)
        response = client.get(URL)
        assert response.status_code == 200
        assert codes(response) == ["MINE"]
        assert reverse("lophoc:course_create") not in response.text

    def test_lecturer_sees_only_the_classes_they_teach(self, client, lecturer, centre):
        taught = builders.make_course(centre, code="TAUGHT", start_date=this_year())
        builders.make_session(taught, lecturer=lecturer.lecturer)
        builders.make_course(centre, code="OTHER", start_date=this_year())
        client.force_login(lecturer)
        response = client.get(URL)
        assert codes(response) == ["TAUGHT"]
        assert reverse("lophoc:course_create") not in response.text

    def test_province_official_sees_every_centre(
        self, client, province_official, centre, other_centre
    ):
        builders.make_course(centre, code="A", start_date=this_year())
        builders.make_course(other_centre, code="B", start_date=this_year())
        client.force_login(province_official)
        response = client.get(URL, {"sap_xep": "ma"})
        assert codes(response) == ["A", "B"]
        assert other_centre.name in response.text  # the centre column
        response = client.get(URL, {"trung_tam": other_centre.pk})
        assert codes(response) == ["B"]


@pytest.mark.django_db
class TestFilters:
    @pytest.fixture
    def logged_in(self, client, staff):
        client.force_login(staff)
        return client

    def test_the_current_year_by_default_and_every_year_on_request(self, logged_in, centre):
        builders.make_course(centre, code="NOW", start_date=this_year())
        builders.make_course(centre, code="OLD", start_date=datetime.date(THIS_YEAR - 1, 5, 4))
        assert codes(logged_in.get(URL)) == ["NOW"]
        assert codes(logged_in.get(URL, {"nam": str(THIS_YEAR - 1)})) == ["OLD"]
        assert codes(logged_in.get(URL, {"nam": "tat_ca"})) == ["NOW", "OLD"]

    def test_a_year_without_classes_says_so(self, logged_in, centre):
        builders.make_course(centre, code="OLD", start_date=datetime.date(THIS_YEAR - 1, 5, 4))
        response = logged_in.get(URL)
        assert codes(response) == []
        assert f"Chưa có lớp học nào khai giảng trong năm {THIS_YEAR}" in response.text
        assert "?nam=tat_ca" in response.text

    def test_empty_state_leads_to_opening_a_class(self, logged_in):
        response = logged_in.get(URL, {"nam": "tat_ca"})
        assert "Chưa có lớp học nào." in response.text
        assert reverse("lophoc:course_create") in response.text

    def test_program_system_status_and_venue(self, logged_in, centre, other_centre):
        for name in ("Hội trường A", "Hội trường B"):
            Venue.objects.create(centre=centre, name=name)
        Venue.objects.create(centre=other_centre, name="Hội trường xã Bình Mỹ")
        party = builders.make_program(centre, system=ProgramSystem.PARTY)
        state = builders.make_program(centre, system=ProgramSystem.STATE)
        builders.make_course(
            centre, program=party, code="P1", start_date=this_year(), venue="Hội trường A"
        )
        builders.make_course(
            centre,
            program=state,
            code="S1",
            start_date=this_year(),
            status=CourseStatus.ENROLLING,
            venue="Hội trường B",
        )
        assert codes(logged_in.get(URL, {"chuong_trinh": party.pk})) == ["P1"]
        assert codes(logged_in.get(URL, {"he": ProgramSystem.STATE})) == ["S1"]
        assert codes(logged_in.get(URL, {"trang_thai": CourseStatus.ENROLLING})) == ["S1"]
        assert codes(logged_in.get(URL, {"dia_diem": "Hội trường A"})) == ["P1"]
        # The filter lists the centre's venues, not whatever text classes happen to hold.
        text = logged_in.get(URL).text
        assert '<option value="Hội trường B">' in text
        assert "Hội trường xã Bình Mỹ" not in text
        response = logged_in.get(URL, {"trang_thai": CourseStatus.CLOSED})
        assert "Không có lớp nào khớp điều kiện lọc" in response.text

    def test_search_by_code_or_name(self, logged_in, centre):
        builders.make_course(centre, code="KND-01/2026", name="Lớp một", start_date=this_year())
        builders.make_course(
            centre, code="QP-01/2026", name="Lớp quốc phòng an ninh", start_date=this_year()
        )
        assert codes(logged_in.get(URL, {"q": "knd-01"})) == ["KND-01/2026"]
        assert codes(logged_in.get(URL, {"q": "quốc phòng"})) == ["QP-01/2026"]

    def test_another_centres_program_is_not_a_choice(self, logged_in, centre, other_centre):
        foreign = builders.make_program(other_centre)
        builders.make_course(centre, code="MINE", start_date=this_year())
        response = logged_in.get(URL, {"chuong_trinh": foreign.pk})
        assert response.context["form"].errors["program"]
        assert codes(response) == ["MINE"]  # an invalid filter filters nothing out


@pytest.mark.django_db
class TestColumns:
    def test_enrolled_counts_active_trainees_only(self, client, staff, centre):
        course = builders.make_course(centre, start_date=this_year(), capacity=40)
        builders.make_enrolment(course)
        builders.make_enrolment(course)
        builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
        client.force_login(staff)
        response = client.get(URL)
        assert response.context["page_obj"][0].active_count == 2
        assert "2/40" in response.text

    def test_dates_are_day_first(self, client, staff, centre):
        builders.make_course(
            centre,
            start_date=datetime.date(THIS_YEAR, 3, 5),
            end_date=datetime.date(THIS_YEAR, 3, 9),
        )
        client.force_login(staff)
        text = client.get(URL).text
        assert f">05/03/{THIS_YEAR}</span> – <span" in text
        assert f">09/03/{THIS_YEAR}</span>" in text

    def test_sorting(self, client, staff, centre):
        a = builders.make_course(centre, code="A", start_date=this_year(1, 5))
        builders.make_course(
            centre, code="B", start_date=this_year(2, 5), status=CourseStatus.CLOSED
        )
        c = builders.make_course(
            centre, code="C", start_date=this_year(3, 5), status=CourseStatus.ENROLLING
        )
        builders.make_enrolment(a)
        builders.make_enrolment(c)
        builders.make_enrolment(c)
        client.force_login(staff)
        assert codes(client.get(URL)) == ["C", "B", "A"]  # newest first
        assert codes(client.get(URL, {"sap_xep": "ma"})) == ["A", "B", "C"]
        assert codes(client.get(URL, {"sap_xep": "-ma"})) == ["C", "B", "A"]
        assert codes(client.get(URL, {"sap_xep": "ngay"})) == ["A", "B", "C"]
        assert codes(client.get(URL, {"sap_xep": "trang_thai"})) == ["A", "C", "B"]
        assert codes(client.get(URL, {"sap_xep": "-si_so"})) == ["C", "A", "B"]
        assert codes(client.get(URL, {"sap_xep": "password"})) == ["C", "B", "A"]

    def test_pagination(self, client, staff, centre):
        program = builders.make_program(centre)
        for n in range(30):
            builders.make_course(centre, program=program, code=f"L{n:02d}", start_date=this_year())
        client.force_login(staff)
        first = client.get(URL, {"sap_xep": "ma"})
        assert len(codes(first)) == 25
        second = client.get(URL, {"sap_xep": "ma", "trang": 2})
        assert codes(second) == [f"L{n:02d}" for n in range(25, 30)]
        assert "Trang 2/2" in second.text


def list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_classes(client, staff, centre):
    def add_classes(n):
        for _ in range(n):
            course = builders.make_course(
                centre, start_date=this_year(), venue=f"Phòng {builders._n()}"
            )
            builders.make_enrolment(course)

    client.force_login(staff)
    add_classes(3)
    client.get(URL)  # warm up the session
    small = list_queries(client, URL)
    add_classes(6)
    assert list_queries(client, URL) == small

"""The Party-membership pipeline (issue 16, item 6): people who completed the course for Party
candidates and not yet the new members' course, and new members whose probation is running out
without it. Only Party organisations and communes see it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donvi.party import add_months, pipeline_programs, probation_end, unit_pipeline
from hocvien.models import UnitKind
from lophoc.models import CourseStatus, ProgramSystem
from tests import builders
from tests.donvi.conftest import closed_with_results

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def programs(centre):
    candidate = builders.make_program(
        centre, code="KND", name="Bồi dưỡng nhận thức về Đảng (đối tượng kết nạp Đảng)"
    )
    # A centre that renamed the code: the name still says what it is.
    new_member = builders.make_program(
        centre, code="DVM2", name="Lý luận chính trị dành cho đảng viên mới"
    )
    other = builders.make_program(
        centre, code="NVD", name="Nghiệp vụ công tác Đảng (bí thư, phó bí thư, chi ủy viên)"
    )
    return candidate, new_member, other


def test_the_two_programs_are_found_by_code_or_name(centre, programs):
    candidate, new_member, _ = programs
    builders.make_program(
        centre, code="KND-X", name="Kết nạp Đảng (cũ)", system=ProgramSystem.STATE
    )  # not a Party program
    found = pipeline_programs(centre.pk)
    assert (found.candidate, found.new_member) == ([candidate.pk], [new_member.pk])


def test_months_and_probation():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 3, 15), -12) == datetime.date(2025, 3, 15)
    assert probation_end(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)


def test_the_lists(centre, staff, commune, cell, agency, programs):
    candidate, new_member, _ = programs

    def person(name, unit=commune, **fields):
        return builders.make_trainee(centre, unit=unit, full_name=name, **fields)

    waiting = person("Nguyễn Thị Hoa")
    in_cell = person("Lê Văn Sơn", unit=cell)
    done = person("Trần Văn Xong", is_party_member=True, party_joined_on=datetime.date(2026, 5, 1))
    elsewhere = person("Võ Minh Khác", unit=agency)
    closed_with_results(
        centre,
        [(waiting, commune), (in_cell, cell), (done, commune), (elsewhere, agency)],
        program=candidate,
    )
    closed_with_results(centre, [(done, commune)], program=new_member)
    # Enrolled in a new members' class still to come: listed, with the class.
    upcoming = builders.make_course(
        centre, program=new_member, status=CourseStatus.ENROLLING, start_date=TODAY
    )
    builders.make_enrolment(upcoming, trainee=in_cell, unit=cell)

    due = person("Phạm Văn Sắp", is_party_member=True, party_joined_on=datetime.date(2026, 1, 20))
    late = person("Đỗ Thị Trễ", is_party_member=True, party_joined_on=datetime.date(2025, 6, 1))
    person("Hồ Văn Lâu", is_party_member=True, party_joined_on=datetime.date(2020, 6, 1))
    person("Bùi Văn Mới", is_party_member=True, party_joined_on=datetime.date(2026, 9, 1))

    data = unit_pipeline(staff, commune, today=TODAY)
    names = [row.trainee.full_name for row in data.candidates]
    assert names == ["Nguyễn Thị Hoa", "Lê Văn Sơn"]  # Vietnamese order: Hoa before Sơn
    son = data.candidates[1]
    assert son.upcoming.course == upcoming and son.completed.course.program == candidate
    # Probation ending by 07/03/2027, or ended less than a year ago.
    assert [row.trainee for row in data.new_members] == [late, due]
    assert data.new_members[1].probation_ends == datetime.date(2027, 1, 20)


def test_a_liaison_sees_only_its_people(client, centre, liaison, commune, agency, programs):
    candidate, _, _ = programs
    own = builders.make_trainee(centre, unit=commune, full_name="Nguyễn Thị Hoa")
    other = builders.make_trainee(centre, unit=agency, full_name="Võ Minh Khác")
    closed_with_results(centre, [(own, commune), (other, agency)], program=candidate)
    client.force_login(liaison)
    response = client.get(reverse("donvi:pipeline", args=[commune.pk]))
    text = response.content.decode()
    assert "Nguyễn Thị Hoa" in text and "Võ Minh Khác" not in text
    assert client.get(reverse("donvi:pipeline", args=[agency.pk])).status_code == 404


@pytest.mark.parametrize(
    "kind, status",
    [
        (UnitKind.PARTY_ORG, 200),
        (UnitKind.COMMUNE, 200),
        (UnitKind.WARD, 200),
        (UnitKind.SPECIAL_ZONE, 200),
        (UnitKind.AGENCY, 404),
        (UnitKind.SCHOOL, 404),
        (UnitKind.MASS_ORG, 404),
    ],
)
def test_only_party_organisations_and_communes_have_it(client, centre, staff, kind, status):
    unit = builders.make_unit(centre, kind=kind)
    client.force_login(staff)
    assert client.get(reverse("donvi:pipeline", args=[unit.pk])).status_code == status
    link = reverse("donvi:pipeline", args=[unit.pk])
    assert (link in client.get(reverse("donvi:unit_page", args=[unit.pk])).content.decode()) is (
        status == 200
    )


def test_without_the_programs_the_page_says_so(client, staff, commune):
    client.force_login(staff)
    text = client.get(reverse("donvi:pipeline", args=[commune.pk])).content.decode()
    assert "Trung tâm chưa có đủ hai chương trình" in text


def test_the_page_reads_a_fixed_number_of_queries(client, centre, staff, commune, programs):
    candidate, _, _ = programs

    def add_people(count):
        people = [(builders.make_trainee(centre, unit=commune), commune) for _ in range(count)]
        closed_with_results(centre, people, program=candidate)
        for _ in range(count):
            builders.make_trainee(
                centre,
                unit=commune,
                is_party_member=True,
                party_joined_on=timezone.localdate() - datetime.timedelta(days=300),
            )

    client.force_login(staff)
    counts = []
    for count in (2, 6):
        add_people(count)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("donvi:pipeline", args=[commune.pk]))
        counts.append(len(queries))
    assert len(response.context["data"].candidates) == 8
    assert len(response.context["data"].new_members) == 8
    assert counts[0] == counts[1]

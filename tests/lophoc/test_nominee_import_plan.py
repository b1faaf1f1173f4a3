"""Matching a nominee file against the database and writing it: all rows or none."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hocvien.models import Trainee, Unit, UnitKind
from lophoc.models import CourseStatus, Enrolment, EnrolmentStatus
from lophoc.nominee_import import (
    CONFIRMED,
    MATCHED,
    NEW,
    PROPOSED,
    ImportRefused,
    guess_unit_kind,
    nominee_import_apply,
    nominee_import_plan,
    parse_nominee_file,
)
from tests import builders
from tests.lophoc.nominee_files import (
    first_data_row,
    national_id,
    nominee,
    person_name,
    xlsx,
    xlsx_people,
)

ROW = first_data_row()
pytestmark = pytest.mark.django_db


def plan_for(course, content, **kwargs):
    return nominee_import_plan(
        course=course, parsed=parse_nominee_file(content, "a.xlsx"), **kwargs
    )


def apply(course, content, user, **kwargs):
    return nominee_import_apply(
        course=course, parsed=parse_nominee_file(content, "a.xlsx"), user=user, **kwargs
    )


def counts():
    return (Trainee.objects.count(), Unit.objects.count(), Enrolment.objects.count())


def test_a_clean_file_enrols_everyone_with_unit_and_position(course, staff):
    result = apply(course, xlsx_people(3), staff)
    assert (result.enrolled, result.created, result.matched) == (3, 3, 0)
    assert result.new_units == ["Xã Phú Lợi"]
    unit = Unit.objects.get(centre=course.centre, name="Xã Phú Lợi")
    assert unit.kind == UnitKind.COMMUNE
    enrolments = Enrolment.objects.filter(course=course).select_related("trainee")
    assert enrolments.count() == 3
    for enrolment in enrolments:
        assert enrolment.unit == unit and enrolment.position == "Bí thư Chi đoàn"
        assert enrolment.trainee.unit == unit and enrolment.trainee.centre == course.centre
    trainee = Trainee.objects.get(national_id=national_id(3))
    assert trainee.is_party_member and trainee.full_name == person_name(3)
    assert trainee.search_key and trainee.sort_key  # bulk writes keep the stored keys


def test_history_is_recorded_under_the_user(course, staff):
    apply(course, xlsx_people(2), staff)
    trainee = Trainee.objects.get(national_id=national_id(1))
    assert trainee.history.get().history_user == staff
    assert Enrolment.objects.get(trainee=trainee).history.get().history_user == staff
    assert Unit.objects.get(name="Xã Phú Lợi").history.get().history_user == staff


def test_existing_trainees_are_matched_by_national_id_and_kept_as_they_are(course, staff):
    old_unit = builders.make_unit(course.centre, name="Xã Cũ")
    existing = builders.make_trainee(
        course.centre,
        full_name="Phạm Thị Cũ",
        national_id=national_id(1),
        date_of_birth=datetime.date(1980, 1, 1),
        unit=old_unit,
    )
    plan = plan_for(course, xlsx_people(2))
    assert plan.ok
    assert [row.status for row in plan.rows] == [MATCHED, NEW]
    assert plan.rows[0].trainee == existing
    assert len(plan.notes) == 1
    note = str(plan.notes[0])
    assert note.startswith(f"Dòng {ROW}: khớp số CCCD với học viên Phạm Thị Cũ")
    assert "họ tên trong file" in note and "ngày sinh trong file là 02/02/1990" in note
    result = apply(course, xlsx_people(2), staff)
    assert (result.matched, result.created) == (1, 1)
    existing.refresh_from_db()
    assert existing.full_name == "Phạm Thị Cũ" and existing.unit == old_unit
    enrolment = Enrolment.objects.get(course=course, trainee=existing)
    assert enrolment.unit.name == "Xã Phú Lợi"  # the unit that sent them this time


def test_name_and_birth_date_matches_are_only_proposed(course, staff):
    existing = builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    content = xlsx([nominee(1, cccd=None)])
    plan = plan_for(course, content)
    assert plan.rows[0].status == PROPOSED and plan.rows[0].candidates == [existing]
    assert plan.totals["new"] == 1
    # Without a confirmation a new trainee is created.
    result = apply(course, content, staff, propose=True)
    assert result.created == 1
    assert Trainee.objects.filter(full_name=person_name(1)).count() == 2


def test_a_confirmed_proposal_enrols_the_existing_trainee(course, staff):
    existing = builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    content = xlsx([nominee(1, cccd=None), nominee(2)])
    result = apply(course, content, staff, propose=True, confirmed={ROW: existing.pk})
    assert (result.confirmed, result.created) == (1, 1)
    assert result.plan.rows[0].status == CONFIRMED
    assert Enrolment.objects.filter(course=course, trainee=existing).exists()
    assert Trainee.objects.filter(full_name=person_name(1)).count() == 1


def test_a_confirmed_match_without_id_gets_the_id_of_the_file(course, staff):
    existing = builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    plan = plan_for(course, xlsx([nominee(1)]))
    assert plan.rows[0].status == PROPOSED
    apply(course, xlsx([nominee(1)]), staff, propose=True, confirmed={ROW: existing.pk})
    existing.refresh_from_db()
    assert existing.national_id == national_id(1)
    assert existing.history.first().history_user == staff


def test_two_different_ids_are_never_proposed(course):
    builders.make_trainee(
        course.centre,
        full_name=person_name(1),
        date_of_birth=datetime.date(1990, 2, 2),
        national_id="009999999999",
    )
    assert plan_for(course, xlsx([nominee(1)])).rows[0].status == NEW


def test_names_with_other_diacritics_are_not_proposed(course):
    builders.make_trainee(
        course.centre, full_name="Lệ Văn An", date_of_birth=datetime.date(1990, 2, 2)
    )
    plan = plan_for(course, xlsx([nominee(1, name="Lê Văn An", cccd=None)]))
    assert plan.rows[0].status == NEW


def test_the_command_mode_never_proposes(course):
    builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    plan = plan_for(course, xlsx([nominee(1, cccd=None)]), propose=False)
    assert plan.rows[0].status == NEW and not plan.rows[0].candidates


def test_a_stale_confirmation_is_refused(course, staff):
    other = builders.make_trainee(course.centre, full_name="Ai Đó Khác")
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        apply(course, xlsx([nominee(1, cccd=None)]), staff, propose=True, confirmed={ROW: other.pk})
    assert "không còn đúng" in refused.value.lines[0]
    assert counts() == before


def test_trainees_of_another_centre_are_not_matched(course, other_centre):
    builders.make_trainee(other_centre, national_id=national_id(1))
    assert plan_for(course, xlsx_people(1)).rows[0].status == NEW


def test_a_trainee_already_in_the_class_is_an_error(course, staff):
    trainee = builders.make_trainee(course.centre, national_id=national_id(2))
    builders.make_enrolment(course, trainee, status=EnrolmentStatus.WITHDRAWN)
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        apply(course, xlsx_people(3), staff)
    assert refused.value.lines == [
        f"Dòng {ROW + 1}: học viên {trainee.full_name} (CCCD •••••••••002) đã có trong lớp "
        f"{course.code}"
    ]
    assert counts() == before


def test_a_proposal_already_in_the_class_is_an_error(course):
    trainee = builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    builders.make_enrolment(course, trainee)
    plan = plan_for(course, xlsx([nominee(1, cccd=None)]))
    assert not plan.ok and "đã có trong lớp" in str(plan.problems[0])


def test_capacity_counts_active_enrolments_and_every_row(course, staff):
    course.capacity = 4
    course.save()
    builders.make_enrolment(course)
    builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)  # does not take a seat
    assert plan_for(course, xlsx_people(3)).ok
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        apply(course, xlsx_people(4), staff)
    message = refused.value.lines[0]
    assert "tối đa 4 học viên" in message and f"từ dòng {ROW + 3} trở đi" in message
    assert counts() == before


def test_every_problem_is_reported_together(course, staff):
    course.capacity = 2
    course.save()
    content = xlsx([nominee(1), nominee(2, dob="31/02/1990"), nominee(3, cccd=national_id(1))])
    plan = plan_for(course, content)
    rows = [problem.row for problem in plan.problems]
    assert rows == [None, ROW + 1, ROW + 2]


@pytest.mark.parametrize(
    "status", [CourseStatus.GRADING, CourseStatus.CLOSED, CourseStatus.CANCELLED]
)
def test_a_class_not_accepting_enrolments_is_refused(centre, staff, status):
    course = builders.make_course(centre, status=status)
    before = counts()
    with pytest.raises(ImportRefused) as refused:
        apply(course, xlsx_people(1), staff)
    assert "không nhận thêm học viên" in refused.value.lines[0]
    assert counts() == before


@pytest.mark.parametrize("status", [CourseStatus.ENROLLING, CourseStatus.IN_PROGRESS])
def test_enrolling_and_running_classes_accept_imports(centre, staff, status):
    course = builders.make_course(centre, status=status)
    builders.make_session(course, periods=4)
    apply(course, xlsx_people(1), staff)
    assert Enrolment.objects.get(course=course).scheduled_periods == 4


def test_units_are_matched_ignoring_case_and_spaces_but_not_diacritics(course, staff):
    existing = builders.make_unit(course.centre, name="Xã Phú Lợi")
    content = xlsx(
        [
            nominee(1, unit="XÃ  PHÚ LỢI"),
            nominee(2, unit="xã phú lợi"),
            nominee(3, unit="Xã Phú Lội"),
            nominee(4, unit="Trường THCS Phú Lợi"),
            nominee(5, unit="Trường THCS Phú  Lợi"),
        ]
    )
    plan = plan_for(course, content)
    assert [row.unit for row in plan.rows[:2]] == [existing, existing]
    assert [unit.name for unit in plan.new_units.values()] == ["Xã Phú Lội", "Trường THCS Phú Lợi"]
    assert plan.new_units["trường thcs phú lợi"].rows == [ROW + 3, ROW + 4]
    result = apply(course, content, staff)
    assert sorted(result.new_units) == ["Trường THCS Phú Lợi", "Xã Phú Lội"]
    assert Unit.objects.get(name="Trường THCS Phú Lợi").kind == UnitKind.SCHOOL
    assert Unit.objects.filter(centre=course.centre).count() == 3


def test_a_merged_unit_leads_to_the_unit_it_became(course, staff):
    ward = builders.make_unit(course.centre, name="Phường Phú Lợi", kind="ward")
    town = builders.make_unit(
        course.centre, name="Thị trấn Phú Lợi", kind="town", merged_into=ward, active=False
    )
    assert town.current == ward
    content = xlsx([nominee(1, unit="Thị trấn Phú Lợi")])
    plan = plan_for(course, content)
    assert plan.rows[0].unit == ward and not plan.new_units
    assert "đã sáp nhập vào «Phường Phú Lợi»" in str(plan.notes[0])
    apply(course, content, staff)
    assert Enrolment.objects.get(course=course).unit == ward


def test_units_of_another_centre_are_not_used(course, other_centre):
    builders.make_unit(other_centre, name="Xã Phú Lợi")
    assert list(plan_for(course, xlsx_people(1)).new_units) == ["xã phú lợi"]


def test_a_bad_file_writes_nothing(course, staff):
    before = counts()
    with pytest.raises(ImportRefused):
        apply(course, xlsx([nominee(1), nominee(2, dob="31/02/1990")]), staff)
    with pytest.raises(ImportRefused):
        apply(course, b"not a workbook", staff)
    assert counts() == before


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Xã Bình Mỹ", UnitKind.COMMUNE),
        ("Phường Phú Lợi", UnitKind.WARD),
        ("Đặc khu Côn Đảo", UnitKind.SPECIAL_ZONE),
        ("Chi bộ ấp 3", UnitKind.PARTY_ORG),
        ("Công an xã Bình Mỹ", UnitKind.ARMED),
        ("Hội Nông dân xã", UnitKind.MASS_ORG),
        ("UBND xã Bình Mỹ", UnitKind.COMMUNE),
        ("Văn phòng Đảng ủy", UnitKind.AGENCY),
        ("Nhà văn hóa", UnitKind.OTHER),
    ],
)
def test_the_kind_of_a_new_unit_is_guessed_from_its_name(name, kind):
    assert guess_unit_kind(name) == kind


def _plan_queries(course, content) -> int:
    parsed = parse_nominee_file(content, "a.xlsx")
    with CaptureQueriesContext(connection) as queries:
        nominee_import_plan(course=course, parsed=parsed)
    return len(queries)


def test_the_plan_runs_the_same_queries_for_10_or_30_rows(course):
    for i in range(1, 31, 2):  # half the rows match by ID, some by name, several units
        builders.make_trainee(course.centre, national_id=national_id(i))
    for i in (2, 4):
        builders.make_trainee(
            course.centre,
            full_name=person_name(i),
            date_of_birth=datetime.date(1990, 1 + i % 12, 1 + i),
        )
    builders.make_unit(course.centre, name="Xã Phú Lợi")

    def content(count):
        return xlsx(
            [
                nominee(i, cccd=None if i % 2 == 0 else national_id(i), unit=f"Xã Số {i % 4}")
                for i in range(1, count + 1)
            ]
        )

    assert _plan_queries(course, content(10)) == _plan_queries(course, content(30))


def test_a_file_saying_party_member_is_noted_when_the_record_does_not(course):
    builders.make_trainee(
        course.centre,
        full_name=person_name(1),
        national_id=national_id(1),
        date_of_birth=datetime.date(1990, 2, 2),
        gender="F",
        is_party_member=False,
    )
    plan = plan_for(course, xlsx([nominee(1, party="x")]))
    assert [row.status for row in plan.rows] == [MATCHED]
    assert "file ghi là đảng viên" in str(plan.notes[0])
    quiet = plan_for(course, xlsx([nominee(1, party=None)]))
    assert not any("đảng viên" in str(note) for note in quiet.notes)

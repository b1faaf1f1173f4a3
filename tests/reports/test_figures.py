"""The year figures of figures.py (DESIGN §9) on a year built row by row, with the numbers worked
out by hand, and recomputed by plain loops; a fixed number of queries at N and 3N classes."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lophoc.models import CourseStatus, EnrolmentStatus, ProgramSystem
from tests import builders
from tests.reports import yearly_expected as expected
from tests.reports.yearly_helpers import YEAR, Year, full_year
from trungtam.reports.figures import (
    Figures,
    lecturer_figures,
    lowest_attendance_units,
    year_figures,
)
from trungtam.text import title_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(centre):
    return full_year(centre, classes=2)


def test_classes_count_in_the_year_they_start_and_cancelled_ones_apart(year, centre):
    # A class that started last December belongs to last year.
    builders.make_course(
        centre,
        program=year.party,
        start_date=datetime.date(YEAR - 1, 12, 28),
        status=CourseStatus.CLOSED,
    )
    party = next(
        r for r in year_figures([centre.pk], YEAR).programs if r.program_id == year.party.pk
    )
    f = party.figures
    assert (f.planned_classes, f.classes, f.opened, f.finished, f.cancelled) == (4, 3, 2, 2, 1)
    assert f.classes_of_plan == Decimal("50.0")


def test_trainees_are_counted_in_enrolments_with_attendance_over_those_staying(year, centre):
    figures = year_figures([centre.pk], YEAR)
    party = next(r.figures for r in figures.programs if r.program_id == year.party.pk)
    # Two classes of seven: two withdrawn; 12 periods × … absent 4 and 8 in each class.
    assert (party.enrolled, party.withdrawn, party.closed_enrolments) == (14, 2, 12)
    assert (party.scheduled_periods, party.absent_periods) == (192, 24)
    assert party.attendance_rate == Decimal("87.5")
    assert (party.completed, party.certified) == (8, 8)
    assert party.pass_rate == Decimal("66.7")
    assert figures.people == 23  # one person per enrolment here


def test_bands_count_no_result_as_fail_and_leave_out_unassessed_programs(year, centre):
    figures = year_figures([centre.pk], YEAR)
    party = next(r.figures for r in figures.programs if r.program_id == year.party.pk)
    state = next(r.figures for r in figures.programs if r.program_id == year.state.pk)
    assert [party.excellent, party.good, party.fair, party.average, party.fail] == [2, 2, 2, 2, 4]
    assert party.assessed == 12 and party.band_rate("fail") == Decimal("33.3")
    assert state.assessed == 0 and state.band_rate("good") is None
    assert (state.enrolled, state.completed, state.scheduled_periods) == (9, 4, 112)


def test_systems_and_totals_add_up(year, centre):
    figures = year_figures([centre.pk], YEAR)
    systems = {s.system: s.figures for s in figures.by_system}
    assert systems[ProgramSystem.PARTY].opened == 2
    assert systems[ProgramSystem.STATE].opened == 2
    assert systems[ProgramSystem.MASS] == Figures()
    assert figures.total.opened == 4 and figures.total.planned_classes == 6
    assert figures.total == sum((r.figures for r in figures.programs), Figures())
    assert figures.by_centre[centre.pk] == figures.total


def test_the_figures_equal_a_plain_recomputation(year, centre, other_centre):
    full_year(other_centre, classes=1)
    ids = [centre.pk, other_centre.pk]
    figures = year_figures(ids, YEAR)
    recomputed = expected.programs(ids, YEAR)
    assert {r.program_id for r in figures.programs} == set(recomputed)
    for row in figures.programs:
        mine = row.figures.as_dict()
        theirs = recomputed[row.program_id]
        assert mine == {name: theirs[name] for name in mine}, row.name
    assert figures.people == expected.people(ids, YEAR)


def test_last_year_total_and_the_months_come_with_the_year(year, centre):
    last_year = Year(centre, YEAR - 1, like=year)
    last_year.plan()
    last_year.closed_class()
    last_year.closed_class(last_year.state, certify=False)
    figures = year_figures([centre.pk], YEAR, with_previous=True)
    assert figures.previous == year_figures([centre.pk], YEAR - 1).total
    recomputed = expected.total(expected.programs([centre.pk], YEAR - 1).values())
    mine = figures.previous.as_dict()
    assert mine == {name: recomputed[name] for name in mine}
    assert figures.previous.enrolled > 0 and figures.previous.certified > 0
    assert year_figures([centre.pk], YEAR).previous is None
    # Enrolments in opened classes by the month the class starts, counted row by row.
    months = [0] * 12
    for course in expected.courses_of([centre.pk], YEAR):
        if course.status in ("enrolling", "in_progress", "grading", "closed"):
            months[course.start_date.month - 1] += course.enrolments.count()
    assert figures.months == months and sum(months) == figures.total.enrolled


def test_lowest_attendance_units_ties_at_the_cut_go_by_name(centre):
    course = builders.make_course(
        centre, start_date=datetime.date(YEAR, 4, 1), status=CourseStatus.CLOSED
    )
    names = ["Xã Ân Thi", "Xã An Thịnh", "Phường Bắc Lý", "Xã Đông Hòa", "Xã Tây Sơn"]
    # absent of 20 periods: Tây Sơn 8; three units tied at 4 (the cut falls among them); one 0.
    absences = {"Xã Tây Sơn": 8, "Xã Ân Thi": 4, "Xã An Thịnh": 4, "Phường Bắc Lý": 4}
    for name in names:
        unit = builders.make_unit(centre, name=name)
        builders.make_enrolment(
            course, unit=unit, scheduled_periods=20, absent_periods=absences.get(name, 0)
        )
        # Withdrawn enrolments and those without scheduled periods do not count.
        builders.make_enrolment(
            course,
            unit=unit,
            status=EnrolmentStatus.WITHDRAWN,
            scheduled_periods=20,
            absent_periods=20,
        )
    builders.make_enrolment(course, unit=None, scheduled_periods=10, absent_periods=1)
    builders.make_enrolment(course, unit=None, scheduled_periods=0, absent_periods=0)

    units = lowest_attendance_units([centre.pk], YEAR, limit=3)
    assert [u.name for u in units] == ["Xã Tây Sơn", "Phường Bắc Lý", "Xã An Thịnh"]
    assert [u.attendance_rate for u in units] == [Decimal("60.0"), Decimal("80.0")] + [
        Decimal("80.0")
    ]
    everyone = lowest_attendance_units([centre.pk], YEAR, limit=10)
    assert [u.name for u in everyone] == sorted(
        [u.name for u in everyone],
        key=lambda name: (
            -next(u.absent_periods / u.scheduled_periods for u in everyone if u.name == name),
            title_key(name),
        ),
    )
    assert len(everyone) == 6 and "Không rõ đơn vị" in [u.name for u in everyone]
    assert next(u for u in everyone if u.unit_id is None).enrolled == 1


def test_lecturers_by_kind_with_periods_standard_hours_and_norms(year, centre):
    figures = lecturer_figures([centre.pk], YEAR)
    by_kind = {row.key: (row.count, row.periods, row.standard_hours) for row in figures.by_kind}
    # Three finished classes, each with 4 periods per lecturer; discussion counts half.
    assert by_kind["full_time"] == (2, 24, Decimal("24.0"))
    assert by_kind["part_time"] == (1, 12, Decimal("6.0"))
    assert by_kind["guest"] == (1, 12, Decimal("12.0"))
    assert (figures.norm_hours, figures.normed_hours) == (160, Decimal("24.0"))
    assert figures.of_norm == Decimal("15.0")
    rows = expected.lecturers([centre.pk], YEAR)
    assert sorted(r.periods for r in figures.lecturers) == sorted(r["periods"] for r in rows)
    assert sum(r.standard_hours for r in figures.lecturers) == sum(r["hours"] for r in rows)


def _queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_classes(centre):
    built = Year(centre)
    built.plan()
    built.closed_class()
    small_figures = _queries(lambda: year_figures([centre.pk], YEAR))
    small_lecturers = _queries(lambda: lecturer_figures([centre.pk], YEAR))
    for _ in range(2):
        built.closed_class()
    built.closed_class(built.state, certify=False)
    assert _queries(lambda: year_figures([centre.pk], YEAR)) == small_figures
    assert _queries(lambda: lecturer_figures([centre.pk], YEAR)) == small_lecturers

"""Builders for the yearly report tests: a centre's year with every kind of row the figures read."""

import copy
import datetime
import io
from contextlib import contextmanager
from decimal import Decimal

from django.core.management import call_command
from django.db import transaction

from giangvien.models import LecturerKind, LecturerPosition, PoliticalTheoryLevel, ProfessionalLevel
from lophoc.certificates import certificates_issue
from lophoc.models import (
    Classification,
    CourseStatus,
    EnrolmentStatus,
    ProgramSystem,
    SessionKind,
    SessionPart,
)
from tests import builders
from tests.lophoc.certificate_helpers import make_leader
from trungtam.models import Centre
from trungtam.reports import yearly, yearly_all
from trungtam.reports.models import AllCentresReport, AnnualPlan, PlanStatus, PlanTarget

YEAR = 2026
# Every part of the narrative written by staff (no "[…]" placeholder left), and the cut-off date
# a report of a year not over yet needs to be sent.
WRITTEN = {
    "results_text": "Năm 2026, Trung tâm hoàn thành tốt nhiệm vụ.",
    "strengths_text": "Học viên nghiêm túc.",
    "limitations_text": "Còn một số lớp chưa mở.",
    "causes_text": "Một số đơn vị cử thiếu học viên.",
    "lessons_text": "Phối hợp sớm với đơn vị.",
    "direction_text": "Tiếp tục nâng cao chất lượng.",
    "recommendations_text": "Không có.",
    "data_until": datetime.date(YEAR, 11, 30),
}

# (classification, final score, passed, status, absent periods)
RESULTS = [
    (Classification.EXCELLENT, "9.2", True, EnrolmentStatus.ACTIVE, 0),
    (Classification.GOOD, "8.5", True, EnrolmentStatus.ACTIVE, 0),
    (Classification.FAIR, "7.0", True, EnrolmentStatus.ACTIVE, 4),
    (Classification.AVERAGE, "5.5", True, EnrolmentStatus.ACTIVE, 0),
    (Classification.FAIL, "4.0", False, EnrolmentStatus.ACTIVE, 0),
    ("", None, False, EnrolmentStatus.NOT_ELIGIBLE, 8),
    ("", None, None, EnrolmentStatus.WITHDRAWN, 0),
]


class Year:
    """Programs, lecturers and a leader of one centre, and a way to add classes to a year."""

    def __init__(self, centre, year: int = YEAR, *, like: "Year | None" = None):
        self.centre = centre
        self.year = year
        self.count = 0
        if like is not None:
            # Another year of the same centre: the same programs, lecturers and unit.
            for name in ("leader", "party", "state", "full_time", "director", "part_time"):
                setattr(self, name, getattr(like, name))
            self.guest, self.unit = like.guest, like.unit
            return
        self.leader = centre.leaders.filter(role="director").first() or make_leader(
            centre, full_name="Trần Văn Giám"
        )
        self.party = builders.make_program(
            centre, name="Bồi dưỡng nhận thức về Đảng", system=ProgramSystem.PARTY
        )
        self.state = builders.make_program(
            centre,
            name="Bồi dưỡng chính trị hè cho giáo viên",
            system=ProgramSystem.STATE,
            is_assessed=False,
        )
        self.full_time = builders.make_lecturer(
            centre,
            full_name="Nguyễn Thị Chuyên",
            kind=LecturerKind.FULL_TIME,
            position=LecturerPosition.LECTURER,
            political_theory_level=PoliticalTheoryLevel.ADVANCED,
            professional_level=ProfessionalLevel.MASTER,
        )
        self.director = builders.make_lecturer(
            centre,
            full_name="Trần Văn Giám",
            kind=LecturerKind.FULL_TIME,
            position=LecturerPosition.DIRECTOR,
            political_theory_level=PoliticalTheoryLevel.BACHELOR,
            professional_level=ProfessionalLevel.DOCTOR,
        )
        self.part_time = builders.make_lecturer(
            centre,
            full_name="Lê Văn Kiêm",
            kind=LecturerKind.PART_TIME,
            position=LecturerPosition.OTHER,
            political_theory_level=PoliticalTheoryLevel.INTERMEDIATE,
        )
        self.guest = builders.make_lecturer(
            centre,
            full_name="Phạm Thị Khách",
            kind=LecturerKind.GUEST,
            position=LecturerPosition.OTHER,
        )
        self.unit = builders.make_unit(centre, name="Xã Thử Nghiệm")

    def plan(self, *, status=PlanStatus.APPROVED, party=(4, 100), state=(2, 60)) -> AnnualPlan:
        plan = AnnualPlan.objects.create(centre=self.centre, year=self.year, status=status)
        PlanTarget.objects.create(
            plan=plan, program=self.party, planned_classes=party[0], planned_trainees=party[1]
        )
        PlanTarget.objects.create(
            plan=plan, program=self.state, planned_classes=state[0], planned_trainees=state[1]
        )
        return plan

    def closed_class(self, program=None, *, certify: bool = True):
        """A finished class: 4 sessions (16 periods), one trainee per line of RESULTS."""
        program = program or self.party
        self.count += 1
        start = datetime.date(self.year, 3, 2) + datetime.timedelta(days=7 * (self.count % 40))
        course = builders.make_course(
            self.centre,
            program=program,
            start_date=start,
            status=CourseStatus.CLOSED,
            is_assessed=program.is_assessed,
        )
        self._sessions(course)
        for classification, score, passed, status, absent in RESULTS:
            if not program.is_assessed and classification:
                classification, score = "", None
            builders.make_enrolment(
                course,
                unit=self.unit,
                status=status,
                classification=classification,
                final_score=Decimal(score) if score else None,
                passed=passed,
                is_eligible=status != EnrolmentStatus.NOT_ELIGIBLE,
                scheduled_periods=16,
                absent_periods=absent,
            )
        if certify:
            certificates_issue(
                course=course,
                user=None,
                signer=self.leader,
                issued_on=start + datetime.timedelta(days=10),
            )
        return course

    def _sessions(self, course):
        kinds = [
            (self.full_time, SessionKind.LECTURE, SessionPart.MORNING),
            (self.director, SessionKind.LECTURE, SessionPart.AFTERNOON),
            (self.part_time, SessionKind.DISCUSSION, SessionPart.MORNING),
            (self.guest, SessionKind.LECTURE, SessionPart.AFTERNOON),
        ]
        for offset, (lecturer, kind, part) in enumerate(kinds):
            builders.make_session(
                course,
                date=course.start_date + datetime.timedelta(days=offset // 2),
                part=part,
                lecturer=lecturer,
                kind=kind,
                periods=4,
            )

    def other_classes(self):
        """A cancelled class, a planned one and one in progress with two trainees."""
        self.count += 3
        builders.make_course(
            self.centre,
            program=self.party,
            start_date=datetime.date(self.year, 6, 1),
            status=CourseStatus.CANCELLED,
        )
        builders.make_course(
            self.centre,
            program=self.party,
            start_date=datetime.date(self.year, 11, 2),
            status=CourseStatus.PLANNED,
        )
        running = builders.make_course(
            self.centre,
            program=self.state,
            start_date=datetime.date(self.year, 10, 5),
            status=CourseStatus.IN_PROGRESS,
            is_assessed=False,
        )
        for absent in (0, 4):
            builders.make_enrolment(
                running, unit=self.unit, scheduled_periods=8, absent_periods=absent
            )
        return running


def full_year(centre, year: int = YEAR, classes: int = 2) -> Year:
    built = Year(centre, year)
    built.plan()
    for _ in range(classes):
        built.closed_class()
    built.closed_class(built.state, certify=False)
    built.other_classes()
    return built


@contextmanager
def year_for_the_module(django_db_blocker, classes: int):
    """full_year() built once for a test module, in a transaction rolled back at the module's end;
    each test then runs in its own savepoint (`db`) and takes its copy with `for_a_test`.

    The centre is the one the `centre` fixture of tests/conftest.py makes, so a module that
    overrides `centre` with the year's centre reads the same names and code as before. For a
    module-scoped fixture: `with year_for_the_module(django_db_blocker, 2) as year: yield year`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            centre = builders.make_centre(code="TTA", name="Trung tâm Chính trị phường Phú Lợi")
            yield full_year(centre, classes=classes)
        finally:
            transaction.set_rollback(True)


# The rows a Year holds besides its centre.
YEAR_ROWS = ("leader", "party", "state", "full_time", "director", "part_time", "guest", "unit")


def for_a_test(year: Year) -> Year:
    """A copy of a module's year for one test: its centre and rows read again from the database
    and its class count as built, so nothing a test changed in memory reaches the next one."""
    fresh = copy.copy(year)
    fresh.centre = Centre.objects.get(pk=year.centre.pk)
    for name in YEAR_ROWS:
        row = getattr(year, name)
        setattr(fresh, name, type(row).objects.get(pk=row.pk))
    return fresh


def seed_small() -> None:
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())


def send_centres(centres, year=YEAR) -> None:
    for number, centre in enumerate(centres, start=10):
        report = yearly.report_save(
            report=yearly.report_for(centre, year),
            values={
                "number": str(number),
                "report_date": datetime.date(year, 12, 5),
                **WRITTEN,
                "data_until": datetime.date(year, 11, 30),
            },
            user=None,
        )
        yearly.report_send(report=report, user=None, today=datetime.date(year, 12, 5))


def written(year=YEAR, **values) -> AllCentresReport:
    fields = {
        "number": "27",
        "report_date": datetime.date(year, 12, 20),
        "data_until": datetime.date(year, 11, 30),
        "general_text": "Các trung tâm hoàn thành kế hoạch năm.",
        "assessment_text": "Ưu điểm: học viên nghiêm túc.\nKiến nghị: Không có.",
        **values,
    }
    return yearly_all.all_report_save(year=year, values=fields, user=None)

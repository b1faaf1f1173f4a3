"""The figures of a year (DESIGN §9), aggregated in the database.

A class counts in the year it starts. Trainee figures count enrolments (lượt người), not people,
unless a name says people. Attendance rate = periods attended ÷ periods scheduled, over
enrolments not withdrawn, from the absence figures stored on each enrolment.

Everything is grouped by program (programs belong to one centre), so one pass of four grouped
queries gives the rows by program, by system, by centre and the totals; the number of queries
does not depend on how many classes or trainees there are.
"""

import dataclasses
import datetime
import itertools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from giangvien.models import Lecturer, LecturerKind, PoliticalTheoryLevel, ProfessionalLevel
from hocvien.models import Unit
from lophoc.models import (
    Certificate,
    CertificateStatus,
    Classification,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Program,
    ProgramSystem,
    Session,
)
from lophoc.teaching import coefficients, standard_hours, yearly_norm
from trungtam.models import Centre
from trungtam.reports.models import PlanTarget
from trungtam.text import title_key

# A class is opened once it takes enrolments; planned and cancelled ones are not.
OPENED_STATUSES = [
    CourseStatus.ENROLLING,
    CourseStatus.IN_PROGRESS,
    CourseStatus.GRADING,
    CourseStatus.CLOSED,
]
BANDS = [
    Classification.EXCELLENT,
    Classification.GOOD,
    Classification.FAIR,
    Classification.AVERAGE,
    Classification.FAIL,
]


def percent(part, whole) -> Decimal | None:
    """part ÷ whole in percent, one decimal, half up; None when there is nothing to divide by."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class AgainstPlan:
    """Opened classes and enrolments in percent of the plan's figures, for anything that has
    `opened`, `enrolled`, `planned_classes` and `planned_trainees`."""

    @property
    def classes_of_plan(self) -> Decimal | None:
        """Opened classes ÷ planned classes."""
        return percent(self.opened, self.planned_classes)

    @property
    def trainees_of_plan(self) -> Decimal | None:
        """Enrolments ÷ planned trainees."""
        return percent(self.enrolled, self.planned_trainees)


@dataclass
class Figures(AgainstPlan):
    """The counts of one group (a program, a system, a centre, a whole year). Only integers, so
    groups add up and a snapshot is plain JSON; the rates are derived."""

    planned_classes: int = 0
    planned_trainees: int = 0
    classes: int = 0  # in the year, cancelled ones excluded (planned included)
    opened: int = 0
    finished: int = 0
    cancelled: int = 0
    enrolled: int = 0  # enrolments in opened classes (lượt)
    withdrawn: int = 0
    completed: int = 0  # passed (hoàn thành)
    certified: int = 0  # valid certificates
    scheduled_periods: int = 0  # over enrolments not withdrawn
    absent_periods: int = 0
    closed_enrolments: int = 0  # not withdrawn, in finished classes: the pass-rate base
    assessed: int = 0  # not withdrawn, in finished assessed classes: the classification base
    excellent: int = 0
    good: int = 0
    fair: int = 0
    average: int = 0
    fail: int = 0  # below 5.0, or no result (not eligible, absent from the final)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, n) + getattr(other, n) for n in _FIGURE_NAMES))

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> "Figures":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: int(v) for k, v in values.items() if k in names})

    @property
    def attended_periods(self) -> int:
        return self.scheduled_periods - self.absent_periods

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.attended_periods, self.scheduled_periods)

    @property
    def pass_rate(self) -> Decimal | None:
        return percent(self.completed, self.closed_enrolments)

    @property
    def good_or_better(self) -> int:
        return self.excellent + self.good

    @property
    def good_or_better_rate(self) -> Decimal | None:
        return percent(self.good_or_better, self.assessed)

    def band_count(self, band: str) -> int:
        return getattr(self, Classification(band).name.lower())

    def band_rate(self, band: str) -> Decimal | None:
        return percent(self.band_count(band), self.assessed)


_FIGURE_NAMES = tuple(f.name for f in dataclasses.fields(Figures))

# Classification name on the Figures field: Classification.EXCELLENT → "excellent" etc.
_BAND_FIELDS = {band: band.name.lower() for band in BANDS}


@dataclass
class ProgramRow:
    program_id: int
    centre_id: int
    name: str
    system: str
    figures: Figures


@dataclass
class SystemRow:
    system: str
    label: str
    figures: Figures


@dataclass
class YearFigures:
    year: int
    programs: list[ProgramRow]
    by_system: list[SystemRow]
    by_centre: dict[int, Figures]
    total: Figures
    people: int = 0  # distinct trainees enrolled (người)
    # Enrolments in opened classes by the month the class starts, January first.
    months: list[int] = dataclasses.field(default_factory=lambda: [0] * 12)
    previous: Figures | None = None  # last year's total, when asked for


def _courses(centre_ids, first_year: int, last_year: int | None = None):
    """Classes of these centres starting in `first_year` (to `last_year`): a class counts in
    the year it starts (DESIGN §9)."""
    last_year = last_year or first_year
    return Course.objects.filter(
        centre_id__in=centre_ids,
        start_date__gte=datetime.date(first_year, 1, 1),
        start_date__lte=datetime.date(last_year, 12, 31),
    )


def program_figures(centre_ids, year: int) -> dict[int, Figures]:
    """Figures per program id, for classes starting in `year` at these centres: four queries."""
    return _year_counts(centre_ids, year, year)[year][0]


def _year_counts(
    centre_ids, first_year: int, last_year: int
) -> dict[int, tuple[dict[int, Figures], list[int]]]:
    """For each year from `first_year` to `last_year`: figures per program id, and enrolments in
    opened classes by the month the class starts (twelve numbers), for classes starting in that
    year at these centres. Three queries, and one per year.

    Enrolments and certificates are counted per class (and per enrolment status and result: a
    few thousand rows for a whole province), and added up here by what the class query told
    about each class: cheaper than asking the database for each figure under its own
    condition, and the same rows give the months."""
    years = {year: ({}, [0] * 12) for year in range(first_year, last_year + 1)}

    def row(year, program_id) -> Figures:
        return years[year][0].setdefault(program_id, Figures())

    for target in (
        PlanTarget.objects.filter(
            plan__centre_id__in=centre_ids, plan__year__gte=first_year, plan__year__lte=last_year
        )
        .values("plan__year", "program_id")
        .annotate(classes=Sum("planned_classes"), trainees=Sum("planned_trainees"))
        .order_by()
    ):
        figures = row(target["plan__year"], target["program_id"])
        figures.planned_classes = target["classes"] or 0
        figures.planned_trainees = target["trainees"] or 0

    classes = {}  # opened class id → (its program's figures, its months, month, closed, assessed)
    for pk, program_id, start_date, status, is_assessed in _courses(
        centre_ids, first_year, last_year
    ).values_list("pk", "program_id", "start_date", "status", "is_assessed"):
        figures = row(start_date.year, program_id)
        if status == CourseStatus.CANCELLED:
            figures.cancelled += 1
            continue
        figures.classes += 1
        if status in OPENED_STATUSES:
            figures.opened += 1
            months = years[start_date.year][1]
            closed = status == CourseStatus.CLOSED
            classes[pk] = (figures, months, start_date.month, closed, is_assessed)
        if status == CourseStatus.CLOSED:
            figures.finished += 1

    opened = _courses(centre_ids, first_year, last_year).filter(status__in=OPENED_STATUSES)
    # One query per year: the planner hashes a year's few thousand groups, but sorts two years'.
    groups = itertools.chain.from_iterable(
        Enrolment.objects.filter(
            course__in=_courses(centre_ids, year).filter(status__in=OPENED_STATUSES)
        )
        .values_list("course_id", "status", "classification", "passed")
        .annotate(
            count=Count("id"),
            scheduled=Coalesce(Sum("scheduled_periods"), 0),
            absent=Coalesce(Sum("absent_periods"), 0),
        )
        .order_by()
        for year in years
    )
    for course_id, status, band, passed, n, scheduled, absent in groups:
        if course_id not in classes:  # opened since the class query: counted from next time
            continue
        figures, months, month, closed, assessed = classes[course_id]
        figures.enrolled += n
        months[month - 1] += n
        if status == EnrolmentStatus.WITHDRAWN:
            figures.withdrawn += n
            continue
        figures.scheduled_periods += scheduled
        figures.absent_periods += absent
        if not closed:
            continue
        figures.closed_enrolments += n
        if passed:
            figures.completed += n
        if assessed:
            figures.assessed += n
            band_field = _BAND_FIELDS.get(band or Classification.FAIL)
            if band_field:
                setattr(figures, band_field, getattr(figures, band_field) + n)

    for course_id, certified in (
        Certificate.objects.filter(status=CertificateStatus.VALID, course__in=opened)
        .values_list("course_id")
        .annotate(certified=Count("course"))  # read from the index on (course, status) alone
        .order_by()
    ):
        if course_id in classes:
            classes[course_id][0].certified += certified
    return years


def year_figures(
    centre_ids, year: int, *, with_people: bool = True, with_previous: bool = False
) -> YearFigures:
    """The year by program, by system, by centre and in total: five or six queries; with
    `with_previous`, also last year's total (`YearFigures.previous`) from the same queries."""
    centre_ids = list(centre_ids)
    counts = _year_counts(centre_ids, year - 1 if with_previous else year, year)
    per_program, months = counts[year]
    programs = []
    if per_program:
        programs = Program.objects.filter(pk__in=per_program.keys()).values(
            "pk", "centre_id", "name", "system"
        )
    # Programs in the order of the systems (Đảng, Nhà nước, …), then by name.
    system_order = {system.value: i for i, system in enumerate(ProgramSystem)}
    rows = [
        ProgramRow(p["pk"], p["centre_id"], p["name"], p["system"], per_program[p["pk"]])
        for p in sorted(
            programs,
            key=lambda p: (system_order.get(p["system"], 99), title_key(p["name"]), p["pk"]),
        )
    ]
    by_system = []
    for system in ProgramSystem:
        group = [r.figures for r in rows if r.system == system]
        by_system.append(SystemRow(system.value, system.label, sum(group, Figures())))
    by_centre: dict[int, Figures] = {centre_id: Figures() for centre_id in centre_ids}
    for r in rows:
        by_centre[r.centre_id] = by_centre.get(r.centre_id, Figures()) + r.figures
    total = sum((r.figures for r in rows), Figures())
    people = 0
    if with_people:
        people = (
            Enrolment.objects.filter(
                course__in=_courses(centre_ids, year).filter(status__in=OPENED_STATUSES)
            )
            .values("trainee_id")
            .distinct()
            .count()
        )
    previous = None
    if with_previous:
        previous = sum(counts[year - 1][0].values(), Figures())
    return YearFigures(year, rows, by_system, by_centre, total, people, months, previous)


@dataclass
class UnitAttendance:
    unit_id: int | None
    name: str
    enrolled: int
    scheduled_periods: int
    absent_periods: int

    @property
    def attendance_rate(self) -> Decimal | None:
        return percent(self.scheduled_periods - self.absent_periods, self.scheduled_periods)


def lowest_attendance_units(centre_ids, year: int, limit: int = 10) -> list[UnitAttendance]:
    """The sending units with the lowest attendance rate this year: two queries (the figures per
    unit, then the names of those that can make the list)."""
    totals = (
        Enrolment.objects.filter(
            course__in=_courses(centre_ids, year).filter(status__in=OPENED_STATUSES),
            scheduled_periods__gt=0,
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("unit_id")
        .annotate(
            enrolled=Count("id"),
            scheduled=Sum("scheduled_periods"),
            absent=Sum("absent_periods"),
        )
        .order_by()
    )
    # Lowest attendance first: absent ÷ scheduled highest first (28 digits tell apart any two
    # different fractions of period counts), then by name. Only the units that can make the
    # list (down to the share of the last place) are named and put in name order.
    ranked = sorted(
        (
            (Decimal(absent) / scheduled, unit_id, enrolled, scheduled, absent)
            for unit_id, enrolled, scheduled, absent in totals
        ),
        key=lambda r: r[0],
        reverse=True,
    )
    if limit <= 0:
        return []
    if len(ranked) > limit:
        last_place = ranked[limit - 1][0]
        ranked = [r for r in ranked if r[0] >= last_place]
    names = {}
    if ranked:
        names = dict(
            Unit.objects.filter(pk__in=[r[1] for r in ranked if r[1]]).values_list("pk", "name")
        )
    units = [
        (
            -share,
            UnitAttendance(
                unit_id, names.get(unit_id) or "Không rõ đơn vị", enrolled, scheduled, absent
            ),
        )
        for share, unit_id, enrolled, scheduled, absent in ranked
    ]
    units.sort(key=lambda item: (item[0], title_key(item[1].name)))
    return [unit for _, unit in units[:limit]]


@dataclass
class LecturerRow:
    lecturer_id: int
    centre_id: int
    name: str
    kind: str
    position: str
    periods: int
    standard_hours: Decimal
    norm: int | None  # yearly norm in standard hours; None for part-time and guests
    political_theory_level: str = ""
    professional_level: str = ""

    @property
    def overtime(self) -> Decimal:
        if self.norm is None:
            return Decimal("0")
        return max(Decimal("0"), self.standard_hours - self.norm)

    @property
    def of_norm(self) -> Decimal | None:
        return percent(self.standard_hours, self.norm) if self.norm else None


@dataclass
class CountRow:
    key: str
    label: str
    count: int
    periods: int = 0
    standard_hours: Decimal = Decimal("0")


@dataclass
class LecturerFigures:
    lecturers: list[LecturerRow]
    by_kind: list[CountRow]
    by_political_level: list[CountRow]
    by_professional_level: list[CountRow]
    total: int = 0
    periods: int = 0
    standard_hours: Decimal = Decimal("0")
    norm_hours: int = 0  # Σ norms of those who have one
    normed_hours: Decimal = Decimal("0")  # Σ standard hours of those who have a norm
    overtime_lecturers: int = 0

    @property
    def of_norm(self) -> Decimal | None:
        return percent(self.normed_hours, self.norm_hours)


def lecturer_figures(centre_ids, year: int) -> LecturerFigures:
    """Active lecturers of these centres (plus anyone who taught this year) by kind and level,
    periods taught in sessions dated this year (cancelled classes excluded), standard hours
    against the norm: three queries."""
    centre_ids = list(centre_ids)
    centres = {c.pk: c for c in Centre.objects.filter(pk__in=centre_ids)}
    taught: dict[int, dict[str, int]] = {}
    for item in (
        Session.objects.filter(
            course__centre_id__in=centre_ids, date__year=year, lecturer__isnull=False
        )
        .exclude(course__status=CourseStatus.CANCELLED)
        .values("lecturer_id", "kind")
        .annotate(periods=Sum("periods"))
        .order_by()
    ):
        taught.setdefault(item["lecturer_id"], {})[item["kind"]] = item["periods"]
    lecturers = Lecturer.objects.filter(
        Q(centre_id__in=centre_ids, active=True) | Q(pk__in=taught.keys())
    ).order_by("sort_key", "pk")
    coefficient_by_centre = {pk: coefficients(c) for pk, c in centres.items()}
    rows = []
    for lecturer in lecturers:
        by_kind = taught.get(lecturer.pk, {})
        # A lecturer of another centre who taught here is counted with this report's rules.
        centre = centres.get(lecturer.centre_id) or next(iter(centres.values()))
        norm = yearly_norm(centre, lecturer)
        rows.append(
            LecturerRow(
                lecturer_id=lecturer.pk,
                centre_id=lecturer.centre_id,
                name=lecturer.full_name,
                kind=lecturer.kind,
                position=lecturer.position,
                periods=sum(by_kind.values()),
                standard_hours=standard_hours(by_kind, coefficient_by_centre[centre.pk]),
                norm=norm.total if norm else None,
                political_theory_level=lecturer.political_theory_level,
                professional_level=lecturer.professional_level,
            )
        )

    def counts(choices, attribute):
        out = []
        for choice in choices:
            group = [r for r in rows if getattr(r, attribute) == choice.value]
            out.append(
                CountRow(
                    choice.value,
                    choice.label,
                    len(group),
                    sum(r.periods for r in group),
                    sum((r.standard_hours for r in group), Decimal("0")),
                )
            )
        return out

    normed = [r for r in rows if r.norm is not None]
    return LecturerFigures(
        lecturers=rows,
        by_kind=counts(LecturerKind, "kind"),
        by_political_level=counts(PoliticalTheoryLevel, "political_theory_level"),
        by_professional_level=counts(ProfessionalLevel, "professional_level"),
        total=len(rows),
        periods=sum(r.periods for r in rows),
        standard_hours=sum((r.standard_hours for r in rows), Decimal("0")),
        norm_hours=sum(r.norm for r in normed),
        normed_hours=sum((r.standard_hours for r in normed), Decimal("0")),
        overtime_lecturers=sum(1 for r in normed if r.overtime > 0),
    )

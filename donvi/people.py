"""What a sending unit sees of its people (issue 16, item 4): their classes this year or another,
attendance so far with a warning before the absence limit is reached, results, certificates with
their public check address, and the classes whose result notices it can download.

Everything is read through `visible()`, so a unit's liaison only ever reads the enrolments its
own unit and the units under it sent; centre staff previewing a unit's page read the same rows.
A fixed number of queries whatever the number of people (tests/donvi/test_unit_page.py).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from hocvien.models import Unit
from hocvien.units import unit_family
from lophoc.attendance import (
    allowed_periods,
    near_absence_limit,
    over_absence_limit,
)
from lophoc.models import (
    Certificate,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from lophoc.results import Outcome, outcome
from lophoc.verification import verification_url
from trungtam.documents.numbers import format_number
from trungtam.scoping import visible

# Classes still running: attendance is followed, not yet a result.
RUNNING = (CourseStatus.IN_PROGRESS, CourseStatus.GRADING)


def family_enrolments(user, unit: Unit) -> QuerySet[Enrolment]:
    """The enrolments the unit (and the units under it) sent that this user may see; cancelled
    classes left out."""
    return (
        visible(user, Enrolment.objects.all())
        .filter(unit__in=unit_family(unit).values("pk"))
        .exclude(course__status=CourseStatus.CANCELLED)
    )


def unit_years(user, unit: Unit) -> list[int]:
    """The years (newest first) of the classes the unit sent people to: one query."""
    years = (
        family_enrolments(user, unit)
        .annotate(year=ExtractYear("course__start_date"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return list(years)


@dataclass
class PersonRow:
    """One enrolment as the unit's page shows it."""

    enrolment: Enrolment
    held_periods: int  # periods of the class's sessions that have taken place
    allowed_periods: Decimal  # the absence limit in periods
    over_limit: bool
    warning: bool
    outcome: Outcome | None  # only once the class is closed
    certificates: list[tuple[Certificate, str]] = field(default_factory=list)

    @property
    def allowed_text(self) -> str:
        """«8» or «7,2»: the periods one may miss, as people write them."""
        allowed = self.allowed_periods
        decimals = 0 if allowed == allowed.to_integral_value() else 1
        return format_number(allowed, decimals)

    @property
    def limit_text(self) -> str:
        """«20%» or «12,5%»: the class's absence limit."""
        limit = Decimal(self.course.absence_limit_percent).normalize()
        decimals = max(0, -limit.as_tuple().exponent)
        return f"{format_number(limit, decimals)}%"

    @property
    def trainee(self):
        return self.enrolment.trainee

    @property
    def course(self) -> Course:
        return self.enrolment.course

    @property
    def withdrawn(self) -> bool:
        return self.enrolment.status == EnrolmentStatus.WITHDRAWN

    @property
    def running(self) -> bool:
        return self.course.status in RUNNING


@dataclass
class ClassGroup:
    """A class and the unit's people in it."""

    course: Course
    rows: list[PersonRow]

    @property
    def closed(self) -> bool:
        return self.course.status == CourseStatus.CLOSED

    @property
    def warnings(self) -> int:
        return sum(1 for row in self.rows if row.warning or row.over_limit)

    @property
    def notice_ready(self) -> bool:
        """The result notice is final once the class is closed (a draft before)."""
        return self.closed and any(row.enrolment.result_computed_at for row in self.rows)


@dataclass
class UnitYear:
    unit: Unit
    year: int
    years: list[int]
    classes: list[ClassGroup]

    @property
    def people(self) -> int:
        return len({row.enrolment.trainee_id for group in self.classes for row in group.rows})

    @property
    def enrolments(self) -> int:
        return sum(len(group.rows) for group in self.classes)

    @property
    def warnings(self) -> int:
        return sum(group.warnings for group in self.classes)


def _held_periods(course_ids: list[int], today: datetime.date) -> dict[int, int]:
    rows = (
        Session.objects.filter(course_id__in=course_ids, date__lte=today)
        .order_by()
        .values("course_id")
        .annotate(periods=Sum("periods"))
    )
    return {row["course_id"]: row["periods"] or 0 for row in rows}


def enrolments_in_year(user, unit: Unit, year: int) -> QuerySet[Enrolment]:
    """The unit's enrolments in classes starting in `year`, with trainee, class, program, unit
    and the valid certificates (`valid_certificates`): two queries once ordered and read."""
    valid = Certificate.objects.filter(status=CertificateStatus.VALID).order_by("year", "sequence")
    return (
        family_enrolments(user, unit)
        .filter(course__start_date__year=year)
        .select_related("trainee", "course", "course__program", "unit")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
    )


def year_enrolments(user, unit: Unit, year: int) -> list[Enrolment]:
    """Newest class first, people in Vietnamese name order within it."""
    return list(
        enrolments_in_year(user, unit, year).order_by(
            "-course__start_date", "course__code", "course_id", "trainee__sort_key", "id"
        )
    )


def unit_year(
    user, unit: Unit, year: int, *, years: list[int], today: datetime.date | None = None
) -> UnitYear:
    """The unit's page for one year (`years`: those `unit_years` gave): three queries whatever
    the number of people and classes."""
    today = today or timezone.localdate()
    enrolments = year_enrolments(user, unit, year)
    held = _held_periods(sorted({e.course_id for e in enrolments}), today)
    groups: dict[int, ClassGroup] = {}
    for enrolment in enrolments:
        course = enrolment.course
        limit = course.absence_limit_percent
        running = course.status in RUNNING
        over = over_absence_limit(
            absent_periods=enrolment.absent_periods,
            scheduled_periods=enrolment.scheduled_periods,
            limit_percent=limit,
        )
        withdrawn = enrolment.status == EnrolmentStatus.WITHDRAWN
        row = PersonRow(
            enrolment=enrolment,
            held_periods=held.get(course.pk, 0),
            allowed_periods=allowed_periods(
                scheduled_periods=enrolment.scheduled_periods, limit_percent=limit
            ),
            over_limit=over and not withdrawn,
            warning=running
            and not withdrawn
            and not over
            and near_absence_limit(
                absent_periods=enrolment.absent_periods,
                scheduled_periods=enrolment.scheduled_periods,
                limit_percent=limit,
            ),
            outcome=outcome(enrolment) if course.status == CourseStatus.CLOSED else None,
            certificates=[
                (certificate, verification_url(certificate.verification_code))
                for certificate in enrolment.valid_certificates
            ],
        )
        groups.setdefault(course.pk, ClassGroup(course=course, rows=[])).rows.append(row)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return UnitYear(unit=unit, year=year, years=years, classes=list(groups.values()))


def default_year(years: list[int], today: datetime.date | None = None) -> int:
    """This year when the unit sent anyone this year or has no classes at all; else its latest."""
    this_year = (today or timezone.localdate()).year
    if not years or this_year in years:
        return this_year
    earlier = [year for year in years if year < this_year]
    return earlier[0] if earlier else years[-1]

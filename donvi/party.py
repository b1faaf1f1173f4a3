"""The Party-membership pipeline of a unit (issue 16, item 6): the list a commune's Party
committee needs before admitting or recognising members.

- Candidates: people who completed the course for Party candidates (đối tượng kết nạp Đảng) and
  have not yet completed the course for new members (đảng viên mới).
- New members whose 12-month probation (dự bị) ends within the next three months, or ended less
  than a year ago, without having completed the course for new members: its result is what the
  Party cell reads to recognise them (DESIGN §5a).

The two programs are those of the standard catalogue (lophoc/catalogue.py): found by their code
(KND, DVM) or, where a centre renamed the code, by their name; both are Party programs.
Only Party organisations and communes, wards and special zones have this list.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from hocvien.models import Trainee, Unit, UnitKind
from hocvien.units import unit_family
from lophoc.models import (
    Certificate,
    CertificateStatus,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Program,
    ProgramSystem,
)
from trungtam.scoping import visible
from trungtam.text import fold

PIPELINE_KINDS = (UnitKind.PARTY_ORG, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE)
CANDIDATE_CODE, NEW_MEMBER_CODE = "KND", "DVM"
CANDIDATE_WORDS, NEW_MEMBER_WORDS = "ket nap dang", "dang vien moi"
PROBATION_MONTHS = 12
# Probations ending this many months ahead are listed, and those ended at most OVERDUE_MONTHS ago
# (a member who joined years ago was recognised long since, whatever this centre recorded).
AHEAD_MONTHS = 3
OVERDUE_MONTHS = 12


def has_pipeline(unit: Unit) -> bool:
    return unit.kind in PIPELINE_KINDS


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the 29-31st of a shorter month is its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def probation_end(joined_on: datetime.date) -> datetime.date:
    return add_months(joined_on, PROBATION_MONTHS)


@dataclass(frozen=True)
class PipelinePrograms:
    candidate: list[int]
    new_member: list[int]


def pipeline_programs(centre_id: int) -> PipelinePrograms:
    """The centre's programs for Party candidates and for new members: one query."""
    candidate, new_member = [], []
    for pk, code, name in Program.objects.filter(
        centre_id=centre_id, system=ProgramSystem.PARTY
    ).values_list("pk", "code", "name"):
        folded = fold(name)
        if code.upper() == CANDIDATE_CODE or CANDIDATE_WORDS in folded:
            candidate.append(pk)
        elif code.upper() == NEW_MEMBER_CODE or NEW_MEMBER_WORDS in folded:
            new_member.append(pk)
    return PipelinePrograms(candidate=candidate, new_member=new_member)


@dataclass
class PipelineRow:
    trainee: Trainee
    completed: Enrolment | None = None  # the candidates' course completed (latest)
    upcoming: Enrolment | None = None  # a new members' class enrolled in, not finished yet
    probation_ends: datetime.date | None = None
    certificates: list[Certificate] = field(default_factory=list)


@dataclass
class Pipeline:
    unit: Unit
    programs: PipelinePrograms
    candidates: list[PipelineRow]
    new_members: list[PipelineRow]
    today: datetime.date

    @property
    def programs_found(self) -> bool:
        return bool(self.programs.candidate and self.programs.new_member)


def _people(user, unit: Unit) -> QuerySet[Trainee]:
    """The people whose current unit is the unit or one under it, as this user may see them."""
    return visible(user, Trainee.objects.all()).filter(unit__in=unit_family(unit).values("pk"))


def _new_member_done(programs: PipelinePrograms):
    return Exists(
        Enrolment.objects.filter(
            trainee=OuterRef("pk"), course__program__in=programs.new_member, passed=True
        )
    )


def _relevant_enrolments(programs: PipelinePrograms) -> Prefetch:
    """Each person's enrolments in either program (classes not cancelled, not withdrawn), newest
    first, with the class and valid certificates."""
    valid = Certificate.objects.filter(status=CertificateStatus.VALID).order_by("year", "sequence")
    enrolments = (
        Enrolment.objects.filter(course__program__in=programs.candidate + programs.new_member)
        .exclude(course__status=CourseStatus.CANCELLED)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course", "course__program")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
        .order_by("-course__start_date", "-id")
    )
    return Prefetch("enrolments", queryset=enrolments, to_attr="pipeline_enrolments")


def _row(trainee: Trainee, programs: PipelinePrograms) -> PipelineRow:
    row = PipelineRow(trainee=trainee)
    for enrolment in trainee.pipeline_enrolments:
        program = enrolment.course.program_id
        if program in programs.candidate and enrolment.passed and row.completed is None:
            row.completed = enrolment
            row.certificates = list(enrolment.valid_certificates)
        if (
            program in programs.new_member
            and enrolment.passed is None
            and enrolment.course.status != CourseStatus.CLOSED
            and row.upcoming is None
        ):
            row.upcoming = enrolment
    if trainee.party_joined_on:
        row.probation_ends = probation_end(trainee.party_joined_on)
    return row


def unit_pipeline(user, unit: Unit, *, today: datetime.date | None = None) -> Pipeline:
    """Both lists of the unit (and the units under it): five queries whatever their length."""
    today = today or timezone.localdate()
    programs = pipeline_programs(unit.centre_id)
    people = _people(user, unit).select_related("unit")
    if not programs.candidate and not programs.new_member:
        return Pipeline(unit, programs, [], [], today)
    done = _new_member_done(programs)
    completed_candidate = Exists(
        Enrolment.objects.filter(
            trainee=OuterRef("pk"), course__program__in=programs.candidate, passed=True
        )
    )
    prefetch = _relevant_enrolments(programs)
    candidates = (
        people.filter(completed_candidate)
        .exclude(done)
        .prefetch_related(prefetch)
        .order_by("sort_key", "id")
    )
    # Probation ends between OVERDUE_MONTHS ago and AHEAD_MONTHS ahead.
    joined_from = add_months(today, -(PROBATION_MONTHS + OVERDUE_MONTHS))
    joined_to = add_months(today, AHEAD_MONTHS - PROBATION_MONTHS)
    new_members = (
        people.filter(
            is_party_member=True,
            party_joined_on__gte=joined_from,
            party_joined_on__lte=joined_to,
        )
        .exclude(done)
        .prefetch_related(prefetch)
        .order_by("party_joined_on", "sort_key", "id")
    )
    return Pipeline(
        unit=unit,
        programs=programs,
        candidates=[_row(t, programs) for t in candidates],
        new_members=[_row(t, programs) for t in new_members],
        today=today,
    )

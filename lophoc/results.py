"""Results of a class (DESIGN §8): computed once in Python with Decimal and stored on the enrolment.

SQL rounding differs between databases, so none of this is left to the database.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from lophoc.attendance import absence_figures, over_absence_limit
from lophoc.models import (
    Assessment,
    Classification,
    Course,
    Enrolment,
    EnrolmentStatus,
    Score,
)
from trungtam.documents.numbers import format_number
from trungtam.text import fold, normalize_text

PASS_SCORE = Decimal("5.0")
# Lower bound of each band, best first; below the last band is Không đạt.
BANDS = [
    (Decimal("9.0"), Classification.EXCELLENT),
    (Decimal("8.0"), Classification.GOOD),
    (Decimal("7.0"), Classification.FAIR),
    (Decimal("5.0"), Classification.AVERAGE),
]
ONE_DECIMAL = Decimal("0.1")
RESULT_FIELDS = [
    "scheduled_periods",
    "absent_periods",
    "excused_periods",
    "final_score",
    "classification",
    "is_eligible",
    "passed",
    "result_computed_at",
]


def weighted_average(pairs: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Weighted average of (weight, score) rounded half up to one decimal; None if a score is missing.

    Assessments with weight 0 count only as present/absent; at least one weight must be positive.
    """
    total_weight = sum((weight for weight, _ in pairs), Decimal(0))
    if not pairs or total_weight <= 0:
        return None
    if any(score is None for weight, score in pairs if weight > 0):
        return None
    total = sum((weight * score for weight, score in pairs if weight > 0), Decimal(0))
    return (total / total_weight).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def classify(score: Decimal) -> str:
    """The band of an already rounded final score."""
    for lower_bound, classification in BANDS:
        if score >= lower_bound:
            return classification
    return Classification.FAIL


def is_eligible(*, absent_periods: int, scheduled_periods: int, limit_percent: Decimal) -> bool:
    """Absent (excused or not, not made up) for more than the limit → not eligible.

    The limit itself is `lophoc.attendance.over_absence_limit`; exactly at the limit is eligible.
    """
    return not over_absence_limit(
        absent_periods=absent_periods,
        scheduled_periods=scheduled_periods,
        limit_percent=limit_percent,
    )


@dataclass(frozen=True)
class Result:
    final_score: Decimal | None
    classification: str
    is_eligible: bool
    passed: bool | None  # None: no result yet (grades incomplete)


def result_for(
    *,
    assessed: bool,
    eligible: bool,
    scores: list[tuple[Decimal, Decimal | None]],
) -> Result:
    """The result of one trainee who sat the class (active enrolment).

    Not assessed: pass = eligible. Assessed: the weighted average of the effective scores; a
    trainee who is not eligible keeps the score that was entered but gets no classification and
    does not pass; an eligible trainee with a weighted score missing has no result yet.
    """
    if not assessed:
        return Result(None, "", eligible, eligible)
    final = weighted_average(scores)
    if not eligible:
        return Result(final, "", False, False)
    if final is None:
        return Result(None, "", True, None)
    return Result(final, classify(final), True, final >= PASS_SCORE)


@dataclass
class Computed:
    """One enrolment's figures and result as closing would store them (nothing written yet)."""

    enrolment: Enrolment
    scheduled_periods: int
    absent_periods: int
    excused_periods: int
    result: Result
    # Weighted assessments still without a score, for a trainee whose result needs them.
    missing: list[Assessment] = field(default_factory=list)


@dataclass(frozen=True)
class LoadedClass:
    """Rows of one class a page has already read, so that the sections computed from them do not
    read them again: the assessments (model order), the enrolments (with trainee, in Vietnamese
    name order) and the class's scheduled periods. None: read it."""

    assessments: list | None = None
    enrolments: list | None = None
    scheduled_periods: int | None = None


def course_results(course: Course, loaded: LoadedClass | None = None) -> list[Computed]:
    """Compute every enrolment's result from the current attendance and scores, storing nothing.

    Enrolments come in Vietnamese name order with their trainee. Five queries whatever the size;
    two when the caller passes the rows it already loaded.
    """
    loaded = loaded or LoadedClass()
    scheduled, absent, excused = absence_figures(course, scheduled=loaded.scheduled_periods)
    assessments = (
        loaded.assessments if loaded.assessments is not None else list(course.assessments.all())
    )
    effective: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for enrolment_id, assessment_id, score, retake in Score.objects.filter(
        enrolment__course=course
    ).values_list("enrolment_id", "assessment_id", "score", "retake_score"):
        # A retake replaces the original for this assessment, lower or higher (DESIGN §8).
        effective[enrolment_id][assessment_id] = retake if retake is not None else score

    computed = []
    enrolments = loaded.enrolments
    if enrolments is None:
        enrolments = course.enrolments.select_related("trainee").order_by("trainee__sort_key", "id")
    for enrolment in enrolments:
        eligible = enrolment.status != EnrolmentStatus.NOT_ELIGIBLE and is_eligible(
            absent_periods=absent[enrolment.pk],
            scheduled_periods=scheduled,
            limit_percent=course.absence_limit_percent,
        )
        scores = effective[enrolment.pk]
        missing = []
        if enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ABSENT_FINAL):
            result = Result(None, "", eligible, False)
        else:
            result = result_for(
                assessed=course.is_assessed,
                eligible=eligible,
                scores=[(a.weight, scores.get(a.pk)) for a in assessments],
            )
            if result.passed is None:
                missing = [a for a in assessments if a.weight > 0 and scores.get(a.pk) is None]
        computed.append(
            Computed(
                enrolment=enrolment,
                scheduled_periods=scheduled,
                absent_periods=absent[enrolment.pk],
                excused_periods=excused[enrolment.pk],
                result=result,
                missing=missing,
            )
        )
    return computed


@transaction.atomic
def course_results_compute(*, course: Course, user=None, reason: str | None = None) -> int:
    """Compute and store attendance figures and results for every enrolment of the class.

    Every enrolment gets a history record (who, when, the values) so that changes of results can
    be followed. Runs a fixed number of queries whatever the class size. Returns the number of
    enrolments.
    """
    return results_store(computed=course_results(course), user=user, reason=reason)


def results_store(*, computed: list[Computed], user=None, reason: str | None = None) -> int:
    """Store what `course_results()` computed, with one history record per enrolment."""
    now = timezone.now()
    enrolments = []
    for item in computed:
        enrolment = item.enrolment
        enrolment.scheduled_periods = item.scheduled_periods
        enrolment.absent_periods = item.absent_periods
        enrolment.excused_periods = item.excused_periods
        enrolment.final_score = item.result.final_score
        enrolment.classification = item.result.classification
        enrolment.is_eligible = item.result.is_eligible
        enrolment.passed = item.result.passed
        enrolment.result_computed_at = now
        enrolments.append(enrolment)
    if enrolments:
        bulk_update_with_history(
            enrolments,
            Enrolment,
            RESULT_FIELDS,
            batch_size=500,
            default_user=user,
            default_change_reason=reason or "Tính kết quả học tập",
            default_date=now,
        )
    return len(enrolments)


# --- the distribution of a class's results ---------------------------------------------------


@dataclass(frozen=True)
class Band:
    value: str
    label: str
    count: int
    percent: Decimal | None  # of the trainees counted (withdrawn ones are not)

    @property
    def width(self) -> int:
        """Whole percent for the bar's width class (w-pct-0 … w-pct-100)."""
        if self.percent is None:
            return 0
        return int(self.percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Distribution:
    """Counts of a class's results; withdrawn trainees are left out of every share."""

    counted: int
    withdrawn: int
    bands: list[Band]  # Xuất sắc … Không đạt, best first
    unclassified: int  # counted trainees without a classification
    outcomes: list[Band]  # passed, not passed, not eligible
    pending: int  # active trainees without a result yet

    @property
    def passed(self) -> int:
        return self.outcomes[0].count

    @property
    def not_passed(self) -> int:
        return self.outcomes[1].count

    @property
    def not_eligible(self) -> int:
        return self.outcomes[2].count

    @property
    def pass_rate(self) -> Decimal | None:
        return self.outcomes[0].percent


def _band(value: str, label: str, count: int, whole: int) -> Band:
    percent = Decimal(count) * 100 / Decimal(whole) if whole else None
    return Band(value, label, count, percent)


def result_distribution(rows: Iterable[tuple[str, str, bool | None, bool | None]]) -> Distribution:
    """Rows of (enrolment status, classification, is_eligible, passed) → the distribution."""
    counted = withdrawn = unclassified = pending = 0
    passed = not_passed = not_eligible = 0
    by_band: dict[str, int] = defaultdict(int)
    for status, classification, eligible, has_passed in rows:
        if status == EnrolmentStatus.WITHDRAWN:
            withdrawn += 1
            continue
        counted += 1
        if classification:
            by_band[classification] += 1
        else:
            unclassified += 1
        if has_passed:
            passed += 1
        elif eligible is False or status == EnrolmentStatus.NOT_ELIGIBLE:
            not_eligible += 1
        elif has_passed is False:
            not_passed += 1
        else:
            pending += 1
    bands = [_band(c.value, c.label, by_band[c.value], counted) for c in Classification]
    outcomes = [
        _band("passed", "Hoàn thành", passed, counted),
        _band("not_passed", "Không hoàn thành", not_passed, counted),
        _band("not_eligible", "Không đủ điều kiện", not_eligible, counted),
    ]
    return Distribution(counted, withdrawn, bands, unclassified, outcomes, pending)


def stored_distribution(course: Course) -> Distribution:
    """The distribution of the results stored on the class's enrolments (one query)."""
    return result_distribution(
        course.enrolments.order_by().values_list(
            "status", "classification", "is_eligible", "passed"
        )
    )


def computed_distribution(computed: Iterable[Computed]) -> Distribution:
    """The distribution closing would store, from `course_results()`."""
    return result_distribution(
        (c.enrolment.status, c.result.classification, c.result.is_eligible, c.result.passed)
        for c in computed
    )


# --- what a trainee's result says, in words -------------------------------------------------

COMPLETED = "Hoàn thành"
NOT_COMPLETED = "Không hoàn thành"
WITHDRAWN = "Thôi học"
PENDING = "Chưa có kết quả"


def with_reason(phrase: str, reason: str, detail: str = "") -> str:
    """The outcome `phrase` (and its `detail`), then the reason staff recorded — said once.

    A reason that begins with the phrase itself ("Vắng kiểm tra cuối khóa (ốm)") continues it:
    "vắng kiểm tra cuối khóa (ốm)", never "vắng kiểm tra cuối khóa (Vắng kiểm tra cuối khóa
    (ốm))". Any other reason follows in brackets. Compared without case or diacritics, so
    "khoá" and "khóa" are the same word.
    """
    reason = normalize_text(reason or "")
    if not reason:
        return f"{phrase}{detail}"
    folded, start = fold(reason), fold(phrase)
    repeats = (
        len(folded) == len(reason)  # one folded letter per letter: positions line up
        and folded.startswith(start)
        and not folded[len(start) : len(start) + 1].isalnum()
    )
    if not repeats:
        return f"{phrase}{detail} ({reason})"
    rest = reason[len(start) :].strip()
    if not rest:
        return f"{phrase}{detail}"
    if rest[0] in ",;:.":
        return f"{phrase}{detail}{rest}"
    return f"{phrase}{detail} {rest}"


@dataclass(frozen=True)
class Outcome:
    """A trainee's stored result in words: `label` (Hoàn thành, Không hoàn thành, Thôi học, Chưa
    có kết quả) and `text`, the label with its reason as every screen and document prints it."""

    label: str
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def detail(self) -> str:
        """What `text` says after its label ("vắng kiểm tra cuối khóa (ốm)"), for a screen that
        shows the label on its own line."""
        if not self.text.startswith(self.label):
            return self.text
        return self.text[len(self.label) :].lstrip(":").strip()


def outcome(enrolment: Enrolment, *, with_recorded_reason: bool = True) -> Outcome:
    """The one rule for what a result says: Hoàn thành, or why not — withdrawn, absent from the
    final, not eligible by attendance (n/m periods absent), a final score below 5,0 — with the
    reason staff recorded, said once (left out by `with_recorded_reason=False`: documents that
    leave the centre state the fact only). Reads only the enrolment's stored fields."""
    reason = enrolment.status_reason if with_recorded_reason else ""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return Outcome(WITHDRAWN, with_reason(WITHDRAWN, reason))
    not_completed = f"{NOT_COMPLETED}: "
    if enrolment.status == EnrolmentStatus.ABSENT_FINAL:
        return Outcome(
            NOT_COMPLETED, not_completed + with_reason("vắng kiểm tra cuối khóa", reason)
        )
    if enrolment.status == EnrolmentStatus.NOT_ELIGIBLE or enrolment.is_eligible is False:
        absent = ""
        if enrolment.scheduled_periods:
            absent = (
                f", vắng {format_number(enrolment.absent_periods)}/"
                f"{format_number(enrolment.scheduled_periods)} tiết"
            )
        return Outcome(
            NOT_COMPLETED,
            not_completed + with_reason("không đủ điều kiện chuyên cần", reason, absent),
        )
    if enrolment.passed is None:
        return Outcome(PENDING, PENDING)
    if enrolment.passed:
        return Outcome(COMPLETED, COMPLETED)
    if enrolment.final_score is not None and enrolment.final_score < PASS_SCORE:
        return Outcome(
            NOT_COMPLETED, f"{not_completed}điểm tổng kết dưới {format_number(PASS_SCORE, 1)}"
        )
    return Outcome(NOT_COMPLETED, NOT_COMPLETED)


@dataclass(frozen=True)
class OutcomeCounts:
    """How many trainees of a class each outcome has (the class page's roster header)."""

    completed: int = 0
    not_completed: int = 0
    withdrawn: int = 0
    pending: int = 0

    @classmethod
    def of(cls, outcomes: Iterable[Outcome]) -> "OutcomeCounts":
        counts: dict[str, int] = defaultdict(int)
        for item in outcomes:
            counts[item.label] += 1
        return cls(
            completed=counts[COMPLETED],
            not_completed=counts[NOT_COMPLETED],
            withdrawn=counts[WITHDRAWN],
            pending=counts[PENDING],
        )

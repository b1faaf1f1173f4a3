"""Results of a class (DESIGN §8): computed once in Python with Decimal and stored on the enrolment.

SQL rounding differs between databases, so none of this is left to the database.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from lophoc.attendance import absence_figures
from lophoc.models import (
    Classification,
    Course,
    Enrolment,
    EnrolmentStatus,
    Score,
)

PASS_SCORE = Decimal("5.0")
# Lower bound of each band, best first; below the last band is Không đạt.
BANDS = [
    (Decimal("9.0"), Classification.EXCELLENT),
    (Decimal("8.0"), Classification.GOOD),
    (Decimal("7.0"), Classification.FAIR),
    (Decimal("5.0"), Classification.AVERAGE),
]
ONE_DECIMAL = Decimal("0.1")


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
    for lower_bound, classification in BANDS:
        if score >= lower_bound:
            return classification
    return Classification.FAIL


def is_eligible(*, absent_periods: int, scheduled_periods: int, limit_percent: Decimal) -> bool:
    """Absent (excused or not, not made up) for more than the limit → not eligible."""
    if scheduled_periods == 0:
        return True
    return Decimal(absent_periods) * 100 <= limit_percent * scheduled_periods


@dataclass(frozen=True)
class Result:
    final_score: Decimal | None
    classification: str
    is_eligible: bool
    passed: bool | None


def result_for(
    *,
    assessed: bool,
    eligible: bool,
    scores: list[tuple[Decimal, Decimal | None]],
) -> Result:
    if not assessed:
        return Result(None, "", eligible, eligible)
    final = weighted_average(scores)
    if final is None:
        # Incomplete grades: no result yet unless the trainee is not eligible anyway.
        return Result(None, "", eligible, False if not eligible else None)
    classification = classify(final)
    return Result(final, classification, eligible, eligible and final >= PASS_SCORE)


@transaction.atomic
def course_results_compute(*, course: Course) -> int:
    """Compute and store attendance figures and results for every enrolment of the class.

    Runs a fixed number of queries whatever the class size. Returns the number of enrolments.
    """
    scheduled, absent, excused = absence_figures(course)
    weights = {a.pk: a.weight for a in course.assessments.all()}
    scores = defaultdict(dict)
    for score in Score.objects.filter(enrolment__course=course):
        scores[score.enrolment_id][score.assessment_id] = score.effective_score

    now = timezone.now()
    enrolments = list(course.enrolments.all())
    for enrolment in enrolments:
        enrolment.scheduled_periods = scheduled
        enrolment.absent_periods = absent[enrolment.pk]
        enrolment.excused_periods = excused[enrolment.pk]
        eligible = is_eligible(
            absent_periods=absent[enrolment.pk],
            scheduled_periods=scheduled,
            limit_percent=course.absence_limit_percent,
        )
        if enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ABSENT_FINAL):
            result = Result(None, "", eligible, False)
        else:
            result = result_for(
                assessed=course.is_assessed,
                eligible=eligible,
                scores=[(w, scores[enrolment.pk].get(a)) for a, w in weights.items()],
            )
        enrolment.final_score = result.final_score
        enrolment.classification = result.classification
        enrolment.is_eligible = result.is_eligible
        enrolment.passed = result.passed
        enrolment.result_computed_at = now
    Enrolment.objects.bulk_update(
        enrolments,
        [
            "scheduled_periods",
            "absent_periods",
            "excused_periods",
            "final_score",
            "classification",
            "is_eligible",
            "passed",
            "result_computed_at",
        ],
        batch_size=500,
    )
    return len(enrolments)

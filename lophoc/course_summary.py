"""A class in figures only, for those who read aggregates and never people (officials, DESIGN §7,
§8b): counts by status and classification, attendance and pass rates.

Computed from the class's enrolments already loaded by the page, with the stored absence figures
and results — no query of its own.
"""

from collections import Counter
from dataclasses import dataclass

from lophoc.models import Classification, Enrolment, EnrolmentStatus
from trungtam.documents.numbers import format_percent


@dataclass(frozen=True)
class CourseSummary:
    total: int  # every enrolment, withdrawn included
    by_status: list[tuple[str, int]]  # (label, count), every status, in the usual order
    by_classification: list[tuple[str, int]]  # only once results exist
    results_count: int  # enrolments with a computed result
    passed: int
    attended_periods: int
    scheduled_periods: int

    @property
    def attendance_rate(self) -> str:
        return format_percent(self.attended_periods, self.scheduled_periods)

    @property
    def pass_rate(self) -> str:
        return format_percent(self.passed, self.results_count)


def course_summary(enrolments: list[Enrolment]) -> CourseSummary:
    """Attendance rate = periods attended ÷ periods scheduled over enrolments not withdrawn
    (DESIGN §9); pass rate = passed ÷ enrolments not withdrawn whose result is computed."""
    statuses = Counter(e.status for e in enrolments)
    staying = [e for e in enrolments if e.status != EnrolmentStatus.WITHDRAWN]
    with_result = [e for e in staying if e.passed is not None]
    classes = Counter(e.classification for e in with_result if e.classification)
    scheduled = sum(e.scheduled_periods for e in staying)
    absent = sum(min(e.absent_periods, e.scheduled_periods) for e in staying)
    return CourseSummary(
        total=len(enrolments),
        by_status=[(status.label, statuses.get(status.value, 0)) for status in EnrolmentStatus],
        by_classification=[
            (choice.label, classes.get(choice.value, 0)) for choice in Classification
        ]
        if with_result
        else [],
        results_count=len(with_result),
        passed=sum(1 for e in with_result if e.passed),
        attended_periods=scheduled - absent,
        scheduled_periods=scheduled,
    )

"""Closing grading (DESIGN §5 step 6): check, compute and store results, lock; reopen with a reason.

Closing is the only way results are written for a class: `course_close` checks that every active
trainee has the scores their result needs (or a status that explains why not), computes the
results with `lophoc.results`, stores them with history and moves the class to «Đã kết thúc» —
all in one transaction. Scores of a closed class are locked by `lophoc.scores.grading_refusal`.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from lophoc.assessments import ASSESSMENT_EDIT_STATUSES
from lophoc.attendance import untaken_sessions
from lophoc.models import (
    Classification,
    Course,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    Session,
    TransitionRefused,
)
from lophoc.results import (
    Computed,
    Distribution,
    LoadedClass,
    computed_distribution,
    course_results,
    result_distribution,
    results_store,
)
from trungtam.scoping import Right, has_right

# How many trainees a refusal names before it only counts the others.
MISSING_NAMED = 10
# How many result changes the class page lists (newest first).
CHANGES_SHOWN = 20
CLOSE_REASON = "Kết thúc lớp: tính và lưu kết quả học tập"
# How many sessions without attendance a refusal or a status change names.
UNTAKEN_NAMED = 10
ALL_PRESENT_CONFIRMATION = "Tôi xác nhận ở các buổi này mọi học viên đều có mặt"


@dataclass
class ClosingCheck:
    """What closing the class now would store, and what stops it."""

    computed: list[Computed]
    missing: list[Computed]  # active, eligible trainees whose weighted scores are incomplete
    distribution: Distribution
    refusal: str | None
    assessments: list = field(default_factory=list)
    # Sessions with no attendance taken: closing counts everyone present at them, so it needs a
    # person to confirm that, naming them (`course_close(all_present=…)`).
    untaken: list[Session] = field(default_factory=list)

    @property
    def missing_named(self) -> list[Computed]:
        return self.missing[:MISSING_NAMED]

    @property
    def missing_more(self) -> int:
        return max(len(self.missing) - MISSING_NAMED, 0)


def _missing_text(missing: list[Computed]) -> str:
    names = []
    for item in missing[:MISSING_NAMED]:
        lacking = ", ".join(a.name for a in item.missing)
        names.append(
            f"{item.enrolment.trainee.full_name} (thiếu: {lacking})"
            if lacking
            else item.enrolment.trainee.full_name
        )
    text = "; ".join(names)
    if len(missing) > MISSING_NAMED:
        text += f" và {len(missing) - MISSING_NAMED} học viên khác"
    return text


def closing_check(
    course: Course, loaded: LoadedClass | None = None, *, untaken: bool = True
) -> ClosingCheck:
    """Compute (without storing) what closing would store, why it may not happen yet, and which
    sessions it would count everyone present at (no attendance taken).

    Eight queries whatever the class size (two with the rows the class page already `loaded`
    and `untaken=False`, which leaves the sessions without attendance out).
    """
    computed = course_results(course, loaded)
    missing = [c for c in computed if c.result.passed is None]
    if loaded is not None and loaded.assessments is not None:
        assessments = loaded.assessments
    else:
        assessments = list(course.assessments.select_related("grader"))
    refusal = None
    if CourseStatus.CLOSED not in course.allowed_transitions():
        refusal = course.transition_refusal(CourseStatus.CLOSED)
    elif missing and not any(a.weight > 0 for a in assessments):
        refusal = (
            f"Không thể kết thúc lớp: còn {len(missing)} học viên chưa có kết quả vì lớp có kiểm "
            "tra, đánh giá nhưng chưa có bài kiểm tra nào có hệ số lớn hơn 0. Hãy khai báo bài "
            "kiểm tra và hệ số của lớp trước."
        )
    elif missing:
        refusal = (
            f"Không thể kết thúc lớp: còn {len(missing)} học viên chưa có kết quả (chưa đủ "
            f"điểm): {_missing_text(missing)}. Hãy nhập đủ điểm, hoặc ghi tình trạng thôi học, "
            "không đủ điều kiện dự kiểm tra hay vắng kiểm tra cuối khóa cho học viên đó."
        )
    return ClosingCheck(
        computed=computed,
        missing=missing,
        distribution=computed_distribution(computed),
        refusal=refusal,
        assessments=assessments,
        untaken=untaken_sessions(course) if untaken and refusal is None else [],
    )


def session_label(session: Session) -> str:
    """«sáng 02/03/2026»: how a refusal or a status change names a session."""
    return f"{session.get_part_display().lower()} {session.date:%d/%m/%Y}"


def _sessions_text(sessions: list[Session]) -> str:
    text = ", ".join(session_label(s) for s in sessions[:UNTAKEN_NAMED])
    if len(sessions) > UNTAKEN_NAMED:
        text += f" và {len(sessions) - UNTAKEN_NAMED} buổi khác"
    return text


def untaken_refusal(sessions: list[Session]) -> str:
    return (
        f"Chưa kết thúc lớp: còn {len(sessions)} buổi học chưa điểm danh: "
        f"{_sessions_text(sessions)}. Kết thúc lớp sẽ tính mọi học viên có mặt ở các buổi "
        f"này. Hãy điểm danh các buổi đó, hoặc đánh dấu «{ALL_PRESENT_CONFIRMATION}» ở bước "
        "xác nhận."
    )


@transaction.atomic
def course_close(*, course: Course, user, all_present: Collection[int] = ()) -> CourseStatusChange:
    """Close grading: check, compute and store every result with history, then «Đã kết thúc».

    `all_present`: the ids of the sessions without attendance that the person closing confirmed
    every trainee attended (they were shown by name). Raises TransitionRefused (nothing written)
    when the class is not in grading, a trainee's result cannot be computed yet, or a session
    without attendance was not confirmed. The confirmed sessions are named in the status change.
    """
    locked = Course.objects.select_for_update().get(pk=course.pk)
    check = closing_check(locked)
    if check.refusal:
        course.status = locked.status
        raise TransitionRefused(check.refusal)
    confirmed = set(all_present)
    unconfirmed = [s for s in check.untaken if s.pk not in confirmed]
    if unconfirmed:
        course.status = locked.status
        raise TransitionRefused(untaken_refusal(unconfirmed))
    reason = ""
    if check.untaken:
        reason = (
            f"Xác nhận mọi học viên có mặt ở {len(check.untaken)} buổi chưa điểm danh: "
            f"{_sessions_text(check.untaken)}."
        )
    results_store(computed=check.computed, user=user, reason=CLOSE_REASON)
    change = locked.transition_to(CourseStatus.CLOSED, user=user, reason=reason)
    course.status = locked.status
    return change


@transaction.atomic
def course_reopen(*, course: Course, user, reason: str) -> CourseStatusChange:
    """Closed → grading with a reason (kept in the status history).

    Refused without a reason and while the class has a valid certificate. Stored results stay
    until the class is closed again, when they are computed anew (and their changes recorded).
    """
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != CourseStatus.CLOSED:
        course.status = locked.status
        raise TransitionRefused(
            f"Chỉ mở lại việc chấm điểm của lớp đã kết thúc; lớp đang ở trạng thái "
            f"«{locked.get_status_display()}»."
        )
    change = locked.transition_to(CourseStatus.GRADING, user=user, reason=(reason or "").strip())
    course.status = locked.status
    return change


# --- the class page's Kết quả section ---------------------------------------------------------


@dataclass(frozen=True)
class ResultChange:
    """One stored result that a later computation changed (read from the enrolment history)."""

    when: object
    user: str
    trainee: str
    old_score: Decimal | None
    old_classification: str
    old_outcome: str
    new_score: Decimal | None
    new_classification: str
    new_outcome: str
    reason: str


_LABELS = dict(Classification.choices)


def _outcome(passed, eligible) -> str:
    if passed:
        return "Hoàn thành"
    if eligible is False:
        return "Không đủ điều kiện"
    if passed is False:
        return "Không hoàn thành"
    return "Chưa có kết quả"


def result_history(course: Course) -> tuple[list[ResultChange], dict | None]:
    """Changes of stored results (newest first) and the last computation (when, who, how many).

    The first computation of each trainee is not a change. One query whatever the class size.
    """
    rows = (
        Enrolment.history.filter(course_id=course.pk, result_computed_at__isnull=False)
        .order_by("id", "history_date", "history_id")
        .values(
            "id",
            "history_date",
            "history_change_reason",
            "history_user__full_name",
            "history_user__username",
            "trainee__full_name",
            "final_score",
            "classification",
            "is_eligible",
            "passed",
        )
    )
    changes = []
    last = None
    previous = None
    for row in rows:
        user = row["history_user__full_name"] or row["history_user__username"] or "—"
        if last is None or row["history_date"] > last["when"]:
            last = {"when": row["history_date"], "user": user, "count": 0}
        if row["history_date"] == last["when"]:
            last["count"] += 1
        values = (row["final_score"], row["classification"], row["passed"], row["is_eligible"])
        if previous is not None and previous[0] == row["id"] and previous[1] != values:
            old = previous[1]
            changes.append(
                ResultChange(
                    when=row["history_date"],
                    user=user,
                    trainee=row["trainee__full_name"] or "—",
                    old_score=old[0],
                    old_classification=_LABELS.get(old[1], ""),
                    old_outcome=_outcome(old[2], old[3]),
                    new_score=values[0],
                    new_classification=_LABELS.get(values[1], ""),
                    new_outcome=_outcome(values[2], values[3]),
                    reason=row["history_change_reason"] or "",
                )
            )
        previous = (row["id"], values)
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes, last


def course_results_context(*, course: Course, user, loaded: LoadedClass | None = None) -> dict:
    """What the class page's Kết quả section needs, in a fixed number of queries.

    Closed: the stored distribution. Grading: what closing would store now and who still lacks
    scores. Always: how the final score is computed and the history of result changes.
    """
    loaded = loaded or LoadedClass()
    check = None
    distribution = None
    if course.status == CourseStatus.GRADING:
        check = closing_check(course, loaded, untaken=False)
        assessments = check.assessments
        distribution = check.distribution
    else:
        assessments = loaded.assessments
        if assessments is None:
            assessments = list(course.assessments.select_related("grader"))
        if course.status == CourseStatus.CLOSED:
            if loaded.enrolments is not None:
                rows = [
                    (e.status, e.classification, e.is_eligible, e.passed) for e in loaded.enrolments
                ]
            else:
                rows = course.enrolments.order_by().values_list(
                    "status", "classification", "is_eligible", "passed"
                )
            distribution = result_distribution(rows)
    changes, last = result_history(course)
    can_manage = has_right(user, Right.MANAGE)
    return {
        "closed": course.status == CourseStatus.CLOSED,
        "grading": course.status == CourseStatus.GRADING,
        "distribution": distribution,
        "check": check,
        "assessments": assessments,
        "weighted": [a for a in assessments if a.weight > 0],
        "last_computed": last,
        "changes": changes[:CHANGES_SHOWN],
        "change_count": len(changes),
        "can_edit_assessments": can_manage
        and course.is_assessed
        and course.status in ASSESSMENT_EDIT_STATUSES,
        "can_close": has_right(user, Right.CLOSE) and course.status == CourseStatus.GRADING,
    }

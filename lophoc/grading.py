"""Grades: the grid, saving without lost updates, submission (nộp điểm) (DESIGN §5 step 5, §7).

A cell is one value of one Score row: the score, or its retake (thi lại). Every Score row carries a
`version`, bumped on each change; the grid posts, for every cell, the value and version it showed,
so that a save can tell whether someone else changed the cell in between and then writes nothing.
"""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from lophoc.models import Assessment, Course, Enrolment, EnrolmentStatus, Score
from lophoc.results import weighted_average
from lophoc.scores import (
    GRADING_OPEN_STATUSES,
    gradable_assessment_ids,
    grading_refusal,
    scores_write,
)
from trungtam.scoping import Right, has_right

HISTORY_ON_CLASS_PAGE = 50
RETURN_REASON_MAX = 300  # Assessment.returned_reason


# --- cells -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    enrolment_id: int
    assessment_id: int
    retake: bool = False

    @property
    def field(self) -> str:
        return "retake_score" if self.retake else "score"

    @property
    def row_key(self) -> tuple[int, int]:
        return (self.enrolment_id, self.assessment_id)


@dataclass(frozen=True)
class CellEdit:
    """What the user wants in a cell, with the value and row version the page showed them."""

    cell: Cell
    original: Decimal | None
    version: int
    value: Decimal | None


@dataclass(frozen=True)
class Conflict:
    """A cell someone else saved after the page was loaded: the user's value and the stored one."""

    cell: Cell
    mine: Decimal | None
    theirs: Decimal | None
    version: int
    by: object | None  # the User who saved it, if known
    at: datetime.datetime | None


class GradeConflict(Exception):
    """Raised by scores_save when cells changed under the user; nothing was written."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(f"{len(conflicts)} ô điểm đã bị người khác sửa.")
        self.conflicts = conflicts


# --- who may write what ----------------------------------------------------------------------


def grading_permission(user, course: Course, assessments: list[Assessment]) -> tuple[set, set]:
    """(ids the user may write now, ids that are theirs but submitted and so read-only for now).

    Anything in neither set was never this user's to write (403). The class must already be
    visible to the user.
    """
    writable = gradable_assessment_ids(user, course, assessments)
    if not any(a.submitted_at for a in assessments if a.pk not in writable):
        return writable, set()
    unsubmitted = []
    for assessment in assessments:
        probe = copy.copy(assessment)
        probe.submitted_at = None
        unsubmitted.append(probe)
    theirs = gradable_assessment_ids(user, course, unsubmitted)
    return writable, theirs - writable


def _refuse_unwritable(user, course, assessments: dict[int, Assessment], assessment_ids) -> None:
    writable, submitted = grading_permission(user, course, list(assessments.values()))
    foreign = set(assessment_ids) - writable - submitted
    if foreign:
        raise PermissionDenied("Bạn không được nhập điểm cho bài kiểm tra này.")
    locked = sorted(set(assessment_ids) & submitted)
    if locked:
        names = ", ".join(f"«{assessments[pk].name}»" for pk in locked)
        raise ValidationError(
            f"Không lưu: {names} đã nộp điểm nên không sửa được nữa. Nếu cần sửa, hãy đề nghị "
            "cán bộ trung tâm trả lại bài để nhập tiếp."
        )


# --- saving the grid -------------------------------------------------------------------------


def _lock_course(course: Course) -> Course:
    """Serialise every write of one class's grades (and its status changes) on the class row."""
    return Course.objects.select_for_update().get(pk=course.pk)


@transaction.atomic
def scores_save(*, course: Course, user, edits: list[CellEdit]) -> int:
    """Write the changed cells of a class's grades in one transaction; the number changed.

    A cell whose stored value is no longer the one the page showed was changed by someone else
    since: then nothing at all is written and GradeConflict lists those cells (with the stored
    value, version, who and when, to be the new base). Refusals (grading closed, an assessment
    submitted, a withdrawn trainee) raise ValidationError; an assessment the user may not grade
    raises PermissionDenied. Every changed Score gets version + 1, updated_by and a history row.
    """
    locked = _lock_course(course)
    refusal = grading_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    assessments = {a.pk: a for a in locked.assessments.all()}
    enrolments = {
        e.pk: e for e in Enrolment.objects.filter(course=locked).select_related("trainee")
    }
    for edit in edits:
        if edit.cell.assessment_id not in assessments or edit.cell.enrolment_id not in enrolments:
            raise PermissionDenied("Ô điểm không thuộc lớp này.")
    _refuse_unwritable(user, locked, assessments, {e.cell.assessment_id for e in edits})
    for edit in edits:
        if edit.cell.retake and not assessments[edit.cell.assessment_id].has_retake:
            raise ValidationError(
                f"«{assessments[edit.cell.assessment_id].name}» không có thi lại."
            )

    scores = {
        (s.enrolment_id, s.assessment_id): s
        for s in Score.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(
            enrolment__course=locked,
            assessment_id__in={e.cell.assessment_id for e in edits},
        )
    }
    conflicts: list[Conflict] = []
    withdrawn: set[int] = set()
    changes: list[CellEdit] = []
    for edit in edits:
        score = scores.get(edit.cell.row_key)
        stored = getattr(score, edit.cell.field) if score else None
        if stored == edit.value:
            continue  # nothing to write (unchanged, or someone already saved the same value)
        # The version says whether the row moved; the value whether this cell did. A row moved
        # by a change of its other cell (score vs retake) loses nothing if this one is written.
        if stored != edit.original:
            conflicts.append(
                Conflict(
                    cell=edit.cell,
                    mine=edit.value,
                    theirs=stored,
                    version=score.version if score else 0,
                    by=score.updated_by if score else None,
                    at=score.updated_at if score else None,
                )
            )
            continue
        if enrolments[edit.cell.enrolment_id].status == EnrolmentStatus.WITHDRAWN:
            withdrawn.add(edit.cell.enrolment_id)
            continue
        changes.append(edit)
    if conflicts:
        raise GradeConflict(conflicts)
    if withdrawn:
        names = ", ".join(enrolments[pk].trainee.full_name for pk in sorted(withdrawn))
        raise ValidationError(f"Không lưu: {names} đã thôi học, không ghi điểm được nữa.")
    if not changes:
        return 0

    scores_write(
        scores=scores,
        values=[(edit.cell.row_key, edit.cell.field, edit.value) for edit in changes],
        user=user,
    )
    return len(changes)


# --- the grid --------------------------------------------------------------------------------


def grid_enrolments(course: Course) -> list[Enrolment]:
    """Every enrolment of the class in Vietnamese name order (withdrawn ones shown, greyed)."""
    return list(
        course.enrolments.select_related("trainee", "unit").order_by("trainee__sort_key", "id")
    )


def grid_scores(course: Course) -> dict[tuple[int, int], Score]:
    return {
        (s.enrolment_id, s.assessment_id): s
        for s in Score.objects.filter(enrolment__course=course).select_related("updated_by")
    }


def row_average(assessments: list[Assessment], scores: dict, enrolment_id: int) -> Decimal | None:
    """The weighted average of one row from the current effective scores (a preview only)."""
    pairs = []
    for assessment in assessments:
        score = scores.get((enrolment_id, assessment.pk))
        pairs.append((assessment.weight, score.effective_score if score else None))
    return weighted_average(pairs)


# --- submission (nộp điểm) -------------------------------------------------------------------


def score_counts(
    course: Course, assessment_ids, *, active: int | None = None
) -> tuple[int, dict[int, int]]:
    """(active enrolments, how many of them have a score per assessment id); two queries (one when
    the caller knows how many enrolments are active)."""
    if active is None:
        active = course.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
    scored = dict(
        Score.objects.filter(
            assessment_id__in=list(assessment_ids),
            enrolment__course=course,
            enrolment__status=EnrolmentStatus.ACTIVE,
        )
        .filter(Q(score__isnull=False) | Q(retake_score__isnull=False))
        .values("assessment_id")
        .annotate(n=Count("id"))
        .values_list("assessment_id", "n")
    )
    return active, {pk: scored.get(pk, 0) for pk in assessment_ids}


def missing_scores(course: Course, assessment_ids) -> dict[int, int]:
    """For each assessment, how many active enrolments have no score yet."""
    active, scored = score_counts(course, assessment_ids)
    return {pk: active - n for pk, n in scored.items()}


def submittable_assessments(user, course: Course, assessments: list[Assessment]) -> list:
    """The assessments this user may submit now: theirs to grade and not submitted yet."""
    if grading_refusal(course):
        return []
    writable = gradable_assessment_ids(user, course, assessments)
    return [a for a in assessments if a.pk in writable and a.submitted_at is None]


@transaction.atomic
def assessments_submit(*, course: Course, user, assessment_ids) -> list[Assessment]:
    """Nộp điểm: mark the chosen assessments submitted, once every active trainee has a score.

    All or nothing: an assessment with a missing score refuses the whole submission, saying how
    many are missing. Lecturers can no longer change a submitted assessment until staff send it
    back. Kept in the assessments' history.
    """
    locked = _lock_course(course)
    refusal = grading_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    assessments = {a.pk: a for a in locked.assessments.all()}
    chosen = [assessments[pk] for pk in assessment_ids if pk in assessments]
    if len(chosen) != len(set(assessment_ids)):
        raise PermissionDenied("Bài kiểm tra không thuộc lớp này.")
    if not chosen:
        raise ValidationError("Hãy chọn ít nhất một bài kiểm tra để nộp điểm.")
    _refuse_unwritable(user, locked, assessments, {a.pk for a in chosen})
    already = [a for a in chosen if a.submitted_at is not None]
    if already:
        names = ", ".join(f"«{a.name}»" for a in already)
        raise ValidationError(f"{names} đã nộp điểm rồi.")
    missing = missing_scores(locked, [a.pk for a in chosen])
    incomplete = [
        f"«{a.name}» còn {missing[a.pk]} học viên chưa có điểm" for a in chosen if missing[a.pk]
    ]
    if incomplete:
        raise ValidationError(
            "Chưa nộp được: " + "; ".join(incomplete) + ". Hãy nhập đủ điểm rồi nộp lại."
        )
    now = timezone.now()
    for assessment in chosen:
        assessment.submitted_at = now
        assessment.submitted_by = user
        assessment._history_user = user
        assessment.save(update_fields=["submitted_at", "submitted_by"])
    return chosen


def return_refusal(assessment: Assessment) -> str | None:
    """Why this assessment cannot be sent back to its grader now."""
    refusal = grading_refusal(assessment.course)
    if refusal:
        return refusal
    if assessment.submitted_at is None:
        return f"«{assessment.name}» chưa nộp điểm nên không cần trả lại."
    return None


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Trả lại: staff reopen a submitted assessment for its grader, with the reason (kept)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do trả lại để giảng viên biết cần sửa gì."})
    if len(reason) > RETURN_REASON_MAX:
        raise ValidationError(
            {"reason": f"Lý do tối đa {RETURN_REASON_MAX} ký tự; hãy viết ngắn lại."}
        )
    assessment.course = _lock_course(assessment.course)
    assessment.refresh_from_db(fields=["submitted_at", "submitted_by", "returned_at"])
    refusal = return_refusal(assessment)
    if refusal:
        raise ValidationError(refusal)
    assessment.submitted_at = None
    assessment.submitted_by = None
    assessment.returned_at = timezone.now()
    assessment.returned_reason = reason
    assessment._history_user = user
    assessment.save(
        update_fields=["submitted_at", "submitted_by", "returned_at", "returned_reason"]
    )
    return assessment


# --- history of scores -----------------------------------------------------------------------


@dataclass
class ScoreChange:
    """One saved change of one Score row, with the values before it."""

    at: datetime.datetime
    by: object | None
    assessment: Assessment | None
    trainee: object | None
    changes: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)


def score_history(course: Course) -> QuerySet:
    """Every historical row of the class's scores, newest first, with the values before each.

    One query whatever its length (the previous values come from correlated subqueries), so it
    can be sliced or paginated.
    """
    history = Score.history.model
    previous = history.objects.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id")
    ).order_by("-history_id")
    return (
        history.objects.filter(enrolment__course=course)
        .exclude(history_type="-")
        .select_related("history_user", "assessment", "enrolment__trainee")
        .annotate(
            old_score=Subquery(previous.values("score")[:1]),
            old_retake=Subquery(previous.values("retake_score")[:1]),
        )
        .order_by("-history_id")
    )


def score_changes(records) -> list[ScoreChange]:
    """Readable rows for historical Score records from score_history()."""
    rows = []
    for record in records:
        changes = []
        if record.old_score != record.score:
            changes.append(("Điểm", record.old_score, record.score))
        if record.old_retake != record.retake_score:
            changes.append(("Thi lại", record.old_retake, record.retake_score))
        rows.append(
            ScoreChange(
                at=record.history_date,
                by=record.history_user,
                assessment=record.assessment,
                trainee=record.enrolment.trainee if record.enrolment else None,
                changes=changes,
            )
        )
    return rows


# --- the class page's Điểm section -----------------------------------------------------------


@dataclass
class AssessmentState:
    assessment: Assessment
    scored: int
    active: int
    gradable: bool

    @property
    def missing(self) -> int:
        return self.active - self.scored

    @property
    def state(self) -> str:
        if self.assessment.submitted_at:
            return "submitted"
        if self.assessment.returned_at:
            return "returned"
        return "open"


def course_grades_context(*, course, user, assessments=None, active_count=None) -> dict:
    """What the class page's Điểm section needs (a fixed number of queries); the page passes the
    assessments (with grader and submitted_by) and the active count it already has."""
    if assessments is None:
        assessments = list(course.assessments.select_related("grader", "submitted_by"))
    refusal = grading_refusal(course)
    writable = gradable_assessment_ids(user, course, assessments) if not refusal else set()
    active, scored = score_counts(course, [a.pk for a in assessments], active=active_count)
    records = list(score_history(course)[: HISTORY_ON_CLASS_PAGE + 1])
    grading_open = course.status in GRADING_OPEN_STATUSES and course.is_assessed
    return {
        "states": [
            AssessmentState(
                assessment=a, scored=scored[a.pk], active=active, gradable=a.pk in writable
            )
            for a in assessments
        ],
        "active_count": active,
        "refusal": refusal,
        "can_grade": bool(writable),
        "can_submit": any(a.pk in writable and a.submitted_at is None for a in assessments),
        "can_return": grading_open and has_right(user, Right.CLOSE),
        "overview_url": (
            reverse("lophoc:grading_overview") if has_right(user, Right.CLOSE) else ""
        ),
        "grid_url": reverse("lophoc:grade_grid", args=[course.pk]),
        "submit_url": reverse("lophoc:grade_submit_confirm", args=[course.pk]),
        "history_url": reverse("lophoc:grade_history", args=[course.pk]),
        "history": score_changes(records[:HISTORY_ON_CLASS_PAGE]),
        "history_more": len(records) > HISTORY_ON_CLASS_PAGE,
    }


# --- staff overview of grading ---------------------------------------------------------------


def grading_late_filter(centres, today: datetime.date) -> Q:
    """Classes that ended more than their centre's grading_late_days ago."""
    condition = Q(pk__in=[])
    for centre in centres:
        cutoff = today - datetime.timedelta(days=centre.grading_late_days)
        condition |= Q(centre=centre, end_date__lt=cutoff)
    return condition


def grading_overview_courses(courses: QuerySet) -> QuerySet:
    """Open, assessed classes with their assessment counts (total, submitted)."""
    return (
        courses.filter(status__in=GRADING_OPEN_STATUSES, is_assessed=True)
        .select_related("centre", "program")
        .annotate(
            assessment_count=Count("assessments", distinct=True),
            submitted_count=Count(
                "assessments",
                filter=Q(assessments__submitted_at__isnull=False),
                distinct=True,
            ),
        )
    )


def is_late(course: Course, today: datetime.date) -> bool:
    """Ended more than the centre's grading_late_days ago and not every assessment submitted."""
    if course.assessment_count and course.submitted_count >= course.assessment_count:
        return False
    return course.end_date < today - datetime.timedelta(days=course.centre.grading_late_days)

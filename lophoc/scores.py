"""What a score cell accepts and who may write it (DESIGN §7, §8); shared by the grid and the sheet."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lophoc.models import Assessment, Course, CourseStatus, Score
from trungtam.scoping import Right, has_right

# Grades may be entered while the class is taught and graded; closing locks them.
GRADING_OPEN_STATUSES = (CourseStatus.IN_PROGRESS, CourseStatus.GRADING)
SHOWN_MAX = 40
_NUMBER = re.compile(r"^\d{1,2}([.,]\d{1,2})?$", re.ASCII)  # 0-9 only, as the grid's JS


def parse_score(raw) -> Decimal | None:
    """'8,5', '8.5', 8.5 or '' → Decimal('8.5') / None; anything else → ValidationError (Vietnamese)."""
    if raw is None:
        return None
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = format(Decimal(str(raw)).normalize(), "f")
    else:
        text = str(raw).strip()
    if text == "":
        return None
    if not _NUMBER.match(text):
        raise ValidationError(
            f"«{_shown(text)}» không phải điểm hợp lệ: nhập số từ 0 đến 10, tối đa hai chữ số "
            "thập phân (ví dụ 8,5)."
        )
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"«{_shown(text)}» không phải điểm hợp lệ.") from None
    if value < 0 or value > 10:
        raise ValidationError(f"«{text}» nằm ngoài thang điểm 0–10.")
    return value


def _shown(text: str) -> str:
    """What was typed, quoted in a message: control characters visible as �, long text cut."""
    text = "".join("�" if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def grading_refusal(course: Course) -> str | None:
    """Why no grade of this class can be changed now, or None."""
    if course.status not in GRADING_OPEN_STATUSES:
        return (
            f"Lớp đang ở trạng thái «{course.get_status_display()}»: chỉ nhập điểm khi lớp đang học "
            "hoặc đang chấm điểm."
        )
    if not course.is_assessed:
        return "Lớp chỉ xét chuyên cần, không có điểm."
    return None


def gradable_assessment_ids(user, course: Course, assessments: list[Assessment]) -> set[int]:
    """The assessments of `course` this user may write (the class must already be visible to them).

    Staff and admins: all. A lecturer: those assigned to them, or every assessment of a class they
    teach when none is assigned to anyone; never one already submitted (nộp điểm).
    """
    if not has_right(user, Right.GRADES):
        return set()
    if not user.is_lecturer or user.is_superuser:
        return {a.pk for a in assessments}
    lecturer = getattr(user, "lecturer", None)
    if lecturer is None:
        return set()
    assigned = [a for a in assessments if a.grader_id is not None]
    if assigned:
        mine = [a for a in assessments if a.grader_id == lecturer.pk]
    elif course.sessions.filter(lecturer=lecturer).exists():
        mine = list(assessments)
    else:
        mine = []
    return {a.pk for a in mine if a.submitted_at is None}


def scores_write(
    *, scores: dict[tuple[int, int], Score], values: list[tuple[tuple[int, int], str, object]], user
) -> set[tuple[int, int]]:
    """Write (enrolment id, assessment id), field ("score"/"retake_score"), value triples.

    `scores` holds the locked existing rows by key. Every changed row gets version + 1 and
    `updated_by`; new rows start at version 1; all with history under `user`. Returns the keys of
    the rows created (the caller locks the class, so an IntegrityError there means a race).
    """
    now = timezone.now()
    created: dict[tuple[int, int], Score] = {}
    updated: dict[tuple[int, int], Score] = {}
    for key, field, value in values:
        score = scores.get(key)
        if score is None:
            score = created.setdefault(
                key,
                Score(
                    enrolment_id=key[0],
                    assessment_id=key[1],
                    version=1,
                    updated_by=user,
                    updated_at=now,
                ),
            )
        elif key not in updated:
            score.version += 1
            score.updated_by = user
            score.updated_at = now
            updated[key] = score
        setattr(score, field, value)
    if updated:
        bulk_update_with_history(
            list(updated.values()),
            Score,
            ["score", "retake_score", "version", "updated_by", "updated_at"],
            default_user=user,
        )
    if created:
        bulk_create_with_history(list(created.values()), Score, default_user=user)
    return set(created)

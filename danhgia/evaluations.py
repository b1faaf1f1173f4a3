"""The evaluation's rules: the centre's standard form, the single-use codes, storing an answer
(online with a code, or typed from a paper form), and when a class takes answers."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from danhgia.models import (
    GROUP_ORDER,
    EvaluationAnswer,
    EvaluationCode,
    EvaluationMark,
    EvaluationTally,
    Question,
    QuestionGroup,
)
from giangvien.models import Lecturer
from lophoc.models import Course, CourseStatus, EnrolmentStatus
from lophoc.verification import is_well_formed, new_verification_code, normalize_code
from trungtam.models import Centre

# A closed class takes answers this many days after its last day, then no more.
ANSWER_DAYS_AFTER_END = 60
ANSWERING_STATUSES = {CourseStatus.IN_PROGRESS, CourseStatus.GRADING, CourseStatus.CLOSED}
COMMENTS_LENGTH = 3000

STANDARD_QUESTIONS: dict[str, list[str]] = {
    QuestionGroup.CONTENT: [
        "Nội dung chương trình phù hợp với yêu cầu nhiệm vụ của học viên",
        "Nội dung gắn với thực tiễn của địa phương, cơ sở",
        "Tài liệu học tập đầy đủ, kịp thời",
    ],
    QuestionGroup.LECTURER: [
        "Kiến thức, hiểu biết sâu về chuyên đề",
        "Phương pháp giảng dạy sinh động, dễ hiểu",
        "Liên hệ lý luận với thực tiễn địa phương",
        "Bảo đảm giờ giấc, thời gian lên lớp",
    ],
    QuestionGroup.ORGANISATION: [
        "Công tác tổ chức, quản lý lớp học",
        "Cơ sở vật chất: phòng học, âm thanh, ánh sáng, trang thiết bị",
        "Phục vụ học viên (nước uống, chỗ nghỉ, tài liệu phát tay)",
    ],
    QuestionGroup.OVERALL: ["Đánh giá chung về khóa học"],
}


class EvaluationRefused(ValidationError):
    """Codes, slips or an answer refused, with the reason in Vietnamese."""


# --- the form ------------------------------------------------------------------------------------


def questions_ensure(centre: Centre) -> None:
    """Give the centre the standard form the first time it is needed."""
    if Question.objects.filter(centre=centre).exists():
        return
    Question.objects.bulk_create(
        Question(centre=centre, group=group, text=text, order=order)
        for group, texts in STANDARD_QUESTIONS.items()
        for order, text in enumerate(texts, start=1)
    )


def active_questions(centre: Centre) -> list[Question]:
    """The questions a new answer is asked, in the form's order (groups, then `order`)."""
    questions = list(Question.objects.filter(centre=centre, active=True))
    return sorted(questions, key=lambda q: (GROUP_ORDER.index(q.group), q.order, q.pk))


def course_lecturers(course: Course) -> list[Lecturer]:
    """The lecturers of the class: those of its sessions, in name order."""
    return list(Lecturer.objects.filter(sessions__course=course).distinct().order_by("sort_key"))


@dataclass
class FormContent:
    course: Course
    questions: list[Question]
    lecturers: list[Lecturer]


def form_content(course: Course) -> FormContent:
    questions_ensure(course.centre)
    return FormContent(course, active_questions(course.centre), course_lecturers(course))


# --- when a class takes answers --------------------------------------------------------------


def answer_refusal(course: Course, today: datetime.date | None = None) -> str | None:
    """Why the class takes no online answer today, or None when it does."""
    today = today or timezone.localdate()
    if course.status not in ANSWERING_STATUSES:
        return (
            f"Lớp {course.name} chưa mở nhận phiếu đánh giá: phiếu được nhận khi lớp đang học, "
            "đang chấm điểm hoặc đã kết thúc."
        )
    if today > course.end_date + datetime.timedelta(days=ANSWER_DAYS_AFTER_END):
        return (
            f"Lớp {course.name} đã hết thời hạn nhận phiếu đánh giá ({ANSWER_DAYS_AFTER_END} "
            "ngày sau ngày bế giảng)."
        )
    return None


def active_enrolment_count(course: Course) -> int:
    return course.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()


def slips_refusal(course: Course, active: int) -> str | None:
    if course.status == CourseStatus.CANCELLED:
        return f"Lớp {course.code} đã hủy: không in phiếu mã đánh giá."
    if active == 0:
        return (
            f"Lớp {course.code} chưa có học viên đang học: phiếu mã in theo số học viên đang "
            "học, mỗi người một phiếu."
        )
    return None


# --- codes -----------------------------------------------------------------------------------


@transaction.atomic
def codes_top_up(*, course: Course) -> list[EvaluationCode]:
    """As many codes as the class has active enrolments (more are added, never duplicated);
    returns the codes not used yet. Refused for a cancelled class or one without trainees."""
    course = Course.objects.select_for_update().select_related("centre").get(pk=course.pk)
    active = active_enrolment_count(course)
    refusal = slips_refusal(course, active)
    if refusal:
        raise EvaluationRefused(refusal)
    missing = active - course.evaluation_codes.count()
    while missing > 0:
        try:
            with transaction.atomic():
                EvaluationCode.objects.bulk_create(
                    EvaluationCode(course=course, code=new_verification_code())
                    for _ in range(missing)
                )
            missing = 0
        except IntegrityError:  # a code drawn twice (about 1 in 10^11): draw again
            continue
    return list(course.evaluation_codes.filter(used=False).order_by("pk"))


def code_course(typed: str) -> Course | None:
    """The class of an unused, well-formed code; None for any miss, alike."""
    code = normalize_code(typed)
    if not is_well_formed(code):
        return None
    found = (
        EvaluationCode.objects.filter(code=code, used=False)
        .select_related("course", "course__centre", "course__program")
        .first()
    )
    return found.course if found else None


def is_guess(typed: str) -> bool:
    """A miss that counts against the address: a well-formed code that was never printed. An
    empty box or a typo (the check character catches it) can never open a form, and a code used
    already is one somebody was handed (a trainee opening their slip again); counting those would
    lock a whole classroom behind one shared address out of the form."""
    code = normalize_code(typed)
    return is_well_formed(code) and not EvaluationCode.objects.filter(code=code).exists()


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarkInput:
    question: Question
    lecturer: Lecturer | None
    value: int | None  # None: no opinion


def _store(course: Course, marks: list[MarkInput], comments: str, on_paper: bool):
    lecturer_ids = {lecturer.pk for lecturer in course_lecturers(course)}
    for mark in marks:
        if mark.question.centre_id != course.centre_id:
            raise EvaluationRefused("Câu hỏi không thuộc phiếu đánh giá của trung tâm.")
        is_lecturer_question = mark.question.group == QuestionGroup.LECTURER
        if is_lecturer_question != (mark.lecturer is not None) or (
            mark.lecturer is not None and mark.lecturer.pk not in lecturer_ids
        ):
            raise EvaluationRefused("Giảng viên không dạy lớp này.")
        if mark.value is not None and not 1 <= mark.value <= 5:
            raise EvaluationRefused("Điểm đánh giá từ 1 đến 5.")
    answer = EvaluationAnswer.objects.create(
        course=course,
        answered_on=timezone.localdate(),
        on_paper=on_paper,
        comments=comments.strip()[:COMMENTS_LENGTH],
    )
    EvaluationMark.objects.bulk_create(
        EvaluationMark(
            answer=answer,
            question=mark.question,
            group=mark.question.group,
            question_text=mark.question.text,
            lecturer=mark.lecturer,
            value=mark.value,
        )
        for mark in marks
    )
    _tally(course, marks)
    return answer


def answer_sums(marks) -> dict[tuple[str, int | None], tuple[int, int]]:
    """One answer's marks, given as (group, lecturer id, value), summed per group and lecturer:
    (sum, number) of the marks given; «không ý kiến» counts in neither. What the answer adds to
    its class's tallies (models.EvaluationTally: one more answer for each key)."""
    sums: dict = defaultdict(lambda: [0, 0])
    for group, lecturer_id, value in marks:
        if value is not None:
            sums[(group, lecturer_id)][0] += value
            sums[(group, lecturer_id)][1] += 1
    return {key: (total, count) for key, (total, count) in sums.items()}


def _tally(course: Course, marks: list[MarkInput]) -> None:
    """Add one answer's marks to the class's tallies (models.EvaluationTally)."""
    sums = answer_sums(
        (mark.question.group, mark.lecturer.pk if mark.lecturer else None, mark.value)
        for mark in marks
    )
    for (group, lecturer_id), (total, count) in sums.items():
        added = EvaluationTally.objects.filter(
            course=course, group=group, lecturer_id=lecturer_id
        ).update(answers=F("answers") + 1, total=F("total") + total, marks=F("marks") + count)
        if not added:
            EvaluationTally.objects.create(
                course=course,
                group=group,
                lecturer_id=lecturer_id,
                answers=1,
                total=total,
                marks=count,
            )


EMPTY_FORM = "Phiếu trống: hãy chọn ít nhất một mức đánh giá hoặc ghi ý kiến."


class CodeRefused(Exception):
    """The code was used meanwhile (or never was one): the caller answers as for any miss."""


@transaction.atomic
def answer_submit(*, code: str, marks: list[MarkInput], comments: str) -> EvaluationAnswer:
    """Store an online answer and use its code up, in one transaction. The class is the code's;
    a code already used (even a moment ago, by a concurrent request) raises CodeRefused."""
    code = normalize_code(code)
    found = (
        EvaluationCode.objects.filter(code=code, used=False)
        .select_related("course", "course__centre")
        .first()
    )
    if found is None or not is_well_formed(code):
        raise CodeRefused
    refusal = answer_refusal(found.course)
    if refusal:
        raise EvaluationRefused(refusal)
    if not marks and not comments.strip():
        raise EvaluationRefused(EMPTY_FORM)
    # The conditional update is the lock: of two requests with one code only one changes a row.
    used = EvaluationCode.objects.filter(pk=found.pk, used=False).update(used=True)
    if used != 1:
        raise CodeRefused
    return _store(found.course, marks, comments, on_paper=False)


def answer_limit(course: Course) -> int:
    """Answers a class may have: its codes, or before any code its active enrolments."""
    codes = course.evaluation_codes.count()
    return codes or active_enrolment_count(course)


def paper_refusal(course: Course, answers: int) -> str | None:
    """Why no paper form can be typed for the class now (`answers` it has already), or None: the
    page says it before the form is filled in, and the save checks it again under a lock."""
    if course.status not in ANSWERING_STATUSES:
        return (
            f"Lớp {course.code} ({course.get_status_display().lower()}) không nhận phiếu đánh "
            "giá: phiếu được nhận khi lớp đang học, đang chấm điểm hoặc đã kết thúc."
        )
    limit = answer_limit(course)
    if answers >= limit:
        return (
            f"Lớp {course.code} đã có đủ {limit} phiếu đánh giá (bằng số phiếu mã / số học viên "
            "đang học): không nhập thêm phiếu giấy được."
        )
    return None


@transaction.atomic
def paper_answer_create(
    *, course: Course, marks: list[MarkInput], comments: str
) -> EvaluationAnswer:
    """A paper form typed by staff: one answer, never above the class's number of codes (or of
    active enrolments before any code)."""
    course = Course.objects.select_for_update().select_related("centre").get(pk=course.pk)
    refusal = paper_refusal(course, course.evaluation_answers.count())
    if refusal:
        raise EvaluationRefused(refusal)
    if not marks and not comments.strip():
        raise EvaluationRefused(EMPTY_FORM)
    return _store(course, marks, comments, on_paper=True)


# --- the form's questions, edited by staff -------------------------------------------------


def questions_of(centre: Centre) -> QuerySet[Question]:
    return Question.objects.filter(centre=centre)


@transaction.atomic
def question_add(*, centre: Centre, group: str, text: str) -> Question:
    last = Question.objects.filter(centre=centre, group=group).order_by("-order").first()
    question = Question(
        centre=centre, group=group, text=text, order=(last.order + 1) if last else 1
    )
    question.full_clean()
    question.save()
    return question

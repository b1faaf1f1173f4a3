"""The demo's danhgia rows (issue 17): codes printed for recent closed or grading classes, two
classes with enough answers for their figures to show (a spread of marks, a few comments), one
with 3 answers (counts only) — written through the evaluation's own services."""

import datetime
import random

from django.db.models import Count, Q

from danhgia import evaluations
from lophoc.models import Course, CourseStatus, EnrolmentStatus
from trungtam.models import Centre, User

# Answers per class: two classes whose figures show, one under the 5-answer rule.
ANSWER_COUNTS = (8, 6, 3)
MARKS = (5, 5, 5, 4, 4, 4, 4, 3, 3, 2, None)
COMMENTS = (
    "Chuyên đề về xây dựng Đảng ở cơ sở rất thiết thực, mong có thêm tình huống thực tế.",
    "Phòng học hơi nóng vào buổi chiều, đề nghị bổ sung quạt.",
    "Tài liệu phát sớm nên dễ theo dõi bài giảng.",
    "",
    "",
)


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    rng = random.Random(17)
    courses = list(
        Course.objects.filter(centre=centre, status__in=[CourseStatus.CLOSED, CourseStatus.GRADING])
        .annotate(
            active=Count(
                "enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE), distinct=True
            ),
            taught=Count("sessions__lecturer", distinct=True),
        )
        .filter(active__gte=max(ANSWER_COUNTS), taught__gt=0)
        .select_related("centre")
        .order_by("-end_date", "pk")[: len(ANSWER_COUNTS)]
    )
    for course, count in zip(courses, ANSWER_COUNTS, strict=False):
        codes = evaluations.codes_top_up(course=course)
        online = evaluations.answer_refusal(course, today) is None
        for index in range(count):
            value = rng.choice(MARKS)
            marks = [
                evaluations.MarkInput(mark.question, mark.lecturer, _near(rng, value))
                for mark in _all_marks(course)
            ]
            comments = COMMENTS[index % len(COMMENTS)] if count >= 5 else ""
            if online and index % 4 != 3:
                evaluations.answer_submit(code=codes[index].code, marks=marks, comments=comments)
            else:
                evaluations.paper_answer_create(course=course, marks=marks, comments=comments)


def _near(rng: random.Random, value: int | None) -> int | None:
    if value is None:
        return None
    return min(5, max(1, value + rng.choice((-1, 0, 0, 0, 1))))


def _all_marks(course: Course) -> list[evaluations.MarkInput]:
    content = evaluations.form_content(course)
    return [
        evaluations.MarkInput(question, lecturer, None)
        for question in content.questions
        for lecturer in (content.lecturers if question.group == "lecturer" else [None])
    ]

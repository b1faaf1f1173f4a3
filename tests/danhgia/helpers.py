"""Builders of evaluated classes for the danhgia tests."""

import datetime

from django.utils import timezone

from danhgia import evaluations
from danhgia.models import QuestionGroup
from lophoc.models import CourseStatus
from tests import builders


def evaluated_course(centre, *, lecturers=(), enrolled=6, status=CourseStatus.IN_PROGRESS, **kw):
    """A class with `enrolled` active enrolments and a session per lecturer."""
    today = timezone.localdate()
    kw.setdefault("start_date", today - datetime.timedelta(days=10))
    kw.setdefault("end_date", today + datetime.timedelta(days=5))
    course = builders.make_course(centre, status=status, **kw)
    for lecturer in lecturers:
        builders.make_session(course, lecturer=lecturer, date=course.start_date)
    for _ in range(enrolled):
        builders.make_enrolment(course)
    return course


def marks_for(course, value=4, lecturer_values=None):
    """MarkInputs answering every active question with `value` (lecturers: their own value)."""
    content = evaluations.form_content(course)
    lecturer_values = lecturer_values or {}
    marks = []
    for question in content.questions:
        if question.group == QuestionGroup.LECTURER:
            for lecturer in content.lecturers:
                marks.append(
                    evaluations.MarkInput(
                        question, lecturer, lecturer_values.get(lecturer.pk, value)
                    )
                )
        else:
            marks.append(evaluations.MarkInput(question, None, value))
    return marks


def answer(course, value=4, comments="", lecturer_values=None):
    """One online answer with a fresh code of the class."""
    codes = evaluations.codes_top_up(course=course)
    return evaluations.answer_submit(
        code=codes[0].code,
        marks=marks_for(course, value, lecturer_values),
        comments=comments,
    )


def post_data(course, code, value="4"):
    """The public form's POST: every field of the class answered with `value`."""
    from danhgia.forms import mark_field_name

    content = evaluations.form_content(course)
    data = {"ma": code, "y_kien": ""}
    for question in content.questions:
        targets = content.lecturers if question.group == QuestionGroup.LECTURER else [None]
        for lecturer in targets:
            data[mark_field_name(question, lecturer)] = value
    return data

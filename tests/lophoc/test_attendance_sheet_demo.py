"""One meaning of học bù (issue 13): the marks printed on the attendance sheet of the demo's classes
agree with the absence figures stored on every enrolment, in both document layouts.

A made-up session is recorded as attendance (present, made up) and printed B; P and K are the only
absences, and they alone make up the stored absent periods (P the excused ones).
"""

import io
import re

import pytest
from django.core.management import call_command

from lophoc.attendance import AttendanceEntry, attendance_save
from lophoc.documents import listed_enrolments
from lophoc.documents.attendance_sheet import (
    MARK_EXCUSED,
    MARK_MADE_UP,
    MARK_UNEXCUSED,
    PART_LETTER,
    attendance_sheet_pdf,
    attendance_sheet_xlsx,
)
from lophoc.models import Attendance, AttendanceStatus, Course, CourseStatus, Enrolment
from tests.lophoc.document_helpers import DAY
from tests.pdf_reading import pdf_pages
from tests.xlsx_reading import find_row, xlsx_sheet
from trungtam.models import DocumentLayout

pytestmark = pytest.mark.django_db
ABSENT_MARKS = (MARK_EXCUSED, MARK_UNEXCUSED)


@pytest.fixture
def demo():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def sheet_marks(course) -> dict[int, dict[str, int]]:
    """Per enrolment id, read back from the XLSX: absent and excused periods, and B marks."""
    sheet = xlsx_sheet(attendance_sheet_xlsx(fresh(course), day=DAY))
    header = find_row(sheet, "STT")
    periods = {f"{s.date:%d/%m}\n{PART_LETTER[s.part]}": s.periods for s in course.sessions.all()}
    assert len(periods) == course.sessions.count()  # one column per (day, part)
    labels = [cell.value for cell in sheet[header + 1]][3:-1]
    figures = {}
    for offset, enrolment in enumerate(listed_enrolments(course), start=2):
        row = [cell.value for cell in sheet[header + offset]]
        assert row[1] == enrolment.trainee.full_name
        marks = list(zip(labels, row[3:-1], strict=True))
        figures[enrolment.pk] = {
            "absent": sum(periods[label] for label, mark in marks if mark in ABSENT_MARKS),
            "excused": sum(periods[label] for label, mark in marks if mark == MARK_EXCUSED),
            "made_up": sum(1 for _, mark in marks if mark == MARK_MADE_UP),
        }
    return figures


def stored_figures(course) -> dict[int, dict[str, int]]:
    made_up = {}
    for enrolment_id in Attendance.objects.filter(session__course=course, made_up=True).values_list(
        "enrolment_id", flat=True
    ):
        made_up[enrolment_id] = made_up.get(enrolment_id, 0) + 1
    return {
        e.pk: {
            "absent": e.absent_periods,
            "excused": e.excused_periods,
            "made_up": made_up.get(e.pk, 0),
        }
        for e in listed_enrolments(course)
    }


def pdf_mark_counts(course) -> dict[str, int]:
    text = "\n".join(pdf_pages(attendance_sheet_pdf(fresh(course), day=DAY)))
    tokens = re.findall(r"(?<!\S)[PKB](?!\S)", text)
    return {mark: tokens.count(mark) for mark in (MARK_EXCUSED, MARK_UNEXCUSED, MARK_MADE_UP)}


def stored_mark_counts(course) -> dict[str, int]:
    records = Attendance.objects.filter(session__course=course).exclude(
        enrolment__status="withdrawn"
    )
    return {
        MARK_EXCUSED: records.filter(status=AttendanceStatus.EXCUSED).count(),
        MARK_UNEXCUSED: records.filter(status=AttendanceStatus.UNEXCUSED).count(),
        MARK_MADE_UP: records.filter(made_up=True).count(),
    }


def test_every_closed_demo_class_prints_the_absences_it_stores(demo):
    closed = Course.objects.filter(status=CourseStatus.CLOSED).select_related("centre")
    layouts = {course.centre.document_layout for course in closed}
    assert layouts == {DocumentLayout.PARTY, DocumentLayout.STATE}
    absent_somewhere = False
    for course in closed:
        figures = sheet_marks(course)
        assert figures == stored_figures(course), course.code
        assert pdf_mark_counts(course) == stored_mark_counts(course), course.code
        absent_somewhere = absent_somewhere or any(f["absent"] for f in figures.values())
    assert absent_somewhere  # the demo has absences to compare


def test_a_make_up_entered_in_a_demo_class_prints_b_and_no_longer_counts(demo):
    course = Course.objects.get(status=CourseStatus.IN_PROGRESS, centre__code="PL")
    recorded = Attendance.objects.filter(session__course=course).select_related("session")
    record = recorded.filter(status=AttendanceStatus.PRESENT, made_up=False).first()
    session, enrolment = record.session, record.enrolment
    before = Enrolment.objects.get(pk=enrolment.pk).absent_periods

    attendance_save(session=session, entries=[AttendanceEntry(enrolment.pk, "unexcused")])
    figures = sheet_marks(course)
    assert figures == stored_figures(course)
    assert figures[enrolment.pk]["absent"] == before + session.periods

    # The trainee makes the session up: entered as học bù, it is attended again, printed B.
    attendance_save(
        session=session, entries=[AttendanceEntry(enrolment.pk, "unexcused", made_up=True)]
    )
    figures = sheet_marks(course)
    assert figures == stored_figures(course)
    assert figures[enrolment.pk]["absent"] == before
    assert figures[enrolment.pk]["made_up"] >= 1
    assert pdf_mark_counts(course) == stored_mark_counts(course)
    assert Attendance.objects.get(session=session, enrolment=enrolment).status == "present"

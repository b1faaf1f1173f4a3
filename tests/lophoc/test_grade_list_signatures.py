"""Bảng điểm (PDF): the lecturers who graded sign beside the maker and the director (issue 13)."""

import datetime

import pytest

from lophoc.documents.grade_list import GRADER_TITLE, grade_list_pdf
from lophoc.models import Course, Score, SessionKind, SessionPart
from tests import builders
from tests.lophoc.document_helpers import DAY
from tests.lophoc.grade_sheet_helpers import ESSAY, MIDTERM, make_graded_course
from tests.pdf_reading import pdf_pages
from trungtam.models import Leader, LeaderRole, Role

pytestmark = pytest.mark.django_db


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def flat(text: str) -> str:
    return " ".join(text.split())


def text_of(course, **options) -> str:
    content = grade_list_pdf(fresh(course), maker_name="Phan Thị Mỹ Linh", day=DAY, **options)
    return flat("\n".join(pdf_pages(content)))


@pytest.fixture
def graded(centre):
    Leader.objects.create(centre=centre, full_name="Trần Quốc Hưng", role=LeaderRole.DIRECTOR)
    return make_graded_course(centre)


def test_each_assessment_s_grader_signs_with_what_they_graded(graded, centre):
    first = builders.make_lecturer(centre, full_name="Lê Văn Chấm", title="ThS.")
    second = builders.make_lecturer(centre, full_name="Ngô Thị Bài")
    graded.assessments.filter(name=MIDTERM).update(grader=first)
    graded.assessments.filter(name=ESSAY).update(grader=second)
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 2
    for expected in ["ThS. Lê Văn Chấm", "Ngô Thị Bài", "NGƯỜI LẬP BIỂU", "Phan Thị Mỹ Linh"]:
        assert expected in text, expected
    assert "GIÁM ĐỐC" in text and "Trần Quốc Hưng" in text
    # Several graders: each column says what its lecturer graded.
    signatures = text[text.index("NGƯỜI LẬP BIỂU") :]
    assert MIDTERM in signatures and ESSAY in signatures
    # One row: the maker, the lecturers, the director, left to right.
    assert signatures.index("NGƯỜI LẬP BIỂU") < signatures.index(GRADER_TITLE)
    assert signatures.index(GRADER_TITLE) < signatures.index("GIÁM ĐỐC")


def test_one_grader_of_every_assessment_signs_once(graded, centre):
    lecturer = builders.make_lecturer(centre, full_name="Lê Văn Chấm")
    graded.assessments.update(grader=lecturer)
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 1 and text.count("Lê Văn Chấm") == 1
    signatures = text[text.index("NGƯỜI LẬP BIỂU") :]
    assert MIDTERM not in signatures  # nothing to tell apart


def test_without_assigned_graders_the_lecturers_who_teach_the_class_sign(graded, centre):
    teaching = [
        builders.make_lecturer(centre, full_name="Phạm Văn Dạy"),
        builders.make_lecturer(centre, full_name="Đỗ Thị Giảng"),
    ]
    elsewhere = builders.make_lecturer(centre, full_name="Vũ Văn Khác")
    start = graded.start_date
    builders.make_session(graded, date=start, lecturer=teaching[1])
    builders.make_session(graded, date=start, part=SessionPart.AFTERNOON, lecturer=teaching[0])
    builders.make_session(graded, date=start + datetime.timedelta(days=1), lecturer=teaching[1])
    builders.make_session(graded, date=start + datetime.timedelta(days=2))  # nobody assigned
    builders.make_session(builders.make_course(centre), lecturer=elsewhere)
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 2
    assert text.count("Đỗ Thị Giảng") == 1 and text.count("Phạm Văn Dạy") == 1
    assert text.index("Đỗ Thị Giảng") < text.index("Phạm Văn Dạy")  # first session first
    assert "Vũ Văn Khác" not in text


def test_without_assigned_graders_who_entered_or_examined_signs_first(graded, centre):
    writer = builders.make_lecturer(
        centre,
        full_name="Phạm Văn Nhập",
        user=builders.make_user(role=Role.LECTURER, centre=centre, username="nhap"),
    )
    examiner = builders.make_lecturer(centre, full_name="Đỗ Thị Coi Thi")
    builders.make_session(graded, lecturer=writer)
    builders.make_session(
        graded, part=SessionPart.AFTERNOON, lecturer=examiner, kind=SessionKind.EXAM
    )
    # Nobody has entered scores under a lecturer's login: the lecturer of the exam session.
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 1 and "Đỗ Thị Coi Thi" in text
    assert "Phạm Văn Nhập" not in text
    # A lecturer who teaches the class entered scores: they are the one who graded.
    Score.objects.filter(enrolment__course=graded).update(updated_by=writer.user)
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 1 and "Phạm Văn Nhập" in text
    assert "Đỗ Thị Coi Thi" not in text


def test_many_graders_sign_on_a_row_above_the_maker_and_director(graded, centre):
    for order in range(3, 6):
        builders.make_assessment(graded, name=f"Bài kiểm tra {order}", order=order)
    names = [f"Giảng Viên Số {n}" for n in range(1, 6)]
    for assessment, name in zip(graded.assessments.order_by("order"), names, strict=True):
        assessment.grader = builders.make_lecturer(centre, full_name=name)
        assessment.save()
    text = text_of(graded)
    assert text.count(GRADER_TITLE) == 5
    assert all(name in text for name in names)
    assert text.index(GRADER_TITLE) < text.index("NGƯỜI LẬP BIỂU")
    assert "Trần Quốc Hưng" in text


def test_a_class_without_assessment_has_no_grader_signature(centre):
    course = make_graded_course(centre, is_assessed=False)
    builders.make_session(course, lecturer=builders.make_lecturer(centre, full_name="Lý Văn Dạy"))
    text = text_of(course)
    assert GRADER_TITLE not in text and "Lý Văn Dạy" not in text
    assert "NGƯỜI LẬP BIỂU" in text

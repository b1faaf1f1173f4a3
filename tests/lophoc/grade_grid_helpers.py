"""The grade grid tests' class and what a browser posts from the grid page."""

from decimal import Decimal

from django.urls import reverse

from lophoc.grading import Cell
from lophoc.grading_forms import cell_name
from lophoc.models import CourseStatus
from tests import builders


def grid_url(course):
    return reverse("lophoc:grade_grid", args=[course.pk])


def make_class(centre, *, names=("Trần Văn Bình", "Nguyễn Thị An"), status=None, retake=False):
    course = builders.make_course(centre, status=status or CourseStatus.GRADING)
    mid = builders.make_assessment(course, name="Giữa khóa", is_final=False, order=1)
    final = builders.make_assessment(
        course, name="Cuối khóa", order=2, weight=Decimal("2"), has_retake=retake
    )
    enrolments = [
        builders.make_enrolment(course, builders.make_trainee(centre, full_name=name))
        for name in names
    ]
    return course, mid, final, enrolments


def name(enrolment, assessment, retake=False) -> str:
    return cell_name(Cell(enrolment.pk, assessment.pk, retake))


def form_data(response, changes=None) -> dict:
    """What the browser would post from the page in `response`, with `changes` typed in."""
    data = {}
    for row in response.context["rows"]:
        for cell in row.cells:
            if not cell.editable or response.context["read_only"]:
                continue
            data[f"diem_{cell.name}"] = cell.text
            data[f"goc_{cell.name}"] = cell.original_text
            if not cell.cell.retake:
                data[f"pb_{cell.cell.enrolment_id}_{cell.cell.assessment_id}"] = str(cell.version)
            if cell.needs_choice:
                data[f"xd_{cell.name}"] = "1"
    for key, value in (changes or {}).items():
        data[f"diem_{key}"] = value
    return data

"""Guards the property tests (tests/property/) led to in grading and the class forms: crafted
hidden fields of the grade grid are a 400, never a 500; digits of other scripts are not scores;
a crafted formset count cannot make one request build thousands of forms."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lophoc.course_forms import MAX_ASSESSMENTS, MAX_TOPICS
from lophoc.models import CourseStatus, Score
from lophoc.scores import parse_score
from tests import builders
from tests.lophoc.grade_grid_helpers import form_data, grid_url, make_class, name

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(centre):
    return make_class(centre)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pb", "²"),  # str.isdigit() says yes, int() says no: used to be a 500
        ("pb", "9" * 5000),  # past Python's int() digit limit: used to be a 500
        ("pb", "-1"),
        ("goc", "sNaN"),  # a signalling NaN raised on comparison: used to be a 500
        ("goc", "NaN"),
        ("goc", "1e999"),
        ("goc", "11"),
    ],
)
def test_a_tampered_hidden_field_is_a_bad_request(staff_client, graded, field, value):
    course, mid, _final, (first, _second) = graded
    page = staff_client.get(grid_url(course))
    data = form_data(page, {name(first, mid): "9"})
    key = f"pb_{first.pk}_{mid.pk}" if field == "pb" else f"goc_{name(first, mid)}"
    data[key] = value
    response = staff_client.post(grid_url(course), data)
    assert response.status_code == 400
    assert not Score.objects.filter(enrolment=first, assessment=mid).exists()


@pytest.mark.parametrize(
    # (No "\n" case: the multipart parser strips it, leaving a real-looking cell whose ids
    # depend on the database's sequences.)
    "key",
    ["diem_" + "9" * 30 + "_1", "diem_1__2", "diem_١_٢", "diem_1_2_tl_x"],
)
def test_a_field_that_only_looks_like_a_cell_is_ignored(staff_client, graded, key):
    course, mid, _final, (first, _second) = graded
    data = form_data(staff_client.get(grid_url(course)), {name(first, mid): "9"})
    data[key] = "7"
    response = staff_client.post(grid_url(course), data)
    assert response.status_code == 302
    assert Score.objects.get(enrolment=first, assessment=mid).score == Decimal("9")


@pytest.mark.parametrize("raw", ["٨", "８,５", "²", "8\u0665"])
def test_digits_of_other_scripts_are_not_scores(raw):
    with pytest.raises(ValidationError, match="không phải điểm hợp lệ"):
        parse_score(raw)


def test_a_refused_score_is_quoted_short_and_visible():
    with pytest.raises(ValidationError) as error:
        parse_score("9\x00" + "x" * 1000)
    message = error.value.messages[0]
    assert message.startswith("«9�xxx")
    assert "\x00" not in message and len(message) < 150


def test_a_grid_refusal_names_the_cell(staff_client, graded):
    course, mid, _final, (first, _second) = graded
    data = form_data(staff_client.get(grid_url(course)), {name(first, mid): "٨"})
    response = staff_client.post(grid_url(course), data)
    assert response.status_code == 200
    errors = {cell.name: cell.error for row in response.context["rows"] for cell in row.cells}
    assert errors[name(first, mid)].startswith("«٨» không phải điểm hợp lệ")
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("view", "cap"),
    [
        ("lophoc:course_topics", MAX_TOPICS),
        ("lophoc:course_assessments", MAX_ASSESSMENTS),
    ],
)
def test_a_crafted_form_count_is_refused_without_building_the_forms(
    staff_client, centre, view, cap
):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    data = {
        "form-TOTAL_FORMS": "100000000",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "100000000",
    }
    response = staff_client.post(reverse(view, args=[course.pk]), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) <= cap
    assert not formset.is_valid()


def test_the_grid_of_a_big_class_can_be_saved(staff_client, centre):
    """170 trainees × (an assessment + one with a retake) post 1 360 fields: more than Django's
    default DATA_UPLOAD_MAX_NUMBER_FIELDS (1 000), which answered 400 to the whole save."""
    course, mid, final = make_class(centre, names=(), retake=True)[:3]
    for n in range(170):
        builders.make_enrolment(course, builders.make_trainee(centre, full_name=f"Lê Văn {n}"))
    page = staff_client.get(grid_url(course))
    first = course.enrolments.order_by("trainee__sort_key", "id").first()
    data = form_data(page, {name(first, final): "8"})
    assert len(data) > 1000
    response = staff_client.post(grid_url(course), data)
    assert response.status_code == 302
    assert Score.objects.get(enrolment=first, assessment=final).score == Decimal("8")

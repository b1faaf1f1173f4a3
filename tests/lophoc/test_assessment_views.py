"""The assessments of a class (bài kiểm tra, hệ số, giảng viên chấm), edited by staff."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from lophoc.courses import course_create
from lophoc.models import Assessment, CourseStatus, ProgramAssessment, Score
from tests import builders

pytestmark = pytest.mark.django_db


def url(course):
    return reverse("lophoc:course_assessments", args=[course.pk])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def post_data(course, rows, extra=()):
    """The formset as the page posts it: `rows` for the existing assessments in order (dicts of
    changes, or "delete"), `extra` for new ones."""
    existing = list(course.assessments.all())
    data = {
        "form-TOTAL_FORMS": str(len(existing) + len(extra)),
        "form-INITIAL_FORMS": str(len(existing)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    forms = []
    for assessment, change in zip(existing, rows, strict=True):
        values = {
            "id": str(assessment.pk),
            "order": str(assessment.order),
            "name": assessment.name,
            "weight": str(assessment.weight),
            "grader": str(assessment.grader_id or ""),
        }
        if assessment.is_final:
            values["is_final"] = "on"
        if assessment.has_retake:
            values["has_retake"] = "on"
        if change == "delete":
            values["DELETE"] = "on"
        else:
            values.update(change)
        forms.append(values)
    forms += [dict(values) for values in extra]
    for index, values in enumerate(forms):
        for name, value in values.items():
            if value is False:
                continue
            data[f"form-{index}-{name}"] = value
    return data


@pytest.fixture
def course(centre):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    builders.make_assessment(course, name="Kiểm tra giữa khóa", is_final=False, order=1)
    builders.make_assessment(course, name="Bài thu hoạch", weight=D(2), order=2)
    return course


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    return client


class TestAccess:
    def test_anonymous_goes_to_login(self, client, course):
        response = client.get(url(course))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_other_centre_gets_404(self, client, other_staff, course):
        client.force_login(other_staff)
        assert client.get(url(course)).status_code == 404
        assert client.post(url(course), post_data(course, [{}, {}])).status_code == 404

    @pytest.mark.parametrize("role", ["official", "lecturer"])
    def test_readers_get_403(self, client, course, role, request):
        user = request.getfixturevalue(role)
        if role == "lecturer":
            builders.make_session(course, lecturer=user.lecturer)
        client.force_login(user)
        assert client.get(url(course)).status_code == 403
        response = client.post(url(course), post_data(course, [{"weight": "5"}, {}]))
        assert response.status_code == 403
        assert not Assessment.objects.filter(weight=5).exists()

    def test_staff_sees_the_page(self, logged_in, course):
        response = logged_in.get(url(course))
        assert response.status_code == 200
        text = response.text
        assert "<title>Bài kiểm tra lớp" in text and 'aria-label="Đường dẫn"' in text
        assert "Kiểm tra giữa khóa" in text and 'value="2"' in text
        assert 'style="' not in text

    def test_the_class_page_links_here_for_staff(self, logged_in, course):
        assert url(course) in logged_in.get(reverse("lophoc:course_detail", args=[course.pk])).text


class TestEditing:
    def test_a_vietnamese_decimal_weight_is_accepted(self, logged_in, staff, course):
        response = logged_in.post(url(course), post_data(course, [{"weight": "1,5"}, {}]))

        assert response.status_code == 302
        assert flash(response) == [f"Đã lưu bài kiểm tra và hệ số của lớp {course.code}."]
        midterm = course.assessments.get(order=1)
        assert midterm.weight == D("1.5")
        assert midterm.history.first().history_user == staff

    def test_a_point_is_accepted_too(self, logged_in, course):
        logged_in.post(url(course), post_data(course, [{"weight": "0.25"}, {}]))
        assert course.assessments.get(order=1).weight == D("0.25")

    @pytest.mark.parametrize("typed", ["-1", "abc", "1,234", "1.2.3", "1000", ""])
    def test_a_bad_weight_is_refused_next_to_the_field(self, logged_in, course, typed):
        response = logged_in.post(
            url(course), post_data(course, [{"weight": typed, "name": "Đổi tên"}, {}])
        )

        assert response.status_code == 200
        assert "Hãy nhập hệ số" in response.text
        assert 'value="Đổi tên"' in response.text  # what was typed is kept
        assert course.assessments.get(order=1).name == "Kiểm tra giữa khóa"

    def test_grader_retake_and_final_are_saved(self, logged_in, course, lecturer):
        grader = lecturer.lecturer
        response = logged_in.post(
            url(course),
            post_data(
                course,
                [{"grader": str(grader.pk), "has_retake": "on"}, {"is_final": False}],
            ),
        )
        assert response.status_code == 302
        midterm = course.assessments.get(order=1)
        assert (midterm.grader, midterm.has_retake) == (grader, True)
        assert not course.assessments.get(order=2).is_final

    def test_another_centres_lecturer_cannot_grade(self, logged_in, course, other_centre):
        stranger = builders.make_lecturer(other_centre)
        response = logged_in.post(
            url(course), post_data(course, [{"grader": str(stranger.pk)}, {}])
        )
        assert response.status_code == 200
        assert course.assessments.get(order=1).grader is None

    def test_a_new_assessment_is_added_from_a_blank_row(self, logged_in, course):
        extra = [{"order": "3", "name": "Bài viết thu hoạch nhóm", "weight": "0"}]
        response = logged_in.post(url(course), post_data(course, [{}, {}], extra))
        assert response.status_code == 302
        added = course.assessments.get(order=3)
        assert (added.name, added.weight, added.is_final) == ("Bài viết thu hoạch nhóm", 0, False)

    def test_untouched_blank_rows_are_ignored(self, logged_in, course):
        response = logged_in.get(url(course))
        formset = response.context["formset"]
        assert len(formset.forms) == 4  # two assessments, two blank rows
        response = logged_in.post(
            url(course),
            post_data(
                course, [{}, {}], [{"order": "3", "weight": "1"}, {"order": "4", "weight": "1"}]
            ),
        )
        assert response.status_code == 302
        assert course.assessments.count() == 2

    def test_at_least_one_positive_weight(self, logged_in, course):
        response = logged_in.post(
            url(course), post_data(course, [{"weight": "0"}, {"weight": "0"}])
        )
        assert response.status_code == 200
        assert "ít nhất một bài kiểm tra có hệ số lớn hơn 0" in flash(response)[0]
        assert course.assessments.get(order=2).weight == 2

    def test_only_one_final(self, logged_in, course):
        response = logged_in.post(url(course), post_data(course, [{"is_final": "on"}, {}]))
        assert "Chỉ một bài được đánh dấu là bài cuối khóa" in flash(response)[0]
        assert not course.assessments.get(order=1).is_final

    def test_deleting_an_assessment_with_scores_is_refused(self, logged_in, course):
        midterm = course.assessments.get(order=1)
        builders.make_score(builders.make_enrolment(course), midterm, "7")

        response = logged_in.post(url(course), post_data(course, ["delete", {}]))

        assert response.status_code == 200
        message = flash(response)[0]
        assert "«Kiểm tra giữa khóa» đã có điểm của 1 học viên nên không xóa được" in message
        assert course.assessments.count() == 2

    def test_deleting_an_assessment_without_scores(self, logged_in, staff, course):
        midterm = course.assessments.get(order=1)
        builders.make_score(builders.make_enrolment(course), midterm, None)  # an emptied cell

        response = logged_in.post(url(course), post_data(course, ["delete", {}]))

        assert response.status_code == 302
        assert list(course.assessments.values_list("name", flat=True)) == ["Bài thu hoạch"]
        assert not Score.objects.exists()
        deleted = Assessment.history.filter(id=midterm.pk, history_type="-").get()
        assert deleted.history_user == staff

    def test_deleting_every_assessment_is_refused(self, logged_in, course):
        response = logged_in.post(url(course), post_data(course, ["delete", "delete"]))
        assert "ít nhất một bài kiểm tra có hệ số lớn hơn 0" in flash(response)[0]
        assert course.assessments.count() == 2


class TestWhenNotAvailable:
    def test_an_attendance_only_class_has_no_assessments(self, logged_in, centre):
        course = builders.make_course(centre, is_assessed=False)
        response = logged_in.get(url(course))
        assert response.status_code == 302
        assert "chỉ xét chuyên cần" in flash(response)[0]

    @pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
    def test_not_after_grading_closed(self, logged_in, course, status):
        course.status = status
        course.save()
        response = logged_in.get(url(course))
        assert response.status_code == 302
        assert "không sửa được bài kiểm tra" in flash(response)[0]
        response = logged_in.post(url(course), post_data(course, [{"weight": "5"}, {}]))
        assert response.status_code == 302
        assert not course.assessments.filter(weight=5).exists()

    @pytest.mark.parametrize("status", ["planned", "enrolling", "in_progress", "grading"])
    def test_open_until_grading_closes(self, logged_in, course, status):
        course.status = status
        course.save()
        assert logged_in.get(url(course)).status_code == 200


def test_a_new_class_starts_with_the_programs_assessments(centre, staff):
    program = builders.make_program(centre)
    ProgramAssessment.objects.create(program=program, order=1, name="Thu hoạch", weight=D(2))
    course = course_create(
        centre=centre, program=program, user=staff, start_date=datetime.date(2026, 5, 4)
    )
    assert list(course.assessments.values_list("name", "weight", "is_final")) == [
        ("Thu hoạch", D(2), False)
    ]

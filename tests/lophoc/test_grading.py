"""lophoc.grading services: saving cells without lost updates, submission, sending back, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lophoc.grading import (
    Cell,
    CellEdit,
    GradeConflict,
    assessment_return,
    assessments_submit,
    course_grades_context,
    grading_overview_courses,
    grading_permission,
    is_late,
    score_changes,
    score_history,
    scores_save,
)
from lophoc.models import Course, CourseStatus, EnrolmentStatus, Score
from tests import builders
from trungtam.models import Role

D = Decimal


def make_class(centre, *, n=2, status=CourseStatus.GRADING, lecturer=None, retake=False):
    """A class being graded: n trainees, a mid-course and a final assessment."""
    course = builders.make_course(centre, status=status)
    if lecturer is not None:
        builders.make_session(course, lecturer=lecturer)
    mid = builders.make_assessment(course, name="Giữa khóa", is_final=False, order=1)
    final = builders.make_assessment(
        course, name="Thu hoạch cuối khóa", order=2, weight=D("2"), has_retake=retake
    )
    enrolments = [builders.make_enrolment(course) for _ in range(n)]
    return course, mid, final, enrolments


def edit(enrolment, assessment, value, *, original=None, version=0, retake=False):
    return CellEdit(
        Cell(enrolment.pk, assessment.pk, retake),
        None if original is None else D(original),
        version,
        None if value is None else D(value),
    )


@pytest.mark.django_db
class TestSave:
    def test_new_cells_create_scores_with_history(self, centre, staff):
        course, mid, final, (first, second) = make_class(centre)
        changed = scores_save(
            course=course,
            user=staff,
            edits=[edit(first, mid, "8.5"), edit(second, mid, "7"), edit(first, final, "9")],
        )
        assert changed == 3
        score = Score.objects.get(enrolment=first, assessment=mid)
        assert score.score == D("8.5") and score.version == 1 and score.updated_by == staff
        record = score.history.get()
        assert record.history_user == staff and record.history_type == "+"

    def test_score_and_retake_of_one_row_make_one_score(self, centre, staff):
        course, mid, final, (first, _) = make_class(centre, retake=True)
        scores_save(
            course=course,
            user=staff,
            edits=[edit(first, final, "4"), edit(first, final, "6", retake=True)],
        )
        score = Score.objects.get(enrolment=first, assessment=final)
        assert (score.score, score.retake_score, score.version) == (D("4"), D("6"), 1)

    def test_change_and_clear_bump_the_version_and_keep_old_values(self, centre, staff):
        course, mid, final, (first, second) = make_class(centre)
        a = builders.make_score(first, mid, "7", version=3)
        b = builders.make_score(second, mid, "6", version=1)
        changed = scores_save(
            course=course,
            user=staff,
            edits=[
                edit(first, mid, "8", original="7", version=3),
                edit(second, mid, None, original="6", version=1),
            ],
        )
        assert changed == 2
        a.refresh_from_db()
        b.refresh_from_db()
        assert (a.score, a.version, a.updated_by) == (D("8"), 4, staff)
        assert (b.score, b.version) == (None, 2)
        rows = score_changes(score_history(course))
        assert {(r.trainee.pk, r.by.pk) for r in rows[:2]} == {
            (first.trainee.pk, staff.pk),
            (second.trainee.pk, staff.pk),
        }
        olds_news = {tuple(r.changes[0][1:]) for r in rows[:2]}
        assert olds_news == {(D("7"), D("8")), (D("6"), None)}

    def test_someone_else_saved_the_cell_nothing_is_written(self, centre, staff):
        other = builders.make_user(role=Role.STAFF, centre=centre, full_name="Nguyễn Văn A")
        course, mid, final, (first, second) = make_class(centre)
        builders.make_score(first, mid, "7")  # version 0, as the page showed it
        # Someone else saves the same cell first.
        scores_save(
            course=course, user=other, edits=[edit(first, mid, "7.5", original="7", version=0)]
        )
        with pytest.raises(GradeConflict) as raised:
            scores_save(
                course=course,
                user=staff,
                edits=[
                    edit(first, mid, "8.5", original="7", version=0),
                    edit(second, mid, "9"),  # fine by itself, but nothing is written
                ],
            )
        (conflict,) = raised.value.conflicts
        assert (conflict.mine, conflict.theirs, conflict.version) == (D("8.5"), D("7.5"), 1)
        assert conflict.by == other and conflict.at is not None
        assert Score.objects.get(enrolment=first, assessment=mid).score == D("7.5")
        assert not Score.objects.filter(enrolment=second).exists()
        # Keeping mine on the new base then saves.
        scores_save(
            course=course,
            user=staff,
            edits=[edit(first, mid, "8.5", original="7.5", version=1)],
        )
        score = Score.objects.get(enrolment=first, assessment=mid)
        assert (score.score, score.version, score.updated_by) == (D("8.5"), 2, staff)

    def test_a_new_cell_saved_meanwhile_is_a_conflict(self, centre, staff, admin_user):
        course, mid, final, (first, _) = make_class(centre)
        scores_save(course=course, user=admin_user, edits=[edit(first, mid, "6")])
        with pytest.raises(GradeConflict):
            scores_save(course=course, user=staff, edits=[edit(first, mid, "8")])

    def test_the_same_value_saved_meanwhile_is_not_a_conflict(self, centre, staff, admin_user):
        course, mid, final, (first, _) = make_class(centre)
        scores_save(course=course, user=admin_user, edits=[edit(first, mid, "8")])
        assert scores_save(course=course, user=staff, edits=[edit(first, mid, "8")]) == 0

    def test_the_other_cell_of_the_row_moving_is_not_a_conflict(self, centre, staff, admin_user):
        course, mid, final, (first, _) = make_class(centre, retake=True)
        builders.make_score(first, final, "4", version=1)
        scores_save(
            course=course,
            user=admin_user,
            edits=[edit(first, final, "6", version=1, retake=True)],
        )
        scores_save(
            course=course, user=staff, edits=[edit(first, final, "4.5", original="4", version=1)]
        )
        score = Score.objects.get(enrolment=first, assessment=final)
        assert (score.score, score.retake_score, score.version) == (D("4.5"), D("6"), 3)

    def test_closed_class_refuses(self, centre, staff):
        course, mid, final, (first, _) = make_class(centre, status=CourseStatus.CLOSED)
        with pytest.raises(ValidationError, match="chỉ nhập điểm khi"):
            scores_save(course=course, user=staff, edits=[edit(first, mid, "8")])
        assert not Score.objects.exists()

    def test_withdrawn_trainee_refuses(self, centre, staff):
        course, mid, final, (first, _) = make_class(centre)
        first.status = EnrolmentStatus.WITHDRAWN
        first.save()
        with pytest.raises(ValidationError, match="đã thôi học"):
            scores_save(course=course, user=staff, edits=[edit(first, mid, "8")])
        assert not Score.objects.exists()

    def test_retake_needs_a_retake_assessment(self, centre, staff):
        course, mid, final, (first, _) = make_class(centre)
        with pytest.raises(ValidationError, match="không có thi lại"):
            scores_save(course=course, user=staff, edits=[edit(first, mid, "8", retake=True)])

    def test_another_class_cell_is_forbidden(self, centre, staff):
        course, mid, final, (first, _) = make_class(centre)
        other, other_mid, *_ = make_class(centre)
        with pytest.raises(PermissionDenied):
            scores_save(course=course, user=staff, edits=[edit(first, other_mid, "8")])

    def test_lecturer_writes_only_their_assessment(self, centre, lecturer):
        course, mid, final, (first, _) = make_class(centre, lecturer=lecturer.lecturer)
        final.grader = lecturer.lecturer
        final.save()
        mid.grader = builders.make_lecturer(centre)
        mid.save()
        with pytest.raises(PermissionDenied):
            scores_save(course=course, user=lecturer, edits=[edit(first, mid, "8")])
        assert scores_save(course=course, user=lecturer, edits=[edit(first, final, "8")]) == 1

    def test_submitted_assessment_refuses_the_lecturer_but_not_staff(self, centre, lecturer, staff):
        course, mid, final, (first, _) = make_class(centre, lecturer=lecturer.lecturer)
        mid.submitted_at = datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)
        mid.save()
        with pytest.raises(ValidationError, match="đã nộp điểm"):
            scores_save(course=course, user=lecturer, edits=[edit(first, mid, "8")])
        assert scores_save(course=course, user=staff, edits=[edit(first, mid, "8")]) == 1


@pytest.mark.django_db
class TestPermission:
    def test_submitted_is_told_apart_from_never_mine(self, centre, lecturer):
        course, mid, final, _ = make_class(centre, lecturer=lecturer.lecturer)
        mid.submitted_at = datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)
        mid.save()
        assert grading_permission(lecturer, course, [mid, final]) == ({final.pk}, {mid.pk})

    def test_official_writes_nothing(self, centre, official):
        course, mid, final, _ = make_class(centre)
        assert grading_permission(official, course, [mid, final]) == (set(), set())


@pytest.mark.django_db
class TestSubmission:
    def test_complete_assessment_is_submitted(self, centre, lecturer):
        course, mid, final, (first, second) = make_class(centre, lecturer=lecturer.lecturer)
        builders.make_score(first, mid, "8")
        builders.make_score(second, mid, None, retake_score=D("6"))
        (done,) = assessments_submit(course=course, user=lecturer, assessment_ids=[mid.pk])
        mid.refresh_from_db()
        assert mid.submitted_at is not None and mid.submitted_by == lecturer
        assert mid.history.first().history_user == lecturer

    def test_incomplete_is_refused_naming_how_many(self, centre, lecturer):
        course, mid, final, (first, second) = make_class(centre, lecturer=lecturer.lecturer)
        builders.make_score(first, mid, "8")
        builders.make_score(second, mid, None)  # a row without a score does not count
        builders.make_score(first, final, "8")
        with pytest.raises(ValidationError) as raised:
            assessments_submit(course=course, user=lecturer, assessment_ids=[mid.pk, final.pk])
        message = raised.value.messages[0]
        assert "«Giữa khóa» còn 1 học viên" in message
        assert "«Thu hoạch cuối khóa» còn 1 học viên" in message
        mid.refresh_from_db()
        assert mid.submitted_at is None

    def test_withdrawn_trainees_are_not_needed(self, centre, staff):
        course, mid, final, (first, second) = make_class(centre)
        second.status = EnrolmentStatus.WITHDRAWN
        second.save()
        builders.make_score(first, mid, "8")
        assessments_submit(course=course, user=staff, assessment_ids=[mid.pk])
        mid.refresh_from_db()
        assert mid.submitted_at is not None and mid.submitted_by == staff

    def test_lecturer_cannot_submit_anothers(self, centre, lecturer):
        course, mid, final, (first, second) = make_class(centre, lecturer=lecturer.lecturer)
        mid.grader = builders.make_lecturer(centre)
        mid.save()
        with pytest.raises(PermissionDenied):
            assessments_submit(course=course, user=lecturer, assessment_ids=[mid.pk])

    def test_closed_class_cannot_submit(self, centre, staff):
        course, mid, *_ = make_class(centre, status=CourseStatus.CLOSED, n=0)
        with pytest.raises(ValidationError):
            assessments_submit(course=course, user=staff, assessment_ids=[mid.pk])

    def test_send_back_reopens_for_the_lecturer_with_the_reason(self, centre, lecturer, staff):
        course, mid, final, (first, second) = make_class(centre, lecturer=lecturer.lecturer)
        for enrolment in (first, second):
            builders.make_score(enrolment, mid, "8")
        assessments_submit(course=course, user=lecturer, assessment_ids=[mid.pk])
        mid.refresh_from_db()
        assert grading_permission(lecturer, course, [mid, final])[0] == {final.pk}
        assessment_return(assessment=mid, user=staff, reason="Thiếu điểm của 1 học viên")
        mid.refresh_from_db()
        assert mid.submitted_at is None and mid.submitted_by is None
        assert mid.returned_at is not None and mid.returned_reason == "Thiếu điểm của 1 học viên"
        assert mid.history.first().history_user == staff
        assert grading_permission(lecturer, course, [mid, final])[0] == {mid.pk, final.pk}

    def test_send_back_needs_a_reason_and_a_submitted_assessment(self, centre, staff):
        course, mid, *_ = make_class(centre, n=0)
        with pytest.raises(ValidationError):
            assessment_return(assessment=mid, user=staff, reason="  ")
        with pytest.raises(ValidationError, match="chưa nộp điểm"):
            assessment_return(assessment=mid, user=staff, reason="Sửa lại")


@pytest.mark.django_db
class TestOverview:
    def test_lateness_uses_the_centre_setting(self, centre):
        centre.grading_late_days = 7
        centre.save()
        today = datetime.date(2026, 4, 20)
        course = builders.make_course(
            centre,
            status=CourseStatus.GRADING,
            start_date=datetime.date(2026, 4, 6),
        )
        course.end_date = today - datetime.timedelta(days=7)
        course.save()
        builders.make_assessment(course)

        def fetch():
            return grading_overview_courses(Course.objects.filter(pk=course.pk)).get()

        assert not is_late(fetch(), today)  # exactly N days ago: not late yet
        course.end_date = today - datetime.timedelta(days=8)
        course.save()
        assert is_late(fetch(), today)
        course.assessments.update(submitted_at=datetime.datetime(2026, 4, 19, tzinfo=datetime.UTC))
        assert not is_late(fetch(), today)


@pytest.mark.django_db
def test_class_page_context_runs_a_fixed_number_of_queries(centre, lecturer):
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    builders.make_session(course, lecturer=lecturer.lecturer)

    def grow(n):
        for _ in range(n):
            assessment = builders.make_assessment(course, grader=lecturer.lecturer)
            enrolment = builders.make_enrolment(course)
            score = builders.make_score(enrolment, assessment, "7")
            score.score = D("8")
            score.save()

    def count():
        with CaptureQueriesContext(connection) as queries:
            context = course_grades_context(course=course, user=lecturer)
        return len(queries), context

    grow(2)
    count()
    small, _ = count()
    grow(4)
    large, context = count()
    assert small == large
    assert len(context["states"]) == 6 and context["can_grade"]
    assert len(context["history"]) == 12

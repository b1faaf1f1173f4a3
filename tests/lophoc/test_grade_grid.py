"""The grade grid of a class: who may open and save it, what a save writes, conflicts, queries."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.grading import Cell, CellEdit, scores_save
from lophoc.models import CourseStatus, EnrolmentStatus, Score
from tests import builders
from tests.lophoc.grade_grid_helpers import form_data, grid_url, make_class, name
from trungtam.models import Role

D = Decimal


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def score_of(enrolment, assessment):
    return Score.objects.filter(enrolment=enrolment, assessment=assessment).first()


@pytest.fixture
def taught(centre, lecturer):
    """A graded class the `lecturer` user teaches, no grader assigned (so they grade all)."""
    course, mid, final, enrolments = make_class(centre)
    builders.make_session(course, lecturer=lecturer.lecturer)
    return course, mid, final, enrolments


# --- who may open and save it ---------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_goes_to_login(self, client, centre):
        course, *_ = make_class(centre)
        response = client.get(grid_url(course))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_other_centre_gets_404(self, client, other_staff, centre):
        course, mid, final, (first, _) = make_class(centre)
        client.force_login(other_staff)
        assert client.get(grid_url(course)).status_code == 404
        response = client.post(grid_url(course), {f"diem_{name(first, mid)}": "8"})
        assert response.status_code == 404
        assert not Score.objects.exists()

    def test_staff_edits_every_assessment(self, client, staff, centre):
        course, mid, final, _ = make_class(centre, retake=True)
        client.force_login(staff)
        response = client.get(grid_url(course))
        assert response.status_code == 200
        assert response.text.count('class="form-control form-control-sm text-end grade-input') == 6
        assert "Cuối khóa – thi lại" in response.text
        assert "<title>Nhập điểm – " in response.text and 'aria-label="Đường dẫn"' in response.text

    @pytest.mark.parametrize("role", ["official", "province_official"])
    def test_officials_neither_read_nor_save(self, client, centre, role, request):
        # Officials read figures, never a grid of names and scores (DESIGN §7, §8b).
        official = request.getfixturevalue(role)
        course, mid, final, (first, _) = make_class(centre)
        builders.make_score(first, mid, "7")
        client.force_login(official)
        response = client.get(grid_url(course))
        assert response.status_code == 403
        assert first.trainee.full_name not in response.text
        history = client.get(reverse("lophoc:grade_history", args=[course.pk]))
        assert history.status_code == 403
        response = client.post(
            grid_url(course), {f"diem_{name(first, mid)}": "9", f"goc_{name(first, mid)}": "7"}
        )
        assert response.status_code == 403
        assert score_of(first, mid).score == D("7")

    def test_lecturer_not_teaching_gets_404(self, client, lecturer, centre):
        course, mid, final, (first, _) = make_class(centre)
        client.force_login(lecturer)
        assert client.get(grid_url(course)).status_code == 404
        assert client.post(grid_url(course), {f"diem_{name(first, mid)}": "8"}).status_code == 404
        assert not Score.objects.exists()

    def test_lecturer_edits_only_their_assessment(self, client, lecturer, taught, centre):
        course, mid, final, (first, _) = taught
        final.grader = lecturer.lecturer
        final.save()
        mid.grader = builders.make_lecturer(centre)
        mid.save()
        client.force_login(lecturer)
        response = client.get(grid_url(course))
        assert f'name="diem_{name(first, final)}"' in response.text
        assert f'name="diem_{name(first, mid)}"' not in response.text

    def test_crafted_cell_of_anothers_assessment_is_403_and_nothing_changes(
        self, client, lecturer, taught, centre
    ):
        course, mid, final, (first, second) = taught
        final.grader = lecturer.lecturer
        final.save()
        mid.grader = builders.make_lecturer(centre)
        mid.save()
        client.force_login(lecturer)
        data = form_data(client.get(grid_url(course)), {name(first, final): "9"})
        data[f"diem_{name(second, mid)}"] = "2"
        assert client.post(grid_url(course), data).status_code == 403
        assert not Score.objects.exists()

    def test_crafted_cell_of_another_class_is_403(self, client, lecturer, taught, centre):
        course, *_ = taught
        other, other_mid, _, (stranger, _) = make_class(centre)
        client.force_login(lecturer)
        data = {f"diem_{name(stranger, other_mid)}": "8"}
        assert client.post(grid_url(course), data).status_code == 403
        assert not Score.objects.exists()

    def test_only_get_and_post(self, client, staff, centre):
        course, *_ = make_class(centre)
        client.force_login(staff)
        assert client.put(grid_url(course)).status_code == 405


# --- saving ----------------------------------------------------------------------------------


@pytest.mark.django_db
class TestSave:
    @pytest.fixture
    def logged_in(self, client, staff):
        client.force_login(staff)
        return client

    def test_rows_in_vietnamese_name_order(self, logged_in, centre):
        course, *_ = make_class(centre, names=("Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Ánh"))
        text = logged_in.get(grid_url(course)).text
        assert text.index("Nguyễn Thị An") < text.index("Lê Văn Ánh") < text.index("Trần Văn Bình")

    def test_valid_cells_saved_in_one_request(self, logged_in, staff, centre):
        course, mid, final, (first, second) = make_class(centre)
        page = logged_in.get(grid_url(course))
        data = form_data(
            page, {name(first, mid): "8,5", name(second, mid): "8.5", name(first, final): "10"}
        )
        response = logged_in.post(grid_url(course), data)
        assert response.status_code == 302
        assert flash(response) == [f"Đã lưu 3 ô điểm của lớp {course.code}."]
        assert score_of(first, mid).score == D("8.5") and score_of(second, mid).score == D("8.5")
        assert score_of(first, final).score == D("10")
        assert score_of(second, final) is None
        assert score_of(first, mid).updated_by == staff and score_of(first, mid).version == 1
        record = score_of(first, mid).history.get()
        assert record.history_user == staff

    def test_nothing_changed(self, logged_in, centre):
        course, *_ = make_class(centre)
        response = logged_in.post(grid_url(course), form_data(logged_in.get(grid_url(course))))
        assert flash(response) == ["Không có ô điểm nào thay đổi."]

    @pytest.mark.parametrize("bad", ["11", "-1", "7.333", "tám", "8,"])
    def test_invalid_cell_saves_nothing_and_is_flagged(self, logged_in, centre, bad):
        course, mid, final, (first, second) = make_class(centre)
        page = logged_in.get(grid_url(course))
        data = form_data(page, {name(first, mid): "9", name(second, mid): bad})
        response = logged_in.post(grid_url(course), data)
        assert response.status_code == 200
        assert not Score.objects.exists()
        text = response.text
        assert (
            f'name="diem_{name(second, mid)}" id="diem_{name(second, mid)}" value="{bad}"' in text
        )
        assert 'grade-input is-invalid"' in text
        assert "không phải điểm hợp lệ" in text or "ngoài thang điểm" in text
        assert "Chưa lưu gì: 1 ô điểm cần sửa" in text
        # What was typed in the valid cell is kept, to save once the bad one is fixed.
        assert f'name="diem_{name(first, mid)}" id="diem_{name(first, mid)}" value="9"' in text
        data = form_data(response, {name(second, mid): "6"})
        assert logged_in.post(grid_url(course), data).status_code == 302
        assert score_of(first, mid).score == D("9") and score_of(second, mid).score == D("6")

    def test_clear_and_retake(self, logged_in, staff, centre):
        course, mid, final, (first, second) = make_class(centre, retake=True)
        builders.make_score(first, mid, "7")
        builders.make_score(second, final, "3")
        page = logged_in.get(grid_url(course))
        data = form_data(page, {name(first, mid): "", name(second, final, True): "6,5"})
        logged_in.post(grid_url(course), data)
        cleared = score_of(first, mid)
        assert cleared.score is None and cleared.version == 1
        retaken = score_of(second, final)
        assert (retaken.score, retaken.retake_score) == (D("3"), D("6.5"))
        # The class page shows both changes, old → new, with who made them.
        text = logged_in.get(reverse("lophoc:course_detail", args=[course.pk])).text
        assert "7 → (trống)" in text and "Thi lại: (trống) → 6,5" in text
        assert str(staff) in text

    def test_retake_of_an_assessment_without_one_is_a_bad_request(self, logged_in, centre):
        course, mid, final, (first, _) = make_class(centre)
        data = {f"diem_{name(first, mid, True)}": "5"}
        assert logged_in.post(grid_url(course), data).status_code == 400
        assert not Score.objects.exists()

    def test_withdrawn_rows_are_greyed_and_not_saved(self, logged_in, centre):
        course, mid, final, (first, second) = make_class(centre)
        second.status = EnrolmentStatus.WITHDRAWN
        second.save()
        text = logged_in.get(grid_url(course)).text
        assert f'name="diem_{name(second, mid)}"' not in text
        assert "Thôi học" in text
        response = logged_in.post(
            grid_url(course), {f"diem_{name(second, mid)}": "8", f"goc_{name(second, mid)}": ""}
        )
        assert response.status_code == 200 and "đã thôi học" in response.text
        assert not Score.objects.exists()

    def test_closed_class_is_read_only(self, logged_in, centre):
        course, mid, final, (first, _) = make_class(centre, status=CourseStatus.CLOSED)
        builders.make_score(first, mid, "7")
        response = logged_in.get(grid_url(course))
        assert "grade-input" not in response.text and "chỉ để xem" in response.text
        response = logged_in.post(
            grid_url(course), {f"diem_{name(first, mid)}": "9", f"goc_{name(first, mid)}": "7"}
        )
        assert response.status_code == 302
        assert score_of(first, mid).score == D("7")

    def test_average_preview_per_row(self, logged_in, centre):
        course, mid, final, (first, second) = make_class(centre)
        builders.make_score(first, mid, "6")
        builders.make_score(first, final, "7.5")  # (6 + 2 × 7,5) / 3 = 7,0
        builders.make_score(second, mid, "6")
        response = logged_in.get(grid_url(course))
        averages = [row.average for row in response.context["rows"]]
        assert averages == [None, D("7.0")]  # An before Bình; An has no final yet


# --- no lost updates -------------------------------------------------------------------------


@pytest.mark.django_db
class TestConflicts:
    def test_a_cell_saved_meanwhile_is_shown_and_nothing_written(self, client, staff, centre):
        someone = builders.make_user(role=Role.STAFF, centre=centre, full_name="Nguyễn Văn A")
        course, mid, final, (first, second) = make_class(centre)
        builders.make_score(first, mid, "7")
        client.force_login(staff)
        page = client.get(grid_url(course))
        # Someone else saves the cell after the page was loaded.
        scores_save(
            course=course,
            user=someone,
            edits=[CellEdit(Cell(first.pk, mid.pk), D("7"), 0, D("7.5"))],
        )
        assert score_of(first, mid).score == D("7.5")
        data = form_data(page, {name(first, mid): "8,5", name(second, mid): "9"})
        response = client.post(grid_url(course), data)
        assert response.status_code == 200
        assert score_of(first, mid).score == D("7.5")
        assert score_of(second, mid) is None
        text = response.text
        assert "Chưa lưu gì: 1 ô điểm đã được người khác lưu" in text
        assert "Của bạn: <strong>8,5</strong> — đã lưu bởi Nguyễn Văn A lúc" in text
        assert "<strong>7,5</strong>" in text
        assert "Giữ của tôi" in text and "Lấy điểm đã lưu" in text

        # Without a choice, still nothing is saved.
        again = form_data(response)
        response = client.post(grid_url(course), again)
        assert "Chọn giữ điểm của bạn hoặc lấy điểm đã lưu." in response.text
        assert score_of(second, mid) is None

        # Keep mine: the stored value and version are now the base, so it saves.
        again[f"chon_{name(first, mid)}"] = "cua-toi"
        response = client.post(grid_url(course), again)
        assert response.status_code == 302
        assert flash(response) == [f"Đã lưu 2 ô điểm của lớp {course.code}."]
        saved = score_of(first, mid)
        assert (saved.score, saved.version, saved.updated_by) == (D("8.5"), 2, staff)
        assert score_of(second, mid).score == D("9")

    def test_a_change_made_while_resolving_a_conflict_is_still_caught(
        self, client, staff, admin_user, centre
    ):
        course, mid, final, (first, second) = make_class(centre)
        client.force_login(staff)
        page = client.get(grid_url(course))
        scores_save(
            course=course,
            user=admin_user,
            edits=[CellEdit(Cell(first.pk, mid.pk), None, 0, D("6"))],
        )
        response = client.post(
            grid_url(course), form_data(page, {name(first, mid): "8", name(second, mid): "5"})
        )
        # While the conflict is on screen, someone saves the other cell this user changed.
        scores_save(
            course=course,
            user=admin_user,
            edits=[CellEdit(Cell(second.pk, mid.pk), None, 0, D("4"))],
        )
        data = form_data(response)
        data[f"chon_{name(first, mid)}"] = "cua-toi"
        response = client.post(grid_url(course), data)
        assert "Của bạn: <strong>5</strong>" in response.text
        assert score_of(first, mid).score == D("6") and score_of(second, mid).score == D("4")

    def test_take_theirs_keeps_the_stored_value(self, client, staff, admin_user, centre):
        course, mid, final, (first, second) = make_class(centre)
        client.force_login(staff)
        page = client.get(grid_url(course))
        scores_save(
            course=course,
            user=admin_user,
            edits=[CellEdit(Cell(first.pk, mid.pk), None, 0, D("6"))],
        )
        response = client.post(
            grid_url(course), form_data(page, {name(first, mid): "8", name(second, mid): "5"})
        )
        data = form_data(response)
        data[f"chon_{name(first, mid)}"] = "da-luu"
        response = client.post(grid_url(course), data)
        assert flash(response) == [f"Đã lưu 1 ô điểm của lớp {course.code}."]
        assert score_of(first, mid).score == D("6") and score_of(first, mid).version == 1
        assert score_of(second, mid).score == D("5")

    def test_a_later_change_elsewhere_on_the_grid_is_not_a_conflict(
        self, client, staff, admin_user, centre
    ):
        course, mid, final, (first, second) = make_class(centre)
        client.force_login(staff)
        page = client.get(grid_url(course))
        scores_save(
            course=course,
            user=admin_user,
            edits=[CellEdit(Cell(second.pk, final.pk), None, 0, D("6"))],
        )
        response = client.post(grid_url(course), form_data(page, {name(first, mid): "8"}))
        assert response.status_code == 302
        assert score_of(second, final).score == D("6")  # not overwritten by the stale page

    def test_submitted_since_the_page_was_loaded(self, client, lecturer, taught):
        course, mid, final, (first, second) = taught
        client.force_login(lecturer)
        page = client.get(grid_url(course))
        mid.submitted_at = datetime.datetime(2026, 3, 9, tzinfo=datetime.UTC)
        mid.save()
        response = client.post(grid_url(course), form_data(page, {name(first, mid): "8"}))
        assert response.status_code == 200 and "đã nộp điểm" in response.text
        assert not Score.objects.exists()
        # Unchanged cells of the submitted assessment do not stop the others being saved.
        response = client.post(grid_url(course), form_data(page, {name(first, final): "8"}))
        assert response.status_code == 302 and score_of(first, final).score == D("8")


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "lecturer"])
def test_grid_queries_do_not_grow_with_trainees(client, centre, role, request):
    user = request.getfixturevalue(role)
    client.force_login(user)

    def measure(n):
        """GET, then POST a change of every row's mid score and a new final and retake."""
        course, mid, final, _ = make_class(centre, names=(), retake=True)
        builders.make_session(course, lecturer=user.lecturer if role == "lecturer" else None)
        for _ in range(n):
            enrolment = builders.make_enrolment(course)
            builders.make_score(enrolment, mid, "7", updated_by=user)
        with CaptureQueriesContext(connection) as get_queries:
            page = client.get(grid_url(course))
        assert len(page.context["rows"]) == n
        changes = {}
        for row in page.context["rows"]:
            changes[name(row.enrolment, mid)] = "8"
            changes[name(row.enrolment, final)] = "4"
            changes[name(row.enrolment, final, True)] = "6,5"
        data = form_data(page, changes)
        with CaptureQueriesContext(connection) as post_queries:
            response = client.post(grid_url(course), data)
        assert flash(response) == [f"Đã lưu {3 * n} ô điểm của lớp {course.code}."]
        return len(get_queries), len(post_queries)

    measure(1)
    assert measure(2) == measure(6)

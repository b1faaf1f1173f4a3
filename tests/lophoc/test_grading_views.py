"""Nộp điểm, trả lại, the score history page, the class page's Điểm section and the overview."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.grading import Cell, CellEdit, scores_save
from lophoc.models import Assessment, CourseStatus
from tests import builders

D = Decimal


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def make_class(centre, *, n=2, status=CourseStatus.GRADING, lecturer=None):
    course = builders.make_course(centre, status=status)
    if lecturer is not None:
        builders.make_session(course, lecturer=lecturer.lecturer)
    mid = builders.make_assessment(course, name="Giữa khóa", is_final=False, order=1)
    final = builders.make_assessment(course, name="Cuối khóa", order=2)
    enrolments = [builders.make_enrolment(course) for _ in range(n)]
    return course, mid, final, enrolments


def fill(assessment, enrolments, value="8"):
    for enrolment in enrolments:
        builders.make_score(enrolment, assessment, value)


def submitted(assessment, user=None):
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.save()
    return assessment


def confirm_url(course):
    return reverse("lophoc:grade_submit_confirm", args=[course.pk])


def submit_url(course):
    return reverse("lophoc:grade_submit", args=[course.pk])


def return_confirm_url(assessment):
    return reverse("lophoc:grade_return_confirm", args=[assessment.pk])


def return_url(assessment):
    return reverse("lophoc:grade_return", args=[assessment.pk])


# --- nộp điểm --------------------------------------------------------------------------------


@pytest.mark.django_db
class TestSubmit:
    def test_lecturer_confirms_then_submits(self, client, lecturer, centre):
        course, mid, final, enrolments = make_class(centre, lecturer=lecturer)
        fill(mid, enrolments)
        client.force_login(lecturer)
        page = client.get(confirm_url(course))
        assert page.status_code == 200
        assert "Nộp điểm lớp" in page.text and "Đủ điểm" in page.text
        assert "Còn 2 học viên chưa có điểm" in page.text  # the final
        response = client.post(submit_url(course), {"bai": [mid.pk]})
        assert response.status_code == 302
        assert flash(response)[0].startswith("Đã nộp điểm «Giữa khóa»")
        mid.refresh_from_db()
        assert mid.submitted_at is not None and mid.submitted_by == lecturer
        # Now read-only for the lecturer in the grid.
        grid = client.get(reverse("lophoc:grade_grid", args=[course.pk]))
        assert f'name="diem_{enrolments[0].pk}_{mid.pk}"' not in grid.text
        assert f'name="diem_{enrolments[0].pk}_{final.pk}"' in grid.text

    def test_incomplete_is_refused_with_the_count(self, client, lecturer, centre):
        course, mid, final, enrolments = make_class(centre, lecturer=lecturer)
        fill(mid, enrolments[:1])
        client.force_login(lecturer)
        response = client.post(submit_url(course), {"bai": [mid.pk]})
        assert response.status_code == 200
        assert "«Giữa khóa» còn 1 học viên chưa có điểm" in response.text
        mid.refresh_from_db()
        assert mid.submitted_at is None

    def test_staff_submit_on_behalf(self, client, staff, centre):
        course, mid, final, enrolments = make_class(centre)
        fill(mid, enrolments)
        fill(final, enrolments)
        client.force_login(staff)
        client.post(submit_url(course), {"bai": [mid.pk, final.pk]})
        assert Assessment.objects.filter(submitted_by=staff).count() == 2

    def test_lecturer_cannot_submit_anothers_assessment(self, client, lecturer, centre):
        course, mid, final, enrolments = make_class(centre, lecturer=lecturer)
        final.grader = lecturer.lecturer
        final.save()
        mid.grader = builders.make_lecturer(centre)
        mid.save()
        fill(mid, enrolments)
        client.force_login(lecturer)
        response = client.post(submit_url(course), {"bai": [mid.pk]})
        assert response.status_code == 200 and "không nộp được" in response.text
        mid.refresh_from_db()
        assert mid.submitted_at is None

    def test_get_on_the_post_view_is_405(self, client, staff, centre):
        course, *_ = make_class(centre)
        client.force_login(staff)
        assert client.get(submit_url(course)).status_code == 405

    def test_official_is_403_other_centre_404_anonymous_login(
        self, client, official, other_staff, centre
    ):
        course, mid, final, enrolments = make_class(centre)
        fill(mid, enrolments)
        response = client.post(submit_url(course), {"bai": [mid.pk]})
        assert response.status_code == 302 and reverse("login") in response["Location"]
        client.force_login(official)
        assert client.get(confirm_url(course)).status_code == 403
        assert client.post(submit_url(course), {"bai": [mid.pk]}).status_code == 403
        client.force_login(other_staff)
        assert client.post(submit_url(course), {"bai": [mid.pk]}).status_code == 404
        mid.refresh_from_db()
        assert mid.submitted_at is None

    def test_nothing_to_submit_goes_back_to_the_class(self, client, staff, centre):
        course, mid, final, _ = make_class(centre, status=CourseStatus.CLOSED)
        client.force_login(staff)
        response = client.get(confirm_url(course))
        assert response.status_code == 302 and "chỉ nhập điểm khi" in flash(response)[0]


# --- trả lại ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestReturn:
    def test_staff_send_back_with_a_reason(self, client, staff, lecturer, centre):
        course, mid, final, enrolments = make_class(centre, lecturer=lecturer)
        submitted(mid, lecturer)
        client.force_login(staff)
        page = client.get(return_confirm_url(mid))
        assert page.status_code == 200 and "Trả lại bài «Giữa khóa»" in page.text
        response = client.post(return_url(mid), {"ly_do": ""})
        assert response.status_code == 200 and "Hãy ghi lý do trả lại" in response.text
        mid.refresh_from_db()
        assert mid.submitted_at is not None
        response = client.post(return_url(mid), {"ly_do": "Thiếu điểm thi lại"})
        assert response.status_code == 302 and flash(response)[0].startswith("Đã trả lại bài")
        mid.refresh_from_db()
        assert mid.submitted_at is None and mid.returned_reason == "Thiếu điểm thi lại"
        assert mid.history.first().history_user == staff
        # The class page says so, and the lecturer may grade it again.
        client.force_login(lecturer)
        text = client.get(reverse("lophoc:course_detail", args=[course.pk])).text
        assert "Đã trả lại" in text and "Thiếu điểm thi lại" in text
        grid = client.get(reverse("lophoc:grade_grid", args=[course.pk]))
        assert f'name="diem_{enrolments[0].pk}_{mid.pk}"' in grid.text

    def test_lecturer_and_official_are_403(self, client, lecturer, official, centre):
        course, mid, *_ = make_class(centre, lecturer=lecturer)
        submitted(mid)
        for user in (lecturer, official):
            client.force_login(user)
            assert client.get(return_confirm_url(mid)).status_code == 403
            assert client.post(return_url(mid), {"ly_do": "x"}).status_code == 403
        mid.refresh_from_db()
        assert mid.submitted_at is not None

    def test_other_centre_404_anonymous_login_get_405(self, client, other_staff, staff, centre):
        course, mid, *_ = make_class(centre)
        submitted(mid)
        response = client.post(return_url(mid), {"ly_do": "x"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
        client.force_login(other_staff)
        assert client.post(return_url(mid), {"ly_do": "x"}).status_code == 404
        client.force_login(staff)
        assert client.get(return_url(mid)).status_code == 405

    def test_not_submitted_cannot_be_sent_back(self, client, staff, centre):
        course, mid, *_ = make_class(centre)
        client.force_login(staff)
        response = client.post(return_url(mid), {"ly_do": "x"})
        assert response.status_code == 302 and "chưa nộp điểm" in flash(response)[0]


# --- the class page's Điểm section and the history page --------------------------------------


@pytest.mark.django_db
class TestClassPage:
    def test_states_links_and_history(self, client, staff, lecturer, centre):
        course, mid, final, enrolments = make_class(centre, lecturer=lecturer)
        fill(mid, enrolments)
        submitted(mid, lecturer)
        scores_save(
            course=course,
            user=staff,
            edits=[CellEdit(Cell(enrolments[0].pk, final.pk), None, 0, D("6.5"))],
        )
        client.force_login(staff)
        text = client.get(reverse("lophoc:course_detail", args=[course.pk])).text
        assert reverse("lophoc:grade_grid", args=[course.pk]) in text and "Nhập điểm" in text
        assert "Đã nộp" in text and f"bởi {lecturer}" in text
        assert "Chưa nộp" in text and "còn 1 học viên chưa có điểm" in text
        assert return_confirm_url(mid) in text and return_confirm_url(final) not in text
        assert "(trống) → 6,5" in text
        assert reverse("lophoc:grade_history", args=[course.pk]) in text

    def test_lecturer_sees_enter_and_submit_but_not_send_back(self, client, lecturer, centre):
        course, mid, *_ = make_class(centre, lecturer=lecturer)
        client.force_login(lecturer)
        text = client.get(reverse("lophoc:course_detail", args=[course.pk])).text
        assert "Nhập điểm" in text and confirm_url(course) in text
        assert "lophoc:grade_return" not in text and "/tra-lai/" not in text

    def test_official_sees_no_grid_link_nor_actions(self, client, official, centre):
        course, mid, *_ = make_class(centre)
        submitted(mid)
        client.force_login(official)
        text = client.get(reverse("lophoc:course_detail", args=[course.pk])).text
        assert "Xem bảng điểm" not in text and confirm_url(course) not in text
        assert reverse("lophoc:grade_grid", args=[course.pk]) not in text
        assert "/tra-lai/" not in text

    def test_history_page_is_paginated_newest_first(self, client, staff, centre):
        course, mid, final, (first, _) = make_class(centre)
        version, value = 0, None
        for step in range(30):
            new = D(step % 10)
            scores_save(
                course=course,
                user=staff,
                edits=[CellEdit(Cell(first.pk, mid.pk), value, version, new)],
            )
            version, value = version + 1, new
        client.force_login(staff)
        url = reverse("lophoc:grade_history", args=[course.pk])
        page = client.get(url)
        assert page.status_code == 200
        changes = page.context["changes"]
        assert len(changes) == 25
        assert changes[0].changes == [("Điểm", D("8"), D("9"))]
        assert "Trang 1/2" in page.text
        assert len(client.get(url + "?trang=2").context["changes"]) == 5

    def test_history_page_scoped(self, client, other_staff, centre):
        course, *_ = make_class(centre)
        url = reverse("lophoc:grade_history", args=[course.pk])
        assert reverse("login") in client.get(url)["Location"]
        client.force_login(other_staff)
        assert client.get(url).status_code == 404

    def test_history_page_empty_state(self, client, staff, centre):
        course, *_ = make_class(centre)
        client.force_login(staff)
        text = client.get(reverse("lophoc:grade_history", args=[course.pk])).text
        assert "Chưa có lần nhập hay sửa điểm nào" in text


# --- the staff overview ----------------------------------------------------------------------


def overview_url(query=""):
    return reverse("lophoc:grading_overview") + query


@pytest.mark.django_db
class TestOverview:
    @pytest.fixture
    def classes(self, centre, other_centre):
        today = timezone.localdate()
        centre.grading_late_days = 7
        centre.save()
        start = today - datetime.timedelta(days=30)

        def make(code, *, ended_days_ago, submitted_count, total=2, **extra):
            course = builders.make_course(
                centre, code=code, status=CourseStatus.GRADING, start_date=start, **extra
            )
            course.end_date = today - datetime.timedelta(days=ended_days_ago)
            course.save()
            for i in range(total):
                assessment = builders.make_assessment(course, name=f"Bài {i}")
                if i < submitted_count:
                    submitted(assessment)
            return course

        return {
            "late": make("TRE-01/2026", ended_days_ago=8, submitted_count=1),
            "due": make("HAN-01/2026", ended_days_ago=7, submitted_count=0),
            "done": make("DU-01/2026", ended_days_ago=20, submitted_count=2),
            "planned": builders.make_course(centre, code="KH-01/2026"),
            "unassessed": builders.make_course(
                centre, code="CC-01/2026", status=CourseStatus.GRADING, is_assessed=False
            ),
            "elsewhere": builders.make_course(
                other_centre, code="KHAC-01/2026", status=CourseStatus.GRADING
            ),
        }

    def test_lists_open_classes_with_counts_and_lateness(self, client, staff, classes):
        client.force_login(staff)
        response = client.get(overview_url())
        assert response.status_code == 200
        rows = {course.code: late for course, late in response.context["rows"]}
        assert rows == {"TRE-01/2026": True, "HAN-01/2026": False, "DU-01/2026": False}
        assert 'data-submitted="1/2"' in response.text and "Trễ hạn" in response.text

    @pytest.mark.parametrize(
        "state,codes",
        [
            ("chua-nop", {"TRE-01/2026", "HAN-01/2026"}),
            ("da-nop", {"DU-01/2026"}),
            ("tre-han", {"TRE-01/2026"}),
        ],
    )
    def test_filters(self, client, staff, classes, state, codes):
        client.force_login(staff)
        response = client.get(overview_url(f"?trang_thai={state}"))
        assert {course.code for course, _ in response.context["rows"]} == codes

    def test_empty_filter_says_what_to_do(self, client, staff, centre):
        client.force_login(staff)
        assert "Chưa có lớp nào đang học" in client.get(overview_url()).text
        assert "Không có lớp nào khớp" in client.get(overview_url("?trang_thai=tre-han")).text

    def test_roles(self, client, lecturer, official):
        assert reverse("login") in client.get(overview_url())["Location"]
        for user in (lecturer, official):
            client.force_login(user)
            assert client.get(overview_url()).status_code == 403

    def test_queries_do_not_grow_with_classes(self, client, staff, centre):
        client.force_login(staff)

        def grow(n):
            for _ in range(n):
                course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
                submitted(builders.make_assessment(course))
                builders.make_assessment(course)

        def count():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(overview_url("?trang_thai=tre-han"))
            assert response.status_code == 200
            with CaptureQueriesContext(connection) as more:
                client.get(overview_url())
            return len(queries), len(more), len(response.context["rows"])

        grow(2)
        count()
        small = count()
        grow(4)
        large = count()
        assert small[:2] == large[:2]

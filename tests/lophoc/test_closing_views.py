"""Closing and reopening grading from the class page, and its Kết quả section, per role."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.closing import closing_check, course_close, course_reopen
from lophoc.models import (
    Attendance,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
    Score,
)
from lophoc.scores import grading_refusal
from tests import builders

pytestmark = pytest.mark.django_db


def detail_url(course):
    return reverse("lophoc:course_detail", args=[course.pk])


def transition_url(course):
    return reverse("lophoc:course_transition", args=[course.pk])


def confirm_url(course, target="closed"):
    return reverse("lophoc:course_transition_confirm", args=[course.pk, target])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def close_post(client, course):
    return client.post(transition_url(course), {"trang_thai": "closed", "xac_nhan": "1"})


@pytest.fixture
def ready(centre):
    """A class in grading whose 18 trainees all have their score: 17 pass, 1 fails."""
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    session = builders.make_session(course)
    exam = builders.make_assessment(course, name="Bài thu hoạch")
    scores = ["9.5"] * 3 + ["8.25"] * 5 + ["7"] * 6 + ["5"] * 3 + ["4"]
    for score in scores:
        enrolment = builders.make_enrolment(course)
        builders.make_score(enrolment, exam, score)
        Attendance.objects.create(session=session, enrolment=enrolment)  # attendance taken
    builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN, status_reason="Ốm")
    return course


# --- who may ---------------------------------------------------------------------------------


class TestPermissions:
    def test_anonymous_goes_to_login(self, client, ready):
        response = close_post(client, ready)
        assert response.status_code == 302 and reverse("login") in response["Location"]
        response = client.get(confirm_url(ready))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_get_on_the_post_only_view_is_405(self, client, staff, ready):
        client.force_login(staff)
        assert client.get(transition_url(ready)).status_code == 405

    @pytest.mark.parametrize("role,code", [("official", 403), ("other_staff", 404)])
    def test_others_may_not_close(self, client, ready, role, code, request):
        client.force_login(request.getfixturevalue(role))
        assert close_post(client, ready).status_code == code
        assert client.get(confirm_url(ready)).status_code == code
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING
        assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()

    def test_the_lecturer_of_the_class_may_not_close(self, client, lecturer, ready):
        builders.make_session(ready, lecturer=lecturer.lecturer)
        client.force_login(lecturer)
        assert close_post(client, ready).status_code == 403
        assert client.get(confirm_url(ready)).status_code == 403
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING

    @pytest.mark.parametrize("role,code", [("official", 403), ("other_staff", 404)])
    def test_others_may_not_reopen(self, client, staff, ready, role, code, request):
        course_close(course=ready, user=staff)
        client.force_login(request.getfixturevalue(role))
        response = client.post(
            transition_url(ready), {"trang_thai": "grading", "xac_nhan": "1", "ly_do": "Sửa"}
        )
        assert response.status_code == code
        ready.refresh_from_db()
        assert ready.status == CourseStatus.CLOSED

    def test_an_admin_closes(self, client, admin_user, ready):
        client.force_login(admin_user)
        close_post(client, ready)
        ready.refresh_from_db()
        assert ready.status == CourseStatus.CLOSED


# --- closing ---------------------------------------------------------------------------------


class TestClosing:
    def test_the_button_leads_to_a_confirmation_with_the_results_to_store(
        self, client, staff, ready
    ):
        client.force_login(staff)
        page = client.get(detail_url(ready))
        assert confirm_url(ready) in page.text
        response = client.post(transition_url(ready), {"trang_thai": "closed"})
        assert response["Location"] == confirm_url(ready)

        page = client.get(confirm_url(ready))

        assert page.status_code == 200
        text = page.text
        assert "Kết thúc lớp" in text and 'name="xac_nhan"' in text
        assert 'data-band="excellent"' in text and "94,4%" in text
        assert "khóa điểm" in text
        assert 'name="ly_do"' not in text
        assert 'style="' not in text
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING
        assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()

    def test_confirming_closes_and_stores_the_results(self, client, staff, ready):
        client.force_login(staff)

        response = close_post(client, ready)

        assert response["Location"] == detail_url(ready) + "#ket-qua"
        assert flash(response) == [
            f"Lớp {ready.code} đã kết thúc: đã tính và lưu kết quả của 18 học viên, "
            "17 hoàn thành (94,4%). Điểm của lớp đã được khóa."
        ]
        ready.refresh_from_db()
        assert ready.status == CourseStatus.CLOSED
        change = CourseStatusChange.objects.get(course=ready)
        assert (change.new_status, change.user) == (CourseStatus.CLOSED, staff)
        active = Enrolment.objects.filter(course=ready, status=EnrolmentStatus.ACTIVE)
        assert active.filter(passed=True).count() == 17
        assert not active.filter(result_computed_at__isnull=True).exists()

    def test_missing_scores_are_refused_before_the_confirmation(self, client, staff, ready):
        builders.make_enrolment(
            ready, trainee=builders.make_trainee(ready.centre, full_name="Trần Văn Bình")
        )
        client.force_login(staff)

        response = client.get(confirm_url(ready))
        assert response["Location"] == detail_url(ready) + "#ket-qua"
        assert "Trần Văn Bình (thiếu: Bài thu hoạch)" in flash(response)[0]

        response = close_post(client, ready)
        assert "còn 1 học viên chưa có kết quả" in flash(response)[0]
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING
        assert not CourseStatusChange.objects.exists()

    def test_closing_a_class_not_in_grading_is_refused(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
        client.force_login(staff)
        response = client.get(confirm_url(course))
        assert "Không thể chuyển lớp từ «Đang học» sang «Đã kết thúc»." in flash(response)
        response = close_post(client, course)
        assert "Không thể chuyển lớp từ «Đang học» sang «Đã kết thúc»." in flash(response)

    def test_scores_cannot_change_after_closing(self, client, staff, ready):
        client.force_login(staff)
        close_post(client, ready)
        ready.refresh_from_db()
        assert grading_refusal(ready) is not None


# --- sessions without attendance -------------------------------------------------------------


@pytest.fixture
def untaken(ready, lecturer):
    """Two sessions of `ready` nobody took attendance of: a topic's afternoon, an exam morning."""
    topic = ready.topics.create(order=1, title="Xây dựng Đảng về đạo đức", periods=4)
    afternoon = builders.make_session(
        ready, part="afternoon", topic=topic, lecturer=lecturer.lecturer
    )
    exam = builders.make_session(
        ready, date=ready.start_date + datetime.timedelta(days=1), kind="exam", periods=2
    )
    return [afternoon, exam]


class TestUntakenSessions:
    def test_the_confirmation_names_the_sessions_and_asks_for_a_tick(
        self, client, staff, ready, untaken
    ):
        client.force_login(staff)
        page = client.get(confirm_url(ready))

        assert page.status_code == 200
        text = page.text
        assert "2 buổi học chưa điểm danh" in text and "mọi học viên có mặt" in text
        rows = text.split("data-untaken")[1].split("</table>")[0]
        for expected in ("02/03/2026", "Chiều", "Xây dựng Đảng về đạo đức", "Lê Thị Hồng"):
            assert expected in rows, expected
        assert "03/03/2026" in rows and "Kiểm tra" in rows
        assert "01/03/2026" not in rows and rows.count("data-session=") == 2
        for session in untaken:
            assert f'name="buoi_chua_diem_danh" value="{session.pk}"' in text
            assert reverse("lophoc:attendance_edit", args=[session.pk]) in rows
        assert 'type="checkbox" name="xac_nhan_co_mat"' in text
        assert "Tôi xác nhận ở các buổi này mọi học viên đều có mặt (2 buổi nêu trên)" in text

    def test_every_session_taken_asks_for_no_tick(self, client, staff, ready):
        client.force_login(staff)
        text = client.get(confirm_url(ready)).text
        assert "xac_nhan_co_mat" not in text and "chưa điểm danh" not in text

    def test_closing_without_the_tick_is_refused_and_changes_nothing(
        self, client, staff, ready, untaken
    ):
        client.force_login(staff)
        data = {"trang_thai": "closed", "xac_nhan": "1"}
        data["buoi_chua_diem_danh"] = [s.pk for s in untaken]

        response = client.post(transition_url(ready), data)

        assert response.status_code == 200
        text = response.text
        assert "is-invalid" in text and 'aria-invalid="true"' in text
        assert "Chưa kết thúc lớp: còn 2 buổi học chưa điểm danh: chiều 02/03/2026, " in text
        assert 'type="checkbox" name="xac_nhan_co_mat"' in text  # ask again, on the same page
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING
        assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()
        assert not CourseStatusChange.objects.exists()

    def test_a_tick_without_the_sessions_named_is_refused(self, client, staff, ready, untaken):
        client.force_login(staff)
        data = {"trang_thai": "closed", "xac_nhan": "1", "xac_nhan_co_mat": "1"}
        data["buoi_chua_diem_danh"] = [str(untaken[0].pk), "junk", "-3"]

        response = client.post(transition_url(ready), data)

        assert response.status_code == 200
        assert "còn 1 buổi học chưa điểm danh: sáng 03/03/2026." in response.text
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING

    def test_the_tick_closes_and_the_history_names_the_sessions(
        self, client, staff, ready, untaken
    ):
        client.force_login(staff)
        data = {"trang_thai": "closed", "xac_nhan": "1", "xac_nhan_co_mat": "1"}
        data["buoi_chua_diem_danh"] = [s.pk for s in untaken]

        response = client.post(transition_url(ready), data)

        assert response["Location"] == detail_url(ready) + "#ket-qua"
        ready.refresh_from_db()
        assert ready.status == CourseStatus.CLOSED
        change = CourseStatusChange.objects.get(course=ready)
        assert change.reason == (
            "Xác nhận mọi học viên có mặt ở 2 buổi chưa điểm danh: chiều 02/03/2026, "
            "sáng 03/03/2026."
        )
        assert "Xác nhận mọi học viên có mặt ở 2 buổi" in client.get(detail_url(ready)).text


# --- reopening -------------------------------------------------------------------------------


class TestReopening:
    def test_reopening_goes_through_the_confirmation_and_keeps_the_reason(
        self, client, staff, ready
    ):
        course_close(course=ready, user=staff)
        client.force_login(staff)
        page = client.get(confirm_url(ready, "grading"))
        assert page.status_code == 200 and 'name="ly_do"' in page.text

        response = client.post(
            transition_url(ready),
            {"trang_thai": "grading", "xac_nhan": "1", "ly_do": "Điểm một học viên nhập nhầm"},
        )

        assert response["Location"] == detail_url(ready)
        ready.refresh_from_db()
        assert ready.status == CourseStatus.GRADING
        change = CourseStatusChange.objects.filter(course=ready).first()
        assert (change.reason, change.user) == ("Điểm một học viên nhập nhầm", staff)
        # The results stay stored until the class is closed again.
        assert Enrolment.objects.filter(course=ready, passed=True).count() == 17


# --- the Kết quả section of the class page ---------------------------------------------------


class TestSection:
    def test_a_closed_class_shows_its_distribution(self, client, staff, ready):
        # Staff read the section; officials read the class as figures (test_course_detail).
        course_close(course=ready, user=staff)
        client.force_login(staff)

        text = client.get(detail_url(ready)).text

        assert 'data-band="excellent"' in text and 'data-outcome="passed"' in text
        assert "Tỷ lệ hoàn thành: <strong>94,4%</strong> (17/18 học viên; không tính 1" in text
        assert "w-pct-17" in text  # 3 of 18 Xuất sắc
        assert "css/results.css" in text
        assert 'style="' not in text
        assert reverse("lophoc:course_assessments", args=[ready.pk]) not in text

    def test_a_class_in_grading_shows_what_is_missing(self, client, staff, ready):
        builders.make_enrolment(
            ready, trainee=builders.make_trainee(ready.centre, full_name="Trần Văn Bình")
        )
        client.force_login(staff)

        text = client.get(detail_url(ready)).text

        assert 'data-missing="1"' in text and "Trần Văn Bình" in text
        assert "dự kiến" in text
        assert reverse("lophoc:course_assessments", args=[ready.pk]) in text

    def test_a_complete_class_in_grading_offers_closing(self, client, staff, ready):
        client.force_login(staff)
        text = client.get(detail_url(ready)).text
        assert "data-ready" in text and confirm_url(ready) in text

    def test_before_grading_it_says_when_results_come(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
        client.force_login(staff)
        text = client.get(detail_url(course)).text
        assert "được tính và lưu khi kết thúc lớp" in text

    def test_an_attendance_only_class_says_how_it_passes(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.GRADING, is_assessed=False)
        builders.make_enrolment(course)
        client.force_login(staff)
        text = client.get(detail_url(course)).text
        assert "Lớp chỉ xét chuyên cần: học viên vắng không quá 20,0% số tiết" in text
        assert 'data-band="excellent"' not in text
        assert reverse("lophoc:course_assessments", args=[course.pk]) not in text

    def test_the_history_of_changed_results_is_shown(self, client, staff, ready):
        course_close(course=ready, user=staff)
        course_reopen(course=ready, user=staff, reason="Sửa điểm")
        lowest = Score.objects.filter(enrolment__course=ready, score=D("4")).get()
        lowest.retake_score = D("6.5")
        lowest.save()
        course_close(course=ready, user=staff)
        client.force_login(staff)

        text = client.get(detail_url(ready)).text

        assert "data-result-history" in text
        assert "4 · Không đạt · Không hoàn thành" in text
        assert "6,5 · Trung bình · Hoàn thành" in text
        assert lowest.enrolment.trainee.full_name in text


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("status", ["grading", "closed"])
def test_the_class_page_query_count_does_not_grow(client, staff, centre, status):
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    exam = builders.make_assessment(course)
    day = [course.start_date]

    def grow(n):
        for _ in range(n):
            enrolment = builders.make_enrolment(course, unit=builders.make_unit(centre))
            builders.make_score(enrolment, exam, "7")
            builders.make_session(course, date=day[0])
            day[0] += datetime.timedelta(days=1)
        if status == "closed":
            if course.status == CourseStatus.CLOSED:
                course_reopen(course=course, user=staff, reason="Sửa")
            Score.objects.filter(enrolment__course=course).update(score=D(builders._n() % 10))
            untaken = [s.pk for s in closing_check(course).untaken]
            course_close(course=course, user=staff, all_present=untaken)

    client.force_login(staff)
    grow(2)
    small = _page_queries(client, detail_url(course))
    grow(4)
    assert _page_queries(client, detail_url(course)) == small

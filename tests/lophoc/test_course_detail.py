"""The class page (the hub of one class) and its status buttons, per role."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.models import (
    Classification,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
    Topic,
)
from tests import builders
from tests.lophoc.certificate_helpers import make_certificate


def detail_url(course):
    return reverse("lophoc:course_detail", args=[course.pk])


def transition_url(course):
    return reverse("lophoc:course_transition", args=[course.pk])


def confirm_url(course, target):
    return reverse("lophoc:course_transition_confirm", args=[course.pk, target])


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- who may open it -------------------------------------------------------------------------


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_goes_to_login(self, client, course):
        response = client.get(detail_url(course))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_other_centre_does_not_see_it(self, client, other_staff, course):
        client.force_login(other_staff)
        assert client.get(detail_url(course)).status_code == 404

    def test_staff_gets_every_button(self, client, staff, course):
        builders.make_enrolment(course)
        client.force_login(staff)
        response = client.get(detail_url(course))
        assert response.status_code == 200
        text = response.text
        assert reverse("lophoc:course_edit", args=[course.pk]) in text
        assert reverse("lophoc:enrolment_add", args=[course.pk]) in text
        assert "Thôi học</a>" in text
        assert "Bắt đầu chiêu sinh" in text and "Hủy lớp" in text

    @pytest.mark.parametrize("role", ["official", "province_official"])
    def test_officials_read_figures_never_people(self, client, course, role, request):
        # DESIGN §7, §8b: officials read figures, never a list of people.
        unit = builders.make_unit(course.centre, name="Đảng ủy xã Tân Định")
        people = [
            builders.make_trainee(course.centre, full_name=name, position="Bí thư chi bộ")
            for name in ("Nguyễn Thị Hoa Riêng", "Trần Văn Kín")
        ]
        first = builders.make_enrolment(
            course, trainee=people[0], unit=unit, scheduled_periods=40, absent_periods=4
        )
        builders.make_enrolment(
            course, trainee=people[1], unit=unit, scheduled_periods=40, absent_periods=0
        )
        Enrolment.objects.filter(pk=first.pk).update(
            passed=True, classification=Classification.GOOD, final_score=Decimal("8.1")
        )
        client.force_login(request.getfixturevalue(role))
        response = client.get(detail_url(course))
        assert response.status_code == 200
        text = response.text
        for private in ("Nguyễn Thị Hoa Riêng", "Trần Văn Kín", "Tân Định", "Bí thư chi bộ", "8,1"):
            assert private not in text, private
        for hidden in ("lophoc:grade_grid", "lophoc:grade_history", "lophoc:course_edit"):
            assert reverse(hidden, args=[course.pk]) not in text
        assert transition_url(course) not in text
        assert 'data-figure="total">2<' in text
        assert "95,0%" in text  # 76 of 80 periods attended
        assert "100,0%" in text and "(1/1 người đã có kết quả)" in text
        assert "Giỏi" in text

    def test_lecturer_of_another_class_gets_404(self, client, lecturer, course):
        client.force_login(lecturer)
        assert client.get(detail_url(course)).status_code == 404

    def test_lecturer_reads_a_class_they_teach(self, client, lecturer, course):
        builders.make_session(course, lecturer=lecturer.lecturer)
        builders.make_enrolment(course)
        client.force_login(lecturer)
        response = client.get(detail_url(course))
        assert response.status_code == 200
        assert reverse("lophoc:course_edit", args=[course.pk]) not in response.text
        assert transition_url(course) not in response.text
        assert "Thôi học</a>" not in response.text


# --- what it shows ---------------------------------------------------------------------------


@pytest.mark.django_db
class TestContent:
    @pytest.fixture
    def logged_in(self, client, staff):
        client.force_login(staff)
        return client

    def test_title_breadcrumb_and_information(self, logged_in, course):
        course.venue = "Hội trường Trung tâm"
        course.partner_name = "Trường Chính trị tỉnh"
        course.save()
        response = logged_in.get(detail_url(course))
        text = response.text
        assert f"<title>{course.code} – {course.name}" in text
        assert 'aria-label="Đường dẫn"' in text and reverse("lophoc:course_list") in text
        assert "Hội trường Trung tâm" in text and "Trường Chính trị tỉnh" in text
        assert "02/03/2026 – 06/03/2026" in text
        assert "20,0% số tiết" in text
        for section in ("thong-tin", "hoc-vien", "thoi-khoa-bieu", "diem-danh", "diem"):
            assert f'id="{section}"' in text
        for section in ("ket-qua", "tai-lieu", "lich-su"):
            assert f'id="{section}"' in text

    def test_trainees_in_vietnamese_order_without_sensitive_data(self, logged_in, course):
        for name in ("Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Ánh"):
            trainee = builders.make_trainee(
                course.centre, full_name=name, ethnicity="Tày", is_party_member=True
            )
            builders.make_enrolment(course, trainee=trainee)
        response = logged_in.get(detail_url(course))
        names = [row.enrolment.trainee.full_name for row in response.context["rows"]]
        assert names == ["Nguyễn Thị An", "Lê Văn Ánh", "Trần Văn Bình"]
        assert "Tày" not in response.text
        assert "Đảng viên" not in response.text

    def test_absence_over_the_limit_is_flagged(self, logged_in, course):
        over = builders.make_enrolment(course, scheduled_periods=20, absent_periods=5)
        at_limit = builders.make_enrolment(course, scheduled_periods=20, absent_periods=4)
        response = logged_in.get(detail_url(course))
        flags = {row.enrolment.pk: row.over_limit for row in response.context["rows"]}
        assert flags == {over.pk: True, at_limit.pk: False}
        assert response.text.count('data-flag="over-limit"') == 1
        assert "1 học viên vắng quá" in response.text
        assert "5/20" in response.text

    def test_the_class_limit_decides(self, logged_in, course):
        course.absence_limit_percent = Decimal("30")
        course.save()
        builders.make_enrolment(course, scheduled_periods=20, absent_periods=5)
        response = logged_in.get(detail_url(course))
        assert not response.context["rows"][0].over_limit

    def test_withdrawn_trainees_stay_listed_with_their_reason(self, logged_in, course):
        builders.make_enrolment(
            course, status=EnrolmentStatus.WITHDRAWN, status_reason="Chuyển công tác"
        )
        response = logged_in.get(detail_url(course))
        assert "Chuyển công tác" in response.text
        assert response.context["active_count"] == 0

    def test_results_columns_only_once_there_are_results(self, logged_in, course):
        enrolment = builders.make_enrolment(course)
        assert "Điểm tổng kết</th>" not in logged_in.get(detail_url(course)).text
        enrolment.final_score = Decimal("8.5")
        enrolment.classification = Classification.GOOD
        enrolment.save()
        response = logged_in.get(detail_url(course))
        assert "Điểm tổng kết</th>" in response.text
        assert "8,5" in response.text and "Giỏi" in response.text

    def test_sessions_topics_assessments_and_history(self, logged_in, course, staff):
        topic = Topic.objects.create(course=course, order=1, title="Chuyên đề Đảng", periods=4)
        session = builders.make_session(course, topic=topic)
        builders.make_assessment(course, name="Bài thu hoạch cuối khóa")
        course.transition_to(CourseStatus.ENROLLING, user=staff)
        response = logged_in.get(detail_url(course))
        assert response.context["sessions"] == [session]
        assert "Chuyên đề Đảng" in response.text
        assert "Bài thu hoạch cuối khóa" in response.text
        assert "Kế hoạch → Đang chiêu sinh" in response.text

    def test_empty_class_says_what_to_do(self, logged_in, course):
        text = logged_in.get(detail_url(course)).text
        assert "Lớp chưa có học viên nào" in text
        assert "Chưa có lần chuyển trạng thái nào được ghi lại" in text
        assert reverse("lophoc:course_topics", args=[course.pk]) in text

    def test_closed_class_has_no_edit_or_enrol(self, logged_in, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        builders.make_enrolment(course)
        text = logged_in.get(detail_url(course)).text
        assert reverse("lophoc:course_edit", args=[course.pk]) not in text
        assert reverse("lophoc:enrolment_add", args=[course.pk]) not in text
        assert "Thôi học</a>" not in text
        assert "Mở lại chấm điểm" in text


@pytest.mark.django_db
class TestOutcomes:
    """Once closed, the roster and its header say what each trainee's result is (item 8)."""

    @pytest.fixture
    def closed(self, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        rows = [
            ("Nguyễn Thị An", {"final_score": Decimal("8.5"), "passed": True}),
            ("Trần Văn Bình", {"final_score": Decimal("4.9"), "passed": False}),
            (
                "Lê Văn Cường",
                {
                    "status": EnrolmentStatus.ABSENT_FINAL,
                    "status_reason": "Vắng kiểm tra cuối khóa (ốm)",
                    "passed": False,
                },
            ),
            (
                "Phạm Thị Dung",
                {
                    "is_eligible": False,
                    "passed": False,
                    "absent_periods": 12,
                    "scheduled_periods": 40,
                },
            ),
            (
                "Võ Văn Em",
                {"status": EnrolmentStatus.WITHDRAWN, "status_reason": "Chuyển công tác"},
            ),
        ]
        for name, values in rows:
            trainee = builders.make_trainee(centre, full_name=name)
            builders.make_enrolment(course, trainee=trainee, **values)
        return course

    def test_the_roster_says_each_outcome_with_its_reason(self, client, staff, closed):
        client.force_login(staff)
        response = client.get(detail_url(closed))
        text = response.text
        outcomes = {
            row.enrolment.trainee.full_name: row.outcome.text for row in response.context["rows"]
        }
        assert outcomes == {
            "Nguyễn Thị An": "Hoàn thành",
            "Trần Văn Bình": "Không hoàn thành: điểm tổng kết dưới 5,0",
            "Lê Văn Cường": "Không hoàn thành: vắng kiểm tra cuối khóa (ốm)",
            "Phạm Thị Dung": "Không hoàn thành: không đủ điều kiện chuyên cần, vắng 12/40 tiết",
            "Võ Văn Em": "Thôi học (Chuyển công tác)",
        }
        roster = text.split('id="hoc-vien"')[1].split("</section>")[0]
        # The label on its line, the reason under it.
        cells = [
            ("Hoàn thành", ""),
            ("Không hoàn thành", "điểm tổng kết dưới 5,0"),
            ("Không hoàn thành", "vắng kiểm tra cuối khóa (ốm)"),
            ("Không hoàn thành", "không đủ điều kiện chuyên cần, vắng 12/40 tiết"),
            ("Thôi học", "(Chuyển công tác)"),
        ]
        for label, detail in cells:
            cell = f'data-outcome="{label}"><span class="text-nowrap">{label}</span>'
            if detail:
                cell += f'<div class="small text-muted">{detail}</div>'
            assert cell + "</td>" in roster, (label, detail)
        assert roster.count('data-outcome="Không hoàn thành"') == 3
        assert '<th scope="col">Kết quả</th>' in roster
        assert "(1 hoàn thành, 3 không hoàn thành, 1 thôi học)" in roster
        assert "Đang học" not in roster and "đang học" not in roster
        assert "Vắng kiểm tra cuối khóa (ốm)</div>" not in roster  # the reason is said once
        info = text.split('data-figure="enrolled">')[1].split("</dd>")[0]
        assert info == "5 học viên: 1 hoàn thành, 3 không hoàn thành, 1 thôi học"

    def test_a_class_not_closed_still_says_dang_hoc(self, client, staff, closed):
        # Reopened for grading: the stored results may change, the roster says who is studying.
        closed.status = CourseStatus.GRADING
        closed.save()
        client.force_login(staff)
        response = client.get(detail_url(closed))
        roster = response.text.split('id="hoc-vien"')[1].split("</section>")[0]
        assert all(row.outcome is None for row in response.context["rows"])
        assert "(3 đang học / tối đa 60)" in roster and "<td>Đang học" in roster
        assert "Hoàn thành" not in roster


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "lecturer", "official"])
def test_query_count_does_not_grow_with_trainees_and_sessions(client, course, role, request):
    user = request.getfixturevalue(role)
    lecturer = builders.make_lecturer(course.centre)
    if role == "lecturer":
        lecturer = user.lecturer
    day = [course.start_date]

    def grow(n):
        for _ in range(n):
            unit = builders.make_unit(course.centre)
            builders.make_enrolment(course, unit=unit, final_score=Decimal("7"))
            topic = Topic.objects.create(course=course, title=f"Chuyên đề {builders._n()}")
            builders.make_session(course, date=day[0], topic=topic, lecturer=lecturer)
            builders.make_assessment(course, grader=lecturer)
            day[0] += datetime.timedelta(days=1)
        course.transition_to(
            CourseStatus.ENROLLING if course.status == "planned" else CourseStatus.CANCELLED
        )

    client.force_login(user)
    grow(2)
    client.get(detail_url(course))
    small = page_queries(client, detail_url(course))
    grow(4)
    assert page_queries(client, detail_url(course)) == small


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseStatus.GRADING, CourseStatus.CLOSED])
def test_a_class_in_grading_or_closed_reads_at_most_15_queries(client, staff, centre, status):
    """The sections (grades, results, certificates) compute from the rows the page has read
    (DESIGN: every page ≤ 15 queries; transaction control not counted)."""
    course = builders.make_course(centre, status=status)
    assessments = [builders.make_assessment(course) for _ in range(3)]
    for _ in range(5):
        enrolment = builders.make_enrolment(course, final_score=Decimal("8"), passed=True)
        for assessment in assessments:
            builders.make_score(enrolment, assessment)
    builders.make_session(course)
    client.force_login(staff)
    client.get(detail_url(course))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(course))
    assert response.status_code == 200
    counted = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
    ]
    assert len(counted) <= 15, "\n".join(counted)


# --- status changes --------------------------------------------------------------------------


@pytest.mark.django_db
class TestTransitions:
    def test_get_is_refused(self, client, staff, course):
        client.force_login(staff)
        assert client.get(transition_url(course)).status_code == 405

    def test_anonymous_goes_to_login(self, client, course):
        response = client.post(transition_url(course), {"trang_thai": "enrolling"})
        assert response.status_code == 302 and reverse("login") in response["Location"]
        course.refresh_from_db()
        assert course.status == CourseStatus.PLANNED

    @pytest.mark.parametrize("role,code", [("official", 403), ("other_staff", 404)])
    def test_others_may_not(self, client, course, role, code, request):
        client.force_login(request.getfixturevalue(role))
        response = client.post(transition_url(course), {"trang_thai": "enrolling"})
        assert response.status_code == code
        assert client.get(confirm_url(course, "cancelled")).status_code == code
        course.refresh_from_db()
        assert course.status == CourseStatus.PLANNED

    def test_the_lecturer_of_the_class_may_not(self, client, lecturer, course):
        builders.make_session(course, lecturer=lecturer.lecturer)
        client.force_login(lecturer)
        response = client.post(transition_url(course), {"trang_thai": "enrolling"})
        assert response.status_code == 403

    def test_staff_moves_the_class_on(self, client, staff, course):
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "enrolling"})
        assert response.status_code == 302 and response["Location"] == detail_url(course)
        assert flash(response) == [
            f"Lớp {course.code} đã chuyển từ «Kế hoạch» sang «Đang chiêu sinh»."
        ]
        course.refresh_from_db()
        assert course.status == CourseStatus.ENROLLING
        change = CourseStatusChange.objects.get(course=course)
        assert (change.user, change.new_status) == (staff, CourseStatus.ENROLLING)

    def test_a_refusal_is_shown_and_changes_nothing(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.ENROLLING)
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "in_progress"})
        assert flash(response) == [
            "Không thể bắt đầu lớp chưa có buổi học nào trong thời khóa biểu."
        ]
        course.refresh_from_db()
        assert course.status == CourseStatus.ENROLLING
        assert not CourseStatusChange.objects.exists()

    def test_closing_needs_results(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.GRADING)
        builders.make_enrolment(course)
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "closed"})
        assert "còn 1 học viên chưa có kết quả" in flash(response)[0]
        course.refresh_from_db()
        assert course.status == CourseStatus.GRADING

    def test_a_jump_is_refused(self, client, staff, course):
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "closed"})
        assert flash(response) == ["Không thể chuyển lớp từ «Kế hoạch» sang «Đã kết thúc»."]

    def test_an_unknown_status_is_refused(self, client, staff, course):
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "bogus"})
        assert response.status_code == 302
        assert "Hãy chọn một trạng thái mới" in flash(response)[0]

    def test_cancelling_asks_for_confirmation_first(self, client, staff, course):
        client.force_login(staff)
        response = client.post(transition_url(course), {"trang_thai": "cancelled"})
        assert response["Location"] == confirm_url(course, "cancelled")
        course.refresh_from_db()
        assert course.status == CourseStatus.PLANNED
        page = client.get(confirm_url(course, "cancelled"))
        assert page.status_code == 200
        assert "Hủy lớp" in page.text and 'name="xac_nhan"' in page.text
        response = client.post(
            transition_url(course),
            {"trang_thai": "cancelled", "xac_nhan": "1", "ly_do": "Không đủ học viên"},
        )
        course.refresh_from_db()
        assert course.status == CourseStatus.CANCELLED
        assert CourseStatusChange.objects.get().reason == "Không đủ học viên"
        assert "sang «Đã hủy»" in flash(response)[0]

    def test_a_started_class_cannot_be_cancelled(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
        client.force_login(staff)
        response = client.get(confirm_url(course, "cancelled"))
        assert response.status_code == 302
        assert "Không thể hủy lớp đang ở trạng thái «Đang học»" in flash(response)[0]
        response = client.post(transition_url(course), {"trang_thai": "cancelled", "xac_nhan": "1"})
        assert "Không thể hủy lớp" in flash(response)[0]
        course.refresh_from_db()
        assert course.status == CourseStatus.IN_PROGRESS

    def test_an_unknown_status_in_the_confirmation_url_is_404(self, client, staff, course):
        client.force_login(staff)
        assert client.get(confirm_url(course, "bogus")).status_code == 404

    def test_reopening_needs_a_reason(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        client.force_login(staff)
        assert client.get(confirm_url(course, "grading")).status_code == 200
        response = client.post(
            transition_url(course), {"trang_thai": "grading", "xac_nhan": "1", "ly_do": " "}
        )
        assert response.status_code == 200  # back to the confirmation step
        assert "Mở lại việc chấm điểm cần ghi rõ lý do." in response.text
        course.refresh_from_db()
        assert course.status == CourseStatus.CLOSED
        response = client.post(
            transition_url(course),
            {"trang_thai": "grading", "xac_nhan": "1", "ly_do": "Sửa điểm nhập nhầm"},
        )
        course.refresh_from_db()
        assert course.status == CourseStatus.GRADING
        assert CourseStatusChange.objects.get().reason == "Sửa điểm nhập nhầm"

    def test_reopening_without_confirmation_goes_to_the_confirmation(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        client.force_login(staff)
        response = client.post(
            transition_url(course), {"trang_thai": "grading", "ly_do": "Sửa điểm"}
        )
        assert response["Location"] == confirm_url(course, "grading")
        course.refresh_from_db()
        assert course.status == CourseStatus.CLOSED

    def test_reopening_with_a_valid_certificate_is_refused(self, client, staff, centre):
        course = builders.make_course(centre, status=CourseStatus.CLOSED)
        make_certificate(builders.make_enrolment(course), 1)
        client.force_login(staff)
        response = client.get(confirm_url(course, "grading"))
        assert response.status_code == 302
        assert "thu hồi trước" in flash(response)[0]

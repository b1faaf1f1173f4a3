"""Timetable screens: add/edit/delete a session, the bulk timetable, a lecturer's timetable."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.models import Attendance, CourseStatus, Session, Topic
from tests import builders
from trungtam.models import Holiday

MON = datetime.date(2026, 3, 2)


def _course_url(course):
    return reverse("lophoc:course_detail", args=[course.pk]) + "#thoi-khoa-bieu"


def _session_data(**overrides):
    data = {
        "date": "03/03/2026",
        "part": "morning",
        "start_time": "",
        "end_time": "",
        "topic": "",
        "kind": "lecture",
        "lecturer": "",
        "room": "",
        "periods": "4",
    }
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def teaching_lecturer(lecturer, course):
    """The `lecturer` user teaches one session of `course` (so the class is visible to them)."""
    builders.make_session(course, date=MON, part="evening", lecturer=lecturer.lecturer)
    return lecturer


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, course):
    for url in (
        reverse("lophoc:session_create", args=[course.pk]),
        reverse("lophoc:timetable_bulk", args=[course.pk]),
        reverse("lophoc:my_timetable"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("admin_user", 200),
        ("superuser", 200),
        ("other_staff", 404),
        ("official", 403),
        ("province_official", 403),
        ("teaching_lecturer", 403),
    ],
)
def test_session_pages_need_the_right_to_manage(client, request, course, who, status):
    session = builders.make_session(course, part="afternoon")
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("lophoc:session_create", args=[course.pk]),
        reverse("lophoc:session_edit", args=[session.pk]),
        reverse("lophoc:session_delete", args=[session.pk]),
        reverse("lophoc:timetable_bulk", args=[course.pk]),
    ):
        assert client.get(url).status_code == status, url
    if status != 200:
        assert (
            client.post(reverse("lophoc:session_delete", args=[session.pk])).status_code == status
        )
        assert Session.objects.filter(pk=session.pk).exists()


@pytest.mark.django_db
def test_a_lecturer_not_teaching_the_class_gets_404(client, lecturer, course):
    client.force_login(lecturer)
    assert client.get(reverse("lophoc:session_create", args=[course.pk])).status_code == 404


# --- adding and changing a session ------------------------------------------------------------


@pytest.mark.django_db
def test_staff_adds_a_session(client, staff, course, centre):
    topic = Topic.objects.create(course=course, title="Đảng Cộng sản Việt Nam", periods=4)
    teacher = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    enrolment = builders.make_enrolment(course)
    client.force_login(staff)
    page = client.get(reverse("lophoc:session_create", args=[course.pk]))
    assert "Thêm buổi học" in page.text and course.code in page.text
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]),
        _session_data(
            date="05/03/2026", topic=topic.pk, lecturer=teacher.pk, room="Hội trường", periods="5"
        ),
    )
    assert response.status_code == 302 and response["Location"] == _course_url(course)
    session = course.sessions.get()
    assert (session.date, session.part, session.topic, session.lecturer, session.periods) == (
        datetime.date(2026, 3, 5),
        "morning",
        topic,
        teacher,
        5,
    )
    assert session.history.get().history_user == staff
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 5


@pytest.mark.django_db
def test_save_and_add_another_stays_on_the_form(client, staff, course):
    client.force_login(staff)
    url = reverse("lophoc:session_create", args=[course.pk])
    response = client.post(url, {**_session_data(), "them_tiep": "1"})
    assert response.status_code == 302 and response["Location"] == url
    assert course.sessions.count() == 1


@pytest.mark.django_db
def test_part_comes_from_the_start_time_when_left_empty(client, staff, course):
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]),
        _session_data(part="", start_time="13:30", end_time="16:00"),
    )
    assert response.status_code == 302
    session = course.sessions.get()
    assert session.part == "afternoon"
    assert (session.start_time, session.end_time) == (datetime.time(13, 30), datetime.time(16))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"date": "31/02/2026"}, "date", "ngày/tháng/năm"),
        ({"date": "09/03/2026"}, "date", "nằm ngoài thời gian học của lớp"),
        ({"part": "", "start_time": "", "end_time": ""}, "part", "Hãy chọn buổi"),
        ({"start_time": "08:00"}, "end_time", "cả giờ bắt đầu và giờ kết thúc"),
        ({"start_time": "10:00", "end_time": "09:00"}, "end_time", "sau giờ bắt đầu"),
        ({"part": "evening", "start_time": "08:00", "end_time": "10:00"}, "part", "buổi sáng"),
        ({"periods": "13"}, "periods", "từ 1 đến 12"),
        ({"periods": "0"}, "periods", "từ 1 đến 12"),
    ],
)
def test_bad_input_is_refused_next_to_the_field(client, staff, course, overrides, field, text):
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]), _session_data(**overrides)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert text in " ".join(form.errors[field]), form.errors
    assert form["room"].value() == ""  # the form keeps what was typed
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_a_holiday_is_refused_with_its_name(client, staff, course, centre):
    Holiday.objects.create(centre=centre, date=datetime.date(2026, 3, 3), name="Giỗ Tổ Hùng Vương")
    client.force_login(staff)
    response = client.post(reverse("lophoc:session_create", args=[course.pk]), _session_data())
    assert "Giỗ Tổ Hùng Vương" in " ".join(response.context["form"].errors["date"])
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_topics_of_other_classes_and_other_centres_lecturers_are_not_offered(
    client, staff, course, centre, other_centre
):
    stranger_topic = Topic.objects.create(course=builders.make_course(centre), title="Khác")
    stranger = builders.make_lecturer(other_centre)
    retired = builders.make_lecturer(centre, active=False)
    client.force_login(staff)
    url = reverse("lophoc:session_create", args=[course.pk])
    form = client.get(url).context["form"]
    assert stranger not in form.fields["lecturer"].queryset
    assert retired not in form.fields["lecturer"].queryset
    response = client.post(url, _session_data(topic=stranger_topic.pk, lecturer=stranger.pk))
    assert set(response.context["form"].errors) == {"topic", "lecturer"}
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_a_lecturer_booked_elsewhere_is_refused_naming_the_class(client, staff, course, centre):
    teacher = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    other = builders.make_course(centre)
    builders.make_session(other, date=datetime.date(2026, 3, 3), lecturer=teacher)
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]), _session_data(lecturer=teacher.pk)
    )
    errors = " ".join(response.context["form"].errors["lecturer"])
    assert f"đã có lịch dạy lớp {other.code} vào 03/03/2026, buổi sáng" in errors
    assert not course.sessions.exists()
    # a later time the same morning that does not overlap is allowed once the other has times
    taken = other.sessions.get()
    taken.start_time, taken.end_time = datetime.time(7, 30), datetime.time(9, 0)
    taken.save()
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]),
        _session_data(lecturer=teacher.pk, start_time="09:15", end_time="11:15"),
    )
    assert response.status_code == 302
    assert course.sessions.count() == 1


@pytest.mark.django_db
def test_a_room_booked_elsewhere_is_refused_naming_the_class(client, staff, course, centre):
    other = builders.make_course(centre)
    builders.make_session(other, date=datetime.date(2026, 3, 3), room="Hội trường A")
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:session_create", args=[course.pk]), _session_data(room="hoi truong a")
    )
    errors = " ".join(response.context["form"].errors["room"])
    assert f"Phòng «Hội trường A» đã được xếp cho lớp {other.code}" in errors
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_editing_a_session_does_not_clash_with_itself(client, staff, course, centre):
    teacher = builders.make_lecturer(centre)
    session = builders.make_session(course, lecturer=teacher, room="P1")
    enrolment = builders.make_enrolment(course)
    client.force_login(staff)
    url = reverse("lophoc:session_edit", args=[session.pk])
    page = client.get(url)
    assert page.context["form"]["date"].value() == MON
    assert "02/03/2026" in page.text
    response = client.post(
        url,
        _session_data(date="02/03/2026", lecturer=teacher.pk, room="P1", periods="6"),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.periods == 6
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 6


@pytest.mark.django_db
def test_an_inactive_lecturer_already_chosen_stays_offered_on_edit(client, staff, course, centre):
    teacher = builders.make_lecturer(centre)
    session = builders.make_session(course, lecturer=teacher)
    teacher.active = False
    teacher.save()
    client.force_login(staff)
    form = client.get(reverse("lophoc:session_edit", args=[session.pk])).context["form"]
    assert teacher in form.fields["lecturer"].queryset


@pytest.mark.django_db
def test_delete_asks_first_then_removes_session_and_attendance(client, staff, course):
    session = builders.make_session(course)
    enrolment = builders.make_enrolment(course)
    Attendance.objects.create(session=session, enrolment=enrolment, status="unexcused")
    client.force_login(staff)
    url = reverse("lophoc:session_delete", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "đã có điểm danh của 1 học viên" in page.text
    assert Session.objects.filter(pk=session.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == _course_url(course)
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Attendance.objects.exists()
    enrolment.refresh_from_db()
    assert (enrolment.scheduled_periods, enrolment.absent_periods) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
def test_closed_and_cancelled_timetables_are_read_only(client, staff, course, status):
    session = builders.make_session(course)
    course.status = status
    course.save()
    client.force_login(staff)
    for url in (
        reverse("lophoc:session_create", args=[course.pk]),
        reverse("lophoc:session_edit", args=[session.pk]),
        reverse("lophoc:session_delete", args=[session.pk]),
        reverse("lophoc:timetable_bulk", args=[course.pk]),
    ):
        response = client.post(url, _session_data())
        assert response.status_code == 302 and response["Location"] == _course_url(course)
    assert list(course.sessions.all()) == [session]
    session.refresh_from_db()
    assert session.date == MON


# --- bulk timetable ---------------------------------------------------------------------------


@pytest.fixture
def long_course(centre):
    course = builders.make_course(centre, end_date=datetime.date(2026, 3, 10))
    for i, periods in enumerate([8, 8, 4, 4], start=1):
        Topic.objects.create(course=course, order=i, title=f"Chuyên đề {i}", periods=periods)
    return course


def _bulk_data(course, **overrides):
    data = {
        "start": course.start_date.strftime("%d/%m/%Y"),
        "end": course.end_date.strftime("%d/%m/%Y"),
        "parts": ["morning", "afternoon"],
        "lecturer": "",
        "room": "",
        "periods_per_session": "4",
        "kind": "lecture",
        "xem_truoc": "1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_bulk_form_starts_from_the_class_dates(client, staff, long_course):
    client.force_login(staff)
    page = client.get(reverse("lophoc:timetable_bulk", args=[long_course.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["start"].value() == long_course.start_date
    assert form["parts"].value() == ["morning", "afternoon"]
    assert "Chuyên đề 1" in page.text


@pytest.mark.django_db
def test_bulk_preview_then_confirm(client, staff, long_course, centre):
    Holiday.objects.create(centre=centre, date=datetime.date(2026, 3, 3), name="Nghỉ bù")
    teacher = builders.make_lecturer(centre)
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[long_course.pk])
    preview = client.post(url, _bulk_data(long_course, lecturer=teacher.pk, room="Phòng 1"))
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert [(s.date.day, s.part) for s in plan.sessions] == [
        (2, "morning"),
        (2, "afternoon"),
        (4, "morning"),
        (4, "afternoon"),
        (5, "morning"),
        (5, "afternoon"),
    ]
    assert "Nghỉ bù" in preview.text and "Sẽ tạo" in preview.text
    assert not long_course.sessions.exists()  # a preview writes nothing
    token = preview.context["confirm_form"]["plan"].value()
    response = client.post(url, {"ke_hoach": token, "xac_nhan": "1"})
    assert response.status_code == 302 and response["Location"] == _course_url(long_course)
    sessions = list(long_course.sessions.all())
    assert len(sessions) == 6
    assert {(s.lecturer, s.room) for s in sessions} == {(teacher, "Phòng 1")}
    assert sum(s.periods for s in sessions) == 24
    assert all(s.history.get().history_user == staff for s in sessions)


@pytest.mark.django_db
def test_bulk_preview_lists_sundays_and_leftover_periods(client, staff, long_course):
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:timetable_bulk", args=[long_course.pk]),
        _bulk_data(long_course, start="06/03/2026", parts=["morning"]),
    )
    plan = response.context["plan"]
    assert [s.date.day for s in plan.sessions] == [6, 7, 9, 10]
    assert [(s.date.day, s.reason) for s in plan.skipped] == [(8, "Chủ nhật")]
    assert plan.leftover_periods == 8
    assert "Còn <strong>8 tiết</strong> chưa xếp được" in response.text
    assert "Chuyên đề 3 (4 tiết)" in response.text


@pytest.mark.django_db
def test_bulk_confirm_creates_nothing_when_a_slot_was_taken_meanwhile(
    client, staff, long_course, centre
):
    teacher = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[long_course.pk])
    preview = client.post(url, _bulk_data(long_course, lecturer=teacher.pk))
    token = preview.context["confirm_form"]["plan"].value()
    other = builders.make_course(centre)
    builders.make_session(other, date=datetime.date(2026, 3, 3), part="afternoon", lecturer=teacher)
    response = client.post(url, {"ke_hoach": token, "xac_nhan": "1"})
    assert response.status_code == 200
    assert not long_course.sessions.exists()
    text = " ".join(_messages(response))
    assert "chưa buổi học nào được tạo" in text
    assert f"lớp {other.code}" in text and "03/03/2026" in text
    # a fresh preview that goes around the taken slot is offered at once
    plan = response.context["plan"]
    assert (3, "afternoon") not in [(s.date.day, s.part) for s in plan.sessions]


@pytest.mark.django_db
def test_bulk_confirm_refuses_a_tampered_plan(client, staff, long_course):
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[long_course.pk])
    response = client.post(url, {"ke_hoach": "gia-mao", "xac_nhan": "1"}, follow=True)
    assert "không hợp lệ hoặc đã quá hạn" in " ".join(_messages(response))
    assert not long_course.sessions.exists()


@pytest.mark.django_db
def test_bulk_plan_of_one_class_cannot_be_confirmed_on_another(client, staff, long_course, centre):
    client.force_login(staff)
    preview = client.post(
        reverse("lophoc:timetable_bulk", args=[long_course.pk]), _bulk_data(long_course)
    )
    token = preview.context["confirm_form"]["plan"].value()
    other = builders.make_course(centre)
    response = client.post(
        reverse("lophoc:timetable_bulk", args=[other.pk]), {"ke_hoach": token, "xac_nhan": "1"}
    )
    assert "thuộc lớp khác" in " ".join(_messages(response))
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_bulk_needs_topics_and_dates_inside_the_class(client, staff, course):
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[course.pk])
    response = client.post(url, _bulk_data(course, end="20/03/2026", parts=[]))
    form = response.context["form"]
    errors = " ".join(form.non_field_errors())
    assert "Lớp chưa có chuyên đề nào" in errors
    assert "phải nằm trong thời gian học của lớp" in errors
    assert "ít nhất một buổi" in " ".join(form.errors["parts"])
    assert response.context["plan"] is None


@pytest.mark.django_db
def test_bulk_confirm_is_post_only_and_get_creates_nothing(client, staff, long_course):
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[long_course.pk])
    assert client.get(url, _bulk_data(long_course)).status_code == 200
    assert not long_course.sessions.exists()


# --- a lecturer's timetable -------------------------------------------------------------------


@pytest.mark.django_db
def test_my_timetable_lists_upcoming_sessions_by_week(client, lecturer, centre):
    today = datetime.date.today()
    course = builders.make_course(
        centre, start_date=today, end_date=today + datetime.timedelta(days=30)
    )
    topic = Topic.objects.create(course=course, title="Tư tưởng Hồ Chí Minh", periods=8)
    mine = lecturer.lecturer
    builders.make_session(course, date=today, topic=topic, lecturer=mine, room="P3")
    builders.make_session(course, date=today + datetime.timedelta(days=7), lecturer=mine, periods=3)
    builders.make_session(course, date=today)  # not mine
    cancelled = builders.make_course(centre, start_date=today, status=CourseStatus.CANCELLED)
    builders.make_session(cancelled, date=today, part="evening", lecturer=mine)
    client.force_login(lecturer)
    response = client.get(reverse("lophoc:my_timetable"))
    assert response.status_code == 200
    weeks = response.context["weeks"]
    assert sum(len(w["sessions"]) for w in weeks) == 2
    assert len(weeks) == 2 and weeks[0]["current"]
    assert "Tư tưởng Hồ Chí Minh" in response.text and course.code in response.text
    if today.year == (today + datetime.timedelta(days=7)).year:
        assert response.context["year_periods"] == 7
    assert mine.calendar_token in response.context["feed_url"]
    assert "Tạo lại đường dẫn" in response.text


@pytest.mark.django_db
def test_my_timetable_without_a_lecturer_record_explains(client, staff):
    client.force_login(staff)
    response = client.get(reverse("lophoc:my_timetable"))
    assert response.status_code == 200
    assert "chưa được gắn với hồ sơ giảng viên" in response.text


@pytest.mark.django_db
def test_my_timetable_from_an_earlier_date(client, lecturer, course):
    builders.make_session(course, lecturer=lecturer.lecturer)
    client.force_login(lecturer)
    response = client.get(reverse("lophoc:my_timetable"), {"tu": "01/03/2026"})
    assert response.context["from_date"] == datetime.date(2026, 3, 1)
    assert sum(len(w["sessions"]) for w in response.context["weeks"]) == 1
    bad = client.get(reverse("lophoc:my_timetable"), {"tu": "hôm qua"})
    assert bad.status_code == 200 and "không phải ngày" in " ".join(_messages(bad))


@pytest.mark.django_db
def test_my_timetable_queries_do_not_grow(client, lecturer, centre):
    client.force_login(lecturer)
    counts = []
    for rows in (2, 6):
        for _ in range(rows):
            course = builders.make_course(centre, start_date=datetime.date.today())
            topic = Topic.objects.create(course=course, title="Chuyên đề")
            builders.make_session(course, topic=topic, lecturer=lecturer.lecturer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("lophoc:my_timetable")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("admin_user", 200),
        ("other_staff", 404),
        ("official", 403),
        ("lecturer", 404),
    ],
)
def test_staff_view_a_lecturers_timetable(client, request, centre, who, status):
    guest = builders.make_lecturer(centre, full_name="Võ Văn Khách")
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("lophoc:lecturer_timetable", args=[guest.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Võ Văn Khách" in response.text
        assert guest.calendar_token in response.context["feed_url"]


@pytest.mark.django_db
def test_a_lecturer_opening_their_own_page_goes_to_my_timetable(client, lecturer):
    client.force_login(lecturer)
    response = client.get(reverse("lophoc:lecturer_timetable", args=[lecturer.lecturer.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("lophoc:my_timetable")


# --- rotating the feed token ------------------------------------------------------------------


@pytest.mark.django_db
def test_rotating_the_feed_address_is_post_only_and_kills_the_old_one(client, lecturer):
    mine = lecturer.lecturer
    old = mine.calendar_token
    client.force_login(lecturer)
    url = reverse("lophoc:calendar_rotate", args=[mine.pk])
    assert client.get(url).status_code == 405
    mine.refresh_from_db()
    assert mine.calendar_token == old
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("lophoc:my_timetable")
    mine.refresh_from_db()
    assert mine.calendar_token != old
    client.logout()
    assert client.get(reverse("lophoc:calendar_feed", args=[old])).status_code == 404
    assert (
        client.get(reverse("lophoc:calendar_feed", args=[mine.calendar_token])).status_code == 200
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 302), ("other_staff", 404), ("official", 403), ("lecturer", 404)],
)
def test_who_may_rotate_a_guest_lecturers_address(client, request, centre, who, status):
    guest = builders.make_lecturer(centre)
    old = guest.calendar_token
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("lophoc:calendar_rotate", args=[guest.pk]))
    assert response.status_code == status
    guest.refresh_from_db()
    assert (guest.calendar_token != old) is (status == 302)


@pytest.mark.django_db
def test_bulk_gives_topics_their_own_lecturers_from_the_form(client, staff, long_course, centre):
    topics = list(long_course.topics.order_by("order", "id"))
    general = builders.make_lecturer(centre, full_name="Lê Thị Chung")
    own = builders.make_lecturer(centre, full_name="Trần Văn Riêng")
    client.force_login(staff)
    url = reverse("lophoc:timetable_bulk", args=[long_course.pk])
    form = client.get(url).text
    assert f'name="giang_vien_{topics[1].pk}"' in form
    data = _bulk_data(long_course, lecturer=general.pk)
    data[f"giang_vien_{topics[1].pk}"] = own.pk
    preview = client.post(url, data)
    assert "Lê Thị Chung, Trần Văn Riêng" in preview.text
    token = preview.context["confirm_form"]["plan"].value()
    client.post(url, {"ke_hoach": token, "xac_nhan": "1"})
    taught = {(s.topic_id, s.lecturer_id) for s in long_course.sessions.all()}
    assert (topics[1].pk, own.pk) in taught
    assert {lecturer for topic, lecturer in taught if topic != topics[1].pk} == {general.pk}

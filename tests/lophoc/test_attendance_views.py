"""The attendance grid of one session: who may fill it, what it stores, and its query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.models import Attendance, CourseStatus, EnrolmentStatus
from tests import builders
from trungtam.models import Role


@pytest.fixture
def course(centre):
    """A class being taught, started a week ago: attendance is taken once a class has started,
    for sessions that have taken place (the rule is tested at the end of this module)."""
    return builders.make_course(
        centre,
        status=CourseStatus.IN_PROGRESS,
        start_date=timezone.localdate() - datetime.timedelta(days=7),
    )


@pytest.fixture
def session(course, lecturer):
    """A 5-period session of `course` taught by the `lecturer` user, plus a 3-period one."""
    builders.make_session(course, part="afternoon", periods=3)
    return builders.make_session(course, lecturer=lecturer.lecturer, periods=5)


@pytest.fixture
def other_lecturer(centre, course):
    """A lecturer teaching another session of the same class."""
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="giangvien2")
    builders.make_session(
        course, part="evening", lecturer=builders.make_lecturer(centre, user=user)
    )
    return user


@pytest.fixture
def outside_lecturer(centre):
    """A lecturer of the centre who does not teach the class."""
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="giangvien3")
    builders.make_lecturer(centre, user=user)
    return user


def _enrol(course, *names, **overrides):
    return [
        builders.make_enrolment(
            course, builders.make_trainee(course.centre, full_name=name), **overrides
        )
        for name in names
    ]


def _url(session):
    return reverse("lophoc:attendance_edit", args=[session.pk])


def _grid(enrolments, **statuses):
    """POST data: everyone present unless named in `statuses` (enrolment pk → status)."""
    data = {}
    for enrolment in enrolments:
        data[f"trang_thai_{enrolment.pk}"] = statuses.get(str(enrolment.pk), "present")
        data[f"ghi_chu_{enrolment.pk}"] = ""
    return data


# --- who may take attendance ------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, session):
    response = client.get(_url(session))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("admin_user", 200),
        ("superuser", 200),
        ("lecturer", 200),  # the session's own lecturer
        ("other_lecturer", 403),  # teaches the class, not this session
        ("outside_lecturer", 404),  # does not see the class at all
        ("official", 403),
        ("province_official", 403),
        ("other_staff", 404),
    ],
)
def test_who_may_take_attendance(client, request, session, who, status):
    (enrolment,) = _enrol(session.course, "Nguyễn Văn An")
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(session)).status_code == status
    response = client.post(_url(session), _grid([enrolment], **{str(enrolment.pk): "unexcused"}))
    assert response.status_code == (302 if status == 200 else status)
    assert Attendance.objects.exists() is (status == 200)


# --- the grid ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grid_lists_active_trainees_in_vietnamese_order_withdrawn_last(client, staff, session):
    course = session.course
    _enrol(course, "Trần Văn Bình", "Lê Thị An", "Nguyễn Đức Ánh")
    _enrol(course, "Phạm Văn A", status=EnrolmentStatus.WITHDRAWN)
    client.force_login(staff)
    response = client.get(_url(session))
    names = [row.enrolment.trainee.full_name for row in response.context["rows"]]
    assert names == ["Lê Thị An", "Nguyễn Đức Ánh", "Trần Văn Bình", "Phạm Văn A"]
    assert [row.editable for row in response.context["rows"]] == [True, True, True, False]
    # no record yet: everyone starts "có mặt"
    assert all(row.status.value() == "present" for row in response.context["rows"] if row.editable)
    assert 'value="present" class="btn-check"' in response.text or "btn-check" in response.text
    assert "Thôi học" in response.text


@pytest.mark.django_db
def test_saving_the_grid_stores_records_history_and_absence(client, staff, session):
    course = session.course
    present, excused, unexcused, made_up = _enrol(
        course, "Lê Thị An", "Nguyễn Văn Bình", "Trần Văn Cường", "Phạm Thị Dung"
    )
    client.force_login(staff)
    data = _grid(
        [present, excused, unexcused, made_up],
        **{
            str(excused.pk): "excused",
            str(unexcused.pk): "unexcused",
            str(made_up.pk): "made_up",
        },
    )
    data[f"ghi_chu_{excused.pk}"] = "  Đi  công tác "
    response = client.post(_url(session), data)
    assert response.status_code == 302 and response["Location"] == _url(session)
    records = {a.enrolment_id: a for a in Attendance.objects.all()}
    assert {pk: r.status for pk, r in records.items()} == {
        present.pk: "present",
        excused.pk: "excused",
        unexcused.pk: "unexcused",
        made_up.pk: "present",  # học bù is recorded as attendance, marked made up
    }
    assert records[made_up.pk].made_up and not records[present.pk].made_up
    assert records[excused.pk].note == "Đi công tác"
    assert all(r.history.get().history_user == staff for r in records.values())
    for enrolment in (present, excused, unexcused, made_up):
        enrolment.refresh_from_db()
    assert (excused.scheduled_periods, excused.absent_periods, excused.excused_periods) == (8, 5, 5)
    assert (unexcused.absent_periods, unexcused.excused_periods) == (5, 0)
    assert (made_up.absent_periods, present.absent_periods) == (0, 0)
    page = client.get(_url(session))
    assert "Đã lưu điểm danh" in " ".join(str(m) for m in page.context["messages"])
    assert "5/8 tiết" in page.text and "62,5%" in page.text and "quá mức cho phép" in page.text
    # The grid shows the one choice it stored: học bù, counted apart from "có mặt".
    shown = {row.enrolment.pk: row.status.value() for row in page.context["rows"]}
    assert (shown[made_up.pk], shown[present.pk]) == ("made_up", "present")
    assert "có mặt 1, học bù 1, vắng có phép 1, vắng không phép 1" in page.text


@pytest.mark.django_db
def test_saving_again_updates_only_what_changed_with_history(client, staff, lecturer, session):
    first, second = _enrol(session.course, "Lê Thị An", "Nguyễn Văn Bình")
    client.force_login(staff)
    client.post(_url(session), _grid([first, second], **{str(first.pk): "unexcused"}))
    client.force_login(lecturer)
    response = client.post(_url(session), _grid([first, second], **{str(second.pk): "excused"}))
    assert response.status_code == 302
    records = {a.enrolment_id: a for a in Attendance.objects.all()}
    assert (records[first.pk].status, records[second.pk].status) == ("present", "excused")
    latest = records[first.pk].history.first()
    assert latest.history_user == lecturer and latest.history_type == "~"
    assert records[first.pk].history.count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.absent_periods, second.absent_periods, second.excused_periods) == (0, 5, 5)


@pytest.mark.django_db
def test_withdrawn_trainees_are_not_changed(client, staff, session):
    (active,) = _enrol(session.course, "Lê Thị An")
    (gone,) = _enrol(session.course, "Nguyễn Văn Bình", status=EnrolmentStatus.WITHDRAWN)
    client.force_login(staff)
    data = _grid([active])
    data[f"trang_thai_{gone.pk}"] = "unexcused"
    assert client.post(_url(session), data).status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [active.pk]


@pytest.mark.django_db
def test_mark_all_present_button_works_without_javascript(client, staff, session):
    first, second = _enrol(session.course, "Lê Thị An", "Nguyễn Văn Bình")
    client.force_login(staff)
    client.post(_url(session), _grid([first, second], **{str(first.pk): "unexcused"}))
    data = _grid([first, second], **{str(first.pk): "unexcused", str(second.pk): "excused"})
    data["all_present"] = "1"
    assert client.post(_url(session), data).status_code == 302
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}
    page = client.get(_url(session))
    assert 'data-mark-all="present"' in page.text
    assert "js/attendance.js" in page.text and "<script>" not in page.text


@pytest.mark.django_db
def test_a_bad_value_is_refused_and_nothing_is_saved(client, staff, session):
    first, second = _enrol(session.course, "Lê Thị An", "Nguyễn Văn Bình")
    client.force_login(staff)
    data = _grid([first, second], **{str(first.pk): "tron-hoc"})
    data[f"ghi_chu_{second.pk}"] = "x" * 201
    response = client.post(_url(session), data)
    assert response.status_code == 200
    rows = {row.enrolment.pk: row for row in response.context["rows"]}
    assert rows[first.pk].status.errors and rows[second.pk].note.errors
    assert rows[second.pk].note.value() == "x" * 201  # what was typed is kept
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_closed_class_attendance_is_read_only(client, staff, session):
    (enrolment,) = _enrol(session.course, "Lê Thị An")
    Attendance.objects.create(session=session, enrolment=enrolment, status="excused")
    course = session.course
    course.status = CourseStatus.CLOSED
    course.save()
    client.force_login(staff)
    page = client.get(_url(session))
    assert page.status_code == 200 and "chỉ còn để xem" in page.text
    assert "btn-check" not in page.text and "Vắng có phép" in page.text
    response = client.post(_url(session), _grid([enrolment]))
    assert response.status_code == 302
    assert Attendance.objects.get().status == "excused"


@pytest.mark.django_db
def test_empty_class_says_what_to_do_first(client, staff, session):
    client.force_login(staff)
    response = client.get(_url(session))
    assert "Lớp chưa có học viên nào" in response.text


# --- query discipline -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "lecturer"])
def test_grid_queries_do_not_grow_with_trainees(client, request, session, who):
    client.force_login(request.getfixturevalue(who))
    unit = builders.make_unit(session.course.centre)
    counts = {"get": [], "post": []}
    for size in (4, 12):
        Attendance.objects.all().delete()
        have = session.course.enrolments.count()
        for _ in range(size - have):
            builders.make_enrolment(
                session.course, builders.make_trainee(session.course.centre, unit=unit), unit=unit
            )
        enrolments = list(session.course.enrolments.all())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(session)).status_code == 200
        counts["get"].append(len(queries))
        half = {str(e.pk): "excused" for e in enrolments[::2]}
        with CaptureQueriesContext(connection) as queries:
            assert client.post(_url(session), _grid(enrolments, **half)).status_code == 302
        counts["post"].append(len(queries))
        assert Attendance.objects.count() == size
        # a second save updates the records: also constant
        with CaptureQueriesContext(connection) as queries:
            assert client.post(_url(session), _grid(enrolments)).status_code == 302
        counts.setdefault("update", []).append(len(queries))
    assert counts["get"][0] == counts["get"][1]
    assert counts["post"][0] == counts["post"][1]
    assert counts["update"][0] == counts["update"][1]


@pytest.mark.django_db
def test_attendance_link_dates_are_shown(client, staff, session):
    client.force_login(staff)
    response = client.get(_url(session))
    assert session.date.strftime("%d/%m/%Y") in response.text


# --- no attendance before the class starts, nor for a session still to come (item 9) ----------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "label"),
    [(CourseStatus.PLANNED, "Kế hoạch"), (CourseStatus.ENROLLING, "Đang chiêu sinh")],
)
def test_a_class_not_started_shows_why_and_refuses_a_crafted_post(
    client, staff, session, status, label
):
    course = session.course
    course.status = status
    course.save()
    (enrolment,) = _enrol(course, "Lê Thị An")
    client.force_login(staff)

    page = client.get(_url(session))

    assert page.status_code == 200
    assert f"Lớp chưa bắt đầu học (trạng thái «{label}»)" in page.text
    assert f'name="trang_thai_{enrolment.pk}"' not in page.text and "btn-check" not in page.text
    assert "Lưu điểm danh" not in page.text and "Chưa điểm danh" in page.text
    response = client.post(_url(session), _grid([enrolment], **{str(enrolment.pk): "unexcused"}))
    assert response.status_code == 302 and response["Location"] == _url(session)
    assert "chưa bắt đầu học" in " ".join(
        str(m) for m in client.get(_url(session)).context["messages"]
    )
    assert not Attendance.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.absent_periods == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "lecturer"])
def test_a_session_still_to_come_shows_why_and_refuses_a_crafted_post(client, request, course, who):
    user = request.getfixturevalue(who)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    lecturer = getattr(user, "lecturer", None)
    session = builders.make_session(course, date=tomorrow, lecturer=lecturer)
    (enrolment,) = _enrol(course, "Lê Thị An")
    client.force_login(user)

    page = client.get(_url(session))

    assert page.status_code == 200
    assert f"Buổi học ngày {tomorrow:%d/%m/%Y} chưa diễn ra" in page.text
    assert "btn-check" not in page.text and "Lưu điểm danh" not in page.text
    assert "mọi học viên đang để «Có mặt»" not in page.text  # nothing to fill in
    response = client.post(_url(session), _grid([enrolment], **{str(enrolment.pk): "excused"}))
    assert response.status_code == 302
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_session_of_today_is_taken(client, staff, course):
    session = builders.make_session(course, date=timezone.localdate())
    (enrolment,) = _enrol(course, "Lê Thị An")
    client.force_login(staff)
    assert "btn-check" in client.get(_url(session)).text
    response = client.post(_url(session), _grid([enrolment], **{str(enrolment.pk): "excused"}))
    assert response.status_code == 302
    assert Attendance.objects.get().status == "excused"

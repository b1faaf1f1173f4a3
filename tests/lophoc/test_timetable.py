"""Timetable rules: overlaps, lecturer and room conflicts, dates, holidays and the bulk plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lophoc.models import CourseStatus, Session, SessionPart, Topic
from lophoc.timetable import (
    PART_WINDOWS,
    Slot,
    part_of_time,
    session_clash,
    session_conflicts,
    session_date_refusal,
    session_delete,
    session_save,
    sessions_in_order,
    timetable_bulk_create,
    timetable_plan,
    timetable_plan_load,
)
from tests import builders
from trungtam.models import Holiday

MON = datetime.date(2026, 3, 2)  # make_course's default start, a Monday
T = datetime.time


def _topics(course, *periods):
    return [
        Topic.objects.create(course=course, order=i, title=f"Chuyên đề {i}", periods=p)
        for i, p in enumerate(periods, start=1)
    ]


# --- overlap rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (Slot(MON, "morning"), Slot(MON, "morning"), True),
        (Slot(MON, "morning"), Slot(MON + datetime.timedelta(days=1), "morning"), False),
        (Slot(MON, "morning"), Slot(MON, "afternoon"), False),
        (Slot(MON, "afternoon"), Slot(MON, "evening"), False),
        # same part: overlap unless both have times that do not intersect
        (
            Slot(MON, "morning", T(7, 30), T(9, 30)),
            Slot(MON, "morning", T(9, 30), T(11, 30)),
            False,
        ),
        (Slot(MON, "morning", T(7, 30), T(9, 45)), Slot(MON, "morning", T(9, 30), T(11, 30)), True),
        (Slot(MON, "morning", T(7, 30), T(9, 30)), Slot(MON, "morning"), True),
        # different parts: by times, a part without times taking its usual hours
        (Slot(MON, "morning", T(10, 0), T(14, 0)), Slot(MON, "afternoon"), True),
        (Slot(MON, "morning", T(10, 0), T(12, 0)), Slot(MON, "afternoon"), False),
        (Slot(MON, "afternoon", T(16, 0), T(18, 30)), Slot(MON, "evening"), True),
        (
            Slot(MON, "afternoon", T(13, 0), T(15, 0)),
            Slot(MON, "morning", T(11, 0), T(13, 30)),
            True,
        ),
    ],
)
def test_slot_overlaps(a, b, overlap):
    assert a.overlaps(b) is overlap
    assert b.overlaps(a) is overlap


def test_part_of_time():
    assert part_of_time(T(7, 0)) == SessionPart.MORNING
    assert part_of_time(T(13, 30)) == SessionPart.AFTERNOON
    assert part_of_time(T(18, 0)) == SessionPart.EVENING


@pytest.mark.django_db
def test_sessions_are_ordered_morning_afternoon_evening(course):
    evening = builders.make_session(course, part="evening")
    morning = builders.make_session(course, part="morning")
    afternoon = builders.make_session(course, part="afternoon")
    assert list(sessions_in_order(course.sessions.all())) == [morning, afternoon, evening]


# --- conflicts --------------------------------------------------------------------------------


@pytest.fixture
def busy(centre):
    """Another class of the centre with a morning session in «Hội trường A» by Phạm Minh Tuấn."""
    lecturer = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    other = builders.make_course(centre)
    session = builders.make_session(other, lecturer=lecturer, room="Hội trường A")
    return session


@pytest.mark.django_db
def test_lecturer_booked_twice_is_refused_naming_the_other_class(course, busy):
    message = session_clash(
        course=course, date=MON, part="morning", lecturer=busy.lecturer, room=""
    )
    assert message == (
        f"Giảng viên Phạm Minh Tuấn đã có lịch dạy lớp {busy.course.code} vào 02/03/2026, "
        "buổi sáng."
    )


@pytest.mark.django_db
def test_lecturer_is_checked_across_centres(other_centre, busy):
    elsewhere = builders.make_course(other_centre)
    assert session_clash(
        course=elsewhere, date=MON, part="morning", lecturer=busy.lecturer, room=""
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "room", ["Hội trường A", "hội trường a", "HOI TRUONG A", " Hoi  truong a "]
)
def test_room_comparison_ignores_case_diacritics_and_spaces(course, busy, room):
    message = session_clash(course=course, date=MON, part="morning", lecturer=None, room=room)
    assert message == (
        f"Phòng «Hội trường A» đã được xếp cho lớp {busy.course.code} vào 02/03/2026, buổi sáng."
    )


@pytest.mark.django_db
def test_other_rooms_and_other_centres_rooms_do_not_clash(course, other_centre, busy):
    assert not session_clash(
        course=course, date=MON, part="morning", lecturer=None, room="Hội trường B"
    )
    elsewhere = builders.make_course(other_centre)
    assert not session_clash(
        course=elsewhere, date=MON, part="morning", lecturer=None, room="Hội trường A"
    )


@pytest.mark.django_db
def test_both_conflicts_are_reported_by_field(course, busy):
    conflicts = session_conflicts(
        course=course, date=MON, part="morning", lecturer=busy.lecturer, room="Hội trường A"
    )
    assert [c.field for c in conflicts] == ["lecturer", "room"]


@pytest.mark.django_db
def test_times_that_do_not_intersect_in_the_same_part_do_not_clash(course, busy):
    busy.start_time, busy.end_time = T(7, 30), T(9, 30)
    busy.save()
    assert not session_clash(
        course=course,
        date=MON,
        part="morning",
        lecturer=busy.lecturer,
        room="Hội trường A",
        start_time=T(9, 30),
        end_time=T(11, 30),
    )
    assert session_clash(
        course=course,
        date=MON,
        part="morning",
        lecturer=busy.lecturer,
        room="",
        start_time=T(9, 0),
        end_time=T(11, 0),
    )
    # without times the new session takes the whole morning
    assert session_clash(course=course, date=MON, part="morning", lecturer=busy.lecturer, room="")


@pytest.mark.django_db
def test_times_that_run_into_another_part_clash(course, busy):
    assert not session_clash(
        course=course, date=MON, part="afternoon", lecturer=busy.lecturer, room=""
    )
    message = session_clash(
        course=course,
        date=MON,
        part="afternoon",
        lecturer=busy.lecturer,
        room="",
        start_time=T(11, 0),
        end_time=T(14, 0),
    )
    assert message and busy.course.code in message
    busy.part, busy.start_time, busy.end_time = "evening", T(16, 30), T(20, 0)
    busy.save()
    assert session_clash(course=course, date=MON, part="afternoon", lecturer=busy.lecturer, room="")


@pytest.mark.django_db
def test_cancelled_classes_never_conflict(course, busy):
    busy.course.status = CourseStatus.CANCELLED
    busy.course.save()
    assert not session_clash(
        course=course, date=MON, part="morning", lecturer=busy.lecturer, room="Hội trường A"
    )


@pytest.mark.django_db
def test_a_session_does_not_clash_with_itself(busy):
    assert not session_clash(
        course=busy.course,
        date=MON,
        part="morning",
        lecturer=busy.lecturer,
        room="Hội trường A",
        exclude_pks=[busy.pk],
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_date_outside_the_class_is_refused(course):
    refusal = session_date_refusal(course=course, date=datetime.date(2026, 3, 9))
    assert "nằm ngoài thời gian học của lớp (02/03/2026 – 06/03/2026)" in refusal
    assert session_date_refusal(course=course, date=MON) is None


@pytest.mark.django_db
def test_a_holiday_is_refused_with_its_name(course, centre, other_centre):
    Holiday.objects.create(centre=centre, date=MON, name="Ngày hội đặc biệt")
    Holiday.objects.create(
        centre=other_centre, date=MON + datetime.timedelta(days=1), name="Nghỉ ở nơi khác"
    )
    assert "ngày nghỉ của trung tâm (Ngày hội đặc biệt)" in session_date_refusal(
        course=course, date=MON
    )
    assert session_date_refusal(course=course, date=MON + datetime.timedelta(days=1)) is None


@pytest.mark.django_db
def test_a_sunday_is_allowed_for_a_single_session(centre):
    course = builders.make_course(centre, end_date=datetime.date(2026, 3, 10))
    sunday = datetime.date(2026, 3, 8)
    session = session_save(session=Session(course=course, date=sunday, part="morning", periods=4))
    assert session.pk


# --- saving -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_save_refuses_by_field_and_writes_nothing(course, busy):
    with pytest.raises(ValidationError) as refused:
        session_save(
            session=Session(
                course=course, date=MON, part="morning", lecturer=busy.lecturer, periods=4
            )
        )
    assert "lecturer" in refused.value.message_dict
    assert not course.sessions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
def test_closed_and_cancelled_timetables_are_read_only(course, status):
    session = builders.make_session(course)
    course.status = status
    course.save()
    with pytest.raises(ValidationError):
        session_save(session=Session(course=course, date=MON, part="afternoon", periods=4))
    with pytest.raises(ValidationError):
        session_delete(session=session)
    assert course.sessions.count() == 1


@pytest.mark.django_db
def test_session_changes_refresh_the_stored_absence_figures(course):
    enrolment = builders.make_enrolment(course)
    session = session_save(session=Session(course=course, date=MON, part="morning", periods=4))
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 4
    session.periods = 5
    session_save(session=session)
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 5
    session_delete(session=session)
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 0


# --- bulk timetable ---------------------------------------------------------------------------


@pytest.fixture
def long_course(centre):
    """Monday 02/03 to Tuesday 10/03/2026: the Sunday 08/03 falls inside."""
    return builders.make_course(centre, end_date=datetime.date(2026, 3, 10))


@pytest.mark.django_db
def test_bulk_plan_fills_half_days_in_topic_order(long_course):
    first, second, third = _topics(long_course, 4, 10, 4)
    plan = timetable_plan(
        course=long_course,
        start=long_course.start_date,
        end=long_course.end_date,
        parts=["afternoon", "morning"],
        periods_per_session=4,
    )
    planned = [(s.date.day, s.part, s.topic, s.periods) for s in plan.sessions]
    assert planned == [
        (2, "morning", first, 4),
        (2, "afternoon", second, 4),  # a long topic takes consecutive slots
        (3, "morning", second, 4),
        (3, "afternoon", second, 2),
        (4, "morning", third, 4),
    ]
    assert plan.leftover == [] and plan.leftover_periods == 0
    assert plan.planned_periods == 18


@pytest.mark.django_db
def test_bulk_plan_skips_sundays_and_holidays(long_course, centre):
    _topics(long_course, *[4] * 6)
    Holiday.objects.create(centre=centre, date=datetime.date(2026, 3, 4), name="Ngày nghỉ bù")
    plan = timetable_plan(
        course=long_course,
        start=datetime.date(2026, 3, 3),
        end=long_course.end_date,
        parts=["morning"],
    )
    days = [s.date.day for s in plan.sessions]
    assert days == [3, 5, 6, 7, 9, 10]
    assert [(s.date.day, s.reason) for s in plan.skipped] == [
        (4, "Ngày nghỉ: Ngày nghỉ bù"),
        (8, "Chủ nhật"),
    ]


@pytest.mark.django_db
def test_bulk_plan_skips_slots_where_lecturer_or_room_is_booked(long_course, centre):
    _topics(long_course, 4, 4)
    lecturer = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    other = builders.make_course(centre)
    builders.make_session(other, date=MON, part="morning", lecturer=lecturer)
    builders.make_session(other, date=MON, part="afternoon", room="Phòng 2")
    plan = timetable_plan(
        course=long_course,
        start=MON,
        end=long_course.end_date,
        parts=["morning", "afternoon"],
        lecturer=lecturer,
        room="phong 2",
    )
    assert [(s.date.day, s.part) for s in plan.sessions] == [(3, "morning"), (3, "afternoon")]
    reasons = [(s.date.day, s.part, s.reason) for s in plan.skipped]
    assert reasons[0][:2] == (2, "morning") and f"lớp {other.code}" in reasons[0][2]
    assert "Giảng viên Phạm Minh Tuấn" in reasons[0][2]
    assert reasons[1][:2] == (2, "afternoon") and "Phòng «Phòng 2»" in reasons[1][2]


@pytest.mark.django_db
def test_bulk_plan_reports_leftover_periods(course):
    first, second = _topics(course, 12, 20)
    plan = timetable_plan(
        course=course,
        start=MON,
        end=MON + datetime.timedelta(days=1),
        parts=["morning", "afternoon"],
        periods_per_session=5,
    )
    assert [s.periods for s in plan.sessions] == [5, 5, 2, 5]
    assert plan.leftover == [(second, 15)]
    assert plan.leftover_periods == 15


@pytest.mark.django_db
def test_bulk_plan_leaves_out_what_is_already_scheduled(course):
    first, second = _topics(course, 4, 4)
    builders.make_session(course, date=MON, part="morning", topic=first, periods=4)
    plan = timetable_plan(course=course, start=MON, end=course.end_date, parts=["morning"])
    assert plan.already_scheduled == 4
    assert [(s.date.day, s.topic) for s in plan.sessions] == [(3, second)]
    assert plan.skipped[0].reason == "Lớp đã có buổi học vào buổi này"


@pytest.mark.django_db
def test_bulk_create_writes_every_session_with_history(course, staff):
    _topics(course, 8)
    enrolment = builders.make_enrolment(course)
    plan = timetable_plan(course=course, start=MON, end=course.end_date, parts=["morning"])
    created = timetable_bulk_create(plan=plan, user=staff)
    assert len(created) == 2 and course.sessions.count() == 2
    assert all(s.history.get().history_user == staff for s in course.sessions.all())
    enrolment.refresh_from_db()
    assert enrolment.scheduled_periods == 8


@pytest.mark.django_db
def test_bulk_create_is_all_or_nothing(course, centre):
    _topics(course, 4, 4, 4)
    lecturer = builders.make_lecturer(centre)
    plan = timetable_plan(
        course=course, start=MON, end=course.end_date, parts=["morning"], lecturer=lecturer
    )
    assert len(plan.sessions) == 3
    # between the preview and the confirmation another class takes the lecturer on day 2
    other = builders.make_course(centre)
    builders.make_session(other, date=plan.sessions[1].date, lecturer=lecturer)
    with pytest.raises(ValidationError) as refused:
        timetable_bulk_create(plan=plan)
    assert f"lớp {other.code}" in " ".join(refused.value.messages)
    assert "03/03/2026" in " ".join(refused.value.messages)
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_bulk_create_rechecks_holidays(course, centre):
    _topics(course, 4)
    plan = timetable_plan(course=course, start=MON, end=course.end_date, parts=["morning"])
    Holiday.objects.create(centre=centre, date=MON, name="Nghỉ đột xuất")
    with pytest.raises(ValidationError) as refused:
        timetable_bulk_create(plan=plan)
    assert "Nghỉ đột xuất" in " ".join(refused.value.messages)
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_bulk_plan_gives_each_topic_its_own_lecturer_in_order(long_course, centre):
    first, second, third = _topics(long_course, 4, 4, 4)
    general = builders.make_lecturer(centre, full_name="Lê Thị Chung")
    own = builders.make_lecturer(centre, full_name="Trần Văn Riêng")
    # The second topic's lecturer is busy on Monday afternoon elsewhere: that slot is skipped
    # and the third topic does not jump ahead of the second.
    builders.make_session(builders.make_course(centre), date=MON, part="afternoon", lecturer=own)
    plan = timetable_plan(
        course=long_course,
        start=MON,
        end=long_course.end_date,
        parts=["morning", "afternoon"],
        lecturer=general,
        topic_lecturers={second.pk: own},
    )
    assert [(s.date.day, s.part, s.topic, s.lecturer) for s in plan.sessions] == [
        (2, "morning", first, general),
        (3, "morning", second, own),
        (3, "afternoon", third, general),
    ]
    assert plan.skipped[0].part == "afternoon" and "Trần Văn Riêng" in plan.skipped[0].reason
    assert plan.lecturers == [general, own]

    created = timetable_bulk_create(
        plan=timetable_plan_load(course=long_course, data=plan.to_data())
    )
    assert [
        (s.topic, s.lecturer) for s in sorted(created, key=lambda s: (s.date, s.start_time))
    ] == [
        (first, general),
        (second, own),
        (third, general),
    ]


@pytest.mark.django_db
def test_bulk_created_sessions_take_the_usual_hours_of_their_part(course):
    _topics(course, 4, 4)
    plan = timetable_plan(course=course, start=MON, end=MON, parts=["morning", "afternoon"])
    timetable_bulk_create(plan=plan)
    times = {s.part: (s.start_time, s.end_time) for s in course.sessions.all()}
    assert times == {part: PART_WINDOWS[part] for part in ("morning", "afternoon")}

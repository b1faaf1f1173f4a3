import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chieusinh.models import Call, CallAnswer, CallQuota, CallStatus
from donvi.reminders import reminders_due, unit_reminders
from hocvien.accounts import unit_account_create
from khaosat.models import Survey, SurveyAnswer, SurveyStatus, SurveyUnit
from lophoc.models import CourseStatus, CourseStatusChange, EnrolmentStatus
from tests import builders
from thongbao.models import MailStatus, Notification, NotificationKind, OutgoingMail

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def run(*args) -> str:
    out = io.StringIO()
    call_command("unit_reminders", "--date", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def kinds(unit=None) -> list[tuple[str, str]]:
    rows = Notification.objects.order_by("id")
    if unit is not None:
        rows = rows.filter(unit=unit)
    return list(rows.values_list("kind", "key"))


@pytest.fixture
def unit(centre):
    return builders.make_unit(centre, name="Phường Phú Lợi")


@pytest.fixture
def other_unit(centre):
    return builders.make_unit(centre, name="Xã Bình Mỹ")


def running_class(centre, **overrides):
    """A class in progress of 40 periods whose limit is 20 %: 8 periods, warned from 6."""
    values = {"status": CourseStatus.IN_PROGRESS, "absence_limit_percent": 20}
    return builders.make_course(centre, **{**values, **overrides})


def absent(course, unit, periods, scheduled=40, **overrides):
    return builders.make_enrolment(
        course,
        builders.make_trainee(course.centre, full_name="Lê Văn Tám", unit=unit),
        unit=unit,
        scheduled_periods=scheduled,
        absent_periods=periods,
        **overrides,
    )


# --- the 75 % rule ---------------------------------------------------------------------------


def test_a_person_at_75_percent_of_the_absence_limit_brings_a_warning(centre, unit):
    course = running_class(centre, code="KND-01/2026")
    at_share = absent(course, unit, 6)  # 6 of the 8 periods allowed
    below = absent(course, unit, 5)
    over = absent(course, unit, 10)

    out = run()

    assert kinds(unit) == [
        (NotificationKind.ABSENCE_WARNING, f"enrolment:{at_share.pk}:absence"),
        (NotificationKind.ABSENCE_WARNING, f"enrolment:{over.pk}:absence"),
    ]
    assert f"enrolment:{below.pk}:absence" not in {key for _, key in kinds()}
    notice = Notification.objects.get(key=f"enrolment:{at_share.pk}:absence")
    assert notice.title.startswith(
        f"1 học viên lớp KND-01/2026 – {course.name} đã vắng gần mức tối đa (20% số tiết); "
        "xem trang đơn vị."
    )
    assert "Lê Văn Tám" not in notice.title and "6/40" not in notice.title
    assert notice.link == reverse("donvi:unit_page", args=[unit.pk])
    assert "Học viên sắp vượt số buổi vắng: 2" in out
    assert "Tổng cộng 2 thông báo mới." in out


def test_the_limit_of_each_class_is_used(centre, unit):
    strict = running_class(centre, absence_limit_percent=10)  # 4 periods allowed, warned from 3
    warned = absent(strict, unit, 3)

    run()

    assert kinds(unit) == [(NotificationKind.ABSENCE_WARNING, f"enrolment:{warned.pk}:absence")]
    assert "gần mức tối đa (10% số tiết)" in Notification.objects.get().title


def test_no_absence_warning_outside_a_running_class_or_for_the_withdrawn(centre, unit):
    for status in (CourseStatus.PLANNED, CourseStatus.ENROLLING, CourseStatus.CLOSED):
        absent(running_class(centre, status=status), unit, 7)
    course = running_class(centre)
    absent(course, unit, 7, status=EnrolmentStatus.WITHDRAWN)
    absent(course, None, 7)  # nobody to tell
    absent(course, unit, 0, scheduled=0)

    run()

    assert kinds() == []


# --- the 3-day rule ----------------------------------------------------------------------------


def make_call(course, deadline, units, status=CallStatus.PUBLISHED):
    call = Call.objects.create(
        centre=course.centre, course=course, deadline=deadline, status=status
    )
    for unit in units:
        CallQuota.objects.create(call=call, unit=unit, quota=3)
    return call


@pytest.mark.parametrize("days", [0, 1, 3])
def test_a_call_due_within_3_days_reminds_the_units_that_have_not_sent(
    centre, unit, other_unit, days
):
    course = builders.make_course(centre, status=CourseStatus.ENROLLING, code="KND-02/2026")
    call = make_call(course, TODAY + datetime.timedelta(days=days), [unit, other_unit])
    CallAnswer.objects.create(call=call, unit=other_unit, submitted_at=timezone.now())

    run()

    assert kinds() == [(NotificationKind.CALL_DEADLINE, f"call:{call.pk}:deadline")]
    notice = Notification.objects.get()
    assert notice.unit == unit
    assert notice.title.startswith("Chiêu sinh lớp KND-02/2026")
    assert "gửi danh sách 3 học viên; đơn vị chưa gửi danh sách." in notice.title
    expected = "hôm nay (10/03/2026) là hạn cuối" if days == 0 else f"còn {days} ngày đến hạn"
    assert expected in notice.title
    assert notice.link.endswith(f"?don_vi={unit.pk}")


def test_a_call_draft_or_due_later_or_past_reminds_nobody(centre, unit):
    course = builders.make_course(centre, status=CourseStatus.ENROLLING)
    make_call(course, TODAY + datetime.timedelta(days=4), [unit])
    make_call(builders.make_course(centre), TODAY - datetime.timedelta(days=1), [unit])
    make_call(builders.make_course(centre), TODAY, [unit], status=CallStatus.DRAFT)

    run()

    assert kinds() == []


def test_a_list_kept_but_not_sent_still_brings_the_reminder(centre, unit):
    call = make_call(builders.make_course(centre), TODAY + datetime.timedelta(days=2), [unit])
    CallAnswer.objects.create(call=call, unit=unit)  # a draft list, not sent

    run()

    assert kinds(unit) == [(NotificationKind.CALL_DEADLINE, f"call:{call.pk}:deadline")]


def make_survey(centre, deadline, units, status=SurveyStatus.OPEN, year=2027):
    survey = Survey.objects.create(centre=centre, year=year, deadline=deadline, status=status)
    for unit in units:
        SurveyUnit.objects.create(survey=survey, unit=unit)
    return survey


def test_a_survey_due_within_3_days_reminds_the_units_that_have_not_answered(
    centre, unit, other_unit
):
    survey = make_survey(centre, TODAY + datetime.timedelta(days=3), [unit, other_unit])
    SurveyAnswer.objects.create(survey=survey, unit=other_unit, submitted_at=timezone.now())

    run()

    assert kinds() == [(NotificationKind.SURVEY_DEADLINE, f"survey:{survey.pk}:deadline")]
    notice = Notification.objects.get()
    assert notice.unit == unit
    assert notice.title == (
        "Khảo sát nhu cầu bồi dưỡng năm 2027 của Trung tâm Chính trị phường Phú Lợi: còn 3 ngày "
        "đến hạn 13/03/2026; đơn vị chưa trả lời."
    )


def test_a_survey_not_open_or_due_later_reminds_nobody(centre, unit):
    make_survey(centre, TODAY + datetime.timedelta(days=4), [unit])
    other = builders.make_centre()
    make_survey(other, TODAY, [builders.make_unit(other)], status=SurveyStatus.CLOSED)

    run()

    assert kinds() == []


# --- result notices ----------------------------------------------------------------------------


def closed_class(centre, closed_days_ago: int):
    course = builders.make_course(centre, status=CourseStatus.CLOSED, code="KND-03/2026")
    change = CourseStatusChange.objects.create(
        course=course, old_status=CourseStatus.GRADING, new_status=CourseStatus.CLOSED
    )
    closed_at = timezone.make_aware(
        datetime.datetime.combine(
            TODAY - datetime.timedelta(days=closed_days_ago), datetime.time(9)
        )
    )
    CourseStatusChange.objects.filter(pk=change.pk).update(created_at=closed_at)
    return course


def test_a_closed_class_tells_each_sending_unit_its_notice_is_ready(centre, unit, other_unit):
    course = closed_class(centre, closed_days_ago=2)
    absent(course, unit, 0)
    absent(course, unit, 0)
    absent(course, other_unit, 0)
    # No unit on the enrolment: nobody sent the person (the unit's page would not list them
    # either), whatever unit they work in now.
    elsewhere = builders.make_unit(centre, name="Xã Tân Thành")
    builders.make_enrolment(course, builders.make_trainee(centre, unit=elsewhere))
    builders.make_enrolment(course, builders.make_trainee(centre))  # nobody to tell

    run()

    assert sorted(Notification.objects.values_list("unit__name", "kind", "key")) == [
        ("Phường Phú Lợi", NotificationKind.NOTICE_READY, f"course:{course.pk}:notice"),
        ("Xã Bình Mỹ", NotificationKind.NOTICE_READY, f"course:{course.pk}:notice"),
    ]
    assert Notification.objects.first().title.startswith(
        "Đã có thông báo kết quả học tập lớp KND-03/2026"
    )


def test_a_class_closed_long_ago_brings_no_notice(centre, unit):
    course = closed_class(centre, closed_days_ago=31)
    absent(course, unit, 0)

    run()

    assert kinds() == []


# --- once only, few queries, mail --------------------------------------------------------------


def test_a_second_run_the_same_day_notifies_nothing_new(centre, unit):
    absent(running_class(centre), unit, 7)
    make_call(builders.make_course(centre), TODAY + datetime.timedelta(days=1), [unit])
    make_survey(centre, TODAY + datetime.timedelta(days=1), [unit])
    absent(closed_class(centre, 1), unit, 0)
    first = run()
    assert "Tổng cộng 4 thông báo mới. Đã gửi từ trước: 0." in first

    second = run()
    # and the next days too: the same call, survey, person and class are not told again
    call_command("unit_reminders", "--date", "2026-03-11", stdout=io.StringIO())

    assert second == "Không có thông báo mới. Đã gửi từ trước: 4.\n"
    assert Notification.objects.count() == 4


def world(centre, n: int):
    course = running_class(centre)
    call = make_call(builders.make_course(centre), TODAY + datetime.timedelta(days=1), [])
    survey = make_survey(centre, TODAY + datetime.timedelta(days=1), [], year=2027 + n)
    closed = closed_class(centre, 1)
    closed.code = f"DONG-{n}/2026"  # a prefix the builders never number
    closed.save()
    for _ in range(n):
        unit = builders.make_unit(centre)
        absent(course, unit, 7)
        absent(closed, unit, 0)
        CallQuota.objects.create(call=call, unit=unit, quota=2)
        SurveyUnit.objects.create(survey=survey, unit=unit)


def test_finding_what_is_due_takes_the_same_queries_at_n_and_3n(centre):
    counts = []
    for n in (3, 9):
        Notification.objects.all().delete()
        world(centre, n)
        with CaptureQueriesContext(connection) as queries:
            due = reminders_due(TODAY)
        counts.append(len(queries))
        assert len(due) >= 4 * n
    assert counts[0] == counts[1]


def test_reminders_are_mailed_to_the_liaison(
    settings, centre, unit, django_capture_on_commit_callbacks
):
    settings.EMAIL_HOST = "smtp.example.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    unit_account_create(unit=unit, full_name="Trần Thị Thu", username="donvi", email="vp@pl.vn")
    absent(running_class(centre), unit, 7)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = unit_reminders(today=TODAY)

    assert outcome.total == 1
    assert [m.to for m in mail.outbox] == [["vp@pl.vn"]]
    assert "1 học viên lớp" in mail.outbox[0].body
    assert "Lê Văn Tám" not in mail.outbox[0].body
    assert OutgoingMail.objects.get().status == MailStatus.SENT


def test_a_wrong_date_is_wrong_usage():
    with pytest.raises(CommandError) as refused:
        call_command("unit_reminders", "--date", "10/03/2026", stdout=io.StringIO())

    assert refused.value.returncode == 2
    assert "YYYY-MM-DD" in str(refused.value)

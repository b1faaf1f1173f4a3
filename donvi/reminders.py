"""Notices that come from time passing (issue 16, item 7), given by `manage.py unit_reminders`
once a day (cron):

- a call for nominees whose deadline is 3 days away or less, to each unit asked that has not sent
  its list yet;
- a needs survey whose deadline is 3 days away or less, to each unit asked that has not answered;
- an absence warning when one of a unit's people in a running class has used 75 % of the class's
  absence limit (the same rule as the unit's page, `lophoc.attendance.near_absence_limit`);
- a result notice ready, to each unit that sent people to a class closed in the last 30 days.
- a follow-up after a class due (hieuqua), to each unit that sent people to a class whose
  follow-up became due in the last 30 days and has not answered for all of them.

Each notice has a key (`thongbao.notify`), so running twice the same day — or every day — never
tells a unit the same thing twice. Each kind reads what it needs in a few queries, whatever the
number of people; only the notices not given yet are written (with their mails).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chieusinh.calls import answer_path
from chieusinh.models import CallAnswer, CallQuota, CallStatus
from donvi.people import RUNNING
from hieuqua.followups import ASKED, add_months, delays, due_filter
from hieuqua.models import DEFAULT_DELAY_MONTHS
from hocvien.models import Unit
from khaosat.models import Survey, SurveyAnswer, SurveyStatus, SurveyUnit
from khaosat.surveys import answer_link
from lophoc.attendance import near_absence_limit
from lophoc.models import CourseStatus, CourseStatusChange, Enrolment, EnrolmentStatus
from thongbao.models import Notification, NotificationKind
from thongbao.notify import notify
from trungtam.documents.numbers import format_number
from trungtam.models import Centre

# A deadline this many days away (or fewer) brings the reminder.
DEADLINE_NOTICE_DAYS = 3
# Classes closed longer ago than this bring no "notice ready" (the first run after an upgrade
# does not announce every class of past years).
NOTICE_READY_DAYS = 30
# Where a unit reads its people and result notices, until the unit's page names its URL.
UNIT_PAGE_FALLBACK = "/trang-don-vi/"


@dataclass(frozen=True)
class Reminder:
    unit_id: int
    kind: str
    title: str
    link: str
    key: str


@dataclass
class RemindersOutcome:
    given: Counter = field(default_factory=Counter)  # kind -> notices given now
    already: int = 0  # due but given before (same key)

    @property
    def total(self) -> int:
        return sum(self.given.values())


def _link(build, *, fallback: str) -> str:
    """The page where the unit acts, as the app that owns it names it (the same link as the
    notice that opened the call or survey); its app's section while that page has no URL yet."""
    try:
        return build()
    except NoReverseMatch:
        return fallback


def _percent(value) -> str:
    """20 → '20', 12.5 → '12,5', 33.333 → '33,3' (Vietnamese decimal comma)."""
    text = format_number(value, 1)
    return text[:-2] if text.endswith(",0") else text


def _days_text(deadline: datetime.date, today: datetime.date) -> str:
    days = (deadline - today).days
    if days == 0:
        return f"hôm nay ({deadline:%d/%m/%Y}) là hạn cuối"
    return f"còn {days} ngày đến hạn {deadline:%d/%m/%Y}"


def _deadline_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(days=DEADLINE_NOTICE_DAYS)


def call_deadline_reminders(today: datetime.date) -> list[Reminder]:
    """Units asked by a published call due within 3 days that have not sent their list."""
    answered = CallAnswer.objects.filter(
        call_id=OuterRef("call_id"), unit_id=OuterRef("unit_id"), submitted_at__isnull=False
    )
    quotas = (
        CallQuota.objects.filter(
            call__status=CallStatus.PUBLISHED, call__deadline__range=_deadline_window(today)
        )
        .filter(~Exists(answered))
        .select_related("call", "call__course", "unit")
        .order_by("call_id", "unit_id")
    )
    reminders = []
    for quota in quotas:
        call, course = quota.call, quota.call.course
        link = _link(lambda c=call, u=quota.unit: answer_path(c, u), fallback="/chieu-sinh/")
        reminders.append(
            Reminder(
                unit_id=quota.unit_id,
                kind=NotificationKind.CALL_DEADLINE,
                title=(
                    f"Chiêu sinh lớp {course.code} – {course.name}: {_days_text(call.deadline, today)}"
                    f" gửi danh sách {quota.quota} học viên; đơn vị chưa gửi danh sách."
                ),
                link=link,
                key=f"call:{call.pk}:deadline",
            )
        )
    return reminders


def survey_deadline_reminders(today: datetime.date) -> list[Reminder]:
    """Units asked by an open survey due within 3 days that have not answered."""
    answered = SurveyAnswer.objects.filter(
        survey_id=OuterRef("survey_id"), unit_id=OuterRef("unit_id")
    )
    asked = (
        SurveyUnit.objects.filter(
            survey__status=SurveyStatus.OPEN, survey__deadline__range=_deadline_window(today)
        )
        .filter(~Exists(answered))
        .select_related("survey", "survey__centre")
        .order_by("survey_id", "unit_id")
    )
    reminders = []
    for row in asked:
        survey: Survey = row.survey
        reminders.append(
            Reminder(
                unit_id=row.unit_id,
                kind=NotificationKind.SURVEY_DEADLINE,
                title=(
                    f"Khảo sát nhu cầu bồi dưỡng năm {survey.year} của {survey.centre.name}: "
                    f"{_days_text(survey.deadline, today)}; đơn vị chưa trả lời."
                ),
                link=_link(lambda s=survey: answer_link(s), fallback="/khao-sat/"),
                key=f"survey:{survey.pk}:deadline",
            )
        )
    return reminders


def absence_reminders(today: datetime.date) -> list[Reminder]:
    """One warning per enrolment of a running class that has used 75 % of the absence limit.

    One query: the enrolments with an absence, of running classes, with the figures the rule
    needs; the rule itself is applied in Python with Decimal (DESIGN §3). The notice names
    neither the person nor their figures (it is mailed, and shown to whoever opens the page): it
    says a class has someone near the limit and links to the unit's page, where the liaison sees
    who once signed in.
    """
    rows = (
        Enrolment.objects.filter(
            course__status__in=RUNNING,
            unit__isnull=False,
            absent_periods__gt=0,
        )
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("course")
        .only(
            "id",
            "unit_id",
            "absent_periods",
            "scheduled_periods",
            "course__id",
            "course__code",
            "course__name",
            "course__absence_limit_percent",
        )
        .order_by("course_id", "id")
    )
    reminders = []
    for enrolment in rows:
        course = enrolment.course
        limit = course.absence_limit_percent
        if not near_absence_limit(
            absent_periods=enrolment.absent_periods,
            scheduled_periods=enrolment.scheduled_periods,
            limit_percent=limit,
        ):
            continue
        reminders.append(
            Reminder(
                unit_id=enrolment.unit_id,
                kind=NotificationKind.ABSENCE_WARNING,
                title=(
                    f"1 học viên lớp {course.code} – {course.name} đã vắng gần mức tối đa "
                    f"({_percent(limit)}% số tiết); xem trang đơn vị. Vắng quá mức sẽ không đủ "
                    "điều kiện dự kiểm tra cuối khóa nếu không học bù."
                ),
                link=_link(
                    lambda u=enrolment.unit_id: reverse("donvi:unit_page", args=[u]),
                    fallback=UNIT_PAGE_FALLBACK,
                ),
                key=f"enrolment:{enrolment.pk}:absence",
            )
        )
    return reminders


def notice_ready_reminders(today: datetime.date) -> list[Reminder]:
    """Each unit that sent people to a class closed in the last 30 days: its result notice is
    ready. The unit is the one recorded on the enrolment, as on the unit's page: a person the
    enrolment names no unit for was not sent by anyone, whatever unit they work in now."""
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=NOTICE_READY_DAYS), datetime.time.min
        )
    )
    closed_recently = CourseStatusChange.objects.filter(
        new_status=CourseStatus.CLOSED, created_at__gte=since
    ).values("course_id")
    rows = (
        Enrolment.objects.filter(course__status=CourseStatus.CLOSED, course_id__in=closed_recently)
        .filter(unit__isnull=False)
        .values_list("course_id", "course__code", "course__name", "unit_id")
        .order_by("course_id", "unit_id")
        .distinct()
    )
    unit_page = _link(lambda: reverse("donvi:home"), fallback=UNIT_PAGE_FALLBACK)
    return [
        Reminder(
            unit_id=unit_id,
            kind=NotificationKind.NOTICE_READY,
            title=(
                f"Đã có thông báo kết quả học tập lớp {code} – {name}: tải về tại trang của đơn vị."
            ),
            link=unit_page,
            key=f"course:{course_id}:notice",
        )
        for course_id, code, name, unit_id in rows
    ]


def followup_due_reminders(today: datetime.date) -> list[Reminder]:
    """Each unit asked by a follow-up that became due in the last 30 days (so the first run
    after an upgrade does not announce every past class) and still has someone unanswered, not
    closed by staff. Three queries: the centres, their delays, then the classes and units."""
    centre_ids = list(Centre.objects.values_list("pk", flat=True))
    delay_of = delays(centre_ids)
    # Classes due today and not due 30 days ago, per centre's delay.
    earlier = today - datetime.timedelta(days=NOTICE_READY_DAYS)
    rows = (
        Enrolment.objects.filter(ASKED, followup_answer__isnull=True)
        .filter(course__followup_closure__isnull=True)
        .values_list(
            "course_id",
            "course__code",
            "course__name",
            "course__end_date",
            "course__centre_id",
            "unit_id",
        )
        .order_by("course_id", "unit_id")
        .distinct()
    )
    rows = rows.filter(due_filter(centre_ids, today, prefix="course__", known=delay_of))
    reminders = []
    for course_id, code, name, end_date, centre_id, unit_id in rows:
        due_on = add_months(end_date, delay_of.get(centre_id, DEFAULT_DELAY_MONTHS))
        if due_on <= earlier:
            continue
        reminders.append(
            Reminder(
                unit_id=unit_id,
                kind=NotificationKind.FOLLOWUP_DUE,
                title=(
                    f"Đến hạn đánh giá hiệu quả sau đào tạo lớp {code} – {name}: đơn vị cho biết "
                    "học viên đã cử đi học vận dụng kiến thức thế nào."
                ),
                link=_link(
                    lambda c=course_id, u=unit_id: reverse("hieuqua:unit_answer", args=[c, u]),
                    fallback=UNIT_PAGE_FALLBACK,
                ),
                key=f"course:{course_id}:followup",
            )
        )
    return reminders


def reminders_due(today: datetime.date) -> list[Reminder]:
    return [
        *call_deadline_reminders(today),
        *survey_deadline_reminders(today),
        *absence_reminders(today),
        *notice_ready_reminders(today),
        *followup_due_reminders(today),
    ]


def unit_reminders(*, today: datetime.date | None = None) -> RemindersOutcome:
    """Give every notice due today that was not given before."""
    today = today or timezone.localdate()
    due = reminders_due(today)
    outcome = RemindersOutcome()
    if not due:
        return outcome
    given = set(
        Notification.objects.filter(
            unit_id__in={r.unit_id for r in due}, key__in={r.key for r in due}
        ).values_list("unit_id", "key")
    )
    new = [r for r in due if (r.unit_id, r.key) not in given]
    outcome.already = len(due) - len(new)
    units = Unit.objects.select_related("centre").in_bulk({r.unit_id for r in new})
    for reminder in new:
        found = notify(
            units[reminder.unit_id],
            kind=reminder.kind,
            title=reminder.title,
            link=reminder.link,
            key=reminder.key,
        )
        if found is not None:
            outcome.given[reminder.kind] += 1
        else:
            outcome.already += 1
    return outcome

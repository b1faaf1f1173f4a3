"""Which topics have an approved lesson plan (their own, or one reused from an earlier class) and
which sessions of the next 14 days lack one. Each function runs a fixed number of queries,
whatever the number of topics or sessions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from lophoc.models import CourseStatus, Session, Topic
from lophoc.timetable import sessions_in_order

from .models import LessonPlan, PlanStatus, title_key

WINDOW_DAYS = 14  # today .. today + 13


@dataclass(frozen=True)
class Coverage:
    plan: LessonPlan | None  # the topic's own plan, whatever its status
    reused: LessonPlan | None  # an approved plan of an earlier class that covers this topic

    @property
    def approved(self) -> bool:
        return (self.plan is not None and self.plan.status == PlanStatus.APPROVED) or (
            self.reused is not None
        )

    @property
    def status_label(self) -> str:
        if self.plan is not None and self.plan.status == PlanStatus.APPROVED:
            return PlanStatus.APPROVED.label
        if self.reused is not None:
            return f"Dùng giáo án đã duyệt của lớp {self.reused.topic.course.code}"
        if self.plan is None:
            return "Chưa có giáo án"
        return self.plan.get_status_display()

    @property
    def status_code(self) -> str:
        if self.approved:
            return PlanStatus.APPROVED
        return self.plan.status if self.plan is not None else "missing"


def window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today, today + datetime.timedelta(days=WINDOW_DAYS - 1)


def topics_with_plans(course) -> list[Topic]:
    """The class's topics with their plan and its latest version: one query."""
    topics = list(course.topics.select_related("lesson_plan__latest").order_by("order", "pk"))
    for topic in topics:
        topic.course = course
    return topics


def plan_of(topic: Topic) -> LessonPlan | None:
    try:
        return topic.lesson_plan
    except LessonPlan.DoesNotExist:
        return None


def topic_coverage(topics: Iterable[Topic], *, plans_loaded: bool = False) -> dict[int, Coverage]:
    """{topic id: Coverage} for topics whose `course` is loaded: two queries (one when the plans
    were loaded with the topics, `topics_with_plans`; none without topics). A reused plan comes
    from another class of the same program and centre that started earlier, whose centre has
    chosen to reuse plans; the most recent such class wins."""
    topics = list(topics)
    if not topics:
        return {}
    if plans_loaded:
        own = {topic.pk: plan for topic in topics if (plan := plan_of(topic)) is not None}
    else:
        own = {plan.topic_id: plan for plan in LessonPlan.objects.filter(topic__in=topics)}
    keys = {title_key(topic.title) for topic in topics}
    programs = {topic.course.program_id for topic in topics}
    sources: dict[tuple[int, str], list[LessonPlan]] = {}
    for plan in (
        LessonPlan.objects.filter(
            status=PlanStatus.APPROVED,
            reusable=True,
            program_id__in=programs,
            title_key__in=keys,
            topic__course__centre__lesson_plan_settings__reuse_approved=True,
        )
        .exclude(topic__course__status=CourseStatus.CANCELLED)
        .select_related("topic__course")
        .order_by("-topic__course__start_date", "-pk")
    ):
        sources.setdefault((plan.program_id, plan.title_key), []).append(plan)
    answer = {}
    for topic in topics:
        reused = None
        own_plan = own.get(topic.pk)
        if own_plan is None or own_plan.status != PlanStatus.APPROVED:
            for source in sources.get((topic.course.program_id, title_key(topic.title)), []):
                earlier = source.topic.course
                if (
                    earlier.pk != topic.course_id
                    and earlier.centre_id == topic.course.centre_id
                    and earlier.start_date <= topic.course.start_date
                ):
                    reused = source
                    break
        answer[topic.pk] = Coverage(plan=own_plan, reused=reused)
    return answer


def upcoming_sessions(sessions: QuerySet, today: datetime.date) -> QuerySet:
    """The sessions of the next 14 days with a topic, of classes not cancelled."""
    first, last = window(today)
    return sessions_in_order(
        sessions.filter(date__gte=first, date__lte=last, topic__isnull=False)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "topic", "lecturer")
    )


def missing_sessions(sessions: QuerySet, today: datetime.date) -> list[Session]:
    """Sessions of the next 14 days (today .. today+13) whose topic has no approved plan, own or
    reused; classes cancelled are ignored. Three queries."""
    found = list(upcoming_sessions(sessions, today))
    for session in found:
        session.topic.course = session.course  # one class object per session, no extra query
    coverage = topic_coverage({session.topic_id: session.topic for session in found}.values())
    return [session for session in found if not coverage[session.topic_id].approved]


def notes_for(sessions: Iterable[Session], today: datetime.date) -> dict[int, str]:
    """{session id: note} for the given (already loaded, with course and topic) sessions that fall
    in the next 14 days without an approved plan: two queries at most."""
    first, last = window(today)
    candidates = [
        session
        for session in sessions
        if session.topic_id is not None
        and first <= session.date <= last
        and session.course.status != CourseStatus.CANCELLED
    ]
    topics = {}
    for session in candidates:
        session.topic.course = session.course
        topics[session.topic_id] = session.topic
    coverage = topic_coverage(topics.values())
    return {
        session.pk: "Chưa có giáo án duyệt"
        for session in candidates
        if not coverage[session.topic_id].approved
    }

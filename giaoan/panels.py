"""What this app adds to the class page, the lecturer's page and the timetable (registered in
GiaoanConfig.ready()). Each answer runs a fixed number of queries."""

from django.utils import timezone

from lophoc.models import Session
from lophoc.timetable import sessions_in_order
from trungtam.hooks import Panel
from trungtam.scoping import Right, has_right

from . import coverage
from .models import LessonPlan, PlanStatus
from .plans import may_review


def course_panel(request, course) -> Panel | None:
    """Staff and the class's lecturers: topics with status and links, and the sessions of the
    next 14 days without an approved plan. Officials: counts only. Three queries (two for officials)."""
    user = request.user
    today = timezone.localdate()
    topics = coverage.topics_with_plans(course)
    cover = coverage.topic_coverage(topics, plans_loaded=True)
    approved = sum(1 for c in cover.values() if c.approved)
    if not has_right(user, Right.PEOPLE):
        if not has_right(user, Right.VIEW):
            return None
        return Panel(
            "giaoan/panel_course_counts.html",
            {"course": course, "topic_count": len(topics), "approved_count": approved},
            order=60,
        )
    sessions = list(
        sessions_in_order(
            Session.objects.filter(course=course, topic__isnull=False).select_related("lecturer")
        )
    )
    manage = has_right(user, Right.MANAGE)
    own = {s.topic_id for s in sessions if s.lecturer and s.lecturer.user_id == user.pk}
    first, last = coverage.window(today)
    rows = []
    for topic in topics:
        cov = cover[topic.pk]
        rows.append(
            {
                "topic": topic,
                "coverage": cov,
                "latest": cov.plan.latest if cov.plan else None,
                "may_upload": manage or topic.pk in own,
            }
        )
    missing = [
        s
        for s in sessions
        if first <= s.date <= last
        and course.status != "cancelled"
        and not cover[s.topic_id].approved
        and (manage or s.topic_id in own)
    ]
    topic_titles = {topic.pk: topic.title for topic in topics}
    for session in missing:
        session.topic_title = topic_titles.get(session.topic_id, "")
    return Panel(
        "giaoan/panel_course.html",
        {
            "course": course,
            "rows": rows if manage else [row for row in rows if row["may_upload"]],
            "missing": missing,
            "approved_count": approved,
            "topic_count": len(topics),
            "can_review": may_review(user),
            "cancelled": course.status == "cancelled",
            "window_last": last,
        },
        order=60,
    )


def lecturer_panel(request, lecturer, year) -> Panel | None:
    """The lecturer themself and staff: sessions of the next 14 days lacking an approved plan,
    and plans returned with the leader's comments. Four queries."""
    user = request.user
    if not (has_right(user, Right.MANAGE) or (lecturer.user_id and lecturer.user_id == user.pk)):
        return None
    today = timezone.localdate()
    missing = coverage.missing_sessions(Session.objects.filter(lecturer=lecturer), today)
    returned = list(
        LessonPlan.objects.filter(
            status=PlanStatus.RETURNED,
            topic__in=Session.objects.filter(lecturer=lecturer).values("topic"),
        )
        .exclude(topic__course__status="cancelled")
        .select_related("topic__course", "latest")
        .order_by("-submitted_at", "pk")[:20]
    )
    if not missing and not returned:
        return Panel(
            "giaoan/panel_lecturer.html",
            {"empty": True, "own": lecturer.user_id == user.pk},
            order=60,
        )
    return Panel(
        "giaoan/panel_lecturer.html",
        {
            "empty": False,
            "missing": missing,
            "returned": returned,
            "own": lecturer.user_id == user.pk,
            "window_last": coverage.window(today)[1],
        },
        order=60,
    )


def session_notes(sessions) -> dict[int, str]:
    """{session id: «Chưa có giáo án duyệt»} for the timetable's sessions of the next 14 days."""
    return coverage.notes_for(sessions, timezone.localdate())

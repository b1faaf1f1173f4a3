"""Layer 4: figures for the home page, read from every app for the user's scope."""

import datetime

from django.db.models import Count
from django.utils import timezone

from lophoc.models import Course, CourseStatus, Enrolment, Session
from lophoc.timetable import sessions_in_order
from trungtam.reports.figures import OPENED_STATUSES
from trungtam.scoping import visible


def home_figures(user, today: datetime.date | None = None) -> dict:
    """This year's classes by status, trainees enrolled, and the sessions of the coming week.

    The counts follow the dashboard's and the yearly report's definitions (trungtam.reports.figures):
    classes of the year without the cancelled ones; enrolments (lượt) and people (người) in the
    classes opened, i.e. taking enrolments or later."""
    today = today or timezone.localdate()
    courses = visible(user, Course.objects.all()).in_year(today.year)
    by_status = dict(courses.values_list("status").annotate(n=Count("id")).order_by())
    statuses = [
        {"status": status, "label": status.label, "count": by_status.get(status.value, 0)}
        for status in CourseStatus
    ]
    opened = courses.filter(status__in=OPENED_STATUSES)
    enrolments = visible(user, Enrolment.objects.all()).filter(course__in=opened.values("pk"))
    totals = enrolments.aggregate(enrolments=Count("id"), trainees=Count("trainee", distinct=True))
    upcoming = sessions_in_order(
        visible(user, Session.objects.all())
        .filter(date__gte=today, date__lte=today + datetime.timedelta(days=7))
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "lecturer", "topic")
    )[:15]
    return {
        "year": today.year,
        "statuses": statuses,
        "course_count": sum(
            count for status, count in by_status.items() if status != CourseStatus.CANCELLED
        ),
        "enrolment_count": totals["enrolments"],
        "trainee_count": totals["trainees"],
        "upcoming_sessions": list(upcoming),
        "today": today,
    }

"""What class observation adds to the class page and the lecturer's page (fixed queries each)."""

from django.db.models import Avg, Count
from django.utils import timezone

from dugio import observations
from dugio.models import Observation
from dugio.yearly import ObservationYear, observation_rows
from trungtam.hooks import Panel
from trungtam.scoping import Right, has_right

ORDER = 60


def course_panel(request, course) -> Panel | None:
    """Observations of the class's sessions and the sessions one may record (2 queries);
    officials get the count and the average of finalised records (1 query)."""
    user = request.user
    if user.is_unit_liaison:
        return None
    if not has_right(user, Right.PEOPLE):
        figures = (
            Observation.objects.finalised()
            .filter(session__course=course)
            .aggregate(count=Count("id"), average=Avg("total"))
        )
        return Panel(
            "dugio/panel_course.html",
            {"figures": figures, "course": course, "records": [], "recordable": []},
            ORDER,
        )
    records = list(
        observations.readable(user)
        .filter(session__course=course)
        .select_related("session", "session__topic", "lecturer", "recorded_by")
        .order_by("session__date", "session__part", "id")
    )
    recordable = []
    if observations.may_record(user):
        recordable = [
            session
            for session in course.sessions.filter(
                date__lte=timezone.localdate(), lecturer__isnull=False
            )
            .select_related("course", "lecturer", "topic")
            .order_by("-date", "part", "id")
            if observations.recording_refusal(user, session) is None
        ]
    mine = {r.session_id for r in records if r.recorded_by_id == user.pk}
    return Panel(
        "dugio/panel_course.html",
        {
            "figures": None,
            "course": course,
            "records": records,
            "recordable": [s for s in recordable if s.pk not in mine],
        },
        ORDER,
    )


def lecturer_panel(request, lecturer, year) -> Panel | None:
    """The year's observations of the lecturer: summary and (for them and staff) the list.
    One query."""
    user = request.user
    if user.is_unit_liaison:
        return None
    base = Observation.objects.filter(lecturer=lecturer).in_year(year)
    people = has_right(user, Right.PEOPLE)
    records = list(
        (observations.readable(user, base) if people else base.finalised())
        .select_related("session", "session__course", "session__topic", "lecturer", "recorded_by")
        .order_by("-session__date", "-id")
    )
    summary = ObservationYear(
        year=year, rows=observation_rows(r for r in records if r.finalised_at is not None)
    )
    return Panel(
        "dugio/panel_lecturer.html",
        {
            "lecturer": lecturer,
            "year": year,
            "summary": summary,
            "row": summary.rows[0] if summary.rows else None,
            "records": records if people else [],
        },
        ORDER,
    )

"""The follow-up's section of the class page (lophoc.panels.course_page): for a closed class,
its due date, units answered and totals. Staff get the link to the follow-up; officials the
totals only (no unit, no person); everyone else nothing. Three queries, whatever the class."""

from hieuqua import followups
from lophoc.models import CourseStatus
from trungtam.hooks import Panel
from trungtam.scoping import Right, has_right

ORDER = 60


def course_panel(request, course) -> Panel | None:
    if course.status != CourseStatus.CLOSED:
        return None
    user = request.user
    manage = has_right(user, Right.MANAGE)
    if not manage and not has_right(user, Right.REPORTS):
        return None
    follow_up = followups.course_followup(course)
    if not follow_up.units:
        return None
    return Panel("hieuqua/panel.html", {"follow_up": follow_up, "manage": manage}, order=ORDER)

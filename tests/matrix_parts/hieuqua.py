"""The permission matrix's rows for the hieuqua app (see tests/matrix_parts/__init__.py)."""

import datetime

from hieuqua.followups import subtract_months
from lophoc.models import CourseStatus
from tests import builders
from tests.permission_matrix import MANAGE_OBJECT, MANAGE_PAGE, POST_ONLY, Row


def _followup(w):
    return {"pk": w.extra["followup_course"].pk}


def _answer(w):
    return {"pk": w.extra["followup_course"].pk, "unit_id": w.extra["followup_unit"].pk}


ROWS: dict = {
    "hieuqua:followup_list": Row(MANAGE_PAGE),
    "hieuqua:settings": Row(MANAGE_PAGE, post="login 403 403 200 200 200 403"),
    "hieuqua:course": Row(MANAGE_OBJECT, _followup),
    # Close or reopen: a POST from the class's follow-up page, back to it.
    "hieuqua:course_close": Row(
        POST_ONLY,
        _followup,
        post="login 403 403 404 302 302 403",
        unit="405",
        unit_post="403",
    ),
    # The unit's answer: its liaison, or staff typing the unit's letter (an empty POST shows the
    # form again with its errors).
    "hieuqua:unit_answer": Row(
        MANAGE_OBJECT, _answer, post="login 403 403 404 200 200 403", unit="200", unit_post="200"
    ),
}


def build(world) -> dict:
    """A class closed four months ago, with the world's unit among the sending units."""
    from django.utils import timezone

    end = subtract_months(timezone.localdate(), 4)
    course = builders.make_course(
        world.centre,
        status=CourseStatus.CLOSED,
        start_date=end - datetime.timedelta(days=4),
        end_date=end,
    )
    builders.make_enrolment(course, trainee=world.trainee, unit=world.unit, passed=True)
    return {"followup_course": course, "followup_unit": world.unit}


def demo_extra(world) -> dict:
    """The demo's follow-up class and the liaison's unit with people in it, still to answer
    (trungtam/devtools/demo/quality_hieuqua.py)."""
    from trungtam.devtools.demo.quality_hieuqua import demo_followup

    picked = demo_followup(world.centre)
    if picked is None or picked[1] is None:
        return {}
    course, unit = picked
    return {"followup_course": course, "followup_unit": unit}

"""The permission matrix's rows for the giaoan app (see tests/matrix_parts/__init__.py)."""

import datetime

from giaoan.models import LessonPlanVersion
from giaoan.plans import version_upload
from lophoc.models import Session, Topic
from tests import builders
from tests.permission_matrix import MANAGE_PAGE, POST_ONLY, Row, course
from trungtam.devtools.demo.quality_giaoan import sample_pdf


def topic(w):
    return {"pk": w.extra["giaoan_topic"].pk}


def version(w):
    return {"pk": w.extra["giaoan_version"].pk}


def plan(w):
    return {"pk": w.extra["giaoan_version"].plan_id}


ROWS: dict = {
    # A class's plans: its lecturers (their own topics) and staff; officials read no plan.
    "giaoan:course_plans": Row("login 200 403 404 200 200 403", course, unit="404"),
    # Upload: the topic's lecturer, or staff on a lecturer's behalf; an empty POST is refused
    # on the page (200).
    "giaoan:upload": Row(
        "login 200 403 404 200 200 403", topic, post="login 200 403 404 200 200 403", unit="404"
    ),
    # Review: leaders only (the admin; plain staff are not leaders); an empty POST: form errors.
    "giaoan:review": Row(
        "login 403 403 404 403 200 403", version, post="login 403 403 404 403 200 403", unit="404"
    ),
    "giaoan:download": Row("login 200 403 404 200 200 403", version, unit="404"),
    # POST only; an empty POST asks to stop a mark that is not set: nothing changes.
    "giaoan:reusable": Row(
        POST_ONLY, plan, post="login 403 403 404 403 302 403", unit="405", unit_post="404"
    ),
    "giaoan:queue": Row(MANAGE_PAGE),
    # Staff read the setting, leaders change it (an empty POST keeps «off»: nothing written).
    "giaoan:settings": Row(MANAGE_PAGE, post="login 403 403 403 403 302 403"),
}


def build(world) -> dict:
    """A topic of the class taught by the lecturer (a session tomorrow) and a waiting plan."""
    taught = Topic.objects.create(course=world.course, order=1, title="Chuyên đề 1", periods=4)
    builders.make_session(
        world.course,
        date=world.session.date + datetime.timedelta(days=1),
        topic=taught,
        lecturer=world.lecturer,
    )
    waiting = version_upload(
        topic=taught,
        content=sample_pdf(world.centre, taught.title),
        filename="giao-an.pdf",
        user=world.users["lecturer"],
        lecturer=world.lecturer,
    )
    return {"giaoan_topic": taught, "giaoan_version": waiting}


def demo_extra(world) -> dict:
    """In the demo: a topic of the class in progress that the demo lecturer teaches, and the
    latest version of its plan."""
    sessions = Session.objects.filter(
        course=world.course, lecturer=world.lecturer, topic__lesson_plan__isnull=False
    ).order_by("date", "pk")
    taught = sessions.first().topic
    latest = LessonPlanVersion.objects.filter(plan__topic=taught).order_by("-number").first()
    return {"giaoan_topic": taught, "giaoan_version": latest}

"""Every page of every role, on the demo world: the sweeps at 360 px and with axe (issue 14).

The URLs come from the URLconf through the permission matrix (tests/permission_matrix.py), so
a new view is swept as soon as the matrix knows it. Its ids are those of `seed_demo --scale small`
(real names, full timetables, certificates). A role sweeps each URL that answers it 200 with an
HTML page, plus the 403 and 404 pages it meets; downloads (PDF, XLSX, calendar feed) and POST-only
URLs are left out, and so is the Django admin (/quan-tri/, Django's own screens). The pages the
matrix promises a role must all be among them, so a page cannot drop out of the sweep unnoticed.
"""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chieusinh.models import Call
from giangvien.models import Lecturer
from hocvien.models import UnitAccount
from khaosat.models import Survey
from lophoc.models import Assessment, Certificate, CertificateStatus, Course, CourseStatus
from tests import matrix_parts
from tests import permission_matrix as matrix
from trungtam.models import Centre, User
from trungtam.reports.models import AnnualPlan, PlanStatus

# The roles swept, each with its demo account (trungtam/devtools/demo/accounts.py) and its matrix
# column.
ROLES = {
    "anonymous": (None, "anonymous"),
    "admin": ("admin", "admin"),
    "staff": ("canbo", "staff"),
    "lecturer": ("giangvien", "lecturer"),
    "official": ("capuy", "official"),
    "province": ("tinh", "province"),
    "unit": ("donvi", "unit"),
}


DOWNLOADS = (".pdf", ".xlsx", ".ics")


@dataclass(frozen=True)
class Page:
    name: str  # the URL name
    url: str  # path and query


def demo_world() -> matrix.World:
    """Seed the small demo and pick, in its first centre, the objects the matrix's URLs need."""
    call_command("seed_demo", "--scale", "small", verbosity=0, stdout=io.StringIO())
    centre = Centre.objects.get(code="PL")
    lecturer = Lecturer.objects.get(user__username="giangvien")
    in_centre = Course.objects.filter(centre=centre)
    course = (
        in_centre.filter(status=CourseStatus.IN_PROGRESS, sessions__lecturer=lecturer)
        .order_by("pk")
        .first()
    )
    closed = (
        in_centre.filter(status=CourseStatus.CLOSED, certificates__status=CertificateStatus.VALID)
        .distinct()
        .order_by("-start_date", "pk")
        .first()
    )
    enrolment = course.enrolments.order_by("pk").first()
    # Staff send back a submitted assessment (nộp điểm): one of the class being graded.
    submitted = (
        Assessment.objects.filter(course__centre=centre, course__status=CourseStatus.GRADING)
        .order_by("pk")
        .first()
    )
    staff = User.objects.get(username="canbo")
    Assessment.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now(), submitted_by=staff
    )
    submitted.refresh_from_db()
    # Not in the demo: a draft plan for next year (the demo's plans are approved).
    year = datetime.date.today().year
    draft_plan = AnnualPlan.objects.create(centre=centre, year=year + 1)
    # The demo's liaison (issue 16): its unit is the world's unit, asked by the demo's call and
    # survey; a closed class it sent people to.
    account = UnitAccount.objects.select_related("unit").get(user__username="donvi")
    unit_closed = (
        in_centre.filter(status=CourseStatus.CLOSED, enrolments__unit=account.unit)
        .order_by("-start_date", "pk")
        .first()
    ) or closed
    world = matrix.World(
        users={
            column: (User.objects.get(username=name) if name else None)
            for name, column in ROLES.values()
        },
        centre=centre,
        other_centre=Centre.objects.exclude(pk=centre.pk).first(),
        course=course,
        closed=closed,
        session=course.sessions.filter(lecturer=lecturer).order_by("date", "pk").first(),
        enrolment=enrolment,
        assessment=course.assessments.order_by("pk").first(),
        submitted=submitted,
        certificate=Certificate.objects.filter(course=closed, status=CertificateStatus.VALID)
        .order_by("pk")
        .first(),
        trainee=enrolment.trainee,
        unit=account.unit,
        lecturer=lecturer,
        extra={
            "unit_account": account,
            "unit_closed": unit_closed,
            "call": Call.objects.filter(centre=centre).order_by("pk").first(),
            "survey": Survey.objects.filter(centre=centre).order_by("pk").first(),
            "draft_plan": draft_plan,
            "approved_plan": AnnualPlan.objects.filter(centre=centre, status=PlanStatus.APPROVED)
            .order_by("-year")
            .first(),
        },
    )
    # The apps of issue 17 pick their objects from the demo (tests/matrix_parts).
    for part in matrix_parts.parts():
        world.extra.update(part.demo_extra(world))
    return world


def is_html_page(response) -> bool:
    return (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and "attachment" not in response.get("Content-Disposition", "")
    )


def pages_by_role(world: matrix.World) -> dict[str, list[Page]]:
    """For each role, the HTML pages it can open (asked of Django's test client, which is fast)."""
    year = matrix.YEAR
    today = datetime.date.today().year
    result = {}
    missing = []
    for role, (_, column) in ROLES.items():
        client = Client()
        if world.users[column] is not None:
            client.force_login(world.users[column])
        pages = []
        errors = {}
        for name in matrix.url_names():
            row = matrix.TABLE.get(name)
            if row is None:  # tests/test_permission_matrix.py fails for it and says what to do
                continue
            kwargs = row.kwargs(world)
            if kwargs.get("year") == year:
                kwargs["year"] = today  # the demo's classes and reports are this year's
            url = reverse(name, kwargs=kwargs) + row.query
            response = client.get(url)
            if is_html_page(response):
                pages.append(Page(name, url))
            elif response.status_code in (403, 404) and str(response.status_code) not in errors:
                # The refusal pages, as this role meets them (once each).
                errors[str(response.status_code)] = Page(str(response.status_code), url)
            if (
                not is_html_page(response)
                and row.answers("get")[column] == "200"
                and response.status_code != 200
                and not url.endswith(DOWNLOADS)
            ):
                missing.append(f"{role} {name} {url}: {response.status_code}")
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        result[role] = pages + list(errors.values())
    assert not missing, "pages the permission matrix opens were not swept:\n" + "\n".join(missing)
    return result


def sign_in(context, live_server, user) -> None:
    """Put a signed-in session in the browser context, without the login form and its throttle."""
    if user is None:
        return
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

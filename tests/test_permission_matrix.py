"""The permission matrix: every URL of the project, requested as every role (DESIGN §7).

The URL names come from the URLconf, so a new view cannot be forgotten: a name missing from
TABLE fails `test_every_url` with a message saying to add it. For each name the table says what
each role gets on GET:

    login  redirected to the login page            403  inside the scope, without the right
    200    the page (or the download)              404  outside the scope: it does not exist
    302    redirected elsewhere (state, own page)  405  the view only takes POST

Roles: anonymous; the lecturer who teaches the class; the committee official of the centre;
staff of another centre; staff of the centre; the centre's admin; a province official (reads
every centre). The objects requested belong to the first centre. For every URL, GET changes
nothing in the database; a role refused on GET is refused the same way on POST (or as the row's
`post` says) and its POST changes nothing; a POST without CSRF token is refused (403).
The Django admin (/quan-tri/) is checked separately at the end.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from lophoc.certificates import certificates_issue
from lophoc.models import Certificate, CourseStatus
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import AnnualPlan, ExportLog, PlanStatus, PlanTarget, Role

ROLES = ("anonymous", "lecturer", "official", "other_staff", "staff", "admin", "province")
ANSWERS = {"login", "200", "302", "403", "404", "405", "-"}
DENIALS = {"login", "403", "404"}
ADMIN_NAMESPACE = "admin"
YEAR = ISSUED_ON.year  # the year of the classes, plans and reports requested


# --- the world every URL is requested in -------------------------------------------------------


@dataclass
class World:
    users: dict
    centre: object
    other_centre: object
    course: object  # in progress, taught by the lecturer
    closed: object  # closed, with a valid certificate, taught by the lecturer too
    session: object
    enrolment: object
    assessment: object  # assigned to the lecturer, not submitted
    submitted: object  # submitted (nộp điểm), so staff can send it back
    certificate: object
    trainee: object
    unit: object
    lecturer: object
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    centre = builders.make_centre(code="TTA", name="Trung tâm Chính trị phường Phú Lợi")
    other_centre = builders.make_centre(code="TTB", name="Trung tâm Chính trị xã Bình Mỹ")
    staff = builders.make_user(role=Role.STAFF, centre=centre, username="canbo")
    users = {
        "anonymous": None,
        "lecturer": builders.make_user(role=Role.LECTURER, centre=centre, username="giangvien"),
        "official": builders.make_user(role=Role.OFFICIAL, centre=centre, username="capuy"),
        "other_staff": builders.make_user(
            role=Role.STAFF, centre=other_centre, username="canbo_khac"
        ),
        "staff": staff,
        "admin": builders.make_user(role=Role.ADMIN, centre=centre, username="quantri"),
        "province": builders.make_user(role=Role.OFFICIAL, centre=None, username="tinh"),
    }
    lecturer = builders.make_lecturer(centre, user=users["lecturer"], full_name="Lê Thị Hồng")
    leader = make_leader(centre, full_name="Trần Văn Giám")
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    trainee = builders.make_trainee(centre, unit=unit, full_name="Nguyễn Văn An")
    builders.make_trainee(centre, unit=unit, full_name="Nguyen Van An")  # a likely duplicate

    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    # A session that has taken place: attendance is taken from the session's day on.
    held_on = min(course.start_date, timezone.localdate() - datetime.timedelta(days=1))
    session = builders.make_session(course, date=held_on, lecturer=lecturer, room="Hội trường A")
    enrolment = builders.make_enrolment(course, trainee=trainee, unit=unit)
    assessment = builders.make_assessment(course, grader=lecturer)
    submitted = builders.make_assessment(
        course,
        name="Bài kiểm tra giữa khóa",
        is_final=False,
        order=2,
        submitted_at=timezone.now(),
        submitted_by=staff,
    )
    builders.make_score(enrolment, assessment, "8.5")
    builders.make_score(enrolment, submitted, "7")

    closed = closed_course(
        centre, passing=1, failing=0, not_eligible=0, start_date=datetime.date(2026, 3, 16)
    )
    builders.make_session(closed, lecturer=lecturer)
    certificates_issue(course=closed, user=staff, signer=leader, issued_on=ISSUED_ON)
    certificate = Certificate.objects.get(enrolment__course=closed)

    # The annual plan: this year's draft, last year's approved.
    draft_plan = AnnualPlan.objects.create(centre=centre, year=YEAR)
    PlanTarget.objects.create(
        plan=draft_plan, program=course.program, planned_classes=4, planned_trainees=200
    )
    approved_plan = AnnualPlan.objects.create(
        centre=centre,
        year=YEAR - 1,
        status=PlanStatus.APPROVED,
        approved_by=users["admin"],
        approved_at=timezone.now(),
        number="12-KH/TTCT",
        issued_on=datetime.date(YEAR - 1, 1, 10),
    )

    # The province-level body that issues the all-centres report.
    builders.make_report_issuer()

    # The other centre has its own records, never reachable from the first centre.
    other_course = builders.make_course(other_centre, status=CourseStatus.IN_PROGRESS)
    builders.make_enrolment(other_course)
    return World(
        users=users,
        centre=centre,
        other_centre=other_centre,
        course=course,
        closed=closed,
        session=session,
        enrolment=enrolment,
        assessment=assessment,
        submitted=submitted,
        certificate=certificate,
        trainee=trainee,
        unit=unit,
        lecturer=lecturer,
        extra={"draft_plan": draft_plan, "approved_plan": approved_plan},
    )


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    get: str  # one answer per role, in the order of ROLES
    kwargs: Callable[[World], dict] = lambda w: {}
    post: str | None = None  # answers to an empty POST ("-": not tried); None: the GET denials
    query: str = ""

    def answers(self, which: str) -> dict[str, str]:
        words = (self.get if which == "get" else self.post).split()
        assert len(words) == len(ROLES) and set(words) <= ANSWERS, f"bad row: {words}"
        return dict(zip(ROLES, words, strict=True))

    def post_answers(self) -> dict[str, set[str]]:
        """What each role may get on POST; a role refused on GET is refused on POST too, the
        same way, or with 405 by a view that takes no POST."""
        if self.post is not None:
            return {role: {a} for role, a in self.answers("post").items()}
        return {
            role: ({a, "405"} if a in DENIALS else {"-"}) for role, a in self.answers("get").items()
        }


def course(w):
    return {"pk": w.course.pk}


def closed(w):
    return {"pk": w.closed.pk}


def session(w):
    return {"pk": w.session.pk}


def certificate(w):
    return {"pk": w.certificate.pk}


def lecturer(w):
    return {"pk": w.lecturer.pk}


def trainee(w):
    return {"pk": w.trainee.pk}


def unit(w):
    return {"pk": w.unit.pk}


POST_ONLY = "login 405 405 405 405 405 405"
PUBLIC = "200 200 200 200 200 200 200"
SIGNED_IN = "login 200 200 200 200 200 200"
# A page of one object for those who manage the centre (staff, admin); officials only read.
MANAGE_OBJECT = "login 403 403 404 200 200 403"
# A page without an object for those who manage: staff of any centre work on their own centre.
MANAGE_PAGE = "login 403 403 200 200 200 403"
# Reports (Right.REPORTS): staff, admins and officials; lecturers get 403.
REPORTS_PAGE = "login 403 200 200 200 200 200"
REPORTS_OBJECT = "login 403 200 404 200 200 200"
# Approving (plans, sending the yearly report): admins and centre leaders, not plain staff.
APPROVE_OBJECT = "login 403 403 404 403 200 403"


def plan(w):
    return {"pk": w.extra["draft_plan"].pk}


def centre_year(w):
    return {"centre_id": w.centre.pk, "year": YEAR}


#            anonymous lecturer official other_staff staff admin province
TABLE: dict[str, Row] = {
    # --- base pages
    "home": Row(SIGNED_IN),
    "login": Row("200 302 302 302 302 302 302"),  # signed in: straight home
    "logout": Row("405 405 405 405 405 405 405"),  # POST only: a link cannot sign anyone out
    "password_change": Row(SIGNED_IN),
    "password_change_done": Row(SIGNED_IN),
    # The public certificate check and the lecturer's calendar feed (secret token): no login.
    "verify": Row(PUBLIC),
    "verify_code": Row(PUBLIC, lambda w: {"code": w.certificate.verification_code}),
    "lophoc:calendar_feed": Row(PUBLIC, lambda w: {"token": w.lecturer.calendar_token}),
    # --- classes
    "lophoc:course_list": Row(SIGNED_IN),
    "lophoc:course_create": Row(MANAGE_PAGE),
    # Officials get the class in figures only (lophoc/course_figures.html), never its people.
    "lophoc:course_detail": Row("login 200 200 404 200 200 200", course),
    "lophoc:course_edit": Row(MANAGE_OBJECT, course),
    "lophoc:course_topics": Row(MANAGE_OBJECT, course),
    "lophoc:course_assessments": Row(MANAGE_OBJECT, course),
    "lophoc:course_transition": Row(POST_ONLY, course, post="login 403 403 404 - - 403"),
    "lophoc:course_transition_confirm": Row(
        MANAGE_OBJECT, lambda w: {"pk": w.course.pk, "target": CourseStatus.GRADING}
    ),
    "lophoc:enrolment_add": Row(MANAGE_OBJECT, course),
    "lophoc:enrolment_withdraw": Row(MANAGE_OBJECT, lambda w: {"pk": w.enrolment.pk}),
    # --- timetable and attendance
    "lophoc:session_create": Row(MANAGE_OBJECT, course),
    "lophoc:session_edit": Row(MANAGE_OBJECT, session),
    "lophoc:session_delete": Row(MANAGE_OBJECT, session),  # GET: the confirmation page
    "lophoc:timetable_bulk": Row(MANAGE_OBJECT, course),
    "lophoc:my_timetable": Row(SIGNED_IN),  # an empty page for those who do not teach
    # Another lecturer's timetable is for staff; the lecturer's own address leads to their page.
    "lophoc:lecturer_timetable": Row("login 302 403 404 200 200 403", lecturer),
    "lophoc:calendar_rotate": Row(POST_ONLY, lecturer, post="login - 403 404 - - 403"),
    # The lecturer takes attendance of the sessions they teach; officials only read.
    "lophoc:attendance_edit": Row("login 200 403 404 200 200 403", session),
    # --- nominee import and documents (right to import and export)
    "lophoc:import_upload": Row(MANAGE_OBJECT, course),
    # Nothing waiting for a preview: back to the upload.
    "lophoc:import_preview": Row("login 403 403 404 302 302 403", course),
    "lophoc:import_confirm": Row(POST_ONLY, course, post="login 403 403 404 - - 403"),
    "lophoc:import_cancel": Row(POST_ONLY, course, post="login 403 403 404 - - 403"),
    "lophoc:import_template": Row(MANAGE_PAGE),
    "lophoc:course_document": Row(
        MANAGE_OBJECT, lambda w: {"pk": w.course.pk, "document": "enrolment", "fmt": "pdf"}
    ),
    # --- grades: lecturers grade the classes they teach; officials read figures, never the grid
    "lophoc:grade_grid": Row(
        "login 200 403 404 200 200 403", course, post="login - 403 404 - - 403"
    ),
    "lophoc:grade_submit_confirm": Row("login 200 403 404 200 200 403", course),
    "lophoc:grade_submit": Row(POST_ONLY, course, post="login - 403 404 - - 403"),
    "lophoc:grade_history": Row("login 200 403 404 200 200 403", course),
    "lophoc:grade_return_confirm": Row(MANAGE_OBJECT, lambda w: {"pk": w.submitted.pk}),
    "lophoc:grade_return": Row(
        POST_ONLY, lambda w: {"pk": w.submitted.pk}, post="login 403 403 404 - - 403"
    ),
    "lophoc:grading_overview": Row(MANAGE_PAGE),
    "lophoc:grade_sheet_download": Row("login 200 403 404 200 200 403", course),
    "lophoc:grade_sheet_upload": Row("login 200 403 404 200 200 403", course),
    # Nothing waiting for a preview: back to the upload.
    "lophoc:grade_sheet_preview": Row("login 302 403 404 302 302 403", course),
    "lophoc:grade_sheet_confirm": Row(POST_ONLY, course, post="login - 403 404 - - 403"),
    "lophoc:grade_sheet_cancel": Row(POST_ONLY, course, post="login - 403 404 - - 403"),
    # --- certificates (right to close: staff, admin)
    "lophoc:certificate_register": Row(MANAGE_PAGE),
    "lophoc:certificate_register_download": Row(
        MANAGE_PAGE, lambda w: {"year": YEAR, "fmt": "pdf"}
    ),
    "lophoc:course_certificates_issue": Row(POST_ONLY, closed, post="login 403 403 404 - - 403"),
    "lophoc:course_certificates_pdf": Row(MANAGE_OBJECT, closed),
    "lophoc:certificate_void": Row(MANAGE_OBJECT, certificate),
    "lophoc:certificate_reissue": Row(MANAGE_OBJECT, certificate),
    "lophoc:certificate_layout": Row(MANAGE_PAGE),
    "lophoc:certificate_calibration": Row(MANAGE_PAGE),
    "lophoc:certificate_sample": Row(MANAGE_PAGE),
    # --- trainees and units: personal data, only for those who manage them
    "hocvien:trainee_list": Row(MANAGE_PAGE),
    "hocvien:trainee_create": Row(MANAGE_PAGE),
    "hocvien:trainee_detail": Row(MANAGE_OBJECT, trainee),
    "hocvien:trainee_edit": Row(MANAGE_OBJECT, trainee),
    "hocvien:trainee_merge": Row(MANAGE_OBJECT, trainee),
    "hocvien:trainee_export": Row(MANAGE_OBJECT, trainee),
    "lophoc:trainee_history_pdf": Row(MANAGE_OBJECT, trainee),  # quá trình bồi dưỡng, logged
    "hocvien:trainee_delete": Row(MANAGE_OBJECT, trainee),  # GET: the confirmation page
    "hocvien:unit_list": Row(MANAGE_PAGE),
    "hocvien:unit_create": Row(MANAGE_PAGE),
    "hocvien:unit_detail": Row(MANAGE_OBJECT, unit),
    "hocvien:unit_edit": Row(MANAGE_OBJECT, unit),
    "hocvien:unit_merge": Row(MANAGE_OBJECT, unit),
    # --- lecturers: a lecturer opens their own page, changes nothing
    "giangvien:lecturer_list": Row(MANAGE_PAGE),
    "giangvien:lecturer_create": Row(MANAGE_PAGE),
    "giangvien:lecturer_detail": Row("login 200 403 404 200 200 403", lecturer),
    "giangvien:lecturer_edit": Row(MANAGE_OBJECT, lecturer),
    "giangvien:lecturer_account": Row(POST_ONLY, lecturer, post="login 403 403 404 - - 403"),
    # --- the annual plan: read with the right to reports, written by those who manage,
    # approved and amended by admins and centre leaders
    "reports:plan_list": Row(REPORTS_PAGE),
    "reports:plan_create": Row(MANAGE_PAGE),
    "reports:plan_detail": Row("login 403 200 404 200 200 200", plan),
    "reports:plan_edit": Row(MANAGE_OBJECT, plan),
    "reports:plan_texts": Row(MANAGE_OBJECT, plan),
    "reports:plan_approve": Row(APPROVE_OBJECT, plan),
    "reports:plan_amend": Row(APPROVE_OBJECT, lambda w: {"pk": w.extra["approved_plan"].pk}),
    "reports:plan_pdf": Row("login 403 200 404 200 200 200", plan),
    "reports:plan_xlsx": Row("login 403 200 404 200 200 200", plan),
    # --- dashboard, yearly report, lecturer hours (right to reports)
    "reports:dashboard": Row(REPORTS_PAGE),
    "reports:yearly_list": Row(REPORTS_PAGE),
    "reports:yearly_detail": Row(REPORTS_OBJECT, centre_year, post="login 403 403 404 - - 403"),
    "reports:yearly_send": Row(APPROVE_OBJECT, centre_year),
    "reports:yearly_pdf": Row(REPORTS_OBJECT, centre_year),
    "reports:yearly_xlsx": Row(REPORTS_OBJECT, centre_year),
    # The report of all centres: only for those who see several centres.
    # The all-centres report: only where the scope holds several centres; province officials
    # read it, admins who see every centre (none among these roles) edit and send it.
    "reports:yearly_all_detail": Row(
        "login 403 404 404 404 404 200",
        lambda w: {"year": YEAR},
        post="login 403 404 404 404 404 403",
    ),
    "reports:yearly_all_send": Row("login 403 404 404 404 404 403", lambda w: {"year": YEAR}),
    "reports:yearly_all_pdf": Row("login 403 404 404 404 404 200", lambda w: {"year": YEAR}),
    "reports:yearly_all_xlsx": Row("login 403 404 404 404 404 200", lambda w: {"year": YEAR}),
    "reports:hours": Row(REPORTS_PAGE),  # several centres: the page to choose one
    "reports:hours_pdf": Row(REPORTS_OBJECT, centre_year),
    "reports:hours_xlsx": Row(REPORTS_OBJECT, centre_year),
    # A lecturer's own hours: nobody else has any.
    "reports:my_hours": Row("login 200 404 404 404 404 404"),
}


# --- the URLconf -------------------------------------------------------------------------------


def url_names() -> list[str]:
    """Every URL pattern of the project outside the Django admin, by its namespaced name."""
    names = []

    def walk(patterns, namespace, route):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if inner == ADMIN_NAMESPACE:
                    continue
                walk(pattern.url_patterns, inner, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                if pattern.name is None:
                    names.append(f"(unnamed) {route}{pattern.pattern}")
                else:
                    names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None, "/")
    return names


# --- helpers -----------------------------------------------------------------------------------

# Written on purpose by requests that only read: sessions, logged downloads of personal data
# (DESIGN §8b), failed certificate look-ups, login records.
NOT_FINGERPRINTED = {Session, ExportLog}
NOT_FINGERPRINTED_LABELS = {"lophoc.VerificationFailure"}
NOT_FINGERPRINTED_APPS = {"axes"}


def fingerprint() -> dict[str, list]:
    """Every row of every table the requests could change."""
    rows = {}
    for model in apps.get_models():
        if (
            model in NOT_FINGERPRINTED
            or model._meta.label in NOT_FINGERPRINTED_LABELS
            or model._meta.app_label in NOT_FINGERPRINTED_APPS
            or model._meta.proxy
        ):
            continue
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def answer(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return "login"
        return "302"
    return str(response.status_code)


def read(response) -> None:
    """Consume a streamed download: the test client closes it at the end (calling close() here
    would send request_finished, which closes the database connection mid-transaction)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


def clients(world: World, **options) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        client = Client(**options)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        result[role] = client
    return result


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole module, rolled back at its end; each test runs in a savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            # Signed in once for the module: the sessions outlive each test's savepoint.
            world.extra["clients"] = clients(world)
            world.extra["csrf_client"] = Client(enforce_csrf_checks=True)
            world.extra["csrf_client"].force_login(world.users["admin"])
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- the tests ---------------------------------------------------------------------------------


def test_the_table_names_only_existing_urls():
    stale = sorted(set(TABLE) - set(url_names()))
    assert not stale, f"TABLE names URLs that no longer exist; remove them: {stale}"


@pytest.mark.parametrize("name", url_names())
def test_every_url(name, world, db, caplog):
    if name not in TABLE:
        pytest.fail(
            f"The URL {name!r} is not in the permission matrix: add a Row for it to TABLE in "
            "tests/test_permission_matrix.py, with the answer each role must get (DESIGN §7).",
            pytrace=False,
        )
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world)) + row.query
    by_role = world.extra["clients"]
    csrf_client = world.extra["csrf_client"]
    problems = []

    before = fingerprint()
    for role, expected in row.answers("get").items():
        response = by_role[role].get(url)
        got = answer(response)
        read(response)
        if got != expected:
            problems.append(f"GET as {role}: expected {expected}, got {got}")
    changed = changed_tables(before, fingerprint())
    if changed:
        problems.append(f"GET changed the database: {changed}")

    for role, expected in row.post_answers().items():
        if expected == {"-"}:
            continue
        response = by_role[role].post(url, {})
        got = answer(response)
        read(response)
        if got not in expected:
            problems.append(f"POST as {role}: expected {' or '.join(sorted(expected))}, got {got}")

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = csrf_client.post(url, {})
    if response.status_code != 403 or not any(
        r.name == "django.security.csrf" for r in caplog.records
    ):
        problems.append(f"POST without CSRF token: expected 403, got {response.status_code}")
    changed = changed_tables(before, fingerprint())
    if changed:
        problems.append(f"a refused POST changed the database: {changed}")

    if problems:
        pytest.fail(f"{name} ({url}):\n  " + "\n  ".join(problems), pytrace=False)


# --- the Django admin --------------------------------------------------------------------------


def admin_pages() -> list[str]:
    """The admin's pages that take no object: its index and every model's list and add form."""
    names = ["admin:index"]
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        names.append(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return names


def test_the_admin_is_for_staff_and_admins_only(world, db):
    by_role = world.extra["clients"]
    login = reverse("admin:login")
    before = fingerprint()
    for name in admin_pages():
        url = reverse(name)
        for role in ("anonymous", "lecturer", "official"):
            response = by_role[role].get(url)
            assert response.status_code == 302, (name, role)
            assert response["Location"].startswith(login + "?next="), (name, role)
    for role in ("other_staff", "staff", "admin"):
        assert by_role[role].get(reverse("admin:index")).status_code == 200, role
    assert changed_tables(before, fingerprint()) == []

"""The permission matrix's data: every URL of the project, what each role gets (DESIGN §7).

The URL names come from the URLconf (`url_names()`), so a new view cannot be forgotten: a name
missing from TABLE fails tests/test_permission_matrix.py with a message saying to add it here. For
each name the table says what each role gets on GET:

    login  redirected to the login page            403  inside the scope, without the right
    200    the page (or the download)              404  outside the scope: it does not exist
    302    redirected elsewhere (state, own page)  405  the view only takes POST

Roles: anonymous; the lecturer who teaches the class; the committee official of the centre;
staff of another centre; staff of the centre; the centre's admin; a province official (reads
every centre). The objects requested belong to the first centre (`build_world()`). The matrix,
the sweeps over the same URLs (tests/trungtam/test_bad_query_sweep.py,
tests/trungtam/test_vietnamese_messages.py) and the browser sweeps (tests/e2e/pages.py) read it.
"""

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from chieusinh.models import Call, CallQuota, CallStatus
from hocvien.models import UnitAccount
from khaosat.models import Survey, SurveyAnswer, SurveyLine, SurveyStatus, SurveyUnit
from lophoc.certificates import certificates_issue
from lophoc.models import Certificate, CourseStatus
from tests import builders, matrix_parts
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import Role
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget

ROLES = ("anonymous", "lecturer", "official", "other_staff", "staff", "admin", "province", "unit")
# The row strings name the first seven; a unit's liaison (issue 16) has its own column, `Row.unit`.
TABLE_ROLES = ROLES[:-1]
ANSWERS = {"login", "200", "301", "302", "403", "404", "405", "-"}
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
        "unit": builders.make_user(role=Role.UNIT, centre=centre, username="donvi"),
    }
    lecturer = builders.make_lecturer(centre, user=users["lecturer"], full_name="Lê Thị Hồng")
    leader = make_leader(centre, full_name="Trần Văn Giám")
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    UnitAccount.objects.create(user=users["unit"], unit=unit)
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

    # The unit's own closed class with its result stored: its page of the result notice (issue 16).
    unit_closed = builders.make_course(
        centre, status=CourseStatus.CLOSED, start_date=datetime.date(YEAR, 3, 2)
    )
    builders.make_enrolment(
        unit_closed,
        trainee=trainee,
        unit=unit,
        is_eligible=True,
        passed=True,
        result_computed_at=timezone.now(),
    )

    # A call for nominees of the class, sent to the world's unit (chieusinh).
    call = Call.objects.create(
        centre=centre,
        course=course,
        deadline=timezone.localdate(),
        status=CallStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    CallQuota.objects.create(call=call, unit=unit, quota=2)

    # The needs survey of the draft plan's year, sent to the world's unit (khaosat).
    survey = Survey.objects.create(
        centre=centre,
        year=YEAR,
        status=SurveyStatus.OPEN,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    SurveyUnit.objects.create(survey=survey, unit=unit)
    survey_answer = SurveyAnswer.objects.create(
        survey=survey, unit=unit, submitted_at=timezone.now(), submitted_by=users["unit"]
    )
    SurveyLine.objects.create(answer=survey_answer, program=course.program, expected=25)

    # The other centre has its own records, never reachable from the first centre.
    other_course = builders.make_course(other_centre, status=CourseStatus.IN_PROGRESS)
    builders.make_enrolment(other_course)
    world = World(
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
        extra={
            "draft_plan": draft_plan,
            "approved_plan": approved_plan,
            "unit_closed": unit_closed,
            "unit_account": UnitAccount.objects.get(user=users["unit"]),
            "call": call,
            "survey": survey,
        },
    )
    # The apps of issue 17 add what their rows need (tests/matrix_parts).
    for part in matrix_parts.parts():
        world.extra.update(part.build(world))
    return world


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    get: str  # one answer per role, in the order of TABLE_ROLES
    kwargs: Callable[[World], dict] = lambda w: {}
    post: str | None = None  # answers to an empty POST ("-": not tried); None: the GET denials
    query: str = ""
    # A unit's liaison on GET: the centre's pages are not theirs (403), and what they reach only
    # through a class, which they never see, does not exist for them (404). POST: refused alike.
    unit: str = "403"
    # …and on an empty POST where its GET is not refused (a POST-only view answers GET with 405).
    unit_post: str | None = None

    def answers(self, which: str) -> dict[str, str]:
        words = (self.get if which == "get" else self.post).split()
        assert len(words) == len(TABLE_ROLES) and set(words) <= ANSWERS, f"bad row: {words}"
        assert self.unit in ANSWERS, f"bad unit answer: {self.unit}"
        return dict(zip(TABLE_ROLES, words, strict=True)) | {"unit": self.unit}

    def post_answers(self) -> dict[str, set[str]]:
        """What each role may get on POST; a role refused on GET is refused on POST too, the
        same way, or with 405 by a view that takes no POST. The row's `post`, where given,
        names the first seven roles; the unit's liaison always follows its GET answer."""
        derived = {
            role: ({a, "405"} if a in DENIALS else {"-"}) for role, a in self.answers("get").items()
        }
        if self.unit_post is not None:
            derived["unit"] = {self.unit_post}
        if self.post is None:
            return derived
        return {role: {a} for role, a in self.answers("post").items()} | {"unit": derived["unit"]}


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
MOVED = "301 301 301 301 301 301 301"
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


def call(w):
    return {"pk": w.extra["call"].pk}


def plan(w):
    return {"pk": w.extra["draft_plan"].pk}


def survey(w):
    return {"pk": w.extra["survey"].pk}


def centre_year(w):
    return {"centre_id": w.centre.pk, "year": YEAR}


#            anonymous lecturer official other_staff staff admin province
TABLE: dict[str, Row] = {
    # --- base pages
    # A unit's liaison starts on its unit's page (issue 16).
    "home": Row(SIGNED_IN, unit="302"),
    # The plans' and reports' old admin addresses (before issue 15) lead to the new ones, for
    # anyone: the admin then decides.
    "admin_moved": Row(
        MOVED, lambda w: {"rest": "annualplan/"}, post=MOVED, unit="301", unit_post="301"
    ),
    "login": Row("200 302 302 302 302 302 302", unit="302"),  # signed in: straight home
    "logout": Row(
        "405 405 405 405 405 405 405", unit="405"
    ),  # POST only: a link cannot sign anyone out
    "password_change": Row(SIGNED_IN, unit="200"),
    "password_change_done": Row(SIGNED_IN, unit="200"),
    # What signing is configured and what is missing (issue 18): those who manage users only.
    "signing_status": Row("login 403 403 403 403 200 403"),
    # The public certificate check and the lecturer's calendar feed (secret token): no login.
    "verify": Row(PUBLIC, unit="200"),
    # A signed PDF checked (issue 18): the form is on "verify"; a GET leads back to it, an empty
    # POST shows the form asking for the file.
    "verify_pdf": Row("302 302 302 302 302 302 302", post=PUBLIC, unit="302", unit_post="200"),
    "verify_code": Row(PUBLIC, lambda w: {"code": w.certificate.verification_code}, unit="200"),
    "lophoc:calendar_feed": Row(PUBLIC, lambda w: {"token": w.lecturer.calendar_token}, unit="200"),
    # --- classes
    "lophoc:course_list": Row(SIGNED_IN),
    "lophoc:course_create": Row(MANAGE_PAGE),
    # Officials get the class in figures only (lophoc/course_figures.html), never its people.
    "lophoc:course_detail": Row("login 200 200 404 200 200 200", course, unit="404"),
    # The class's quality page (issue 17): each section decides what the role sees.
    "lophoc:course_quality": Row("login 200 200 404 200 200 200", course, unit="404"),
    "lophoc:course_edit": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:course_topics": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:course_assessments": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:course_transition": Row(
        POST_ONLY, course, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:course_transition_confirm": Row(
        MANAGE_OBJECT, lambda w: {"pk": w.course.pk, "target": CourseStatus.GRADING}, unit="404"
    ),
    "lophoc:enrolment_add": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:enrolment_withdraw": Row(MANAGE_OBJECT, lambda w: {"pk": w.enrolment.pk}),
    # --- timetable and attendance
    "lophoc:session_create": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:session_edit": Row(MANAGE_OBJECT, session, unit="404"),
    "lophoc:session_delete": Row(MANAGE_OBJECT, session, unit="404"),  # GET: the confirmation page
    "lophoc:timetable_bulk": Row(MANAGE_OBJECT, course, unit="404"),
    "lophoc:my_timetable": Row(SIGNED_IN),  # an empty page for those who do not teach
    # Another lecturer's timetable is for staff; the lecturer's own address leads to their page.
    "lophoc:lecturer_timetable": Row("login 302 403 404 200 200 403", lecturer, unit="404"),
    "lophoc:calendar_rotate": Row(
        POST_ONLY, lecturer, post="login - 403 404 - - 403", unit="405", unit_post="404"
    ),
    # The lecturer takes attendance of the sessions they teach; officials only read.
    "lophoc:attendance_edit": Row("login 200 403 404 200 200 403", session, unit="404"),
    # --- nominee import and documents (right to import and export)
    "lophoc:import_upload": Row(MANAGE_OBJECT, course, unit="404"),
    # Nothing waiting for a preview: back to the upload.
    "lophoc:import_preview": Row("login 403 403 404 302 302 403", course, unit="404"),
    "lophoc:import_confirm": Row(
        POST_ONLY, course, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:import_cancel": Row(
        POST_ONLY, course, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:import_template": Row(MANAGE_PAGE),
    "lophoc:course_document": Row(
        MANAGE_OBJECT,
        lambda w: {"pk": w.course.pk, "document": "enrolment", "fmt": "pdf"},
        unit="404",
    ),
    # --- grades: lecturers grade the classes they teach; officials read figures, never the grid
    "lophoc:grade_grid": Row(
        "login 200 403 404 200 200 403", course, post="login - 403 404 - - 403", unit="404"
    ),
    "lophoc:grade_submit_confirm": Row("login 200 403 404 200 200 403", course, unit="404"),
    "lophoc:grade_submit": Row(
        POST_ONLY, course, post="login - 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:grade_history": Row("login 200 403 404 200 200 403", course, unit="404"),
    "lophoc:grade_return_confirm": Row(MANAGE_OBJECT, lambda w: {"pk": w.submitted.pk}, unit="404"),
    "lophoc:grade_return": Row(
        POST_ONLY,
        lambda w: {"pk": w.submitted.pk},
        post="login 403 403 404 - - 403",
        unit="405",
        unit_post="404",
    ),
    "lophoc:grading_overview": Row(MANAGE_PAGE),
    "lophoc:grade_sheet_download": Row("login 200 403 404 200 200 403", course, unit="404"),
    "lophoc:grade_sheet_upload": Row("login 200 403 404 200 200 403", course, unit="404"),
    # Nothing waiting for a preview: back to the upload.
    "lophoc:grade_sheet_preview": Row("login 302 403 404 302 302 403", course, unit="404"),
    "lophoc:grade_sheet_confirm": Row(
        POST_ONLY, course, post="login - 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:grade_sheet_cancel": Row(
        POST_ONLY, course, post="login - 403 404 - - 403", unit="405", unit_post="404"
    ),
    # --- certificates (right to close: staff, admin)
    "lophoc:certificate_register": Row(MANAGE_PAGE),
    "lophoc:certificate_register_download": Row(
        MANAGE_PAGE, lambda w: {"year": YEAR, "fmt": "pdf"}
    ),
    "lophoc:course_certificates_issue": Row(
        POST_ONLY, closed, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:course_certificates_pdf": Row(MANAGE_OBJECT, closed, unit="404"),
    # Issue 18: the class PDF signed elsewhere, brought back; one certificate from the register.
    "lophoc:course_certificates_upload": Row(
        POST_ONLY, closed, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "lophoc:certificate_pdf": Row(MANAGE_OBJECT, certificate, unit="404"),
    "lophoc:certificate_void": Row(MANAGE_OBJECT, certificate, unit="404"),
    "lophoc:certificate_reissue": Row(MANAGE_OBJECT, certificate, unit="404"),
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
    # The unit's liaison logins, made and locked from the unit's page (issue 16).
    "hocvien:unit_account_create": Row(MANAGE_OBJECT, unit),
    "hocvien:unit_account_active": Row(
        POST_ONLY,
        lambda w: {"pk": w.unit.pk, "account_pk": w.extra["unit_account"].pk},
        post="login 403 403 404 302 302 403",
        unit="405",
        unit_post="403",
    ),
    # --- the unit's own pages (Right.UNIT): its liaison, and staff who look at what it sees
    "donvi:home": Row("login 403 403 302 302 302 403", unit="302"),
    "donvi:unit_page": Row(MANAGE_OBJECT, unit, unit="200"),
    # Staff look at the unit's page but only its liaison marks its notices read.
    "donvi:notifications_read": Row(
        POST_ONLY, unit, post="login 403 403 404 403 403 403", unit="405", unit_post="302"
    ),
    "donvi:result_notice": Row(
        MANAGE_OBJECT,
        lambda w: {"pk": w.unit.pk, "course_pk": w.extra["unit_closed"].pk},
        unit="200",
    ),
    "donvi:summary": Row(
        MANAGE_OBJECT, lambda w: {"pk": w.unit.pk, "year": YEAR, "fmt": "pdf"}, unit="200"
    ),
    "donvi:pipeline": Row(MANAGE_OBJECT, unit, unit="200"),
    # --- lecturers: a lecturer opens their own page, changes nothing
    "giangvien:lecturer_list": Row(MANAGE_PAGE),
    "giangvien:lecturer_create": Row(MANAGE_PAGE),
    "giangvien:lecturer_detail": Row("login 200 403 404 200 200 403", lecturer, unit="404"),
    # The lecturer's own page; a login without a lecturer has none.
    "giangvien:my_page": Row("login 302 404 404 404 404 404", unit="404"),
    "giangvien:lecturer_edit": Row(MANAGE_OBJECT, lecturer, unit="404"),
    "giangvien:lecturer_account": Row(
        POST_ONLY, lecturer, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    # --- the annual plan: read with the right to reports, written by those who manage,
    # approved and amended by admins and centre leaders
    "reports:plan_list": Row(REPORTS_PAGE),
    "reports:plan_create": Row(MANAGE_PAGE),
    "reports:plan_detail": Row("login 403 200 404 200 200 200", plan),
    "reports:plan_edit": Row(MANAGE_OBJECT, plan),
    "reports:plan_texts": Row(MANAGE_OBJECT, plan),
    "reports:plan_from_survey": Row(MANAGE_OBJECT, plan),  # GET: what the survey would change
    "reports:plan_approve": Row(APPROVE_OBJECT, plan),
    "reports:plan_amend": Row(APPROVE_OBJECT, lambda w: {"pk": w.extra["approved_plan"].pk}),
    "reports:plan_pdf": Row("login 403 200 404 200 200 200", plan),
    "reports:plan_xlsx": Row("login 403 200 404 200 200 200", plan),
    # --- the needs survey: managed by staff; answered by the unit's liaison, or by staff from a
    # paper form (without a unit chosen, staff are sent to the survey's page)
    "khaosat:survey_list": Row(MANAGE_PAGE),
    "khaosat:survey_create": Row(MANAGE_PAGE),
    "khaosat:survey_detail": Row(MANAGE_OBJECT, survey),
    "khaosat:survey_edit": Row(MANAGE_OBJECT, survey),
    # The survey is sent already: back to its page.
    "khaosat:survey_publish": Row("login 403 403 404 302 302 403", survey),
    "khaosat:survey_close": Row(MANAGE_OBJECT, survey),  # GET: the confirmation page
    "khaosat:survey_xlsx": Row(MANAGE_OBJECT, survey),
    "khaosat:answer": Row("login 403 403 404 302 302 403", survey, unit="200"),
    # --- dashboard, yearly report, lecturer hours (right to reports)
    "reports:dashboard": Row(REPORTS_PAGE),
    "reports:yearly_list": Row(REPORTS_PAGE),
    "reports:yearly_detail": Row(REPORTS_OBJECT, centre_year, post="login 403 403 404 - - 403"),
    "reports:yearly_send": Row(APPROVE_OBJECT, centre_year),
    "reports:yearly_pdf": Row(REPORTS_OBJECT, centre_year),
    "reports:yearly_xlsx": Row(REPORTS_OBJECT, centre_year),
    # The sent report's PDF signed elsewhere, brought back (issue 18): those who edit reports.
    "reports:yearly_signed_upload": Row(
        POST_ONLY, centre_year, post="login 403 403 404 302 302 403", unit="405"
    ),
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
    "reports:yearly_all_signed_upload": Row(
        POST_ONLY, lambda w: {"year": YEAR}, post="login 403 404 404 404 404 403", unit="405"
    ),
    "reports:hours": Row(REPORTS_PAGE),  # several centres: the page to choose one
    "reports:hours_pdf": Row(REPORTS_OBJECT, centre_year),
    "reports:hours_xlsx": Row(REPORTS_OBJECT, centre_year),
    # A lecturer's own hours: nobody else has any.
    "reports:my_hours": Row("login 200 404 404 404 404 404", unit="404"),
    # --- calls for nominees (chiêu sinh): staff manage them, the unit answers its own
    "chieusinh:call_list": Row(MANAGE_PAGE),
    "chieusinh:call_create": Row(MANAGE_PAGE),
    "chieusinh:call_detail": Row(MANAGE_OBJECT, call, unit="404"),
    "chieusinh:call_edit": Row(MANAGE_OBJECT, call, unit="404"),
    "chieusinh:call_publish": Row(
        POST_ONLY, call, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "chieusinh:call_close": Row(
        POST_ONLY, call, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "chieusinh:call_accept": Row(
        POST_ONLY, call, post="login 403 403 404 - - 403", unit="405", unit_post="404"
    ),
    "chieusinh:summons_all": Row(MANAGE_OBJECT, call, unit="404"),
    "chieusinh:summons_unit": Row(
        "login 403 403 404 200 200 403",
        lambda w: {"pk": w.extra["call"].pk, "unit_id": w.unit.pk},
        unit="200",
    ),
    "chieusinh:unit_calls": Row(MANAGE_PAGE, unit="200"),
    # An empty POST is an unknown action: back to the page with a message.
    "chieusinh:answer": Row("login 403 403 404 200 200 403", call, unit="200", unit_post="302"),
    "chieusinh:answer_upload": Row(
        POST_ONLY, call, post="login 403 403 404 - - 403", unit="405", unit_post="200"
    ),
    # Nothing waiting for a preview: back to the answer page.
    "chieusinh:answer_preview": Row("login 403 403 404 302 302 403", call, unit="302"),
    "chieusinh:answer_confirm": Row(
        POST_ONLY, call, post="login 403 403 404 - - 403", unit="405", unit_post="302"
    ),
}


# The rows of the apps of issue 17, each in its own module (tests/matrix_parts); they import Row
# and the constants above, so they are merged here, after those are defined.
for _part in matrix_parts.parts():
    TABLE.update(_part.ROWS)


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


# --- signing in --------------------------------------------------------------------------------


def clients(world: World, **options) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        client = Client(**options)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        result[role] = client
    return result


@contextlib.contextmanager
def module_world(django_db_blocker):
    """One world for a whole test module, rolled back at its end; each test runs in a savepoint.

    For a module-scoped fixture: `with module_world(django_db_blocker) as world: ... yield world`.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)

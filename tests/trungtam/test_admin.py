"""The Django admin (/quan-tri/): every page opens, and it shows and changes only what the
user's role and centre allow (trungtam.admin_scoping)."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import Trainee
from lophoc.models import (
    Attendance,
    Certificate,
    CertificateCounter,
    Course,
    CourseStatus,
    Enrolment,
    ProgramAssessment,
    ProgramTopic,
    Score,
    Session,
    Topic,
)
from tests import builders
from trungtam.admin_scoping import ScopedAdminMixin, ScopedHistoryAdmin
from trungtam.models import ExportLog, Holiday, Leader, Role, User
from trungtam.reports.models import AnnualPlan, PlanTarget

PROJECT_APPS = (
    "trungtam",
    "hocvien",
    "giangvien",
    "lophoc",
    "thongbao",
    "chieusinh",
    "khaosat",
    "danhgia",
    "hieuqua",
    "giaoan",
    "dugio",
    "tailieu",
    "reports",
)


def admin_url(model_or_obj, view="changelist", *args):
    opts = model_or_obj._meta
    if view in ("change", "delete", "history") and not args:
        args = (model_or_obj.pk,)
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def project_models():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def fill_centre(centre):
    """At least one row of every project model in `centre`."""
    program = builders.make_program(centre)
    ProgramTopic.objects.create(program=program, title="Những vấn đề cơ bản về Đảng")
    ProgramAssessment.objects.create(program=program, name="Bài thu hoạch", is_final=True)
    course = builders.make_course(centre, program=program)
    topic = Topic.objects.create(course=course, title="Đảng Cộng sản Việt Nam")
    lecturer = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    session = builders.make_session(course, topic=topic, lecturer=lecturer, room="Hội trường")
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    trainee = builders.make_trainee(
        centre, full_name="Nguyễn Văn An", unit=unit, national_id="001203004567"
    )
    enrolment = builders.make_enrolment(course, trainee, unit=unit)
    Attendance.objects.create(session=session, enrolment=enrolment)
    assessment = builders.make_assessment(course, grader=lecturer)
    builders.make_score(enrolment, assessment, "8.5")
    course.transition_to(CourseStatus.ENROLLING)
    Certificate.objects.create(
        centre=centre,
        enrolment=enrolment,
        course=course,
        year=2026,
        sequence=1,
        number=f"1-GCN/{centre.code}",
        register_number="1",
        issued_on=datetime.date(2026, 3, 7),
        verification_code=f"ABC{centre.pk:05d}",
        signer_title="GIÁM ĐỐC",
        signer_name="Lê Văn Ký",
        full_name=trainee.full_name,
        date_of_birth=trainee.date_of_birth,
        course_code=course.code,
        course_name=course.name,
        program_name=program.name,
        course_start=course.start_date,
        course_end=course.end_date,
        final_score=Decimal("8.5"),
        classification="good",
    )
    CertificateCounter.objects.create(centre=centre, year=2026, last_sequence=1)
    Leader.objects.create(centre=centre, full_name="Lê Văn Ký", role="director")
    Holiday.objects.create(centre=centre, date=datetime.date(2026, 4, 30), name="Ngày Giải phóng")
    plan = AnnualPlan.objects.create(centre=centre, year=2026)
    PlanTarget.objects.create(plan=plan, program=program, planned_classes=4, planned_trainees=240)
    ExportLog.objects.create(
        centre=centre, username="canbo", description="Danh sách học viên", filename="ds.xlsx"
    )
    return course


@pytest.fixture
def filled(centre, other_centre):
    return fill_centre(centre), fill_centre(other_centre)


# --- every page opens ------------------------------------------------------------------------


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m._meta.label)
def test_every_project_model_has_an_admin(model):
    assert admin.site.is_registered(model), f"{model._meta.label} has no admin page"


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m._meta.label)
def test_every_project_admin_is_scoped(model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ScopedAdminMixin)
    # Models that keep a history show it, scoped and never reverted.
    assert isinstance(model_admin, ScopedHistoryAdmin) == hasattr(model, "history")
    for inline in model_admin.inlines:
        assert issubclass(inline, ScopedAdminMixin), inline


@pytest.mark.django_db
def test_superuser_opens_every_admin_page(client, superuser, filled):
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        response = client.get(admin_url(model))
        assert response.status_code == 200, label
        if model_admin.has_add_permission(_request(superuser)):
            assert client.get(admin_url(model, "add")).status_code == 200, label
        else:
            assert client.get(admin_url(model, "add")).status_code == 403, label
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(admin_url(obj, "change")).status_code == 200, label
            assert client.get(admin_url(obj, "history")).status_code == 200, label


@pytest.mark.django_db
def test_changelists_show_rows(client, superuser, filled):
    client.force_login(superuser)
    course, other = filled
    response = client.get(admin_url(Course))
    assert course.code in response.text and other.code in response.text
    response = client.get(admin_url(Trainee))
    names = [trainee.full_name for trainee in response.context["cl"].result_list]
    assert names.count("Nguyễn Văn An") == 2
    assert "001203004567" not in response.text  # CCCD masked in lists
    assert "•••••••••567" in response.text


@pytest.mark.django_db
def test_staff_opens_every_page_they_may(client, staff, filled):
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        expected = 200 if model_admin.has_view_permission(_request(staff)) else 403
        assert client.get(admin_url(model)).status_code == expected, model._meta.label


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


# --- scoping ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_list_only_their_centres_courses(client, staff, course, other_course):
    client.force_login(staff)
    response = client.get(admin_url(Course))
    assert response.status_code == 200
    assert course.code in response.text
    assert other_course.code not in response.text
    assert "Trung tâm" not in response.context["cl"].list_display  # one centre: no centre column


@pytest.mark.django_db
def test_other_centres_course_does_not_exist_for_staff(client, staff, other_course):
    client.force_login(staff)
    response = client.get(admin_url(other_course, "change"))
    # Django's admin answers a missing object with a redirect to the index and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    response = client.get(response["Location"])
    assert other_course.name not in response.text
    assert "không tồn tại" in response.text.lower()
    assert client.get(admin_url(other_course, "delete")).status_code == 302
    assert client.post(admin_url(other_course, "change"), {"name": "x"}).status_code == 302
    other_course.refresh_from_db()
    assert other_course.name != "x"


@pytest.mark.django_db
def test_history_of_other_centres_object_is_404(client, staff, other_course):
    client.force_login(staff)
    assert client.get(admin_url(other_course, "history")).status_code == 404
    version = other_course.history.first()
    url = reverse("admin:lophoc_course_simple_history", args=(other_course.pk, version.history_id))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_history_cannot_revert(client, staff, course):
    course.transition_to(CourseStatus.ENROLLING)
    client.force_login(staff)
    oldest = course.history.earliest()
    url = reverse("admin:lophoc_course_simple_history", args=(course.pk, oldest.history_id))
    assert client.get(url).status_code == 200
    post = {"program": course.program_id, "code": course.code, "name": "Đã khôi phục"}
    assert client.post(url, post).status_code == 403
    course.refresh_from_db()
    assert course.status == CourseStatus.ENROLLING and course.name != "Đã khôi phục"


@pytest.mark.django_db
def test_filters_offer_only_visible_related_objects(client, staff, filled):
    client.force_login(staff)
    response = client.get(admin_url(Trainee))
    units = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    ]
    assert "Phường Phú Lợi" in units
    assert len([u for u in units if u == "Phường Phú Lợi"]) == 1  # not the other centre's one


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_choices_on_a_class_page_are_of_its_centre(client, request, filled, who):
    course, other = filled
    other_lecturer = builders.make_lecturer(other.centre, full_name="Đỗ Thị Khác Trung Tâm")
    client.force_login(request.getfixturevalue(who))
    response = client.get(admin_url(course, "change"))
    assert response.status_code == 200
    assert "Phạm Minh Tuấn" in response.text
    assert other_lecturer.full_name not in response.text
    programs = response.context["adminform"].form.fields["program"].queryset
    assert course.program in programs and other.program not in programs


@pytest.mark.django_db
def test_staff_add_course_in_their_centre_only(client, staff, other_centre):
    program = builders.make_program(staff.centre)
    client.force_login(staff)
    response = client.get(admin_url(Course, "add"))
    assert response.status_code == 200
    assert other_centre.name not in response.text
    data = {
        "centre": other_centre.pk,  # ignored: the field is fixed to the user's centre
        "program": program.pk,
        "code": "KND-01/2026",
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa 1",
        "start_date": "02/03/2026",
        "end_date": "06/03/2026",
        "capacity": 60,
        "is_assessed": "on",
        "certificate_issuer": "centre",
        "absence_limit_percent": "20",
        "status": CourseStatus.CLOSED,  # ignored: read-only
    }
    data.update(_empty_inlines(client, admin_url(Course, "add")))
    response = client.post(admin_url(Course, "add"), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    course = Course.objects.get(code="KND-01/2026")
    assert course.centre == staff.centre
    assert course.status == CourseStatus.PLANNED


def _empty_inlines(client, url):
    """Management-form data of every inline of the page, with no rows."""
    response = client.get(url)
    data = {}
    for formset in response.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    return data


@pytest.mark.django_db
def test_lecturers_and_officials_never_reach_the_admin(client, lecturer, official):
    for user in (lecturer, official):
        client.force_login(user)
        response = client.get(admin_url(Course))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


# --- users -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_may_not_manage_users(client, staff):
    client.force_login(staff)
    assert client.get(admin_url(User)).status_code == 403
    assert client.get(admin_url(User, "add")).status_code == 403
    assert client.get(admin_url(staff, "change")).status_code == 403
    assert admin_url(User) not in client.get(reverse("admin:index")).text


@pytest.mark.django_db
def test_centre_admin_sees_only_their_centres_users(
    client, admin_user, staff, other_staff, superuser
):
    superuser.centre = admin_user.centre
    superuser.save()
    client.force_login(admin_user)
    response = client.get(admin_url(User))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list)
    assert staff in shown and admin_user in shown
    assert other_staff not in shown
    assert superuser not in shown  # a superuser's account is out of a centre admin's reach
    assert client.get(admin_url(other_staff, "change")).status_code == 302
    assert (
        client.get(reverse("admin:auth_user_password_change", args=(other_staff.pk,))).status_code
        == 404
    )


@pytest.mark.django_db
def test_centre_admin_creates_users_of_their_centre_never_superusers(
    client, admin_user, other_centre
):
    client.force_login(admin_user)
    response = client.post(
        admin_url(User, "add"),
        {
            "username": "canbo_moi",
            "password1": "Mat-khau-rat-dai-2026",
            "password2": "Mat-khau-rat-dai-2026",
            "full_name": "Trần Văn Mới",
            "role": Role.STAFF,
            "centre": other_centre.pk,
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    user = User.objects.get(username="canbo_moi")
    assert user.centre == admin_user.centre
    assert not user.is_superuser
    assert user.is_staff  # staff role works in the admin
    response = client.get(admin_url(user, "change"))
    assert 'name="is_superuser"' not in response.text


@pytest.mark.django_db
def test_superuser_may_grant_superuser(client, superuser, staff):
    client.force_login(superuser)
    response = client.get(admin_url(staff, "change"))
    assert 'name="is_superuser"' in response.text


@pytest.mark.django_db
def test_only_province_wide_admins_create_centres(client, admin_user, superuser):
    client.force_login(admin_user)
    assert client.get(admin_url(admin_user.centre, "change")).status_code == 200
    assert client.get(admin_url(admin_user.centre.__class__, "add")).status_code == 403
    client.force_login(superuser)
    assert client.get(admin_url(admin_user.centre.__class__, "add")).status_code == 200


@pytest.mark.django_db
def test_staff_view_their_centre_read_only(client, staff, other_centre):
    client.force_login(staff)
    response = client.get(admin_url(staff.centre, "change"))
    assert response.status_code == 200
    assert 'name="_save"' not in response.text
    assert client.get(admin_url(other_centre, "change")).status_code == 302


# --- search ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn An", "NGUYEN an", "001203004567"])
def test_trainee_search_ignores_diacritics(client, staff, centre, query):
    builders.make_trainee(centre, full_name="Nguyễn Văn An", national_id="001203004567")
    builders.make_trainee(centre, full_name="Trần Thị Bình")
    client.force_login(staff)
    response = client.get(admin_url(Trainee), {"q": query})
    names = [t.full_name for t in response.context["cl"].result_list]
    assert names == ["Nguyễn Văn An"]


@pytest.mark.django_db
def test_trainee_search_by_partial_cccd_finds_nothing(client, staff, centre):
    builders.make_trainee(centre, full_name="Nguyễn Văn An", national_id="001203004567")
    client.force_login(staff)
    response = client.get(admin_url(Trainee), {"q": "4567"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
def test_search_stays_in_scope(client, staff, centre, other_centre):
    builders.make_trainee(other_centre, full_name="Nguyễn Văn An")
    client.force_login(staff)
    response = client.get(admin_url(Trainee), {"q": "nguyen van an"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
def test_enrolment_search_by_trainee_name(client, staff, course):
    builders.make_enrolment(course, builders.make_trainee(course.centre, full_name="Lê Thị Đào"))
    client.force_login(staff)
    response = client.get(admin_url(Enrolment), {"q": "le thi dao"})
    assert [e.trainee.full_name for e in response.context["cl"].result_list] == ["Lê Thị Đào"]


# --- read-only records -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin_user", "superuser"])
def test_export_log_cannot_be_added_changed_or_deleted(client, request, centre, who):
    user = request.getfixturevalue(who)
    log = ExportLog.objects.create(
        centre=centre, username="canbo", description="Danh sách học viên", filename="ds.xlsx"
    )
    client.force_login(user)
    assert client.get(admin_url(ExportLog)).status_code == 200
    assert client.get(admin_url(ExportLog, "add")).status_code == 403
    response = client.get(admin_url(log, "change"))
    assert response.status_code == 200 and 'name="_save"' not in response.text
    assert client.post(admin_url(log, "change"), {"filename": "khac.xlsx"}).status_code == 403
    assert client.post(admin_url(log, "delete"), {"post": "yes"}).status_code == 403
    log.refresh_from_db()
    assert log.filename == "ds.xlsx"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [ExportLog, Certificate, CertificateCounter], ids=lambda m: m.__name__
)
def test_logs_counters_and_certificates_are_view_only(superuser, model):
    model_admin = admin.site._registry[model]
    request = _request(superuser)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_course_status_is_read_only(client, staff, course):
    client.force_login(staff)
    url = admin_url(course, "change")
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="status"' not in response.text
    assert "Kế hoạch" in response.text
    data = {
        "program": course.program_id,
        "code": course.code,
        "name": "Tên mới",
        "start_date": "02/03/2026",
        "end_date": "06/03/2026",
        "capacity": 60,
        "certificate_issuer": "centre",
        "absence_limit_percent": "20",
        "status": CourseStatus.CLOSED,
    }
    data.update(_management_data(response))
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    course.refresh_from_db()
    assert course.name == "Tên mới"
    assert course.status == CourseStatus.PLANNED


def _management_data(response):
    """Management-form data of every inline of a change page, with its existing rows unchanged."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.initial_forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


@pytest.mark.django_db
def test_derived_enrolment_results_are_read_only(client, staff, course):
    enrolment = builders.make_enrolment(course)
    client.force_login(staff)
    response = client.get(admin_url(enrolment, "change"))
    assert response.status_code == 200
    for name in ("final_score", "classification", "passed", "absent_periods", "is_eligible"):
        assert f'name="{name}"' not in response.text


@pytest.mark.django_db
def test_a_closed_class_is_view_only(client, staff, course):
    enrolment = builders.make_enrolment(course)
    score = builders.make_score(enrolment, builders.make_assessment(course), "7")
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    client.force_login(staff)
    response = client.get(admin_url(course, "change"))
    assert response.status_code == 200 and 'name="_save"' not in response.text
    assert "Lớp đã kết thúc" in response.text
    assert client.post(admin_url(score, "change"), {"score": "10"}).status_code == 403
    assert client.get(admin_url(course, "delete")).status_code == 403
    score.refresh_from_db()
    assert score.score == Decimal("7")


@pytest.mark.django_db
def test_no_score_is_added_to_a_closed_class(client, staff, course):
    enrolment = builders.make_enrolment(course)
    assessment = builders.make_assessment(course)
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    client.force_login(staff)
    response = client.post(
        admin_url(Score, "add"),
        {"enrolment": enrolment.pk, "assessment": assessment.pk, "score": "9"},
    )
    assert response.status_code == 200
    assert "Lớp đã kết thúc" in response.text
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_score_edit_records_who_and_bumps_version(client, staff, course):
    score = builders.make_score(
        builders.make_enrolment(course), builders.make_assessment(course), "6"
    )
    client.force_login(staff)
    response = client.post(
        admin_url(score, "change"),
        {"enrolment": score.enrolment_id, "assessment": score.assessment_id, "score": "6.5"},
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    score.refresh_from_db()
    assert score.score == Decimal("6.5")
    assert score.updated_by == staff and score.version == 1
    assert score.history.first().history_user == staff


@pytest.mark.django_db
def test_started_class_cannot_be_deleted(client, staff, course):
    client.force_login(staff)
    assert client.get(admin_url(course, "delete")).status_code == 200
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.IN_PROGRESS)
    assert client.get(admin_url(course, "delete")).status_code == 403


# --- class page rules ------------------------------------------------------------------------


@pytest.mark.django_db
def test_enrolment_beyond_capacity_is_refused(client, staff, centre):
    course = builders.make_course(centre, capacity=1)
    builders.make_enrolment(course)
    trainee = builders.make_trainee(centre)
    client.force_login(staff)
    response = client.post(
        admin_url(Enrolment, "add"),
        {
            "course": course.pk,
            "trainee": trainee.pk,
            "status": "active",
            "enrolled_at_0": "02/03/2026",
            "enrolled_at_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "chỉ nhận tối đa 1 học viên" in response.text
    assert course.enrolments.count() == 1


@pytest.mark.django_db
def test_lecturer_booked_twice_in_one_slot_is_refused(client, staff, centre):
    lecturer = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    first = builders.make_course(centre)
    builders.make_session(first, lecturer=lecturer)
    second = builders.make_course(centre)
    client.force_login(staff)
    response = client.post(
        admin_url(Session, "add"),
        {
            "course": second.pk,
            "date": first.start_date.strftime("%d/%m/%Y"),
            "part": "morning",
            "lecturer": lecturer.pk,
            "periods": 4,
            "kind": "lecture",
        },
    )
    assert response.status_code == 200
    assert f"đã có lịch dạy lớp {first.code}" in response.text
    assert not second.sessions.exists()


# --- constant number of queries --------------------------------------------------------------


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_courses(centre, n):
    for _ in range(n):
        course = builders.make_course(centre)
        builders.make_enrolment(course)


def _add_trainees(centre, n):
    unit = builders.make_unit(centre)
    for _ in range(n):
        builders.make_trainee(centre, unit=unit)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "superuser"])
@pytest.mark.parametrize(
    ("model", "add_rows"),
    [(Course, _add_courses), (Trainee, _add_trainees)],
    ids=["course", "trainee"],
)
def test_changelist_queries_do_not_grow_with_rows(client, request, centre, who, model, add_rows):
    user = request.getfixturevalue(who)
    client.force_login(user)
    url = admin_url(model)
    add_rows(centre, 3)
    few = _count_queries(client, url)
    add_rows(centre, 6)
    many = _count_queries(client, url)
    assert model.objects.count() >= 9
    assert few == many


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_class_page_queries_do_not_grow_with_sessions_and_trainees(client, request, centre, who):
    client.force_login(request.getfixturevalue(who))
    course = builders.make_course(centre)
    topic = Topic.objects.create(course=course, title="Đảng Cộng sản Việt Nam")
    lecturer = builders.make_lecturer(centre)
    unit = builders.make_unit(centre)
    counts = []
    for rows in (2, 6):
        for _ in range(rows - course.sessions.count()):
            day = course.start_date + datetime.timedelta(days=course.sessions.count())
            builders.make_session(course, date=day, topic=topic, lecturer=lecturer)
            builders.make_enrolment(course, builders.make_trainee(centre, unit=unit), unit=unit)
            builders.make_assessment(course, grader=lecturer)
        counts.append(_count_queries(client, admin_url(course, "change")))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_class_page_refuses_enrolments_beyond_capacity(client, staff, centre):
    course = builders.make_course(centre, capacity=2)
    builders.make_enrolment(course)
    trainees = [builders.make_trainee(centre) for _ in range(2)]
    client.force_login(staff)
    url = admin_url(course, "change")
    data = _course_post(course, _management_data(client.get(url)))
    data["enrolments-2-TOTAL_FORMS"] = 2
    for i, trainee in enumerate(trainees):
        data[f"enrolments-2-{i}-trainee"] = trainee.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "chỉ nhận tối đa 2 học viên" in response.text
    assert course.enrolments.count() == 1
    del data["enrolments-2-1-trainee"]
    data["enrolments-2-TOTAL_FORMS"] = 1
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert course.enrolments.count() == 2


@pytest.mark.django_db
def test_class_page_refuses_a_lecturer_in_two_places_at_once(client, staff, centre):
    lecturer = builders.make_lecturer(centre, full_name="Phạm Minh Tuấn")
    busy = builders.make_course(centre)
    builders.make_session(busy, lecturer=lecturer)
    course = builders.make_course(centre)
    client.force_login(staff)
    url = admin_url(course, "change")
    data = _course_post(course, _management_data(client.get(url)))
    data["sessions-TOTAL_FORMS"] = 1
    data.update(
        {
            "sessions-0-date": busy.start_date.strftime("%d/%m/%Y"),
            "sessions-0-part": "morning",
            "sessions-0-kind": "lecture",
            "sessions-0-lecturer": lecturer.pk,
            "sessions-0-periods": 4,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert f"đã có lịch dạy lớp {busy.code}" in response.text
    assert not course.sessions.exists()


def _course_post(course, data):
    data.update(
        {
            "program": course.program_id,
            "code": course.code,
            "name": course.name,
            "start_date": course.start_date.strftime("%d/%m/%Y"),
            "end_date": course.end_date.strftime("%d/%m/%Y"),
            "capacity": course.capacity,
            "is_assessed": "on",
            "certificate_issuer": course.certificate_issuer,
            "absence_limit_percent": str(course.absence_limit_percent),
        }
    )
    return data


@pytest.mark.django_db
def test_province_wide_user_may_not_mix_centres(client, superuser, course, other_centre):
    foreign = builders.make_lecturer(other_centre, full_name="Đỗ Thị Khác Trung Tâm")
    client.force_login(superuser)
    response = client.post(
        admin_url(Session, "add"),
        {
            "course": course.pk,
            "date": "02/03/2026",
            "part": "morning",
            "lecturer": foreign.pk,
            "periods": 4,
            "kind": "lecture",
        },
    )
    assert response.status_code == 200
    assert "thuộc trung tâm khác" in response.text
    assert not course.sessions.exists()


@pytest.mark.django_db
def test_province_wide_admin_sees_every_centre(client, course, other_course):
    province_admin = builders.make_user(role=Role.ADMIN, centre=None, username="quantri_tinh")
    client.force_login(province_admin)
    response = client.get(admin_url(Course))
    assert set(response.context["cl"].result_list) == {course, other_course}
    assert "scoped_centre" in response.context["cl"].list_display
    assert client.get(admin_url(Course, "add")).status_code == 200
    assert client.get(admin_url(course.centre.__class__, "add")).status_code == 200


@pytest.mark.django_db
def test_plans_cannot_be_approved_or_edited_in_the_admin(client, staff, centre):
    """Approval is for leaders on the plan pages; the admin only shows plans."""
    plan = AnnualPlan.objects.create(centre=centre, year=2026)
    client.force_login(staff)
    url = admin_url(plan, "change")
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2026, "status": "approved"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.approved_by is None


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["religion", "ethnicity", "is_party_member__exact"])
def test_trainees_cannot_be_listed_by_sensitive_data(client, staff, lookup):
    client.force_login(staff)
    assert client.get(admin_url(Trainee), {lookup: "1"}).status_code == 400

import datetime
import hashlib
import re
import unicodedata

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from giangvien.models import Lecturer, LecturerKind, LecturerPosition
from hocvien.models import Trainee, Unit, UnitKind
from lophoc.attendance import untaken_sessions
from lophoc.models import (
    Attendance,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Program,
    Score,
    Session,
    Venue,
)
from lophoc.results import course_results
from tests.trungtam.seed_demo_helpers import run, snapshot
from thongbao.models import Notification
from trungtam.devtools.demo import DEMO_PASSWORD
from trungtam.models import Centre, CentreLevel, LeaderRole, Role, User
from trungtam.reports.models import AnnualPlan, PlanStatus
from trungtam.text import search_key, sort_key

pytestmark = pytest.mark.django_db

REORGANISATION = datetime.date(2025, 7, 1)


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module and rolled back after it; what it printed."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield run("seed_demo", "--scale", "small")
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    """The seeded demo, each test in its own savepoint (`db`); what seeding printed."""
    return seeded_once


def checksum() -> str:
    rows = Trainee.objects.order_by("centre__code", "national_id", "full_name", "date_of_birth")
    text = "\n".join(
        f"{t.centre.code}|{t.full_name}|{t.date_of_birth}|{t.national_id}|{t.unit_id}"
        for t in rows.select_related("centre")
    )
    text += "\n".join(Course.objects.order_by("centre", "code").values_list("code", flat=True))
    return hashlib.sha256(text.encode()).hexdigest()


def test_it_creates_both_centres_as_the_design_places_them(seeded):
    former = Centre.objects.get(code="PL")
    commune = Centre.objects.get(code="BM")

    assert former.level == CentreLevel.DISTRICT
    assert former.reorganised_on == REORGANISATION
    assert commune.level == CentreLevel.COMMUNE
    assert {former.document_layout, commune.document_layout} == {"party", "state"}
    for centre in (former, commune):
        assert centre.parent_body and centre.supervising_committee and centre.place_name
        assert centre.director is not None
        assert centre.leaders.filter(role=LeaderRole.DEPUTY).exists()
        assert centre.holidays.filter(date__month=1, date__day=1).count() >= 2
        assert centre.holidays.filter(date__month=9, date__day=2).exists()
        assert centre.holidays.filter(name__contains="Tết Nguyên đán").count() >= 5
        assert Program.objects.filter(centre=centre).count() == 11
        assert 30 <= centre.units.count() <= 50
    assert "Đã tạo trung tâm mẫu PL" in seeded


def test_classes_are_in_every_status(seeded):
    statuses = set(Course.objects.values_list("status", flat=True))

    assert statuses == set(CourseStatus.values)
    today = timezone.localdate()
    last_year = Course.objects.filter(start_date__year=today.year - 1)
    assert last_year.exists()
    assert set(last_year.values_list("status", flat=True)) <= {
        CourseStatus.CLOSED,
        CourseStatus.CANCELLED,
    }
    for centre in Centre.objects.all():
        for year in (today.year - 1, today.year):
            assert 2 <= centre.courses.filter(start_date__year=year).count() <= 4


def test_statuses_agree_with_the_calendar(seeded):
    today = timezone.localdate()
    for course in Course.objects.all():
        if course.status == CourseStatus.CLOSED:
            assert course.end_date < today, course.code
        elif course.status == CourseStatus.GRADING:
            assert today - datetime.timedelta(days=21) <= course.end_date < today, course.code
        elif course.status == CourseStatus.IN_PROGRESS:
            assert course.start_date <= today <= course.end_date, course.code
        elif course.status in (CourseStatus.ENROLLING, CourseStatus.PLANNED):
            assert course.start_date > today, course.code


def test_class_codes_and_names_follow_the_centre_pattern(seeded):
    for course in Course.objects.select_related("program"):
        match = re.fullmatch(r"([A-Z]+)-(\d{2})/(\d{4})", course.code)
        assert match, course.code
        assert match.group(1) == course.program.code
        assert int(match.group(3)) == course.start_date.year
        assert f"năm {course.start_date.year}" in course.name
        assert course.is_assessed == course.program.is_assessed


def test_every_class_takes_its_venue_from_its_centres_list(seeded):
    listed = set(Venue.objects.values_list("centre_id", "name"))
    used = set(Course.objects.exclude(venue="").values_list("centre_id", "venue"))
    assert used and used <= listed


def test_it_creates_an_account_for_every_role(seeded):
    users = {u.username: u for u in User.objects.all()}

    assert {"admin", "canbo", "canbo2", "giamdoc", "giangvien", "capuy", "tinh"} <= set(users)
    assert users["admin"].is_superuser and users["admin"].centre is None
    assert users["admin"].role == Role.ADMIN
    assert users["canbo"].role == Role.STAFF and users["canbo"].centre.code == "PL"
    assert users["canbo2"].role == Role.STAFF and users["canbo2"].centre.code == "BM"
    assert users["giamdoc"].full_name == Centre.objects.get(code="PL").director.full_name
    assert users["giangvien"].role == Role.LECTURER
    assert users["giangvien"].lecturer.centre.code == "PL"
    assert users["capuy"].role == Role.OFFICIAL and users["capuy"].centre.code == "PL"
    assert users["tinh"].role == Role.OFFICIAL and users["tinh"].sees_all_centres
    assert users["donvi"].role == Role.UNIT and users["donvi"].centre.code == "PL"
    assert users["donvi"].unit_account.unit.name == "Đảng bộ phường Phú Lợi"
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD), user.username
    for username in ("admin", "canbo", "giamdoc", "giangvien", "capuy", "tinh"):
        assert username in seeded


def test_lecturers_of_every_kind_and_the_leaders_teach(seeded):
    kinds = set(Lecturer.objects.values_list("kind", flat=True))

    assert kinds == set(LecturerKind.values)
    for centre in Centre.objects.all():
        lecturers = Lecturer.objects.filter(centre=centre)
        assert lecturers.count() == 4
        assert lecturers.filter(position=LecturerPosition.DIRECTOR).exists()
        assert lecturers.filter(position=LecturerPosition.DEPUTY).exists()


def test_the_demo_lecturer_teaches_the_current_classes(seeded):
    lecturer = User.objects.get(username="giangvien").lecturer
    taught = set(lecturer.sessions.values_list("course__status", flat=True))

    assert {CourseStatus.IN_PROGRESS, CourseStatus.GRADING} <= taught


def test_no_lecturer_or_room_is_booked_twice(seeded):
    lecturer_clashes = (
        Session.objects.filter(lecturer__isnull=False)
        .values("lecturer", "date", "part")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    room_clashes = (
        Session.objects.exclude(room="")
        .values("course__centre", "room", "date", "part")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not lecturer_clashes.exists()
    assert not room_clashes.exists()


def test_sessions_skip_sundays_and_holidays(seeded):
    for session in Session.objects.select_related("course__centre"):
        assert session.date.weekday() != 6
        assert not session.course.centre.holidays.filter(date=session.date).exists()


def test_classes_that_started_have_sessions_and_attendance_only_in_the_past(seeded):
    today = timezone.localdate()
    for status in (CourseStatus.IN_PROGRESS, CourseStatus.GRADING, CourseStatus.CLOSED):
        for course in Course.objects.filter(status=status):
            assert course.sessions.exists(), course.code
            assert course.enrolments.exists(), course.code
    assert Attendance.objects.exists()
    assert not Attendance.objects.filter(session__date__gte=today).exists()
    assert not Attendance.objects.filter(
        session__course__status__in=[CourseStatus.ENROLLING, CourseStatus.PLANNED]
    ).exists()
    assert not Enrolment.objects.filter(course__status=CourseStatus.PLANNED).exists()


def test_closed_classes_have_a_result_for_every_enrolment(seeded):
    closed = Enrolment.objects.filter(course__status=CourseStatus.CLOSED)

    assert closed.exists()
    assert not closed.filter(passed__isnull=True).exists()
    assert not closed.filter(result_computed_at__isnull=True).exists()
    assert closed.filter(passed=True).exists()
    assessed = closed.filter(course__is_assessed=True, status=EnrolmentStatus.ACTIVE)
    assert not assessed.filter(final_score__isnull=True).exists()
    for course in Course.objects.filter(status=CourseStatus.CLOSED):
        scheduled = course.sessions.aggregate(total=Sum("periods"))["total"]
        assert set(course.enrolments.values_list("scheduled_periods", flat=True)) == {scheduled}


def test_closed_classes_were_closed_through_the_closing_service(seeded):
    for course in Course.objects.filter(status=CourseStatus.CLOSED):
        change = course.status_changes.get()
        assert (change.old_status, change.new_status) == (CourseStatus.GRADING, CourseStatus.CLOSED)
        assert change.user.role == Role.STAFF and change.user.centre_id == course.centre_id
        assert course.end_date < change.created_at.date() <= timezone.localdate()
        # Every session's attendance was taken: closing asked nobody to confirm "all present".
        assert untaken_sessions(course) == [] and change.reason == "", course.code
        stored = {
            e.pk: (e.final_score, e.classification, e.is_eligible, e.passed)
            for e in course.enrolments.all()
        }
        recomputed = {
            c.enrolment.pk: (
                c.result.final_score,
                c.result.classification,
                c.result.is_eligible,
                c.result.passed,
            )
            for c in course_results(course)
        }
        assert stored == recomputed, course.code
        history = Enrolment.history.filter(course_id=course.pk, result_computed_at__isnull=False)
        assert history.count() == len(stored)
        assert set(history.values_list("history_user", flat=True)) == {change.user_id}


def test_closed_classes_show_real_distributions(seeded):
    closed = Enrolment.objects.filter(course__status=CourseStatus.CLOSED)
    bands = set(closed.exclude(classification="").values_list("classification", flat=True))
    assert len(bands) >= 3


def test_a_class_in_grading_waits_for_its_scores(seeded):
    grading = Course.objects.filter(status=CourseStatus.GRADING)
    assert grading.exists()
    assert not Enrolment.objects.filter(course__in=grading, result_computed_at__isnull=False)


def test_scores_stay_within_range(seeded):
    scores = Score.objects.all()

    assert scores.exists()
    for score in scores:
        assert 0 <= score.score <= 10
        assert score.score * 4 == int(score.score * 4)


def test_trainees_names_are_normalised_with_keys_on_the_bulk_path(seeded):
    trainees = list(Trainee.objects.all())

    assert len(trainees) >= 60
    for trainee in trainees:
        assert trainee.full_name == unicodedata.normalize("NFC", trainee.full_name)
        assert trainee.sort_key == sort_key(trainee.full_name)
        assert trainee.search_key == search_key(trainee.full_name)
        assert 1965 <= trainee.date_of_birth.year <= 2005
        assert trainee.national_id is None or re.fullmatch(r"\d{12}", trainee.national_id)
    for lecturer in Lecturer.objects.all():
        assert lecturer.sort_key == sort_key(lecturer.full_name)
    assert {t.gender for t in trainees} == {"M", "F"}


def test_candidates_are_not_members_and_new_members_joined_recently(seeded):
    for enrolment in Enrolment.objects.select_related("course", "trainee"):
        trainee, course = enrolment.trainee, enrolment.course
        if course.program.code == "KND" and course.status != CourseStatus.CLOSED:
            assert not trainee.is_party_member, trainee.full_name
        if course.program.code == "DVM":
            assert trainee.is_party_member, trainee.full_name
            assert trainee.party_joined_on < course.start_date
            assert (course.start_date - trainee.party_joined_on).days <= 366


def test_no_town_is_active_after_the_reorganisation(seeded):
    towns = Unit.objects.filter(kind=UnitKind.TOWN)

    assert towns.exists()
    assert not towns.filter(active=True).exists()
    for town in towns:
        assert town.merged_on == REORGANISATION
        assert town.merged_into is not None and town.merged_into.active
    assert Unit.objects.filter(merged_into__isnull=False).count() >= 4
    later = Enrolment.objects.filter(course__start_date__gte=REORGANISATION)
    assert not later.filter(unit__active=False).exists()
    assert not later.filter(unit__kind=UnitKind.TOWN).exists()
    # A trainee's own unit is where they are now; the enrolment keeps the unit of that time.
    assert not Trainee.objects.filter(unit__active=False).exists()


def test_annual_plans_are_approved_with_targets(seeded):
    today = timezone.localdate()
    for centre in Centre.objects.all():
        for year in (today.year - 1, today.year):
            plan = AnnualPlan.objects.get(centre=centre, year=year)
            assert plan.status == PlanStatus.APPROVED
            opened = set(
                centre.courses.filter(start_date__year=year).values_list("program", flat=True)
            )
            assert set(plan.targets.values_list("program", flat=True)) == opened


def test_running_twice_changes_nothing(seeded):
    before, before_sum = snapshot(), checksum()

    output = run("seed_demo", "--scale", "small")

    assert snapshot() == before
    assert checksum() == before_sum
    assert "PL" in output and "đã có" in output


def test_demo_accounts_lists_the_accounts_with_the_demo_password(seeded):
    changed = User.objects.get(username="canbo2")
    changed.set_password("mat-khau-rieng-2026")
    changed.save()
    User.objects.get(username="capuy").delete()

    output = run("demo_accounts")

    for username in ("admin", "canbo", "giamdoc", "giangvien", "tinh", "donvi"):
        assert re.search(rf"^{username}\s", output, re.MULTILINE), username
    assert re.search(r"^donvi\s+Cán bộ đơn vị – Đảng bộ phường Phú Lợi\s", output, re.MULTILINE)
    assert not re.search(r"^canbo2\s", output, re.MULTILINE)
    assert not re.search(r"^capuy\s", output, re.MULTILINE)
    assert DEMO_PASSWORD in output
    assert "Phú Lợi" in output and "Tất cả trung tâm" in output
    assert "đổi mật khẩu" in output


def test_last_years_passing_trainees_have_certificates_and_one_was_reissued(seeded):
    from lophoc.models import Certificate, CertificateStatus

    certificates = Certificate.objects.all()
    assert certificates.exists()
    assert not certificates.filter(enrolment__passed=False).exists()
    replaced = list(certificates.filter(status=CertificateStatus.REPLACED))
    assert len(replaced) == certificates.values("centre").distinct().count()
    assert all(c.replaced_by.status == CertificateStatus.VALID for c in replaced)
    certified = Enrolment.objects.filter(certificates__status=CertificateStatus.VALID)
    assert certified.count() == certified.distinct().count()


def test_an_open_call_has_two_units_answered(seeded):
    from chieusinh.models import Call, CallStatus

    call = Call.objects.get(centre__code="PL")
    today = timezone.localdate()

    assert call.status == CallStatus.PUBLISHED and today <= call.deadline < call.course.start_date
    assert call.course.status in (CourseStatus.ENROLLING, CourseStatus.PLANNED)
    assert call.quotas.count() == 4
    answered = call.answers.filter(submitted_at__isnull=False)
    assert answered.count() == 2
    for answer in answered:
        lines = list(answer.lines.select_related("trainee"))
        assert lines and all(line.trainee.unit_id == answer.unit_id for line in lines)
    # The demo liaison's unit is asked and has not answered yet: something to try.
    assert call.quotas.filter(unit__name="Đảng bộ phường Phú Lợi").exists()
    assert not call.answers.filter(unit__name="Đảng bộ phường Phú Lợi").exists()
    assert Notification.objects.filter(
        unit__name="Đảng bộ phường Phú Lợi", kind="call_opened"
    ).exists()


def test_next_years_survey_is_partly_answered(seeded):
    from khaosat.models import Survey, SurveyStatus

    survey = Survey.objects.get(centre__code="PL")

    assert survey.status == SurveyStatus.OPEN
    assert survey.year == timezone.localdate().year + 1
    answered = survey.answers.count()
    assert answered == 3 and survey.asked.count() > answered
    assert survey.asked.filter(unit__name="Đảng bộ phường Phú Lợi").exists()
    assert not survey.answers.filter(unit__name="Đảng bộ phường Phú Lợi").exists()
    expected = survey.answers.get(unit__name="Phường Hòa Lợi").lines.values_list(
        "program__code", "expected"
    )
    assert sorted(expected) == [("CNKT", 25), ("DVM", 8), ("KND", 12)]

"""Tổng quan: the figures on the page against an independent count of the rows made here, per
role and scope, plan and last year, and a number of queries that does not grow with the data."""

import datetime
import itertools
import re
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.models import (
    Certificate,
    Classification,
    CourseStatus,
    EnrolmentStatus,
    ProgramSystem,
)
from tests import builders
from trungtam.documents.numbers import format_number, format_percent
from trungtam.models import Role
from trungtam.reports import dashboard_views
from trungtam.reports.models import AnnualPlan, PlanTarget

pytestmark = pytest.mark.django_db
PAGE = reverse("reports:dashboard")
YEAR = 2026
OPENED = {
    CourseStatus.ENROLLING,
    CourseStatus.IN_PROGRESS,
    CourseStatus.GRADING,
    CourseStatus.CLOSED,
}
_certificates = itertools.count(1)


@dataclass
class E:
    """One enrolment to create: status, passed, classification, periods, certificate."""

    passed: bool | None = True
    classification: str = ""
    scheduled: int = 20
    absent: int = 0
    status: str = EnrolmentStatus.ACTIVE
    certificate: str = ""  # "", "valid" or "voided"
    unit: object = None


@dataclass
class C:
    """One class to create and what it holds."""

    centre: object
    program: object
    status: str
    start: datetime.date
    enrolments: list[E] = field(default_factory=list)
    is_assessed: bool = True


def make_certificate(enrolment, status):
    n = next(_certificates)
    course = enrolment.course
    return Certificate.objects.create(
        centre=course.centre,
        enrolment=enrolment,
        course=course,
        year=course.start_date.year,
        sequence=n,
        number=f"{n}-GCN/TTCT",
        register_number=str(n),
        issued_on=course.end_date,
        verification_code=f"DB{n:06d}",
        status=status,
        void_reason="In sai tên" if status == "voided" else "",
        signer_title="GIÁM ĐỐC",
        signer_name="Nguyễn Văn Giám",
        full_name=enrolment.trainee.full_name,
        date_of_birth=enrolment.trainee.date_of_birth,
        course_code=course.code,
        course_name=course.name,
        program_name=course.program.name,
        course_start=course.start_date,
        course_end=course.end_date,
    )


def create(classes: list[C]) -> list[C]:
    for spec in classes:
        course = builders.make_course(
            spec.centre,
            program=spec.program,
            status=spec.status,
            start_date=spec.start,
            is_assessed=spec.is_assessed,
        )
        for e in spec.enrolments:
            enrolment = builders.make_enrolment(
                course,
                status=e.status,
                passed=e.passed,
                classification=e.classification,
                scheduled_periods=e.scheduled,
                absent_periods=e.absent,
                unit=e.unit,
            )
            if e.certificate:
                make_certificate(enrolment, e.certificate)
    return classes


def plan(centre, year, targets):
    annual = AnnualPlan.objects.create(centre=centre, year=year)
    for program, classes, trainees in targets:
        PlanTarget.objects.create(
            plan=annual, program=program, planned_classes=classes, planned_trainees=trainees
        )
    return [(centre, year, classes, trainees) for _, classes, trainees in targets]


@dataclass
class World:
    classes: list[C]
    targets: list[tuple]  # (centre, year, planned classes, planned trainees)
    units: dict


@pytest.fixture
def world(centre, other_centre):
    party = builders.make_program(centre, system=ProgramSystem.PARTY)
    state = builders.make_program(centre, system=ProgramSystem.STATE)
    mass = builders.make_program(centre, system=ProgramSystem.MASS)
    other_party = builders.make_program(other_centre, system=ProgramSystem.PARTY)
    near = builders.make_unit(centre, name="Xã Phú Lợi")
    far = builders.make_unit(centre, name="Xã An Tây")
    targets = plan(centre, YEAR, [(party, 3, 60), (state, 2, 40), (mass, 1, 20)])
    targets += plan(centre, YEAR - 1, [(party, 2, 50)])
    targets += plan(other_centre, YEAR, [(other_party, 1, 30)])
    classes = [
        C(
            centre,
            party,
            CourseStatus.CLOSED,
            datetime.date(YEAR, 3, 2),
            [
                E(True, Classification.EXCELLENT, 20, 0, certificate="valid", unit=near),
                E(True, Classification.GOOD, 20, 2, certificate="valid", unit=near),
                E(True, Classification.FAIR, 20, 4, certificate="voided", unit=far),
                E(False, Classification.FAIL, 20, 0, unit=far),
                E(False, "", 20, 8, status=EnrolmentStatus.NOT_ELIGIBLE, unit=far),
                E(None, "", 20, 10, status=EnrolmentStatus.WITHDRAWN, unit=near),
            ],
        ),
        C(
            centre,
            party,
            CourseStatus.IN_PROGRESS,
            datetime.date(YEAR, 10, 5),
            [E(None, "", 12, 1, unit=near), E(None, "", 12, 1, unit=far)],
        ),
        C(centre, state, CourseStatus.PLANNED, datetime.date(YEAR, 11, 9)),
        C(centre, state, CourseStatus.CANCELLED, datetime.date(YEAR, 4, 6)),
        C(
            centre,
            mass,
            CourseStatus.CLOSED,
            datetime.date(YEAR, 5, 11),
            [E(True, "", 8, 0, certificate="valid", unit=near), E(True, "", 8, 0, unit=near)],
            is_assessed=False,
        ),
        C(
            centre,
            party,
            CourseStatus.CLOSED,
            datetime.date(YEAR - 1, 6, 1),
            [
                E(True, Classification.GOOD, 10, 0, certificate="valid"),
                E(True, Classification.AVERAGE, 10, 1),
                E(False, Classification.FAIL, 10, 0),
            ],
        ),
        C(
            other_centre,
            other_party,
            CourseStatus.CLOSED,
            datetime.date(YEAR, 3, 16),
            [
                E(True, Classification.EXCELLENT, 10, 0, certificate="valid"),
                E(True, Classification.EXCELLENT, 10, 2, certificate="valid"),
            ],
        ),
    ]
    return World(create(classes), targets, {"near": near, "far": far})


def expected(world: World, centres, year) -> dict:
    """The year's figures counted with plain loops over the rows this module made."""
    ids = {c.pk for c in centres}
    counts = dict.fromkeys(
        [
            "planned_classes",
            "planned_trainees",
            "opened",
            "finished",
            "enrolled",
            "completed",
            "certified",
            "scheduled",
            "absent",
            "closed",
            "assessed",
            "good",
        ],
        0,
    )
    for centre, y, classes, trainees in world.targets:
        if centre.pk in ids and y == year:
            counts["planned_classes"] += classes
            counts["planned_trainees"] += trainees
    for spec in world.classes:
        if spec.centre.pk not in ids or spec.start.year != year or spec.status not in OPENED:
            continue
        counts["opened"] += 1
        closed = spec.status == CourseStatus.CLOSED
        counts["finished"] += closed
        for e in spec.enrolments:
            counts["enrolled"] += 1
            counts["certified"] += e.certificate == "valid"
            if e.status == EnrolmentStatus.WITHDRAWN:
                continue
            counts["scheduled"] += e.scheduled
            counts["absent"] += e.absent
            if closed:
                counts["closed"] += 1
                counts["completed"] += e.passed is True
                if spec.is_assessed:
                    counts["assessed"] += 1
                    counts["good"] += e.classification in (
                        Classification.EXCELLENT,
                        Classification.GOOD,
                    )
    counts["attendance"] = format_percent(
        counts["scheduled"] - counts["absent"], counts["scheduled"]
    )
    counts["pass_rate"] = format_percent(counts["completed"], counts["closed"])
    counts["good_rate"] = format_percent(counts["good"], counts["assessed"])
    return counts


def tile(html: str, key: str) -> dict:
    """The texts of one figure tile of the page."""
    start = html.index(f'data-tile="{key}"')
    end = html.find("data-tile=", start + 10)
    block = html[start : end if end > 0 else len(html)]

    def text(pattern):
        found = re.search(pattern, block, re.S)
        return re.sub(r"\s+", " ", found.group(1)).strip() if found else None

    return {
        "value": text(r"data-value>([^<]*)<"),
        "of_plan": text(r"data-of-plan>([^<]*)<"),
        "plan": text(r"data-plan>Kế hoạch ([^ ]*) "),
        "direction": text(r'data-change="([^"]*)"'),
        "change": text(r"data-change-text>([^<]*)<"),
    }


def login(client, user):
    client.force_login(user)
    return client


def test_staff_sees_the_figures_of_the_rows(client, world, staff, centre):
    html = login(client, staff).get(PAGE, {"nam": YEAR}).text
    want = expected(world, [centre], YEAR)
    assert tile(html, "planned_classes")["value"] == format_number(want["planned_classes"])
    for key in ("opened", "finished", "enrolled", "completed", "certified"):
        assert tile(html, key)["value"] == format_number(want[key]), key
    assert tile(html, "attendance_rate")["value"] == want["attendance"]
    assert tile(html, "pass_rate")["value"] == want["pass_rate"]
    assert tile(html, "good_or_better_rate")["value"] == want["good_rate"]
    # The counts themselves, so that a wrong expectation cannot hide a wrong page.
    assert (want["opened"], want["finished"], want["enrolled"], want["certified"]) == (3, 2, 10, 3)
    assert want["attendance"] == "88,6%"  # 124 of 140 periods


def test_figures_against_the_plan(client, world, staff, centre):
    html = login(client, staff).get(PAGE, {"nam": YEAR}).text
    want = expected(world, [centre], YEAR)
    opened = tile(html, "opened")
    assert opened["plan"] == "6"
    assert opened["of_plan"] == format_percent(want["opened"], want["planned_classes"]) == "50,0%"
    enrolled = tile(html, "enrolled")
    assert enrolled["plan"] == "120"
    assert enrolled["of_plan"] == format_percent(want["enrolled"], 120)
    assert tile(html, "completed")["of_plan"] == format_percent(want["completed"], 120)
    # A figure that is the plan itself, and rates, have no plan to be compared with.
    for key in ("planned_classes", "attendance_rate", "pass_rate"):
        assert tile(html, key)["of_plan"] is None


def test_arrows_and_changes_against_last_year(client, world, staff, centre):
    html = login(client, staff).get(PAGE, {"nam": YEAR}).text
    now, last = expected(world, [centre], YEAR), expected(world, [centre], YEAR - 1)

    def change(key):
        return format_percent(now[key] - last[key], last[key])

    assert (now["opened"], last["opened"]) == (3, 1)
    assert tile(html, "opened") | {"of_plan": None, "plan": None} == {
        "value": "3",
        "of_plan": None,
        "plan": None,
        "direction": "up",
        "change": "+" + change("opened"),
    }
    assert tile(html, "opened")["change"] == "+200,0%"
    assert tile(html, "planned_classes")["change"] == "+" + change("planned_classes")
    assert tile(html, "certified")["direction"] == "up"
    # Rates move in percentage points.
    pass_now = now["completed"] * 1000 // now["closed"]
    pass_last = last["completed"] * 1000 // last["closed"]
    assert pass_now > pass_last
    assert tile(html, "pass_rate")["direction"] == "up"
    assert tile(html, "pass_rate")["change"].endswith(" điểm %")
    attendance = tile(html, "attendance_rate")
    assert attendance["direction"] == "down"  # 88,6% against 96,7%
    assert attendance["change"] == "-8,1 điểm %"


def test_a_year_without_a_year_before_says_so(client, world, staff):
    html = login(client, staff).get(PAGE, {"nam": YEAR - 1}).text
    assert tile(html, "opened")["direction"] == ""
    assert f"Năm {YEAR - 2} chưa có số liệu để so sánh" in html


def test_staff_sees_only_their_centre(client, world, staff, centre, other_centre):
    login(client, staff)
    response = client.get(PAGE, {"nam": YEAR})
    assert response.context["data"].centres == [centre]
    assert 'data-table="centres"' not in response.text
    assert other_centre.name not in response.text
    assert client.get(PAGE, {"nam": YEAR, "trung_tam": other_centre.pk}).status_code == 404
    assert client.get(PAGE, {"nam": YEAR, "trung_tam": centre.pk}).status_code == 200


def test_a_centre_official_sees_that_centre_and_not_another(client, world, official, other_centre):
    login(client, official)
    html = client.get(PAGE, {"nam": YEAR}).text
    assert tile(html, "opened")["value"] == "3"
    assert client.get(PAGE, {"nam": YEAR, "trung_tam": other_centre.pk}).status_code == 404


def test_the_province_sees_a_row_per_centre_and_the_totals(
    client, world, province_official, centre, other_centre
):
    html = login(client, province_official).get(PAGE, {"nam": YEAR}).text
    both = expected(world, [centre, other_centre], YEAR)
    assert tile(html, "enrolled")["value"] == format_number(both["enrolled"])
    assert tile(html, "pass_rate")["value"] == both["pass_rate"]
    for who, key in ((centre, str(centre.pk)), (other_centre, str(other_centre.pk))):
        row = re.search(rf'<tr data-centre="{key}">(.*?)</tr>', html, re.S).group(1)
        want = expected(world, [who], YEAR)
        drill = f"{PAGE}?nam={YEAR}&amp;trung_tam={who.pk}"
        assert f'href="{drill}">{who.name}</a>' in row
        assert f"{want['opened']} / {want['planned_classes']}" in row
        assert re.search(r'data-col="pass">\s*' + re.escape(want["pass_rate"]), row)
    total = re.search(r'<tr[^>]*data-centre="total">(.*?)</tr>', html, re.S).group(1)
    assert "Tổng cộng" in total
    assert f"{both['opened']} / {both['planned_classes']}" in total
    assert re.search(r'data-col="attendance">\s*' + re.escape(both["attendance"]), total)


def test_the_province_drills_into_one_centre(client, world, province_official, other_centre):
    login(client, province_official)
    response = client.get(PAGE, {"nam": YEAR, "trung_tam": other_centre.pk})
    html = response.text
    want = expected(world, [other_centre], YEAR)
    assert 'data-table="centres"' not in html
    assert tile(html, "enrolled")["value"] == format_number(want["enrolled"]) == "2"
    assert tile(html, "good_or_better_rate")["value"] == "100,0%"
    assert response.context["crumbs"][0] == ("Tổng quan", f"{PAGE}?nam={YEAR}")
    assert f'name="trung_tam" value="{other_centre.pk}"' in html  # the year form stays here
    for bad in ("999999", "abc"):
        assert client.get(PAGE, {"nam": YEAR, "trung_tam": bad}).status_code == 404


def test_charts_write_their_numbers(client, world, staff, centre):
    html = login(client, staff).get(PAGE, {"nam": YEAR}).text
    party = re.search(r'<tr data-system="party">(.*?)</tr>', html, re.S).group(1)
    assert "2 / 3" in party  # two opened party classes of three planned
    assert re.search(r'data-system="state">.*?0 / 2', html, re.S)
    assert "Tháng 3: 6; Tháng 4: 0; Tháng 5: 2" in html  # enrolments by starting month
    assert "Tháng 10: 2" in html
    excellent = re.search(r'<tr data-band="excellent">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r"data-value>1<", excellent) and "20,0%" in excellent  # 1 of 5 assessed
    # Units, lowest attendance first: Xã An Tây 59/72 periods, Xã Phú Lợi 65/68.
    units = re.findall(r"<tr data-unit>\s*<th[^>]*>([^<]*)</th>", html)
    assert units == ["Xã An Tây", "Xã Phú Lợi"]
    # Bars are SVG presentation attributes, never inline styles (Content-Security-Policy).
    assert "style=" not in html.split('id="noi-dung"')[1]
    assert "<script" not in html.split('id="noi-dung"')[1].split("</main>")[0]


def test_the_year_selector_offers_the_years_with_classes_or_plans(
    client, world, staff, centre, other_centre
):
    builders.make_course(centre, start_date=datetime.date(2019, 5, 6))
    AnnualPlan.objects.create(centre=other_centre, year=2012)  # not this user's centre
    response = login(client, staff).get(PAGE, {"nam": YEAR})
    this_year = datetime.date.today().year
    newest = max(YEAR, this_year)
    assert response.context["years"] == list(range(newest, 2018, -1))
    assert f'<option value="{YEAR}" selected>' in response.text
    AnnualPlan.objects.create(centre=centre, year=2017)
    years = client.get(PAGE, {"nam": YEAR}).context["years"]
    assert (years[0], years[-1]) == (newest, 2017)


def test_a_centre_without_any_data_offers_this_year(client, db):
    user = builders.make_user(role=Role.STAFF, centre=builders.make_centre())
    this_year = datetime.date.today().year
    assert login(client, user).get(PAGE).context["years"] == [this_year]


def test_the_year_defaults_to_this_year(client, world, staff):
    login(client, staff)
    this_year = datetime.date.today().year
    for query in ({}, {"nam": "abc"}, {"nam": "99999"}):
        assert client.get(PAGE, query).context["year"] == this_year


def test_an_empty_year_says_what_to_do(client, world, staff):
    html = login(client, staff).get(PAGE, {"nam": 2010}).text
    assert "Năm 2010 chưa có kế hoạch hay lớp học nào" in html
    assert "data-tile" not in html


def test_a_year_without_a_plan_says_so(client, world, staff, centre):
    PlanTarget.objects.filter(plan__year=YEAR).delete()
    html = login(client, staff).get(PAGE, {"nam": YEAR}).text
    assert "data-no-plan" in html
    assert tile(html, "opened")["of_plan"] is None


def test_lecturers_get_403(client, world, lecturer):
    assert login(client, lecturer).get(PAGE).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["staff", "admin_user", "official", "province_official"])
def test_every_reporting_role_opens_the_page(client, world, request, role):
    assert login(client, request.getfixturevalue(role)).get(PAGE).status_code == 200


def test_an_admin_of_every_centre_sees_the_centre_rows(client, world, superuser):
    html = login(client, superuser).get(PAGE, {"nam": YEAR}).text
    assert 'data-table="centres"' in html


def _grow(centre, other_centre, n):
    """n more classes per centre in the year, each with enrolments, results and a certificate."""
    units = [builders.make_unit(centre), builders.make_unit(other_centre)]
    for i in range(n):
        for where, unit in zip((centre, other_centre), units, strict=True):
            program = builders.make_program(where, system=list(ProgramSystem)[i % 5])
            annual, _ = AnnualPlan.objects.get_or_create(centre=where, year=YEAR)
            PlanTarget.objects.create(
                plan=annual, program=program, planned_classes=1, planned_trainees=3
            )
            create(
                [
                    C(
                        where,
                        program,
                        CourseStatus.CLOSED,
                        datetime.date(YEAR, 1 + i % 12, 3),
                        [
                            E(True, Classification.GOOD, 8, 1, certificate="valid", unit=unit),
                            E(False, Classification.FAIL, 8, 2, unit=unit),
                        ],
                    ),
                    C(where, program, CourseStatus.CLOSED, datetime.date(YEAR - 1, 2, 2), [E()]),
                ]
            )


def _page_queries(queries) -> list[str]:
    """What the page asks the database, without the savepoints of the test's transaction."""
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("role", ["province_official", "staff"])
def test_queries_do_not_grow_with_the_data(client, request, role, centre, other_centre):
    login(client, request.getfixturevalue(role))

    def count():
        client.get(PAGE, {"nam": YEAR})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, {"nam": YEAR}).status_code == 200
        return _page_queries(queries)

    _grow(centre, other_centre, 2)
    small = count()
    _grow(centre, other_centre, 4)
    assert len(count()) == len(small)
    # Session, user, session update, then the centres and eleven grouped queries of figures.
    assert len(small) <= 15, small


def test_a_drill_in_costs_no_more_than_the_province_view(
    client, province_official, centre, other_centre
):
    _grow(centre, other_centre, 1)
    login(client, province_official)

    def count(query):
        client.get(PAGE, query)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE, query).status_code == 200
        return len(queries)

    assert count({"nam": YEAR, "trung_tam": centre.pk}) <= count({"nam": YEAR})


def test_a_user_without_a_centre_sees_an_empty_page(client, db):
    # An official of every centre in an installation that has none yet.
    user = builders.make_user(role=Role.OFFICIAL, centre=None)
    html = login(client, user).get(PAGE).text
    assert "data-empty" in html


def test_the_page_links_to_the_yearly_reports_and_the_plans(
    client, world, province_official, staff, centre, other_centre
):
    login(client, province_official)
    html = client.get(PAGE, {"nam": YEAR}).text
    assert f'href="{reverse("reports:yearly_all_pdf", args=[YEAR])}"' in html
    assert f'href="{reverse("reports:plan_list")}"' in html
    assert 'data-link="yearly-pdf"' not in html
    html = client.get(PAGE, {"nam": YEAR, "trung_tam": other_centre.pk}).text
    assert f'href="{reverse("reports:yearly_detail", args=[other_centre.pk, YEAR])}"' in html
    assert f'href="{reverse("reports:yearly_pdf", args=[other_centre.pk, YEAR])}"' in html
    assert "yearly-all-pdf" not in html
    html = login(client, staff).get(PAGE, {"nam": YEAR - 1}).text
    assert f'href="{reverse("reports:yearly_pdf", args=[centre.pk, YEAR - 1])}"' in html


def test_a_page_that_does_not_exist_yet_is_not_linked():
    assert dashboard_views._link("reports:khong_co") is None
    assert dashboard_views._link("reports:plan_list") == reverse("reports:plan_list")

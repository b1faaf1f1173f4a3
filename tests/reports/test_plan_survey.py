"""The annual plan and the needs survey of its year: «Lập từ kết quả khảo sát» drafts targets
from the survey's totals, and the plan page shows the demand next to each target."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import UnitKind
from khaosat.models import SurveyStatus
from lophoc.models import CourseStatus
from tests import builders
from tests.khaosat.helpers import answer, make_survey, make_units
from tests.reports.plan_helpers import make_leader, make_plan, make_programs
from trungtam.reports.models import PlanStatus, PlanTarget
from trungtam.reports.plan import PlanLocked
from trungtam.reports.plan_survey import (
    DEFAULT_CLASS_SIZE,
    from_survey_preview,
    plan_from_survey,
    usual_class_sizes,
)

pytestmark = pytest.mark.django_db
YEAR = 2027  # the year planned and surveyed


def url(name, plan):
    return reverse(f"reports:{name}", args=[plan.pk])


@pytest.fixture
def programs(centre):
    return make_programs(centre)


@pytest.fixture
def units(centre):
    return [
        builders.make_unit(centre, name="Phường Phú Lợi", kind=UnitKind.WARD),
        builders.make_unit(centre, name="Xã Bình Mỹ", kind=UnitKind.COMMUNE),
    ]


@pytest.fixture
def survey(centre, units, programs):
    survey = make_survey(centre, units=units, year=YEAR)
    answer(survey, units[0], {programs["knd"]: 70, programs["dvm"]: 12})
    answer(survey, units[1], {programs["knd"]: 60, programs["ap"]: 25})
    return survey


def targets_of(plan):
    return {
        t.program.code: (t.planned_classes, t.planned_trainees, t.notes)
        for t in PlanTarget.objects.filter(plan=plan).select_related("program")
    }


class TestService:
    def test_targets_come_from_the_totals_and_classes_from_the_usual_size(
        self, centre, programs, survey, staff
    ):
        # KND classes usually take 50 (two past classes of 40 and 60); the others never ran.
        builders.make_course(centre, program=programs["knd"], capacity=40)
        builders.make_course(centre, program=programs["knd"], capacity=60)
        builders.make_course(
            centre, program=programs["knd"], capacity=10, status=CourseStatus.CANCELLED
        )
        plan = make_plan(
            centre, YEAR, targets={programs["knd"]: (1, 20, "Ưu tiên"), programs["qp"]: (1, 40)}
        )
        result = plan_from_survey(plan=plan, user=staff)
        assert targets_of(plan) == {
            "KND": (3, 130, "Ưu tiên"),  # ceil(130 / 50)
            "DVM": (1, 12, ""),  # ceil(12 / DEFAULT_CLASS_SIZE)
            "AP": (1, 25, ""),
            "QP": (1, 40, ""),  # nobody asked: kept
        }
        assert len(result.changed) == 3
        assert "Kiến thức quốc phòng" in result.summary()
        assert usual_class_sizes(centre.pk, [programs["knd"].pk]) == {programs["knd"].pk: 50}
        assert DEFAULT_CLASS_SIZE == 80
        # The history says who.
        assert PlanTarget.history.filter(program=programs["dvm"]).get().history_user == staff

    def test_an_approved_plan_is_refused(self, centre, programs, survey):
        plan = make_plan(
            centre, YEAR, targets={programs["knd"]: (1, 20)}, status=PlanStatus.APPROVED
        )
        with pytest.raises(PlanLocked):
            plan_from_survey(plan=plan)
        assert targets_of(plan) == {"KND": (1, 20, "")}

    def test_without_a_survey_or_answers_it_says_so(self, centre, programs, units):
        plan = make_plan(centre, YEAR)
        with pytest.raises(ValidationError, match="Chưa có khảo sát nhu cầu năm 2027"):
            from_survey_preview(plan)
        make_survey(centre, units=units, year=YEAR)
        with pytest.raises(ValidationError, match="chưa có đơn vị nào đăng ký"):
            from_survey_preview(plan)


class TestViews:
    def test_the_plan_page_offers_it_and_shows_the_demand(
        self, client, staff, centre, programs, survey
    ):
        plan = make_plan(centre, YEAR, targets={programs["knd"]: (2, 100), programs["qp"]: (1, 40)})
        client.force_login(staff)
        page = client.get(url("plan_detail", plan))
        assert 'id="tu-khao-sat"' in page.text
        demand = {row.program_id: row.demand for row in page.context["table"].rows}
        assert demand == {programs["knd"].pk: 130, programs["qp"].pk: 0}
        assert 'id="tong-nhu-cau">130<' in page.text
        assert "Nhu cầu (khảo sát)" in page.text

    def test_without_a_survey_the_page_is_unchanged(self, client, staff, centre, programs):
        plan = make_plan(centre, YEAR, targets={programs["knd"]: (2, 100)})
        client.force_login(staff)
        page = client.get(url("plan_detail", plan))
        assert "tu-khao-sat" not in page.text and "Nhu cầu (khảo sát)" not in page.text

    def test_officials_see_the_demand_but_not_the_button(
        self, client, official, centre, programs, survey
    ):
        plan = make_plan(centre, YEAR, targets={programs["knd"]: (2, 100)})
        client.force_login(official)
        page = client.get(url("plan_detail", plan))
        assert "Nhu cầu (khảo sát)" in page.text and "tu-khao-sat" not in page.text
        assert client.get(url("plan_from_survey", plan)).status_code == 403
        assert client.post(url("plan_from_survey", plan)).status_code == 403

    def test_preview_then_apply(self, client, staff, centre, programs, survey):
        plan = make_plan(centre, YEAR, targets={programs["knd"]: (2, 100)})
        client.force_login(staff)
        preview = client.get(url("plan_from_survey", plan))
        assert preview.status_code == 200
        assert "Ghi 3 chỉ tiêu vào dự thảo" in preview.text
        assert targets_of(plan) == {"KND": (2, 100, "")}  # nothing written yet
        response = client.post(url("plan_from_survey", plan))
        assert response["Location"] == url("plan_detail", plan)
        assert targets_of(plan)["KND"] == (2, 130, "")  # ceil(130 / 80)
        page = client.get(response["Location"])
        assert "Đã lập chỉ tiêu từ kết quả khảo sát nhu cầu năm 2027" in page.text

    def test_an_approved_plan_is_sent_back_with_the_reason(self, client, centre, programs, survey):
        leader = make_leader(centre)
        plan = make_plan(
            centre, YEAR, targets={programs["knd"]: (2, 100)}, status=PlanStatus.APPROVED
        )
        client.force_login(leader)
        response = client.post(url("plan_from_survey", plan))
        assert response["Location"] == url("plan_detail", plan)
        assert "đã được phê duyệt" in client.get(response["Location"]).text
        assert targets_of(plan) == {"KND": (2, 100, "")}

    def test_without_a_survey_it_says_what_to_do(self, client, staff, centre, programs):
        plan = make_plan(centre, YEAR)
        client.force_login(staff)
        response = client.get(url("plan_from_survey", plan), follow=True)
        assert "Chưa có khảo sát nhu cầu năm 2027" in response.text

    def test_the_plan_page_queries_do_not_grow_with_the_units(
        self, client, staff, centre, programs
    ):
        survey = make_survey(centre, year=YEAR, status=SurveyStatus.OPEN)
        plan = make_plan(centre, YEAR, targets={programs["knd"]: (2, 100)})
        client.force_login(staff)
        counts = []
        for size, prefix in ((3, "Xã A"), (9, "Xã B")):
            units = make_units(centre, size, prefix=prefix)
            survey.asked.model.objects.bulk_create(
                [survey.asked.model(survey=survey, unit=u) for u in units]
            )
            for u in units:
                answer(survey, u, {programs["knd"]: 10, programs["dvm"]: 2})
            for name in ("plan_detail", "plan_from_survey"):
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(url(name, plan)).status_code == 200
                counts.append((name, len(queries)))
        assert counts[:2] == counts[2:]

"""Needs survey pages: staff open, send, follow and close a survey; a unit answers it; every role
gets what DESIGN §7 says; bad input changes nothing; the pages' queries do not grow with units."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hocvien.models import UnitKind
from khaosat.models import Survey, SurveyAnswer, SurveyLine, SurveyStatus
from tests import builders
from tests.khaosat.helpers import (
    IN_A_MONTH,
    NEXT_YEAR,
    TODAY,
    answer,
    make_catalogue,
    make_liaison,
    make_survey,
    make_units,
)
from tests.xlsx_reading import sheet_rows
from thongbao.models import Notification

pytestmark = pytest.mark.django_db


def url(name, survey=None):
    return reverse(f"khaosat:{name}", args=[survey.pk] if survey else [])


@pytest.fixture
def catalogue(centre):
    return make_catalogue(centre)


@pytest.fixture
def unit(centre):
    return builders.make_unit(centre, name="Phường Phú Lợi", kind=UnitKind.WARD)


@pytest.fixture
def neighbour(centre):
    return builders.make_unit(centre, name="Xã Bình Mỹ", kind=UnitKind.COMMUNE)


@pytest.fixture
def liaison(unit):
    return make_liaison(unit)


@pytest.fixture
def survey(centre, unit, neighbour, catalogue):
    return make_survey(centre, units=[unit, neighbour])


def grid(catalogue, **figures):
    """POST data of the answer form: {code: expected or (expected, note)}."""
    data = {}
    for code, value in figures.items():
        expected, note = value if isinstance(value, tuple) else (value, "")
        program = catalogue[code.lower()]
        data[f"so_hoc_vien_{program.pk}"] = str(expected)
        data[f"ghi_chu_{program.pk}"] = note
    return data


# --- who gets what -------------------------------------------------------------------------------


class TestRoles:
    STAFF_PAGES = ["survey_detail", "survey_edit", "survey_publish", "survey_xlsx"]

    def test_staff_open_every_page(self, client, staff, survey):
        client.force_login(staff)
        assert client.get(url("survey_list")).status_code == 200
        assert client.get(url("survey_create")).status_code == 200
        for name in ["survey_detail", "survey_edit", "survey_close", "survey_xlsx"]:
            assert client.get(url(name, survey)).status_code == 200, name

    @pytest.mark.parametrize("role", ["lecturer", "official"])
    def test_lecturers_and_officials_are_refused(self, client, request, role, survey):
        client.force_login(request.getfixturevalue(role))
        assert client.get(url("survey_list")).status_code == 403
        for name in ["survey_detail", "survey_xlsx", "answer"]:
            assert client.get(url(name, survey)).status_code == 403, name

    def test_another_centres_staff_do_not_find_it(self, client, other_staff, survey):
        client.force_login(other_staff)
        for name in ["survey_detail", "survey_edit", "survey_xlsx", "answer"]:
            assert client.get(url(name, survey)).status_code == 404, name

    def test_the_liaison_answers_but_never_manages(self, client, liaison, survey):
        client.force_login(liaison)
        assert client.get(url("survey_list")).status_code == 403
        assert client.get(url("survey_detail", survey)).status_code == 403
        assert client.get(url("answer", survey)).status_code == 200

    def test_a_survey_not_asking_the_liaisons_unit_does_not_exist_for_it(
        self, client, centre, liaison, neighbour
    ):
        other = make_survey(centre, units=[neighbour])
        client.force_login(liaison)
        assert client.get(url("answer", other)).status_code == 404

    def test_a_survey_not_sent_does_not_exist_for_the_liaison(self, client, centre, unit, liaison):
        draft = make_survey(centre, units=[unit], status=SurveyStatus.DRAFT)
        client.force_login(liaison)
        assert client.get(url("answer", draft)).status_code == 404


# --- staff: open, send, follow, close -----------------------------------------------------------


class TestStaff:
    def test_opening_a_survey_with_the_default_units(self, client, staff, centre, unit, neighbour):
        builders.make_unit(centre, name="Trường THCS Phú Lợi", kind=UnitKind.SCHOOL)
        client.force_login(staff)
        form = client.get(url("survey_create"))
        assert form.context["form"]["year"].initial == NEXT_YEAR
        assert set(form.context["form"]["units"].initial) == {unit.pk, neighbour.pk}
        response = client.post(
            url("survey_create"),
            {
                "nam": NEXT_YEAR,
                "han_tra_loi": IN_A_MONTH.strftime("%d/%m/%Y"),
                "ghi_chu": "Theo Kế hoạch số 12",
                "don_vi": [unit.pk, neighbour.pk],
            },
        )
        survey = Survey.objects.get()
        assert response["Location"] == url("survey_detail", survey)
        assert survey.deadline == IN_A_MONTH and survey.status == SurveyStatus.DRAFT
        page = client.get(response["Location"])
        assert "Đã lập khảo sát nhu cầu năm" in page.text

    def test_a_second_survey_and_a_past_deadline_are_refused(self, client, staff, survey, unit):
        client.force_login(staff)
        response = client.post(
            url("survey_create"),
            {"nam": NEXT_YEAR, "han_tra_loi": IN_A_MONTH.strftime("%d/%m/%Y"), "don_vi": [unit.pk]},
        )
        assert response.status_code == 200
        assert "đã có khảo sát nhu cầu năm" in response.text
        assert response.context["existing"] == survey
        yesterday = TODAY - datetime.timedelta(days=1)
        response = client.post(
            url("survey_create"),
            {
                "nam": NEXT_YEAR + 1,
                "han_tra_loi": yesterday.strftime("%d/%m/%Y"),
                "don_vi": [unit.pk],
            },
        )
        assert "đã qua" in response.text
        assert Survey.objects.count() == 1

    def test_a_crafted_unit_of_another_centre_is_refused(self, client, staff, other_centre, unit):
        stranger = builders.make_unit(other_centre, name="Xã Khác")
        client.force_login(staff)
        response = client.post(
            url("survey_create"),
            {
                "nam": NEXT_YEAR,
                "han_tra_loi": IN_A_MONTH.strftime("%d/%m/%Y"),
                "don_vi": [unit.pk, stranger.pk],
            },
        )
        assert response.status_code == 200
        assert "Đơn vị đã chọn không còn trong danh sách" in response.text
        assert not Survey.objects.exists()

    def test_sending_notifies_the_units(self, client, staff, centre, unit, neighbour):
        draft = make_survey(centre, units=[unit, neighbour], status=SurveyStatus.DRAFT)
        client.force_login(staff)
        confirm = client.get(url("survey_publish", draft))
        assert "2 đơn vị sẽ nhận thông báo" in confirm.text
        response = client.post(url("survey_publish", draft))
        assert response["Location"] == url("survey_detail", draft)
        assert Notification.objects.count() == 2
        draft.refresh_from_db()
        assert draft.status == SurveyStatus.OPEN

    def test_the_page_shows_who_answered_and_the_totals(
        self, client, staff, survey, unit, catalogue
    ):
        answer(survey, unit, {catalogue["knd"]: 30, catalogue["dvm"]: 12})
        client.force_login(staff)
        response = client.get(url("survey_detail", survey))
        statuses = {row.unit.name: row.answered for row in response.context["statuses"]}
        assert statuses == {"Phường Phú Lợi": True, "Xã Bình Mỹ": False}
        assert response.context["answered_count"] == 1
        totals = {t.name: (t.units, t.expected) for t in response.context["totals"]}
        assert totals["Bồi dưỡng nhận thức về Đảng"] == (1, 30)
        assert 'id="tong-hoc-vien">42<' in response.text

    def test_staff_type_a_paper_answer(self, client, staff, survey, neighbour, catalogue):
        client.force_login(staff)
        page = client.get(url("answer", survey) + f"?don_vi={neighbour.pk}")
        assert page.status_code == 200 and "nhập phiếu giấy của" in page.text
        response = client.post(
            url("answer", survey), {"don_vi": neighbour.pk, **grid(catalogue, KND=15)}
        )
        assert response["Location"] == url("survey_detail", survey)
        saved = SurveyAnswer.objects.get(unit=neighbour)
        assert saved.on_paper and saved.submitted_by == staff
        # Without a unit chosen, staff are sent to the survey's page to choose one.
        assert client.get(url("answer", survey))["Location"] == url("survey_detail", survey)

    def test_closing(self, client, staff, survey):
        client.force_login(staff)
        response = client.post(url("survey_close", survey))
        assert response["Location"] == url("survey_detail", survey)
        survey.refresh_from_db()
        assert survey.status == SurveyStatus.CLOSED
        assert client.get(url("survey_edit", survey)).status_code == 302

    def test_the_xlsx_holds_the_totals_and_the_units(self, client, staff, survey, unit, catalogue):
        answer(survey, unit, {catalogue["knd"]: 30, catalogue["dvm"]: 12}, note="Quý II")
        client.force_login(staff)
        response = client.get(url("survey_xlsx", survey))
        assert response.status_code == 200
        assert (
            f"KS-{NEXT_YEAR}-TTA_tong-hop-khao-sat-nhu-cau.xlsx" in response["Content-Disposition"]
        )
        from io import BytesIO

        import openpyxl

        book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))
        totals = sheet_rows(book.worksheets[0])
        assert any(
            row[1] == "Bồi dưỡng nhận thức về Đảng" and row[3:5] == [1, 30] for row in totals
        )
        assert any(row[1] == "Tổng cộng" and row[4] == 42 for row in totals)
        units = sheet_rows(book.worksheets[1])
        by_unit = {row[1]: row for row in units[1:]}
        assert by_unit["Xã Bình Mỹ"][2] == "Chưa trả lời"
        assert by_unit["Phường Phú Lợi"][-2:] == [42, "Quý II"]


# --- the unit answers ----------------------------------------------------------------------------


class TestAnswer:
    def test_the_liaison_sends_and_changes_its_answer(
        self, client, liaison, survey, unit, catalogue
    ):
        client.force_login(liaison)
        page = client.get(url("answer", survey))
        assert [row["program"].code for row in page.context["rows"]] == ["KND", "DVM", "AP"]
        response = client.post(
            url("answer", survey),
            {
                "don_vi": unit.pk,
                "ghi_chu_chung": "Mở lớp quý II",
                **grid(catalogue, KND="1.200", DVM=(8, "Đảng viên mới")),
            },
        )
        assert response["Location"] == url("answer", survey)
        saved = SurveyAnswer.objects.get()
        assert (saved.unit, saved.note, saved.on_paper) == (unit, "Mở lớp quý II", False)
        lines = {line.program.code: (line.expected, line.note) for line in saved.lines.all()}
        assert lines == {"KND": (1200, ""), "DVM": (8, "Đảng viên mới")}
        page = client.get(response["Location"])
        assert "Đã gửi phiếu khảo sát nhu cầu năm" in page.text
        assert page.context["form"][f"so_hoc_vien_{catalogue['knd'].pk}"].value() == 1200
        client.post(url("answer", survey), {"don_vi": unit.pk, **grid(catalogue, KND=50)})
        assert {line.expected for line in SurveyLine.objects.all()} == {50}

    def test_a_crafted_post_for_another_unit_is_refused(
        self, client, liaison, survey, neighbour, catalogue
    ):
        client.force_login(liaison)
        response = client.post(
            url("answer", survey), {"don_vi": neighbour.pk, **grid(catalogue, KND=5)}
        )
        assert response.status_code == 404
        assert not SurveyAnswer.objects.exists()

    def test_a_crafted_program_of_another_centre_is_refused(
        self, client, liaison, survey, unit, catalogue, other_centre
    ):
        foreign = builders.make_program(other_centre, name="Chương trình khác")
        client.force_login(liaison)
        data = {"don_vi": unit.pk, **grid(catalogue, KND=5), f"so_hoc_vien_{foreign.pk}": "3"}
        response = client.post(url("answer", survey), data)
        assert response.status_code == 200
        assert "không thuộc danh mục khảo sát" in response.text
        assert not SurveyAnswer.objects.exists()

    def test_bad_numbers_keep_what_was_typed(self, client, liaison, survey, unit, catalogue):
        client.force_login(liaison)
        response = client.post(
            url("answer", survey), {"don_vi": unit.pk, **grid(catalogue, KND="mười", DVM=7)}
        )
        assert response.status_code == 200
        assert "Dòng «Bồi dưỡng nhận thức về Đảng»" in response.text
        assert 'value="mười"' in response.text and 'value="7"' in response.text
        assert not SurveyAnswer.objects.exists()

    def test_after_the_deadline_the_answer_is_read_only(
        self, client, liaison, centre, unit, catalogue
    ):
        late = make_survey(centre, units=[unit], deadline=TODAY - datetime.timedelta(days=1))
        client.force_login(liaison)
        page = client.get(url("answer", late))
        assert "Đã quá hạn trả lời khảo sát" in page.text
        response = client.post(url("answer", late), {"don_vi": unit.pk, **grid(catalogue, KND=5)})
        assert response.status_code == 302
        assert not SurveyAnswer.objects.exists()

    def test_a_commune_answers_for_the_units_under_it(
        self, client, centre, unit, liaison, catalogue
    ):
        cell = builders.make_unit(
            centre, name="Chi bộ Khu phố 1", parent=unit, kind=UnitKind.PARTY_ORG
        )
        survey = make_survey(centre, units=[unit, cell])
        client.force_login(liaison)
        page = client.get(url("answer", survey))
        assert page.context["unit"] == unit
        assert [row.unit for row in page.context["asked"]] == [cell, unit]
        response = client.post(url("answer", survey), {"don_vi": cell.pk, **grid(catalogue, DVM=4)})
        assert response["Location"] == url("answer", survey) + f"?don_vi={cell.pk}"
        assert SurveyAnswer.objects.get().unit == cell


# --- queries -------------------------------------------------------------------------------------


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_the_units(client, staff, centre, catalogue):
    survey = make_survey(centre)
    client.force_login(staff)
    counts = {"detail": [], "xlsx": [], "list": []}
    for size, prefix in ((4, "Xã A"), (8, "Xã B")):  # 4 units, then 12
        units = make_units(centre, size, prefix=prefix)
        survey.asked.model.objects.bulk_create(
            [survey.asked.model(survey=survey, unit=u) for u in units]
        )
        for u in units[: size // 2]:
            answer(survey, u, {catalogue["knd"]: 10, catalogue["ap"]: 3})
        counts["detail"].append(_queries(client, url("survey_detail", survey)))
        counts["xlsx"].append(_queries(client, url("survey_xlsx", survey)))
        counts["list"].append(_queries(client, url("survey_list")))
    for name, (small, large) in counts.items():
        assert small == large, name


def test_the_answer_page_queries_do_not_grow_with_the_units(client, centre, catalogue):
    parent = builders.make_unit(centre, name="Đảng ủy phường", kind=UnitKind.PARTY_ORG)
    liaison = make_liaison(parent)
    survey = make_survey(centre, units=[parent])
    client.force_login(liaison)
    counts = []
    for size, prefix in ((2, "Chi bộ A"), (4, "Chi bộ B")):
        children = [
            builders.make_unit(centre, name=f"{prefix} {i}", parent=parent) for i in range(size)
        ]
        survey.asked.model.objects.bulk_create(
            [survey.asked.model(survey=survey, unit=u) for u in children]
        )
        counts.append(_queries(client, url("answer", survey)))
    assert counts[0] == counts[1]

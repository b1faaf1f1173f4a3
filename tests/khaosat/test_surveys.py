"""The needs survey's rules (khaosat.surveys): open, change, send, answer, close, totals."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hocvien.models import UnitKind
from khaosat.models import SurveyAnswer, SurveyLine, SurveyStatus, SurveyUnit
from khaosat.surveys import (
    SurveyExists,
    answer_counts,
    answer_refusal,
    default_units,
    demand_by_program,
    open_survey_for,
    survey_close,
    survey_create,
    survey_publish,
    survey_totals,
    survey_update,
)
from tests import builders
from tests.khaosat.helpers import (
    IN_A_MONTH,
    NEXT_YEAR,
    TODAY,
    answer,
    make_catalogue,
    make_liaison,
    make_survey,
)
from thongbao.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(centre):
    return make_catalogue(centre)


@pytest.fixture
def units(centre):
    return {
        "phu_loi": builders.make_unit(centre, name="Phường Phú Lợi", kind=UnitKind.WARD),
        "binh_my": builders.make_unit(centre, name="Xã Bình Mỹ", kind=UnitKind.COMMUNE),
        "dang_uy": builders.make_unit(centre, name="Đảng ủy Khối cơ quan", kind=UnitKind.PARTY_ORG),
        "truong": builders.make_unit(centre, name="Trường THCS Phú Lợi", kind=UnitKind.SCHOOL),
        "cu": builders.make_unit(centre, name="Thị trấn Cũ", kind=UnitKind.COMMUNE, active=False),
    }


class TestCreate:
    def test_it_asks_the_default_units_and_is_not_sent_yet(self, centre, staff, units):
        survey = survey_create(centre=centre, year=NEXT_YEAR, deadline=IN_A_MONTH, user=staff)
        asked = set(survey.asked.values_list("unit__name", flat=True))
        assert asked == {"Phường Phú Lợi", "Xã Bình Mỹ", "Đảng ủy Khối cơ quan"}
        assert survey.status == SurveyStatus.DRAFT
        assert not Notification.objects.exists()
        assert set(default_units(centre)) == {units["phu_loi"], units["binh_my"], units["dang_uy"]}

    def test_a_second_survey_for_the_same_year_is_refused(self, centre, units):
        first = survey_create(centre=centre, year=NEXT_YEAR, deadline=IN_A_MONTH)
        with pytest.raises(SurveyExists) as refused:
            survey_create(centre=centre, year=NEXT_YEAR, deadline=IN_A_MONTH)
        assert refused.value.survey == first
        assert "đã có khảo sát nhu cầu năm" in refused.value.message_dict["year"][0]

    def test_a_deadline_in_the_past_is_refused(self, centre, units):
        with pytest.raises(ValidationError) as refused:
            survey_create(
                centre=centre, year=NEXT_YEAR, deadline=TODAY - datetime.timedelta(days=1)
            )
        assert "đã qua" in refused.value.message_dict["deadline"][0]
        assert not SurveyUnit.objects.exists()

    def test_a_past_year_is_refused(self, centre, units):
        with pytest.raises(ValidationError) as refused:
            survey_create(centre=centre, year=TODAY.year - 1, deadline=IN_A_MONTH)
        assert "năm sắp tới" in refused.value.message_dict["year"][0]

    def test_units_of_another_centre_are_refused(self, centre, other_centre, units):
        stranger = builders.make_unit(other_centre, name="Xã Khác")
        with pytest.raises(ValidationError) as refused:
            survey_create(
                centre=centre,
                year=NEXT_YEAR,
                deadline=IN_A_MONTH,
                units=[units["phu_loi"], stranger],
            )
        assert "Xã Khác" in refused.value.message_dict["units"][0]
        assert not SurveyUnit.objects.exists()


class TestPublishAndClose:
    def test_publishing_notifies_every_unit_asked_once(self, centre, units):
        survey = survey_create(centre=centre, year=NEXT_YEAR, deadline=IN_A_MONTH)
        assert survey_publish(survey=survey) == 3
        survey.refresh_from_db()
        assert survey.status == SurveyStatus.OPEN and survey.published_at
        notices = Notification.objects.filter(kind=NotificationKind.SURVEY_OPENED)
        assert {n.unit for n in notices} == {units["phu_loi"], units["binh_my"], units["dang_uy"]}
        assert {n.key for n in notices} == {f"survey:{survey.pk}:opened"}
        assert all(n.link == f"/khao-sat/{survey.pk}/tra-loi/" for n in notices)
        with pytest.raises(ValidationError):
            survey_publish(survey=survey)
        assert notices.count() == 3

    def test_units_added_after_sending_are_notified(self, centre, units):
        survey = make_survey(centre, units=[units["phu_loi"]])
        result = survey_update(
            survey=survey,
            deadline=survey.deadline,
            note="Liên hệ đồng chí Lan",
            units=[units["phu_loi"], units["truong"]],
        )
        assert (result.added, result.removed, result.notified) == (1, 0, 1)
        assert Notification.objects.get().unit == units["truong"]

    def test_a_unit_that_answered_cannot_be_removed(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"], units["binh_my"]])
        answer(survey, units["phu_loi"], {catalogue["knd"]: 10})
        with pytest.raises(ValidationError) as refused:
            survey_update(
                survey=survey, deadline=survey.deadline, note="", units=[units["binh_my"]]
            )
        assert "Phường Phú Lợi" in refused.value.message_dict["units"][0]
        assert survey.asked.count() == 2

    def test_closing_stops_answers(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"]])
        survey_close(survey=survey)
        survey.refresh_from_db()
        assert survey.status == SurveyStatus.CLOSED
        with pytest.raises(ValidationError, match="đã đóng"):
            answer(survey, units["phu_loi"], {catalogue["knd"]: 10})
        with pytest.raises(ValidationError, match="đã đóng"):
            survey_update(survey=survey, deadline=survey.deadline, note="", units=[])


class TestAnswer:
    def test_an_answer_replaces_the_previous_one(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"]])
        answer(survey, units["phu_loi"], {catalogue["knd"]: 30, catalogue["dvm"]: 12})
        answer(
            survey,
            units["phu_loi"],
            {catalogue["knd"]: 25, catalogue["dvm"]: 0, catalogue["ap"]: (0, "Chưa rõ")},
            note="Cần mở lớp vào quý II",
        )
        saved = SurveyAnswer.objects.get()
        assert saved.note == "Cần mở lớp vào quý II"
        lines = {line.program.code: (line.expected, line.note) for line in saved.lines.all()}
        assert lines == {"KND": (25, ""), "AP": (0, "Chưa rõ")}

    def test_past_the_deadline_the_unit_is_refused_but_staff_type_paper_forms(
        self, centre, units, catalogue
    ):
        survey = make_survey(
            centre, units=[units["phu_loi"]], deadline=TODAY - datetime.timedelta(days=1)
        )
        assert "quá hạn" in answer_refusal(survey)
        with pytest.raises(ValidationError, match="quá hạn"):
            answer(survey, units["phu_loi"], {catalogue["knd"]: 5})
        saved = answer(survey, units["phu_loi"], {catalogue["knd"]: 5}, on_paper=True)
        assert saved.on_paper

    def test_a_unit_not_asked_is_refused(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"]])
        with pytest.raises(ValidationError, match="không nằm trong danh sách"):
            answer(survey, units["binh_my"], {catalogue["knd"]: 5})
        assert not SurveyAnswer.objects.exists()

    def test_a_program_of_another_centre_is_refused_and_nothing_written(
        self, centre, other_centre, units, catalogue
    ):
        survey = make_survey(centre, units=[units["phu_loi"]])
        foreign = builders.make_program(other_centre, name="Chương trình trung tâm khác")
        with pytest.raises(ValidationError, match="không thuộc danh mục"):
            answer(survey, units["phu_loi"], {catalogue["knd"]: 5, foreign: 3})
        assert not SurveyAnswer.objects.exists() and not SurveyLine.objects.exists()

    def test_bad_numbers_are_refused_with_the_row(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"]])
        with pytest.raises(ValidationError) as refused:
            answer(survey, units["phu_loi"], {catalogue["knd"]: -1, catalogue["dvm"]: 100_000})
        text = " ".join(refused.value.messages)
        assert "Bồi dưỡng nhận thức về Đảng" in text and "Lý luận chính trị" in text
        assert not SurveyAnswer.objects.exists()


class TestTotals:
    def test_totals_sum_the_answers_per_program(self, centre, units, catalogue):
        survey = make_survey(centre, units=[units["phu_loi"], units["binh_my"], units["dang_uy"]])
        answer(survey, units["phu_loi"], {catalogue["knd"]: 30, catalogue["dvm"]: 12})
        answer(survey, units["binh_my"], {catalogue["knd"]: 20, catalogue["ap"]: (0, "Chưa rõ")})
        totals = {row.name: (row.units, row.expected) for row in survey_totals(survey)}
        assert totals == {
            "Bồi dưỡng nhận thức về Đảng": (2, 50),
            "Lý luận chính trị dành cho đảng viên mới": (1, 12),
            "Quản lý nhà nước cho cán bộ ấp, khu phố": (0, 0),
        }
        assert answer_counts(survey) == (3, 2)
        assert demand_by_program(centre.pk, NEXT_YEAR) == {
            catalogue["knd"].pk: (50, 2),
            catalogue["dvm"].pk: (12, 1),
        }


class TestOpenSurveyFor:
    def test_the_liaison_finds_the_open_survey_of_its_units(self, centre, units):
        child = builders.make_unit(centre, name="Chi bộ Khu phố 1", parent=units["phu_loi"])
        liaison = make_liaison(units["phu_loi"])
        assert open_survey_for(liaison) is None
        make_survey(centre, units=[units["binh_my"]])  # not its unit
        draft = make_survey(centre, units=[child], status=SurveyStatus.DRAFT, year=NEXT_YEAR + 1)
        assert open_survey_for(liaison) is None
        draft.status = SurveyStatus.OPEN
        draft.save()
        assert open_survey_for(liaison) == draft

"""Builders for the needs survey tests: a centre's catalogue, units, a survey, answers."""

import datetime

from django.utils import timezone

from hocvien.models import UnitKind
from khaosat.models import Survey, SurveyStatus, SurveyUnit
from khaosat.surveys import LineInput, answer_save
from lophoc.models import ProgramSystem
from tests import builders

TODAY = timezone.localdate()
NEXT_YEAR = TODAY.year + 1
IN_A_MONTH = TODAY + datetime.timedelta(days=30)


def make_catalogue(centre):
    return {
        "knd": builders.make_program(
            centre, code="KND", name="Bồi dưỡng nhận thức về Đảng", system=ProgramSystem.PARTY
        ),
        "dvm": builders.make_program(
            centre,
            code="DVM",
            name="Lý luận chính trị dành cho đảng viên mới",
            system=ProgramSystem.PARTY,
        ),
        "ap": builders.make_program(
            centre,
            code="AP",
            name="Quản lý nhà nước cho cán bộ ấp, khu phố",
            system=ProgramSystem.STATE,
        ),
    }


def make_survey(centre, *, units=(), status=SurveyStatus.OPEN, year=NEXT_YEAR, **fields):
    fields.setdefault("deadline", IN_A_MONTH)
    survey = Survey.objects.create(centre=centre, year=year, status=status, **fields)
    SurveyUnit.objects.bulk_create([SurveyUnit(survey=survey, unit=unit) for unit in units])
    return survey


make_liaison = builders.make_liaison


def answer(survey, unit, figures: dict, note="", **kwargs):
    """figures: {program: expected or (expected, note)}."""
    lines = []
    for program, value in figures.items():
        expected, line_note = value if isinstance(value, tuple) else (value, "")
        lines.append(LineInput(program.pk, expected, line_note))
    return answer_save(survey=survey, unit=unit, lines=lines, note=note, **kwargs)


def make_units(centre, count, prefix="Xã Khảo Sát"):
    return [
        builders.make_unit(centre, name=f"{prefix} {index}", kind=UnitKind.COMMUNE)
        for index in range(1, count + 1)
    ]

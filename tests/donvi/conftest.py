"""A commune's Party committee with a Party cell under it, an agency beside them, and the
commune's liaison: the world of the unit's pages (issue 16)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hocvien.accounts import unit_account_create
from hocvien.models import UnitKind
from lophoc.models import Classification, CourseStatus
from tests import builders


@pytest.fixture
def commune(centre):
    return builders.make_unit(centre, name="Đảng ủy phường Phú Lợi", kind=UnitKind.WARD)


@pytest.fixture
def cell(centre, commune):
    return builders.make_unit(
        centre, name="Chi bộ khu phố 3", kind=UnitKind.PARTY_ORG, parent=commune
    )


@pytest.fixture
def agency(centre):
    return builders.make_unit(centre, name="Trường THCS Phú Lợi", kind=UnitKind.SCHOOL)


@pytest.fixture
def liaison(commune):
    user, _ = unit_account_create(unit=commune, full_name="Phạm Thị Lan", username="phuloi")
    return user


@pytest.fixture
def agency_liaison(agency):
    user, _ = unit_account_create(unit=agency, full_name="Đỗ Văn Hải", username="thcsphuloi")
    return user


def closed_with_results(centre, people, **overrides):
    """A closed class whose results are stored: every (trainee, unit) in `people` passed."""
    course = builders.make_course(
        centre, status=CourseStatus.CLOSED, start_date=datetime.date(2026, 3, 2), **overrides
    )
    enrolments = [
        builders.make_enrolment(
            course,
            trainee=trainee,
            unit=unit,
            final_score=Decimal("8.5"),
            classification=Classification.GOOD,
            is_eligible=True,
            passed=True,
            scheduled_periods=40,
            result_computed_at=timezone.now(),
        )
        for trainee, unit in people
    ]
    return course, enrolments

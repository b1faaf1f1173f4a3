"""The yearly report's figures: classes that closed in the year and are due, per program."""

import datetime
from decimal import Decimal

import pytest

from hieuqua.models import FollowUpSetting, Rating
from hieuqua.yearly import followup_year
from tests import builders
from tests.hieuqua.helpers import TODAY, answer_all, closed_class

pytestmark = pytest.mark.django_db


def test_figures_per_program_and_total(centre, other_centre, ward, agency):
    program = builders.make_program(centre, name="Bồi dưỡng nhận thức về Đảng")
    other = builders.make_program(centre, name="Cập nhật kiến thức")
    first = closed_class(centre, [ward, agency], program=program)
    second = closed_class(centre, [ward], program=other, end_date=datetime.date(2026, 5, 4))
    answer_all(first, ward, Rating.GOOD)
    answer_all(first, agency, Rating.UNCLEAR)
    answer_all(second, ward, Rating.FAIR)
    # Not counted: closed last year, not yet due, another centre's.
    closed_class(centre, [ward], program=program, end_date=datetime.date(2025, 12, 1))
    closed_class(centre, [ward], program=program, end_date=datetime.date(2026, 11, 20))
    closed_class(
        other_centre, [builders.make_unit(other_centre)], end_date=datetime.date(2026, 5, 4)
    )

    result = followup_year([centre.pk], 2026, as_of=TODAY)
    rows = {row.program: row for row in result.rows}
    assert set(rows) == {program.name, other.name}
    knd = rows[program.name]
    assert (knd.classes, knd.asked, knd.answered, knd.good, knd.fair, knd.unclear) == (
        1,
        4,
        4,
        2,
        0,
        2,
    )
    assert knd.share_applied == Decimal("50.0")
    assert rows[other.name].share_applied == Decimal("100.0")
    total = result.total
    assert (total.classes, total.asked, total.answered) == (2, 6, 6)
    assert total.share_applied == Decimal("66.7")
    sentence = result.sentence()
    assert sentence.startswith("Đánh giá hiệu quả sau đào tạo 2 lớp kết thúc năm 2026")
    assert "6/6" in sentence and "66,7%" in sentence


def test_the_centres_delay_decides_what_is_due(centre, ward):
    FollowUpSetting.objects.create(centre=centre, delay_months=6)
    closed_class(centre, [ward])  # ended 07/08/2026: due on 07/02/2027
    assert followup_year([centre.pk], 2026, as_of=TODAY).total.classes == 0
    assert followup_year([centre.pk], 2026, as_of=datetime.date(2027, 2, 7)).total.classes == 1


def test_nothing_answered_gives_no_share_and_a_plain_sentence(centre, ward):
    result = followup_year([centre.pk], 2026, as_of=TODAY)
    assert result.rows == [] and result.total.share_applied is None
    assert result.sentence() == (
        "Chưa có lớp kết thúc năm 2026 đến hạn đánh giá hiệu quả sau đào tạo."
    )
    closed_class(centre, [ward])
    result = followup_year([centre.pk], 2026, as_of=TODAY)
    assert result.total.share_applied is None
    assert result.sentence().endswith("0/2 lượt học viên được cử đi học.")

"""The follow-up's figures for the yearly report.

"The follow-ups of a year" are those of the classes that CLOSED in it: closed (not cancelled)
classes whose END DATE falls in the year — not the year they started, as elsewhere in the report,
because a follow-up looks back on a finished class. Of those, a class counts once its follow-up is
due on `as_of` (default today): its end date plus the centre's delay. Trainees asked are its
active enrolments that name a sending unit; answered, those the unit rated.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from hieuqua import followups
from hieuqua.models import Rating
from lophoc.models import Enrolment
from trungtam.documents.numbers import format_number, format_percent
from trungtam.text import title_key

PERCENT = Decimal("0.1")


def share(part: int, whole: int) -> Decimal | None:
    """part of whole in percent, one decimal, half up; None when nothing was answered."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class FollowUpRow:
    program: str
    classes: int = 0
    asked: int = 0
    answered: int = 0
    good: int = 0
    fair: int = 0
    unclear: int = 0

    @property
    def share_applied(self) -> Decimal | None:
        """Tốt + Khá, in percent of the trainees answered."""
        return share(self.good + self.fair, self.answered)

    def add(self, other: "FollowUpRow") -> None:
        for name in ("classes", "asked", "answered", "good", "fair", "unclear"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class FollowUpYear:
    year: int
    rows: list[FollowUpRow] = field(default_factory=list)
    total: FollowUpRow = field(default_factory=lambda: FollowUpRow(program="Tổng cộng"))

    def sentence(self) -> str:
        t = self.total
        if not t.classes:
            return f"Chưa có lớp kết thúc năm {self.year} đến hạn đánh giá hiệu quả sau đào tạo."
        text = (
            f"Đánh giá hiệu quả sau đào tạo {format_number(t.classes)} lớp kết thúc năm "
            f"{self.year}: các đơn vị đã đánh giá {format_number(t.answered)}/"
            f"{format_number(t.asked)} lượt học viên được cử đi học"
        )
        if not t.answered:
            return text + "."
        return text + (
            f", trong đó vận dụng tốt {format_number(t.good)}, khá {format_number(t.fair)}, "
            f"chưa rõ {format_number(t.unclear)} (tốt và khá đạt "
            f"{format_percent(t.share_applied)})."
        )


def _asked_in_year(centre_ids: list[int], year: int, as_of: datetime.date | None):
    """The trainees asked about in the follow-ups of the year that are due on `as_of`."""
    as_of = as_of or timezone.localdate()
    return (
        Enrolment.objects.filter(followups.ASKED)
        .filter(followups.due_filter(centre_ids, as_of, prefix="course__"))
        .filter(course__end_date__year=year)
    )


def _tallies(rows):
    answer = "followup_answer__rating"
    return rows.annotate(
        classes=Count("course", distinct=True),
        asked=Count("pk"),
        answered=Count("followup_answer"),
        good=Count("pk", filter=Q(**{answer: Rating.GOOD})),
        fair=Count("pk", filter=Q(**{answer: Rating.FAIR})),
        unclear=Count("pk", filter=Q(**{answer: Rating.UNCLEAR})),
    )


def followup_year(
    centre_ids: list[int], year: int, as_of: datetime.date | None = None
) -> FollowUpYear:
    """Per program (by name, so a province's centres add up) and in total; two queries."""
    rows = _tallies(
        _asked_in_year(centre_ids, year, as_of).values("course__program__name")
    ).order_by("course__program__name")
    result = FollowUpYear(year=year)
    by_name: dict[str, FollowUpRow] = {}
    for row in rows:
        name = row.pop("course__program__name")
        found = by_name.setdefault(name, FollowUpRow(program=name))
        found.add(FollowUpRow(program=name, **row))
    # In Vietnamese alphabetical order, as the report's other sections list programs.
    result.rows = sorted(by_name.values(), key=lambda r: title_key(r.program))
    for row in result.rows:
        result.total.add(row)
    return result


def followup_by_centre(
    centre_ids: list[int], year: int, as_of: datetime.date | None = None
) -> dict[int, FollowUpRow]:
    """The same figures per centre (for the all-centres report): one query."""
    rows = _tallies(_asked_in_year(centre_ids, year, as_of).values("course__centre_id")).order_by()
    return {row.pop("course__centre_id"): FollowUpRow(program="", **row) for row in rows}

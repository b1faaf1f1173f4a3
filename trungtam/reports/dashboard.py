"""The dashboard's page data (issue 6): the year's figures for the user's scope against the plan
and against the year before, and the geometry of the charts.

Everything comes from `trungtam.reports.figures` (grouped queries), so the number of queries does
not depend on how many classes or trainees there are. The charts are drawn by the templates as
inline SVG from the numbers prepared here: widths in percent of the chart, as plain strings so
that the Vietnamese number format of the templates never turns "12.5" into "12,5".
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, Subquery

from lophoc.models import Course
from trungtam.documents.numbers import format_number
from trungtam.models import Centre
from trungtam.reports.figures import (
    BANDS,
    Figures,
    lowest_attendance_units,
    percent,
    year_figures,
)
from trungtam.reports.models import AnnualPlan

UP, DOWN, FLAT = "up", "down", "flat"
ARROWS = {UP: "▲", DOWN: "▼", FLAT: "▬"}
DIRECTION_WORDS = {UP: "tăng", DOWN: "giảm", FLAT: "không đổi"}


def _width(part, whole) -> str:
    """part ÷ whole as a percentage of a chart's width, for an SVG attribute ("0" to "100")."""
    if not whole or not part:
        return "0"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{min(value, Decimal(100)):f}"


def _signed(value: Decimal) -> str:
    text = format_number(abs(value), 1)
    if value > 0:
        return "+" + text
    if value < 0:
        return "-" + text
    return text


@dataclass(frozen=True)
class Tile:
    """One figure of the year: its value, the plan figure it answers to (if any) and last year's."""

    key: str
    label: str
    value: int | Decimal | None
    previous: int | Decimal | None
    previous_year: int
    is_rate: bool = False
    plan: int | None = None
    note: str = ""

    @property
    def has_plan(self) -> bool:
        return self.plan is not None

    @property
    def of_plan(self) -> Decimal | None:
        """The value in percent of the plan figure; None without a plan figure."""
        return percent(self.value, self.plan) if self.plan else None

    @property
    def of_plan_width(self) -> str:
        return _width(self.value, self.plan)

    @property
    def direction(self) -> str:
        """up / down / flat against last year; "" when either year has no value."""
        if self.value is None or self.previous is None:
            return ""
        if self.value > self.previous:
            return UP
        if self.value < self.previous:
            return DOWN
        return FLAT

    @property
    def change(self) -> Decimal | None:
        """Rates: the difference in percentage points; counts: the change in percent of last
        year's value (None when last year had none to compare with)."""
        if not self.direction:
            return None
        if self.is_rate:
            return self.value - self.previous
        return percent(self.value - self.previous, self.previous)

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction, "")

    @property
    def change_text(self) -> str:
        """E.g. "+12,5%", "-1,3 điểm %", "không đổi", "tăng" (a count that grew from zero)."""
        if not self.direction:
            return ""
        if self.direction == FLAT:
            return "không đổi"
        change = self.change
        if change is None:
            return DIRECTION_WORDS[self.direction]
        return _signed(change) + (" điểm %" if self.is_rate else "%")

    @property
    def change_words(self) -> str:
        """The comparison in words, for screen readers."""
        if self.previous is None:
            return f"Năm {self.previous_year} chưa có số liệu để so sánh"
        if self.value is None:
            return f"Chưa có số liệu để so sánh với năm {self.previous_year}"
        word = DIRECTION_WORDS[self.direction]
        return f"{word.capitalize()} so với năm {self.previous_year}"


@dataclass(frozen=True)
class PlanBar:
    """A row of a plan-against-actual chart: the actual bar and the plan bar, in chart percent."""

    key: str
    label: str
    value: int
    plan: int
    value_width: str
    plan_width: str

    @property
    def of_plan(self) -> Decimal | None:
        return percent(self.value, self.plan)


@dataclass(frozen=True)
class Column:
    """A month of the trainees-per-month column chart (SVG user units)."""

    month: int
    value: int
    x: str
    y: str
    height: str
    label_x: str
    value_y: str


@dataclass(frozen=True)
class RateBar:
    label: str
    count: int
    rate: Decimal | None
    width: str
    key: str = ""


@dataclass
class CentreRow:
    centre: Centre
    figures: Figures
    url: str = ""


@dataclass
class Dashboard:
    year: int
    centres: list[Centre]
    figures: Figures
    previous: Figures
    class_tiles: list[Tile]
    trainee_tiles: list[Tile]
    rate_tiles: list[Tile]
    classes_by_system: list[PlanBar]
    trainees_by_system: list[PlanBar]
    months: list[Column]
    month_total: int
    bands: list[RateBar]
    units: list[RateBar]
    attendance_width: str  # the overall attendance rate, marked on the units chart
    centre_rows: list[CentreRow] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return has_data(self.figures)

    @property
    def has_plan(self) -> bool:
        return bool(self.figures.planned_classes or self.figures.planned_trainees)


def _first(queryset, field: str, *, last: bool = False) -> Subquery:
    ordered = queryset.filter(centre=OuterRef("pk")).order_by(f"-{field}" if last else field)
    return Subquery(ordered.values(field)[:1])


def centres_with_years(queryset) -> list[Centre]:
    """The centres, each with the first and last year of its classes and plans: one query."""
    courses, plans = Course.objects.all(), AnnualPlan.objects.all()
    return list(
        queryset.annotate(
            first_class=_first(courses, "start_date"),
            last_class=_first(courses, "start_date", last=True),
            first_plan=_first(plans, "year"),
            last_plan=_first(plans, "year", last=True),
        ).order_by("name", "pk")
    )


def available_years(centres: list[Centre], current_year: int) -> list[int]:
    """From the first to the last year with classes or plans at these centres (read by
    `centres_with_years`), and the current year, newest first. A year in between without any
    says so on the page."""
    years = [current_year]
    for centre in centres:
        years += [d.year for d in (centre.first_class, centre.last_class) if d]
        years += [y for y in (centre.first_plan, centre.last_plan) if y]
    return list(range(max(years), min(years) - 1, -1))


def has_data(f: Figures) -> bool:
    """A year with a plan or a class (even a cancelled one) at these centres."""
    return bool(f.planned_classes or f.planned_trainees or f.classes or f.cancelled)


def _tiles(current: Figures, previous: Figures, year: int):
    last = year - 1
    c = current
    known = has_data(previous)

    def was(name: str):
        """Last year's figure; unknown (None) rather than zero when last year has no data."""
        return getattr(previous, name) if known else None

    classes = [
        Tile(
            "planned_classes", "Lớp theo kế hoạch", c.planned_classes, was("planned_classes"), last
        ),
        Tile(
            "opened",
            "Lớp đã mở",
            c.opened,
            was("opened"),
            last,
            plan=c.planned_classes or None,
            note=f"Chưa mở: {format_number(c.classes - c.opened)} lớp"
            + (f"; đã hủy: {format_number(c.cancelled)}" if c.cancelled else ""),
        ),
        Tile(
            "finished",
            "Lớp đã kết thúc",
            c.finished,
            was("finished"),
            last,
            plan=c.planned_classes or None,
        ),
    ]
    trainees = [
        Tile(
            "enrolled",
            "Lượt học viên",
            c.enrolled,
            was("enrolled"),
            last,
            plan=c.planned_trainees or None,
            note=f"Thôi học: {format_number(c.withdrawn)} lượt" if c.withdrawn else "",
        ),
        Tile(
            "completed",
            "Hoàn thành",
            c.completed,
            was("completed"),
            last,
            plan=c.planned_trainees or None,
        ),
        Tile(
            "certified",
            "Được cấp giấy chứng nhận",
            c.certified,
            was("certified"),
            last,
            plan=c.planned_trainees or None,
        ),
    ]
    rates = [
        Tile(
            "attendance_rate",
            "Tỷ lệ chuyên cần",
            c.attendance_rate,
            was("attendance_rate"),
            last,
            is_rate=True,
            note=f"{format_number(c.attended_periods)}/{format_number(c.scheduled_periods)} "
            "tiết có mặt",
        ),
        Tile(
            "pass_rate",
            "Tỷ lệ hoàn thành",
            c.pass_rate,
            was("pass_rate"),
            last,
            is_rate=True,
            note=f"{format_number(c.completed)}/{format_number(c.closed_enrolments)} học viên "
            "các lớp đã kết thúc",
        ),
        Tile(
            "good_or_better_rate",
            "Tỷ lệ Giỏi trở lên",
            c.good_or_better_rate,
            was("good_or_better_rate"),
            last,
            is_rate=True,
            note=f"{format_number(c.good_or_better)}/{format_number(c.assessed)} học viên "
            "được đánh giá",
        ),
    ]
    return classes, trainees, rates


def _plan_bars(rows: list[tuple[str, str, int, int]]) -> list[PlanBar]:
    """Bars on one scale: the longest of the actual and plan figures fills the chart."""
    scale = max((max(value, plan) for _, _, value, plan in rows), default=0)
    return [
        PlanBar(key, label, value, plan, _width(value, scale), _width(plan, scale))
        for key, label, value, plan in rows
    ]


# The month chart's drawing area, in SVG user units (viewBox 0 0 360 180).
CHART_WIDTH, BAR_TOP, BAR_BOTTOM = 360, 18, 150


def _columns(months: list[int]) -> list[Column]:
    scale = max(months, default=0)
    step = Decimal(CHART_WIDTH) / 12
    columns = []
    for i, value in enumerate(months):
        height = Decimal(0)
        if scale:
            height = (Decimal(value) * (BAR_BOTTOM - BAR_TOP) / scale).quantize(Decimal("0.1"))
        y = Decimal(BAR_BOTTOM) - height
        columns.append(
            Column(
                month=i + 1,
                value=value,
                x=f"{(step * i + 4):.1f}",
                y=f"{y:f}",
                height=f"{height:f}",
                label_x=f"{(step * i + step / 2):.1f}",
                value_y=f"{(y - 4):f}",
            )
        )
    return columns


def build_dashboard(centres: list[Centre], year: int, *, per_centre: bool = False) -> Dashboard:
    """The page data for these centres (already scoped by the caller): seven queries whatever
    the amount of data. Last year is needed only in total; it comes from this year's queries."""
    centre_ids = [c.pk for c in centres]
    this_year = year_figures(centre_ids, year, with_people=False, with_previous=True)
    current, previous = this_year.total, this_year.previous
    class_tiles, trainee_tiles, rate_tiles = _tiles(current, previous, year)

    months = this_year.months
    bands = [
        RateBar(
            band.label,
            current.band_count(band),
            current.band_rate(band),
            _width(current.band_count(band), current.assessed),
            key=band.value,
        )
        for band in BANDS
    ]
    units = [
        RateBar(
            u.name,
            u.enrolled,
            u.attendance_rate,
            _width(u.scheduled_periods - u.absent_periods, u.scheduled_periods),
        )
        for u in lowest_attendance_units(centre_ids, year)
    ]
    rows = []
    if per_centre:
        rows = [CentreRow(c, this_year.by_centre.get(c.pk, Figures())) for c in centres]
    return Dashboard(
        year=year,
        centres=centres,
        figures=current,
        previous=previous,
        class_tiles=class_tiles,
        trainee_tiles=trainee_tiles,
        rate_tiles=rate_tiles,
        classes_by_system=_plan_bars(
            [
                (s.system, s.label, s.figures.opened, s.figures.planned_classes)
                for s in this_year.by_system
            ]
        ),
        trainees_by_system=_plan_bars(
            [
                (s.system, s.label, s.figures.enrolled, s.figures.planned_trainees)
                for s in this_year.by_system
            ]
        ),
        months=_columns(months),
        month_total=sum(months),
        bands=bands,
        units=units,
        attendance_width=_width(current.attended_periods, current.scheduled_periods),
        centre_rows=rows,
    )

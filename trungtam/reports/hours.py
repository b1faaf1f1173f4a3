"""Bảng tổng hợp giờ giảng (issue 6): what each lecturer of a centre taught in a year.

Per lecturer, one row per class: sessions, periods by kind of session, standard hours (periods ×
the centre's coefficient for the kind, DESIGN §8). Per lecturer: the totals; for full-time
lecturers the yearly norm of their position, the share of it reached and the hours above it
(vượt giờ) or missing (thiếu giờ); for part-time and guest lecturers the amount due, all periods
× the centre's rate per period, in whole đồng.

Only sessions actually taught count and are paid: dated in the year, on or before the report date
(`as_of`, today unless given), in a class that was not cancelled (a class's sessions are cancelled
with it: a session has no status of its own). Sessions scheduled after the report date are listed
apart as planned (dự kiến): their sessions and periods, never in the standard hours, the share of
the norm or the amount due.

Who is listed: everyone with a session dated in the year at the centre (taught or planned), plus
every active full-time lecturer of the centre (a full-time lecturer with nothing taught is a
finding too). A session counts in the year of its date, whenever its class started. Lecturers
come grouped by kind (chuyên trách, kiêm chức, thỉnh giảng), each group in Vietnamese name order.

Two queries whatever the number of sessions, classes or lecturers: the sessions grouped by
lecturer, class and kind, then the lecturers.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from giangvien.models import Lecturer, LecturerKind, LecturerPosition
from lophoc.models import CourseStatus, Session, SessionKind
from lophoc.teaching import Norm, coefficients, is_paid_per_period, standard_hours, yearly_norm
from trungtam.documents.numbers import format_number
from trungtam.models import Centre
from trungtam.reports.figures import percent

# The columns of periods, in this order, with the short heading printed over each.
KIND_HEADINGS: dict[str, str] = {
    SessionKind.LECTURE: "Lý thuyết",
    SessionKind.DISCUSSION: "Thảo luận",
    SessionKind.FIELD_TRIP: "Thực tế",
    SessionKind.EXAM: "Kiểm tra, thu hoạch",
    SessionKind.CEREMONY: "Khai, bế giảng",
}
KINDS = list(KIND_HEADINGS)
GROUP_ORDER = [LecturerKind.FULL_TIME, LecturerKind.PART_TIME, LecturerKind.GUEST]
GROUP_HEADINGS = {
    LecturerKind.FULL_TIME: "Giảng viên chuyên trách",
    LecturerKind.PART_TIME: "Giảng viên kiêm chức",
    LecturerKind.GUEST: "Giảng viên thỉnh giảng",
}
ZERO = Decimal("0.0")


def format_hours(value: Decimal | None) -> str:
    """Standard hours with one decimal: 12,5."""
    return "" if value is None else format_number(value, 1)


def format_signed_hours(value: Decimal | None) -> str:
    """+12,5 above the norm, -7,0 below it, 0,0 on it."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + format_number(abs(value), 1)


def format_money(amount: int | None) -> str:
    """1.234.000 đ."""
    return "" if amount is None else f"{format_number(amount)} đ"


def _empty_kinds() -> dict[str, int]:
    return {kind: 0 for kind in KINDS}


class PeriodsByKind:
    """The periods of a row with `periods_by_kind`: in all, and in the order of the columns."""

    @property
    def periods(self) -> int:
        return sum(self.periods_by_kind.values())

    @property
    def period_cells(self) -> list[int]:
        """Periods by kind in the order of the columns (for templates)."""
        totals = self.periods_by_kind
        return [totals.get(kind, 0) for kind in KINDS]


@dataclass
class ClassHours(PeriodsByKind):
    """What one lecturer taught in one class in the year."""

    course_id: int
    code: str
    name: str
    first_date: object  # datetime.date of the lecturer's first session there this year
    sessions: int = 0  # taught: on or before the report date
    periods_by_kind: dict[str, int] = field(default_factory=_empty_kinds)
    standard_hours: Decimal = ZERO
    planned_sessions: int = 0  # scheduled after the report date: not counted, not paid
    planned_periods: int = 0


@dataclass
class LecturerHours(PeriodsByKind):
    lecturer_id: int
    name: str  # with the academic title: "ThS. Nguyễn Văn An"
    kind: str
    position: str
    detail: str  # under the name: the position (full-time) or the workplace (others)
    active: bool
    classes: list[ClassHours]
    norm: Norm | None  # None: part-time, guest, or a position without a norm
    paid_per_period: bool
    rate: int  # đồng per period (the centre's), used only when paid per period
    standard_hours: Decimal = ZERO

    @property
    def sessions(self) -> int:
        return sum(c.sessions for c in self.classes)

    @property
    def planned_sessions(self) -> int:
        return sum(c.planned_sessions for c in self.classes)

    @property
    def planned_periods(self) -> int:
        return sum(c.planned_periods for c in self.classes)

    @property
    def periods_by_kind(self) -> dict[str, int]:
        totals = _empty_kinds()
        for row in self.classes:
            for kind, periods in row.periods_by_kind.items():
                totals[kind] = totals.get(kind, 0) + periods
        return totals

    @property
    def norm_hours(self) -> int | None:
        return self.norm.total if self.norm else None

    @property
    def of_norm(self) -> Decimal | None:
        """Standard hours in percent of the norm, one decimal; None without a norm."""
        return percent(self.standard_hours, self.norm.total) if self.norm else None

    @property
    def difference(self) -> Decimal | None:
        """Standard hours minus the norm: above it is overtime, below it a shortfall."""
        return self.standard_hours - self.norm.total if self.norm else None

    @property
    def overtime(self) -> Decimal:
        difference = self.difference
        return difference if difference is not None and difference > 0 else ZERO

    @property
    def shortfall(self) -> Decimal:
        difference = self.difference
        return -difference if difference is not None and difference < 0 else ZERO

    @property
    def amount_due(self) -> int | None:
        """Periods × the centre's rate, in đồng, for part-time and guest lecturers."""
        return self.periods * self.rate if self.paid_per_period else None

    @property
    def difference_text(self) -> str:
        return format_signed_hours(self.difference)

    @property
    def amount_text(self) -> str:
        return format_money(self.amount_due)

    @property
    def anchor(self) -> str:
        return f"gv-{self.lecturer_id}"


@dataclass
class Totals(PeriodsByKind):
    """Sums over a group of lecturers (or all of them)."""

    lecturers: int = 0
    sessions: int = 0
    periods_by_kind: dict[str, int] = field(default_factory=_empty_kinds)
    standard_hours: Decimal = ZERO
    norm_hours: int = 0  # Σ norms of those who have one
    normed_hours: Decimal = ZERO  # Σ standard hours of those who have a norm
    overtime_lecturers: int = 0
    overtime: Decimal = ZERO  # Σ hours above the norm
    shortfall_lecturers: int = 0
    shortfall: Decimal = ZERO  # Σ hours missing to reach the norm
    paid_lecturers: int = 0
    paid_periods: int = 0
    amount_due: int = 0
    planned_sessions: int = 0  # after the report date: listed, not counted
    planned_periods: int = 0

    def add(self, row: LecturerHours) -> None:
        self.lecturers += 1
        self.sessions += row.sessions
        self.planned_sessions += row.planned_sessions
        self.planned_periods += row.planned_periods
        for kind, periods in row.periods_by_kind.items():
            self.periods_by_kind[kind] = self.periods_by_kind.get(kind, 0) + periods
        self.standard_hours += row.standard_hours
        if row.norm is not None:
            self.norm_hours += row.norm.total
            self.normed_hours += row.standard_hours
            if row.overtime:
                self.overtime_lecturers += 1
                self.overtime += row.overtime
            if row.shortfall:
                self.shortfall_lecturers += 1
                self.shortfall += row.shortfall
        if row.paid_per_period:
            self.paid_lecturers += 1
            self.paid_periods += row.periods
            self.amount_due += row.amount_due

    @property
    def of_norm(self) -> Decimal | None:
        return percent(self.normed_hours, self.norm_hours)

    @property
    def amount_text(self) -> str:
        return format_money(self.amount_due)


@dataclass
class LecturerGroup:
    kind: str
    heading: str
    lecturers: list[LecturerHours]
    totals: Totals

    @property
    def has_norms(self) -> bool:
        return self.totals.norm_hours > 0

    @property
    def paid(self) -> bool:
        return self.totals.paid_lecturers > 0


@dataclass
class HoursReport:
    centre: Centre
    year: int
    coefficients: dict[str, Decimal]
    rate: int
    groups: list[LecturerGroup]
    totals: Totals
    as_of: datetime.date  # the report date: sessions after it are planned, not taught

    @property
    def has_planned(self) -> bool:
        return self.totals.planned_sessions > 0

    @property
    def counted_until(self) -> datetime.date | None:
        """The last day counted: the report date, or the year's end; None before the year."""
        if self.as_of.year < self.year:
            return None
        return min(self.as_of, datetime.date(self.year, 12, 31))

    def period_line(self) -> str:
        """«(Từ ngày 01/01/2026 đến ngày 07/12/2026)»: the days whose sessions count."""
        until = self.counted_until
        if until is None:
            return f"(Năm {self.year} chưa bắt đầu: mọi buổi đã xếp lịch đều là dự kiến)"
        return f"(Từ ngày 01/01/{self.year} đến ngày {until:%d/%m/%Y})"

    def planned_line(self) -> str:
        """What is planned after the report date, or nothing."""
        totals = self.totals
        if not totals.planned_sessions:
            return ""
        return (
            f"Dự kiến sau ngày {self.as_of:%d/%m/%Y}: {format_number(totals.planned_sessions)} "
            f"buổi, {format_number(totals.planned_periods)} tiết đã xếp lịch nhưng chưa giảng, "
            "không tính giờ chuẩn và không thanh toán."
        )

    @property
    def lecturers(self) -> list[LecturerHours]:
        return [row for group in self.groups for row in group.lecturers]

    @property
    def kind_columns(self) -> list[tuple[str, str, str]]:
        """(kind, short heading, coefficient as printed) for each column of periods."""
        return [
            (kind, KIND_HEADINGS[kind], format_coefficient(self.coefficients[kind]))
            for kind in KINDS
        ]

    def coefficient_line(self) -> str:
        parts = [
            f"{SessionKind(kind).label} {format_coefficient(self.coefficients[kind])}"
            for kind in KINDS
        ]
        return "Giờ chuẩn = số tiết × hệ số quy đổi theo hình thức buổi học: " + "; ".join(parts)

    def norm_line(self) -> str:
        c = self.centre
        return (
            "Định mức giờ chuẩn một năm của giảng viên chuyên trách: "
            f"{LecturerPosition.DIRECTOR.label} {c.norm_director} "
            f"(trong đó giảng dạy {c.norm_director_lecturing}); "
            f"{LecturerPosition.DEPUTY.label} {c.norm_deputy} ({c.norm_deputy_lecturing}); "
            f"{LecturerPosition.LECTURER.label} {c.norm_lecturer} ({c.norm_lecturer_lecturing}); "
            f"{LecturerPosition.LECTURER_ADMIN.label.lower()} {c.norm_lecturer_admin} "
            f"({c.norm_lecturer_admin_lecturing})"
        )

    def rate_line(self) -> str:
        return (
            "Giảng viên kiêm chức, thỉnh giảng được thanh toán theo số tiết giảng: "
            f"{format_money(self.rate)}/tiết"
        )

    def scope_line(self) -> str:
        until = self.counted_until
        if until is None:
            return (
                f"Năm {self.year} chưa bắt đầu: mọi buổi đã xếp lịch ghi ở cột «Dự kiến», "
                "không tính giờ chuẩn và không thanh toán"
            )
        return (
            f"Chỉ tính các buổi đã giảng: có ngày trong năm {self.year}, đến hết ngày "
            f"{until:%d/%m/%Y}, không kể các lớp đã hủy; buổi đã xếp lịch sau ngày đó ghi ở "
            "cột «Dự kiến», không tính giờ chuẩn và không thanh toán"
        )

    def notes(self) -> list[str]:
        return [
            f"{self.coefficient_line()}.",
            f"{self.norm_line()}.",
            f"{self.rate_line()}.",
            f"{self.scope_line()}.",
        ]


def format_coefficient(value: Decimal) -> str:
    """1 · 0,5 · 0,25: as few decimals as the value needs."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _lecturer_name(lecturer: Lecturer) -> str:
    return f"{lecturer.title} {lecturer.full_name}".strip()


def _detail(lecturer: Lecturer) -> str:
    """The position of a full-time lecturer; the kind and workplace of the others."""
    if lecturer.kind == LecturerKind.FULL_TIME:
        if lecturer.position == LecturerPosition.OTHER:
            return lecturer.get_kind_display()
        return lecturer.get_position_display()
    parts = [lecturer.get_kind_display(), lecturer.workplace.strip()]
    return ", ".join(part for part in parts if part)


def hours_report(
    centre: Centre,
    year: int,
    *,
    lecturer: Lecturer | None = None,
    as_of: datetime.date | None = None,
) -> HoursReport:
    """The report for `centre` and `year`; with `lecturer`, only that lecturer (their own page).
    Sessions after `as_of` (default: today) are planned, not taught.

    Two queries (one when a lecturer is given), whatever the number of sessions or lecturers.
    """
    as_of = as_of or timezone.localdate()
    taught_filter = Q(date__lte=as_of)
    planned_filter = Q(date__gt=as_of)
    centre_coefficients = coefficients(centre)
    sessions = Session.objects.filter(
        course__centre=centre, date__year=year, lecturer__isnull=False
    ).exclude(course__status=CourseStatus.CANCELLED)
    if lecturer is not None:
        sessions = sessions.filter(lecturer=lecturer)
    taught: dict[int, dict[int, ClassHours]] = {}
    for item in (
        sessions.values(
            "lecturer_id", "course_id", "course__code", "course__name", "course__start_date", "kind"
        )
        .annotate(
            taught_sessions=Count("id", filter=taught_filter),
            taught_periods=Sum("periods", filter=taught_filter),
            later_sessions=Count("id", filter=planned_filter),
            later_periods=Sum("periods", filter=planned_filter),
            first_date=Min("date"),
        )
        .order_by()
    ):
        classes = taught.setdefault(item["lecturer_id"], {})
        row = classes.get(item["course_id"])
        if row is None:
            row = classes[item["course_id"]] = ClassHours(
                course_id=item["course_id"],
                code=item["course__code"],
                name=item["course__name"],
                first_date=item["first_date"],
            )
        row.sessions += item["taught_sessions"]
        row.periods_by_kind[item["kind"]] = row.periods_by_kind.get(item["kind"], 0) + (
            item["taught_periods"] or 0
        )
        row.planned_sessions += item["later_sessions"]
        row.planned_periods += item["later_periods"] or 0
        row.first_date = min(row.first_date, item["first_date"])

    if lecturer is not None:
        lecturers = [lecturer]
    else:
        lecturers = list(
            Lecturer.objects.filter(
                Q(pk__in=list(taught)) | Q(centre=centre, active=True, kind=LecturerKind.FULL_TIME)
            ).order_by("sort_key", "pk")
        )

    by_group: dict[str, list[LecturerHours]] = {kind: [] for kind in GROUP_ORDER}
    for person in lecturers:
        classes = sorted(
            taught.get(person.pk, {}).values(), key=lambda c: (c.first_date, c.code, c.course_id)
        )
        total_by_kind = _empty_kinds()
        for row in classes:
            row.standard_hours = standard_hours(row.periods_by_kind, centre_coefficients)
            for kind, periods in row.periods_by_kind.items():
                total_by_kind[kind] = total_by_kind.get(kind, 0) + periods
        by_group.setdefault(person.kind, []).append(
            LecturerHours(
                lecturer_id=person.pk,
                name=_lecturer_name(person),
                kind=person.kind,
                position=person.position,
                detail=_detail(person),
                active=person.active,
                classes=classes,
                norm=yearly_norm(centre, person),
                paid_per_period=is_paid_per_period(person),
                rate=centre.guest_rate_per_period,
                # As the dashboard and the yearly report count it: from the year's periods by kind.
                standard_hours=standard_hours(total_by_kind, centre_coefficients),
            )
        )

    groups = []
    totals = Totals()
    for kind, rows in by_group.items():
        if not rows:
            continue
        group_totals = Totals()
        for row in rows:
            group_totals.add(row)
            totals.add(row)
        heading = GROUP_HEADINGS.get(kind) or LecturerKind(kind).label
        groups.append(LecturerGroup(kind, heading, rows, group_totals))
    return HoursReport(
        centre=centre,
        year=year,
        coefficients=centre_coefficients,
        rate=centre.guest_rate_per_period,
        groups=groups,
        totals=totals,
        as_of=as_of,
    )


def hours_years(centre: Centre, current_year: int, chosen: int | None = None) -> list[int]:
    """Years with sessions at the centre, the current year and the chosen one, newest first:
    one query."""
    years = {
        day.year for day in Session.objects.filter(course__centre=centre).dates("date", "year")
    }
    years.add(current_year)
    if chosen:
        years.add(chosen)
    return sorted(years, reverse=True)

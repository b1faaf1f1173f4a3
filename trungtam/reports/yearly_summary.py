"""The additive figures of a centre's year for the yearly report: totals, totals by system,
people and lecturers, JSON-friendly so a sent report's snapshot can hold them and the all-centres
report can add them up. Read from the database with `collect_year` (a fixed number of queries)."""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from lophoc.models import Enrolment
from trungtam.reports.figures import (
    OPENED_STATUSES,
    Figures,
    LecturerFigures,
    LecturerRow,
    YearFigures,
    lecturer_figures,
    percent,
    year_figures,
)
from trungtam.reports.models import ReportStatus, YearlyReport


def _dec(value) -> Decimal:
    return Decimal(str(value or "0"))


@dataclass
class PositionNorm:
    count: int = 0
    norm: int = 0
    hours: Decimal = Decimal("0")
    overtime: int = 0  # lecturers above their norm


@dataclass
class LecturerSummary:
    """Lecturers by kind, level and position, with periods and standard hours: all additive."""

    total: int = 0
    periods: int = 0
    standard_hours: Decimal = Decimal("0")
    by_kind: dict[str, int] = field(default_factory=dict)
    periods_by_kind: dict[str, int] = field(default_factory=dict)
    hours_by_kind: dict[str, Decimal] = field(default_factory=dict)
    by_political: dict[str, int] = field(default_factory=dict)
    by_professional: dict[str, int] = field(default_factory=dict)
    by_position: dict[str, PositionNorm] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[LecturerRow]) -> "LecturerSummary":
        summary = cls()
        for row in rows:
            summary.total += 1
            summary.periods += row.periods
            summary.standard_hours += row.standard_hours
            _bump(summary.by_kind, row.kind, 1)
            _bump(summary.periods_by_kind, row.kind, row.periods)
            _bump(summary.hours_by_kind, row.kind, row.standard_hours)
            _bump(summary.by_political, row.political_theory_level, 1)
            _bump(summary.by_professional, row.professional_level, 1)
            if row.norm is not None:
                norm = summary.by_position.setdefault(row.position, PositionNorm())
                norm.count += 1
                norm.norm += row.norm
                norm.hours += row.standard_hours
                norm.overtime += 1 if row.overtime > 0 else 0
        return summary

    def __add__(self, other: "LecturerSummary") -> "LecturerSummary":
        result = LecturerSummary(
            total=self.total + other.total,
            periods=self.periods + other.periods,
            standard_hours=self.standard_hours + other.standard_hours,
        )
        for name in (
            "by_kind",
            "periods_by_kind",
            "hours_by_kind",
            "by_political",
            "by_professional",
        ):
            merged = dict(getattr(self, name))
            for key, value in getattr(other, name).items():
                _bump(merged, key, value)
            setattr(result, name, merged)
        positions = {k: dataclasses.replace(v) for k, v in self.by_position.items()}
        for key, value in other.by_position.items():
            mine = positions.setdefault(key, PositionNorm())
            mine.count += value.count
            mine.norm += value.norm
            mine.hours += value.hours
            mine.overtime += value.overtime
        result.by_position = positions
        return result

    @property
    def norm_hours(self) -> int:
        return sum(p.norm for p in self.by_position.values())

    @property
    def normed_hours(self) -> Decimal:
        return sum((p.hours for p in self.by_position.values()), Decimal("0"))

    @property
    def normed_lecturers(self) -> int:
        return sum(p.count for p in self.by_position.values())

    @property
    def overtime_lecturers(self) -> int:
        return sum(p.overtime for p in self.by_position.values())

    @property
    def of_norm(self) -> Decimal | None:
        return percent(self.normed_hours, self.norm_hours)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "periods": self.periods,
            "standard_hours": str(self.standard_hours),
            "by_kind": dict(self.by_kind),
            "periods_by_kind": dict(self.periods_by_kind),
            "hours_by_kind": {k: str(v) for k, v in self.hours_by_kind.items()},
            "by_political": dict(self.by_political),
            "by_professional": dict(self.by_professional),
            "by_position": {
                k: {"count": v.count, "norm": v.norm, "hours": str(v.hours), "overtime": v.overtime}
                for k, v in self.by_position.items()
            },
        }

    @classmethod
    def from_dict(cls, values: dict) -> "LecturerSummary":
        return cls(
            total=int(values.get("total", 0)),
            periods=int(values.get("periods", 0)),
            standard_hours=_dec(values.get("standard_hours")),
            by_kind={k: int(v) for k, v in values.get("by_kind", {}).items()},
            periods_by_kind={k: int(v) for k, v in values.get("periods_by_kind", {}).items()},
            hours_by_kind={k: _dec(v) for k, v in values.get("hours_by_kind", {}).items()},
            by_political={k: int(v) for k, v in values.get("by_political", {}).items()},
            by_professional={k: int(v) for k, v in values.get("by_professional", {}).items()},
            by_position={
                k: PositionNorm(
                    int(v["count"]), int(v["norm"]), _dec(v["hours"]), int(v["overtime"])
                )
                for k, v in values.get("by_position", {}).items()
            },
        )


def _bump(mapping: dict, key, value) -> None:
    mapping[key] = mapping.get(key, 0) + value


@dataclass
class Summary:
    """One centre's (or several centres') year: totals, totals by system, people, lecturers."""

    total: Figures = field(default_factory=Figures)
    by_system: dict[str, Figures] = field(default_factory=dict)
    people: int = 0
    lecturers: LecturerSummary = field(default_factory=LecturerSummary)

    def __add__(self, other: "Summary") -> "Summary":
        systems = dict(self.by_system)
        for key, value in other.by_system.items():
            systems[key] = systems.get(key, Figures()) + value
        return Summary(
            total=self.total + other.total,
            by_system=systems,
            people=self.people + other.people,
            lecturers=self.lecturers + other.lecturers,
        )

    @property
    def is_empty(self) -> bool:
        """Nothing recorded for the year at all (e.g. the year before the centre used the app)."""
        t = self.total
        return not (t.classes or t.cancelled or t.planned_classes or t.enrolled) and not (
            self.lecturers.periods
        )

    def system(self, key: str) -> Figures:
        return self.by_system.get(key, Figures())

    def as_dict(self) -> dict:
        return {
            "total": self.total.as_dict(),
            "by_system": {k: v.as_dict() for k, v in self.by_system.items()},
            "people": self.people,
            "lecturers": self.lecturers.as_dict(),
        }

    @classmethod
    def from_dict(cls, values: dict) -> "Summary":
        return cls(
            total=Figures.from_dict(values.get("total", {})),
            by_system={k: Figures.from_dict(v) for k, v in values.get("by_system", {}).items()},
            people=int(values.get("people", 0)),
            lecturers=LecturerSummary.from_dict(values.get("lecturers", {})),
        )


@dataclass
class YearData:
    """Everything the database says about a year at some centres: about ten queries."""

    year: int
    figures: YearFigures
    lecturers: LecturerFigures
    people_by_centre: dict[int, int]

    def summary(self, centre_id: int) -> Summary:
        by_system: dict[str, Figures] = {}
        for row in self.figures.programs:
            if row.centre_id == centre_id:
                by_system[row.system] = by_system.get(row.system, Figures()) + row.figures
        return Summary(
            total=self.figures.by_centre.get(centre_id, Figures()),
            by_system=by_system,
            people=self.people_by_centre.get(centre_id, 0),
            lecturers=LecturerSummary.from_rows(
                [r for r in self.lecturers.lecturers if r.centre_id == centre_id]
            ),
        )


def people_by_centre(centre_ids, year: int) -> dict[int, int]:
    """Distinct trainees (người) enrolled in the year's opened classes, per centre: one query."""
    return {
        row["course__centre_id"]: row["people"]
        for row in Enrolment.objects.filter(
            course__centre_id__in=centre_ids,
            course__start_date__year=year,
            course__status__in=OPENED_STATUSES,
        )
        .values("course__centre_id")
        .annotate(people=Count("trainee_id", distinct=True))
        .order_by()
    }


def collect_year(centre_ids, year: int) -> YearData:
    centre_ids = list(centre_ids)
    return YearData(
        year=year,
        figures=year_figures(centre_ids, year, with_people=False),
        lecturers=lecturer_figures(centre_ids, year),
        people_by_centre=people_by_centre(centre_ids, year),
    )


def previous_summaries(centre_ids, year: int) -> dict[int, dict]:
    """The previous year of each centre: {"summary", "source", "number", "report_date"}.

    From the previous year's sent report when there is one (the figures as reported), else from
    the database. A fixed number of queries.
    """
    centre_ids = list(centre_ids)
    previous = year - 1
    sent = {
        r.centre_id: r
        for r in YearlyReport.objects.filter(
            centre_id__in=centre_ids, year=previous, status=ReportStatus.SENT
        ).only("centre_id", "snapshot", "number", "report_date")
    }
    missing = [pk for pk in centre_ids if pk not in sent]
    live = collect_year(missing, previous) if missing else None
    result = {}
    for pk in centre_ids:
        if pk in sent:
            report = sent[pk]
            result[pk] = {
                "summary": Summary.from_dict(report.snapshot["summary"]),
                "source": "sent",
                "number": report.snapshot["document"]["number_text"],
                "report_date": report.snapshot["document"]["report_date"],
            }
        else:
            result[pk] = {"summary": live.summary(pk), "source": "live"}
    return result

"""The year's observations per lecturer, for the lecturer section of the yearly report.

Only finalised records count, in the year of the session observed. One query whatever the
number of centres, lecturers or records; averages with Decimal, one decimal, half up.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dugio.models import Classification, Observation
from trungtam.documents.numbers import format_number

ONE_DECIMAL = Decimal("0.1")
ORDER = [c.value for c in Classification]


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


@dataclass
class LecturerObservations:
    lecturer_id: int
    name: str
    centre: str
    totals: list[Decimal] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    sort_key: str = ""

    @property
    def observations(self) -> int:
        return len(self.totals)

    @property
    def average_total(self) -> Decimal | None:
        return _average(self.totals)

    def count(self, classification: str) -> int:
        return self.counts[classification]

    @property
    def classification_counts(self) -> list[tuple[str, int]]:
        """(label, count) in the order Giỏi, Khá, Đạt, Chưa đạt."""
        return [(Classification(c).label, self.counts[c]) for c in ORDER]


@dataclass
class ObservationYear:
    year: int
    rows: list[LecturerObservations]

    @property
    def observations(self) -> int:
        return sum(row.observations for row in self.rows)

    @property
    def lecturers(self) -> int:
        return len(self.rows)

    @property
    def average_total(self) -> Decimal | None:
        return _average([total for row in self.rows for total in row.totals])

    @property
    def counts(self) -> Counter:
        total: Counter = Counter()
        for row in self.rows:
            total.update(row.counts)
        return total

    @property
    def classification_counts(self) -> list[tuple[str, int]]:
        counts = self.counts
        return [(Classification(c).label, counts[c]) for c in ORDER]

    def sentence(self) -> str:
        """One Vietnamese sentence for the report's lecturer section."""
        if not self.observations:
            return f"Năm {self.year}, trung tâm chưa có biên bản dự giờ nào được chốt."
        counts = ", ".join(
            f"{label} {format_number(count)}"
            for label, count in self.classification_counts
            if count
        )
        return (
            f"Năm {self.year}, trung tâm tổ chức dự giờ {format_number(self.observations)} lượt "
            f"đối với {format_number(self.lecturers)} giảng viên, điểm bình quân "
            f"{format_number(self.average_total, 1)}; xếp loại: {counts}."
        )


def observation_year(centre_ids: list[int], year: int) -> ObservationYear:
    """Per lecturer (Vietnamese name order): observations, average total, counts by
    classification; the totals over them. One query."""
    records = (
        Observation.objects.finalised()
        .in_year(year)
        .filter(session__course__centre_id__in=list(centre_ids))
        .values_list(
            "lecturer_id",
            "lecturer__full_name",
            "lecturer__title",
            "lecturer__sort_key",
            "lecturer__centre__name",
            "total",
            "classification",
        )
    )
    return ObservationYear(year=year, rows=_rows(records))


def observation_rows(records) -> list[LecturerObservations]:
    """The per-lecturer rows of observations already loaded (with lecturer and centre)."""
    return _rows(
        (
            o.lecturer_id,
            o.lecturer.full_name,
            o.lecturer.title,
            o.lecturer.sort_key,
            "",
            o.total,
            o.classification,
        )
        for o in records
    )


def _rows(records) -> list[LecturerObservations]:
    rows: dict[int, LecturerObservations] = {}
    for lecturer_id, name, title, sort_key, centre, total, classification in records:
        row = rows.get(lecturer_id)
        if row is None:
            row = rows[lecturer_id] = LecturerObservations(
                lecturer_id=lecturer_id,
                name=f"{title} {name}".strip(),
                centre=centre,
                sort_key=sort_key,
            )
        row.totals.append(total)
        row.counts[classification] += 1
    return sorted(rows.values(), key=lambda r: (r.centre, r.sort_key, r.lecturer_id))


def observations_by_centre(centre_ids: list[int], year: int) -> dict[int, list[Decimal]]:
    """Per centre of the class observed, the totals of its finalised observations of the year
    (for their number and average, `_average`): one query."""
    result: dict[int, list[Decimal]] = {}
    records = (
        Observation.objects.finalised()
        .in_year(year)
        .filter(session__course__centre_id__in=list(centre_ids))
        .values_list("session__course__centre_id", "total")
        .order_by()
    )
    for centre_id, total in records:
        result.setdefault(centre_id, []).append(total)
    return result


def average_total(totals: list[Decimal]) -> Decimal | None:
    return _average(totals)

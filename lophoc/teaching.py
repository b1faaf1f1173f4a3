"""Teaching norms (DESIGN §8, Quy chế giảng dạy, Quyết định 1853-QĐ/BTGTW): periods taught are
converted into standard hours (giờ chuẩn) by a coefficient per kind of session, and compared with
the yearly norm of the lecturer's position. Part-time and guest lecturers have no norm; they are
paid per period at the centre's rate."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from giangvien.models import Lecturer, LecturerKind, LecturerPosition
from lophoc.models import SessionKind
from trungtam.models import Centre

# Periods → standard hours, by kind of session; a centre may override any of them.
DEFAULT_COEFFICIENTS: dict[str, Decimal] = {
    SessionKind.LECTURE: Decimal("1"),
    SessionKind.DISCUSSION: Decimal("0.5"),
    SessionKind.FIELD_TRIP: Decimal("0.5"),
    SessionKind.EXAM: Decimal("0.3"),
    SessionKind.CEREMONY: Decimal("0"),
}


def coefficients(centre: Centre) -> dict[str, Decimal]:
    """The centre's coefficients: the defaults with its own values (numbers or "0,5") on top."""
    merged = dict(DEFAULT_COEFFICIENTS)
    for kind, value in (centre.standard_hour_coefficients or {}).items():
        if kind in merged:
            merged[kind] = Decimal(str(value).replace(",", "."))
    return merged


@dataclass(frozen=True)
class Norm:
    total: int  # standard hours per year
    lecturing: int  # of which lecturing


def yearly_norm(centre: Centre, lecturer: Lecturer) -> Norm | None:
    """The lecturer's yearly norm, or None (part-time and guest lecturers, other positions)."""
    if lecturer.kind != LecturerKind.FULL_TIME:
        return None
    by_position = {
        LecturerPosition.DIRECTOR: Norm(centre.norm_director, centre.norm_director_lecturing),
        LecturerPosition.DEPUTY: Norm(centre.norm_deputy, centre.norm_deputy_lecturing),
        LecturerPosition.LECTURER: Norm(centre.norm_lecturer, centre.norm_lecturer_lecturing),
        LecturerPosition.LECTURER_ADMIN: Norm(
            centre.norm_lecturer_admin, centre.norm_lecturer_admin_lecturing
        ),
    }
    return by_position.get(lecturer.position)


def standard_hours(periods_by_kind: dict[str, int], centre_coefficients: dict[str, Decimal]):
    """Σ periods × coefficient, as a Decimal with one decimal."""
    total = sum(
        (Decimal(periods) * centre_coefficients.get(kind, Decimal("1")))
        for kind, periods in periods_by_kind.items()
    )
    return Decimal(total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_paid_per_period(lecturer: Lecturer) -> bool:
    return lecturer.kind in (LecturerKind.PART_TIME, LecturerKind.GUEST)

"""Writing an import: new units, new trainees and the enrolments, in one transaction or not at all."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from hocvien.models import Trainee, Unit, UnitKind
from lophoc.attendance import absence_refresh
from lophoc.models import Course, Enrolment
from lophoc.nominee_import.parsing import ParsedFile
from lophoc.nominee_import.planning import (
    CONFIRMED,
    MATCHED,
    NEW,
    PROPOSED,
    ImportPlan,
    nominee_import_plan,
)
from lophoc.nominee_import.problems import ImportRefused, Problem

# The first words of a unit's name say what kind of unit it is, often enough to be worth guessing;
# staff can correct the kind on the unit page.
_KIND_PREFIXES = [
    (UnitKind.SPECIAL_ZONE, ("đặc khu",)),
    (UnitKind.WARD, ("phường", "ubnd phường", "ủy ban nhân dân phường")),
    (UnitKind.COMMUNE, ("xã", "ubnd xã", "ủy ban nhân dân xã")),
    (UnitKind.TOWN, ("thị trấn",)),
    (UnitKind.PARTY_ORG, ("chi bộ", "đảng bộ", "đảng ủy", "đảng uỷ")),
    (UnitKind.SCHOOL, ("trường",)),
    (UnitKind.ENTERPRISE, ("công ty", "doanh nghiệp", "hợp tác xã", "htx")),
    (
        UnitKind.MASS_ORG,
        ("hội", "đoàn thanh niên", "đoàn tncs", "mặt trận", "ủy ban mttq", "ubmttq", "liên đoàn"),
    ),
    (UnitKind.ARMED, ("công an", "ban chỉ huy quân sự", "bchqs", "đồn biên phòng", "quân sự")),
]


def guess_unit_kind(name: str) -> str:
    lowered = re.sub(r"\s+", " ", name.strip().lower())
    for kind, prefixes in _KIND_PREFIXES:
        if lowered.startswith(prefixes):
            return kind
    if lowered.startswith(("ubnd", "ủy ban", "uỷ ban", "phòng", "ban ", "văn phòng", "sở ")):
        return UnitKind.AGENCY
    return UnitKind.OTHER


@dataclass
class ImportResult:
    plan: ImportPlan
    enrolled: int = 0
    created: int = 0
    matched: int = 0
    confirmed: int = 0
    new_units: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        course = self.plan.course
        parts = [f"{self.created} học viên mới", f"{self.matched} học viên đã có (khớp số CCCD)"]
        if self.confirmed:
            parts.append(f"{self.confirmed} học viên đã có (xác nhận cùng người)")
        units = f"; tạo {len(self.new_units)} đơn vị mới" if self.new_units else ""
        return (
            f"Đã ghi danh {self.enrolled} học viên vào lớp {course.code}: "
            f"{', '.join(parts)}{units}."
        )


def nominee_import_apply(
    *,
    course: Course,
    parsed: ParsedFile,
    user,
    propose: bool = False,
    confirmed: dict[int, int] | None = None,
) -> ImportResult:
    """Check again under a lock on the class, then write everything or raise ImportRefused.

    The checks run again here (capacity, duplicates, who is already in the class), so two people
    importing at the same moment cannot half-write or overfill a class.
    """
    try:
        return _write(
            course=course, parsed=parsed, user=user, propose=propose, confirmed=confirmed or {}
        )
    except IntegrityError:
        raise ImportRefused(
            [
                Problem(
                    "Dữ liệu vừa được người khác thay đổi cùng lúc (trùng số CCCD, đơn vị hoặc "
                    "ghi danh). Không có gì được ghi; hãy xem lại bản xem trước và thử lại."
                )
            ]
        ) from None


@transaction.atomic
def _write(*, course, parsed, user, propose, confirmed) -> ImportResult:
    course = Course.objects.select_for_update().get(pk=course.pk)
    plan = nominee_import_plan(course=course, parsed=parsed, propose=propose, confirmed=confirmed)
    if not plan.ok:
        raise ImportRefused(plan.problems, plan)

    units = {
        key: Unit(centre_id=course.centre_id, name=new.name, kind=guess_unit_kind(new.name))
        for key, new in plan.new_units.items()
    }
    for unit in units.values():
        unit.full_clean(exclude=["centre"], validate_unique=False, validate_constraints=False)
    if units:
        bulk_create_with_history(list(units.values()), Unit, default_user=user)

    problems: list[Problem] = []
    new_trainees: list[Trainee] = []
    for row in plan.rows:
        row.unit = row.unit or units.get(row.new_unit)
        if row.status in (NEW, PROPOSED):
            source = row.source
            row.trainee = Trainee(
                centre_id=course.centre_id,
                full_name=source.full_name,
                date_of_birth=source.date_of_birth,
                gender=source.gender,
                ethnicity=source.ethnicity,
                national_id=source.national_id,
                position=source.position,
                unit=row.unit,
                is_party_member=source.is_party_member,
                phone=source.phone,
            )
            problems += _validation_problems(row.trainee, row.row)
            new_trainees.append(row.trainee)
    if problems:
        raise ImportRefused(problems, plan)
    if new_trainees:
        bulk_create_with_history(new_trainees, Trainee, default_user=user)

    for row in plan.rows:
        if row.fills_national_id:
            row.trainee.national_id = row.source.national_id
            row.trainee._history_user = user
            row.trainee.save(update_fields=["national_id", "updated_at"])

    enrolments = [
        Enrolment(
            course=course,
            trainee=row.trainee,
            unit=row.unit or row.trainee.unit,
            position=row.source.position or row.trainee.position,
        )
        for row in plan.rows
    ]
    bulk_create_with_history(enrolments, Enrolment, default_user=user)
    absence_refresh(course=course)
    return ImportResult(
        plan=plan,
        enrolled=len(enrolments),
        created=len(new_trainees),
        matched=plan.count(MATCHED),
        confirmed=plan.count(CONFIRMED),
        new_units=[unit.name for unit in units.values()],
    )


def _validation_problems(trainee: Trainee, row: int) -> list[Problem]:
    try:
        # Foreign keys are excluded: each would cost a query, and they were just looked up.
        trainee.full_clean(
            exclude=["centre", "unit"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            Problem(message, row=row)
            for messages in error.message_dict.values()
            for message in messages
        ]
    return []

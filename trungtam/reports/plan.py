"""Kế hoạch năm (DESIGN §4, §5 step 1): per program, the classes and trainees a centre plans.

A plan starts as a draft (dự thảo), possibly copied from last year's; staff fill in the targets;
the director (a centre leader) or an admin approves it. An approved plan is not edited: it is
amended — back to draft with a reason and the next revision number — and approved again. The
figures of each earlier approved revision (as they stood when it was amended, which is as
approved since an approved plan is not edited) stay readable from the history tables
(`approved_versions`), read in three queries however many revisions there were.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from lophoc.models import Program, ProgramSystem
from trungtam.documents.numbers import format_number
from trungtam.models import Centre, User
from trungtam.reports.figures import AgainstPlan, Figures, program_figures
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget
from trungtam.text import sort_key

MIN_YEAR = 2000
MAX_YEAR = 2100
MAX_CLASSES = 999
MAX_TRAINEES = 99_999
NOTES_LENGTH = 300
NUMBER_LENGTH = 6
REASON_LENGTH = 300

APPROVER_ONLY = (
    "Chỉ Giám đốc, lãnh đạo trung tâm hoặc quản trị mới phê duyệt hoặc điều chỉnh kế hoạch năm. "
    "Hãy báo lãnh đạo trung tâm xem và phê duyệt."
)
APPROVED_NOT_EDITABLE = (
    "Kế hoạch đã được phê duyệt nên không sửa trực tiếp được. Muốn thay đổi chỉ tiêu, lãnh đạo "
    "trung tâm hãy bấm «Điều chỉnh kế hoạch» (ghi rõ lý do) để đưa kế hoạch về dự thảo, sửa, rồi "
    "phê duyệt lại; số liệu đã phê duyệt trước đó vẫn được lưu."
)

# Headings of the systems in the plan's tables, in the order of ProgramSystem.
SYSTEM_HEADINGS = {
    ProgramSystem.PARTY: "Hệ Đảng",
    ProgramSystem.STATE: "Hệ Nhà nước",
    ProgramSystem.MASS: "Hệ Đoàn thể",
    ProgramSystem.PARTNER: "Hệ Phối hợp",
    ProgramSystem.OTHER: "Khác",
}
_SYSTEM_ORDER = {system.value: index for index, system in enumerate(ProgramSystem)}


class PlanExists(ValidationError):
    """The centre already has a plan for that year; `plan` is it."""

    def __init__(self, plan: AnnualPlan):
        self.plan = plan
        super().__init__(
            f"{plan.centre.name} đã có kế hoạch năm {plan.year}: mỗi trung tâm chỉ có một kế hoạch "
            "mỗi năm. Hãy mở kế hoạch đó để xem hoặc sửa."
        )


class PlanLocked(ValidationError):
    """The plan is approved: it is amended, not edited."""

    def __init__(self):
        super().__init__(APPROVED_NOT_EDITABLE)


def title_key(name: str) -> tuple[str, ...]:
    """Vietnamese alphabetical order of a title, word by word from the first (not a person's name,
    which sorts by the given name first)."""
    return tuple(sort_key(word) for word in name.split())


def program_order(system: str, name: str, pk: int) -> tuple:
    """Programs in the order of the systems (Đảng, Nhà nước, …), then by name."""
    return (_SYSTEM_ORDER.get(system, 99), title_key(name), pk)


# --- rows of the plan's table ---------------------------------------------------------------


@dataclass
class TargetRow(AgainstPlan):
    """One program of the plan: the planned figures and, where wanted, what happened so far."""

    program_id: int
    name: str
    system: str
    planned_classes: int = 0
    planned_trainees: int = 0
    notes: str = ""
    in_plan: bool = True  # False: classes opened this year for a program the plan does not name
    opened: int = 0
    enrolled: int = 0


@dataclass
class SystemGroup(AgainstPlan):
    system: str
    heading: str
    rows: list[TargetRow] = field(default_factory=list)

    def _sum(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def planned_classes(self) -> int:
        return self._sum("planned_classes")

    @property
    def planned_trainees(self) -> int:
        return self._sum("planned_trainees")

    @property
    def opened(self) -> int:
        return self._sum("opened")

    @property
    def enrolled(self) -> int:
        return self._sum("enrolled")


@dataclass
class PlanTable:
    """The plan's rows grouped by system (systems without rows left out), with the totals."""

    groups: list[SystemGroup]
    total: SystemGroup

    @property
    def rows(self) -> list[TargetRow]:
        return self.total.rows


def group_rows(rows: list[TargetRow]) -> PlanTable:
    rows = sorted(rows, key=lambda r: program_order(r.system, r.name, r.program_id))
    groups = []
    for system in ProgramSystem:
        members = [row for row in rows if row.system == system]
        if members:
            groups.append(SystemGroup(system.value, SYSTEM_HEADINGS[system], members))
    return PlanTable(groups, SystemGroup("", "Tổng cộng", rows))


def plan_table(plan: AnnualPlan, *, with_progress: bool = False) -> PlanTable:
    """The plan's targets by system (one query); `with_progress` adds the classes opened and the
    trainees enrolled so far in the plan's year, per program, from the year figures (four or five
    more queries), including programs that opened classes without a target."""
    rows = [
        TargetRow(
            program_id=t.program_id,
            name=t.program.name,
            system=t.program.system,
            planned_classes=t.planned_classes,
            planned_trainees=t.planned_trainees,
            notes=t.notes,
        )
        for t in plan.targets.select_related("program")
    ]
    if with_progress:
        figures: dict[int, Figures] = program_figures([plan.centre_id], plan.year)
        by_program = {row.program_id: row for row in rows}
        for row in rows:
            found = figures.get(row.program_id)
            if found is not None:
                row.opened, row.enrolled = found.opened, found.enrolled
        unplanned = [
            pk for pk, f in figures.items() if pk not in by_program and (f.opened or f.enrolled)
        ]
        if unplanned:
            for program in Program.objects.filter(pk__in=unplanned).only("pk", "name", "system"):
                found = figures[program.pk]
                rows.append(
                    TargetRow(
                        program_id=program.pk,
                        name=program.name,
                        system=program.system,
                        in_plan=False,
                        opened=found.opened,
                        enrolled=found.enrolled,
                    )
                )
    return group_rows(rows)


# --- creating ---------------------------------------------------------------------------------


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "Hãy nhập năm bằng số, ví dụ 2026."}) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}, ví dụ 2026."})
    return year


def _existing(centre: Centre, year: int) -> AnnualPlan | None:
    return AnnualPlan.objects.select_related("centre").filter(centre=centre, year=year).first()


def previous_plan(centre: Centre, year: int) -> AnnualPlan | None:
    """The plan of the year before `year`, the one a new plan may be copied from."""
    return _existing(centre, year - 1)


@transaction.atomic
def plan_create(
    *, centre: Centre, year: int, copy_from_last_year: bool = False, user: User | None = None
) -> AnnualPlan:
    """A new draft plan for the centre and year; with `copy_from_last_year`, every target of the
    previous year's plan (programs, figures, notes) is copied into it as a starting point.

    Raises PlanExists when the centre already has a plan that year, ValidationError otherwise.
    """
    year = check_year(year)
    existing = _existing(centre, year)
    if existing is not None:
        raise PlanExists(existing)
    source = None
    if copy_from_last_year:
        source = previous_plan(centre, year)
        if source is None:
            raise ValidationError(
                {
                    "copy": f"{centre.name} chưa có kế hoạch năm {year - 1} để sao chép. Hãy bỏ "
                    "chọn «Sao chép» để lập kế hoạch trống rồi nhập chỉ tiêu."
                }
            )
    plan = AnnualPlan(centre=centre, year=year, status=PlanStatus.DRAFT)
    if user is not None:
        plan._history_user = user
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        # Someone created the same plan a moment ago.
        existing = _existing(centre, year)
        if existing is None:
            raise
        raise PlanExists(existing) from None
    if source is not None:
        for target in source.targets.order_by("pk"):
            copy = PlanTarget(
                plan=plan,
                program_id=target.program_id,
                planned_classes=target.planned_classes,
                planned_trainees=target.planned_trainees,
                notes=target.notes,
            )
            if user is not None:
                copy._history_user = user
            copy.save()
    return plan


# --- editing the targets ----------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    """What was typed in one row of the targets table (already converted to numbers)."""

    program_id: int
    planned_classes: int = 0
    planned_trainees: int = 0
    notes: str = ""

    @property
    def empty(self) -> bool:
        return not (self.planned_classes or self.planned_trainees or self.notes.strip())


def plan_programs(plan: AnnualPlan) -> list[Program]:
    """The rows of the targets table: every program of the centre that is in use or already has
    a target in this plan, in the order of the systems, then by name (one query)."""
    programs = Program.objects.filter(centre_id=plan.centre_id).filter(
        Q(active=True) | Q(pk__in=plan.targets.values("program_id"))
    )
    return sorted(programs, key=lambda p: program_order(p.system, p.name, p.pk))


def edit_refusal(plan: AnnualPlan) -> str | None:
    """Why the plan may not be edited now, or None."""
    if plan.status == PlanStatus.APPROVED:
        return APPROVED_NOT_EDITABLE
    return None


def _locked(plan: AnnualPlan) -> AnnualPlan:
    return AnnualPlan.objects.select_for_update().select_related("centre").get(pk=plan.pk)


def _row_label(index: int, program: Program) -> str:
    return f"Dòng {index} «{program.name}»"


def check_number(value: str) -> str:
    value = (value or "").strip()
    if value and not (value.isdigit() and len(value) <= NUMBER_LENGTH):
        raise ValidationError(
            {
                "number": "Số văn bản chỉ ghi số thứ tự, ví dụ 15; phần «-KH/…» được thêm khi in "
                "theo thể thức của trung tâm."
            }
        )
    return value


def target_errors(index: int, program: Program, target: TargetInput) -> list[str]:
    """What is wrong with one row, each message naming the row and the column."""
    label = _row_label(index, program)
    errors = []
    for column, value, top in (
        ("Số lớp", target.planned_classes, MAX_CLASSES),
        ("Số học viên", target.planned_trainees, MAX_TRAINEES),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
            errors.append(
                f'{label}, cột "{column}": "{value}" phải là số nguyên từ 0 đến '
                f"{format_number(top)}."
            )
    if len(target.notes or "") > NOTES_LENGTH:
        errors.append(
            f'{label}, cột "Ghi chú": dài {len(target.notes)} ký tự, tối đa {NOTES_LENGTH}.'
        )
    return errors


@transaction.atomic
def plan_save(
    *,
    plan: AnnualPlan,
    targets: list[TargetInput],
    number: str = "",
    issued_on=None,
    notes: str = "",
    user: User | None = None,
) -> AnnualPlan:
    """Store the draft's heading (number, date, notes) and its targets, all or nothing.

    A row left empty (0 classes, 0 trainees, no note) has no target: an existing one is removed.
    Programs not in `targets` keep theirs. Everything is checked before anything is written; an
    approved plan is refused (it must be amended first).
    """
    plan = _locked(plan)
    if edit_refusal(plan):
        raise PlanLocked()
    programs = plan_programs(plan)
    index_of = {program.pk: index for index, program in enumerate(programs, start=1)}
    by_pk = {program.pk: program for program in programs}
    errors: list[str] = []
    seen: set[int] = set()
    for target in targets:
        program = by_pk.get(target.program_id)
        if program is None:
            errors.append(
                f"Chương trình mã số {target.program_id} không thuộc {plan.centre.name} hoặc đã "
                "ngừng sử dụng: không lập chỉ tiêu cho chương trình này được."
            )
            continue
        if target.program_id in seen:
            errors.append(f"{_row_label(index_of[program.pk], program)} được nhập hai lần.")
            continue
        seen.add(target.program_id)
        errors += target_errors(index_of[program.pk], program, target)
    try:
        number = check_number(number)
    except ValidationError as error:
        errors += error.messages
    if len(notes or "") > 5000:
        errors.append("Ghi chú của kế hoạch dài quá 5.000 ký tự; hãy viết ngắn lại.")
    if errors:
        raise ValidationError(errors)

    existing = {t.program_id: t for t in plan.targets.all()}
    for target in targets:
        current = existing.get(target.program_id)
        if target.empty:
            if current is not None:
                if user is not None:
                    current._history_user = user
                current.delete()
            continue
        values = {
            "planned_classes": target.planned_classes,
            "planned_trainees": target.planned_trainees,
            "notes": (target.notes or "").strip(),
        }
        if current is None:
            current = PlanTarget(plan=plan, program_id=target.program_id)
        elif all(getattr(current, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(current, name, value)
        if user is not None:
            current._history_user = user
        current.full_clean(validate_unique=False, validate_constraints=False)
        current.save()
    plan.number = number
    plan.issued_on = issued_on
    plan.notes = notes or ""
    if user is not None:
        plan._history_user = user
    plan.save()
    return plan


# --- approving and amending ---------------------------------------------------------------


def _require_approver(user: User) -> None:
    if not user.approves_for_centre:
        raise PermissionDenied(APPROVER_ONLY)


@transaction.atomic
def plan_approve(
    *, plan: AnnualPlan, user: User, number: str | None = None, issued_on=None
) -> AnnualPlan:
    """Approve a draft: who and when are recorded; the number and date of issue may be set now
    (the date defaults to today). Only the director, a centre leader or an admin approves."""
    _require_approver(user)
    plan = _locked(plan)
    if plan.status == PlanStatus.APPROVED:
        raise ValidationError(f"Kế hoạch năm {plan.year} đã được phê duyệt rồi.")
    if not plan.targets.filter(Q(planned_classes__gt=0) | Q(planned_trainees__gt=0)).exists():
        raise ValidationError(
            f"Kế hoạch năm {plan.year} chưa có chỉ tiêu nào (số lớp, số học viên). Hãy nhập chỉ "
            "tiêu trước khi phê duyệt."
        )
    if number is not None:
        plan.number = check_number(number)
    plan.issued_on = issued_on or plan.issued_on or timezone.localdate()
    plan.status = PlanStatus.APPROVED
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan._history_user = user
    plan.save()
    return plan


@transaction.atomic
def plan_amend(*, plan: AnnualPlan, user: User, reason: str) -> AnnualPlan:
    """Reopen an approved plan for changes: back to draft, the next revision, with the reason.

    The approval (who, when, number) is cleared on the plan itself; the figures and approval of
    the earlier revision stay in the history (see `approved_versions`).
    """
    _require_approver(user)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Hãy ghi lý do điều chỉnh kế hoạch."})
    if len(reason) > REASON_LENGTH:
        raise ValidationError({"reason": f"Lý do điều chỉnh dài tối đa {REASON_LENGTH} ký tự."})
    plan = _locked(plan)
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(
            f"Kế hoạch năm {plan.year} đang là dự thảo: cứ sửa trực tiếp, không cần điều chỉnh."
        )
    _record_figures(plan, user)
    plan.status = PlanStatus.DRAFT
    plan.revision += 1
    plan.amendment_reason = reason
    plan.approved_by = None
    plan.approved_at = None
    plan.number = ""
    plan.issued_on = None
    plan._history_user = user
    plan.save()
    return plan


# --- the earlier approved versions, from the history -------------------------------------------

TRACKED_FIGURES = ("program_id", "planned_classes", "planned_trainees", "notes")
BASELINE_REASON = "Số liệu khi điều chỉnh kế hoạch (trước đó chưa ghi lịch sử)"


def _record_figures(plan: AnnualPlan, user: User) -> None:
    """Make sure the history holds every target as it stands before an amendment.

    Targets written without a history row (bulk inserts, such as the demo's, or `update()`)
    get one now, so the approved figures can always be read back after the draft is edited.
    """
    targets = list(plan.targets.all())
    latest = {}
    for record in PlanTarget.history.filter(plan_id=plan.pk).order_by("history_date", "history_id"):
        latest[record.id] = record
    stale = [
        target
        for target in targets
        if target.pk not in latest
        or latest[target.pk].history_type == "-"
        or any(getattr(latest[target.pk], f) != getattr(target, f) for f in TRACKED_FIGURES)
    ]
    if stale:
        PlanTarget.history.bulk_history_create(
            stale, update=True, default_user=user, default_change_reason=BASELINE_REASON
        )


@dataclass
class ApprovedVersion:
    """A revision of the plan as it was approved, and the amendment that replaced it."""

    revision: int
    approved_by: str
    approved_at: object  # datetime
    number: str
    issued_on: object  # date or None
    table: PlanTable
    amended_at: object = None
    amended_by: str = ""
    amendment_reason: str = ""

    @property
    def label(self) -> str:
        return "Kế hoạch ban đầu" if self.revision == 0 else f"Điều chỉnh lần {self.revision}"


def _user_name(user) -> str:
    return (user.full_name or user.username) if user is not None else ""


def approved_versions(plan: AnnualPlan) -> list[ApprovedVersion]:
    """Every revision that was approved and later amended, oldest first, with its figures as they
    stood when it was amended (an approved plan is not edited, so: as approved). Three queries
    (the plan's history, its targets' history, the programs) whatever the number of revisions."""
    records = list(
        AnnualPlan.history.filter(id=plan.pk)
        .select_related("approved_by", "history_user")
        .order_by("history_date", "history_id")
    )
    versions: list[ApprovedVersion] = []
    current: ApprovedVersion | None = None
    previous_status = None
    for record in records:
        if record.status == PlanStatus.APPROVED and previous_status != PlanStatus.APPROVED:
            current = ApprovedVersion(
                revision=record.revision,
                approved_by=_user_name(record.approved_by or record.history_user),
                approved_at=record.approved_at or record.history_date,
                number=record.number,
                issued_on=record.issued_on,
                table=group_rows([]),
            )
        elif record.status == PlanStatus.DRAFT and previous_status == PlanStatus.APPROVED:
            if current is not None:
                current.amended_at = record.history_date
                current.amended_by = _user_name(record.history_user)
                current.amendment_reason = record.amendment_reason
                versions.append(current)
                current = None
        previous_status = record.status
    if not versions:
        return []
    target_records = list(
        PlanTarget.history.filter(plan_id=plan.pk).order_by("history_date", "history_id")
    )
    programs = {
        p["pk"]: p
        for p in Program.objects.filter(pk__in={r.program_id for r in target_records}).values(
            "pk", "name", "system"
        )
    }
    for version in versions:
        state: dict[int, object] = {}
        for record in target_records:
            if record.history_date > version.amended_at:
                break
            state[record.id] = record
        rows = []
        for record in state.values():
            if record.history_type == "-":
                continue
            program = programs.get(
                record.program_id, {"name": "(chương trình đã xóa)", "system": "other"}
            )
            rows.append(
                TargetRow(
                    program_id=record.program_id,
                    name=program["name"],
                    system=program["system"],
                    planned_classes=record.planned_classes,
                    planned_trainees=record.planned_trainees,
                    notes=record.notes,
                )
            )
        version.table = group_rows(rows)
    return versions


# --- the list -----------------------------------------------------------------------------


def with_totals(plans):
    """Plans annotated with their totals (one query for a page of plans)."""
    return plans.select_related("centre", "approved_by").annotate(
        total_classes=Sum("targets__planned_classes"),
        total_trainees=Sum("targets__planned_trainees"),
        programs=Count("targets"),
    )

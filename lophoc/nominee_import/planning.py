"""What importing a parsed file into a class would do, checked against the database.

Existing trainees of the class's centre are recognised by national ID only. A row whose exact name
(with diacritics) and date of birth match a trainee is only *proposed* as the same person in the
web preview; a person confirms it. The same few queries run whatever the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from hocvien.models import Trainee, Unit
from lophoc.enrolments import capacity_refusal
from lophoc.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from lophoc.nominee_import.parsing import NomineeRow, ParsedFile
from lophoc.nominee_import.problems import Problem
from trungtam.text import normalize_text, search_key

ACCEPTING = (CourseStatus.PLANNED, CourseStatus.ENROLLING, CourseStatus.IN_PROGRESS)

MATCHED = "matched"  # an existing trainee with the same national ID
PROPOSED = "proposed"  # same name and date of birth as an existing trainee: a person decides
CONFIRMED = "confirmed"  # a proposal the person confirmed
NEW = "new"


def unit_key(name: str) -> str:
    """Units are the same when their names match ignoring case and spaces, with diacritics."""
    return normalize_text(name).lower()


def mask_national_id(national_id: str | None) -> str:
    return "•" * 9 + national_id[-3:] if national_id else ""


@dataclass
class NewUnit:
    name: str
    rows: list[int] = field(default_factory=list)


@dataclass
class MergedUnit:
    name: str  # as written in the file
    unit: Unit  # the unit it became
    rows: list[int] = field(default_factory=list)


@dataclass
class RowPlan:
    source: NomineeRow
    status: str = NEW
    trainee: Trainee | None = None  # the existing trainee the row becomes (matched or confirmed)
    candidates: list[Trainee] = field(default_factory=list)
    unit: Unit | None = None  # an existing unit (after merges)
    new_unit: str = ""  # key of a unit the import creates
    unit_label: str = ""
    differences: list[str] = field(default_factory=list)
    has_problem: bool = False

    @property
    def row(self) -> int:
        return self.source.row

    @property
    def masked_national_id(self) -> str:
        return mask_national_id(self.source.national_id)

    @property
    def fills_national_id(self) -> bool:
        """A confirmed match without a national ID gets the one in the file."""
        return bool(
            self.status == CONFIRMED and self.source.national_id and not self.trainee.national_id
        )


@dataclass
class ImportPlan:
    course: Course
    parsed: ParsedFile
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # warnings: shown, never blocking
    new_units: dict[str, NewUnit] = field(default_factory=dict)
    merged_units: list[MergedUnit] = field(default_factory=list)
    active_before: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def proposals(self) -> list[RowPlan]:
        return [row for row in self.rows if row.candidates]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "matched": self.count(MATCHED),
            "proposed": self.count(PROPOSED),
            "confirmed": self.count(CONFIRMED),
            "new": self.count(NEW) + self.count(PROPOSED),
            "new_units": len(self.new_units),
            "problems": len(self.problems),
            "active_after": self.active_before + len(self.rows),
        }


def course_refusal(course: Course) -> str | None:
    if course.status in ACCEPTING:
        return None
    return (
        f"Lớp {course.code} đang ở trạng thái «{course.get_status_display()}» nên không nhận thêm "
        "học viên; chỉ nhập danh sách cho lớp đang ở trạng thái Kế hoạch, Đang chiêu sinh "
        "hoặc Đang học."
    )


def nominee_import_plan(
    *,
    course: Course,
    parsed: ParsedFile,
    propose: bool = True,
    confirmed: dict[int, int] | None = None,
) -> ImportPlan:
    """Match every row of `parsed` against the class's centre; collect every problem.

    `propose` offers name + date-of-birth matches (the web preview; the command never does);
    `confirmed` maps a row number to the trainee id a person confirmed as the same person.
    """
    plan = ImportPlan(course=course, parsed=parsed, problems=list(parsed.problems))
    refusal = course_refusal(course)
    if refusal:
        plan.problems.insert(0, Problem(refusal))
    if parsed.fatal:
        return plan
    plan.rows = [RowPlan(source=row) for row in parsed.rows]
    rows_with_problem = {problem.row for problem in parsed.problems if problem.row}
    for row in plan.rows:
        row.has_problem = row.row in rows_with_problem

    _match_national_ids(plan)
    if propose:
        _propose_name_matches(plan)
    _apply_confirmations(plan, confirmed or {})
    _check_enrolled_and_repeated(plan)
    _resolve_units(plan)
    _check_capacity(plan)
    plan.problems.sort(key=lambda problem: problem.sort_key)
    for problem in plan.problems:
        for row in plan.rows:
            if row.row == problem.row:
                row.has_problem = True
    return plan


def _centre_trainees(course: Course):
    return Trainee.objects.filter(centre_id=course.centre_id).select_related("unit")


def _match_national_ids(plan: ImportPlan) -> None:
    """One query for every national ID in the file."""
    ids = {row.source.national_id for row in plan.rows if row.source.national_id}
    if not ids:
        return
    by_id = {t.national_id: t for t in _centre_trainees(plan.course).filter(national_id__in=ids)}
    for row in plan.rows:
        trainee = by_id.get(row.source.national_id)
        if trainee is None:
            continue
        row.status, row.trainee = MATCHED, trainee
        row.differences = _differences(row.source, trainee)
        if row.differences:
            plan.notes.append(
                Problem(
                    f"khớp số CCCD với học viên {trainee.full_name} đã có, nhưng "
                    f"{'; '.join(row.differences)}. Hồ sơ học viên được giữ nguyên; nếu file đúng, "
                    "hãy sửa hồ sơ sau khi nhập.",
                    row=row.row,
                )
            )


def _differences(source: NomineeRow, trainee: Trainee) -> list[str]:
    found = []
    if source.full_name and source.name_key != trainee.full_name.lower():
        found.append(
            f"họ tên trong file là «{source.full_name}», trong hồ sơ là «{trainee.full_name}»"
        )
    if source.date_of_birth and source.date_of_birth != trainee.date_of_birth:
        found.append(
            f"ngày sinh trong file là {source.date_of_birth:%d/%m/%Y}, "
            f"trong hồ sơ là {trainee.date_of_birth:%d/%m/%Y}"
        )
    if source.gender and source.gender != trainee.gender:
        found.append(
            f"giới tính trong file là {'Nam' if source.gender == 'M' else 'Nữ'}, "
            f"trong hồ sơ là {trainee.get_gender_display()}"
        )
    # A blank cell means "not stated", so only a file that says "member" can disagree.
    if source.is_party_member and not trainee.is_party_member:
        found.append("file ghi là đảng viên, hồ sơ chưa ghi là đảng viên")
    return found


def _propose_name_matches(plan: ImportPlan) -> None:
    """One query for every name + date of birth of rows not matched by national ID.

    A trainee is proposed when the exact name (case aside) and date of birth match and at most one
    of the two has a national ID: two different national IDs are two different people.
    """
    waiting = [row for row in plan.rows if row.status == NEW and row.source.date_of_birth]
    if not waiting:
        return
    keys = {search_key(row.source.full_name) for row in waiting}
    dates = {row.source.date_of_birth for row in waiting}
    found = defaultdict(list)
    candidates = (
        _centre_trainees(plan.course)
        .filter(search_key__in=keys, date_of_birth__in=dates)
        .annotate(course_count=Count("enrolments"))
        .order_by("sort_key", "pk")
    )
    for trainee in candidates:
        found[(trainee.full_name.lower(), trainee.date_of_birth)].append(trainee)
    for row in waiting:
        row.candidates = [
            trainee
            for trainee in found.get((row.source.name_key, row.source.date_of_birth), [])
            if not (row.source.national_id and trainee.national_id)
        ]
        if row.candidates:
            row.status = PROPOSED


def _apply_confirmations(plan: ImportPlan, confirmed: dict[int, int]) -> None:
    by_row = {row.row: row for row in plan.rows}
    for number, trainee_id in sorted(confirmed.items()):
        row = by_row.get(number)
        chosen = next((t for t in row.candidates if t.pk == trainee_id), None) if row else None
        if chosen is None:
            plan.problems.append(
                Problem(
                    "lựa chọn «cùng một người» không còn đúng với dữ liệu hiện tại; "
                    "hãy xem lại bản xem trước rồi xác nhận lại",
                    row=number,
                )
            )
            continue
        row.status, row.trainee = CONFIRMED, chosen


def _check_enrolled_and_repeated(plan: ImportPlan) -> None:
    """A trainee already in the class, or one person on two rows, is a problem."""
    enrolled = set(
        Enrolment.objects.filter(course=plan.course).order_by().values_list("trainee_id", flat=True)
    )
    first_row_of: dict[int, int] = {}
    for row in plan.rows:
        if row.trainee is not None:
            if row.trainee.pk in enrolled:
                plan.problems.append(
                    Problem(
                        f"học viên {row.trainee.full_name} (CCCD "
                        f"{mask_national_id(row.trainee.national_id) or 'chưa có'}) đã có trong "
                        f"lớp {plan.course.code}",
                        row=row.row,
                    )
                )
            first = first_row_of.setdefault(row.trainee.pk, row.row)
            if first != row.row:
                plan.problems.append(
                    Problem(
                        f"cùng một học viên ({row.trainee.full_name}) với dòng {first}", row=row.row
                    )
                )
        elif row.status == PROPOSED and any(t.pk in enrolled for t in row.candidates):
            inside = next(t for t in row.candidates if t.pk in enrolled)
            plan.problems.append(
                Problem(
                    f"trùng họ tên và ngày sinh với học viên {inside.full_name} đã có trong lớp "
                    f"{plan.course.code}; nếu là người khác, hãy ghi số CCCD của người này",
                    row=row.row,
                )
            )


def _resolve_units(plan: ImportPlan) -> None:
    """One query for the centre's units; merged units lead to the unit they became."""
    named = [row for row in plan.rows if row.source.unit_name]
    if not named:
        return
    units = {unit.pk: unit for unit in Unit.objects.filter(centre_id=plan.course.centre_id)}
    by_key: dict[str, Unit] = {}
    for unit in sorted(units.values(), key=lambda u: (not u.active, u.merged_into_id is not None)):
        by_key.setdefault(unit_key(unit.name), unit)
    merged: dict[int, MergedUnit] = {}
    for row in named:
        key = unit_key(row.source.unit_name)
        unit = by_key.get(key)
        if unit is None:
            new = plan.new_units.setdefault(key, NewUnit(name=row.source.unit_name))
            new.rows.append(row.row)
            row.new_unit, row.unit_label = key, new.name
            continue
        current = _current(unit, units)
        row.unit, row.unit_label = current, current.name
        if current is not unit:
            entry = merged.setdefault(unit.pk, MergedUnit(name=unit.name, unit=current))
            entry.rows.append(row.row)
    plan.merged_units = list(merged.values())
    for entry in plan.merged_units:
        plan.notes.append(
            Problem(
                f"Đơn vị «{entry.name}» đã sáp nhập vào «{entry.unit.name}»: học viên ở "
                f"{_rows(entry.rows)} được ghi danh theo đơn vị «{entry.unit.name}»."
            )
        )


def _current(unit: Unit, units: dict[int, Unit]) -> Unit:
    seen = set()
    while unit.merged_into_id and unit.merged_into_id in units and unit.pk not in seen:
        seen.add(unit.pk)
        unit = units[unit.merged_into_id]
    return unit


def _rows(numbers: list[int]) -> str:
    return ("dòng " if len(numbers) == 1 else "các dòng ") + ", ".join(map(str, numbers))


def _check_capacity(plan: ImportPlan) -> None:
    plan.active_before = Enrolment.objects.filter(
        course=plan.course, status=EnrolmentStatus.ACTIVE
    ).count()
    adding = len(plan.rows)
    if plan.active_before + adding <= plan.course.capacity:
        return
    refusal = capacity_refusal(plan.course, adding)
    if refusal:
        room = max(plan.course.capacity - plan.active_before, 0)
        beyond = [row.row for row in plan.rows[room:]]
        plan.problems.append(
            Problem(
                f"{refusal} File có {adding} học viên: {len(beyond)} học viên từ dòng "
                f"{beyond[0]} trở đi vượt sĩ số."
            )
        )

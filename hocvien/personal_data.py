"""A trainee's personal data (DESIGN §8b): who sees it, the full export, corrections, deletion.

Who sees what. Trainee records are opened only by those who manage them: the centre's staff and
admins (Right.MANAGE). They see everything, sensitive fields included (ethnicity, religion, Party
membership and its date), because they fix the records and print the documents that require them.
Lecturers and committee officials never open a trainee's page (403): a lecturer sees, on the pages
of the classes they teach, what teaching needs — name, date of birth (to tell namesakes apart on
the attendance and grade sheets) and sending unit — never the CCCD, phone, e-mail or a sensitive
field; officials read figures (dashboards, reports), not people. Lists show the CCCD masked
(`Trainee.masked_national_id`) and never show a sensitive field.

Export. `trainee_export_xlsx` is what a centre hands a person who asks for everything it holds on
them: the record, every class with its results and attendance figures, every score, every session's
attendance, the certificates, and the history of changes to the record. It goes through
`personal_data_download`, so the export log says who took it and when. Its file name and log entry
carry the record's id, not the name, so the log keeps no personal data once a record is deleted.

Correction. The edit form is the correction flow: every save keeps a history row with the user and
the "Lý do điều chỉnh" typed on the form.

Deletion (`trainee_delete`). Refused, with the reason, when the person
- has any certificate, valid, voided or replaced: a certificate must stay verifiable, and a voided
  number stays in the register;
- is enrolled in a closed class, with or without a certificate: a closed class's result list,
  result notices and the yearly report must stay reproducible, and the person is part of that
  record;
- is referenced by any other record the centre keeps (a later model), which is named.
Otherwise (typically a person imported by mistake into a class not yet closed) it removes, in one
transaction: the person's attendance, scores and enrolments, the record itself, and every history
row of them — including the history of duplicate records merged into this one earlier. The
deletion itself is written to the export log (who, when, the record's id and the counts, no
personal data), the one log of personal data operations the admins read.

The classes are kept by the app above this one, which this app may not name (DESIGN §3): their
sheets of the export and their part of the deletion (the certificate and closed-class refusals,
the attendance, scores and enrolments removed) come from the `PersonalDataPart` it registers.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone

from hocvien.models import Trainee, Unit
from trungtam.documents.downloads import log_export
from trungtam.documents.xlsx import SafeSheet, SafeWorkbook

# The fields only those who manage trainee records see (DESIGN §8b).
SENSITIVE_FIELDS = ("ethnicity", "religion", "is_party_member", "party_joined_on")

# In the order the record page and the export show them.
RECORD_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "national_id",
    "hometown",
    "unit",
    "position",
    "phone",
    "email",
    "education_level",
    "political_theory_level",
    "ethnicity",
    "religion",
    "is_party_member",
    "party_joined_on",
    "notes",
)
HISTORY_KINDS = {"+": "Tạo hồ sơ", "~": "Sửa hồ sơ", "-": "Xóa hồ sơ"}
DATE_FORMAT = "DD/MM/YYYY"
MERGED_INTO = re.compile(r"vào hồ sơ mã (\d+)")


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _datetime(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


def _display(model, name: str, value, units: dict[int, str]) -> str:
    """A stored value as a person reads it (the choice's label, a date, the unit's name)."""
    model_field = model._meta.get_field(name)
    if value is None or value == "":
        return "(trống)"
    if isinstance(model_field, models.ForeignKey):
        return units.get(value, f"mã {value}") if model_field.related_model is Unit else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "strftime"):
        return _date(value)
    return str(value)


# --- history of the record ---------------------------------------------------------------------


@dataclass
class RecordChange:
    """One history row of a trainee record, with what changed against the row before it."""

    at: object
    who: str
    kind: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (label, old, new)


def record_changes(trainee: Trainee, *, limit: int | None = None) -> list[RecordChange]:
    """The record's history, newest first (the `limit` newest), each row with its changes.

    Two queries whatever the length: the history rows (one more than asked, to diff the oldest
    shown) and the names of the units they mention.
    """
    rows = trainee.history.select_related("history_user").order_by("-history_date", "-history_id")
    rows = list(rows[: limit + 1] if limit is not None else rows)
    diffs = []
    unit_ids = set()
    for index, row in enumerate(rows[:limit] if limit is not None else rows):
        older = rows[index + 1] if index + 1 < len(rows) else None
        delta = []
        if older is not None and row.history_type == "~":
            delta = row.diff_against(older).changes
        for change in delta:
            if change.field == "unit":
                unit_ids.update(v for v in (change.old, change.new) if v is not None)
        diffs.append((row, delta))
    units = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    result = []
    for row, delta in diffs:
        user = row.history_user
        result.append(
            RecordChange(
                at=row.history_date,
                who=(user.full_name or user.username) if user is not None else "hệ thống",
                kind=HISTORY_KINDS.get(row.history_type, row.history_type),
                reason=row.history_change_reason or "",
                changes=[
                    (
                        _label(Trainee, change.field),
                        _display(Trainee, change.field, change.old, units),
                        _display(Trainee, change.field, change.new, units),
                    )
                    for change in delta
                    if change.field in RECORD_FIELDS
                ],
            )
        )
    return result


# --- export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraineeExport:
    content: bytes
    filename: str
    description: str


def export_filename(trainee: Trainee) -> str:
    return f"hoc-vien-{trainee.pk}_du-lieu-ca-nhan.xlsx"


def write_table(
    sheet: SafeSheet, title: str, headers: list[str], rows: list[list], widths, empty: str
) -> None:
    """One sheet of the export: a title, the headers, the rows (dates as dates), or `empty`."""
    sheet.title_row(1, title, len(headers))
    sheet.append(headers, bold=True, border=True)
    if not rows:
        sheet.append([empty])
    for values in rows:
        row = sheet.append(values, border=True)
        for column, value in enumerate(values, start=1):
            if hasattr(value, "strftime"):
                sheet.worksheet.cell(row=row, column=column).number_format = DATE_FORMAT
    sheet.widths(widths)
    sheet.worksheet.freeze_panes = "A3"


def _record_sheet(book: SafeWorkbook, trainee: Trainee) -> None:
    sheet = book.sheet("Hồ sơ cá nhân")
    sheet.title_row(1, "DỮ LIỆU CÁ NHÂN CỦA HỌC VIÊN", 2)
    sheet.write(2, 1, f"{trainee.centre.name} — xuất ngày {_datetime(timezone.now())}")
    sheet.append(["Thông tin", "Nội dung"], bold=True, border=True)
    units = {trainee.unit_id: trainee.unit.name} if trainee.unit_id else {}
    sheet.append(["Mã hồ sơ", trainee.pk], border=True)
    for name in RECORD_FIELDS:
        value = getattr(trainee, Trainee._meta.get_field(name).attname)
        shown = _display(Trainee, name, value, units)
        sheet.append([_label(Trainee, name), "" if shown == "(trống)" else shown], border=True)
    sheet.append(["Trung tâm", trainee.centre.name], border=True)
    sheet.append(["Ngày tạo hồ sơ", _datetime(trainee.created_at)], border=True)
    sheet.append(["Cập nhật lần cuối", _datetime(trainee.updated_at)], border=True)
    sheet.widths([30, 60])


def trainee_export_xlsx(trainee: Trainee) -> TraineeExport:
    """Everything the centre holds on one person, one sheet per kind (DESIGN §8b)."""
    book = SafeWorkbook()
    _record_sheet(book, trainee)
    for part in PARTS:
        part.sheets(book, trainee)
    write_table(
        book.sheet("Lịch sử thay đổi"),
        "LỊCH SỬ THAY ĐỔI HỒ SƠ",
        ["STT", "Thời điểm", "Người thực hiện", "Thao tác", "Lý do", "Nội dung thay đổi"],
        [
            [
                number,
                _datetime(change.at),
                change.who,
                change.kind,
                change.reason,
                "\n".join(f"{label}: {old} → {new}" for label, old, new in change.changes),
            ]
            for number, change in enumerate(reversed(record_changes(trainee)), start=1)
        ],
        [6, 18, 24, 14, 30, 60],
        "Chưa có thay đổi nào.",
    )
    return TraineeExport(
        content=book.to_bytes(),
        filename=export_filename(trainee),
        description=f"Toàn bộ dữ liệu cá nhân của học viên mã {trainee.pk} (theo yêu cầu)",
    )


# --- deletion ---------------------------------------------------------------------------------


@dataclass
class DeletionPlan:
    """What deleting a trainee would remove, or why it is refused."""

    trainee: Trainee
    refusals: list[str] = field(default_factory=list)
    # Counted by the classes' part (PersonalDataPart.check).
    enrolments: int = 0
    attendance: int = 0
    scores: int = 0
    history_rows: int = 0

    @property
    def allowed(self) -> bool:
        return not self.refusals


# --- the parts the apps above keep ------------------------------------------------------------


@dataclass(frozen=True)
class PersonalDataPart:
    """What an app above this one keeps on a person, told to the export and the deletion. This
    app may not name those apps (DESIGN §3): each registers its part in its AppConfig.ready()."""

    relation: str  # the Trainee relation the part covers (not checked again as "still used")
    sheets: Callable[[SafeWorkbook, Trainee], None]  # its sheets of the export
    check: Callable[[Trainee, DeletionPlan], None]  # its refusals and counts; writes nothing
    lock: Callable[[Trainee], None]  # lock what a concurrent change could make refusable
    history: Callable[[Trainee, set[int]], list[QuerySet]]  # its history rows of the person
    delete: Callable[[Trainee], None]  # remove its rows of the person


PARTS: list[PersonalDataPart] = []


def register_part(part: PersonalDataPart) -> None:
    if part not in PARTS:
        PARTS.append(part)


def merged_record_ids(trainee_id: int) -> set[int]:
    """Ids of the duplicate records merged into this one (and into those, and so on)."""
    history = Trainee.history.model
    found, todo = set(), [trainee_id]
    while todo:
        target = todo.pop()
        rows = history.objects.filter(
            history_type="-", history_change_reason__contains=f"vào hồ sơ mã {target}"
        ).values_list("id", "history_change_reason")
        for record_id, reason in rows:
            match = MERGED_INTO.search(reason or "")
            if match and int(match.group(1)) == target and record_id not in found:
                found.add(record_id)
                todo.append(record_id)
    return found - {trainee_id}


def _history_rows(trainee: Trainee) -> list[QuerySet]:
    """The history rows of the person: their record (and merged duplicates), and those the parts
    above keep (enrolments and everything hung on them)."""
    person_ids = {trainee.pk} | merged_record_ids(trainee.pk)
    querysets = [Trainee.history.model.objects.filter(id__in=person_ids)]
    for part in PARTS:
        querysets += part.history(trainee, person_ids)
    return querysets


def trainee_deletion_plan(trainee: Trainee) -> DeletionPlan:
    """Check whether the person may be deleted and count what would go; nothing is written."""
    plan = DeletionPlan(trainee=trainee)
    for part in PARTS:
        part.check(trainee, plan)
    covered = {part.relation for part in PARTS}
    for relation in Trainee._meta.related_objects:
        if relation.get_accessor_name() in covered:
            continue
        if not (relation.one_to_many or relation.one_to_one):
            continue
        model = relation.related_model
        if model._base_manager.filter(**{relation.field.name: trainee}).exists():
            plan.refusals.append(
                f"Hồ sơ còn được dùng trong «{model._meta.verbose_name_plural}»; hãy xử lý các "
                "dữ liệu đó trước khi xóa."
            )
    plan.history_rows = sum(queryset.count() for queryset in _history_rows(trainee))
    return plan


@dataclass(frozen=True)
class DeletionResult:
    trainee_id: int
    enrolments: int
    attendance: int
    scores: int
    history_rows: int


@transaction.atomic
def trainee_delete(*, trainee: Trainee, user=None, address=None) -> DeletionResult:
    """Delete a person and every history row of them, or refuse with the reasons (DESIGN §8b)."""
    locked = Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
    if locked is None:
        raise ValidationError("Hồ sơ này không còn tồn tại; hãy tải lại trang.")
    for part in PARTS:
        part.lock(locked)
    plan = trainee_deletion_plan(locked)
    if not plan.allowed:
        raise ValidationError(plan.refusals)
    history = _history_rows(locked)  # before the deletes, which add "deleted" rows of their own
    try:
        for part in PARTS:
            part.delete(locked)
        locked.delete()
    except ProtectedError as error:
        names = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise ValidationError(
            f"Hồ sơ còn được dùng trong «{', '.join(names)}»; hãy xử lý các dữ liệu đó trước."
        ) from None
    # The deletes above wrote "deleted" history rows: the same filters now catch those too.
    removed_history = 0
    for queryset in history:
        removed_history += queryset.delete()[0]
    result = DeletionResult(
        trainee_id=trainee.pk,
        enrolments=plan.enrolments,
        attendance=plan.attendance,
        scores=plan.scores,
        history_rows=removed_history,
    )
    log_export(
        user=user,
        description=(
            f"Xóa hồ sơ học viên mã {trainee.pk}: {result.enrolments} lượt ghi danh, "
            f"{result.attendance} lượt điểm danh, {result.scores} điểm, "
            f"{result.history_rows} dòng lịch sử"
        ),
        filename="",
        centre=locked.centre,
        rows=1,
        address=address,
    )
    return result

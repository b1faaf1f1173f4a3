"""The grade grid of one class (one POST for every cell), and the small forms around grading."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError

from lophoc.grading import RETURN_REASON_MAX, Cell, CellEdit, Conflict, row_average
from lophoc.models import Assessment, Enrolment, EnrolmentStatus, Score
from lophoc.scores import parse_score
from trungtam.documents.numbers import format_score
from trungtam.forms import VietnameseKeys

CELL_FIELD = re.compile(r"diem_([0-9]{1,18})_([0-9]{1,18})(_tl)?")  # fullmatch, ASCII digits
_MACHINE = re.compile(r"[0-9]{1,2}(\.[0-9]{1,2})?")  # how _machine() writes a score
KEEP_MINE = "cua-toi"
TAKE_THEIRS = "da-luu"
CHOOSE_MESSAGE = "Chọn giữ điểm của bạn hoặc lấy điểm đã lưu."


def cell_name(cell: Cell) -> str:
    return f"{cell.enrolment_id}_{cell.assessment_id}" + ("_tl" if cell.retake else "")


def _machine(value: Decimal | None) -> str:
    """How an original value travels in a hidden field (a dot, never ambiguous)."""
    return "" if value is None else format(value.normalize(), "f")


def _parse_original(raw: str) -> Decimal | None:
    """The hidden original of a cell: only what _machine() writes (a crafted NaN never gets in)."""
    if raw == "":
        return None
    if not _MACHINE.fullmatch(raw) or Decimal(raw) > 10:
        raise BadRequest("Giá trị gốc của ô điểm không hợp lệ.")
    return Decimal(raw)


def _parse_version(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        raise BadRequest("Phiên bản của ô điểm không hợp lệ.")
    return int(raw)


@dataclass
class GridColumn:
    assessment: Assessment
    retake: bool
    editable: bool

    @property
    def label(self) -> str:
        return f"{self.assessment.name} – thi lại" if self.retake else self.assessment.name


@dataclass
class GridCell:
    cell: Cell
    column: GridColumn
    editable: bool
    text: str
    original: Decimal | None
    version: int
    stored: Decimal | None
    error: str = ""
    conflict: Conflict | None = None
    choice: str = ""
    pending: bool = False  # a conflict shown earlier, waiting for the user's choice

    @property
    def name(self) -> str:
        return cell_name(self.cell)

    @property
    def original_text(self) -> str:
        return _machine(self.original)

    @property
    def display(self) -> str:
        return format_score(self.stored)

    @property
    def needs_choice(self) -> bool:
        return self.conflict is not None or self.pending


@dataclass
class GridRow:
    enrolment: Enrolment
    editable: bool
    average: Decimal | None
    cells: list[GridCell] = field(default_factory=list)


class GradeGrid:
    """Every enrolment × every assessment (+ retake columns) of a class.

    Field names per cell: diem_<enrolment>_<assessment>[_tl] (the value typed), goc_… (the value the
    page showed), chon_… (keep mine / take theirs after a conflict), xd_… (a conflict is waiting
    for that choice); per Score row pb_<enrolment>_<assessment> (its version).

    Unbound, it shows what is stored. Bound to a POST, it shows what was typed against the base the
    page was loaded with. `rebase(conflicts)` turns a bound grid into one based on what is stored
    now, keeping the user's changed cells and marking the conflicts.
    """

    def __init__(self, *, enrolments, assessments, scores: dict, writable: set, data=None):
        self.enrolments = list(enrolments)
        self.assessments = list(assessments)
        self.scores = scores
        self.writable = writable
        self.data = data
        self.conflicts: dict[Cell, Conflict] = {}
        self.rebased = False
        self.columns = []
        for assessment in self.assessments:
            editable = assessment.pk in writable
            self.columns.append(GridColumn(assessment, False, editable))
            if assessment.has_retake:
                self.columns.append(GridColumn(assessment, True, editable))
        self._enrolment_ids = {e.pk for e in self.enrolments}
        self._assessments = {a.pk: a for a in self.assessments}
        self._posted = self._posted_cells() if data is not None else {}
        self._edits: list[CellEdit] | None = None
        self._errors: dict[Cell, str] = {}
        self._changed: dict[Cell, Decimal | None] = {}
        self._rebased_base: dict[Cell, tuple[Decimal | None, int]] = {}

    # --- reading the POST ---

    def _posted_cells(self) -> dict[Cell, str]:
        cells = {}
        for key, value in self.data.items():
            match = CELL_FIELD.fullmatch(key)
            if not match:
                continue
            cell = Cell(int(match[1]), int(match[2]), bool(match[3]))
            assessment = self._assessments.get(cell.assessment_id)
            if assessment is None or cell.enrolment_id not in self._enrolment_ids:
                raise PermissionDenied("Ô điểm không thuộc lớp này.")
            if cell.retake and not assessment.has_retake:
                raise BadRequest("Bài kiểm tra này không có thi lại.")
            cells[cell] = value
        return cells

    def posted_assessment_ids(self) -> set[int]:
        return {cell.assessment_id for cell in self._posted}

    def _stored(self, cell: Cell) -> tuple[Decimal | None, int]:
        score: Score | None = self.scores.get(cell.row_key)
        if score is None:
            return None, 0
        return getattr(score, cell.field), score.version

    def _base(self, cell: Cell) -> tuple[Decimal | None, int]:
        """The value and version the user's page was based on."""
        stored, version = self._stored(cell)
        if self.rebased:
            return self._rebased_base.get(cell, (stored, version))
        if self.data is None:
            return stored, version
        name = cell_name(cell)
        original = self.data.get(f"goc_{name}")
        posted_version = self.data.get(f"pb_{cell.enrolment_id}_{cell.assessment_id}")
        return (
            _parse_original(original) if original is not None else stored,
            _parse_version(posted_version) if posted_version is not None else version,
        )

    def is_valid(self) -> bool:
        """Parse every posted cell; False when any is refused (nothing may then be saved)."""
        if self._edits is not None:
            return not self._errors
        self._edits, self._errors = [], {}
        for cell, raw in self._posted.items():
            name = cell_name(cell)
            original, version = self._base(cell)
            choice = self.data.get(f"chon_{name}", "")
            if self.data.get(f"xd_{name}") and choice not in (KEEP_MINE, TAKE_THEIRS):
                self._errors[cell] = CHOOSE_MESSAGE
                continue
            if choice == TAKE_THEIRS:
                continue
            try:
                value = parse_score(raw)
            except ValidationError as error:
                self._errors[cell] = " ".join(error.messages)
                continue
            if value != original:
                self._edits.append(CellEdit(cell, original, version, value))
        return not self._errors

    @property
    def error_count(self) -> int:
        return len(self._errors)

    def edits(self) -> list[CellEdit]:
        if not self.is_valid():
            raise ValueError("The grid has refused cells.")
        return self._edits

    def rebase(self, *, scores: dict, conflicts: list[Conflict]) -> None:
        """After a conflict: the user's changes stay typed; a conflicting cell's base becomes the
        value someone else saved, the other changed cells keep the base the page was loaded with
        (so a change made meanwhile is still caught), and untouched cells show what is stored.
        """
        self.is_valid()
        self._changed = {edit.cell: edit.value for edit in self._edits}
        self._rebased_base = {edit.cell: (edit.original, edit.version) for edit in self._edits}
        for conflict in conflicts:
            self._rebased_base[conflict.cell] = (conflict.theirs, conflict.version)
        self.scores = scores
        self.rebased = True
        self.conflicts = {conflict.cell: conflict for conflict in conflicts}

    # --- showing it ---

    def _text(self, cell: Cell, original: Decimal | None) -> tuple[str, str]:
        """(text in the input, conflict choice) for a cell."""
        stored, _ = self._stored(cell)
        if self.data is None or cell not in self._posted:
            return format_score(stored), ""
        if self.rebased:
            return format_score(self._changed.get(cell, stored)), ""
        choice = self.data.get(f"chon_{cell_name(cell)}", "")
        if choice == TAKE_THEIRS:
            return format_score(original), choice
        return self._posted[cell], choice

    def rows(self) -> list[GridRow]:
        rows = []
        for enrolment in self.enrolments:
            editable_row = enrolment.status != EnrolmentStatus.WITHDRAWN
            row = GridRow(
                enrolment=enrolment,
                editable=editable_row,
                average=row_average(self.assessments, self.scores, enrolment.pk),
            )
            for column in self.columns:
                cell = Cell(enrolment.pk, column.assessment.pk, column.retake)
                stored, _ = self._stored(cell)
                original, version = self._base(cell)
                text, choice = self._text(cell, original)
                name = cell_name(cell)
                pending = bool(
                    not self.rebased and self.data is not None and self.data.get(f"xd_{name}")
                )
                row.cells.append(
                    GridCell(
                        cell=cell,
                        column=column,
                        editable=column.editable and editable_row,
                        text=text,
                        original=original,
                        version=version,
                        stored=stored,
                        error=self._errors.get(cell, "") if not self.rebased else "",
                        conflict=self.conflicts.get(cell),
                        choice=choice,
                        pending=pending,
                    )
                )
            rows.append(row)
        return rows


# --- submission, sending back, the overview --------------------------------------------------


class SubmitForm(VietnameseKeys, forms.Form):
    keys = {"assessments": "bai"}

    assessments = forms.TypedMultipleChoiceField(
        label="Bài kiểm tra nộp điểm",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Hãy chọn ít nhất một bài kiểm tra để nộp điểm.",
            "invalid_choice": "Bài kiểm tra này không nộp được; hãy chọn trong danh sách.",
        },
    )

    def __init__(self, *args, assessments, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessments"].choices = [(a.pk, a.name) for a in assessments]
        self.fields["assessments"].initial = [a.pk for a in assessments]
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            "assessments",
            FormActions(
                Submit("nop", "Nộp điểm", css_class="btn-success"),
                HTML('<a class="btn btn-link" href="{{ course_url }}">Quay lại, chưa nộp</a>'),
            ),
        )


class ReturnForm(VietnameseKeys, forms.Form):
    keys = {"reason": "ly_do"}

    reason = forms.CharField(
        label="Lý do trả lại",
        max_length=RETURN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Giảng viên sẽ thấy lý do này ở trang lớp, ví dụ: «Thiếu điểm thi lại của 2 học viên».",
        error_messages={
            "required": "Hãy ghi lý do trả lại để giảng viên biết cần sửa gì.",
            "max_length": f"Lý do tối đa {RETURN_REASON_MAX} ký tự; hãy viết ngắn lại.",
        },
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.layout = Layout(
            "reason",
            FormActions(
                Submit("tra_lai", "Trả lại bài", css_class="btn-warning"),
                HTML('<a class="btn btn-link" href="{{ course_url }}">Quay lại, không trả lại</a>'),
            ),
        )

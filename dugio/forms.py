"""Forms of class observation: the record (marks per criterion, remarks) and the centre's form."""

from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms

from dugio.criteria import CriterionInput
from dugio.observations import MarkInput, plain_mark
from trungtam.forms import VietnameseKeys

TEXT_LIMIT = 4000
MARK_KEY = "diem_"


def parse_mark(value, *, order: int, text: str, maximum: Decimal) -> Decimal:
    """A mark typed as people do ("8", "8,5", "8.5"), between 0 and the criterion's maximum, with
    one decimal at most; the error names the criterion."""
    where = f"Tiêu chí {order} «{text}»"
    raw = str(value or "").strip().replace(",", ".")
    if not raw:
        raise forms.ValidationError(f"{where}: hãy nhập điểm (từ 0 đến {plain_mark(maximum)}).")
    try:
        mark = Decimal(raw)
    except InvalidOperation:
        raise forms.ValidationError(
            f"{where}: «{value}» không phải một số; hãy nhập điểm từ 0 đến {plain_mark(maximum)}, "
            "ví dụ 8 hoặc 8,5."
        ) from None
    if not mark.is_finite() or not (0 <= mark <= maximum):
        raise forms.ValidationError(f"{where}: điểm phải từ 0 đến {plain_mark(maximum)}.")
    if mark != mark.quantize(Decimal("0.1")):
        raise forms.ValidationError(f"{where}: điểm lẻ tối đa một chữ số thập phân, ví dụ 8,5.")
    return mark.quantize(Decimal("0.1"))


class ObservationForm(VietnameseKeys, forms.Form):
    """One record: a mark per line of the form, the remarks. `lines` are MarkInput (a new record,
    keyed by order) or the record's stored marks (an edit, keyed by mark id)."""

    keys = {
        "co_observers": "cung_du_gio",
        "strengths": "uu_diem",
        "improvements": "can_khac_phuc",
        "lecturer_opinion": "y_kien_giang_vien",
    }

    co_observers = forms.CharField(
        label="Những người cùng dự giờ",
        required=False,
        max_length=300,
        help_text="Ghi họ tên, chức vụ; cách nhau bởi dấu chấm phẩy. Người lập biên bản được ghi tự động.",
        error_messages={"max_length": "Danh sách người cùng dự giờ tối đa 300 ký tự."},
    )
    strengths = forms.CharField(
        label="Ưu điểm",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Hãy ghi ưu điểm của giờ giảng.",
            "max_length": f"Ưu điểm tối đa {TEXT_LIMIT} ký tự.",
        },
    )
    improvements = forms.CharField(
        label="Những điểm cần khắc phục",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Hãy ghi những điểm giảng viên cần khắc phục (hoặc «Không có»).",
            "max_length": f"Phần cần khắc phục tối đa {TEXT_LIMIT} ký tự.",
        },
    )
    lecturer_opinion = forms.CharField(
        label="Ý kiến của giảng viên",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Không bắt buộc: ý kiến của giảng viên được dự giờ sau khi trao đổi.",
        error_messages={"max_length": f"Ý kiến của giảng viên tối đa {TEXT_LIMIT} ký tự."},
    )

    def __init__(self, *args, lines: list, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.editing = editing
        self.mark_fields = []
        for line in lines:
            name = self._mark_name(line)
            self.fields[name] = forms.CharField(
                label=f"{line.order}. {line.text} (tối đa {plain_mark(line.max_mark)})",
                required=False,
                initial=plain_mark(line.mark) if editing else "",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "tt-mark", "autocomplete": "off"}
                ),
            )
            self.mark_fields.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.mark_fields, *self.keys)

    def _mark_name(self, line) -> str:
        return f"mark_{line.pk if self.editing else line.order}"

    def add_prefix(self, field_name):
        if field_name.startswith("mark_"):
            return MARK_KEY + field_name.removeprefix("mark_")
        return super().add_prefix(field_name)

    def clean(self):
        cleaned = super().clean()
        for line in self.lines:
            name = self._mark_name(line)
            try:
                cleaned[name] = parse_mark(
                    self.data.get(self.add_prefix(name)),
                    order=line.order,
                    text=line.text,
                    maximum=line.max_mark,
                )
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def new_marks(self) -> list[MarkInput]:
        return [
            MarkInput(
                order=line.order,
                text=line.text,
                max_mark=line.max_mark,
                mark=self.cleaned_data[self._mark_name(line)],
                criterion=line.criterion,
            )
            for line in self.lines
        ]

    def changed_marks(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[self._mark_name(line)] for line in self.lines}

    def total(self) -> Decimal | None:
        if not self.is_bound or self.errors:
            return None
        return sum((self.cleaned_data[n] for n in self.mark_fields), Decimal("0"))


class CriteriaForm(forms.Form):
    """The centre's form: each line's wording, maximum, order and whether it is in use; three
    blank lines to add criteria. Posted as tieu_chi_<n>, diem_toi_da_<n>, thu_tu_<n>, dung_<n>."""

    BLANK_LINES = 3

    def __init__(self, *args, criteria: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria) + [None] * self.BLANK_LINES
        self.rows = []
        for index, criterion in enumerate(self.criteria, start=1):
            is_new = criterion is None
            self.fields[f"tieu_chi_{index}"] = forms.CharField(
                label=f"Tiêu chí {index}",
                required=False,
                max_length=300,
                initial="" if is_new else criterion.text,
                error_messages={"max_length": f"Tiêu chí {index}: tối đa 300 ký tự."},
            )
            self.fields[f"diem_toi_da_{index}"] = forms.CharField(
                label=f"Điểm tối đa của tiêu chí {index}",
                required=False,
                initial="" if is_new else plain_mark(criterion.max_mark),
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            self.fields[f"thu_tu_{index}"] = forms.IntegerField(
                label=f"Thứ tự của tiêu chí {index}",
                required=False,
                min_value=1,
                max_value=99,
                initial=index if is_new else criterion.order,
                error_messages={
                    "invalid": f"Tiêu chí {index}: thứ tự là một số từ 1 đến 99.",
                    "min_value": f"Tiêu chí {index}: thứ tự là một số từ 1 đến 99.",
                    "max_value": f"Tiêu chí {index}: thứ tự là một số từ 1 đến 99.",
                },
            )
            self.fields[f"dung_{index}"] = forms.BooleanField(
                label=f"Dùng tiêu chí {index}",
                required=False,
                initial=True if is_new else criterion.active,
            )
            self.rows.append(
                {
                    "index": index,
                    "new": is_new,
                    "text": self[f"tieu_chi_{index}"],
                    "max_mark": self[f"diem_toi_da_{index}"],
                    "order": self[f"thu_tu_{index}"],
                    "active": self[f"dung_{index}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        self.lines: list[CriterionInput] = []
        for index, criterion in enumerate(self.criteria, start=1):
            text = (cleaned.get(f"tieu_chi_{index}") or "").strip()
            raw = str(self.data.get(f"diem_toi_da_{index}", "")).strip()
            if criterion is None and not text and not raw:
                continue  # a blank line left blank
            if not text:
                self.add_error(f"tieu_chi_{index}", f"Tiêu chí {index}: hãy ghi nội dung tiêu chí.")
                continue
            try:
                maximum = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                maximum = None
            if (
                maximum is None
                or not maximum.is_finite()
                or not (Decimal("0.5") <= maximum <= 100)
                or maximum != maximum.quantize(Decimal("0.1"))
            ):
                self.add_error(
                    f"diem_toi_da_{index}",
                    f"Tiêu chí {index} «{text}»: điểm tối đa là một số từ 0,5 đến 100, "
                    "lẻ tối đa một chữ số thập phân.",
                )
                continue
            self.lines.append(
                CriterionInput(
                    criterion=criterion,
                    text=text,
                    max_mark=maximum,
                    order=cleaned.get(f"thu_tu_{index}") or index,
                    active=bool(cleaned.get(f"dung_{index}")),
                )
            )
        if not self.errors and not any(line.active for line in self.lines):
            raise forms.ValidationError("Mẫu phiếu cần ít nhất một tiêu chí đang dùng.")
        return cleaned

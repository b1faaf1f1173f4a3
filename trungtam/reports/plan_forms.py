"""Forms of the annual plan: create, the targets table, approve, amend, the list's filter."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from lophoc.models import Program
from trungtam.documents.numbers import format_number
from trungtam.forms import VietnameseKeys, date_input, date_invalid_message
from trungtam.listing import parse_year
from trungtam.reports.models import AnnualPlan, PlanTarget
from trungtam.reports.plan import (
    MAX_CLASSES,
    MAX_TRAINEES,
    MAX_YEAR,
    MIN_YEAR,
    NOTES_LENGTH,
    NUMBER_LENGTH,
    REASON_LENGTH,
    TargetInput,
)
from trungtam.reports.plan_text import PARTS, TEXT_LENGTH
from trungtam.scoping import centres_for

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: str, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=date_input(),
        error_messages={
            "required": f"Hãy nhập {label.lower()}.",
            "invalid": date_invalid_message("15/01/2026", what=label.lower()),
        },
    )


def _number_field() -> forms.CharField:
    return forms.CharField(
        label="Số văn bản",
        required=False,
        max_length=NUMBER_LENGTH,
        help_text="Chỉ ghi số thứ tự, ví dụ 15; khi in sẽ thành «Số 15-KH/…» theo thể thức.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"max_length": f"Số văn bản tối đa {NUMBER_LENGTH} chữ số."},
    )


def _clean_number(value: str) -> str:
    value = (value or "").strip()
    if value and not value.isdigit():
        raise forms.ValidationError(
            "Số văn bản chỉ ghi số thứ tự, ví dụ 15; phần «-KH/…» được thêm khi in."
        )
    return value


# --- create -----------------------------------------------------------------------------------


class PlanCreateForm(VietnameseKeys, forms.Form):
    keys = {"centre": "trung_tam", "year": "nam", "copy": "sao_chep"}

    centre = forms.ModelChoiceField(
        label="Trung tâm",
        queryset=None,
        empty_label="— Chọn trung tâm —",
        error_messages={
            "required": "Hãy chọn trung tâm lập kế hoạch.",
            "invalid_choice": "Hãy chọn một trung tâm trong danh sách.",
        },
    )
    year = forms.IntegerField(
        label="Năm kế hoạch",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"min": MIN_YEAR, "max": MAX_YEAR}),
        error_messages={
            "required": "Hãy nhập năm kế hoạch, ví dụ 2026.",
            "invalid": "Hãy nhập năm bằng số, ví dụ 2026.",
            "min_value": f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.",
            "max_value": f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.",
        },
    )
    copy = forms.BooleanField(
        label="Sao chép chỉ tiêu từ kế hoạch năm trước",
        required=False,
        help_text="Mọi chỉ tiêu (chương trình, số lớp, số học viên, ghi chú) của kế hoạch năm "
        "trước được chép sang làm điểm xuất phát; kế hoạch mới là dự thảo, sửa được.",
    )

    def __init__(self, *args, user, default_year: int, copy: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = default_year
        self.fields["copy"].initial = copy
        fields = ["year", "copy"]
        if user.centre_id is None:
            self.fields["centre"].queryset = centres_for(user).filter(active=True)
            fields.insert(0, "centre")
        else:
            del self.fields["centre"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)


# --- the targets table ------------------------------------------------------------------------


class CountField(forms.CharField):
    """A whole number typed as people do: blank is 0, "1.200" is 1200; the message names the row
    and the column."""

    def __init__(self, *, label: str, top: int, **kwargs):
        self.top = top
        super().__init__(
            label=label,
            required=False,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "off",
                    "class": "form-control form-control-sm text-end",
                    "placeholder": "0",
                }
            ),
            **kwargs,
        )

    def clean(self, value):
        text = super().clean(value)
        text = (text or "").replace(".", "").replace(" ", "")
        if not text:
            return 0
        if not text.isdigit() or int(text) > self.top:
            raise forms.ValidationError(
                f'{self.label}: "{value}" phải là số nguyên từ 0 đến {format_number(self.top)}.'
            )
        return int(text)


@dataclass
class TargetFormRow:
    index: int
    program: Program
    classes: forms.BoundField
    trainees: forms.BoundField
    notes: forms.BoundField

    @property
    def errors(self) -> list[str]:
        return [*self.classes.errors, *self.trainees.errors, *self.notes.errors]


class PlanTargetsForm(VietnameseKeys, forms.Form):
    """The plan's heading and one row per program: so_lop_<id>, so_hoc_vien_<id>, ghi_chu_<id>."""

    keys = {"number": "so_van_ban", "issued_on": "ngay_ban_hanh", "notes": "ghi_chu"}

    number = _number_field()
    issued_on = _date_field("Ngày ban hành", required=False)
    notes = forms.CharField(
        label="Ghi chú nội bộ",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Không in trong văn bản. Nội dung văn bản (mục đích, đối tượng, thời gian, "
        "kinh phí, tổ chức thực hiện) sửa ở trang «Nội dung văn bản».",
        error_messages={"max_length": "Ghi chú dài tối đa 5.000 ký tự; hãy viết ngắn lại."},
    )

    def __init__(self, *args, plan: AnnualPlan, programs: list[Program], targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.programs = programs
        self.fields["number"].initial = plan.number
        self.fields["issued_on"].initial = plan.issued_on
        self.fields["notes"].initial = plan.notes
        for index, program in enumerate(programs, start=1):
            target: PlanTarget | None = targets.get(program.pk)
            row = f"Dòng {index} «{program.name}»"
            self.fields[f"so_lop_{program.pk}"] = CountField(
                label=f'{row}, cột "Số lớp"', top=MAX_CLASSES
            )
            self.fields[f"so_hoc_vien_{program.pk}"] = CountField(
                label=f'{row}, cột "Số học viên"', top=MAX_TRAINEES
            )
            self.fields[f"ghi_chu_{program.pk}"] = forms.CharField(
                label=f'{row}, cột "Ghi chú"',
                required=False,
                max_length=NOTES_LENGTH,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                error_messages={
                    "max_length": f'{row}, cột "Ghi chú": tối đa {NOTES_LENGTH} ký tự; hãy viết '
                    "ngắn lại."
                },
            )
            if target is not None:
                self.fields[f"so_lop_{program.pk}"].initial = target.planned_classes
                self.fields[f"so_hoc_vien_{program.pk}"].initial = target.planned_trainees
                self.fields[f"ghi_chu_{program.pk}"].initial = target.notes

    def clean_number(self):
        return _clean_number(self.cleaned_data["number"])

    def rows(self) -> list[TargetFormRow]:
        for name, field in self.fields.items():
            if name.startswith(("so_lop_", "so_hoc_vien_", "ghi_chu_")):
                field.widget.attrs["aria-label"] = field.label
                if self.is_bound and self.errors.get(name):
                    field.widget.attrs["class"] += " is-invalid"
        return [
            TargetFormRow(
                index=index,
                program=program,
                classes=self[f"so_lop_{program.pk}"],
                trainees=self[f"so_hoc_vien_{program.pk}"],
                notes=self[f"ghi_chu_{program.pk}"],
            )
            for index, program in enumerate(self.programs, start=1)
        ]

    def row_errors(self) -> list[str]:
        return [error for row in self.rows() for error in row.errors]

    def targets(self) -> list[TargetInput]:
        data = self.cleaned_data
        return [
            TargetInput(
                program_id=program.pk,
                planned_classes=data[f"so_lop_{program.pk}"],
                planned_trainees=data[f"so_hoc_vien_{program.pk}"],
                notes=data[f"ghi_chu_{program.pk}"],
            )
            for program in self.programs
        ]


# --- the text of the plan -----------------------------------------------------------------------


class PlanTextsForm(forms.Form):
    """The parts of the plan's text other than the targets table, pre-filled with what prints."""

    def __init__(self, *args, texts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for part in PARTS:
            if not part.field:
                continue
            self.fields[part.field] = forms.CharField(
                label=part.heading.split(". ", 1)[1].capitalize(),
                required=False,
                max_length=TEXT_LENGTH,
                initial=texts[part.field],
                widget=forms.Textarea(attrs={"rows": 6 if part.field != "funding_text" else 3}),
                help_text=f"Mục {part.heading.split('.', 1)[0]} của văn bản. Mỗi đoạn một dòng; "
                "xóa trắng để in lại nội dung gợi ý từ dữ liệu.",
                error_messages={
                    "max_length": f"Tối đa {format_number(TEXT_LENGTH)} ký tự; hãy viết ngắn lại."
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- approve, amend ---------------------------------------------------------------------------


class PlanApproveForm(VietnameseKeys, forms.Form):
    keys = {"number": "so_van_ban", "issued_on": "ngay_ban_hanh"}

    number = _number_field()
    issued_on = _date_field("Ngày ban hành", required=True)

    def __init__(self, *args, plan: AnnualPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].initial = plan.number
        self.fields["issued_on"].initial = plan.issued_on or timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_number(self):
        return _clean_number(self.cleaned_data["number"])


class PlanAmendForm(VietnameseKeys, forms.Form):
    keys = {"reason": "ly_do"}

    reason = forms.CharField(
        label="Lý do điều chỉnh",
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: Đảng ủy giao thêm chỉ tiêu lớp bồi dưỡng cấp ủy viên cơ sở.",
        error_messages={
            "required": "Hãy ghi lý do điều chỉnh kế hoạch.",
            "max_length": f"Lý do điều chỉnh dài tối đa {REASON_LENGTH} ký tự.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Hãy ghi lý do điều chỉnh kế hoạch.")
        return reason


# --- the list's filter ------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    nam = forms.ChoiceField(label="Năm", required=False)
    trung_tam = forms.ModelChoiceField(
        label="Trung tâm", queryset=None, required=False, empty_label="Tất cả trung tâm"
    )

    def __init__(self, *args, user, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", "Tất cả các năm")] + [
            (str(year), str(year)) for year in sorted(set(years), reverse=True)
        ]
        fields = ["nam"]
        if user.sees_all_centres:
            self.fields["trung_tam"].queryset = centres_for(user)
            fields.append("trung_tam")
        else:
            del self.fields["trung_tam"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "mb-3 d-print-none"
        self.helper.layout = Layout(
            Row(
                *[Column(name, css_class="col-12 col-sm-6 col-md-4") for name in fields],
                Column(
                    Submit("loc", "Lọc", css_class="btn-primary"),
                    HTML('<a class="btn btn-link" href="?">Xóa bộ lọc</a>'),
                    css_class="col-12 col-md-auto d-flex align-items-end gap-1 mb-3",
                ),
            ),
        )

    def year(self) -> int | None:
        return parse_year(self.data.get("nam")) if self.is_bound else None

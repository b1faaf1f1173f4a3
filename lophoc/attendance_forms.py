"""The attendance grid of one session: one row per enrolment, saved in one POST."""

from dataclasses import dataclass

from django import forms

from lophoc.attendance import AttendanceEntry, absence_over_limit
from lophoc.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus


@dataclass
class GridRow:
    enrolment: Enrolment
    record: Attendance | None
    editable: bool
    over_limit: bool
    status: forms.BoundField | None = None
    made_up: forms.BoundField | None = None
    note: forms.BoundField | None = None


class AttendanceGridForm(forms.Form):
    """Fields trang_thai_<id>, hoc_bu_<id>, ghi_chu_<id> for each enrolment that may change."""

    def __init__(self, *args, enrolments, records: dict, limit_percent, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        self.records = records
        self.limit_percent = limit_percent
        for enrolment in self.editable_enrolments:
            record = records.get(enrolment.pk)
            name = enrolment.trainee.full_name
            self.fields[f"trang_thai_{enrolment.pk}"] = forms.ChoiceField(
                label=f"Điểm danh {name}",
                choices=AttendanceStatus.choices,
                initial=record.status if record else AttendanceStatus.PRESENT,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={
                    "required": "Chọn có mặt, vắng có phép hoặc vắng không phép.",
                    "invalid_choice": "Chọn có mặt, vắng có phép hoặc vắng không phép.",
                },
            )
            self.fields[f"hoc_bu_{enrolment.pk}"] = forms.BooleanField(
                label=f"Học bù {name}",
                required=False,
                initial=record.made_up if record else False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"ghi_chu_{enrolment.pk}"] = forms.CharField(
                label=f"Ghi chú {name}",
                required=False,
                max_length=200,
                initial=record.note if record else "",
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": "Ghi chú"}
                ),
                error_messages={"max_length": "Ghi chú tối đa 200 ký tự; hãy viết ngắn lại."},
            )

    @property
    def editable_enrolments(self) -> list[Enrolment]:
        return [e for e in self.enrolments if e.status != EnrolmentStatus.WITHDRAWN]

    def rows(self) -> list[GridRow]:
        rows = []
        for enrolment in self.enrolments:
            row = GridRow(
                enrolment=enrolment,
                record=self.records.get(enrolment.pk),
                editable=enrolment.status != EnrolmentStatus.WITHDRAWN,
                over_limit=absence_over_limit(enrolment, self.limit_percent),
            )
            if row.editable:
                row.status = self[f"trang_thai_{enrolment.pk}"]
                row.made_up = self[f"hoc_bu_{enrolment.pk}"]
                row.note = self[f"ghi_chu_{enrolment.pk}"]
            rows.append(row)
        return rows

    def entries(self) -> list[AttendanceEntry]:
        data = self.cleaned_data
        return [
            AttendanceEntry(
                enrolment_id=e.pk,
                status=data[f"trang_thai_{e.pk}"],
                made_up=data[f"hoc_bu_{e.pk}"],
                note=data[f"ghi_chu_{e.pk}"],
            )
            for e in self.editable_enrolments
        ]

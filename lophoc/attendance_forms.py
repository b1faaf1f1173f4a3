"""The attendance grid of one session: one row per enrolment, saved in one POST."""

from dataclasses import dataclass

from django import forms

from lophoc.attendance import AttendanceEntry, absence_over_limit
from lophoc.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus

# The grid's fourth choice: a made-up session (học bù) is stored as attendance marked made up
# (DESIGN §8), so one choice per cell can never say "absent" and "made up" at once.
MADE_UP = "made_up"
GRID_CHOICES = [*AttendanceStatus.choices, (MADE_UP, "Học bù")]
CHOICE_MESSAGE = "Chọn có mặt, vắng có phép, vắng không phép hoặc học bù."


def grid_choice(record: Attendance | None) -> str:
    """The grid's choice for a stored record (a new row starts "có mặt")."""
    if record is None:
        return AttendanceStatus.PRESENT
    return MADE_UP if record.made_up else record.status


def record_label(record: Attendance) -> str:
    """What a read-only grid shows for a stored record."""
    return "Học bù" if record.made_up else record.get_status_display()


@dataclass
class GridRow:
    enrolment: Enrolment
    record: Attendance | None
    editable: bool
    over_limit: bool
    status: forms.BoundField | None = None
    note: forms.BoundField | None = None

    @property
    def record_label(self) -> str:
        return record_label(self.record) if self.record else ""


class AttendanceGridForm(forms.Form):
    """Fields trang_thai_<id> and ghi_chu_<id> for each enrolment that may change."""

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
                choices=GRID_CHOICES,
                initial=grid_choice(record),
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={"required": CHOICE_MESSAGE, "invalid_choice": CHOICE_MESSAGE},
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
                row.note = self[f"ghi_chu_{enrolment.pk}"]
            rows.append(row)
        return rows

    def entries(self) -> list[AttendanceEntry]:
        data = self.cleaned_data
        entries = []
        for enrolment in self.editable_enrolments:
            choice = data[f"trang_thai_{enrolment.pk}"]
            made_up = choice == MADE_UP
            entries.append(
                AttendanceEntry(
                    enrolment_id=enrolment.pk,
                    status=AttendanceStatus.PRESENT if made_up else choice,
                    made_up=made_up,
                    note=data[f"ghi_chu_{enrolment.pk}"],
                )
            )
        return entries

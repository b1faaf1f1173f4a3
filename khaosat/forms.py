"""Forms of the needs survey: prepare (open) and change a survey, a unit's answer."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from hocvien.models import Unit
from khaosat.surveys import (
    LINE_NOTE_LENGTH,
    MAX_EXPECTED,
    NOTE_LENGTH,
    YEARS_AHEAD,
    LineInput,
)
from trungtam.documents.numbers import format_number
from trungtam.forms import DATE_INPUT_FORMATS, VietnameseKeys, date_input, date_invalid_message
from trungtam.scoping import centres_for


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class SurveyForm(VietnameseKeys, forms.Form):
    """Open a survey (with the year; for one who sees several centres, the centre too) or change
    one (deadline, note, units)."""

    keys = {
        "centre": "trung_tam",
        "year": "nam",
        "deadline": "han_tra_loi",
        "note": "ghi_chu",
        "units": "don_vi",
    }

    centre = forms.ModelChoiceField(
        label="Trung tâm",
        queryset=None,
        empty_label="— Chọn trung tâm —",
        error_messages={
            "required": "Hãy chọn trung tâm khảo sát.",
            "invalid_choice": "Hãy chọn một trung tâm trong danh sách.",
        },
    )
    year = forms.IntegerField(
        label="Năm cần bồi dưỡng",
        help_text="Năm mà các đơn vị dự kiến cử người đi học, thường là năm sau.",
        error_messages={
            "required": "Hãy nhập năm, ví dụ 2027.",
            "invalid": "Hãy nhập năm bằng số, ví dụ 2027.",
        },
    )
    deadline = forms.DateField(
        label="Hạn trả lời",
        input_formats=DATE_INPUT_FORMATS,
        widget=date_input(),
        error_messages={
            "required": "Hãy nhập hạn trả lời, ví dụ 15/11/2026.",
            "invalid": date_invalid_message("15/11/2026", what="hạn trả lời"),
        },
    )
    note = forms.CharField(
        label="Ghi chú gửi đơn vị",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: căn cứ văn bản nào, ai liên hệ khi cần.",
        error_messages={"max_length": f"Ghi chú tối đa {format_number(NOTE_LENGTH)} ký tự."},
    )
    units = UnitChoices(
        label="Đơn vị được khảo sát",
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Hãy chọn ít nhất một đơn vị được khảo sát.",
            "invalid_choice": "Đơn vị đã chọn không còn trong danh sách; hãy tải lại trang.",
            "invalid_pk_value": "Đơn vị đã chọn không hợp lệ; hãy tải lại trang.",
        },
    )

    def __init__(self, *args, user, units, initial_units, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["deadline", "note", "units"]
        if creating:
            this_year = timezone.localdate().year
            self.fields["year"].initial = this_year + 1
            self.fields["year"].widget.attrs.update(
                {"min": this_year, "max": this_year + YEARS_AHEAD}
            )
            fields.insert(0, "year")
        else:
            del self.fields["year"]
        if creating and user.centre_id is None:
            self.fields["centre"].queryset = centres_for(user).filter(active=True)
            fields.insert(0, "centre")
        else:
            del self.fields["centre"]
        self.fields["units"].queryset = units
        self.fields["units"].initial = [unit.pk for unit in initial_units]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)


# --- a unit's answer ----------------------------------------------------------------------------

EXPECTED_PREFIX = "so_hoc_vien_"
NOTE_PREFIX = "ghi_chu_"
ROW_KEY = re.compile(rf"^(?:{EXPECTED_PREFIX}|{NOTE_PREFIX})(\d+)$")


class CountField(forms.CharField):
    """A whole number typed as people do: blank is 0, "1.200" is 1200."""

    def __init__(self, *, program_name: str, **kwargs):
        self.program_name = program_name
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value):
        text = (super().to_python(value) or "").replace(".", "").replace(" ", "")
        if not text:
            return 0
        if not (text.isascii() and text.isdigit() and len(text) <= 6) or int(text) > MAX_EXPECTED:
            raise forms.ValidationError(
                f"Dòng «{self.program_name}»: hãy ghi số người dự kiến cử đi học bằng số nguyên "
                f"từ 0 đến {format_number(MAX_EXPECTED)}, ví dụ 25."
            )
        return int(text)


class AnswerForm(VietnameseKeys, forms.Form):
    """One row per program: the number of people expected and a note; a general note."""

    keys = {"note": "ghi_chu_chung"}

    note = forms.CharField(
        label="Ý kiến chung của đơn vị",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: nhu cầu chương trình chưa có trong danh mục, thời gian thuận tiện.",
        error_messages={"max_length": f"Ý kiến chung tối đa {format_number(NOTE_LENGTH)} ký tự."},
    )

    def __init__(self, *args, programs, answer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programs = programs
        lines = {line.program_id: line for line in answer.lines.all()} if answer else {}
        if answer is not None:
            self.fields["note"].initial = answer.note
        for program in programs:
            line = lines.get(program.pk)
            self.fields[f"{EXPECTED_PREFIX}{program.pk}"] = CountField(
                program_name=program.name,
                label="Số học viên dự kiến",
                initial=line.expected if line else "",
            )
            self.fields[f"{NOTE_PREFIX}{program.pk}"] = forms.CharField(
                label="Ghi chú",
                required=False,
                max_length=LINE_NOTE_LENGTH,
                initial=line.note if line else "",
                error_messages={
                    "max_length": f"Dòng «{program.name}»: ghi chú tối đa {LINE_NOTE_LENGTH} ký tự."
                },
            )

    def clean(self):
        cleaned = super().clean()
        # A row for a program the form does not offer (another centre's, or made up) is refused,
        # never silently dropped: nothing is written.
        known = {program.pk for program in self.programs}
        foreign = sorted(
            {
                int(match.group(1))
                for key in self.data
                if (match := ROW_KEY.match(key)) and int(match.group(1)) not in known
            }
        )
        if foreign:
            raise forms.ValidationError(
                "Phiếu có số liệu cho chương trình không thuộc danh mục khảo sát (mã số "
                + ", ".join(str(pk) for pk in foreign)
                + "): chưa lưu gì. Hãy tải lại trang rồi nhập lại."
            )
        return cleaned

    def rows(self):
        return [
            {
                "program": program,
                "expected": self[f"{EXPECTED_PREFIX}{program.pk}"],
                "note": self[f"{NOTE_PREFIX}{program.pk}"],
            }
            for program in self.programs
        ]

    def lines(self) -> list[LineInput]:
        return [
            LineInput(
                program_id=program.pk,
                expected=self.cleaned_data[f"{EXPECTED_PREFIX}{program.pk}"],
                note=self.cleaned_data[f"{NOTE_PREFIX}{program.pk}"],
            )
            for program in self.programs
        ]

"""The yearly report's form: number, date, place, recipients, signer and the three narrative parts."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from trungtam.models import YearlyReport

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
NULL_CHARACTER = "Nội dung có ký tự không hợp lệ (ký tự rỗng); hãy xóa đi rồi gõ lại."
REGENERATE = "tao_lai"


class YearlyReportForm(forms.ModelForm):
    report_date = forms.DateField(
        label="Ngày báo cáo",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={"invalid": "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/12/2026."},
        help_text="Để trống khi chưa ký; bản in dự thảo ghi ngày in.",
    )

    class Meta:
        model = YearlyReport
        fields = [
            "number",
            "report_date",
            "place",
            "signer_title",
            "signer_name",
            "recipients",
            "results_text",
            "limitations_text",
            "direction_text",
        ]
        widgets = {
            "signer_title": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "results_text": forms.Textarea(attrs={"rows": 10}),
            "limitations_text": forms.Textarea(attrs={"rows": 8}),
            "direction_text": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "number": "Chỉ ghi số thứ tự, ví dụ 12; ký hiệu «-BC/…» được thêm theo thể thức.",
            "signer_title": "Ví dụ: GIÁM ĐỐC, hoặc hai dòng KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC.",
            "recipients": "Mỗi nơi nhận một dòng.",
            "results_text": "Mỗi đoạn một dòng. Gợi ý được tạo từ số liệu; hãy sửa cho phù hợp.",
            "limitations_text": "Thay phần trong ngoặc vuông bằng nguyên nhân cụ thể.",
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["direction_text"].label = f"Phương hướng, nhiệm vụ năm {year + 1}"
        for field in self.fields.values():
            for validator in field.validators:
                if isinstance(validator, ProhibitNullCharactersValidator):
                    validator.message = NULL_CHARACTER
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Số, ngày và người ký",
                Row(
                    Column("number", css_class="col-sm-4"),
                    Column("report_date", css_class="col-sm-4"),
                    Column("place", css_class="col-sm-4"),
                ),
                Row(
                    Column(Field("signer_title"), css_class="col-sm-6"),
                    Column("signer_name", css_class="col-sm-6"),
                ),
                "recipients",
            ),
            Fieldset("Nội dung báo cáo", "results_text", "limitations_text", "direction_text"),
        )

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and not re.fullmatch(r"\d{1,6}", number):
            raise forms.ValidationError("Hãy nhập số thứ tự của văn bản, chỉ gồm chữ số, ví dụ 12.")
        return number

    def clean_report_date(self):
        day = self.cleaned_data["report_date"]
        if day and day.year not in (self.year, self.year + 1):
            raise forms.ValidationError(
                f"Ngày báo cáo năm {self.year} phải trong năm {self.year} hoặc năm {self.year + 1}."
            )
        return day

    def clean_signer_title(self):
        lines = [line.strip() for line in self.cleaned_data["signer_title"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean_recipients(self):
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        return "\n".join(line for line in lines if line)

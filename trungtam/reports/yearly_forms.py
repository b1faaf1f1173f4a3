"""The yearly report's form: number, date, cut-off date, place, recipients, signer and the parts
of the narrative (results, the assessment, direction, recommendations); and the all-centres
report's form (number, dates, its two texts), with the same rules for numbers and dates."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from trungtam.forms import date_input, date_invalid_message
from trungtam.reports.models import AllCentresReport, YearlyReport

from .yearly import NARRATIVE_FIELDS

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
NULL_CHARACTER = "Nội dung có ký tự không hợp lệ (ký tự rỗng); hãy xóa đi rồi gõ lại."
REGENERATE = "tao_lai"


def report_date_field() -> forms.DateField:
    return forms.DateField(
        label="Ngày báo cáo",
        required=False,
        input_formats=DATE_FORMATS,
        widget=date_input(),
        error_messages={"invalid": date_invalid_message("05/12/2026")},
        help_text="Để trống khi chưa ký; bản in để trống ngày, tháng, năm.",
    )


def data_until_field() -> forms.DateField:
    return forms.DateField(
        label="Số liệu tính đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=date_input(),
        error_messages={"invalid": date_invalid_message("30/11/2026")},
        help_text="Bắt buộc khi gửi báo cáo trước khi hết năm; in dưới tên báo cáo.",
    )


class ReportRulesMixin:
    """The number and dates of a yearly report (a centre's or the all-centres one) read the same:
    the number is digits only, the report is dated in its year or the next, its figures run to a
    day of its year. Expects `self.year`."""

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

    def clean_data_until(self):
        day = self.cleaned_data["data_until"]
        if day and day.year != self.year:
            raise forms.ValidationError(
                f"Số liệu của báo cáo năm {self.year} tính đến một ngày của năm {self.year}, "
                f"ví dụ 30/11/{self.year}."
            )
        return day


def _null_character_message(form) -> None:
    for field in form.fields.values():
        for validator in field.validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = NULL_CHARACTER


class YearlyReportForm(ReportRulesMixin, forms.ModelForm):
    report_date = report_date_field()
    data_until = data_until_field()

    class Meta:
        model = YearlyReport
        fields = [
            "number",
            "report_date",
            "data_until",
            "place",
            "signer_title",
            "signer_name",
            "recipients",
            *NARRATIVE_FIELDS,
        ]
        widgets = {
            "signer_title": forms.Textarea(attrs={"rows": 2}),
            "recipients": forms.Textarea(attrs={"rows": 3}),
            "results_text": forms.Textarea(attrs={"rows": 10}),
            "strengths_text": forms.Textarea(attrs={"rows": 5}),
            "limitations_text": forms.Textarea(attrs={"rows": 6}),
            "causes_text": forms.Textarea(attrs={"rows": 4}),
            "lessons_text": forms.Textarea(attrs={"rows": 4}),
            "direction_text": forms.Textarea(attrs={"rows": 6}),
            "recommendations_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "number": "Chỉ ghi số thứ tự, ví dụ 12; ký hiệu «-BC/…» được thêm theo thể thức.",
            "signer_title": "Ví dụ: GIÁM ĐỐC, hoặc hai dòng KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC.",
            "recipients": (
                "Mỗi nơi nhận một dòng. Dòng lưu (Lưu Văn phòng / Lưu: VT) được thêm theo thể thức."
            ),
            "results_text": "Mỗi đoạn một dòng. Gợi ý được tạo từ số liệu; hãy sửa cho phù hợp.",
            "strengths_text": "Gợi ý từ số liệu; bổ sung những ưu điểm số liệu không nói được.",
            "limitations_text": "Gợi ý từ số liệu (kế hoạch, chuyên cần, kết quả, định mức).",
            "causes_text": "Thay phần trong ngoặc vuông bằng nguyên nhân khách quan, chủ quan.",
            "lessons_text": "Thay phần trong ngoặc vuông bằng bài học kinh nghiệm thực tế.",
            "recommendations_text": "Kiến nghị với cấp ủy; nếu không có, ghi «Không có.».",
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["direction_text"].label = f"Phương hướng, nhiệm vụ năm {year + 1}"
        for name in NARRATIVE_FIELDS:
            self.fields[name].help_text += (
                " Không gửi được khi còn chữ trong ngoặc vuông «[…]»."
                if name != "results_text"
                else ""
            )
        _null_character_message(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Số, ngày và người ký",
                Row(
                    Column("number", css_class="col-sm-3"),
                    Column("report_date", css_class="col-sm-3"),
                    Column("data_until", css_class="col-sm-3"),
                    Column("place", css_class="col-sm-3"),
                ),
                Row(
                    Column(Field("signer_title"), css_class="col-sm-6"),
                    Column("signer_name", css_class="col-sm-6"),
                ),
                "recipients",
            ),
            Fieldset("I. Kết quả đạt được", "results_text"),
            Fieldset(
                "II. Đánh giá chung",
                "strengths_text",
                "limitations_text",
                "causes_text",
                "lessons_text",
            ),
            Fieldset("III–IV. Phương hướng và kiến nghị", "direction_text", "recommendations_text"),
        )

    def clean_signer_title(self):
        lines = [line.strip() for line in self.cleaned_data["signer_title"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean_recipients(self):
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        return "\n".join(line for line in lines if line)


class AllCentresReportForm(ReportRulesMixin, forms.ModelForm):
    """The all-centres report's own data; its header, recipients and signer are the issuer's
    (set in the admin)."""

    report_date = report_date_field()
    data_until = data_until_field()

    class Meta:
        model = AllCentresReport
        fields = ["number", "report_date", "data_until", "general_text", "assessment_text"]
        widgets = {
            "general_text": forms.Textarea(attrs={"rows": 10}),
            "assessment_text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "number": "Chỉ ghi số thứ tự, ví dụ 12; ký hiệu «-BC/…» được thêm theo thể thức.",
            "general_text": "Mỗi đoạn một dòng. Gợi ý được tạo từ số liệu; hãy sửa cho phù hợp.",
            "assessment_text": "Ưu điểm, hạn chế, kiến nghị. Không gửi được khi còn chữ trong "
            "ngoặc vuông «[…]».",
        }

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        _null_character_message(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "Số và ngày",
                Row(
                    Column("number", css_class="col-sm-4"),
                    Column("report_date", css_class="col-sm-4"),
                    Column("data_until", css_class="col-sm-4"),
                ),
            ),
            Fieldset("I. Tình hình chung", "general_text"),
            Fieldset("II. Đánh giá, kiến nghị", "assessment_text"),
        )

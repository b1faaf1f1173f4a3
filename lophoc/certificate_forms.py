"""Forms of the certificate screens: issuing, voiding and re-issuing, and the centre's layout."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from lophoc.certificates import (
    REASON_MAX,
    issue_date_refusal,
    number_examples,
    signer_label,
    signers_for,
)
from lophoc.documents.certificates import (
    BLANK_FIELD_LABELS,
    DEFAULT_BLANK_POSITIONS,
    PAGE_SIZES_MM,
    blank_positions,
)
from trungtam.forms import DATE_INPUT_FORMATS, VietnameseKeys, date_input
from trungtam.models import Centre

# --- issuing, voiding, re-issuing --------------------------------------------------------------


class SignerField(forms.ModelChoiceField):
    layout = None  # the centre's document layout: the title reads as it will be printed

    def label_from_instance(self, leader):
        return signer_label(leader, self.layout)


class IssueForm(VietnameseKeys, forms.Form):
    keys = {"signer": "nguoi_ky", "issued_on": "ngay_cap"}

    signer = SignerField(
        label="Người ký",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Hãy chọn người ký.", "invalid_choice": "Hãy chọn người ký."},
    )
    issued_on = forms.DateField(
        label="Ngày cấp",
        input_formats=DATE_INPUT_FORMATS,
        widget=date_input(),
        help_text="Dạng ngày/tháng/năm, không trước ngày bế giảng của lớp.",
        error_messages={
            "required": "Hãy nhập ngày cấp, ví dụ 10/04/2026.",
            "invalid": "Hãy nhập ngày cấp dạng ngày/tháng/năm, ví dụ 10/04/2026.",
        },
    )

    def __init__(self, *args, centre, course, submit_label="Cấp giấy chứng nhận", **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        leaders = signers_for(centre)
        self.fields["signer"].layout = centre.document_layout
        self.fields["signer"].queryset = centre.leaders.filter(pk__in=[x.pk for x in leaders])
        if leaders:
            self.fields["signer"].initial = leaders[0].pk
        self.fields["issued_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit_label))

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        refusal = issue_date_refusal(self.course, day)
        if refusal:
            raise forms.ValidationError(refusal)
        return day


class ReasonForm(VietnameseKeys, forms.Form):
    keys = {"reason": "ly_do"}

    reason = forms.CharField(
        label="Lý do",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Hãy ghi lý do.",
            "max_length": f"Lý do dài tối đa {REASON_MAX} ký tự.",
        },
    )


class ReissueForm(IssueForm):
    keys = {**IssueForm.keys, **ReasonForm.keys}

    reason = ReasonForm.base_fields["reason"]


# --- the centre's certificate layout ----------------------------------------------------------


def _x(field):
    return f"{field}_x"


def _y(field):
    return f"{field}_y"


class CertificateLayoutForm(forms.Form):
    page_size = forms.ChoiceField(
        label="Khổ giấy",
        choices=[("a4", "A4 ngang (297 × 210 mm)"), ("a5", "A5 ngang (210 × 148 mm)")],
    )

    def __init__(self, *args, centre: Centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.initial.setdefault("page_size", centre.certificate_page_size)
        current = blank_positions(centre)
        rows = []
        for field, label in BLANK_FIELD_LABELS.items():
            x, y = current[field]
            self.fields[_x(field)] = forms.DecimalField(
                label=f"{label}: cách mép trái (mm)",
                max_digits=5,
                decimal_places=1,
                initial=x,
                localize=True,
            )
            self.fields[_y(field)] = forms.DecimalField(
                label=f"{label}: cách mép trên (mm)",
                max_digits=5,
                decimal_places=1,
                initial=y,
                localize=True,
            )
            rows.append(
                Row(
                    Column(Field(_x(field)), css_class="col-6 col-md-4"),
                    Column(Field(_y(field)), css_class="col-6 col-md-4"),
                )
            )
        for name, field in self.fields.items():
            field.error_messages.update(
                required="Hãy nhập số mm, ví dụ 95 hoặc 95,5.",
                invalid="Hãy nhập một số mm, ví dụ 95 hoặc 95,5.",
                max_digits="Hãy nhập số mm không quá 3 chữ số phần nguyên.",
                max_decimal_places="Chỉ ghi tối đa 1 chữ số thập phân.",
            )
            if name == "page_size":
                field.error_messages["invalid_choice"] = "Hãy chọn khổ A4 hoặc A5."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("page_size"),
            Fieldset("Vị trí các trường khi in trên phôi (mm, tính từ góc trên bên trái)", *rows),
            Submit("luu", "Lưu mẫu", css_class="btn btn-primary"),
        )

    def clean(self):
        data = super().clean()
        size = data.get("page_size")
        if size not in PAGE_SIZES_MM:
            return data
        width, height = PAGE_SIZES_MM[size]
        shown = self._shown_defaults()
        for field in BLANK_FIELD_LABELS:
            x, y = data.get(_x(field)), data.get(_y(field))
            if (x, y) != (None, None) and (float(x or 0), float(y or 0)) == shown[field]:
                continue  # untouched: follows the defaults of the page size chosen
            if x is not None and not 0 <= x <= width:
                self.add_error(
                    _x(field), f"Hãy nhập số từ 0 đến {width:g} mm (khổ {size.upper()})."
                )
            if y is not None and not 0 <= y <= height:
                self.add_error(
                    _y(field), f"Hãy nhập số từ 0 đến {height:g} mm (khổ {size.upper()})."
                )
        return data

    def _shown_defaults(self) -> dict[str, tuple[float, float]]:
        return blank_positions(Centre(certificate_page_size=self.centre.certificate_page_size))

    def positions(self) -> dict[str, list[float]]:
        """What to store: only positions moved away from the defaults of the page size shown, so
        untouched fields follow the defaults when the page size changes."""
        shown = self._shown_defaults()
        stored = {}
        for field in DEFAULT_BLANK_POSITIONS:
            value = (float(self.cleaned_data[_x(field)]), float(self.cleaned_data[_y(field)]))
            if value != tuple(shown[field]):
                stored[field] = list(value)
        return stored


# --- the public check -------------------------------------------------------------------------


class VerifyForm(VietnameseKeys, forms.Form):
    keys = {"number": "so", "code": "ma"}

    number = forms.CharField(
        label="Số giấy chứng nhận",
        max_length=40,
        error_messages={
            "required": "Hãy nhập số giấy chứng nhận.",
            "max_length": "Số giấy chứng nhận dài tối đa %(limit_value)d ký tự.",
        },
    )
    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        help_text="8 ký tự, in ở góc dưới giấy chứng nhận (không phân biệt chữ hoa, chữ thường).",
        error_messages={
            "required": "Hãy nhập mã xác thực.",
            "max_length": "Mã xác thực chỉ có 8 ký tự.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        examples = " hoặc ".join(number_examples())
        self.fields["number"].help_text = f"Ghi đúng như in trên giấy chứng nhận, ví dụ {examples}."
        for name in ("number", "code"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["code"].widget.attrs["autocapitalize"] = "characters"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's GET form: no named button in the address
        self.helper.disable_csrf = True  # nothing changes, and no token varies the answer

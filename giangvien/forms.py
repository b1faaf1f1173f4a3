"""Forms of the lecturer screens: the list's filters and the lecturer record."""

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms

from giangvien.models import Lecturer, LecturerKind
from trungtam.scoping import centres_for
from trungtam.validation import phone_from_text


class LecturerFilterForm(forms.Form):
    q = forms.CharField(
        label="Tìm theo tên",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Gõ có dấu hoặc không", "type": "search"}),
    )
    trung_tam = forms.ModelChoiceField(
        label="Trung tâm", queryset=None, required=False, empty_label="Tất cả trung tâm"
    )
    loai = forms.ChoiceField(
        label="Loại giảng viên",
        choices=[("", "Tất cả")] + LecturerKind.choices,
        required=False,
    )
    tinh_trang = forms.ChoiceField(
        label="Tình trạng",
        choices=[("", "Tất cả"), ("dang_day", "Đang giảng dạy"), ("ngung", "Ngừng giảng dạy")],
        required=False,
    )
    nam = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        rows = ["q", "loai", "tinh_trang", "nam"]
        if user.sees_all_centres:
            self.fields["trung_tam"].queryset = centres_for(user)
            rows.insert(1, "trung_tam")
        else:
            del self.fields["trung_tam"]
        self.fields["nam"].error_messages["invalid"] = "Hãy nhập năm gồm 4 chữ số, ví dụ 2026."
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "mb-3 d-print-none"
        self.helper.layout = Layout(
            Row(*[Column(name, css_class="col-12 col-sm-6 col-lg") for name in rows]),
            FormActions(
                Submit("loc", "Lọc"),
                HTML('<a class="btn btn-link" href="?">Xóa bộ lọc</a>'),
            ),
        )


class LecturerForm(forms.ModelForm):
    class Meta:
        model = Lecturer
        fields = [
            "full_name",
            "title",
            "kind",
            "position",
            "active",
            "political_theory_level",
            "professional_level",
            "qualifications",
            "workplace",
            "phone",
            "email",
        ]
        widgets = {
            "qualifications": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0912 345 678"}),
        }
        help_texts = {
            "workplace": "Với giảng viên kiêm chức, thỉnh giảng: cơ quan nơi đang công tác.",
            "position": "Quyết định định mức giờ chuẩn hằng năm.",
        }

    def __init__(self, *args, user, centre=None, **kwargs):
        """`centre` is fixed for staff of one centre; province-wide users choose it (new records)."""
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            centre = self.instance.centre
        self.centre = centre
        self.fields["kind"].choices = [("", "— Chọn loại giảng viên —"), *LecturerKind.choices]
        first_rows = []
        if centre is None:
            self.fields["centre"] = forms.ModelChoiceField(
                label="Trung tâm", queryset=centres_for(user), empty_label=None
            )
            first_rows = ["centre"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *first_rows,
            Row(
                Column("full_name", css_class="col-md-8"),
                Column("title", css_class="col-md-4"),
            ),
            Row(
                Column("kind", css_class="col-md-6"),
                Column("position", css_class="col-md-6"),
            ),
            "active",
            Fieldset(
                "Trình độ",
                Row(
                    Column("political_theory_level", css_class="col-md-6"),
                    Column("professional_level", css_class="col-md-6"),
                ),
                "qualifications",
            ),
            Fieldset(
                "Nơi công tác, liên hệ",
                "workplace",
                Row(
                    Column("phone", css_class="col-md-6"),
                    Column("email", css_class="col-md-6"),
                ),
            ),
            FormActions(Submit("luu", "Lưu giảng viên")),
        )

    def clean_phone(self):
        return phone_from_text(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        centre = self.centre or cleaned.get("centre")
        if centre is not None:
            self.instance.centre = centre
        return cleaned

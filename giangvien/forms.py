"""Forms of the lecturer screens: the lecturer record (the list's filters: giangvien.filters)."""

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms

from giangvien.models import Lecturer, LecturerKind
from trungtam.scoping import centres_for
from trungtam.validation import phone_from_text


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

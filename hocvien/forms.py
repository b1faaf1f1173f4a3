"""Forms of the trainee and unit registry: create/edit, merge (list filters: hocvien.filters)."""

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone

from hocvien.models import Gender, Trainee, Unit
from hocvien.personal_data import RECORD_FIELDS
from hocvien.trainees import (
    CHANGE_REASON_LENGTH,
    name_problem,
    national_id_holder,
    national_id_taken_message,
    tidy_name,
)
from trungtam.forms import DATE_INPUT_FORMATS, VietnameseKeys, date_input, date_invalid_message
from trungtam.scoping import centres_for, visible
from trungtam.text import normalize_text
from trungtam.validation import national_id_from_text, phone_from_text

DATE_INVALID = date_invalid_message("17/05/1990")


def date_widget() -> forms.DateInput:
    return date_input()


def _vietnamese_date_errors(form: forms.BaseForm) -> None:
    for form_field in form.fields.values():
        if isinstance(form_field, forms.DateField):
            form_field.error_messages["invalid"] = DATE_INVALID
            form_field.input_formats = DATE_INPUT_FORMATS


def unit_choice_label(unit: Unit) -> str:
    if unit.merged_into_id or not unit.active:
        return f"{unit.name} (đã sáp nhập / ngừng hoạt động)"
    return unit.name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_choice_label(obj)


# --- trainees ------------------------------------------------------------------------------


class PersonRulesMixin:
    """The name rule of the nominee import on a form with `full_name` (DESIGN §5: typed by hand
    or imported, a record obeys the same rules; the date of birth is checked by the model).

    The browser's maxlength is removed from the name: it would cut a pasted name silently; the
    server refuses it with a message instead. A record's unchanged values are not re-judged, so
    an old record can still be corrected elsewhere."""

    def _person_rules_init(self):
        name = self.fields["full_name"]
        name.max_length = None
        name.validators = []
        name.widget.attrs.pop("maxlength", None)

    def clean_full_name(self):
        value = normalize_text(self.cleaned_data.get("full_name") or "")
        if self.instance.pk and value == self.instance.full_name:
            return value
        wrong = name_problem(value)
        if wrong:
            raise forms.ValidationError(f"Họ và tên {wrong}.")
        return tidy_name(value)


class TraineeForm(PersonRulesMixin, forms.ModelForm):
    # Wider than the stored 12 digits so that "0012 0300 4567" typed with spaces is accepted.
    national_id = forms.CharField(
        label="Số CCCD",
        required=False,
        max_length=30,
        help_text="12 chữ số, có thể gõ cách nhau bằng khoảng trắng; để trống nếu chưa có.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Trainee
        # The whole record, in the order the trainee page and the personal-data export use.
        fields = list(RECORD_FIELDS)
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "date_of_birth": date_widget(),
            "party_joined_on": date_widget(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0912 345 678"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, centre=None, **kwargs):
        """`centre` is fixed for staff of one centre; province-wide users choose it (new records)."""
        super().__init__(*args, **kwargs)
        _vietnamese_date_errors(self)
        self._person_rules_init()
        if self.instance.pk:
            centre = self.instance.centre
        self.centre = centre
        units = visible(user, Unit.objects.all()).select_related("centre")
        if centre is not None:
            units = units.filter(centre=centre)
        self.fields["unit"].queryset = units.order_by("search_key", "id")
        self.fields["unit"].empty_label = "— Chưa rõ đơn vị —"
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["gender"].choices = [("", "— Chọn —"), *Gender.choices]
        first_rows = []
        if centre is None:
            self.fields["centre"] = forms.ModelChoiceField(
                label="Trung tâm", queryset=centres_for(user), empty_label=None
            )
            first_rows = ["centre"]
        last_rows = []
        if self.instance.pk:
            # Correcting a record (DESIGN §8b): the reason goes into the record's history.
            self.fields["change_reason"] = forms.CharField(
                label="Lý do điều chỉnh",
                required=False,
                max_length=CHANGE_REASON_LENGTH,
                help_text="Ví dụ: «Theo đề nghị của học viên, ngày sinh nhập sai». Được ghi vào "
                "lịch sử thay đổi của hồ sơ.",
            )
            last_rows = ["change_reason"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Thông tin cá nhân",
                *first_rows,
                "full_name",
                Row(
                    Column("date_of_birth", css_class="col-sm-6 col-md-4"),
                    Column("gender", css_class="col-sm-6 col-md-4"),
                    Column("national_id", css_class="col-md-4"),
                ),
                "hometown",
            ),
            Fieldset(
                "Công tác, liên hệ",
                Row(
                    Column("unit", css_class="col-md-6"),
                    Column("position", css_class="col-md-6"),
                ),
                Row(
                    Column("phone", css_class="col-md-6"),
                    Column("email", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Trình độ",
                Row(
                    Column("education_level", css_class="col-md-6"),
                    Column("political_theory_level", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Thông tin nhạy cảm",
                HTML(
                    '<p class="small text-muted">Dữ liệu cá nhân nhạy cảm (Luật Bảo vệ dữ liệu cá '
                    "nhân): chỉ ghi khi cần cho công tác đào tạo.</p>"
                ),
                Row(
                    Column("ethnicity", css_class="col-md-6"),
                    Column("religion", css_class="col-md-6"),
                ),
                Row(
                    Column(Field("is_party_member"), css_class="col-md-6 pt-md-4"),
                    Column("party_joined_on", css_class="col-md-6"),
                ),
            ),
            "notes",
            *last_rows,
            FormActions(Submit("luu", "Lưu hồ sơ")),
        )

    def clean_national_id(self):
        return national_id_from_text(self.cleaned_data.get("national_id"))

    def clean_phone(self):
        return phone_from_text(self.cleaned_data.get("phone"))

    def clean_party_joined_on(self):
        value = self.cleaned_data.get("party_joined_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Ngày vào Đảng không được ở tương lai.")
        return value

    def clean(self):
        cleaned = super().clean()
        centre = self.centre or cleaned.get("centre")
        if centre is not None:
            self.instance.centre = centre
        if cleaned.get("party_joined_on") and not cleaned.get("is_party_member"):
            self.add_error(
                "is_party_member",
                "Có ngày vào Đảng thì hãy đánh dấu «Đảng viên», hoặc xóa ngày vào Đảng.",
            )
        national_id = cleaned.get("national_id")
        if centre is not None and national_id:
            holder = national_id_holder(
                centre_id=centre.pk, national_id=national_id, exclude_pk=self.instance.pk
            )
            if holder is not None:
                self.add_error("national_id", national_id_taken_message(holder))
        return cleaned


class TraineeSearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm hồ sơ giữ lại",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "Họ tên (có dấu hoặc không) hoặc số CCCD", "type": "search"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "mb-3"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-8"),
                Column(Submit("tim", "Tìm", css_class="mt-md-4"), css_class="col-md-4"),
            )
        )


# --- units ---------------------------------------------------------------------------------


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "kind",
            "is_served_commune",
            "active",
            "parent",
            "merged_into",
            "merged_on",
            "address",
            "notes",
        ]
        field_classes = {"merged_into": UnitChoiceField, "parent": UnitChoiceField}
        widgets = {"merged_on": date_widget(), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "is_served_commune": "Đánh dấu nếu đây là xã, phường, đặc khu trung tâm được giao "
            "phụ trách.",
            "merged_into": "Chỉ chọn khi đơn vị này đã được sáp nhập (ví dụ theo sắp xếp năm "
            "2025): các lần ghi danh cũ vẫn giữ tên đơn vị này.",
        }

    def __init__(self, *args, user, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese_date_errors(self)
        if self.instance.pk:
            centre = self.instance.centre
        self.centre = centre
        targets = visible(user, Unit.objects.all())
        if centre is not None:
            targets = targets.filter(centre=centre)
        if self.instance.pk:
            targets = targets.exclude(pk=self.instance.pk)
        self.fields["merged_into"].queryset = targets.order_by("search_key", "id")
        self.fields["merged_into"].empty_label = "— Không sáp nhập —"
        # Units of the same centre; a loop (a unit under its own sub-unit) is refused by the model.
        self.fields["parent"].queryset = targets.order_by("search_key", "id")
        self.fields["parent"].empty_label = "— Không có đơn vị cấp trên —"
        first_rows = []
        if centre is None:
            self.fields["centre"] = forms.ModelChoiceField(
                label="Trung tâm", queryset=centres_for(user), empty_label=None
            )
            first_rows = ["centre"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *first_rows,
            Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            "is_served_commune",
            "active",
            "parent",
            Fieldset(
                "Sáp nhập",
                Row(
                    Column("merged_into", css_class="col-md-8"),
                    Column("merged_on", css_class="col-md-4"),
                ),
            ),
            "address",
            "notes",
            FormActions(Submit("luu", "Lưu đơn vị")),
        )

    def clean(self):
        cleaned = super().clean()
        centre = self.centre or cleaned.get("centre")
        if centre is not None:
            self.instance.centre = centre
        return cleaned


class UnitMergeForm(VietnameseKeys, forms.Form):
    keys = {"keep": "giu"}

    keep = UnitChoiceField(
        label="Đơn vị giữ lại",
        queryset=None,
        empty_label="— Chọn đơn vị giữ lại —",
        error_messages={
            "required": "Hãy chọn đơn vị giữ lại.",
            "invalid_choice": "Hãy chọn một đơn vị trong danh sách.",
        },
    )

    def __init__(self, *args, user, remove: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = (
            visible(user, Unit.objects.all())
            .filter(centre_id=remove.centre_id)
            .exclude(pk=remove.pk)
            .order_by("search_key", "id")
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("keep", css_class="col-md-8"),
                Column(
                    Submit("xem", "Xem trước khi gộp", css_class="mt-md-4"), css_class="col-md-4"
                ),
            )
        )


class UnitAccountForm(forms.Form):
    """A liaison login for the unit: who holds it, and a user name if the suggested one will not do."""

    full_name = forms.CharField(
        label="Họ tên cán bộ phụ trách",
        max_length=100,
        error_messages={"required": "Hãy ghi họ tên cán bộ phụ trách của đơn vị."},
    )
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        required=False,
        help_text="Để trống để lấy theo tên đơn vị (ví dụ phuongphuloi). Chỉ dùng chữ thường "
        "không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.",
    )
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Thư điện tử không hợp lệ, ví dụ vanphong@phuloi.gov.vn."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "full_name",
            Row(Column("username", css_class="col-md-6"), Column("email", css_class="col-md-6")),
            FormActions(Submit("tao", "Tạo tài khoản")),
        )

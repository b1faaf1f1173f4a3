"""Forms of the calls: the call and its quota table (staff), the new person (the unit)."""

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from chieusinh.models import Call
from hocvien.forms import UnitChoiceField
from hocvien.models import Trainee, Unit
from hocvien.units import unit_family
from lophoc.course_forms import NewTraineeForm, date_field
from lophoc.nominee_import import mask_national_id
from trungtam.forms import VietnameseKeys
from trungtam.scoping import visible
from trungtam.validation import national_id_from_text


class CallForm(VietnameseKeys, forms.ModelForm):
    keys = {"deadline": "han_gui", "number": "so", "note": "ghi_chu"}

    deadline = date_field("Hạn gửi danh sách", example="20/03/2026")

    class Meta:
        model = Call
        fields = ["deadline", "number", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("deadline", css_class="col-sm-6"), Column("number", css_class="col-sm-6")),
            "note",
        )


class QuotaForm(forms.Form):
    unit = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Chọn đơn vị —",
        error_messages={"invalid_choice": "Hãy chọn một đơn vị trong danh sách."},
    )
    quota = forms.IntegerField(
        label="Số lượng",
        required=False,
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": "Hãy nhập số người, ví dụ 5.",
            "min_value": "Số lượng phải từ 1 trở lên.",
            "max_value": "Số lượng tối đa 1.000.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class BaseQuotaFormSet(forms.BaseFormSet):
    def __init__(self, *args, units=None, **kwargs):
        self.units = units
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "units": self.units}

    def rows(self):
        """(row number, unit, quota) of the rows filled in, in the order typed."""
        filled = []
        for number, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", {}) or {}
            if data.get("DELETE") or (not data.get("unit") and not data.get("quota")):
                continue
            filled.append((number, data.get("unit"), data.get("quota")))
        return filled


QuotaFormSet = forms.formset_factory(
    QuotaForm, formset=BaseQuotaFormSet, extra=3, can_delete=True, max_num=300, absolute_max=300
)


def unit_choices(user, centre_id):
    return (
        visible(user, Unit.objects.all())
        .filter(centre_id=centre_id, active=True)
        .order_by("search_key", "id")
    )


class NewPersonForm(NewTraineeForm):
    """A person without a record, put on the unit's list with the rules of the import and of the
    class page's «học viên mới». Nothing of another unit's people is shown: a CCCD or a name of
    someone outside the unit reads as a new person, the same as one nobody has."""

    def __init__(self, *args, user, quota, **kwargs):
        self.quota = quota
        super().__init__(*args, user=user, course=quota.call.course, **kwargs)
        self.fields["unit"].queryset = unit_family(quota.unit).order_by("search_key", "id")
        self.fields["unit"].required = True
        self.fields["unit"].empty_label = None
        self.fields["unit"].initial = quota.unit.pk
        self.fields["unit"].label = "Đơn vị công tác"
        self.fields["position"].label = "Chức vụ"
        self.helper.form_id = "nguoi-moi"
        self.helper.layout = Layout(
            "full_name",
            Row(
                Column("date_of_birth", css_class="col-sm-6 col-md-4"),
                Column("gender", css_class="col-sm-6 col-md-4"),
                Column("national_id", css_class="col-md-4"),
            ),
            Row(Column("unit", css_class="col-md-6"), Column("position", css_class="col-md-6")),
            "phone",
            "someone_else",
            FormActions(Submit("them_moi", "Thêm vào danh sách")),
        )

    def clean_national_id(self):
        value = national_id_from_text(self.cleaned_data.get("national_id"))
        if value is None:
            return None
        # Looked up among the unit's own people only (see answers._national_id_refusal).
        holder = Trainee.objects.filter(
            centre_id=self.course.centre_id,
            national_id=value,
            unit__in=unit_family(self.quota.unit),
        ).first()
        if holder is None:
            return value
        raise forms.ValidationError(
            f"Số CCCD {mask_national_id(value)} là của {holder.full_name}, đã có hồ sơ: hãy "
            "tìm và chọn người này ở phần «Chọn người đã có hồ sơ»."
        )

    def clean(self):
        cleaned = forms.ModelForm.clean(self)
        name, born = cleaned.get("full_name"), cleaned.get("date_of_birth")
        if self.errors or not name or not born or cleaned.get("someone_else"):
            return cleaned
        self.name_matches = list(
            Trainee.objects.filter(
                centre_id=self.course.centre_id,
                full_name=name,
                date_of_birth=born,
                unit__in=unit_family(self.quota.unit),
            )[:5]
        )
        if self.name_matches:
            raise forms.ValidationError(
                f"Đơn vị đã có hồ sơ {name}, sinh ngày {born:%d/%m/%Y}. Nếu là cùng một người, "
                "hãy chọn hồ sơ đó; nếu là người khác, bấm «Người khác, vẫn thêm mới».",
                code="name_match",
            )
        return cleaned

    def person_values(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "date_of_birth": data["date_of_birth"],
            "gender": data["gender"],
            "national_id": data.get("national_id"),
            "position": data.get("position") or "",
            "phone": data.get("phone") or "",
        }

"""Forms of the class screens: opening and editing a class, enrolment, withdrawal."""

import re
from decimal import Decimal

from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms

from giangvien.models import Lecturer
from hocvien.forms import PersonRulesMixin, UnitChoiceField
from hocvien.models import Gender, Trainee, Unit
from hocvien.trainees import national_id_holder, national_id_taken_message, same_name_and_birth
from lophoc.courses import code_taken_message
from lophoc.models import (
    Assessment,
    Course,
    CourseStatus,
    Program,
    Topic,
    Venue,
)
from trungtam.documents.numbers import format_score
from trungtam.forms import (
    DATE_INPUT_FORMATS,
    VietnameseKeys,
    date_input,
    date_invalid_message,
)
from trungtam.scoping import centres_for, visible
from trungtam.validation import national_id_from_text, phone_from_text

DATE_FORMATS = DATE_INPUT_FORMATS


def date_field(
    label: str, *, required: bool = True, example: str = "02/03/2026"
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=date_input(),
        error_messages={
            "invalid": date_invalid_message(example),
            "required": f"Hãy nhập {label.lower()}, ví dụ {example}.",
        },
    )


class ProgramChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.name}"


# --- opening a class -------------------------------------------------------------------------


class CourseCentreForm(VietnameseKeys, forms.Form):
    """Step 0 for province-wide users: which centre the new class belongs to."""

    keys = {"centre": "trung_tam"}

    centre = forms.ModelChoiceField(
        label="Trung tâm",
        queryset=None,
        empty_label="— Chọn trung tâm —",
        error_messages={"required": "Hãy chọn trung tâm mở lớp."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres_for(user).filter(active=True)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout("centre", FormActions(Submit("tiep", "Tiếp tục")))


class CourseStartForm(VietnameseKeys, forms.Form):
    """Step 1: the program and the first day decide the code, the end date and the rules."""

    keys = {"program": "chuong_trinh", "start_date": "ngay"}

    program = ProgramChoiceField(
        label="Chương trình",
        queryset=None,
        empty_label="— Chọn chương trình —",
        error_messages={
            "required": "Hãy chọn chương trình của lớp.",
            "invalid_choice": "Hãy chọn một chương trình trong danh sách.",
        },
    )
    start_date = date_field("Ngày khai giảng")

    def __init__(self, *args, user, centre, carry_centre: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = (
            visible(user, Program.objects.all())
            .filter(centre=centre, active=True)
            .order_by("system", "name")
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            HTML(
                f'<input type="hidden" name="{CourseCentreForm.keys["centre"]}" value="{centre.pk}">'
                if carry_centre
                else ""
            ),
            Row(
                Column("program", css_class="col-md-8"),
                Column("start_date", css_class="col-md-4"),
            ),
            FormActions(Submit("tiep", "Tiếp tục")),
        )


def venue_field(centre, *, current: str = "") -> forms.ChoiceField:
    """The class's venue, chosen from the centre's list (DESIGN: one name per place). A class
    keeps the venue it already has even when that is no longer on the list."""
    names = list(
        Venue.objects.filter(centre=centre, active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if current and current not in names:
        names.append(current)
    return forms.ChoiceField(
        label="Địa điểm",
        required=False,
        choices=[("", "— Chưa chọn —")] + [(name, name) for name in names],
        help_text="Chọn trong danh sách địa điểm học của trung tâm; thêm địa điểm mới ở "
        "Quản trị › Địa điểm học.",
        error_messages={
            "invalid_choice": "Hãy chọn một địa điểm trong danh sách địa điểm học của trung tâm."
        },
    )


class CourseForm(forms.ModelForm):
    """Details and rules of a class; the program is chosen before and fixed afterwards."""

    start_date = date_field("Ngày khai giảng")
    end_date = date_field("Ngày bế giảng", example="06/03/2026")

    class Meta:
        model = Course
        fields = [
            "code",
            "name",
            "start_date",
            "end_date",
            "venue",
            "capacity",
            "is_assessed",
            "certificate_issuer",
            "absence_limit_percent",
            "partner_name",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": "Gợi ý theo mẫu mã lớp của trung tâm; có thể sửa. Mỗi lớp một mã riêng.",
            "absence_limit_percent": "Học viên vắng quá tỷ lệ này (tính theo số tiết) không đủ "
            "điều kiện dự kiểm tra cuối khóa.",
            "partner_name": "Chỉ ghi khi lớp phối hợp với đơn vị khác, ví dụ Trường Chính trị tỉnh.",
        }
        error_messages = {
            "code": {"required": "Hãy nhập mã lớp, ví dụ KND-01/2026."},
            "name": {"required": "Hãy nhập tên lớp."},
            "capacity": {"required": "Hãy nhập sĩ số tối đa, ví dụ 60."},
        }

    def __init__(self, *args, centre, program, submit_label="Lưu lớp học", **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.instance.centre = centre
        self.instance.program = program
        self.fields["venue"] = venue_field(centre, current=self.instance.venue)
        capacity = self.fields["capacity"]
        capacity.min_value = 1
        capacity.widget.attrs["min"] = 1
        capacity.validators.append(_min_capacity)
        # Typed the Vietnamese way ("12,5"); shown without trailing zeros ("20", not "20.00").
        limit = self.fields["absence_limit_percent"]
        limit.localize = True
        limit.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        limit.widget.is_localized = True
        limit.error_messages["invalid"] = "Hãy nhập một số từ 0 đến 100, ví dụ 20 hoặc 12,5."
        initial = self.initial.get("absence_limit_percent")
        if isinstance(initial, Decimal):
            self.initial["absence_limit_percent"] = format_score(initial)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Thông tin lớp",
                Row(Column("code", css_class="col-md-4"), Column("name", css_class="col-md-8")),
                Row(
                    Column("start_date", css_class="col-sm-6 col-md-4"),
                    Column("end_date", css_class="col-sm-6 col-md-4"),
                    Column("capacity", css_class="col-md-4"),
                ),
                "venue",
            ),
            Fieldset(
                "Quy định của lớp",
                HTML(
                    '<p class="small text-muted">Lấy từ chương trình khi mở lớp; sửa ở đây chỉ '
                    "áp dụng cho lớp này.</p>"
                ),
                Row(
                    Column(Field("is_assessed"), css_class="col-md-4 pt-md-4"),
                    Column("absence_limit_percent", css_class="col-md-4"),
                    Column("certificate_issuer", css_class="col-md-4"),
                ),
                "partner_name",
            ),
            "notes",
            FormActions(Submit("luu", submit_label)),
        )

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip()
        if code:
            taken = code_taken_message(centre=self.centre, code=code, exclude_pk=self.instance.pk)
            if taken:
                raise forms.ValidationError(taken)
        return code


def _min_capacity(value):
    if value is not None and value < 1:
        raise forms.ValidationError("Sĩ số tối đa phải lớn hơn 0, ví dụ 60.")


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["order", "title", "periods"]
        error_messages = {"title": {"required": "Hãy nhập tên chuyên đề."}}


class TopicFormSetHelper(FormHelper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = "bootstrap5/table_inline_formset.html"
        self.add_input(Submit("luu", "Lưu chuyên đề"))


class BaseTopicFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Xóa"


# A crafted TOTAL_FORMS must not make one request build and render thousands of forms (Django's
# own cap is max_num + 1000): no program has anywhere near these many topics or assessments.
MAX_TOPICS = 100
MAX_ASSESSMENTS = 30

TopicFormSet = forms.modelformset_factory(
    Topic,
    form=TopicForm,
    formset=BaseTopicFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_TOPICS,
    absolute_max=MAX_TOPICS,
    validate_max=True,
)


# --- assessments of a class -------------------------------------------------------------------

_WEIGHT = re.compile(r"^\d{1,3}([.,]\d{1,2})?$")


class WeightField(forms.Field):
    """A non-negative weight typed the Vietnamese way ("1,5") or with a point ("1.5")."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5})
    default_error_messages = {
        "required": "Hãy nhập hệ số, ví dụ 1 hoặc 1,5.",
        "invalid": "Hãy nhập hệ số là một số không âm, tối đa hai chữ số thập phân, ví dụ 1 "
        "hoặc 1,5.",
    }

    def to_python(self, value):
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        if text == "":
            return None
        if not _WEIGHT.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text.replace(",", "."))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_score(value)
        return value


class LecturerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AssessmentForm(forms.ModelForm):
    weight = WeightField(label="Hệ số")
    grader = LecturerChoiceField(
        label="Giảng viên chấm",
        queryset=Lecturer.objects.none(),
        required=False,
        empty_label="— Chưa phân công —",
    )

    class Meta:
        model = Assessment
        fields = ["order", "name", "weight", "is_final", "has_retake", "grader"]
        error_messages = {
            "name": {"required": "Hãy nhập tên bài kiểm tra, ví dụ «Bài thu hoạch cuối khóa»."},
            "order": {"invalid": "Hãy nhập số thứ tự là số nguyên, ví dụ 1."},
        }

    def __init__(self, *args, lecturers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lecturers is not None:
            self.fields["grader"].queryset = lecturers
        self.fields["order"].widget.attrs.update({"min": 1, "size": 3})
        self.fields["order"].label = "TT"


class AssessmentFormSetHelper(FormHelper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = "bootstrap5/table_inline_formset.html"
        self.add_input(Submit("luu", "Lưu bài kiểm tra"))


class BaseAssessmentFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Xóa"


AssessmentFormSet = forms.modelformset_factory(
    Assessment,
    form=AssessmentForm,
    formset=BaseAssessmentFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ASSESSMENTS,
    absolute_max=MAX_ASSESSMENTS,
    validate_max=True,
)


# --- status changes --------------------------------------------------------------------------


class TransitionForm(VietnameseKeys, forms.Form):
    keys = {"status": "trang_thai", "reason": "ly_do"}

    status = forms.ChoiceField(label="Trạng thái mới", choices=CourseStatus.choices)
    reason = forms.CharField(
        label="Lý do",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- enrolment -------------------------------------------------------------------------------


class TraineeSearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm học viên đã có hồ sơ",
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
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-8"),
                Column(Submit("tim", "Tìm", css_class="mt-md-4"), css_class="col-md-4"),
            )
        )


def _units(user, course: Course):
    return (
        visible(user, Unit.objects.all())
        .filter(centre=course.centre_id)
        .order_by("search_key", "id")
    )


class EnrolExistingForm(VietnameseKeys, forms.Form):
    keys = {"trainee": "hoc_vien", "unit": "don_vi", "position": "chuc_vu"}

    trainee = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Hãy tìm và chọn một học viên.",
            "invalid_choice": "Không tìm thấy học viên này trong hồ sơ của trung tâm.",
        },
    )
    unit = UnitChoiceField(
        label="Đơn vị cử đi học", queryset=None, required=False, empty_label="— Chưa rõ đơn vị —"
    )
    position = forms.CharField(label="Chức vụ khi học", max_length=200, required=False)

    def __init__(self, *args, user, course: Course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = visible(user, Trainee.objects.all()).filter(
            centre=course.centre_id
        )
        self.fields["unit"].queryset = _units(user, course)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "trainee",
            Row(
                Column("unit", css_class="col-md-6"),
                Column("position", css_class="col-md-6"),
            ),
            FormActions(Submit("ghi_danh", "Ghi danh vào lớp")),
        )


class NewTraineeForm(VietnameseKeys, PersonRulesMixin, forms.ModelForm):
    """A trainee who has no record yet, enrolled at once (the unit is also the sending unit).

    The same rules as the nominee import (name, date of birth, CCCD). A record with the same name
    and date of birth is proposed first (`name_matches`): staff enrol that person, or confirm
    that this is someone else (`someone_else`) before a second record is created."""

    keys = {"someone_else": "nguoi_khac"}

    date_of_birth = date_field("Ngày sinh", example="17/05/1990")
    # Wider than the 12 stored digits so that "0012 0300 4567" typed with spaces is accepted.
    national_id = forms.CharField(
        label="Số CCCD",
        required=False,
        max_length=30,
        help_text="12 chữ số; để trống nếu chưa có.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Sent by the «Người khác, vẫn tạo hồ sơ mới» button shown beside the proposed matches.
    someone_else = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Trainee
        fields = [
            "full_name",
            "date_of_birth",
            "gender",
            "national_id",
            "unit",
            "position",
            "phone",
        ]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0912 345 678"}),
        }
        error_messages = {
            "full_name": {"required": "Hãy nhập họ và tên có dấu, ví dụ Nguyễn Thị Lan."},
            "gender": {"required": "Hãy chọn giới tính."},
        }

    def __init__(self, *args, user, course: Course, **kwargs):
        kwargs.setdefault("prefix", "moi")
        super().__init__(*args, **kwargs)
        self.course = course
        self.name_matches: list[Trainee] = []
        self.instance.centre = course.centre
        self._person_rules_init()
        self.fields["unit"].queryset = _units(user, course)
        self.fields["unit"].empty_label = "— Chưa rõ đơn vị —"
        self.fields["full_name"].widget.attrs["autocomplete"] = "off"
        self.fields["gender"].choices = [("", "— Chọn —"), *Gender.choices]
        self.helper = FormHelper()
        self.helper.form_id = "ho-so-moi"
        self.helper.layout = Layout(
            "full_name",
            Row(
                Column("date_of_birth", css_class="col-sm-6 col-md-4"),
                Column("gender", css_class="col-sm-6 col-md-4"),
                Column("national_id", css_class="col-md-4"),
            ),
            Row(Column("unit", css_class="col-md-6"), Column("position", css_class="col-md-6")),
            "phone",
            FormActions(Submit("ghi_danh_moi", "Tạo hồ sơ và ghi danh")),
        )

    def clean_national_id(self):
        value = national_id_from_text(self.cleaned_data.get("national_id"))
        if value is None:
            return None
        holder = national_id_holder(centre_id=self.course.centre_id, national_id=value)
        if holder is not None:
            raise forms.ValidationError(national_id_taken_message(holder))
        return value

    def clean_phone(self):
        return phone_from_text(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        name, born = cleaned.get("full_name"), cleaned.get("date_of_birth")
        if self.errors or not name or not born or cleaned.get("someone_else"):
            return cleaned
        self.name_matches = list(
            same_name_and_birth(
                centre_id=self.course.centre_id, full_name=name, date_of_birth=born
            )[:5]
        )
        if self.name_matches:
            raise forms.ValidationError(
                f"Đã có hồ sơ {name}, sinh ngày {born:%d/%m/%Y}. Nếu là cùng một người, hãy "
                "ghi danh hồ sơ đó; nếu là người khác, bấm «Người khác, vẫn tạo hồ sơ mới».",
                code="name_match",
            )
        return cleaned


class WithdrawForm(VietnameseKeys, forms.Form):
    keys = {"reason": "ly_do"}

    reason = forms.CharField(
        label="Lý do thôi học",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Hãy ghi lý do thôi học, ví dụ «Đơn vị rút tên do bận công tác».",
            "max_length": "Lý do dài tối đa 300 ký tự.",
        },
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason",
            FormActions(
                Submit("xac_nhan", "Xác nhận thôi học", css_class="btn-danger"),
                HTML(f'<a class="btn btn-link" href="{cancel_url}">Quay lại</a>'),
            ),
        )

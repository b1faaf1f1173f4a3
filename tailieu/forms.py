"""Forms of the materials pages and of the schedule letter."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from giangvien.models import Lecturer
from lophoc.models import ProgramTopic
from tailieu.letters import period_refusal
from trungtam.document_files import (
    MATERIAL_KINDS,
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    document_kind,
    kinds_text,
    too_large,
)
from trungtam.forms import DATE_INPUT_FORMATS, VietnameseKeys, date_input, date_invalid_message
from trungtam.listing import parse_id

ACCEPT = ",".join(kind.extension for kind in MATERIAL_KINDS)


class MaterialFileField(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Tệp tài liệu",
            help_text=(
                f"File {kinds_text(MATERIAL_KINDS)}, tối đa {MAX_DOCUMENT_BYTES // 1024 // 1024} MB."
            ),
            error_messages={
                "required": "Hãy chọn tệp tài liệu để tải lên.",
                "empty": "File rỗng (0 byte). Hãy chọn lại đúng file tài liệu.",
                "invalid": "Không nhận được file; hãy chọn lại file rồi bấm tải lên.",
            },
            widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            **kwargs,
        )


class UploadMixin:
    """Reads the file once, checks it with the document guard; `content` and `filename` for the
    service, nothing stored here."""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        if upload.size and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(too_large(name, upload.size, MAX_DOCUMENT_BYTES))
        content = upload.read()
        try:
            document_kind(content, name, kinds=MATERIAL_KINDS)
        except DocumentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        self.content, self.filename = content, name
        return upload


class MaterialFields(VietnameseKeys, forms.Form):
    keys = {
        "topic": "chuyen_de",
        "title": "ten",
        "note": "ghi_chu",
        "for_trainees": "danh_cho_hoc_vien",
        "file": "tep",
    }

    topic = forms.ModelChoiceField(
        label="Chuyên đề",
        queryset=ProgramTopic.objects.none(),
        required=False,
        empty_label="Cả chương trình",
    )
    title = forms.CharField(
        label="Tên tài liệu",
        max_length=300,
        error_messages={"required": "Hãy nhập tên tài liệu, ví dụ «Bài giảng chuyên đề 1»."},
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    for_trainees = forms.BooleanField(
        label="Dành cho học viên",
        required=False,
        help_text="Học viên tải được qua đường dẫn của lớp, không cần đăng nhập.",
    )

    def __init__(self, *args, program, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = ProgramTopic.objects.filter(program=program)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", submit))


class MaterialCreateForm(UploadMixin, MaterialFields):
    file = MaterialFileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Tải lên", **kwargs)
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}


class MaterialEditForm(MaterialFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit="Lưu thay đổi", **kwargs)


class VersionForm(UploadMixin, VietnameseKeys, forms.Form):
    keys = {"file": "tep"}
    file = MaterialFileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}
        self.helper.add_input(Submit("submit", "Tải lên phiên bản mới"))


class LecturerChoices(forms.ModelMultipleChoiceField):
    """Ids from the query string: anything no database id could be is an invalid choice here,
    before the database is asked (SQLite overflows on 23 digits)."""

    def _check_values(self, value):
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)


class LetterForm(VietnameseKeys, forms.Form):
    """Read from the query string: the lecturers and the period."""

    keys = {"lecturers": "giang_vien", "date_from": "tu_ngay", "date_to": "den_ngay"}

    lecturers = LecturerChoices(
        label="Giảng viên",
        queryset=Lecturer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Hãy chọn ít nhất một giảng viên.",
            "invalid_choice": "Giảng viên đã chọn («%(value)s») không có trong danh sách của "
            "trung tâm; hãy chọn lại.",
        },
    )
    date_from = forms.DateField(
        label="Từ ngày",
        input_formats=DATE_INPUT_FORMATS,
        widget=date_input(),
        error_messages={
            "required": "Hãy nhập ngày bắt đầu, ví dụ 01/06/2026.",
            "invalid": date_invalid_message("01/06/2026"),
        },
    )
    date_to = forms.DateField(
        label="Đến ngày",
        input_formats=DATE_INPUT_FORMATS,
        widget=date_input(),
        error_messages={
            "required": "Hãy nhập ngày kết thúc, ví dụ 30/06/2026.",
            "invalid": date_invalid_message("30/06/2026"),
        },
    )

    def __init__(self, *args, lecturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lecturers"].queryset = lecturers
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Xem lịch giảng"))

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to:
            refusal = period_refusal(date_from, date_to)
            if refusal:
                # The from-today rule is about «Từ ngày»; the others about «Đến ngày».
                field = "date_from" if date_from < timezone.localdate() else "date_to"
                self.add_error(field, refusal)
        return cleaned

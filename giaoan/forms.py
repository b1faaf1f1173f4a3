"""Forms of the lesson plans: upload a version, review the latest one, the centre's setting."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from trungtam.document_files import (
    LESSON_PLAN_KINDS,
    DocumentRefused,
    document_kind,
    kinds_text,
    too_large,
)
from trungtam.forms import VietnameseKeys

from .plans import MAX_PLAN_BYTES

ACCEPT = ",".join(kind.extension for kind in LESSON_PLAN_KINDS)


class UploadForm(VietnameseKeys, forms.Form):
    keys = {"file": "file_giao_an", "lecturer": "giang_vien"}

    file = forms.FileField(
        label="File giáo án",
        help_text=(
            f"File {kinds_text(LESSON_PLAN_KINDS)}, tối đa {MAX_PLAN_BYTES // 1024 // 1024} MB."
        ),
        error_messages={
            "required": "Hãy chọn file giáo án (PDF, .docx hoặc .odt) để tải lên.",
            "empty": "File rỗng (0 byte). Hãy chọn lại đúng file giáo án.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    lecturer = forms.ModelChoiceField(
        label="Giảng viên",
        queryset=None,
        required=False,
        empty_label="(không ghi)",
        help_text="Giáo án của giảng viên nào (cán bộ trung tâm tải lên thay giảng viên).",
    )

    def __init__(self, *args, lecturers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = b""
        self.kind = None
        if lecturers is None:
            del self.fields["lecturer"]
        else:
            self.fields["lecturer"].queryset = lecturers
        self.helper = FormHelper()
        self.helper.attrs = {**self.helper.attrs, "enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", "Tải lên"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PLAN_BYTES:
            # Refused before reading it into memory.
            raise forms.ValidationError(too_large(upload.name, upload.size, MAX_PLAN_BYTES))
        content = upload.read()
        try:
            self.kind = document_kind(
                content, upload.name, kinds=LESSON_PLAN_KINDS, max_bytes=MAX_PLAN_BYTES
            )
        except DocumentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        self.content = content
        return upload


class ReviewForm(VietnameseKeys, forms.Form):
    keys = {"number": "phien_ban", "decision": "quyet_dinh", "comment": "y_kien"}
    APPROVE, RETURN = "duyet", "tra_lai"

    number = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[(APPROVE, "Duyệt giáo án"), (RETURN, "Trả lại để sửa")],
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn duyệt hoặc trả lại."},
    )
    comment = forms.CharField(
        label="Ý kiến",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Bắt buộc khi trả lại: giảng viên đọc ý kiến này để sửa giáo án.",
    )
    reusable = forms.BooleanField(
        label="Dùng cho các lớp sau (chuyên đề cùng tên, cùng chương trình)", required=False
    )

    def __init__(self, *args, reuse: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not reuse:
            del self.fields["reusable"]
        else:
            self.keys = {**self.keys, "reusable": "dung_lai"}
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Ghi ý kiến duyệt"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error(
                "comment",
                "Hãy ghi ý kiến góp ý khi trả lại giáo án, để giảng viên biết cần sửa gì.",
            )
        return data


class SettingsForm(VietnameseKeys, forms.Form):
    keys = {"reuse_approved": "dung_lai_giao_an"}

    reuse_approved = forms.BooleanField(
        label="Dùng lại giáo án đã duyệt cho các lớp sau",
        required=False,
        help_text=(
            "Khi bật, lãnh đạo có thể đánh dấu một giáo án đã duyệt «dùng cho các lớp sau»: "
            "chuyên đề cùng tên của các lớp sau thuộc cùng chương trình được tính là đã có "
            "giáo án duyệt."
        ),
    )

    def __init__(self, *args, editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        if editable:
            self.helper.add_input(Submit("submit", "Lưu cài đặt"))
        else:
            self.fields["reuse_approved"].disabled = True
            self.helper.form_tag = False

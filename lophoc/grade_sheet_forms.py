"""Form of the offline grade sheet: the upload (the preview's choices are read in the view)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from lophoc.grade_sheet import (
    ACCEPTED_EXTENSIONS,
    MAX_FILE_BYTES,
    GradeSheetUnreadable,
    read_grade_sheet,
)
from lophoc.nominee_import.reading import too_large


class GradeSheetUploadForm(forms.Form):
    file = forms.FileField(
        label="File bảng điểm",
        help_text=(
            "File Excel (.xlsx) đã tải về từ trang này và nhập điểm, tối đa "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Chưa ghi gì cho đến khi bạn xem trước và bấm "
            "xác nhận."
        ),
        error_messages={
            "required": "Hãy chọn file bảng điểm (.xlsx) để tải lên.",
            "empty": "File rỗng (0 byte). Hãy chọn lại đúng file bảng điểm.",
            "invalid": "Không nhận được file; hãy chọn lại file rồi bấm tải lên.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.content = b""
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("submit", "Tải lên và xem trước"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"{too_large(upload.size, MAX_FILE_BYTES, name)} Bảng điểm của một lớp chỉ nặng "
                "vài chục KB: hãy tải bảng điểm mới của lớp và nhập điểm vào đó."
            )
        content = upload.read()
        try:
            read_grade_sheet(content, name)
        except GradeSheetUnreadable as error:
            raise forms.ValidationError(str(error)) from None
        self.content = content
        return upload

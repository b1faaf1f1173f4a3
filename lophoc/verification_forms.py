"""The check page's second form (issue 18): a PDF someone received, to see whether it is signed
and issued here. The file is checked like every upload before anything reads it as a PDF."""

from crispy_forms.helper import FormHelper
from django import forms

from trungtam.document_files import (
    MAX_DOCUMENT_BYTES,
    PDF,
    DocumentRefused,
    document_kind,
    megabytes,
)
from trungtam.forms import VietnameseKeys


class SignedPdfForm(VietnameseKeys, forms.Form):
    keys = {"file": "tep"}

    file = forms.FileField(
        label="Tệp PDF đã ký số",
        help_text=(
            "Giấy chứng nhận, thông báo kết quả hoặc báo cáo bạn nhận được dưới dạng PDF, tối đa "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB. Tệp chỉ được kiểm tra, không được lưu lại."
        ),
        error_messages={
            "required": "Hãy chọn tệp PDF cần kiểm tra.",
            "empty": "Tệp rỗng (0 byte). Hãy chọn lại đúng tệp PDF.",
            "invalid": "Không nhận được tệp; hãy chọn lại tệp rồi bấm «Kiểm tra tệp».",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's form, with its button
        self.helper.disable_csrf = True  # see lophoc.views.verification

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        if upload.size and upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(
                f"Tệp «{name}» quá lớn ({megabytes(upload.size)} MB); chỉ nhận tệp PDF đến "
                f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MB."
            )
        content = upload.read()
        if content and not content.startswith(b"%PDF-"):
            raise forms.ValidationError(
                f"Tệp «{name}» không phải tệp PDF nên không kiểm tra được chữ ký số. Hãy chọn "
                "đúng tệp PDF bạn nhận được (thường có đuôi .pdf)."
            )
        try:
            document_kind(content, name, kinds=(PDF,))
        except DocumentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        self.content = content
        return upload

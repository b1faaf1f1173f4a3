"""Forms of the nominee import: the upload, and the choices made on the preview."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from lophoc.nominee_import import MAX_FILE_BYTES, parse_nominee_file
from lophoc.nominee_import.reading import too_large

ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls")


class NomineeUploadForm(forms.Form):
    file = forms.FileField(
        label="File danh sách học viên",
        help_text=(
            "File Excel (.xlsx hoặc .xls) theo mẫu, tối đa "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Chưa ghi gì cho đến khi bạn xem trước và "
            "bấm xác nhận."
        ),
        error_messages={
            "required": "Hãy chọn file danh sách học viên (.xlsx hoặc .xls) để tải lên.",
            "empty": "File rỗng (0 byte). Hãy chọn lại đúng file danh sách học viên.",
            "invalid": "Không nhận được file; hãy chọn lại file rồi bấm tải lên.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.content: bytes = b""
        self.parsed = None
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("submit", "Tải lên và xem trước"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(ACCEPTED_EXTENSIONS):
            hint = (
                " File CSV cần mở bằng Excel rồi lưu thành kiểu .xlsx."
                if name.lower().endswith((".csv", ".txt"))
                else ""
            )
            raise forms.ValidationError(
                f"«{name}» không phải file Excel. Hãy chọn file .xlsx hoặc .xls.{hint}"
            )
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"{too_large(upload.size, MAX_FILE_BYTES, name)} Hãy bỏ bớt trang tính, hình ảnh "
                "hoặc chia danh sách thành nhiều file."
            )
        self.content = upload.read()
        parsed = parse_nominee_file(self.content, name)
        if parsed.fatal and parsed.kind == "":
            # Not a workbook at all: say so next to the field. Other problems go to the preview.
            raise forms.ValidationError(str(parsed.problems[0]))
        self.parsed = parsed
        return upload


def confirmed_matches(data) -> dict[int, int]:
    """{row number: trainee id} from the preview's «đây là cùng một người» choices."""
    confirmed = {}
    for key, value in data.items():
        if not key.startswith("cung_nguoi_"):
            continue
        number = key.removeprefix("cung_nguoi_")
        if number.isdigit() and str(value).isdigit():
            confirmed[int(number)] = int(value)
    return confirmed

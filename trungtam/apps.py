import functools

from django.apps import AppConfig

# Django's Vietnamese catalogue words these badly ("… nhỏ hơn hoặc bằng với 100 ." with a stray
# space, "kí tự" beside the product's "ký tự", "Nhập một số tổng thể." for a whole number); the
# product's own messages say what to type, in one spelling, with «…» around quoted values.
FORM_FIELD_MESSAGES = {
    "IntegerField": {"invalid": "Hãy nhập một số nguyên, ví dụ 12."},
    "DecimalField": {"invalid": "Hãy nhập một số, ví dụ 7,5."},
    "FloatField": {"invalid": "Hãy nhập một số, ví dụ 7,5."},
    "DateField": {"invalid": "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 17/05/2026."},
    "TimeField": {"invalid": "Hãy nhập giờ theo dạng giờ:phút, ví dụ 07:30."},
    "DateTimeField": {"invalid": "Hãy nhập ngày giờ theo dạng ngày/tháng/năm giờ:phút."},
    "ChoiceField": {"invalid_choice": "«%(value)s» không có trong danh sách; hãy chọn lại."},
    "MultipleChoiceField": {
        "invalid_choice": "«%(value)s» không có trong danh sách; hãy chọn lại.",
        "invalid_list": "Hãy chọn trong danh sách.",
    },
    "ModelChoiceField": {"invalid_choice": "Lựa chọn này không có trong danh sách; hãy chọn lại."},
    "ModelMultipleChoiceField": {
        "invalid_list": "Hãy chọn trong danh sách.",
        "invalid_choice": "«%(value)s» không có trong danh sách; hãy chọn lại.",
        "invalid_pk_value": "«%(pk)s» không phải giá trị hợp lệ.",
    },
    "FileField": {
        "invalid": "Không nhận được file: hãy chọn lại file rồi gửi.",
        "missing": "Không nhận được file: hãy chọn lại file rồi gửi.",
        "empty": "File gửi lên không có nội dung.",
        "max_length": "Tên file dài tối đa %(max)d ký tự (tên này có %(length)d ký tự).",
        "contradiction": "Hoặc chọn file mới, hoặc đánh dấu xóa file cũ, không làm cả hai.",
    },
}

# Model fields' own checks (full_clean() in the services): Django leaves most untranslated.
MODEL_FIELD_MESSAGES = {
    "Field": {"invalid_choice": "«%(value)s» không có trong danh sách; hãy chọn lại."},
    "IntegerField": {"invalid": "«%(value)s» không phải số nguyên."},
    "DecimalField": {"invalid": "«%(value)s» không phải một số."},
    "FloatField": {"invalid": "«%(value)s» không phải một số."},
    "BooleanField": {"invalid": "«%(value)s» phải là Có hoặc Không."},
    "DateField": {
        "invalid": "«%(value)s» không phải một ngày hợp lệ.",
        "invalid_date": "«%(value)s» không phải một ngày có thật.",
    },
}


def _vietnamese_validation_messages() -> None:
    from django import forms
    from django.core import validators
    from django.db import models

    validators.MaxValueValidator.message = "Giá trị phải nhỏ hơn hoặc bằng %(limit_value)s."
    validators.MinValueValidator.message = "Giá trị phải lớn hơn hoặc bằng %(limit_value)s."
    validators.StepValueValidator.message = "Giá trị phải là bội số của %(limit_value)s."
    validators.MaxLengthValidator.message = (
        "Tối đa %(limit_value)d ký tự (đang có %(show_value)d ký tự)."
    )
    validators.MinLengthValidator.message = (
        "Cần ít nhất %(limit_value)d ký tự (đang có %(show_value)d ký tự)."
    )
    validators.DecimalValidator.messages = {
        "invalid": "Hãy nhập một số, ví dụ 7,5.",
        "max_digits": "Tối đa %(max)s chữ số.",
        "max_decimal_places": "Tối đa %(max)s chữ số sau dấu phẩy.",
        "max_whole_digits": "Tối đa %(max)s chữ số trước dấu phẩy.",
    }
    validators.EmailValidator.message = "Hãy nhập một địa chỉ email hợp lệ, ví dụ ten@donvi.vn."
    # Form fields copy these when they are made (tests/trungtam/test_vietnamese_messages.py reads
    # every form of the product back).
    for name, messages in FORM_FIELD_MESSAGES.items():
        field_class = getattr(forms, name)
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}
    for name, messages in MODEL_FIELD_MESSAGES.items():
        field_class = getattr(models, name)
        field_class.default_error_messages = {**field_class.default_error_messages, **messages}


def _forms_without_browser_validation() -> None:
    """Every crispy form tag says novalidate: the server's Vietnamese message shows beside the
    field instead of the browser's English bubble ("Please select an item in the list.")."""
    from crispy_forms.helper import FormHelper

    if getattr(FormHelper.__init__, "novalidate", False):
        return
    init = FormHelper.__init__

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.attrs = {"novalidate": True, **self.attrs}

    __init__.novalidate = True
    FormHelper.__init__ = __init__


class TrungtamConfig(AppConfig):
    name = "trungtam"
    verbose_name = "Trung tâm và người dùng"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Here rather than in ready(): the admin's ready() runs first and its autodiscovery makes
        # the admin forms' fields, which copy the messages as they stand.
        _vietnamese_validation_messages()

    def ready(self):
        from django.core import validators
        from django.forms import formsets

        from trungtam import checks  # noqa: F401  (registers the deployment checks)

        # Django's Vietnamese translation lacks these; the product speaks only Vietnamese.
        validators.ProhibitNullCharactersValidator.message = (
            "Có ký tự rỗng (NUL) không hợp lệ, thường do chép từ phần mềm khác; hãy xóa rồi gõ lại."
        )
        formsets.BaseFormSet.default_error_messages = {
            **formsets.BaseFormSet.default_error_messages,
            "missing_management_form": (
                "Biểu mẫu thiếu dữ liệu quản lý (trang đã cũ hoặc bị sửa): hãy tải lại trang rồi "
                "nhập lại."
            ),
            "too_many_forms": "Chỉ được gửi tối đa %(num)d dòng; hãy tải lại trang rồi nhập lại.",
            "too_few_forms": "Cần gửi ít nhất %(num)d dòng; hãy tải lại trang rồi nhập lại.",
        }
        _forms_without_browser_validation()

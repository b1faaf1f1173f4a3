from django.apps import AppConfig


class TrungtamConfig(AppConfig):
    name = "trungtam"
    verbose_name = "Trung tâm và người dùng"

    def ready(self):
        from django.core import validators
        from django.forms import formsets

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

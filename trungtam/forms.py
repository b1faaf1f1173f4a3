from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

# One spelling of dates for people, in every date field, hint and message: ngày/tháng/năm.
DATE_HINT = "ngày/tháng/năm"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_INPUT_ATTRS = {"placeholder": DATE_HINT, "inputmode": "numeric", "autocomplete": "off"}


def add_refusal(form: forms.Form, error: forms.ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def date_input() -> forms.DateInput:
    """A text box typed as ngày/tháng/năm (never type="date", whose picker follows the browser's
    language and shows mm/dd/yyyy in an English browser)."""
    return forms.DateInput(format="%d/%m/%Y", attrs=DATE_INPUT_ATTRS)


def date_invalid_message(example: str, what: str = "ngày") -> str:
    return f"Hãy nhập {what} theo dạng {DATE_HINT}, ví dụ {example}."


class VietnameseKeys:
    """Form mixin: fields are named in English in code and sent under the Vietnamese keys people
    see in addresses and bookmark (``?don_vi=…``, ``ly_do=…``). ``keys`` maps field name → key;
    the HTML name, the element id (``id_<key>``) and the data read back all use the key, while
    ``cleaned_data``, ``add_error`` and ``form[...]`` use the English field name."""

    keys: dict[str, str] = {}

    def add_prefix(self, field_name):
        return super().add_prefix(self.keys.get(field_name, field_name))


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa "
        "và chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên của trung tâm.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Đăng nhập", css_class="w-100"))

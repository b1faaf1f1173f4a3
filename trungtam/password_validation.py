"""Django's password validators with Vietnamese messages (settings AUTH_PASSWORD_VALIDATORS).

Django's vi translation lacks some of these texts (the minimum length one shows in English), so
every message and help text is written here. The similarity check also compares without
diacritics and looks at the full name: «nguyenvanan» is too close to «Nguyễn Văn An».
"""

import re
from difflib import SequenceMatcher

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import FieldDoesNotExist, ValidationError

from trungtam.text import fold


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self):
        return "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự."

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")

    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity=0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password, user=None):
        if not user:
            return
        typed = {password.lower(), fold(password)}
        for attribute_name in self.user_attributes:
            value = getattr(user, attribute_name, None)
            if not value or not isinstance(value, str):
                continue
            parts = set()
            for variant in (value.lower(), fold(value)):
                parts.update(re.split(r"\W+", variant))
                parts.add(variant)
                parts.add(variant.replace(" ", ""))  # «nguyenvanan» for «Nguyễn Văn An»
            for part in parts - {""}:
                if any(self._too_similar(candidate, part) for candidate in typed):
                    raise ValidationError(
                        self.get_error_message(),
                        code="password_too_similar",
                        params={"verbose_name": self._label(user, attribute_name)},
                    )

    def _too_similar(self, password: str, part: str) -> bool:
        if django_validation.exceeds_maximum_length_ratio(password, self.max_similarity, part):
            return False
        return SequenceMatcher(a=password, b=part).quick_ratio() >= self.max_similarity

    @staticmethod
    def _label(user, attribute_name: str) -> str:
        try:
            label = str(user._meta.get_field(attribute_name).verbose_name)
        except FieldDoesNotExist:
            return attribute_name
        return label[:1].lower() + label[1:]

    def get_error_message(self):
        return "Mật khẩu quá giống %(verbose_name)s của bạn; hãy chọn mật khẩu khác hẳn."

    def get_help_text(self):
        return "Mật khẩu không được giống tên đăng nhập, họ và tên hay địa chỉ email của bạn."


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self):
        return "Mật khẩu này quá phổ biến, dễ bị đoán ra; hãy chọn mật khẩu khác."

    def get_help_text(self):
        return "Mật khẩu không được là một mật khẩu phổ biến (như 12345678, password)."


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self):
        return "Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái."

    def get_help_text(self):
        return "Mật khẩu không được chỉ gồm chữ số."

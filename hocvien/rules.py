"""The rules of a person's record (name, date of birth), written once: the trainee model's own
validation, the forms that create or correct a record by hand and the nominee import all use them
(DESIGN §5, §9). Plain functions without models, so the models can use them too.

Each problem is a phrase that completes a sentence naming the place: «Họ và tên … có chữ số»,
«Dòng 7, cột "Ngày sinh": "01/01/2099" không được ở tương lai».
"""

import datetime
import unicodedata

NAME_MAX_LENGTH = 100  # Trainee.full_name and Lecturer.full_name (PersonNameMixin)
MIN_AGE, MAX_AGE = 15, 100
# Besides letters (any script, with their marks) and spaces, a name may hold these: "H'Hen",
# "Nguyễn Thị Thu-Hà", "Y. Ngông".
_NAME_PUNCTUATION = "'’-."
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Co", "Cs", "Cn")


def hidden_character(text: str) -> str | None:
    """The first control/format character in `text`, as U+XXXX; None if none."""
    for ch in text:
        if unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            return f"U+{ord(ch):04X}"
    return None


def hidden_character_message(code: str) -> str:
    return (
        f"có ký tự ẩn không in được (mã {code}, thường do chép từ phần mềm khác); hãy xóa và gõ lại"
    )


def name_problem(name: str) -> str | None:
    """What is wrong with a person's full name (already whitespace-normalised), or None.

    The message completes a sentence that names the place: «Họ và tên … có chữ số».
    """
    if not name:
        return "chưa ghi họ và tên"
    hidden = hidden_character(name)
    if hidden:
        return hidden_character_message(hidden)
    if any(ch.isdigit() for ch in name):
        return "có chữ số; hãy chỉ ghi họ và tên"
    odd = next(
        (
            ch
            for ch in name
            if not (ch.isalpha() or ch == " " or ch in _NAME_PUNCTUATION)
            and not unicodedata.category(ch).startswith("M")
        ),
        None,
    )
    if odd is not None:
        return f"có ký tự «{odd}» không dùng trong họ tên; hãy chỉ ghi chữ cái"
    if len(name) > NAME_MAX_LENGTH:
        return f"dài quá {NAME_MAX_LENGTH} ký tự (đang có {len(name)} ký tự)"
    return None


def tidy_name(name: str) -> str:
    """A name typed all in capitals or all in small letters, written as a name: "NGUYỄN VĂN AN"
    → "Nguyễn Văn An"; a name typed with its own capitals is kept."""
    if name.isupper() or name.islower():
        return name.title()
    return name


def birth_date_problem(day: datetime.date, today: datetime.date) -> str | None:
    """What is wrong with a trainee's date of birth, or None (the same rule as the import)."""
    if day > today:
        return "không được ở tương lai"
    age = (today - day).days // 365
    if not MIN_AGE <= age <= MAX_AGE:
        return f"cho tuổi {age}: tuổi học viên phải từ {MIN_AGE} đến {MAX_AGE}; hãy kiểm tra lại"
    return None

"""Vietnamese, consistently (issue 14, item 14): every form of the product is read back.

Two sweeps. The first takes every form class of the product's apps and formats every message
its fields can give (their own and their validators', with sample values), their labels and
help texts. The second opens every page of the permission matrix that a staff member, an admin
or a lecturer gets, checks that every form on it is `novalidate` (the browser's own bubble is
English: "Please select an item in the list."), then posts the page's forms back filled with
wrong values (too long, too big, not a date, not in the list) and reads the answer.

What must never show: a stray space before a full stop ("… bằng với 100 ."), "kí tự" (the
product writes "ký tự"), Django's English ("This field", "Ensure", "Enter a", "Please"),
quotation marks other than «…», and a date hint other than ngày/tháng/năm.
"""

import importlib
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.core import validators
from django.urls import reverse
from django.utils import translation

from tests.permission_matrix import TABLE, clients, module_world, url_names
from trungtam.forms import DATE_HINT

APPS = ("trungtam", "hocvien", "giangvien", "lophoc")
BAD_PATTERNS = {
    "a space before the full stop": re.compile(r"\w \.(\s|$)"),
    "«kí tự» (the product writes «ký tự»)": re.compile(r"\bkí tự"),
    "Django's English": re.compile(
        r"\b(Please|This field|Ensure|Enter a|Select a valid|is not a valid|is required)\b"
    ),
    "quotation marks other than «…»": re.compile(r"[“”„]"),
    "a date hint other than ngày/tháng/năm": re.compile(r"dd/mm/yyyy|mm/dd/yyyy", re.IGNORECASE),
}
# Straight quotes around a name or a value in running text (messages, hints); attributes and
# typed values are not text. The one exception is the row-and-column line of the importers and
# the plan table, `Dòng 7, cột "Ngày sinh": "31/02/1990" …`, an automation contract (DESIGN §9)
# that scripts read from the commands' stderr: it keeps its straight quotes everywhere.
STRAIGHT_QUOTES = re.compile(r'"[^"]+"')
CONTRACT_LINE = re.compile(r'cột "[^"]+"')
SAMPLE_PARAMS = {
    "limit_value": 100,
    "show_value": 120,
    "value": "abc",
    "max": 4,
    "length": 120,
    "num": 2,
    "pk": "abc",
    "offset": 0,
    "valid_value1": 1,
    "valid_value2": 2,
}


def problems_in(text: str) -> list[str]:
    return [name for name, pattern in BAD_PATTERNS.items() if pattern.search(text)]


# --- every form class -------------------------------------------------------------------------


def product_form_classes() -> list[type[forms.BaseForm]]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in module.name and ".demo" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    found = {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith(APPS)}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def field_texts(form_field: forms.Field) -> dict[str, str]:
    """Every message a field can give, formatted as the form would, with its label and help."""
    raw = dict(form_field.error_messages)
    for validator in form_field.validators:
        if getattr(validator, "message", None):
            raw[type(validator).__name__] = validator.message
        for code, message in getattr(validator, "messages", {}).items():
            raw[f"{type(validator).__name__}.{code}"] = message
    texts = {}
    for code, message in raw.items():
        text = str(message)
        try:
            text = text % SAMPLE_PARAMS
        except (TypeError, ValueError, KeyError):
            pass
        texts[code] = text
    texts["label"] = str(form_field.label or "")
    texts["help_text"] = str(form_field.help_text or "")
    return texts


def test_every_message_of_every_form_reads_well():
    classes = product_form_classes()
    assert len(classes) > 30, "the sweep should see every form of the product"
    found = []
    with translation.override("vi"):
        for cls in classes:
            for name, form_field in cls.base_fields.items():
                for code, text in field_texts(form_field).items():
                    for problem in problems_in(text):
                        found.append(
                            f"{cls.__module__}.{cls.__qualname__}.{name} [{code}] {problem}: {text}"
                        )
                    if code not in ("label", "help_text") and STRAIGHT_QUOTES.search(text):
                        found.append(
                            f"{cls.__module__}.{cls.__qualname__}.{name} [{code}] "
                            f"straight quotes: {text}"
                        )
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("validator", "value", "expected"),
    [
        (validators.MaxValueValidator(100), 120, "Giá trị phải nhỏ hơn hoặc bằng 100."),
        (validators.MinValueValidator(0), -1, "Giá trị phải lớn hơn hoặc bằng 0."),
        (validators.MaxLengthValidator(10), "x" * 12, "Tối đa 10 ký tự (đang có 12 ký tự)."),
        (validators.MinLengthValidator(3), "x", "Cần ít nhất 3 ký tự (đang có 1 ký tự)."),
    ],
)
def test_the_limits_read_as_the_product_writes(validator, value, expected):
    with translation.override("vi"), pytest.raises(validators.ValidationError) as caught:
        validator(value)
    assert caught.value.messages == [expected]


def test_form_fields_say_what_to_type():
    with translation.override("vi"):
        for form_field, value, expected in [
            (forms.IntegerField(), "abc", "Hãy nhập một số nguyên, ví dụ 12."),
            (forms.DecimalField(), "abc", "Hãy nhập một số, ví dụ 7,5."),
            (forms.DecimalField(max_value=10), "11", "Giá trị phải nhỏ hơn hoặc bằng 10."),
            (forms.ChoiceField(choices=[("a", "A")]), "b", "«b» không có trong danh sách"),
            (forms.CharField(max_length=5), "x" * 8, "Tối đa 5 ký tự (đang có 8 ký tự)."),
        ]:
            with pytest.raises(forms.ValidationError) as caught:
                form_field.clean(value)
            assert expected in caught.value.messages[0]


# --- every page -------------------------------------------------------------------------------

SKIPPED = re.compile(r"pdf|xlsx|download|document|feed|export|template|calibration|sample|logout")
PAGE_ROLES = ("staff", "admin", "lecturer")
# Controls the browser checks by itself unless the form says novalidate.
BROWSER_CHECKED = {"required", "min", "max", "pattern", "minlength"}
BROWSER_CHECKED_TYPES = {"number", "email", "url", "date", "time", "datetime-local"}


def pages() -> list[tuple[str, str]]:
    """(url name, role) for every HTML page one of PAGE_ROLES opens; each page once, as the
    first of them who gets it, plus the lecturer's own view of pages staff see too."""
    result = []
    for name in url_names():
        row = TABLE.get(name)
        if row is None or SKIPPED.search(name):
            continue
        answers = row.answers("get")
        roles = [role for role in PAGE_ROLES if answers[role] == "200"]
        if roles:
            result.append((name, roles[0]))
        if "lecturer" in roles[1:]:
            result.append((name, "lecturer"))
    return result


class Page(HTMLParser):
    """The forms of a page (their attributes and controls) and its visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.text: list[str] = []
        self.attribute_texts: list[str] = []
        self._form = None
        self._skip = 0
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("placeholder", "title", "aria-label"):
            if attrs.get(key):
                self.attribute_texts.append(attrs[key])
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "form":
            self._form = {"attrs": attrs, "controls": []}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            control = {"tag": tag, **attrs, "options": []}
            self._form["controls"].append(control)
            if tag == "select":
                self._select = control
            if tag == "textarea":
                self._textarea = control

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._skip:
            return
        if self._textarea is not None:
            return  # what was typed, not the page's words
        if data.strip():
            self.text.append(data.strip())


def read_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def browser_checked(control: dict) -> bool:
    if control["tag"] == "button":
        return False
    return bool(BROWSER_CHECKED & set(control)) or control.get("type") in BROWSER_CHECKED_TYPES


def wrong_values(form: dict) -> dict[str, str]:
    """Every field of a form filled with something the server must refuse, in Vietnamese."""
    data = {}
    for control in form["controls"]:
        name = control.get("name")
        kind = control.get("type", "text")
        if not name or control["tag"] == "button" or kind in ("submit", "button", "file"):
            continue
        if kind == "hidden":
            data[name] = control.get("value", "")
        elif kind in ("checkbox", "radio"):
            data[name] = control.get("value", "on")
        elif control["tag"] == "select":
            data[name] = "khong-co-trong-danh-sach"
        elif kind == "number" or control.get("inputmode") in ("numeric", "decimal"):
            placeholder = control.get("placeholder", "")
            data[name] = "31/02/2026" if placeholder == DATE_HINT else "1000000"
        elif control["tag"] == "textarea":
            data[name] = "x" * 20000
        else:
            data[name] = "x" * 600
    return data


def page_problems(html: str, where: str) -> list[str]:
    page = read_page(html)
    found = []
    for text in page.text + page.attribute_texts:
        found += [f"{where}: {problem}: {text[:200]}" for problem in problems_in(text)]
    for text in page.text:
        if STRAIGHT_QUOTES.search(text) and not CONTRACT_LINE.search(text):
            found.append(f"{where}: straight quotes (the product writes «…»): {text[:200]}")
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as world:
        world.extra["clients"] = clients(world)
        yield world


@pytest.mark.parametrize(("name", "role"), pages())
def test_every_page_and_its_answers_read_well(name, role, world, db):
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world)) + row.query
    client = world.extra["clients"][role]
    response = client.get(url)
    assert response.status_code == 200, (name, role)
    if not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    page = read_page(html)
    found = page_problems(html, f"GET {url} as {role}")
    for form in page.forms:
        checked = [c.get("name") for c in form["controls"] if browser_checked(c)]
        if checked and "novalidate" not in form["attrs"]:
            found.append(
                f"GET {url} as {role}: a form without novalidate has controls the browser "
                f"checks in English: {checked}"
            )
        for control in form["controls"]:
            placeholder = control.get("placeholder", "")
            if re.search(r"dd|yyyy|năm", placeholder) and placeholder != DATE_HINT:
                found.append(f"GET {url}: date placeholder «{placeholder}»")

    posted = [
        form
        for form in page.forms
        if form["attrs"].get("method", "get").lower() == "post"
        and form["attrs"].get("action", "") in ("", url)
        and "novalidate" in form["attrs"]
    ]
    for form in posted:
        answer = client.post(url, wrong_values(form))
        assert answer.status_code != 500, (name, role)
        if answer.status_code == 200 and answer["Content-Type"].startswith("text/html"):
            found += page_problems(answer.content.decode(), f"POST {url} as {role}")
    assert not found, "\n".join(found)

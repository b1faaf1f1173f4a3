"""What the property tests share: settings, nasty values, a database fingerprint, form discovery.

Hypothesis runs every example of a test inside the same pytest-django transaction, so each example
runs in a savepoint that is rolled back (`example()`), and "nothing written" is checked by comparing
a fingerprint of every table of the project's apps before and after (`fingerprint()`).
"""

import contextlib
import datetime
import hashlib
import unicodedata
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

# derandomize: the same examples on every run and machine, so CI never flakes on a new one. No
# shrinking: a failure is reported as found (shrinking a page round-trip can take minutes).
PROPERTY = settings(
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    max_examples=50,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
FEWER = settings(PROPERTY, max_examples=30)

# --- nasty values ------------------------------------------------------------------------------

HUGE = "Nguyễn Văn An " * 1500  # ~20 000 characters, a hundred times any field
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
MIXED_NAME = "Nguyễn " + unicodedata.normalize("NFD", "Thị Ánh") + " Tuyết"
FORMULAS = [
    '=HYPERLINK("http://vi-du.invalid/x","Bấm vào đây")',
    "=1+1",
    "+1",
    "-2",
    "@x",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
]
SPECIAL = [
    "",
    " ",
    "\u00a0",
    "\x00",
    "An\x00",
    "\x07\x1b[31m",
    "\x1f",
    "\u200b",
    "\ufeff",
    "\u202eiv ,ềyugN",
    "²",
    "٣٤",
    "٠٠١٢٠٣٠٠٤٥٦٧",  # a national ID in Arabic-Indic digits: str.isdigit() says yes
    "００１２０３００４５６７",  # and in full-width digits
    "0912 345 ６７８",
    "８,５",
    "NaN",
    "-0",
    "1e999",
    "Infinity",
    "9" * 400,
    "31/02/1990",
    "00/00/0000",
    "29/02/2023",
    "1900-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ settings.SECRET_KEY }}",
    "%(name)s",
    "../../etc/passwd",
    NFD_NAME,
    MIXED_NAME,
    "NGUYỄN VĂN AN",
    "Lệ",
    "Lê",
    HUGE,
    *FORMULAS,
]

nasty_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)

# A score cell as people fill it in: numbers with a dot or a comma, out of range, formulas, junk.
score_value = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=10, places=2).map(str),
    st.decimals(min_value=0, max_value=10, places=2).map(lambda d: str(d).replace(".", ",")),
    st.integers(min_value=-5, max_value=15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.sampled_from(["=1+1", '=HYPERLINK("http://x","9")', "=A1*2", "8,5", "10", "10,01", "-0"]),
    nasty_text,
)


# --- the database ------------------------------------------------------------------------------

PROJECT_APPS = ("trungtam", "hocvien", "giangvien", "lophoc")
# Written legitimately while a refusal is shown: failed verification look-ups (throttling).
# Not the data a refused file may change: look-up throttling, and the uploaded file itself waiting
# for confirmation (it lives beside the session; an upload refused later is simply replaced).
NOT_FINGERPRINTED = {"VerificationFailure", "PendingUpload"}
VOLATILE_FIELDS = {"last_login"}  # force_login writes it


def _statements() -> list[tuple[str, str]]:
    """(table, SELECT of every row) for the project's tables; plain SQL, run twice per example."""
    statements = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__ in NOT_FINGERPRINTED:
            continue
        table = model._meta.db_table
        columns = ", ".join(
            connection.ops.quote_name(f.column)
            for f in model._meta.concrete_fields
            if f.attname not in VOLATILE_FIELDS
        )
        pk = connection.ops.quote_name(model._meta.pk.column)
        statements.append(
            (table, f"SELECT {columns} FROM {connection.ops.quote_name(table)} ORDER BY {pk}")
        )
    return statements


def fingerprint() -> dict[str, str]:
    """{table: digest of every row} of the project's tables, history tables included."""
    global _STATEMENTS
    if _STATEMENTS is None:
        _STATEMENTS = _statements()
    digests = {}
    with connection.cursor() as cursor:
        for table, sql in _STATEMENTS:
            cursor.execute(sql)
            digest = hashlib.sha256(repr(cursor.fetchall()).encode("utf-8", "surrogatepass"))
            digests[table] = digest.hexdigest()
    return digests


_STATEMENTS = None


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before if before[table] != after[table])


@contextlib.contextmanager
def example():
    """Run one Hypothesis example in a savepoint that is always rolled back."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


# --- messages ----------------------------------------------------------------------------------


def is_vietnamese(text: str) -> bool:
    """Every message a person reads is Vietnamese: at least one Vietnamese letter with a mark."""
    return any(ch in VIETNAMESE_MARKED for ch in unicodedata.normalize("NFC", text.lower()))


VIETNAMESE_MARKED = set("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- forms as a browser sees them --------------------------------------------------------------


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},  # name → values the page offers (the current one first)
                "optional": set(),  # check boxes and radios: a browser may send nothing
                "submit": {},  # name → value of the submit buttons
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        fields = self._form["fields"]
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("input", "button") and name and kind == "submit":
            self._form["submit"].setdefault(name, attrs.get("value") or "")
        elif tag == "input" and name and kind not in ("button", "image", "file", "reset"):
            values = fields.setdefault(name, [])
            if kind in ("checkbox", "radio"):
                values.append(attrs.get("value") or "on")
                self._form["optional"].add(name)
            else:
                values.insert(0, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            if value is not None:
                if "selected" in attrs:
                    self._select.insert(0, value)
                else:
                    self._select.append(value)
        elif tag == "textarea" and name:
            self._textarea = fields.setdefault(name, [])
            self._textarea.append("")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[-1] += data.lstrip("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str) -> list[dict]:
    """Every POST form of a page: action, fields with the values the page offers, submits."""
    parser = _FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form["method"] == "post"]


def main_form(html: str, *, needs: str | None = None) -> dict:
    """The page's POST form with the most fields (the log-out form in the menu is not it)."""
    forms = [f for f in post_forms(html) if needs is None or needs in f["fields"]]
    assert forms, "no POST form on the page"
    return max(forms, key=lambda form: len(form["fields"]))


def form_data(form: dict):
    """POST data as a browser sends it, each value offered by the page or nasty.

    Every text field, select and text area is sent; a check box or radio may be missing; the
    first submit button is pressed.
    """
    strategies = {}
    for name, offered in form["fields"].items():
        if name == "csrfmiddlewaretoken":
            continue
        value = st.one_of(st.sampled_from(offered), nasty_text) if offered else nasty_text
        strategies[name] = st.one_of(value, st.none()) if name in form["optional"] else value
    pressed = dict(list(form["submit"].items())[:1])
    return st.fixed_dictionaries(strategies).map(
        lambda data: {**{k: v for k, v in data.items() if v is not None}, **pressed}
    )

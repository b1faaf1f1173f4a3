"""What every list page shares: pagination, whitelisted sorting, the year and ids it is given
(DESIGN §10). Query values are typed by hand too: whatever they hold, these give a valid value
or None, never an exception (a 500)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from trungtam.text import search_key

PER_PAGE = 25
# The years the app deals in (plans, classes, reports): the plan's database constraint too.
MIN_YEAR, MAX_YEAR = 2000, 2100
# Ids are positive 64-bit integers; longer digit strings overflow the database's integer.
MAX_ID_DIGITS = 18


def parse_year(value) -> int | None:
    """A year typed in a query (?nam=2026): an int between MIN_YEAR and MAX_YEAR, else None.

    "0", "10000", a 23-digit number, "-1", "2026abc" are None (a date cannot hold year 0 or
    10000, and the database cannot hold 23 digits).
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        return None
    year = int(text)
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def year_param(request: HttpRequest, default: int, name: str = "nam") -> int:
    """The year of ?nam=, or `default` when it is missing or no sensible year."""
    year = parse_year(request.GET.get(name))
    return default if year is None else year


def parse_id(value) -> int | None:
    """An id typed in a query (?trung_tam=3): a positive int the database can hold, else None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_ID_DIGITS:
        return None
    number = int(text)
    return number or None


def name_search(queryset: QuerySet, text: str) -> QuerySet:
    """The rows whose stored search key holds every word typed, in any order and folded the same
    way (lower case, no diacritics, đ as d): «nguyen an» and «Nguyễn Văn An» both find Nguyễn Văn
    An. Blank text keeps every row."""
    for word in search_key(text).split():
        queryset = queryset.filter(search_key__contains=word)
    return queryset


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE) -> Page:
    """The page named by ?trang= (out-of-range or junk values give the nearest valid page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("trang"))


def ordering(
    request: HttpRequest, allowed: dict[str, list[str]], default: str
) -> tuple[str, list[str]]:
    """The ?sap_xep= key chosen (a '-' prefix reverses it) and its order_by fields.

    `allowed` maps the public key to the fields, e.g. {"ma": ["code"], "ngay": ["start_date", "code"]}.
    Unknown keys fall back to `default`, so a crafted URL can never order by an arbitrary field.
    """
    key = request.GET.get("sap_xep", default)
    descending = key.startswith("-")
    fields = allowed.get(key.lstrip("-"))
    if fields is None:
        key, descending = default, default.startswith("-")
        fields = allowed[default.lstrip("-")]
    if descending:
        fields = [f[1:] if f.startswith("-") else f"-{f}" for f in fields]
    return key, fields

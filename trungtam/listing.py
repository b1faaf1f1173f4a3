"""What every list page shares: pagination and whitelisted sorting (DESIGN §10)."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 25


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

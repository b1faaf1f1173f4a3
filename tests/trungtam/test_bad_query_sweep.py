"""No 500s on hostile query values: every page without arguments and every admin list, each role.

The pages come from the URLconf (as in the permission matrix), the admin lists from
admin.site._registry, so a new page is swept without being listed here. Each page is first
opened with a harmless unknown parameter while recording which query keys the view reads; then
every key it read (plus the year, page and sort keys every list takes) gets each hostile value:
out-of-range numbers, junk, a NUL character, a 1.000-character search and a 5.000-character
string. Any answer but a 500 passes: the default list (200), a refusal (400), a redirect, 403 or
404. A value that changes the answer of the page (a 404 for an unknown centre) could hide what
the other keys do, so then each key is tried alone with that value.

SQLite stores NUL characters where PostgreSQL raises a DataError (a 500): the guard that refuses
them for every view is tested directly too (test_a_nul_is_refused_before_any_view_reads_it).
"""

import contextlib
import itertools
import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from tests import builders
from tests.permission_matrix import TABLE, module_world, url_names
from trungtam.listing import parse_id, parse_year
from trungtam.middleware import MAX_QUERY_VALUE_LENGTH, query_problem
from trungtam.models import Role

SWEPT_ROLES = ("anonymous", "lecturer", "official", "staff", "admin", "province", "province_admin")
# The roles that may open the admin; the others are sent to its login page.
ADMIN_ROLES = ("staff", "admin", "province_admin")

NUMBERS = ("0", "-1", "10000", "9" * 23)
LONG_SEARCH = " ".join(["nguyen van an"] * 80)[:MAX_QUERY_VALUE_LENGTH]  # long, still let through
# Values that reach the views: out-of-range numbers; "²", a digit to str.isdigit() but not to
# int(), so also a non-numeric id, year or page and an unknown sort key; a long search.
VALUES = (*NUMBERS, "²", LONG_SEARCH)
LIGHT_VALUES = ("9" * 23, "²")
# In the admin "-1" and "10000" go where "0" goes (Django's own int and date checks).
ADMIN_VALUES = ("0", "9" * 23, "²", LONG_SEARCH)
# Values the guard answers with 400 before any view (trungtam.middleware), checked once a page.
REFUSED = ("a\x00b", "x" * 5000)
# Keys every list page takes, read or not: year, page, sort; and a key no page knows.
LIST_KEYS = ("nam", "trang", "sap_xep")
UNKNOWN_KEY = "khong_co_bo_loc"


def bad(response) -> bool:
    return response.status_code >= 500


def status(response) -> str:
    """The status, with the exception behind a 500."""
    exc_info = getattr(response, "exc_info", None)
    if response.status_code >= 500 and exc_info:
        return f"{response.status_code} ({exc_info[0].__name__}: {str(exc_info[1])[:120]})"
    return str(response.status_code)


def consume(response) -> None:
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@contextlib.contextmanager
def keys_read():
    """Record the query keys read through QueryDict while the block runs."""
    seen: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "getlist", "__getitem__")}

    def wrap(name):
        original = originals[name]

        def recording(self, key, *args, **kwargs):
            if isinstance(self, QueryDict) and isinstance(key, str):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return recording

    contains = QueryDict.__contains__

    def recording_contains(self, key):
        if isinstance(key, str):
            seen.add(key)
        return contains(self, key)

    try:
        for name in originals:
            setattr(QueryDict, name, wrap(name))
        QueryDict.__contains__ = recording_contains
        yield seen
    finally:
        for name in originals:
            if name in QueryDict.__dict__:
                delattr(QueryDict, name)
        QueryDict.__contains__ = contains


class CountingClient(Client):
    """One client per role; counts what the sweep costs."""

    requests = 0

    def request(self, **request):
        CountingClient.requests += 1
        return super().request(**request)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as world:
        world.users["province_admin"] = builders.make_user(
            role=Role.ADMIN, centre=None, username="quantri_tinh"
        )
        clients = {}
        for role in SWEPT_ROLES:
            client = CountingClient(raise_request_exception=False)
            if world.users[role] is not None:
                client.force_login(world.users[role])
            clients[role] = client
        world.extra["clients"] = clients
        yield world
        print(f"\n{CountingClient.requests} requests swept")  # noqa: T201


def get(client, url: str, query: dict):
    response = client.get(url, query)
    consume(response)
    return response


def sweep(client, url, keys, plain_status, problems, label, *, full, values=VALUES, split=True):
    """Each hostile value in every key at once.

    `full`: every value, then the guard's 400 for a NUL and a 5.000-character value; with
    `split`, a value answered otherwise than the plain page (a 404 for an unknown centre), which
    may hide what the other keys do, is tried again on each half of the keys, down to the key
    that answers so. Otherwise only the two worst values, keys together.
    """

    def probe(keys, value):
        response = get(client, url, {key: value for key in keys})
        if bad(response):
            shown = keys[0] if len(keys) == 1 else f"{len(keys)} keys"
            problems.append(f"{label} {url} {shown}={value[:30]!r} → {status(response)}")
        elif full and split and response.status_code != plain_status and len(keys) > 1:
            half = len(keys) // 2
            probe(keys[:half], value)
            probe(keys[half:], value)

    keys = sorted(keys)
    for value in values if full else LIGHT_VALUES:
        probe(keys, value)
    if full:
        for value in REFUSED:
            response = get(client, url, {key: value for key in keys})
            if response.status_code != 400:
                problems.append(f"{label} {url} {value[:8]!r} → {status(response)}, not 400")


def widest(opened: dict[str, set]) -> str:
    """The role that reads the most keys (the last of equals: the roles that see most come last)."""
    return max(opened, key=lambda role: (len(opened[role]), SWEPT_ROLES.index(role)))


# --- pages of the app --------------------------------------------------------------------------


def page_names() -> list[str]:
    """Every named URL of the app that takes no argument (the lists, reports, forms)."""
    names = []
    for name in url_names():
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        names.append(name)
    return names


def object_page_names() -> list[str]:
    return [n for n in url_names() if n in TABLE and n not in page_names()]


def test_the_sweep_covers_the_lists():
    names = page_names()
    for expected in (
        "lophoc:course_list",
        "hocvien:trainee_list",
        "hocvien:unit_list",
        "giangvien:lecturer_list",
        "lophoc:certificate_register",
        "reports:plan_list",
        "reports:dashboard",
        "reports:yearly_list",
        "reports:hours",
    ):
        assert expected in names


def test_no_page_answers_500_to_hostile_query_values(world, db):
    """Each role opens each page; the role reading the most keys gets the full sweep, the
    others the two worst values (their own branches: scope, several centres, own classes)."""
    problems: list[str] = []
    for name in page_names():
        url = reverse(name)
        opened: dict[str, set] = {}
        for role in SWEPT_ROLES:
            with keys_read() as seen:
                first = get(world.extra["clients"][role], url, {UNKNOWN_KEY: "1"})
            if bad(first):
                problems.append(f"{role} {url}?{UNKNOWN_KEY}=1 → {status(first)}")
            elif first.status_code == 200:  # others are refused before reading anything
                opened[role] = (seen | set(LIST_KEYS) | {UNKNOWN_KEY}) - {"next"}
        full = widest(opened) if opened else None
        for role, keys in opened.items():
            client = world.extra["clients"][role]
            sweep(client, url, keys, 200, problems, role, full=role == full)
    assert not problems, "\n".join(problems)


def test_no_object_page_answers_500_to_the_keys_it_reads(world, db):
    """Pages of one object (a class, a trainee…) that read query keys get the same treatment."""
    problems: list[str] = []
    for name, role in itertools.product(object_page_names(), ("staff", "province_admin")):
        row = TABLE[name]
        if row.answers("get")["staff"] == "405":
            continue
        client = world.extra["clients"][role]
        url = reverse(name, kwargs=row.kwargs(world))
        with keys_read() as seen:
            first = get(client, url, {UNKNOWN_KEY: "1"})
        keys = seen - {UNKNOWN_KEY, "next"}
        if bad(first):
            problems.append(f"{role} {url} → {status(first)}")
        elif keys:
            sweep(client, url, keys, first.status_code, problems, role, full=role == "staff")
    assert not problems, "\n".join(problems)


# --- the admin ---------------------------------------------------------------------------------


def admin_request(user):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def changelist_keys(model_admin, user) -> list[str]:
    """The query keys a changelist takes: its filters, its date drill-down, search, page, sort."""
    changelist = model_admin.get_changelist_instance(admin_request(user))
    keys = {"q", "p", "o"}
    for spec in changelist.filter_specs:
        keys.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        keys.update(f"{field}__{part}" for part in ("year", "month", "day"))
    return sorted(keys)


def test_no_admin_list_answers_500_to_hostile_query_values(world, db):
    problems: list[str] = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        opened: dict[str, set] = {}
        for role in SWEPT_ROLES:
            client = world.extra["clients"][role]
            user = world.users[role]
            if role not in ADMIN_ROLES or not model_admin.has_view_permission(admin_request(user)):
                response = get(client, url, {"o": "9" * 23, "q": LONG_SEARCH})
                if response.status_code not in (302, 403):
                    problems.append(f"{role} {url} → {status(response)}, not refused")
                continue
            plain = get(client, url, {})
            if plain.status_code != 200:
                problems.append(f"{role} {url} → {status(plain)}")
                continue
            opened[role] = set(changelist_keys(model_admin, user))
        full = widest(opened) if opened else None
        for role, keys in opened.items():
            client = world.extra["clients"][role]
            label = f"{role} {opts.label}"
            sweep(
                client,
                url,
                keys,
                200,
                problems,
                label,
                full=role == full,
                values=ADMIN_VALUES,
                split=False,
            )
        if full:
            # Django answers most bad filter values with its "?e=1" page, so nearly every key
            # would hide the others: the number too large for any integer or date (the class
            # of the date drill-down's 500) goes in each key alone instead of halves. Then a
            # long search, an unknown filter, a sort on no column.
            alone = [{key: "9" * 23} for key in opened[full]]
            for query in (*alone, {"q": LONG_SEARCH}, {UNKNOWN_KEY: "1"}, {"o": "-1.x.²"}):
                response = get(world.extra["clients"][full], url, query)
                if bad(response):
                    problems.append(f"{full} {url} {query} → {status(response)}")
    assert not problems, "\n".join(problems)


def test_every_admin_history_page_opens(world, db):
    """The history of one object of each model, and its first recorded version (read-only)."""
    problems: list[str] = []
    opened = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for role in ("admin", "province_admin"):
            user = world.users[role]
            request = admin_request(user)
            if not model_admin.has_view_permission(request):
                continue
            obj = model_admin.get_queryset(request).order_by("pk").first()
            if obj is None:
                continue
            client = world.extra["clients"][role]
            prefix = f"admin:{opts.app_label}_{opts.model_name}"
            url = reverse(f"{prefix}_history", args=[obj.pk])
            response = client.get(url)
            opened += 1
            if response.status_code != 200:
                problems.append(f"{role} {url} → {status(response)}")
            history = getattr(obj, "history", None)
            record = history.order_by("history_id").first() if history is not None else None
            if record is not None:
                url = reverse(f"{prefix}_simple_history", args=[obj.pk, record.history_id])
                response = client.get(url)
                if response.status_code != 200:
                    problems.append(f"{role} {url} → {status(response)}")
            for junk in ("9" * 23, "abc"):
                response = client.get(reverse(f"{prefix}_history", args=[junk]))
                if bad(response):
                    problems.append(f"{role} history of {junk!r} → {status(response)}")
    assert opened > 20
    assert not problems, "\n".join(problems)


# --- the one place that reads a year or an id from a query ---------------------------------------


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2026", 2026),
        (" 2000 ", 2000),
        ("2100", 2100),
        ("1999", None),
        ("2101", None),
        ("0", None),
        ("-1", None),
        ("10000", None),
        ("9" * 23, None),
        ("²⁰²⁶", None),
        ("２０２６", None),  # full-width digits
        ("2026abc", None),
        ("", None),
        (None, None),
    ],
)
def test_a_year_in_a_query_is_a_sensible_year_or_none(value, year):
    assert parse_year(value) == year


@pytest.mark.parametrize(
    ("value", "number"),
    [("3", 3), ("0", None), ("-3", None), ("²", None), ("9" * 18, int("9" * 18)), ("9" * 19, None)],
)
def test_an_id_in_a_query_is_a_positive_int_the_database_holds_or_none(value, number):
    assert parse_id(value) == number


@pytest.mark.parametrize("value", ["0", "10000", "9" * 23])
def test_the_class_list_shows_this_year_for_a_year_out_of_range(world, db, value):
    response = world.extra["clients"]["staff"].get(reverse("lophoc:course_list"), {"nam": value})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year


def test_a_certificate_version_in_the_admin_reads_like_the_certificate(world, db):
    certificate = world.certificate
    record = certificate.history.order_by("history_id").first()
    url = reverse("admin:lophoc_certificate_simple_history", args=[certificate.pk, record.pk])
    response = world.extra["clients"]["admin"].get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert certificate.number in text
    assert "Ngày tạo" in text
    form = text.split('id="content-main"')[1].split("</form>")[0]
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", form)
    assert [tag for tag in inputs if "csrfmiddlewaretoken" not in tag] == []  # read, not edited


# --- the guard itself --------------------------------------------------------------------------


def query(string: str, path: str = "/lop/"):
    return RequestFactory().get(path + "?" + string)


def test_a_nul_is_refused_before_any_view_reads_it():
    assert query_problem(query("nam=2026&q=an")) is None
    assert "NUL" in query_problem(query("q=an%00"))
    assert "NUL" in query_problem(query("q%00=an"))
    assert "«unit__id__exact»" in query_problem(query("unit__id__exact=1%00"))
    assert "NUL" in query_problem(RequestFactory().get("/xac-thuc/ab%00cd/"))


def test_an_over_long_query_value_is_refused():
    assert query_problem(query(urlencode({"q": "a" * MAX_QUERY_VALUE_LENGTH}))) is None
    problem = query_problem(query(urlencode({"q": "a" * (MAX_QUERY_VALUE_LENGTH + 1)})))
    assert problem == "Giá trị của tham số «q» dài quá 1.000 ký tự."


@pytest.mark.parametrize("url", ["/lop/?q=an%00", "/quan-tri/lophoc/course/?status__exact=%00"])
def test_a_nul_in_the_query_gets_a_vietnamese_400_page(world, db, url):
    response = world.extra["clients"]["staff"].get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Yêu cầu không hợp lệ" in text
    assert "ký tự không được phép (ký tự NUL, %00)" in text
    assert response.has_header("Content-Security-Policy")


def test_a_long_search_gets_a_vietnamese_400_page(world, db):
    response = world.extra["clients"]["staff"].get(
        reverse("hocvien:trainee_list"), {"q": "x" * 5000}
    )
    assert response.status_code == 400
    assert "Giá trị của tham số «q» dài quá 1.000 ký tự." in response.content.decode()

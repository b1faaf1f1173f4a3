"""The permission matrix: every URL of the project, requested as every role (DESIGN §7).

The table of what each role gets on GET, the world the URLs are requested in and the roles are in
tests/permission_matrix.py. For every URL, GET changes nothing in the database; a role refused on
GET is refused the same way on POST (or as the row's `post` says) and its POST changes nothing; a
POST without CSRF token is refused (403). The Django admin (/quan-tri/) is checked separately at
the end.
"""

import logging

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from tests.permission_matrix import TABLE, clients, module_world, url_names
from trungtam.models import ExportLog

# --- helpers -----------------------------------------------------------------------------------

# Written on purpose by requests that only read: sessions, logged downloads of personal data
# (DESIGN §8b), failed certificate look-ups, login records.
NOT_FINGERPRINTED = {Session, ExportLog}
NOT_FINGERPRINTED_LABELS = {"lophoc.VerificationFailure"}
NOT_FINGERPRINTED_APPS = {"axes"}


def fingerprint() -> dict[str, list]:
    """Every row of every table the requests could change."""
    rows = {}
    for model in apps.get_models():
        if (
            model in NOT_FINGERPRINTED
            or model._meta.label in NOT_FINGERPRINTED_LABELS
            or model._meta.app_label in NOT_FINGERPRINTED_APPS
            or model._meta.proxy
        ):
            continue
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def answer(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login") + "?next="):
            return "login"
        return "302"
    return str(response.status_code)


def read(response) -> None:
    """Consume a streamed download: the test client closes it at the end (calling close() here
    would send request_finished, which closes the database connection mid-transaction)."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker) as world:
        # Signed in once for the module: the sessions outlive each test's savepoint.
        world.extra["clients"] = clients(world)
        world.extra["csrf_client"] = Client(enforce_csrf_checks=True)
        world.extra["csrf_client"].force_login(world.users["admin"])
        yield world


# --- the tests ---------------------------------------------------------------------------------


def test_the_table_names_only_existing_urls():
    stale = sorted(set(TABLE) - set(url_names()))
    assert not stale, f"TABLE names URLs that no longer exist; remove them: {stale}"


@pytest.mark.parametrize("name", url_names())
def test_every_url(name, world, db, caplog):
    if name not in TABLE:
        pytest.fail(
            f"The URL {name!r} is not in the permission matrix: add a Row for it to TABLE in "
            "tests/permission_matrix.py, with the answer each role must get (DESIGN §7).",
            pytrace=False,
        )
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world)) + row.query
    by_role = world.extra["clients"]
    csrf_client = world.extra["csrf_client"]
    problems = []

    before = fingerprint()
    for role, expected in row.answers("get").items():
        response = by_role[role].get(url)
        got = answer(response)
        read(response)
        if got != expected:
            problems.append(f"GET as {role}: expected {expected}, got {got}")
    changed = changed_tables(before, fingerprint())
    if changed:
        problems.append(f"GET changed the database: {changed}")

    for role, expected in row.post_answers().items():
        if expected == {"-"}:
            continue
        response = by_role[role].post(url, {})
        got = answer(response)
        read(response)
        if got not in expected:
            problems.append(f"POST as {role}: expected {' or '.join(sorted(expected))}, got {got}")

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = csrf_client.post(url, {})
    if response.status_code != 403 or not any(
        r.name == "django.security.csrf" for r in caplog.records
    ):
        problems.append(f"POST without CSRF token: expected 403, got {response.status_code}")
    changed = changed_tables(before, fingerprint())
    if changed:
        problems.append(f"a refused POST changed the database: {changed}")

    if problems:
        pytest.fail(f"{name} ({url}):\n  " + "\n  ".join(problems), pytrace=False)


# --- the Django admin --------------------------------------------------------------------------


def admin_pages() -> list[str]:
    """The admin's pages that take no object: its index and every model's list and add form."""
    names = ["admin:index"]
    from django.contrib import admin

    for model in admin.site._registry:
        opts = model._meta
        names.append(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return names


def test_the_admin_is_for_staff_and_admins_only(world, db):
    by_role = world.extra["clients"]
    login = reverse("admin:login")
    before = fingerprint()
    for name in admin_pages():
        url = reverse(name)
        for role in ("anonymous", "lecturer", "official"):
            response = by_role[role].get(url)
            assert response.status_code == 302, (name, role)
            assert response["Location"].startswith(login + "?next="), (name, role)
    for role in ("other_staff", "staff", "admin"):
        assert by_role[role].get(reverse("admin:index")).status_code == 200, role
    assert changed_tables(before, fingerprint()) == []

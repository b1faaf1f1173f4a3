"""The plans and reports are an app of their own (issue 15): the base app's migrations depend on
no app above it, a database that had the tables under the base app keeps them with their rows,
and the admin's old addresses lead to the new ones."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from trungtam.reports.models import AnnualPlan

LOWER_APPS = {"trungtam": {"lophoc", "reports", "hocvien", "giangvien"}}
LOWER_APPS |= {app: {"lophoc", "reports"} for app in ("hocvien", "giangvien")}


def test_lower_apps_migrations_depend_on_no_app_above():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    wrong = [
        (node, parent)
        for node in graph.nodes
        if node[0] in LOWER_APPS
        for parent in graph.node_map[node].parents
        if parent.key[0] in LOWER_APPS[node[0]]
    ]
    assert wrong == []
    # …and the reports app's first migration comes after lophoc's, whose programs it names.
    parents = {p.key[0] for p in graph.node_map[("reports", "0001_initial")].parents}
    assert {"lophoc", "trungtam"} <= parents


@pytest.mark.django_db(transaction=True)
def test_tables_the_base_app_had_are_taken_over_with_their_rows(centre):
    plan = AnnualPlan.objects.create(centre=centre, year=2026)
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    # As on a database migrated before issue 15: the tables are there, the app's migrations are
    # not, and the content types still carry the base app's label.
    executor.migrate([("reports", None)])
    ContentType.objects.filter(app_label="reports").update(app_label="trungtam")
    ContentType.objects.clear_cache()
    assert "trungtam_annualplan" in connection.introspection.table_names()

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert AnnualPlan.objects.get().pk == plan.pk
    ContentType.objects.clear_cache()
    labels = set(
        ContentType.objects.filter(model__in=["annualplan", "yearlyreport"]).values_list(
            "app_label", flat=True
        )
    )
    assert labels == {"reports"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/quan-tri/trungtam/annualplan/", "/quan-tri/reports/annualplan/"),
        ("/quan-tri/trungtam/yearlyreport/3/change/", "/quan-tri/reports/yearlyreport/3/change/"),
        (
            "/quan-tri/trungtam/plantarget/?plan__id__exact=2",
            "/quan-tri/reports/plantarget/?plan__id__exact=2",
        ),
        ("/quan-tri/trungtam/allcentresreport/", "/quan-tri/reports/allcentresreport/"),
    ],
)
def test_old_admin_addresses_lead_to_the_new_ones(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_the_admin_of_what_stayed_keeps_its_address(admin_client):
    assert admin_client.get("/quan-tri/trungtam/centre/").status_code == 200
    assert admin_client.get("/quan-tri/reports/annualplan/").status_code == 200

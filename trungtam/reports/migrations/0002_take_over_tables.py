"""The plan and report tables for trungtam.reports: kept as they are on a database that had them
under the base app (rows and all), created on one that never had them. Their content types move
to the new app label, so admin history and any permission keep pointing at them."""

from django.db import migrations

MODELS = [
    "annualplan",
    "plantarget",
    "yearlyreport",
    "allcentresreport",
    "historicalannualplan",
    "historicalplantarget",
    "historicalyearlyreport",
    "historicalallcentresreport",
]


def take_over(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name in MODELS:
        model = apps.get_model("reports", name)
        if model._meta.db_table not in existing:
            schema_editor.create_model(model)
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_type.objects.filter(app_label="reports").values_list("model", flat=True)
    )
    content_type.objects.filter(
        app_label="trungtam", model__in=[name for name in MODELS if name not in taken]
    ).update(app_label="reports")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # Backwards: the tables stay (they hold the plans and reports); the state goes with 0001.
    operations = [migrations.RunPython(take_over, migrations.RunPython.noop)]

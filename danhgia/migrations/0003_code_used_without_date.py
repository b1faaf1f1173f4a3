from django.db import migrations, models


def used_from_dates(apps, schema_editor):
    code = apps.get_model("danhgia", "EvaluationCode")
    code.objects.filter(used_on__isnull=False).update(used=True)


class Migration(migrations.Migration):
    """A code keeps that it was used, never the day: the day could pair it with an answer's date
    on a day with a single answer."""

    dependencies = [("danhgia", "0002_evaluation_tally")]

    operations = [
        migrations.AddField(
            model_name="evaluationcode",
            name="used",
            field=models.BooleanField(default=False, verbose_name="Đã dùng"),
        ),
        migrations.RunPython(used_from_dates, migrations.RunPython.noop),
        migrations.RemoveField(model_name="evaluationcode", name="used_on"),
    ]

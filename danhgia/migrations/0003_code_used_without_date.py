from django.db import migrations, models


def used_from_dates(apps, schema_editor):
    code = apps.get_model("danhgia", "EvaluationCode")
    code.objects.filter(used_on__isnull=False).update(used=True)


def dates_from_used(apps, schema_editor):
    """Going back: a used code gets a day again (its class's last day), so it stays used."""
    from django.db.models import OuterRef, Subquery

    code = apps.get_model("danhgia", "EvaluationCode")
    course = apps.get_model("lophoc", "Course")
    end = course.objects.filter(pk=OuterRef("course_id")).values("end_date")[:1]
    code.objects.filter(used=True).update(used_on=Subquery(end))


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
        migrations.RunPython(used_from_dates, dates_from_used),
        migrations.RemoveField(model_name="evaluationcode", name="used_on"),
    ]

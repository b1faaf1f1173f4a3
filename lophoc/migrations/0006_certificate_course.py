"""Certificates keep their class (the enrolment's), so the year's figures count them per class
from an index. Filled from the enrolment for the certificates already issued; made required in
0007."""

import django.db.models.deletion
from django.db import migrations, models


def fill_course(apps, schema_editor):
    Certificate = apps.get_model("lophoc", "Certificate")
    HistoricalCertificate = apps.get_model("lophoc", "HistoricalCertificate")
    Enrolment = apps.get_model("lophoc", "Enrolment")
    course_of = models.Subquery(
        Enrolment.objects.filter(pk=models.OuterRef("enrolment_id")).values("course_id")[:1]
    )
    Certificate.objects.update(course_id=course_of)
    HistoricalCertificate.objects.update(course_id=course_of)


class Migration(migrations.Migration):
    dependencies = [
        ("lophoc", "0005_certificate_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="lophoc.course",
                verbose_name="Lớp học",
            ),
        ),
        migrations.AddField(
            model_name="historicalcertificate",
            name="course",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="lophoc.course",
                verbose_name="Lớp học",
            ),
        ),
        migrations.RunPython(fill_course, migrations.RunPython.noop),
    ]

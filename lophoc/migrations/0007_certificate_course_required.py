"""The certificate's class is required from now on, with an index for counting per class."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lophoc", "0006_certificate_course"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="course",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="certificates",
                to="lophoc.course",
                verbose_name="Lớp học",
            ),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["course", "status"], name="certificate_course_status"),
        ),
    ]

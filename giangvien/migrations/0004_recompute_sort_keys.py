"""Recompute the stored sort keys: the given name is now compared whole (letters, then its tone)
before the middle and family names (issue 13, item 19)."""

from django.db import migrations

from trungtam.text import sort_key

BATCH = 1000


def recompute(apps, schema_editor):
    model = apps.get_model("giangvien", "Lecturer")
    changed = []
    for person in model.objects.only("id", "full_name", "sort_key").iterator(chunk_size=BATCH):
        key = sort_key(person.full_name or "")
        if key != person.sort_key:
            person.sort_key = key
            changed.append(person)
    model.objects.bulk_update(changed, ["sort_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("giangvien", "0003_verbose_names")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]

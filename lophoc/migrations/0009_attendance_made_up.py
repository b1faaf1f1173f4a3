"""One meaning of học bù: a made-up absence is recorded as attendance (DESIGN §8).

Entry, results and the demo used to store a made-up session as "absent + made up" while the
attendance sheet printed B only for "present + made up". Existing rows of the first form become
"present + made up"; the kind of the original absence is kept at the front of the note, since the
status no longer says it. A constraint then refuses the other form.
"""

from django.db import migrations, models

ABSENCE_LABELS = {"excused": "Vắng có phép", "unexcused": "Vắng không phép"}
NOTE_LENGTH = 200


def note_with_absence(label: str, note: str) -> str:
    if "học bù" in note.lower():
        text = f"{label}; {note}"
    elif note:
        text = f"{label}, đã học bù; {note}"
    else:
        text = f"{label}, đã học bù"
    return text[:NOTE_LENGTH]


def made_up_as_attendance(apps, schema_editor):
    Attendance = apps.get_model("lophoc", "Attendance")
    changed = []
    rows = Attendance.objects.filter(made_up=True).exclude(status="present")
    for record in rows.only("id", "status", "note").iterator(chunk_size=2000):
        record.note = note_with_absence(ABSENCE_LABELS.get(record.status, "Vắng"), record.note)
        record.status = "present"
        changed.append(record)
    Attendance.objects.bulk_update(changed, ["status", "note"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("lophoc", "0008_certificate_wording"),
    ]

    operations = [
        # Nothing to undo: "present + made up" was already allowed before.
        migrations.RunPython(made_up_as_attendance, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("made_up", False), ("status", "present"), _connector="OR"),
                name="attendance_made_up_is_present",
                violation_error_message=(
                    "Buổi đã học bù được ghi là có mặt: chọn «Có mặt» khi đánh dấu «Đã học bù»."
                ),
            ),
        ),
    ]

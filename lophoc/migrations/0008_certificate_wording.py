"""The certificate's sentence about the course becomes a per-program template (issue 13).

Certificates already issued get their salutation and sentence written from what they have: the
frozen class name and dates, the class's venue (or the centre's name), and the trainee's recorded
gender and Party membership. Reprints read these fields only, so they never change again.
"""

from django.db import migrations, models

import lophoc.models

BATCH = 500
WORDING_HELP = (
    "Câu ghi trên giấy chứng nhận sau tên học viên. Chỗ điền: {chuong_trinh}: tên chương trình; "
    "{lop}: tên lớp, đã bắt đầu bằng chữ «lớp»; {dia_diem}: địa điểm tổ chức lớp (hoặc tên trung "
    "tâm khi lớp chưa ghi địa điểm); {tu_ngay}: ngày khai giảng, dạng dd/mm/yyyy; {den_ngay}: "
    "ngày bế giảng, dạng dd/mm/yyyy. Để trống để dùng lời văn mặc định của chương trình."
)


def _class_phrase(name):
    """«Lớp bồi dưỡng …» → «lớp bồi dưỡng …»; a name without the word gets it in front."""
    name = " ".join((name or "").split())
    first, _, rest = name.partition(" ")
    if first.casefold() == "lớp":
        return f"lớp {rest}".strip()
    return f"lớp {name}" if name else "lớp"


def _salutation(trainee):
    if trainee.is_party_member:
        return "Đồng chí"
    return "Bà" if trainee.gender == "F" else "Ông"


def fill_frozen_wording(apps, schema_editor):
    Certificate = apps.get_model("lophoc", "Certificate")
    rows = (
        Certificate.objects.filter(completion_text="")
        .select_related("enrolment__trainee", "course", "centre")
        .order_by("pk")
    )
    batch = []
    for certificate in rows.iterator(chunk_size=BATCH):
        place = (certificate.course.venue or "").strip() or certificate.centre.name
        certificate.completion_text = (
            f"Đã hoàn thành {_class_phrase(certificate.course_name)} tổ chức tại {place} "
            f"từ ngày {certificate.course_start:%d/%m/%Y} "
            f"đến ngày {certificate.course_end:%d/%m/%Y}"
        )
        if not certificate.salutation:
            certificate.salutation = _salutation(certificate.enrolment.trainee)
        batch.append(certificate)
        if len(batch) >= BATCH:
            Certificate.objects.bulk_update(batch, ["completion_text", "salutation"])
            batch = []
    if batch:
        Certificate.objects.bulk_update(batch, ["completion_text", "salutation"])


def _wording_field():
    return models.CharField(
        blank=True,
        help_text=WORDING_HELP,
        max_length=500,
        validators=[lophoc.models.validate_certificate_wording],
        verbose_name="Lời văn chứng nhận trên giấy chứng nhận",
    )


def _salutation_field():
    return models.CharField(blank=True, max_length=20, verbose_name="Danh xưng")


def _completion_field():
    return models.CharField(blank=True, max_length=800, verbose_name="Lời văn chứng nhận")


class Migration(migrations.Migration):
    dependencies = [
        ("lophoc", "0007_certificate_course_required"),
    ]

    operations = [
        migrations.AddField("certificate", "completion_text", _completion_field()),
        migrations.AddField("certificate", "salutation", _salutation_field()),
        migrations.AddField("historicalcertificate", "completion_text", _completion_field()),
        migrations.AddField("historicalcertificate", "salutation", _salutation_field()),
        migrations.AddField("historicalprogram", "certificate_wording", _wording_field()),
        migrations.AddField("program", "certificate_wording", _wording_field()),
        migrations.RunPython(fill_frozen_wording, migrations.RunPython.noop),
    ]

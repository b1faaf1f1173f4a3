"""Uploading a lesson plan: the guards (nothing stored when refused), versions, the stored file."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from giaoan import forms as giaoan_forms
from giaoan.models import LessonPlan, LessonPlanVersion, PlanStatus
from tests.giaoan.helpers import (
    docx_bomb,
    docx_bytes,
    encrypted_pdf,
    exe_bytes,
    old_doc,
    pdf_bytes,
    stored_files,
)
from tests.guards import nothing_inflated


def post_file(client, topic, content, name):
    return client.post(
        reverse("giaoan:upload", args=[topic.pk]),
        {"file_giao_an": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (exe_bytes(), "giao-an.pdf", "không phải tài liệu được nhận"),
        (encrypted_pdf(), "giao-an.pdf", "mật khẩu"),
        (old_doc(), "giao-an.doc", "kiểu Word/Excel cũ"),
        (b"", "rong.pdf", "rỗng"),
    ],
)
def test_a_refused_file_stores_nothing_and_says_why(
    client, lecturer, teaching, content, name, words
):
    client.force_login(lecturer)
    before = stored_files()
    response = post_file(client, teaching["mine"], content, name)
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not LessonPlan.objects.exists()
    assert not LessonPlanVersion.objects.exists()
    assert stored_files() == before


def test_a_zip_bomb_is_refused_from_its_directory(client, lecturer, teaching):
    client.force_login(lecturer)
    before = stored_files()
    with nothing_inflated():
        response = post_file(client, teaching["mine"], docx_bomb(300), "giao-an.docx")
    assert "nén bất thường" in response.content.decode()
    assert not LessonPlanVersion.objects.exists()
    assert stored_files() == before


def test_an_oversized_file_is_refused_before_it_is_read(client, lecturer, teaching, monkeypatch):
    monkeypatch.setattr(giaoan_forms, "MAX_PLAN_BYTES", 1000)
    client.force_login(lecturer)
    before = stored_files()
    response = post_file(client, teaching["mine"], pdf_bytes() + b" " * 2000, "giao-an.pdf")
    assert "quá lớn" in response.content.decode()
    assert not LessonPlanVersion.objects.exists()
    assert stored_files() == before


def test_versions_are_kept_and_a_new_one_waits_again(client, lecturer, teaching, leader):
    client.force_login(lecturer)
    topic = teaching["mine"]
    first = pdf_bytes()
    response = post_file(client, topic, first, "Giáo án của Lê Thị Hồng.pdf")
    assert response.status_code == 302
    version = LessonPlanVersion.objects.get()
    assert version.number == 1
    assert version.size == len(first)
    assert version.sha256 == hashlib.sha256(first).hexdigest()
    assert version.kind == "pdf"
    assert version.lecturer == teaching["me"]
    assert "Hồng" not in version.file.name and "Ho" not in version.file.name.split("/")[-1][:3]
    assert version.file.name.startswith(f"giao-an/{version.plan_id}/v1-")
    plan = version.plan
    plan.status = PlanStatus.RETURNED
    plan.save()
    response = post_file(client, topic, docx_bytes(), "sua.docx")
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.latest_number == 2
    assert plan.status == PlanStatus.PENDING
    assert list(plan.versions.values_list("number", "kind")) == [(2, "docx"), (1, "pdf")]


def test_the_download_keeps_a_good_name_and_the_bytes(client, lecturer, teaching):
    client.force_login(lecturer)
    content = pdf_bytes()
    post_file(client, teaching["mine"], content, "x.pdf")
    version = LessonPlanVersion.objects.get()
    response = client.get(reverse("giaoan:download", args=[version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    code = teaching["course"].file_code
    assert f"{code}_giao-an_chuyen-de-1_phien-ban-1.pdf" in response["Content-Disposition"]


def test_staff_upload_on_a_lecturers_behalf(client, staff, teaching):
    client.force_login(staff)
    response = client.post(
        reverse("giaoan:upload", args=[teaching["theirs"].pk]),
        {
            "file_giao_an": SimpleUploadedFile("a.pdf", pdf_bytes()),
            "giang_vien": teaching["colleague"].pk,
        },
    )
    assert response.status_code == 302
    version = LessonPlanVersion.objects.get()
    assert version.uploaded_by == staff
    assert version.lecturer == teaching["colleague"]


def test_a_cancelled_class_takes_no_plan(client, staff, teaching):
    course = teaching["course"]
    course.status = "cancelled"
    course.save()
    client.force_login(staff)
    response = post_file(client, teaching["mine"], pdf_bytes(), "a.pdf")
    assert response.status_code == 302
    assert not LessonPlanVersion.objects.exists()

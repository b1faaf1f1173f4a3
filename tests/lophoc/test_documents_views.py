"""lophoc:course_document — downloads of the enrolment list and attendance sheet, per role."""

from io import BytesIO

import openpyxl
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests import builders
from tests.lophoc.document_helpers import make_documents_course
from tests.pdf_reading import pdf_pages
from trungtam.models import ExportLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents_course(centre):
    return make_documents_course(centre)


def url(course, document="enrolment", fmt="pdf"):
    return reverse("lophoc:course_document", args=[course.pk, document, fmt])


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_url_shape(documents_course):
    assert url(documents_course) == f"/lop/{documents_course.pk}/tai-lieu/enrolment.pdf"


def test_anonymous_is_sent_to_login(client, documents_course):
    response = client.get(url(documents_course))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    assert not ExportLog.objects.exists()


def test_other_centre_staff_get_404(client, other_staff, documents_course):
    client.force_login(other_staff)
    assert client.get(url(documents_course)).status_code == 404
    assert not ExportLog.objects.exists()


def test_official_gets_403(client, official, documents_course):
    client.force_login(official)
    assert client.get(url(documents_course)).status_code == 403
    assert not ExportLog.objects.exists()


def test_lecturer_of_the_class_gets_403_and_others_404(client, lecturer, documents_course):
    client.force_login(lecturer)
    assert client.get(url(documents_course)).status_code == 404
    builders.make_session(documents_course, lecturer=lecturer.lecturer)
    assert client.get(url(documents_course)).status_code == 403
    assert not ExportLog.objects.exists()


def test_staff_download_the_enrolment_list_pdf_and_it_is_logged(client, staff, documents_course):
    client.force_login(staff)
    response = client.get(url(documents_course))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="DVM-03-2026_danh-sach-hoc-vien.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    text = "\n".join(pdf_pages(content_of(response)))
    assert "DANH SÁCH HỌC VIÊN" in text and "Trần Văn An" in text
    log = ExportLog.objects.get()
    assert log.user == staff
    assert log.filename == "DVM-03-2026_danh-sach-hoc-vien.pdf"
    assert log.rows == 7
    assert log.centre == documents_course.centre
    assert "DVM-03/2026" in log.description


@pytest.mark.parametrize(
    "document,fmt,filename",
    [
        ("enrolment", "xlsx", "DVM-03-2026_danh-sach-hoc-vien.xlsx"),
        ("attendance", "pdf", "DVM-03-2026_bang-diem-danh.pdf"),
        ("attendance", "xlsx", "DVM-03-2026_bang-diem-danh.xlsx"),
    ],
)
def test_every_document_in_every_format(client, staff, documents_course, document, fmt, filename):
    client.force_login(staff)
    response = client.get(url(documents_course, document, fmt))
    assert response.status_code == 200
    assert f'filename="{filename}"' in response["Content-Disposition"]
    content = content_of(response)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(BytesIO(content)).active
        assert sheet["A5"].value in ("DANH SÁCH HỌC VIÊN", "BẢNG ĐIỂM DANH")
    else:
        assert "BẢNG ĐIỂM DANH" in pdf_pages(content)[0]
    assert ExportLog.objects.get().filename == filename


def test_admin_may_download_too(client, admin_user, documents_course):
    client.force_login(admin_user)
    assert client.get(url(documents_course, "attendance", "xlsx")).status_code == 200


def test_the_staff_maker_signs_the_list(client, staff, documents_course):
    staff.full_name = "Phan Thị Mỹ Linh"
    staff.save()
    client.force_login(staff)
    text = pdf_pages(content_of(client.get(url(documents_course))))[-1]
    assert "Phan Thị Mỹ Linh" in text


@pytest.mark.parametrize(
    "document,fmt", [("notices", "xlsx"), ("hocvien", "pdf"), ("enrolment", "docx")]
)
def test_unknown_documents_and_formats_are_404(client, staff, documents_course, document, fmt):
    client.force_login(staff)
    assert client.get(url(documents_course, document, fmt)).status_code == 404


def test_unknown_class_is_404(client, staff):
    client.force_login(staff)
    response = client.get(reverse("lophoc:course_document", args=[999999, "enrolment", "pdf"]))
    assert response.status_code == 404


def test_class_page_section_links_for_staff_only(documents_course):
    html = render_to_string(
        "lophoc/includes/course_documents.html",
        {"course": documents_course, "nav": {"manage": True}},
    )
    for document, fmt in [
        ("enrolment", "pdf"),
        ("enrolment", "xlsx"),
        ("attendance", "pdf"),
        ("attendance", "xlsx"),
    ]:
        assert f'href="{url(documents_course, document, fmt)}"' in html
    assert "Danh sách học viên" in html and "Bảng điểm danh" in html
    hidden = render_to_string(
        "lophoc/includes/course_documents.html",
        {"course": documents_course, "nav": {"manage": False}},
    )
    assert "tai-lieu" not in hidden

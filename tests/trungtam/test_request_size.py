"""Bodies above REQUEST_MAX_BODY_SIZE are refused (413) from their Content-Length, unread.

Found: a 60 MB upload was read in full (into a temporary file) before the form said it was too
large. Now trungtam.middleware answers from the declared size, before the CSRF check or a view
reads a byte; a 5 MB import (the largest upload the app takes) still goes through.
"""

import io
import random
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path, reverse

from lophoc.models import CourseStatus
from lophoc.nominee_import import MAX_FILE_BYTES
from tests import builders
from tests.lophoc.nominee_files import nominee, person_name, xlsx
from trungtam.middleware import declared_body_size

MB = 1024 * 1024
views_run: list[str] = []


def recording_view(request):
    views_run.append(request.method)
    return HttpResponse(request.META["CONTENT_LENGTH"])


# This module is also the URLconf of the tests that need a view of their own.
urlpatterns = [path("thu-tai-len/", recording_view), path("", include("trungtam.urls"))]


class UnreadableInput:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client: Client, url: str, size: int):
    return client.generic(
        "POST",
        url,
        b"x",
        content_type="multipart/form-data; boundary=ranh-gioi",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": UnreadableInput()},
    )


def test_the_limit_lets_the_largest_upload_and_its_form_through():
    assert settings.REQUEST_MAX_BODY_SIZE >= MAX_FILE_BYTES + 512 * 1024
    assert settings.REQUEST_MAX_BODY_SIZE >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@override_settings(ROOT_URLCONF=__name__)
def test_a_body_above_the_limit_gets_413_and_the_view_never_runs(db):
    views_run.clear()
    response = post_declaring(Client(), "/thu-tai-len/", 60 * MB)
    assert response.status_code == 413
    text = response.content.decode()
    assert "Dữ liệu gửi lên quá lớn" in text
    assert "Lần gửi này nặng 60,0 MB; hệ thống chỉ nhận đến 6 MB mỗi lần gửi" in text
    assert "chưa đọc và chưa lưu gì" in text
    assert response.has_header("Content-Security-Policy")
    assert views_run == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_body_at_the_limit_reaches_the_view(db):
    views_run.clear()
    body = b"x" * settings.REQUEST_MAX_BODY_SIZE
    response = Client().generic("PUT", "/thu-tai-len/", body)
    assert response.status_code == 200
    assert views_run == ["PUT"]
    assert response.content.decode() == str(settings.REQUEST_MAX_BODY_SIZE)


def test_an_import_of_60_mb_is_refused_before_the_csrf_check_reads_it(staff, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    url = reverse("lophoc:import_upload", args=[course.pk])
    response = post_declaring(client, url, 60 * MB)
    assert response.status_code == 413  # not 403: the CSRF check never read the body
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()


def test_a_60_mb_login_attempt_is_refused_unread(db):
    response = post_declaring(Client(), reverse("login"), 60 * MB)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("header", "size"), [(None, 0), ("", 0), ("abc", 0), ("-5", 0), ("1234", 1234)]
)
def test_a_missing_or_malformed_content_length_counts_as_django_reads_it(rf, header, size):
    request = rf.get("/")
    request.META.pop("CONTENT_LENGTH", None)
    if header is not None:
        request.META["CONTENT_LENGTH"] = header
    assert declared_body_size(request) == size


def padded_workbook(size: int) -> bytes:
    """A real nominee list of one person, padded to `size` bytes with an image-like member."""
    book = xlsx([nominee(1)])
    buffer = io.BytesIO(book)
    padding = size - len(book) - 200  # the member's headers in the zip
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/anh-bia.bin", random.Random(1).randbytes(padding))
    content = buffer.getvalue()
    assert size - 1024 < len(content) <= size
    return content


def test_a_5_mb_import_still_goes_through(staff, centre):
    course = builders.make_course(centre, status=CourseStatus.ENROLLING)
    content = padded_workbook(MAX_FILE_BYTES)
    client = Client()
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:import_upload", args=[course.pk]),
        {"file": SimpleUploadedFile("danh-sach.xlsx", content)},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("lophoc:import_preview", args=[course.pk])
    preview = client.get(response["Location"])
    assert person_name(1) in preview.content.decode()


def test_a_button_s_address_opened_directly_says_so_in_vietnamese(client, staff):
    """A POST-only address reloaded or bookmarked: a page, not the browser's blank 405."""
    from django.urls import reverse

    client.force_login(staff)
    response = client.get(reverse("tailieu:letter_send"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    text = response.content.decode()
    assert "Địa chỉ này chỉ dùng cho nút bấm" in text and "Không có gì được thay đổi" in text

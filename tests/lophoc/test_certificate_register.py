"""Sổ cấp giấy chứng nhận: the page, PDF and XLSX of a year, per role, logged, constant queries."""

from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from lophoc.certificates import certificate_void, certificates_issue
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import ExportLog

pytestmark = pytest.mark.django_db
PAGE = reverse("lophoc:certificate_register")


def issued(centre, staff, passing=2):
    course = closed_course(centre, passing=passing)
    return certificates_issue(
        course=course, user=staff, signer=make_leader(centre), issued_on=ISSUED_ON
    )


def test_page_lists_the_years_certificates_with_status(client, centre, staff):
    first, second = issued(centre, staff)
    certificate_void(certificate=second, user=staff, reason="In sai tên")
    client.force_login(staff)
    response = client.get(PAGE, {"nam": ISSUED_ON.year})
    assert response.status_code == 200
    assert first.number in response.text and first.full_name in response.text
    assert "Đã thu hồi: In sai tên" in response.text
    assert "Chưa cấp" in client.get(PAGE, {"nam": ISSUED_ON.year - 1}).text


def test_other_centres_certificates_are_not_listed(client, centre, staff, other_centre):
    other_staff = builders.make_user(centre=other_centre)
    (theirs,) = issued(other_centre, other_staff, passing=1)
    client.force_login(staff)
    assert theirs.full_name not in client.get(PAGE, {"nam": ISSUED_ON.year}).text


@pytest.mark.parametrize("role", ["official", "lecturer"])
def test_roles_without_the_right_get_403(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get(PAGE)["Location"].startswith(reverse("login"))


def test_downloads_read_back_and_are_logged(client, centre, staff):
    certificates = issued(centre, staff)
    client.force_login(staff)
    year = ISSUED_ON.year
    xlsx = client.get(reverse("lophoc:certificate_register_download", args=[year, "xlsx"]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    numbers = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert numbers == [c.number for c in certificates]
    pdf = client.get(reverse("lophoc:certificate_register_download", args=[year, "pdf"]))
    text = "".join(
        p.extract_text() for p in PdfReader(BytesIO(b"".join(pdf.streaming_content))).pages
    )
    assert "SỔ CẤP GIẤY CHỨNG NHẬN" in text and certificates[0].full_name in text
    assert ExportLog.objects.filter(user=staff).count() == 2
    bad = client.get(reverse("lophoc:certificate_register_download", args=[year, "doc"]))
    assert bad.status_code == 404


def test_page_queries_do_not_grow(client, centre, staff):
    client.force_login(staff)

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(PAGE, {"nam": ISSUED_ON.year})
        return len(queries)

    issued(centre, staff, passing=2)
    small = count()
    issued(centre, staff, passing=6)
    assert count() == small

"""The public certificate check (xac-thuc/): no login, shows only what it must, answers every
miss alike, and slows down guessing from one address."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc import verification
from lophoc.models import CertificateStatus, VerificationFailure
from lophoc.verification import new_verification_code
from tests import builders
from tests.lophoc.certificate_helpers import (
    checked_trainees_certificate,
)
from tests.lophoc.certificate_helpers import (
    make_checked_certificate as make_certificate,
)

NOT_FOUND = "Không tìm thấy giấy chứng nhận khớp số và mã đã nhập"
ADDRESS = "203.0.113.7"


@pytest.fixture
def certificate(course):
    return checked_trainees_certificate(course)


def check(client, number, code, address=ADDRESS):
    return client.get(reverse("verify"), {"so": number, "ma": code}, REMOTE_ADDR=address)


def open_qr(client, code, address=ADDRESS):
    return client.get(reverse("verify_code", args=[code]), REMOTE_ADDR=address)


def well_formed_code_other_than(code):
    while (other := new_verification_code()) == code:
        pass
    return other


# --- what it shows ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_opens_for_anyone(client):
    response = client.get(reverse("verify"))
    assert response.status_code == 200
    assert "Số giấy chứng nhận" in response.text and "Mã xác thực" in response.text
    assert "in ở góc dưới giấy chứng nhận" in response.text
    assert 'method="get"' in response.text
    assert "csrfmiddlewaretoken" not in response.text
    assert response["X-Robots-Tag"].startswith("noindex")
    assert not VerificationFailure.objects.exists()


@pytest.mark.django_db
def test_valid_certificate_by_number_and_code(client, certificate):
    # Typed from paper: spaces, lower case and a dash do not matter.
    code = certificate.verification_code
    response = check(client, " 12-gcn/ttct ", f"{code[:4].lower()}-{code[4:]}")
    assert response.status_code == 200
    assert response.templates[0].name == "lophoc/verify_result.html"
    text = response.text
    assert "Còn hiệu lực" in text
    assert "Trần Thị Ánh Nguyệt" in text
    assert certificate.course_name in text and certificate.course_code in text
    assert certificate.program_name in text
    assert "10/03/2026" in text
    assert certificate.centre.name in text
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Cache-Control"] == "no-store"
    assert not VerificationFailure.objects.exists()


@pytest.mark.django_db
def test_qr_link_opens_the_certificate(client, certificate):
    response = open_qr(client, certificate.verification_code)
    assert response.status_code == 200
    assert "Còn hiệu lực" in response.text and "Trần Thị Ánh Nguyệt" in response.text
    assert response["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_qr_link_is_the_one_printed(certificate, settings):
    settings.PUBLIC_BASE_URL = "https://ttct.example.vn"
    url = verification.verification_url(certificate.verification_code)
    assert url == f"https://ttct.example.vn/xac-thuc/{certificate.verification_code}/"


@pytest.mark.django_db
def test_voided_and_replaced_certificates_say_so(client, certificate, course):
    certificate.status = CertificateStatus.VOIDED
    certificate.void_reason = "Cấp nhầm"
    certificate.voided_at = timezone.now()
    certificate.save()
    response = open_qr(client, certificate.verification_code)
    assert "Đã thu hồi" in response.text and "Còn hiệu lực" not in response.text
    assert "Cấp nhầm" not in response.text  # the reason is internal

    old = make_certificate(builders.make_enrolment(course), 13, status=CertificateStatus.REPLACED)
    new = make_certificate(old.enrolment, 14, replaces=old, reissue_reason="Sai ngày sinh")
    response = open_qr(client, old.verification_code)
    assert "Đã được cấp lại" in response.text and "Còn hiệu lực" not in response.text
    assert new.number not in response.text and "Sai ngày sinh" not in response.text
    response = check(client, new.number, new.verification_code)
    assert "Còn hiệu lực" in response.text


@pytest.mark.django_db
def test_shows_nothing_else(client, certificate):
    text = open_qr(client, certificate.verification_code).text
    for hidden in (
        "23/11/1987",
        "1987-11-23",
        "001187009876",
        "Đảng ủy phường Phú Lợi",
        "8,7",
        "8.7",
        "Giỏi",
        "Nguyễn Văn Giám",
        certificate.register_number,
        certificate.number,
        certificate.verification_code,
        f'"{certificate.pk}"',
        f"/{certificate.enrolment.trainee_id}/",
        f"/{certificate.enrolment_id}/",
    ):
        assert hidden not in text, hidden


# --- every miss answers alike ----------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_code_unknown_number_and_mismatch_answer_alike(client, certificate, course):
    other = make_certificate(builders.make_enrolment(course), 20)
    number = certificate.number
    wrong_code = check(client, number, well_formed_code_other_than(certificate.verification_code))
    mismatch = check(client, number, other.verification_code)  # a real code, another number
    malformed = check(client, number, "ABCD")
    unknown_number = check(client, "999-GCN/TTCT", certificate.verification_code)
    bodies = [wrong_code, mismatch, malformed]
    for response in [*bodies, unknown_number]:
        assert response.status_code == 200
        assert response.templates[0].name == "lophoc/verify.html"
        assert NOT_FOUND in response.text
        assert "Trần Thị Ánh Nguyệt" not in response.text
    # The typed number is kept so it can be corrected; the typed code is never written back.
    assert wrong_code.content == mismatch.content == malformed.content
    assert unknown_number.content.replace(b"999-GCN/TTCT", number.encode()) == wrong_code.content
    assert certificate.verification_code not in unknown_number.text
    assert other.verification_code not in mismatch.text
    assert VerificationFailure.objects.filter(address=ADDRESS).count() == 4


@pytest.mark.django_db
def test_qr_misses_answer_like_the_form(client, certificate):
    unknown = open_qr(client, well_formed_code_other_than(certificate.verification_code))
    malformed = open_qr(client, "KHONGCO")
    assert unknown.status_code == malformed.status_code == 200
    assert unknown.content == malformed.content
    assert NOT_FOUND in unknown.text


@pytest.mark.django_db
def test_a_malformed_code_is_not_looked_up(client, certificate):
    code = certificate.verification_code
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")  # the check character catches it
    with CaptureQueriesContext(connection) as queries:
        assert NOT_FOUND in check(client, certificate.number, typo).text
        assert NOT_FOUND in open_qr(client, "0O1IL000").text
    assert not any("lophoc_certificate" in query["sql"] for query in queries.captured_queries)
    assert VerificationFailure.objects.count() == 2


@pytest.mark.django_db
def test_an_empty_field_is_asked_for_not_counted(client, certificate):
    response = check(client, "", "")
    assert "Hãy nhập số giấy chứng nhận." in response.text
    assert "Hãy nhập mã xác thực." in response.text
    assert not VerificationFailure.objects.exists()


# --- guessing is slowed down -----------------------------------------------------------------


@pytest.mark.django_db
@override_settings(VERIFICATION_FAILURE_LIMIT=3)
def test_too_many_misses_from_one_address_are_refused(client, certificate):
    code = certificate.verification_code
    for _ in range(3):
        assert NOT_FOUND in check(client, "1-GCN/TTCT", code).text
    # Even the right pair is not confirmed while throttled, by the form or the QR link.
    with mock.patch.object(verification, "certificate_verify") as look_up:
        refused = check(client, certificate.number, code)
        refused_qr = open_qr(client, code)
    assert not look_up.called
    for response in (refused, refused_qr):
        assert response.status_code == 429
        assert "thử lại sau ít phút" in response.text
        assert "Trần Thị Ánh Nguyệt" not in response.text
    # Another address is not affected.
    response = check(client, certificate.number, code, address="198.51.100.4")
    assert response.status_code == 200 and "Còn hiệu lực" in response.text
    # The form itself still opens.
    assert client.get(reverse("verify"), REMOTE_ADDR=ADDRESS).status_code == 200


@pytest.mark.django_db
@override_settings(VERIFICATION_FAILURE_LIMIT=3)
def test_misses_older_than_the_window_do_not_count_and_are_purged(client, certificate):
    long_ago = timezone.now() - datetime.timedelta(days=2)
    recent_past = timezone.now() - datetime.timedelta(minutes=20)
    VerificationFailure.objects.bulk_create(
        [VerificationFailure(address=ADDRESS, created_at=long_ago) for _ in range(5)]
        + [VerificationFailure(address=ADDRESS, created_at=recent_past) for _ in range(5)]
    )
    response = check(client, certificate.number, certificate.verification_code)
    assert "Còn hiệu lực" in response.text
    check(client, "1-GCN/TTCT", certificate.verification_code)  # a miss purges day-old rows
    assert not VerificationFailure.objects.filter(created_at__lt=recent_past).exists()
    assert VerificationFailure.objects.count() == 6


@pytest.mark.django_db
def test_failures_are_kept_in_the_database_by_address(client, certificate):
    check(client, "1-GCN/TTCT", certificate.verification_code, address="192.0.2.9")
    assert VerificationFailure.objects.get().address == "192.0.2.9"


# --- methods ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_get_only(client, certificate):
    data = {"so": certificate.number, "ma": certificate.verification_code}
    assert client.post(reverse("verify"), data).status_code == 405
    assert (
        client.post(reverse("verify_code", args=[certificate.verification_code])).status_code == 405
    )

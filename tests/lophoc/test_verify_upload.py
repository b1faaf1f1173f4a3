"""The check page's second form (issue 18): a PDF uploaded by anyone says whether its signature
is valid, who signed and when, whether this installation issued it and, for a certificate, its
status — no more than the code check shows; misses count towards the address's limit."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lophoc.models import Certificate, CertificateStatus, VerificationFailure
from tests.lophoc.certificate_helpers import (
    checked_trainees_certificate,
)
from tests.signing.pki import small_pdf
from trungtam.models import SignedKind
from trungtam.signing.documents import deliver

ADDRESS = "198.51.100.23"


@pytest.fixture
def certificate(course):
    return checked_trainees_certificate(course)


@pytest.fixture
def certificate_pdf(certificate) -> bytes:
    """The certificate's document as the app builds it (built once here: small_pdf is not
    invariant, the app's certificate PDF is)."""
    return small_pdf([f"GIẤY CHỨNG NHẬN {certificate.number}", certificate.full_name])


@pytest.fixture
def signed_certificate(centre_key, certificate, certificate_pdf) -> bytes:
    """The signed copy deliver() keeps, as a download hands it out."""
    return deliver(
        kind=SignedKind.CERTIFICATE,
        ref=str(certificate.pk),
        centre=certificate.centre,
        original=certificate_pdf,
        reason="Cấp giấy chứng nhận",
        location="Phú Lợi",
    )


def upload(client, content: bytes, name="giay-chung-nhan.pdf", address=ADDRESS):
    return client.post(
        reverse("verify_pdf"),
        {"tep": SimpleUploadedFile(name, content, content_type="application/pdf")},
        REMOTE_ADDR=address,
    )


def tampered(signed: bytes) -> bytes:
    """One byte of the page's content stream changed: still a PDF, no longer what was signed."""
    at = signed.index(b"stream", signed.index(b"/Length")) + 20
    return signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]


@pytest.mark.django_db
def test_the_page_offers_the_upload_form(client):
    text = client.get(reverse("verify")).text
    assert 'action="/xac-thuc/tep/"' in text and 'enctype="multipart/form-data"' in text
    assert 'name="tep"' in text
    assert "Kiểm tra tệp PDF đã ký số" in text
    # One form around the file field and its button (no form nested by the form helper).
    section = text[text.index('id="kiem-tra-tep"') :]
    assert section.count("<form") == 1
    assert section.index('name="tep"') < section.index("Kiểm tra tệp</button>")
    assert section.index("Kiểm tra tệp</button>") < section.index("</form>")


@pytest.mark.django_db
def test_the_post_is_csrf_checked_with_the_token_from_the_cookie():
    """The page carries no token (every visitor gets the same bytes); it sets the cookie, and
    the form's script sends the cookie's token with the file."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("verify"))
    assert "csrfmiddlewaretoken" not in page.text
    assert 'data-csrf-cookie="csrftoken"' in page.text and "js/verify-upload.js" in page.text
    token = page.cookies["csrftoken"].value
    refused = upload(client, small_pdf())
    assert refused.status_code == 403
    answered = client.post(
        reverse("verify_pdf"),
        {"tep": SimpleUploadedFile("a.pdf", small_pdf()), "csrfmiddlewaretoken": token},
        REMOTE_ADDR=ADDRESS,
    )
    assert answered.status_code == 200
    assert "Tệp này không có chữ ký số" in answered.text


@pytest.mark.django_db
def test_pages_with_the_form_let_the_browser_send_its_origin(client, certificate):
    # Under "no-referrer" a browser sends "Origin: null" with the POST and the CSRF check
    # refuses it; "same-origin" still keeps the address (and a typed code) on the site.
    assert client.get(reverse("verify"))["Referrer-Policy"] == "same-origin"
    # The certificate's own page has no form and keeps "no-referrer".
    found = client.get(reverse("verify_code", args=[certificate.verification_code]))
    assert found["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_a_get_of_the_upload_address_leads_to_the_form(client):
    response = client.get(reverse("verify_pdf"))
    assert response.status_code == 302 and response["Location"] == reverse("verify")


@pytest.mark.django_db
def test_a_kept_signed_certificate_is_valid_and_issued_here(
    client, certificate, signed_certificate
):
    response = upload(client, signed_certificate)

    assert response.status_code == 200
    text = response.text
    assert "Chữ ký số hợp lệ" in text
    assert "Trung tâm Chính trị phường Phú Lợi" in text  # the signer, from the certificate
    assert "<strong>Có</strong> — Giấy chứng nhận của Trung tâm Chính trị phường Phú Lợi" in text
    assert "Còn hiệu lực" in text
    assert certificate.full_name in text and certificate.course_code in text
    assert response["Cache-Control"] == "no-store"
    assert not VerificationFailure.objects.exists()  # a document issued here is not a miss


@pytest.mark.django_db
def test_it_shows_no_more_than_the_code_check(client, certificate, signed_certificate):
    text = upload(client, signed_certificate).text
    for hidden in (
        "23/11/1987",
        "001187009876",
        "Đảng ủy phường Phú Lợi",
        "8,7",
        "Giỏi",
        "Nguyễn Văn Giám",
        certificate.register_number,
        certificate.verification_code,
    ):
        assert hidden not in text, hidden


@pytest.mark.django_db
def test_a_voided_certificate_says_so(client, certificate, signed_certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.VOIDED, void_reason="Cấp nhầm", voided_at=timezone.now()
    )
    text = upload(client, signed_certificate).text
    assert "Chữ ký số hợp lệ" in text
    assert "Đã thu hồi" in text and "đã hủy" in text
    assert "Còn hiệu lực" not in text
    assert "Cấp nhầm" not in text  # the reason is internal, as on the code check


@pytest.mark.django_db
def test_a_replaced_certificate_says_so(client, certificate, signed_certificate):
    Certificate.objects.filter(pk=certificate.pk).update(status=CertificateStatus.REPLACED)
    assert "Đã được cấp lại" in upload(client, signed_certificate).text


@pytest.mark.django_db
def test_a_tampered_copy_is_invalid_and_not_issued_here(client, signed_certificate):
    text = upload(client, tampered(signed_certificate)).text
    assert "Chữ ký số không hợp lệ" in text
    assert "Nội dung tệp đã bị thay đổi sau khi ký" in text
    assert "<strong>Không</strong>" in text
    assert "Còn hiệu lực" not in text
    assert VerificationFailure.objects.filter(address=ADDRESS).count() == 1


@pytest.mark.django_db
def test_an_unsigned_pdf_says_it_is_not_signed_and_how_to_check_it(client, certificate_pdf):
    """A genuine certificate printed before the centre signed anything is not a forgery: the
    page says the file cannot be checked as a file and points to the number and code."""
    text = upload(client, certificate_pdf).text
    assert "Tệp này không có chữ ký số" in text and "không có nghĩa là văn bản giả" in text
    assert "số giấy và mã xác thực" in text
    assert "Chữ ký số không hợp lệ" not in text and "alert-danger" not in text
    assert "Người ký" not in text and "Do trung tâm phát hành" not in text
    assert not VerificationFailure.objects.exists()  # nothing to guess in an unsigned file


@pytest.mark.django_db
def test_a_signer_the_centre_does_not_trust_is_named_but_not_valid(
    client, settings, signing_pki, signed_certificate
):
    # The installation now trusts another CA only (no PKCS#12 configured).
    settings.SIGNING = {"TRUST_ROOTS": [str(signing_pki.other_root_pem)]}
    text = upload(client, signed_certificate).text
    assert "Chữ ký số không hợp lệ" in text
    assert "Người ký không được tin cậy" in text
    assert "<strong>Có</strong>" in text  # still the very copy this installation kept


@pytest.mark.django_db
def test_a_signed_pdf_issued_elsewhere_is_valid_but_not_ours(client, centre_key):
    from trungtam.signing import sign_pdf

    signed = sign_pdf(small_pdf(["Văn bản khác"]), reason="Khác", location="Nơi khác")
    text = upload(client, signed).text
    assert "Chữ ký số hợp lệ" in text
    assert "<strong>Không</strong> — tệp không khớp" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "giay-chung-nhan.pdf"),
        (b"garbage that is no document", "bao-cao.pdf"),
        (b"%PDF-1.7\n1 0 obj <<>> endobj\n", "cat-do.pdf"),
    ],
)
def test_garbage_is_refused_in_vietnamese_on_the_page(client, content, name):
    response = upload(client, content, name)
    assert response.status_code == 200
    assert f"«{name}»" in response.text
    assert "không phải tệp PDF" in response.text or "bị hỏng" in response.text
    # Refused before any signature is checked: it costs nothing and reveals nothing.
    assert not VerificationFailure.objects.exists()


@pytest.mark.django_db
def test_no_file_is_asked_for_and_not_counted(client):
    response = client.post(reverse("verify_pdf"), {}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    assert "Hãy chọn tệp PDF cần kiểm tra." in response.text
    assert not VerificationFailure.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(client):
    content = small_pdf() + b"%" + b"x" * (5 * 1024 * 1024)
    response = upload(client, content)
    assert response.status_code == 200
    assert "quá lớn" in response.text


@pytest.mark.django_db
@override_settings(VERIFICATION_FAILURE_LIMIT=2)
def test_uploads_not_issued_here_are_throttled_with_the_code_misses(
    client, certificate, signed_certificate
):
    from trungtam.signing import sign_pdf

    upload(client, small_pdf())  # unsigned: not counted
    upload(client, sign_pdf(small_pdf(["Văn bản khác"]), reason="Khác", location="Nơi khác"))
    client.get(reverse("verify"), {"so": "1-GCN/TTCT", "ma": "ABCDEFGH"}, REMOTE_ADDR=ADDRESS)

    response = upload(client, signed_certificate)
    assert response.status_code == 429
    assert "Còn hiệu lực" not in response.text  # even a right file is not confirmed now
    # Another address is not affected.
    assert upload(client, signed_certificate, address="198.51.100.99").status_code == 200


@pytest.mark.django_db
def test_the_check_page_still_answers_with_the_key_configured_elsewhere(
    client, settings, signing_pki, certificate, signed_certificate
):
    """The copy keeps verifying once the key is gone, given the CA root as a trust root."""
    settings.SIGNING = {"TRUST_ROOTS": [str(signing_pki.root_pem)]}
    assert "Chữ ký số hợp lệ" in upload(client, signed_certificate).text


@pytest.mark.django_db
def test_a_narrow_phone_gets_the_page_without_fixed_widths(client):
    text = client.get(reverse("verify")).text
    assert 'name="viewport"' in text
    assert "col-12" in text


@pytest.mark.django_db
def test_a_class_pdf_signed_before_a_certificate_was_voided_says_it_is_an_old_copy(
    client, certificate, centre_key
):
    course = certificate.course
    class_pdf = small_pdf(["GIẤY CHỨNG NHẬN CỦA LỚP", course.code])
    signed = deliver(
        kind=SignedKind.CLASS_CERTIFICATES,
        ref=str(course.pk),
        centre=course.centre,
        original=class_pdf,
        reason="Cấp giấy chứng nhận",
        location="Phú Lợi",
    )
    text = upload(client, signed).content.decode()
    assert "Chữ ký số hợp lệ" in text and "data-superseded" not in text
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.VOIDED,
        void_reason="Cấp nhầm",
        voided_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    text = upload(client, signed).content.decode()
    assert "data-superseded" in text and "Tệp này là bản cũ" in text

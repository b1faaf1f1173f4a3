"""Certificates signed digitally (issue 18): the class PDF, a single certificate, the register,
the copy signed elsewhere and brought back, `issue_certificates --sign`."""

from io import BytesIO

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from lophoc.certificate_signing import class_certificates_unsigned, valid_course_certificates
from lophoc.certificates import certificate_reissue, certificate_void, certificates_issue
from lophoc.documents.certificates import certificates_pdf, signature_box
from lophoc.management.commands.issue_certificates import Command
from lophoc.models import Certificate
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from tests.signing.pki import pkcs12_settings
from trungtam.models import SignedDocument, SignedKind, SignedSource
from trungtam.signing import sign_pdf, verify_pdf

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def issued_course(centre, staff, passing=2):
    leader = make_leader(centre)
    course = closed_course(centre, passing=passing)
    certificates_issue(course=course, user=staff, signer=leader, issued_on=ISSUED_ON)
    return course


def class_pdf_url(course, query=""):
    return reverse("lophoc:course_certificates_pdf", args=[course.pk]) + query


def notes(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def widget_rects(data: bytes, page: int = 0) -> list[list[float]]:
    annotations = PdfReader(BytesIO(data)).pages[page].get("/Annots") or []
    return [
        [float(v) for v in a.get_object()["/Rect"]]
        for a in annotations
        if a.get_object().get("/FT") == "/Sig"
    ]


def test_the_same_certificates_give_the_same_bytes(centre, staff):
    course = issued_course(centre, staff)
    valid = valid_course_certificates(course)
    assert certificates_pdf(valid) == certificates_pdf(valid_course_certificates(course))
    assert certificates_pdf(valid, mode="blank") == certificates_pdf(valid, mode="blank")


def test_without_a_key_the_class_pdf_is_unsigned_and_nothing_kept(client, centre, staff):
    course = issued_course(centre, staff)
    client.force_login(staff)
    data = body(client.get(class_pdf_url(course)))
    assert data == class_certificates_unsigned(valid_course_certificates(course))
    assert not verify_pdf(data).signed
    assert not SignedDocument.objects.exists()


def test_the_class_pdf_is_signed_once_and_reserved_byte_for_byte(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    client.force_login(staff)
    first = body(client.get(class_pdf_url(course)))
    result = verify_pdf(first)
    assert result.valid, result.problems
    assert "Phú Lợi" in result.signer
    assert result.covers_revision(class_certificates_unsigned(valid_course_certificates(course)))
    assert body(client.get(class_pdf_url(course))) == first
    kept = SignedDocument.objects.get()
    assert (kept.kind, kept.ref, kept.source) == (
        SignedKind.CLASS_CERTIFICATES,
        str(course.pk),
        SignedSource.SERVER,
    )
    # The visible box: the director's signing space of the first page, nowhere else.
    (rect,) = widget_rects(first)
    x1, y1, x2, y2 = signature_box(centre)
    assert abs(rect[0] - x1) <= 1 and abs(rect[3] - y2) <= 1
    assert widget_rects(first, page=1) == []


def test_a_reissue_gives_a_new_signed_copy(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    client.force_login(staff)
    before = body(client.get(class_pdf_url(course)))
    certificate = Certificate.objects.filter(course=course).first()
    certificate_reissue(
        certificate=certificate,
        user=staff,
        reason="Ghi sai ngày sinh",
        issued_on=ISSUED_ON,
        signer=make_leader(centre, full_name="Lê Văn Mới"),
    )
    after = body(client.get(class_pdf_url(course)))
    assert after != before and verify_pdf(after).valid
    assert SignedDocument.objects.filter(kind=SignedKind.CLASS_CERTIFICATES).count() == 2


def test_one_changed_byte_fails_verification(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    client.force_login(staff)
    signed = body(client.get(class_pdf_url(course)))
    at = signed.index(b"stream", signed.index(b"/Length")) + 20
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]
    result = verify_pdf(tampered)
    assert not result.valid and not result.intact


def test_an_expired_key_is_explained_without_an_error_page(
    client, centre, staff, settings, signing_pki
):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    course = issued_course(centre, staff)
    client.force_login(staff)
    response = client.get(class_pdf_url(course))
    assert response.status_code == 302 and response["Location"].endswith("#giay-chung-nhan")
    text = notes(response)
    assert "hết hạn" in text and "quản trị hệ thống" in text
    assert not SignedDocument.objects.exists()
    # The unsigned "bản để ký" still downloads, to sign on a leader's PC.
    to_sign = client.get(class_pdf_url(course, "?ban=de-ky"))
    assert to_sign.status_code == 200 and not verify_pdf(body(to_sign)).signed


def test_printing_on_blanks_is_never_signed(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    client.force_login(staff)
    data = body(client.get(class_pdf_url(course, "?in=phoi")))
    assert not verify_pdf(data).signed and not SignedDocument.objects.exists()


def test_a_single_certificate_from_the_register_is_signed(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    certificate = Certificate.objects.filter(course=course).first()
    client.force_login(staff)
    url = reverse("lophoc:certificate_pdf", args=[certificate.pk])
    first = client.get(url)
    assert first.status_code == 200
    data = body(first)
    assert verify_pdf(data).valid and len(PdfReader(BytesIO(data)).pages) == 1
    assert body(client.get(url)) == data
    kept = SignedDocument.objects.get()
    assert (kept.kind, kept.ref) == (SignedKind.CERTIFICATE, str(certificate.pk))


def test_a_voided_certificate_has_no_signed_download(client, centre, staff, centre_key):
    course = issued_course(centre, staff)
    certificate = Certificate.objects.filter(course=course).first()
    certificate_void(certificate=certificate, user=staff, reason="Cấp nhầm người")
    client.force_login(staff)
    response = client.get(reverse("lophoc:certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 302
    assert "đã bị thu hồi" in notes(response)
    assert not SignedDocument.objects.exists()


def test_the_register_marks_signed_certificates_with_a_fixed_query_count(
    client, centre, staff, centre_key
):
    course = issued_course(centre, staff, passing=3)
    client.force_login(staff)
    page = reverse("lophoc:certificate_register")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page, {"nam": ISSUED_ON.year})
        return len(queries), response

    unsigned_count, response = count()
    assert "Đã ký số" not in response.text
    body(client.get(class_pdf_url(course)))  # the class PDF, signed and kept
    one = Certificate.objects.filter(course=course).first()
    body(client.get(reverse("lophoc:certificate_pdf", args=[one.pk])))
    signed_count, response = count()
    assert signed_count == unsigned_count
    marks = [mark for _, _, mark in response.context["rows"]]
    assert sorted(marks) == ["certificate", "class", "class"]
    assert response.text.count("Đã ký số") == 3

    xlsx = client.get(
        reverse("lophoc:certificate_register_download", args=[ISSUED_ON.year, "xlsx"])
    )
    sheet = openpyxl.load_workbook(BytesIO(body(xlsx))).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Ký số" in cells and "Đã ký số (bản của lớp)" in cells and "Đã ký số" in cells


def test_a_certificate_voided_before_the_class_was_signed_is_not_marked(
    client, centre, staff, centre_key
):
    course = issued_course(centre, staff)
    voided = Certificate.objects.filter(course=course).first()
    certificate_void(certificate=voided, user=staff, reason="Cấp nhầm người")
    client.force_login(staff)
    body(client.get(class_pdf_url(course)))
    response = client.get(reverse("lophoc:certificate_register"), {"nam": ISSUED_ON.year})
    marks = {c.pk: mark for c, _, mark in response.context["rows"]}
    assert marks[voided.pk] == "" and sorted(marks.values()) == ["", "class"]


def test_the_register_pdf_is_signed_in_the_directors_space(client, centre, staff, centre_key):
    issued_course(centre, staff)
    client.force_login(staff)
    url = reverse("lophoc:certificate_register_download", args=[ISSUED_ON.year, "pdf"])
    data = body(client.get(url))
    assert verify_pdf(data).valid
    assert body(client.get(url)) == data
    kept = SignedDocument.objects.get()
    assert (kept.kind, kept.ref) == (
        SignedKind.CERTIFICATE_REGISTER,
        f"{centre.pk}:{ISSUED_ON.year}",
    )
    reader = PdfReader(BytesIO(data))
    (rect,) = widget_rects(data, page=len(reader.pages) - 1)
    # The director's column: the right-hand one of the two signers.
    assert (rect[0] + rect[2]) / 2 > float(reader.pages[-1].mediabox.width) / 2


# --- signed on a leader's PC, brought back ---


def upload(client, course, data: bytes, name="gcn-da-ky.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("lophoc:course_certificates_upload", args=[course.pk]),
        {"tep": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def signed_elsewhere(settings, signing_pki, original: bytes) -> bytes:
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    data = sign_pdf(original, reason="Ký trên máy lãnh đạo", location="Phú Lợi")
    # The server has no key; it trusts the CA the leader's certificate comes from.
    settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=[str(signing_pki.root_pem)])
    return data


def test_the_class_pdf_signed_elsewhere_is_kept_and_served(
    client, centre, staff, settings, signing_pki
):
    course = issued_course(centre, staff)
    client.force_login(staff)
    to_sign = body(client.get(class_pdf_url(course, "?ban=de-ky")))
    uploaded = signed_elsewhere(settings, signing_pki, to_sign)
    response = upload(client, course, uploaded)
    assert response.status_code == 302
    assert "Đã nhận bản giấy chứng nhận đã ký số" in notes(response)
    kept = SignedDocument.objects.get()
    assert kept.source == SignedSource.UPLOADED and bytes(kept.data) == uploaded
    assert body(client.get(class_pdf_url(course))) == uploaded
    page = client.get(reverse("lophoc:course_detail", args=[course.pk]))
    assert "ký trên máy lãnh đạo, tải lên" in page.text


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("unsigned", "chưa có chữ ký số"),
        ("other document", "không phải đúng văn bản phần mềm đã xuất"),
        ("untrusted", "không thuộc tổ chức cung cấp dịch vụ chứng thực"),
        ("not a pdf", "không phải tài liệu được nhận"),
    ],
)
def test_anything_else_is_refused_with_the_reason(
    client, centre, staff, settings, signing_pki, case, reason
):
    course = issued_course(centre, staff)
    other = issued_course(centre, staff)
    client.force_login(staff)
    to_sign = body(client.get(class_pdf_url(course, "?ban=de-ky")))
    other_pdf = body(client.get(class_pdf_url(other, "?ban=de-ky")))
    data = {
        "unsigned": lambda: to_sign,
        "other document": lambda: signed_elsewhere(settings, signing_pki, other_pdf),
        "untrusted": lambda: signed_elsewhere(settings, signing_pki, to_sign),
        "not a pdf": lambda: b"MZ\x90\x00 not a pdf",
    }[case]()
    if case == "untrusted":
        settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=[str(signing_pki.other_root_pem)])
    response = upload(client, course, data)
    assert response.status_code == 302
    text = notes(response)
    assert "Không nhận tệp đã ký" in text and reason in text
    assert not SignedDocument.objects.exists()


# --- manage.py issue_certificates --sign ---


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args) -> int:
    try:
        Command().run_from_argv(["manage.py", "issue_certificates", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_the_command_signs_the_class_pdf_and_each_certificate(
    centre, tmp_path, capsys, centre_key, keep_the_test_connection
):
    make_leader(centre)
    course = closed_course(centre, passing=2)
    target = tmp_path / "gcn.pdf"
    args = ["--course", course.code, "--date", "2026-04-10", "-o", str(target), "--sign"]
    assert run(*args) == 0
    out = capsys.readouterr().out
    assert "Đã ký số 3 tệp" in out
    assert verify_pdf(target.read_bytes()).valid
    assert SignedDocument.objects.filter(kind=SignedKind.CERTIFICATE).count() == 2
    assert SignedDocument.objects.filter(kind=SignedKind.CLASS_CERTIFICATES).count() == 1
    written = target.read_bytes()
    assert run(*args) == 0
    assert "Đã ký số 0 tệp" in capsys.readouterr().out and target.read_bytes() == written


def test_the_command_refuses_to_sign_without_a_usable_key_before_issuing(
    centre, tmp_path, capsys, settings, signing_pki, keep_the_test_connection
):
    make_leader(centre)
    course = closed_course(centre, passing=2)
    target = tmp_path / "gcn.pdf"
    args = ["--course", course.code, "--date", "2026-04-10", "-o", str(target), "--sign"]
    settings.SIGNING = pkcs12_settings("", PKCS12_PASSWORD="")
    assert run(*args) == 1
    assert "Không ký số được" in capsys.readouterr().err
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    assert run(*args) == 1
    assert "hết hạn" in capsys.readouterr().err
    assert not Certificate.objects.exists() and not target.exists()

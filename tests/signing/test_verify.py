"""verify_pdf: tampering, additions after signing, trust, and garbage that must not crash it."""

import os
from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from trungtam.signing import sha256, sign_pdf, verify_pdf
from trungtam.signing.verify import (
    CHANGED_AFTER,
    NOT_A_PDF,
    NOT_INTACT,
    NOT_SIGNED,
    NOT_TRUSTED,
    NOT_WHOLE_FILE,
)

from .pki import pkcs12_settings, small_pdf


@pytest.fixture
def signed_pdf(centre_key, unsigned_pdf):
    return sign_pdf(unsigned_pdf, reason="Cấp giấy chứng nhận", location="Phú Lợi")


def test_one_flipped_byte_inside_the_signed_range_breaks_it(signed_pdf, unsigned_pdf):
    # A byte of the first page's content stream: the file still parses, its digest changes.
    at = signed_pdf.index(b"stream", signed_pdf.index(b"/Length")) + 20
    tampered = signed_pdf[:at] + bytes([signed_pdf[at] ^ 0x01]) + signed_pdf[at + 1 :]

    result = verify_pdf(tampered)

    assert result.signed
    assert not result.intact and not result.valid
    assert NOT_INTACT in result.problems


def test_bytes_appended_after_signing_are_not_covered(signed_pdf):
    result = verify_pdf(signed_pdf + b"\n% ghi them sau khi ky\n")

    assert result.intact
    assert not result.covers_whole_file and not result.valid
    assert NOT_WHOLE_FILE in result.problems
    assert result.signed_revision == signed_pdf


def test_a_change_to_the_document_after_signing_breaks_the_signature(signed_pdf):
    # Any update but another signature, form filling or validation data is a change of the
    # document signed (pyHanko's difference analysis of the later revisions).
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root["/Lang"] = generic.pdf_string("vi-VN")
    writer.update_root()
    out = BytesIO()
    writer.write(out)

    result = verify_pdf(out.getvalue())

    assert not result.intact and not result.valid
    assert CHANGED_AFTER in result.problems
    assert sha256(result.signed_revision) == sha256(signed_pdf)


def test_a_signer_from_an_untrusted_ca_is_intact_but_not_trusted(signed_pdf, settings, signing_pki):
    settings.SIGNING = {"TRUST_ROOTS": [str(signing_pki.other_root_pem)]}

    result = verify_pdf(signed_pdf)

    assert result.intact and not result.trusted
    assert result.signer.startswith("Trung tâm Chính trị phường Phú Lợi")
    assert NOT_TRUSTED in result.problems


def test_the_trust_roots_setting_makes_it_trusted(signed_pdf, settings, signing_pki):
    settings.SIGNING = {"TRUST_ROOTS": [str(signing_pki.other_root_pem), str(signing_pki.root_pem)]}

    assert verify_pdf(signed_pdf).valid


def test_an_unsigned_pdf_is_reported_unsigned(centre_key, unsigned_pdf):
    result = verify_pdf(unsigned_pdf)

    assert not result.signed and not result.valid
    assert result.problems == [NOT_SIGNED]
    assert result.sha256 == sha256(unsigned_pdf)


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"hello",
        b"%PDF-1.7\n",
        b"%PDF-1.4\n" + os.urandom(4000),
        b"PK\x03\x04" + os.urandom(200),
    ],
    ids=["empty", "text", "header-only", "random-after-header", "zip"],
)
def test_garbage_gives_a_problem_not_an_exception(centre_key, garbage):
    result = verify_pdf(garbage)

    assert not result.signed and not result.valid
    assert result.problems == [NOT_A_PDF]


def test_a_truncated_signed_file_does_not_crash(signed_pdf):
    result = verify_pdf(signed_pdf[: len(signed_pdf) * 2 // 3])

    assert not result.valid
    assert result.problems


def test_a_damaged_signature_value_does_not_crash(signed_pdf):
    start = signed_pdf.index(b"/Contents <") + len(b"/Contents <")
    damaged = signed_pdf[:start] + b"00" * 40 + signed_pdf[start + 80 :]

    result = verify_pdf(damaged)

    assert result.signed and not result.intact and not result.valid
    assert result.problems


def test_the_built_document_is_recognised_in_a_copy_signed_elsewhere(settings, signing_pki):
    built = small_pdf(["THÔNG BÁO KẾT QUẢ HỌC TẬP"])
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    signed_elsewhere = sign_pdf(built, reason="Ký trên máy lãnh đạo", location="l")

    result = verify_pdf(signed_elsewhere)

    assert result.valid
    assert result.covers_revision(built)
    assert result.covers_revision(signed_elsewhere)
    assert not result.covers_revision(small_pdf(["THÔNG BÁO KHÁC"]))


def test_a_file_with_too_many_signatures_is_not_checked(signed_pdf, monkeypatch):
    from trungtam.signing import verify as verify_module

    monkeypatch.setattr(verify_module, "MAX_SIGNATURES", 1)
    twice = sign_pdf(signed_pdf, reason="Ký lần hai", location="Phú Lợi")
    result = verify_pdf(twice)
    assert result.signed and not result.valid and result.signatures == []
    assert verify_module.TOO_MANY in result.problems
    monkeypatch.setattr(verify_module, "MAX_SIGNATURES", 10)
    assert verify_pdf(twice).valid

"""Signed copies kept with their documents (trungtam/signing/documents.py)."""

import pytest

from tests import builders
from tests.signing.pki import pkcs12_settings, small_pdf
from trungtam.models import SignedDocument, SignedKind, SignedSource
from trungtam.signing import sign_pdf
from trungtam.signing.documents import (
    ExternalRefused,
    accept_external,
    deliver,
    identify,
    signed_copy,
    signed_refs,
)
from trungtam.signing.verify import sha256

pytestmark = pytest.mark.django_db

KIND = SignedKind.YEARLY_REPORT


def delivered(centre, original, **kwargs):
    return deliver(
        kind=KIND, ref=f"{centre.pk}:2026", centre=centre, original=original,
        reason="Báo cáo năm", location="Phú Lợi", **kwargs,
    )  # fmt: skip


def test_without_a_key_the_document_is_delivered_unsigned_and_nothing_kept():
    centre = builders.make_centre()
    original = small_pdf(["BÁO CÁO"])
    assert delivered(centre, original) == original
    assert not SignedDocument.objects.exists()


def test_a_document_is_signed_once_and_the_same_bytes_come_back_ever_after(centre_key):
    centre = builders.make_centre()
    original = small_pdf(["BÁO CÁO"])
    first = delivered(centre, original)
    assert first != original and first.startswith(original)
    assert delivered(centre, original) == first  # byte for byte, not signed again
    kept = SignedDocument.objects.get()
    assert (kept.original_sha256, kept.signed_sha256) == (sha256(original), sha256(first))
    assert kept.source == SignedSource.SERVER and "Phú Lợi" in kept.signer
    assert signed_copy(KIND, f"{centre.pk}:2026", original) == kept
    assert signed_refs(KIND, [f"{centre.pk}:2026", "0:2026"]) == {f"{centre.pk}:2026"}


def test_changed_content_is_a_new_document(centre_key):
    centre = builders.make_centre()
    delivered(centre, small_pdf(["BÁO CÁO"]))
    delivered(centre, small_pdf(["BÁO CÁO (bản sửa)"]))
    assert SignedDocument.objects.count() == 2


def test_a_copy_signed_elsewhere_is_kept_when_it_signs_exactly_the_document(settings, signing_pki):
    centre = builders.make_centre()
    original = small_pdf(["THÔNG BÁO KẾT QUẢ"])
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    signed_elsewhere = sign_pdf(original, reason="Ký trên máy lãnh đạo", location="Phú Lợi")
    settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=[str(signing_pki.root_pem)])

    kept = accept_external(
        kind=KIND, ref="7", centre=centre, original=original, uploaded=signed_elsewhere
    )

    assert kept.source == SignedSource.UPLOADED and bytes(kept.data) == signed_elsewhere
    assert delivered_again(centre, original) == signed_elsewhere


def delivered_again(centre, original):
    return deliver(kind=KIND, ref="7", centre=centre, original=original, reason="r", location="l")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unsigned", "chưa có chữ ký số"),
        ("other document", "không phải đúng văn bản phần mềm đã xuất"),
        ("tampered", "không hợp lệ"),
        ("untrusted", "không thuộc tổ chức cung cấp dịch vụ chứng thực"),
        ("garbage", "không phải PDF"),
    ],
)
def test_anything_else_is_refused_with_the_reason_and_nothing_kept(
    settings, signing_pki, case, message
):
    centre = builders.make_centre()
    original = small_pdf(["THÔNG BÁO KẾT QUẢ"])
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    signed = sign_pdf(original, reason="r", location="l")
    other = sign_pdf(small_pdf(["THÔNG BÁO KHÁC"]), reason="r", location="l")
    roots = [] if case == "untrusted" else [str(signing_pki.root_pem)]
    settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=roots)
    # A byte of the first page's content stream: the file still parses, its digest changes.
    at = signed.index(b"stream", signed.index(b"/Length")) + 20
    tampered = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]
    uploaded = {
        "unsigned": original,
        "other document": other,
        "tampered": bytes(tampered),
        "untrusted": signed,
        "garbage": b"MZ not a pdf",
    }[case]

    with pytest.raises(ExternalRefused, match=message):
        accept_external(kind=KIND, ref="7", centre=centre, original=original, uploaded=uploaded)
    assert not SignedDocument.objects.exists()


def test_identify_finds_the_kept_copy_and_says_nothing_of_others(centre_key):
    centre = builders.make_centre()
    original = small_pdf(["GIẤY CHỨNG NHẬN"])
    signed = delivered(centre, original)
    found = identify(signed)
    assert found.issued_here and found.document.kind == KIND
    assert found.verification.intact
    stranger = sign_pdf(small_pdf(["VĂN BẢN KHÁC"]), reason="r", location="l")
    assert not identify(stranger).issued_here
    assert not identify(b"garbage").issued_here


def test_a_copy_brought_back_replaces_the_server_s_and_both_stay_ours(settings, signing_pki):
    """Files signed on the server and handed out before a leader's copy is brought back are still
    documents issued here; downloads return the leader's copy from then on."""
    centre = builders.make_centre()
    original = small_pdf(["THÔNG BÁO KẾT QUẢ"])
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    handed_out = delivered_again(centre, original)
    signed_elsewhere = sign_pdf(original, reason="Ký trên máy lãnh đạo", location="Phú Lợi")
    assert signed_elsewhere != handed_out
    settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=[str(signing_pki.root_pem)])

    kept = accept_external(
        kind=KIND, ref="7", centre=centre, original=original, uploaded=signed_elsewhere
    )
    again = accept_external(
        kind=KIND, ref="7", centre=centre, original=original, uploaded=signed_elsewhere
    )

    assert again == kept  # the same file twice is one copy
    assert delivered_again(centre, original) == signed_elsewhere
    rows = SignedDocument.objects.order_by("pk")
    assert [(r.source, r.superseded_at is None) for r in rows] == [
        (SignedSource.SERVER, False),
        (SignedSource.UPLOADED, True),
    ]
    old = identify(handed_out)
    assert old.issued_here and old.verification.valid
    assert old.document.source == SignedSource.SERVER and old.document.superseded_at
    assert identify(signed_elsewhere).document == kept
    assert signed_refs(KIND, ["7"]) == {"7"}

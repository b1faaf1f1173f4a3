"""Signed files changed to say something else (issue 18): a kept copy with its page replaced and
signed again by anyone the centre trusts, and a document whose page is replaced in the very update
that signs it. Neither is valid on the check page, issued here, or kept as the official copy."""

from io import BytesIO

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from trungtam.models import SignedKind
from trungtam.signing import sign_pdf, verify_pdf
from trungtam.signing.documents import ExternalRefused, accept_external, deliver, identify
from trungtam.signing.loop import outside_event_loop
from trungtam.signing.verify import CHANGED_AFTER, same_document

from .pki import PASSWORD, pkcs12_settings, small_pdf

FORGED_PAGE = b"BT /F1 24 Tf 72 700 Td (XEP LOAI: XUAT SAC) Tj ET"


def replace_first_page(writer) -> None:
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=FORGED_PAGE))
    writer.update_container(page)


def signed_by_holder(data: bytes, p12, field: str, *, tamper: bool) -> bytes:
    """What a holder of a trusted certificate can make with pyHanko: sign `data`, replacing its
    first page in the same update when `tamper`."""
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    if tamper:
        replace_first_page(writer)
    out = BytesIO()
    pdf_signer = signers.PdfSigner(signers.PdfSignatureMetadata(field_name=field), signer=signer)
    # A browser test earlier in the same worker leaves an event loop running in this thread.
    outside_event_loop(pdf_signer.sign_pdf, writer, output=out)
    return out.getvalue()


@pytest.fixture
def centre(db):
    from tests import builders

    return builders.make_centre()


def trusting(settings, signing_pki):
    settings.SIGNING = pkcs12_settings("", TRUST_ROOTS=[str(signing_pki.root_pem)])


def test_a_kept_copy_changed_and_signed_again_is_neither_valid_nor_ours(
    settings, signing_pki, centre
):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    original = small_pdf(["GIẤY CHỨNG NHẬN", "Xếp loại: Trung bình"])
    kept = deliver(
        kind=SignedKind.CERTIFICATE, ref="1", centre=centre, original=original, reason="r",
        location="l",
    )  # fmt: skip
    forged = signed_by_holder(kept, signing_pki.centre_p12, "Ky2", tamper=True)
    trusting(settings, signing_pki)
    result = verify_pdf(forged)
    assert not result.valid
    assert CHANGED_AFTER in result.problems
    assert identify(forged).document is None
    # Signed again without a change, the copy stays valid and ours.
    countersigned = signed_by_holder(kept, signing_pki.centre_p12, "Ky2", tamper=False)
    assert verify_pdf(countersigned).valid
    assert identify(countersigned).document is not None


def test_a_page_replaced_in_the_signing_update_is_refused_on_upload(settings, signing_pki, centre):
    original = small_pdf(["BÁO CÁO NĂM"])
    tampered = signed_by_holder(original, signing_pki.centre_p12, "Ky1", tamper=True)
    honest = signed_by_holder(original, signing_pki.centre_p12, "Ky1", tamper=False)
    trusting(settings, signing_pki)
    assert verify_pdf(tampered).valid  # the signature itself is sound: it signs the forgery
    with pytest.raises(ExternalRefused, match="không phải đúng văn bản"):
        accept_external(
            kind=SignedKind.YEARLY_REPORT, ref="1", centre=centre, original=original,
            uploaded=tampered,
        )  # fmt: skip
    kept = accept_external(
        kind=SignedKind.YEARLY_REPORT, ref="1", centre=centre, original=original, uploaded=honest
    )
    assert bytes(kept.data) == honest


def test_the_app_s_own_signature_adds_nothing_but_the_signature(centre_key):
    original = small_pdf(["GIẤY CHỨNG NHẬN"])
    signed = sign_pdf(original, reason="r", location="l")
    assert same_document(original, signed)
    assert not same_document(original, small_pdf(["GIẤY CHỨNG NHẬN KHÁC"]))

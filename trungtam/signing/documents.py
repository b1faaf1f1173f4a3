"""Signed copies kept with their documents (issue 18): signed once, the same bytes ever after.

The apps that own documents (certificates, notices, reports) call these with the unsigned bytes
they produce — final documents are invariant PDFs, so the same content gives the same bytes — and
their own `kind` and `ref`:

    data = deliver(kind=SignedKind.CERTIFICATE, ref=str(certificate.pk), centre=centre,
                   original=pdf_bytes, reason="…", location="…", user=request.user)
        the kept signed copy of exactly this document; else, with a key configured, the document
        signed now and kept; else the unsigned bytes, as before. SigningRefused says why not.
    kept = signed_copy(kind, ref, original)          the kept copy or None
    kept = accept_external(kind=…, ref=…, centre=…, original=…, uploaded=…, user=…)
        a copy signed on a leader's PC, checked and kept as the official copy; ExternalRefused
    found = identify(data)                           what a PDF someone shows us is (/xac-thuc/)
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from trungtam.models import SignedDocument, SignedSource
from trungtam.signing.config import signing_enabled
from trungtam.signing.sign import sign_pdf
from trungtam.signing.verify import NOT_A_PDF, Verification, sha256, verify_pdf


class ExternalRefused(Exception):
    """An uploaded signed copy cannot be kept; the message says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _current(kind: str, ref: str, original_sha256: str):
    return SignedDocument.objects.filter(
        kind=kind, ref=str(ref), original_sha256=original_sha256, superseded_at__isnull=True
    )


def signed_copy(kind: str, ref: str, original: bytes) -> SignedDocument | None:
    """The copy a download returns (the current one; replaced copies are only found by
    `identify`)."""
    return _current(kind, ref, sha256(original)).first()


def signed_refs(kind: str, refs) -> set[str]:
    """Which of these documents have a kept signed copy (one query): the register's marks."""
    return set(
        SignedDocument.objects.filter(kind=kind, ref__in=[str(r) for r in refs]).values_list(
            "ref", flat=True
        )
    )


def keep(
    *,
    kind: str,
    ref: str,
    centre,
    original: bytes,
    signed: bytes,
    source: str = SignedSource.SERVER,
    verification: Verification | None = None,
    user=None,
) -> SignedDocument:
    """Store `signed` as the copy of (kind, ref, original). A copy kept meanwhile by another
    request wins (the first signature stays the official one; no bytes change under anyone)."""
    verification = verification or verify_pdf(signed)
    row = SignedDocument(
        kind=kind,
        ref=str(ref),
        centre=centre,
        original_sha256=sha256(original),
        signed_sha256=sha256(signed),
        data=signed,
        size=len(signed),
        source=source,
        signer=verification.signer[:300],
        signed_at=verification.signed_at,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return _current(kind, ref, row.original_sha256).get()
    return row


def deliver(
    *,
    kind: str,
    ref: str,
    centre,
    original: bytes,
    reason: str,
    location: str,
    box: tuple | None = None,
    page: int = -1,
    user=None,
) -> bytes:
    """What a download of a signable document returns (see the module's docstring)."""
    kept = signed_copy(kind, str(ref), original)
    if kept is not None:
        return bytes(kept.data)
    if not signing_enabled():
        return original
    signed = sign_pdf(original, reason=reason, location=location, box=box, page=page)
    return bytes(
        keep(kind=kind, ref=ref, centre=centre, original=original, signed=signed, user=user).data
    )


def accept_external(
    *, kind: str, ref: str, centre, original: bytes, uploaded: bytes, user=None
) -> SignedDocument:
    """Keep a copy signed elsewhere as the official one, when its signature is valid and what it
    signed is exactly `original` (the document as the app produces it); else ExternalRefused.
    The copy it replaces stays, marked superseded: the files handed out before are still ours."""
    result = verify_pdf(uploaded)
    if NOT_A_PDF in result.problems:
        raise ExternalRefused(NOT_A_PDF)
    if not result.signed:
        raise ExternalRefused(
            "Tệp tải lên chưa có chữ ký số. Hãy ký tệp bằng phần mềm ký số của tổ chức cung cấp "
            "dịch vụ (USB token) rồi tải lên tệp đã ký."
        )
    if not result.intact:
        raise ExternalRefused(
            "Chữ ký số trong tệp không hợp lệ: nội dung đã bị thay đổi sau khi ký hoặc chữ ký bị "
            "hỏng. " + " ".join(result.problems)
        )
    if not result.covers_revision(original):
        raise ExternalRefused(
            "Tệp đã ký không phải đúng văn bản phần mềm đã xuất (nội dung khác bản gốc). Hãy tải "
            "lại bản để ký từ phần mềm, ký đúng tệp đó, không mở ra sửa hay in lại thành PDF."
        )
    if not result.covers_whole_file:
        raise ExternalRefused(
            "Tệp có phần được thêm vào sau chữ ký số cuối cùng. Hãy tải lên đúng tệp vừa ký."
        )
    if not result.trusted:
        raise ExternalRefused(
            f"Chứng thư số của người ký ({result.signer or 'không rõ'}) không thuộc tổ chức "
            "cung cấp dịch vụ chứng thực được cấu hình tin cậy (SIGNING_TRUST_ROOTS). Hãy báo "
            "quản trị hệ thống thêm chứng thư gốc của tổ chức đó."
        )
    with transaction.atomic():
        current = _current(kind, ref, sha256(original)).select_for_update().first()
        if current is not None and current.signed_sha256 == result.sha256:
            return current  # the same file brought back twice
        if current is not None:
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
        return keep(
            kind=kind,
            ref=ref,
            centre=centre,
            original=original,
            signed=uploaded,
            source=SignedSource.UPLOADED,
            verification=result,
            user=user,
        )


@dataclass
class Identification:
    verification: Verification
    document: SignedDocument | None  # the kept copy this file is, or was signed from

    @property
    def issued_here(self) -> bool:
        return self.document is not None


def identify(data: bytes) -> Identification:
    """A PDF someone shows: its signatures, and which kept document it is — the very file, or a
    file whose signed revision is a kept copy (signed again later) or a document as produced."""
    result = verify_pdf(data)
    digests = {result.sha256}
    digests.update(sha256(check.signed_revision) for check in result.signatures)
    digests.discard(sha256(b""))
    document = None
    # A file changed after a signature (even if re-signed) is not a document issued here, though
    # an earlier revision of it was.
    if result.signed and result.intact:
        kept = SignedDocument.objects.order_by("-created_at")
        document = (
            kept.filter(signed_sha256__in=digests).first()
            or kept.filter(original_sha256__in=digests).first()
        )
    return Identification(verification=result, document=document)

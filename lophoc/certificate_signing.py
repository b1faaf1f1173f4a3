"""Certificates signed digitally (issue 18): the class's certificates PDF, a single certificate
and the certificate register, each through trungtam.signing.documents — signed once with the
centre's key (or brought back signed on a leader's PC) and re-served byte for byte ever after.

    data = class_certificates_delivered(course=course, certificates=valid, user=user)
    data = certificate_delivered(certificate=certificate, user=user)   # CertificateRefused: voided
    kept = class_certificates_accept(course=course, uploaded=data, user=user)  # ExternalRefused
    marks = signed_marks(certificates)   # {pk: "certificate" | "class"}, one query

Only the full layout is signed: "in trên phôi" prints fields for paper blanks and stays unsigned.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Q

from lophoc.certificates import CertificateRefused
from lophoc.models import Certificate, CertificateStatus, Course
from trungtam.models import Centre, SignedDocument, SignedKind
from trungtam.signing import signing_session, signing_status
from trungtam.signing.documents import (
    ExternalRefused,
    accept_external,
    deliver,
    keep,
    signed_copy,
)

CERTIFICATE_REASON = "Cấp giấy chứng nhận"
REGISTER_REASON = "Sổ cấp giấy chứng nhận"
WHO_CAN_FIX = "Hãy báo quản trị hệ thống (người cấu hình chữ ký số của trung tâm)."
NOT_VALID = (
    "Giấy chứng nhận số {number} {state}, không tải được bản ký số. Chỉ giấy còn hiệu lực mới "
    "có bản ký số; giấy cấp lại (nếu có) có số mới."
)


def location(centre: Centre) -> str:
    return centre.place_name or centre.name


def valid_course_certificates(course: Course) -> list[Certificate]:
    """The class's valid certificates in number order: what its certificates PDF holds."""
    return list(
        Certificate.objects.filter(enrolment__course=course, status=CertificateStatus.VALID)
        .select_related("centre")
        .order_by("year", "sequence")
    )


def class_certificates_unsigned(certificates: Sequence[Certificate]) -> bytes:
    """The class's certificates PDF as built (full layout): also the "bản để ký"."""
    from lophoc.documents.certificates import certificates_pdf

    return certificates_pdf(list(certificates), mode="full")


def _box(centre: Centre):
    from lophoc.documents.certificates import signature_box

    return signature_box(centre)


def class_certificates_delivered(
    *, course: Course, certificates: Sequence[Certificate], user=None
) -> bytes:
    """The class PDF: its kept signed copy, else signed now (key configured), else unsigned.
    The visible box sits where the director signs on the first page. SigningRefused says why
    the key cannot sign."""
    return deliver(
        kind=SignedKind.CLASS_CERTIFICATES,
        ref=str(course.pk),
        centre=course.centre,
        original=class_certificates_unsigned(certificates),
        reason=CERTIFICATE_REASON,
        location=location(course.centre),
        box=_box(course.centre),
        page=0,
        user=user,
    )


def _refuse_unless_valid(certificate: Certificate) -> None:
    if certificate.status == CertificateStatus.VOIDED:
        raise CertificateRefused(NOT_VALID.format(number=certificate.number, state="đã bị thu hồi"))
    if certificate.status == CertificateStatus.REPLACED:
        raise CertificateRefused(
            NOT_VALID.format(number=certificate.number, state="đã được cấp lại")
        )


def certificate_delivered(*, certificate: Certificate, user=None) -> bytes:
    """One certificate (a page), signed like the class PDF; a voided or replaced certificate is
    refused (CertificateRefused) — a signed copy would look valid on its own."""
    _refuse_unless_valid(certificate)
    return deliver(
        kind=SignedKind.CERTIFICATE,
        ref=str(certificate.pk),
        centre=certificate.centre,
        original=class_certificates_unsigned([certificate]),
        reason=CERTIFICATE_REASON,
        location=location(certificate.centre),
        box=_box(certificate.centre),
        page=0,
        user=user,
    )


def class_certificates_accept(*, course: Course, uploaded: bytes, user=None) -> SignedDocument:
    """A class PDF signed on a leader's PC, kept as the official copy when it signs exactly the
    class's certificates as they are now; ExternalRefused (with the reason) otherwise."""
    certificates = valid_course_certificates(course)
    if not certificates:
        raise ExternalRefused(
            "Lớp chưa có giấy chứng nhận còn hiệu lực nào, nên không có bản nào để nhận bản ký."
        )
    return accept_external(
        kind=SignedKind.CLASS_CERTIFICATES,
        ref=str(course.pk),
        centre=course.centre,
        original=class_certificates_unsigned(certificates),
        uploaded=uploaded,
        user=user,
    )


def latest_class_copy(course: Course) -> SignedDocument | None:
    """The class's most recent signed copy (without its bytes), for the class page."""
    return (
        SignedDocument.objects.filter(kind=SignedKind.CLASS_CERTIFICATES, ref=str(course.pk))
        .defer("data")
        .order_by("-created_at")
        .first()
    )


def _ended_at(certificate: Certificate) -> datetime.datetime | None:
    """When the certificate stopped being valid (voided, or replaced by a new one)."""
    if certificate.voided_at:
        return certificate.voided_at
    if certificate.status == CertificateStatus.REPLACED:
        replacement = getattr(certificate, "replaced_by", None)
        return replacement.created_at if replacement is not None else certificate.created_at
    return None


def copy_is_current(copy: SignedDocument | None, certificates: Iterable[Certificate]) -> bool:
    """Whether a class copy holds the class's certificates as they are (no issue, void or
    re-issue since it was kept)."""
    if copy is None:
        return False
    changes = [c.created_at for c in certificates]
    changes += [t for t in (_ended_at(c) for c in certificates) if t]
    return all(change <= copy.created_at for change in changes)


def signed_marks(certificates: Sequence[Certificate]) -> dict[int, str]:
    """Which certificates have a signed copy, in one query: "certificate" (its own signed PDF)
    or "class" (a page of a signed class PDF kept while it was valid)."""
    certificates = list(certificates)
    if not certificates:
        return {}
    kept = SignedDocument.objects.filter(
        Q(kind=SignedKind.CERTIFICATE, ref__in=[str(c.pk) for c in certificates])
        | Q(
            kind=SignedKind.CLASS_CERTIFICATES,
            ref__in={str(c.course_id) for c in certificates if c.course_id},
        )
    ).values_list("kind", "ref", "created_at")
    own, class_copies = set(), {}
    for kind, ref, created_at in kept:
        if kind == SignedKind.CERTIFICATE:
            own.add(ref)
        else:
            class_copies.setdefault(ref, []).append(created_at)
    marks = {}
    for certificate in certificates:
        if str(certificate.pk) in own:
            marks[certificate.pk] = "certificate"
            continue
        ended = _ended_at(certificate)
        for created_at in class_copies.get(str(certificate.course_id), ()):
            if created_at >= certificate.created_at and (ended is None or created_at < ended):
                marks[certificate.pk] = "class"
                break
    return marks


def signing_refusal() -> str | None:
    """Why the configured key cannot sign now (opens it), or None."""
    status = signing_status()
    if status.usable:
        return None
    return status.message


def sign_course_certificates(
    *, course: Course, certificates: Sequence[Certificate], user=None
) -> tuple[int, int]:
    """Sign the class PDF and each certificate with the key opened once (the command's --sign).
    Documents with a kept copy are not signed again. Returns (signed now, already kept)."""
    centre = course.centre
    box = _box(centre)
    jobs = [
        (SignedKind.CLASS_CERTIFICATES, str(course.pk), class_certificates_unsigned(certificates))
    ]
    jobs += [
        (SignedKind.CERTIFICATE, str(c.pk), class_certificates_unsigned([c])) for c in certificates
    ]
    signed = already = 0
    with signing_session() as session:
        for kind, ref, original in jobs:
            if signed_copy(kind, ref, original) is not None:
                already += 1
                continue
            data = session.sign(
                original, reason=CERTIFICATE_REASON, location=location(centre), box=box, page=0
            )
            keep(kind=kind, ref=ref, centre=centre, original=original, signed=data, user=user)
            signed += 1
    return signed, already


def register_delivered(
    *, centre: Centre, year: int, certificates: Sequence[Certificate], maker_name: str, user=None
) -> bytes:
    """The register's PDF through deliver(): the same register (same day, same maker, same
    certificates) re-served byte for byte; the visible box in the director's signing space on
    the last page. The XLSX export is never signed (a spreadsheet is for further editing)."""
    from lophoc.documents.certificate_register import certificate_register_pdf

    places: list = []
    original = certificate_register_pdf(
        centre, year, list(certificates), maker_name=maker_name, signature_places=places
    )
    place = places[-1] if places else None
    return deliver(
        kind=SignedKind.CERTIFICATE_REGISTER,
        ref=f"{centre.pk}:{year}",
        centre=centre,
        original=original,
        reason=REGISTER_REASON,
        location=location(centre),
        box=place.box if place is not None else None,
        page=place.page if place is not None and place.page is not None else -1,
        user=user,
    )

"""Checking the signatures of a PDF: intact, trusted, by whom, when, and over which bytes.

Never raises on what a visitor uploads: garbage gives a Verification with a problem. Trusted means
the signer's chain ends at one of SIGNING_TRUST_ROOTS or at the CA chain of the centre's own
PKCS#12. Revocation is not fetched (no internet at run time); it is checked when the signature
carries it. A signature without a timestamp is judged at the time it claims, as PDF readers do.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass, field
from io import BytesIO

from trungtam.signing.config import PKCS12, SigningConfig, current_config
from trungtam.signing.loop import outside_event_loop

logger = logging.getLogger(__name__)

NOT_A_PDF = "Tệp không phải PDF hoặc đã hỏng."
NOT_SIGNED = "Tệp PDF không có chữ ký số."
BROKEN_SIGNATURE = "Chữ ký số trong tệp bị hỏng, không đọc được."
NOT_INTACT = "Chữ ký số không hợp lệ: nội dung đã bị sửa sau khi ký hoặc chữ ký bị hỏng."
NOT_TRUSTED = (
    "Không xác nhận được người ký: chứng thư số không do tổ chức chứng thực được tin cậy cấp, "
    "hoặc không dùng để ký tại thời điểm ký."
)
REVOKED = "Chứng thư số của người ký đã bị thu hồi."
NOT_WHOLE_FILE = "Tệp có thêm nội dung sau khi ký: phần thêm vào không được chữ ký bảo vệ."
# A document of this app carries one signature, a leader's copy two or three; checking grows
# faster than the square of their number, so a file with more is not checked at all.
MAX_SIGNATURES = 10
MAX_REVISIONS = 20
TOO_MANY = (
    f"Tệp có quá nhiều chữ ký hoặc lần cập nhật (tối đa {MAX_SIGNATURES} chữ ký, "
    f"{MAX_REVISIONS} lần cập nhật): không kiểm tra."
)
CHANGED_AFTER = (
    "Nội dung văn bản đã bị sửa sau khi ký (trang, chữ hay hình được thay đổi trong một lần cập "
    "nhật sau chữ ký), kể cả khi phần sửa được ký lại."
)


def sha256(data: bytes) -> str:
    """Hex SHA-256, the digest stored beside signed documents."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class SignatureCheck:
    """One signature of the file."""

    field_name: str
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    covers_whole_file: bool = False
    signed_revision: bytes = b""
    problems: list[str] = field(default_factory=list)


@dataclass
class Verification:
    """What a PDF's signatures say. Top-level fields describe the last signature; `intact` and
    `trusted` hold only when they hold for every signature."""

    signed: bool = False
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    """`signed_at` comes from a timestamp whose authority is trusted; else from the signer's
    own computer."""
    covers_whole_file: bool = False
    signed_revision: bytes = b""
    """The bytes the last signature covers: the document as it was signed, for a hash match
    with stored bytes."""
    problems: list[str] = field(default_factory=list)
    sha256: str = ""
    """Of the whole file checked."""
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """Signed, intact, trusted and nothing added after the last signature."""
        return self.signed and self.intact and self.trusted and self.covers_whole_file

    @property
    def signed_revision_sha256(self) -> str:
        return sha256(self.signed_revision) if self.signed_revision else ""

    def covers_revision(self, original: bytes) -> bool:
        """Some signature covers exactly `original`, or `original` plus an update that only adds
        signatures (a document the app built, signed elsewhere and brought back)."""
        return any(
            check.intact and _signed_over(original, check.signed_revision)
            for check in self.signatures
        )


def _signed_over(original: bytes, signed_revision: bytes) -> bool:
    """`original` is the signed revision, or a complete earlier revision of it (ends at %%EOF)
    to which the signer's own update added nothing but the signature: its field and widget, the
    form that holds them, metadata (`same_document`)."""
    if not original or not signed_revision:
        return False
    if signed_revision == original:
        return True
    return (
        signed_revision.startswith(original)
        and original.rstrip(b"\r\n").endswith(b"%%EOF")
        and same_document(original, signed_revision)
    )


# What the signer's update may change in the catalogue and in a page (pyHanko's difference policy
# cannot review it: it starts from a revision that already has a form).
SIGNING_CATALOGUE_KEYS = {"/AcroForm", "/Perms", "/DSS", "/Metadata", "/Extensions", "/Version"}


def same_document(original: bytes, updated: bytes) -> bool:
    """The document `updated` shows is the one `original` shows: the catalogue, the page tree
    and everything they reach are equal (streams byte for byte), but for the keys a signature
    adds, and the only annotations added to pages are signature widgets."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        old = PdfFileReader(BytesIO(original), strict=False).root
        new = PdfFileReader(BytesIO(updated), strict=False).root
        return _ObjectComparison().catalogues(old, new)
    except Exception:  # noqa: BLE001 - a file that does not compare is not the same document
        logger.info("A signed revision could not be compared with its original", exc_info=True)
        return False


class _ObjectComparison:
    def __init__(self):
        self.seen: set[tuple[int, int]] = set()

    def catalogues(self, old, new) -> bool:
        return self.equal_but(old, new, SIGNING_CATALOGUE_KEYS)

    def equal_but(self, old, new, ignored) -> bool:
        """Two dictionaries hold the same keys with equal values, the `ignored` keys aside."""
        return all(
            key in old and key in new and self.equal(old.raw_get(key), new.raw_get(key))
            for key in (set(old) | set(new)) - set(ignored)
        )

    def equal(self, old, new) -> bool:
        from pyhanko.pdf_utils import generic

        if isinstance(old, generic.IndirectObject) or isinstance(new, generic.IndirectObject):
            if not (
                isinstance(old, generic.IndirectObject) and isinstance(new, generic.IndirectObject)
            ):
                return False
            pair = (old.idnum, new.idnum)
            if pair in self.seen:
                return True
            self.seen.add(pair)
            return self.equal(old.get_object(), new.get_object())
        if type(old) is not type(new):
            return False
        if isinstance(old, generic.StreamObject) and old.encoded_data != new.encoded_data:
            return False
        if isinstance(old, generic.DictionaryObject):
            if old.get("/Type") == "/Page":
                return self.pages(old, new)
            return self.equal_but(old, new, ())
        if isinstance(old, generic.ArrayObject):
            return len(old) == len(new) and all(
                self.equal(a, b) for a, b in zip(old, new, strict=True)
            )
        return old == new

    def pages(self, old, new) -> bool:
        if not self.equal_but(old, new, {"/Annots"}):
            return False
        before = list(old.get("/Annots") or [])
        after = list(new.get("/Annots") or [])
        if len(after) < len(before) or not all(
            self.equal(a, b) for a, b in zip(before, after[: len(before)], strict=True)
        ):
            return False
        return all(_is_signature_widget(a.get_object()) for a in after[len(before) :])


def _is_signature_widget(annotation) -> bool:
    if annotation.get("/Subtype") != "/Widget":
        return False
    field_type = annotation.get("/FT")
    if field_type is None and "/Parent" in annotation:
        field_type = annotation["/Parent"].get_object().get("/FT")
    return field_type == "/Sig"


def trust_roots(config: SigningConfig | None = None) -> list:
    """asn1crypto certificates a verification trusts: SIGNING_TRUST_ROOTS and the PKCS#12 chain."""
    from pyhanko.keys import pemder

    config = config or current_config()
    roots = []
    for path in config.trust_roots:
        try:
            roots.extend(pemder.load_certs_from_pemder([path]))
        except Exception:  # noqa: BLE001 - one unreadable file must not stop verification
            logger.warning("SIGNING_TRUST_ROOTS: could not read certificates from %s", path)
    if config.method == PKCS12 and config.complete:
        from trungtam.signing.keys import SigningRefused, _to_asn1, open_key

        try:
            with open_key(config, check=False) as key:
                certificate, chain = key.certificate, key.chain
        except SigningRefused:
            certificate, chain = None, []
        roots.extend(_to_asn1(ca) for ca in chain)
        if certificate is not None and certificate.issuer == certificate.subject:
            roots.append(_to_asn1(certificate))
    return roots


def _subject(certificate) -> str:
    from cryptography import x509

    from trungtam.signing.keys import subject_name

    return subject_name(x509.load_der_x509_certificate(certificate.dump()))


def _check(embedded, roots: list, data: bytes) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    check = SignatureCheck(field_name=str(embedded.field_name or ""))
    byte_range = list(embedded.byte_range)
    if len(byte_range) == 4 and byte_range[0] == 0:
        check.signed_revision = data[: int(byte_range[2]) + int(byte_range[3])]
    claimed = embedded.self_reported_timestamp
    context = ValidationContext(
        trust_roots=roots,
        moment=claimed,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    status = outside_event_loop(
        validate_pdf_signature,
        embedded,
        signer_validation_context=context,
        key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
        ),
    )
    check.signer = _subject(status.signing_cert)
    # Changes made after this signature that a signature may not allow (pyHanko's difference
    # analysis of the later revisions): the document shown is no longer the one signed.
    changed_after = status.docmdp_ok is False
    check.intact = bool(status.intact and status.valid and not changed_after)
    check.trusted = bool(check.intact and status.trusted)
    stamp = status.timestamp_validity
    # A timestamp's time is shown only when its authority is trusted (an untrusted one proves
    # nothing the signer's own clock does not).
    if stamp is not None and stamp.intact and stamp.valid and stamp.trusted:
        check.timestamped = True
        check.signed_at = stamp.timestamp
    else:
        check.signed_at = status.signer_reported_dt or claimed
    check.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if changed_after and status.intact and status.valid:
        check.problems.append(CHANGED_AFTER)
    elif not check.intact:
        check.problems.append(NOT_INTACT)
    elif status.revoked:
        check.problems.append(REVOKED)
    elif not check.trusted:
        check.problems.append(NOT_TRUSTED)
    if check.intact and not check.covers_whole_file and len(check.signed_revision) < len(data):
        check.problems.append(NOT_WHOLE_FILE)
    return check


def verify_pdf(data: bytes) -> Verification:
    """Check every signature of `data`; never raises."""
    verification = Verification(sha256=sha256(data or b""))
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        if b"%PDF-" not in (data or b"")[:1024]:
            raise ValueError("no PDF header")
        reader = PdfFileReader(BytesIO(data), strict=False)
        reader.root  # noqa: B018 - reading the catalogue proves the file parses
    except Exception:  # noqa: BLE001 - an upload may be anything
        verification.problems.append(NOT_A_PDF)
        return verification
    try:
        embedded_signatures = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001 - a signature field whose value cannot be read
        logger.info("Unreadable signature in an uploaded PDF", exc_info=True)
        verification.signed = True
        verification.problems.append(BROKEN_SIGNATURE)
        return verification
    if not embedded_signatures:
        verification.problems.append(NOT_SIGNED)
        return verification
    verification.signed = True
    if len(embedded_signatures) > MAX_SIGNATURES or reader.xrefs.total_revisions > MAX_REVISIONS:
        verification.problems.append(TOO_MANY)
        return verification
    roots = trust_roots()
    for embedded in embedded_signatures:
        try:
            check = _check(embedded, roots, data)
        except Exception:  # noqa: BLE001 - a damaged signature is a finding, not a crash
            logger.info("Unreadable signature in an uploaded PDF", exc_info=True)
            check = SignatureCheck(
                field_name=str(getattr(embedded, "field_name", "") or ""),
                problems=[BROKEN_SIGNATURE],
            )
        verification.signatures.append(check)
    last = verification.signatures[-1]
    verification.intact = all(check.intact for check in verification.signatures)
    verification.trusted = all(check.trusted for check in verification.signatures)
    verification.signer = last.signer
    verification.signed_at = last.signed_at
    verification.timestamped = last.timestamped
    verification.covers_whole_file = last.covers_whole_file
    verification.signed_revision = last.signed_revision
    for check in verification.signatures:
        for problem in check.problems:
            if problem not in verification.problems:
                verification.problems.append(problem)
    return verification

"""Verification codes printed on certificates (DESIGN §8) and the public check address.

8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), the last one a check
character, drawn at random — never derived from the certificate number.
"""

import datetime
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lophoc.models import Certificate, CertificateStatus, Course, VerificationFailure
from trungtam.listing import parse_id
from trungtam.models import SignedDocument, SignedKind
from trungtam.signing import Verification
from trungtam.signing.documents import identify
from trungtam.signing.verify import (
    BROKEN_SIGNATURE,
    NOT_A_PDF,
    NOT_INTACT,
    NOT_SIGNED,
    NOT_TRUSTED,
    NOT_WHOLE_FILE,
    REVOKED,
)

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols, a prime: the check catches swaps
CODE_LENGTH = 8


def _check_character(body: str) -> str:
    total = sum((index + 2) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_verification_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + _check_character(body)


def normalize_code(typed: str) -> str:
    """What a person typed from paper: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def is_well_formed(code: str) -> bool:
    """Right length, right alphabet, right check character (a typo is caught before any look-up)."""
    return (
        len(code) == CODE_LENGTH
        and all(ch in ALPHABET for ch in code)
        and _check_character(code[:-1]) == code[-1]
    )


def verification_url(code: str) -> str:
    """The address a certificate's QR code opens: PUBLIC_BASE_URL + the public check page."""
    return settings.PUBLIC_BASE_URL + reverse("verify_code", args=[code])


# --- the public look-up (DESIGN §8) ------------------------------------------------------------
#
# Every miss — a malformed code, an unknown code, a number that does not match — gets the same
# answer, and each one is recorded so one address cannot keep guessing: after FAILURE_LIMIT
# misses (setting VERIFICATION_FAILURE_LIMIT) within FAILURE_WINDOW the page answers "try later"
# without looking anything up, so even a right guess is not confirmed while throttled.

FAILURE_LIMIT = 10
FAILURE_WINDOW = datetime.timedelta(minutes=15)
FAILURE_KEPT = datetime.timedelta(days=1)
# Compared against when no certificate was found, so a miss costs the same as a mismatch.
_DUMMY_CODE = "X" * CODE_LENGTH
_DUMMY_NUMBER = b"\x00" * 16


def normalize_number(typed: str) -> str:
    """A certificate number as typed: spaces and case do not matter (12-gcn/ttct = 12-GCN/TTCT)."""
    return "".join(unicodedata.normalize("NFC", typed or "").split()).casefold()


def _failure_limit() -> int:
    return getattr(settings, "VERIFICATION_FAILURE_LIMIT", FAILURE_LIMIT)


def verification_throttled(*, address: str | None) -> bool:
    """Too many failed look-ups from this address lately."""
    since = timezone.now() - FAILURE_WINDOW
    recent = VerificationFailure.objects.filter(address=address, created_at__gte=since)
    return recent.count() >= _failure_limit()


def verification_failure_record(*, address: str | None) -> None:
    """Remember a failed look-up; forget those older than a day on the way."""
    now = timezone.now()
    VerificationFailure.objects.create(address=address, created_at=now)
    VerificationFailure.objects.filter(created_at__lt=now - FAILURE_KEPT).delete()


def certificate_verify(*, code: str, number: str | None = None) -> Certificate | None:
    """The certificate with this verification code (and this number, when one is given).

    `code` is what a person typed or the QR link carried; a malformed code is never looked up.
    Both comparisons are constant-time; a miss of any kind returns None.
    """
    code = normalize_code(code)
    if not is_well_formed(code):
        return None
    certificate = (
        Certificate.objects.select_related("centre").filter(verification_code=code).first()
    )
    stored_code = certificate.verification_code if certificate else _DUMMY_CODE
    code_matches = hmac.compare_digest(stored_code.encode(), code.encode())
    if number is None:
        number_matches = True
    else:
        stored_number = (
            normalize_number(certificate.number).encode() if certificate else _DUMMY_NUMBER
        )
        number_matches = hmac.compare_digest(stored_number, normalize_number(number).encode())
    if certificate is None or not (code_matches and number_matches):
        return None
    return certificate


# --- a signed PDF shown to the check page or to `manage.py verify_pdf` (issue 18) ---------------
#
# What it says is what the code check says and no more: the signature (valid or not, and why in
# plain words), who signed and when, whether the installation issued the document (its kept
# signed copy, by hash), and for a certificate its status with the fields the code check shows.

SIGNATURE_PROBLEMS_IN_PLAIN_WORDS = {
    NOT_SIGNED: "Tệp chưa được ký số.",
    NOT_INTACT: "Nội dung tệp đã bị thay đổi sau khi ký (hoặc chữ ký bị hỏng).",
    BROKEN_SIGNATURE: "Chữ ký số trong tệp bị hỏng, không đọc được.",
    NOT_TRUSTED: (
        "Người ký không được tin cậy: chứng thư số không do tổ chức chứng thực mà trung tâm tin "
        "cậy cấp, hoặc không dùng để ký vào thời điểm ký."
    ),
    REVOKED: "Chứng thư số của người ký đã bị thu hồi.",
    NOT_WHOLE_FILE: "Tệp có thêm nội dung sau khi ký; phần thêm vào không được chữ ký bảo vệ.",
    NOT_A_PDF: "Tệp không phải PDF hoặc đã hỏng.",
}


SUPERSEDED = (
    "Tệp này là bản cũ: sau khi ký, giấy chứng nhận của lớp đã thay đổi (thu hồi, cấp lại hoặc "
    "cấp thêm). Hãy kiểm tra từng giấy chứng nhận bằng số và mã xác thực in trên giấy."
)


@dataclass
class PdfCheck:
    """The answer about one PDF: its signatures and, when the installation issued it, what it is."""

    verification: Verification
    document: SignedDocument | None = None
    certificate: Certificate | None = None  # the document is one certificate
    course: Course | None = None  # the document is a class's certificates
    superseded: bool = False  # a class's certificates changed (voided, reissued) since signing

    @property
    def valid(self) -> bool:
        return self.verification.valid

    @property
    def issued_here(self) -> bool:
        return self.document is not None

    @property
    def not_a_pdf(self) -> bool:
        return NOT_A_PDF in self.verification.problems

    @property
    def time_source(self) -> str:
        return time_source(self.verification)

    @property
    def reasons(self) -> list[str]:
        """Why the signature is not valid, in plain words (empty when it is)."""
        if self.valid:
            return []
        reasons = [SIGNATURE_PROBLEMS_IN_PLAIN_WORDS.get(p, p) for p in self.verification.problems]
        return list(dict.fromkeys(reasons)) or ["Chữ ký số không hợp lệ."]

    @property
    def kind_label(self) -> str:
        return self.document.get_kind_display() if self.document else ""

    @property
    def centre_name(self) -> str:
        centre = self.centre
        return centre.name if centre is not None else ""

    @property
    def centre(self):
        """For the public pages' header (`public_name`)."""
        if self.certificate is not None:
            return self.certificate.centre
        return self.document.centre if self.document is not None else None


def pdf_check(data: bytes) -> PdfCheck:
    """Verify `data` and find the document it is among the kept signed copies (never raises)."""
    found = identify(data)
    check = PdfCheck(verification=found.verification, document=found.document)
    document = found.document
    if document is None:
        return check
    number = parse_id(document.ref)
    if document.kind == SignedKind.CERTIFICATE and number is not None:
        check.certificate = Certificate.objects.select_related("centre").filter(pk=number).first()
    elif document.kind == SignedKind.CLASS_CERTIFICATES and number is not None:
        from lophoc.certificate_signing import copy_is_current

        check.course = Course.objects.filter(pk=number).first()
        if check.course is not None:
            certificates = Certificate.objects.filter(enrolment__course=check.course)
            check.superseded = not copy_is_current(
                document, certificates.select_related("replaced_by")
            )
    return check


def pdf_check_lines(check: PdfCheck) -> list[str]:
    """The same answer as the page, as lines of text (manage.py verify_pdf)."""
    result = check.verification
    lines = []
    if check.valid:
        lines.append("Chữ ký số: HỢP LỆ — tệp còn nguyên vẹn từ khi ký, người ký được tin cậy.")
    else:
        lines.append("Chữ ký số: KHÔNG HỢP LỆ.")
        lines.extend(f"  - {reason}" for reason in check.reasons)
    if result.signed and result.signer:
        lines.append(f"Người ký: {result.signer}")
    if result.signed and result.signed_at:
        lines.append(
            f"Thời điểm ký: {timezone.localtime(result.signed_at):%d/%m/%Y %H:%M} "
            f"({time_source(result)})"
        )
    if check.issued_here:
        lines.append(f"Văn bản do trung tâm phát hành: CÓ — {check.kind_label}.")
        if check.centre_name:
            lines.append(f"Trung tâm: {check.centre_name}")
    else:
        lines.append(
            "Văn bản do trung tâm phát hành: KHÔNG — không khớp văn bản nào phần mềm đã ký và lưu."
        )
    certificate = check.certificate
    if certificate is not None:
        lines.append(f"Tình trạng giấy chứng nhận: {certificate_status_text(certificate)}")
        lines.append(f"Họ và tên: {certificate.full_name}")
        lines.append(f"Lớp: {certificate.course_name} ({certificate.course_code})")
        lines.append(f"Chương trình: {certificate.program_name}")
        lines.append(f"Ngày cấp: {certificate.issued_on:%d/%m/%Y}")
    elif check.course is not None:
        lines.append(f"Lớp: {check.course.name} ({check.course.code})")
        if check.superseded:
            lines.append(SUPERSEDED)
    return lines


def time_source(result) -> str:
    """Where the signing time shown comes from."""
    if result.timestamped:
        return "theo dấu thời gian của tổ chức cấp dấu thời gian được tin cậy"
    return "theo đồng hồ máy tính của người ký, không có dấu thời gian được tin cậy"


def certificate_status_text(certificate: Certificate) -> str:
    """The status as the code check words it."""
    if certificate.status == CertificateStatus.VALID:
        return "Còn hiệu lực — giấy chứng nhận đang có giá trị."
    if certificate.status == CertificateStatus.VOIDED:
        return "Đã thu hồi (đã hủy) — giấy chứng nhận này không còn giá trị."
    return (
        "Đã được cấp lại — giấy chứng nhận này đã được thay bằng một giấy chứng nhận cấp lại và "
        "không còn giá trị."
    )

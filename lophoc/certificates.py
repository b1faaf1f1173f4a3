"""Certificates: issuing with gap-free numbers, voiding, re-issuing (DESIGN §8).

An issued certificate is a frozen record: the trainee's name, date of birth, unit, the class,
the result, the signer and the layout version are copied onto it. Numbers are sequential per
centre and year of issue: the CertificateCounter row of that centre and year is locked
(SELECT … FOR UPDATE) for the whole transaction, so two people issuing at the same moment get
distinct, consecutive numbers and a rolled-back issue leaves no gap.

Number text: the centre's `certificate_number_pattern` ({seq}, {year}, {short}) or, when blank,
by the centre's layout — Party «12-GCN/TTCT/2026», state «12/GCN-TTCT/2026». The year is part
of the default because sequences restart every year and numbers are unique within a centre.
The register number (số vào sổ) is «0012/2026».

What the certificate says is decided at issue and frozen on it: the salutation (Đồng chí for a
Party member, otherwise Ông or Bà), the sentence about the course (the program's wording with its
placeholders filled), and the signer's title in the centre's layout. Issuing is refused before
the class's last day, and outside DEBUG while PUBLIC_BASE_URL (printed in the QR code) is unset
or a loopback address.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from hocvien.models import Gender
from lophoc.catalogue import PROGRAM_SPECS
from lophoc.models import (
    DEFAULT_CERTIFICATE_WORDING,
    Certificate,
    CertificateCounter,
    CertificateIssuer,
    CertificateStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Program,
    validate_certificate_wording,
)
from lophoc.verification import new_verification_code
from trungtam.checks import public_base_url_problem
from trungtam.models import Centre, DocumentLayout, Leader, LeaderRole
from trungtam.models.base import SIGNING_AUTHORITY, SIGNING_TITLES, signing_title
from trungtam.scoping import Right, has_right
from trungtam.text import normalize_text

DEFAULT_NUMBER_PATTERNS = {
    DocumentLayout.PARTY: "{seq}-GCN/{short}/{year}",
    DocumentLayout.STATE: "{seq}/GCN-{short}/{year}",
}
REGISTER_NUMBER_PATTERN = "{seq:04d}/{year}"
# Who may sign (DESIGN §8 signer forms), in the order the signer list shows them.
SIGNER_ORDER = [
    LeaderRole.DIRECTOR,
    LeaderRole.ACTING_DIRECTOR,
    LeaderRole.DEPUTY_IN_CHARGE,
    LeaderRole.DEPUTY,
]
REASON_MAX = 300


class CertificateRefused(ValidationError):
    """Issuing, voiding or re-issuing is not allowed; the message says why (Vietnamese)."""


def issue_refusal(course: Course) -> str | None:
    """Why certificates cannot be issued for this class now, or None."""
    if course.certificate_issuer != CertificateIssuer.CENTRE:
        return (
            f"Lớp «{course.code}» không do trung tâm cấp giấy chứng nhận "
            f"({course.get_certificate_issuer_display().lower()})."
        )
    if course.status != CourseStatus.CLOSED:
        return (
            f"Chỉ cấp giấy chứng nhận cho lớp đã kết thúc; lớp «{course.code}» đang ở trạng thái "
            f"«{course.get_status_display()}»."
        )
    return None


def _day(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def issue_date_refusal(course: Course, issued_on: datetime.date) -> str | None:
    """A certificate is never dated before the class's last day."""
    if course.end_date and issued_on < course.end_date:
        return (
            f"Ngày cấp {_day(issued_on)} trước ngày bế giảng {_day(course.end_date)} của lớp "
            f"«{course.code}»: giấy chứng nhận chỉ cấp từ ngày bế giảng trở đi."
        )
    return None


def public_address_refusal() -> str | None:
    """Outside DEBUG, a certificate is not printed with a QR code nobody outside can open."""
    if settings.DEBUG:
        return None
    problem = public_base_url_problem(getattr(settings, "PUBLIC_BASE_URL", ""))
    if problem is None:
        return None
    return (
        f"Chưa in được giấy chứng nhận: {problem} Mã QR và địa chỉ tra cứu in trên giấy sẽ không "
        "mở được từ máy khác. Hãy nhờ quản trị viên đặt PUBLIC_BASE_URL là địa chỉ công khai "
        "của trang (ví dụ https://ttct.example.vn) rồi khởi động lại."
    )


# --- what the certificate says --------------------------------------------------------------


def class_phrase(name: str) -> str:
    """The class as written inside a sentence, starting with one lower-case «lớp»:
    «Lớp bồi dưỡng nhận thức về Đảng khóa 5» → «lớp bồi dưỡng nhận thức về Đảng khóa 5»; a name
    without the word gets it in front. The rest of the name keeps its capitals."""
    name = " ".join(normalize_text(name or "").split())
    first, _, rest = name.partition(" ")
    if first.casefold() == "lớp":
        return f"lớp {rest}".strip()
    return f"lớp {name}" if name else "lớp"


def course_place(course: Course) -> str:
    """Where the class was held: its venue, or the centre when none was recorded."""
    return " ".join((course.venue or "").split()) or course.centre.name


def wording_for(program: Program) -> str:
    """The program's sentence template: its own, else the catalogue's for its code, else the
    general default."""
    if program.certificate_wording.strip():
        return program.certificate_wording
    spec = PROGRAM_SPECS.get(program.code)
    return spec.certificate_wording if spec else DEFAULT_CERTIFICATE_WORDING


def completion_text(
    wording: str,
    *,
    program_name: str,
    course_name: str,
    place: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> str:
    """The sentence about the course: `wording` with its placeholders filled."""
    text = wording.format(
        chuong_trinh=program_name,
        lop=class_phrase(course_name),
        dia_diem=place,
        tu_ngay=_day(start),
        den_ngay=_day(end),
    )
    return " ".join(text.split())


def course_completion_text(course: Course) -> str:
    """The class's sentence as it is issued now; a wording the form would have refused (typed
    in before the rule, or written by a script) refuses issuing instead of printing braces."""
    wording = wording_for(course.program)
    try:
        validate_certificate_wording(wording)
    except ValidationError as error:
        raise CertificateRefused(
            f"Lời văn chứng nhận của chương trình «{course.program.name}» chưa dùng được: "
            f"{' '.join(error.messages)} Hãy sửa ở trang chương trình."
        ) from None
    return completion_text(
        wording,
        program_name=course.program.name,
        course_name=course.name,
        place=course_place(course),
        start=course.start_date,
        end=course.end_date,
    )


def salutation_for(trainee) -> str:
    """«Đồng chí» for a Party member; otherwise «Ông» or «Bà» from the recorded gender."""
    if trainee.is_party_member:
        return "Đồng chí"
    return "Bà" if trainee.gender == Gender.FEMALE else "Ông"


def signers_for(centre) -> list[Leader]:
    """The centre's active leaders who may sign, director first."""
    leaders = list(centre.leaders.filter(active=True, role__in=SIGNER_ORDER))
    leaders.sort(key=lambda leader: (SIGNER_ORDER.index(leader.role), leader.full_name))
    return leaders


def signer_label(leader: Leader, layout: str) -> str:
    """«Phạm Văn Phó – K/T GIÁM ĐỐC / PHÓ GIÁM ĐỐC»: the name and the title as it will print."""
    return f"{leader.full_name} – {signing_title(leader.role, layout).replace(chr(10), ' / ')}"


def _signer_refusal(course: Course, signer: Leader | None) -> str | None:
    if signer is None:
        return "Trung tâm chưa ghi Giám đốc hay Phó Giám đốc nào để ký giấy chứng nhận."
    if signer.centre_id != course.centre_id or not signer.active or signer.role not in SIGNER_ORDER:
        return "Người ký phải là lãnh đạo đương nhiệm của trung tâm."
    return None


def number_text(centre, *, seq: int, year: int) -> str:
    pattern = centre.certificate_number_pattern or DEFAULT_NUMBER_PATTERNS.get(
        centre.document_layout, DEFAULT_NUMBER_PATTERNS[DocumentLayout.PARTY]
    )
    try:
        number = pattern.format(seq=seq, year=year, short=centre.short_name)
    except (KeyError, IndexError, ValueError):
        raise CertificateRefused(
            f"Mẫu số giấy chứng nhận «{pattern}» của trung tâm không dùng được: chỉ được dùng "
            "{seq} (số thứ tự), {year} (năm) và {short} (tên viết tắt)."
        ) from None
    longest = Certificate._meta.get_field("number").max_length
    if len(number) > longest:
        raise CertificateRefused(
            f"Số giấy chứng nhận «{number}» dài {len(number)} ký tự, quá {longest} ký tự: hãy "
            "rút gọn mẫu số giấy chứng nhận của trung tâm."
        )
    return number


def active_centres() -> list[Centre]:
    """The installation's working centres, the ones the public pages speak for."""
    return list(Centre.objects.filter(active=True).order_by("pk"))


def number_examples() -> list[str]:
    """A number as the installation's centres print them this year («12-GCN/TTCT/2026»), one
    per pattern in use."""
    year = timezone.localdate().year
    examples = []
    for centre in active_centres():
        try:
            example = number_text(centre, seq=12, year=year)
        except CertificateRefused:
            continue  # a broken pattern is refused when issuing, never offered as a hint
        if example not in examples:
            examples.append(example)
    return examples[:3] or [f"12-GCN/TTCT/{year}"]


def register_number_text(*, seq: int, year: int) -> str:
    return REGISTER_NUMBER_PATTERN.format(seq=seq, year=year)


def _unique_codes(count: int) -> list[str]:
    """`count` fresh verification codes, none already used (a collision is drawn again)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {new_verification_code() for _ in range(count - len(codes))}
        taken = set(
            Certificate.objects.filter(verification_code__in=wanted).values_list(
                "verification_code", flat=True
            )
        )
        codes |= wanted - taken
    return list(codes)


def _frozen_fields(enrolment: Enrolment, course: Course, sentence: str) -> dict:
    """What the certificate prints, copied from the current records."""
    trainee = enrolment.trainee
    unit = enrolment.unit or trainee.unit
    return {
        "salutation": salutation_for(trainee),
        "completion_text": sentence,
        "full_name": trainee.full_name,
        "date_of_birth": trainee.date_of_birth,
        "unit_name": unit.name if unit else "",
        "course_code": course.code,
        "course_name": course.name,
        "program_name": course.program.name,
        "course_start": course.start_date,
        "course_end": course.end_date,
        "final_score": enrolment.final_score,
        "classification": enrolment.classification,
    }


def _take_sequences(centre, year: int, count: int) -> list[int]:
    """Reserve `count` consecutive sequences of the centre's year; the counter stays locked."""
    counter, _ = CertificateCounter.objects.get_or_create(centre=centre, year=year)
    counter = CertificateCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last_sequence + 1
    counter.last_sequence += count
    counter.save(update_fields=["last_sequence"])
    return list(range(first, first + count))


def _numbered(centre, year: int, count: int) -> list[tuple[int, str, str, str]]:
    """(sequence, number, register number, verification code) for `count` new certificates."""
    sequences = _take_sequences(centre, year, count)
    numbers = [number_text(centre, seq=seq, year=year) for seq in sequences]
    if (
        len(set(numbers)) != len(numbers)
        or Certificate.objects.filter(centre=centre, number__in=numbers).exists()
    ):
        raise CertificateRefused(
            "Số giấy chứng nhận theo mẫu của trung tâm bị trùng với số đã cấp. Hãy đưa {seq} và "
            "{year} vào mẫu số giấy chứng nhận."
        )
    codes = _unique_codes(count)
    return [
        (seq, number, register_number_text(seq=seq, year=year), code)
        for seq, number, code in zip(sequences, numbers, codes, strict=True)
    ]


def _signer_fields(signer: Leader, centre) -> dict:
    return {
        "signer_title": signing_title(signer.role, centre.document_layout),
        "signer_name": signer.full_name,
    }


def passing_enrolments(course: Course):
    """Enrolments that earn a certificate: passed, not withdrawn."""
    return course.enrolments.filter(passed=True).exclude(status=EnrolmentStatus.WITHDRAWN)


@transaction.atomic
def certificates_issue(
    *, course: Course, user, signer: Leader | None, issued_on: datetime.date
) -> list[Certificate]:
    """Issue a valid certificate to every passing trainee of the class who has none yet.

    Idempotent: issuing again issues nothing new. Raises CertificateRefused (nothing written)
    for a class that is not closed or whose certificates the centre does not issue, a signer
    who is not a current leader of the centre, an issue date before the class's last day, or
    (outside DEBUG) a public address the QR code cannot use.
    """
    refusal = public_address_refusal()
    if refusal:
        raise CertificateRefused(refusal)
    locked = (
        Course.objects.select_for_update(of=("self",))
        .select_related("centre", "program")
        .get(pk=course.pk)
    )
    refusal = (
        issue_refusal(locked)
        or _signer_refusal(locked, signer)
        or issue_date_refusal(locked, issued_on)
    )
    if refusal:
        raise CertificateRefused(refusal)
    enrolments = list(
        passing_enrolments(locked)
        .exclude(certificates__status=CertificateStatus.VALID)
        .select_related("trainee", "trainee__unit", "unit")
        .order_by("trainee__sort_key", "id")
    )
    if not enrolments:
        return []
    sentence = course_completion_text(locked)
    numbered = _numbered(locked.centre, issued_on.year, len(enrolments))
    certificates = [
        _new_certificate(
            course=locked,
            enrolment=enrolment,
            numbering=numbering,
            issued_on=issued_on,
            user=user,
            signer=signer,
            sentence=sentence,
        )
        for enrolment, numbering in zip(enrolments, numbered, strict=True)
    ]
    created = bulk_create_with_history(certificates, Certificate, default_user=user)
    return list(Certificate.objects.filter(pk__in=[c.pk for c in created]).order_by("sequence"))


def _new_certificate(
    *, course: Course, enrolment: Enrolment, numbering, issued_on, user, signer, sentence, **extra
) -> Certificate:
    """A valid certificate (not saved): its number from `numbering` (sequence, number, register
    number, verification code), the signer, and the trainee's and class's records frozen on it."""
    seq, number, register_number, code = numbering
    centre = course.centre
    return Certificate(
        centre=centre,
        enrolment=enrolment,
        course=course,
        year=issued_on.year,
        sequence=seq,
        number=number,
        register_number=register_number,
        issued_on=issued_on,
        verification_code=code,
        status=CertificateStatus.VALID,
        layout_version=centre.certificate_layout_version,
        issued_by=user,
        **_signer_fields(signer, centre),
        **_frozen_fields(enrolment, course, sentence),
        **extra,
    )


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused(f"Hãy ghi lý do {what}.")
    if len(reason) > REASON_MAX:
        raise CertificateRefused(f"Lý do {what} dài quá {REASON_MAX} ký tự.")
    return reason


def _locked_valid(certificate: Certificate, action: str) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != CertificateStatus.VALID:
        raise CertificateRefused(
            f"Giấy chứng nhận số {locked.number} {locked.get_status_display().lower()}, "
            f"không {action} được nữa."
        )
    return locked


@transaction.atomic
def certificate_void(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Thu hồi: the certificate keeps its number and shows as voided with the reason."""
    reason = _reason(reason, "thu hồi")
    locked = _locked_valid(certificate, "thu hồi")
    locked.status = CertificateStatus.VOIDED
    locked.void_reason = reason
    locked.voided_at = timezone.now()
    locked.voided_by = user
    locked._history_user = user
    locked.save()
    return locked


@transaction.atomic
def certificate_reissue(
    *,
    certificate: Certificate,
    user,
    reason: str,
    issued_on: datetime.date,
    signer: Leader | None,
) -> Certificate:
    """Cấp lại (lost, misprinted, corrected): the original becomes «Đã cấp lại» and keeps its
    number; a new certificate with a new number is linked to it through `replaces`.

    The new certificate copies the trainee's and the class's CURRENT records (a correction
    means void and re-issue, DESIGN §8), the signer chosen now and the current layout version.
    Only a valid certificate can be re-issued; a voided one cannot.
    """
    reason = _reason(reason, "cấp lại")
    refusal = public_address_refusal()
    if refusal:
        raise CertificateRefused(refusal)
    original = _locked_valid(certificate, "cấp lại")
    enrolment = Enrolment.objects.select_related(
        "trainee", "trainee__unit", "unit", "course", "course__centre", "course__program"
    ).get(pk=original.enrolment_id)
    course = enrolment.course
    refusal = _signer_refusal(course, signer) or issue_date_refusal(course, issued_on)
    if refusal:
        raise CertificateRefused(refusal)
    original.status = CertificateStatus.REPLACED
    original._history_user = user
    original.save()
    (numbering,) = _numbered(course.centre, issued_on.year, 1)
    new = _new_certificate(
        course=course,
        enrolment=enrolment,
        numbering=numbering,
        issued_on=issued_on,
        user=user,
        signer=signer,
        sentence=course_completion_text(course),
        replaces=original,
        reissue_reason=reason,
    )
    new._history_user = user
    new.save()
    return new


@transaction.atomic
def certificate_layout_save(*, centre, page_size: str, positions: dict[str, list[float]]) -> bool:
    """Store the centre's page size and print-on-blank positions. A change makes a new layout
    version, which certificates issued from now on carry — those issued before keep printing as
    they were. False when nothing changed (the version stays)."""
    if page_size == centre.certificate_page_size and positions == (
        centre.certificate_blank_positions or {}
    ):
        return False
    centre.certificate_page_size = page_size
    centre.certificate_blank_positions = positions
    centre.certificate_layout_version += 1
    centre.save()
    return True


def _known_titles() -> list[list[str]]:
    """Every signing title of every layout, as lines («KT. GIÁM ĐỐC», «PHÓ GIÁM ĐỐC»)."""
    return [
        signing_title(role, layout).split("\n")
        for layout in SIGNING_AUTHORITY
        for role in SIGNING_TITLES
    ]


def signer_title_lines(title: str) -> list[str]:
    """The title lines to print above the signature.

    Stored text is whitespace-normalised (the line break of «KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC» becomes
    a space), so the known signing titles of both layouts are split back into their lines; so
    is any other «K/T …», «KT. …», «T/M …», «TUQ. …» title of two lines stored on one.
    """
    wanted = normalize_text(title)
    for lines in _known_titles():
        if normalize_text(" ".join(lines)) == wanted:
            return lines
    lines = [line.strip() for line in (title or "").split("\n") if line.strip()]
    if len(lines) == 1:
        prefixes = {f for forms in SIGNING_AUTHORITY.values() for f in forms.values()}
        first, _, rest = lines[0].partition(" ")
        if first in prefixes and " PHÓ " in f" {rest} ":
            head, _, deputy = rest.partition(" PHÓ ")
            return [f"{first} {head}".strip(), f"PHÓ {deputy}".strip()]
    return lines


def status_text(certificate: Certificate) -> str:
    """«Còn hiệu lực», «Đã thu hồi: <lý do>» or «Đã cấp lại bằng số …» (needs `replaced_by`)."""
    if certificate.status == CertificateStatus.VOIDED:
        return f"Đã thu hồi: {certificate.void_reason}"
    if certificate.status == CertificateStatus.REPLACED:
        replacement = getattr(certificate, "replaced_by", None)
        if replacement is not None:
            return f"Đã cấp lại bằng số {replacement.number}"
        return "Đã cấp lại"
    return CertificateStatus.VALID.label


# --- the class page's Giấy chứng nhận section ------------------------------------------------


def course_certificates(course: Course):
    """The class's certificates, every status, in issue order (replacement loaded)."""
    return (
        Certificate.objects.filter(enrolment__course=course)
        .select_related("replaced_by", "replaces")
        .order_by("year", "sequence")
    )


def course_certificates_context(*, course, user, enrolments=None) -> dict:
    """What the class page's Giấy chứng nhận section needs (four queries whatever the size; three
    when the page passes the class's enrolments it already has; one more for staff when the class
    has valid certificates: its latest signed copy)."""
    rows = list(course_certificates(course))
    if enrolments is None:
        counts = passing_enrolments(course).aggregate(
            passing=Count("id", distinct=True),
            issued=Count(
                "id", filter=Q(certificates__status=CertificateStatus.VALID), distinct=True
            ),
        )
    else:
        passing = {e.pk for e in enrolments if e.passed and e.status != EnrolmentStatus.WITHDRAWN}
        certified = {c.enrolment_id for c in rows if c.status == CertificateStatus.VALID}
        counts = {"passing": len(passing), "issued": len(passing & certified)}
    can_issue = has_right(user, Right.CLOSE)
    refusal = issue_refusal(course)
    valid_count = sum(1 for c in rows if c.status == CertificateStatus.VALID)
    signed = None
    if can_issue and valid_count:
        from lophoc.certificate_signing import copy_is_current, latest_class_copy

        copy = latest_class_copy(course)  # one more query, whatever the size
        if copy is not None:
            signed = {"copy": copy, "current": copy_is_current(copy, rows)}
    return {
        "rows": rows,
        "valid_count": valid_count,
        "signed": signed,
        "passing": counts["passing"],
        "issued": counts["issued"],
        "missing": max(counts["passing"] - counts["issued"], 0),
        "refusal": refusal,
        "can_issue": can_issue,
        "signers": [
            (leader, signer_label(leader, course.centre.document_layout))
            for leader in (signers_for(course.centre) if can_issue and refusal is None else [])
        ],
        "today": max(timezone.localdate(), course.end_date),
    }

"""Giấy mời giảng: per lecturer and period, the sessions they teach, the classes' materials, as a
letter in the centre's layout; mailed when a mail server is configured, else printed.

Each mail sent (or tried) is recorded (ScheduleLetter). A lecturer without an address is listed
for the office to print and hand over.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from giangvien.models import Lecturer
from lophoc.documents import centre_signer, format_date
from lophoc.models import CourseStatus, Session, SessionPart, topic_key
from tailieu.materials import PROGRAM_FIRST
from tailieu.models import Material, ScheduleLetter
from thongbao.mail import mail_configured
from trungtam.documents import pdf
from trungtam.documents.layout import document_number
from trungtam.documents.numbers import format_number
from trungtam.models import User

TITLE = "GIẤY MỜI GIẢNG"
KIND = "GM"
MAX_DAYS = 366
HEADERS = ["STT", "Ngày", "Buổi", "Lớp", "Chuyên đề", "Số tiết", "Phòng, địa điểm"]
# mm on the 165 mm of a portrait page.
WIDTHS = [11, 20, 25, 34, 35, 12, 28]
ALIGN = ["center", "center", "center", "left", "left", "center", "left"]


def period_refusal(
    date_from: datetime.date, date_to: datetime.date, today: datetime.date | None = None
) -> str | None:
    """Why a letter cannot cover this period: it invites, so it starts today at the earliest."""
    today = today or timezone.localdate()
    if date_from < today:
        return (
            f"Giấy mời giảng chỉ mời giảng các buổi từ hôm nay ({format_date(today)}) trở đi: "
            f"hãy chọn «Từ ngày» từ {format_date(today)}."
        )
    if date_to < date_from:
        return (
            f"«Đến ngày» ({format_date(date_to)}) trước «Từ ngày» ({format_date(date_from)}): "
            "hãy đổi lại hai ngày."
        )
    if (date_to - date_from).days > MAX_DAYS:
        return "Mỗi giấy mời giảng chỉ cho tối đa một năm: hãy chọn khoảng ngắn hơn."
    return None


def coming_month(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The default period: from today, 30 days on."""
    start = today or timezone.localdate()
    return start, start + datetime.timedelta(days=30)


@dataclass
class Letter:
    lecturer: Lecturer
    date_from: datetime.date
    date_to: datetime.date
    sessions: list[Session] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)

    @property
    def periods(self) -> int:
        return sum(s.periods for s in self.sessions)


def _sessions(lecturers, date_from, date_to) -> QuerySet[Session]:
    return (
        Session.objects.filter(lecturer__in=lecturers, date__gte=date_from, date__lte=date_to)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "course__program", "topic")
        .order_by("date", "start_time", "id")
    )


PART_ORDER = {part: index for index, part in enumerate(SessionPart.values)}


def _in_day_order(sessions) -> list[Session]:
    """Morning, afternoon, evening (the parts' codes sort otherwise), then by the hour."""
    return sorted(
        sessions,
        key=lambda s: (s.date, PART_ORDER.get(s.part, 9), s.start_time or datetime.time.min, s.pk),
    )


def collect(lecturers, date_from, date_to) -> list[Letter]:
    """One letter per lecturer, in the given order; two queries whatever their number."""
    letters = {lecturer.pk: Letter(lecturer, date_from, date_to) for lecturer in lecturers}
    programs: set[int] = set()
    for session in _in_day_order(_sessions(list(letters), date_from, date_to)):
        letters[session.lecturer_id].sessions.append(session)
        programs.add(session.course.program_id)
    materials = list(
        Material.objects.filter(program_id__in=programs, current__isnull=False)
        .select_related("program", "topic")
        .order_by("program__name", PROGRAM_FIRST, "title", "id")
    )
    for letter in letters.values():
        wanted = _wanted(letter)
        letter.materials = [m for m in materials if _key(m.program_id, m.topic) in wanted]
    return list(letters.values())


def _key(program_id: int, topic) -> tuple[int, str | None]:
    return program_id, topic_key(topic.title) if topic is not None else None


def _wanted(letter: Letter) -> set[tuple[int, str | None]]:
    """The materials a lecturer gets, by (program, topic): the own materials (no topic) of the
    programs they teach in the period and those of the topics they teach, not the outlines of
    their colleagues' topics."""
    programs = {(session.course.program_id, None) for session in letter.sessions}
    topics = {_key(s.course.program_id, s.topic) for s in letter.sessions if s.topic is not None}
    return programs | topics


def letter_for(lecturer: Lecturer, date_from, date_to) -> Letter:
    return collect([lecturer], date_from, date_to)[0]


# --- the PDF -------------------------------------------------------------------------------------


def addressee(lecturer: Lecturer) -> str:
    title = f"{lecturer.title} " if lecturer.title else ""
    return f"Đồng chí {title}{lecturer.full_name}"


def period_text(letter: Letter) -> str:
    return f"từ ngày {format_date(letter.date_from)} đến ngày {format_date(letter.date_to)}"


def part_text(session: Session) -> str:
    text = session.get_part_display()
    if session.start_time:
        end = f"–{session.end_time:%H:%M}" if session.end_time else ""
        text += f" ({session.start_time:%H:%M}{end})"
    return text


def place_text(session: Session) -> str:
    """The room, then the class's venue (once, when the venue already names the room)."""
    room, venue = session.room.strip(), session.course.venue.strip()
    if room and venue and room.casefold() in venue.casefold():
        return venue
    return ", ".join(part for part in (room, venue) if part)


def material_lines(letter: Letter) -> list[str]:
    by_program: dict[str, list[str]] = {}
    for material in letter.materials:
        label = material.title + (
            f" ({topic_label(material.topic.title)})" if material.topic else ""
        )
        by_program.setdefault(material.program.name, []).append(label)
    return [f"- {program}: {'; '.join(titles)}." for program, titles in by_program.items()]


def topic_label(title: str) -> str:
    """«chuyên đề X», unless the topic's title already says «Chuyên đề 1: …»."""
    if title.casefold().startswith("chuyên đề"):
        return title
    return f"chuyên đề {title}"


def contact_line(centre) -> str:
    parts = [centre.name]
    if centre.phone:
        parts.append(f"điện thoại {centre.phone}")
    if centre.email:
        parts.append(f"thư điện tử {centre.email}")
    return "Mọi thông tin cần trao đổi, đề nghị đồng chí liên hệ " + ", ".join(parts) + "."


def empty_refusal(letter: Letter) -> str | None:
    """A letter without a session invites to nothing: it is not printed or sent."""
    if letter.sessions:
        return None
    return (
        f"{letter.lecturer.full_name} không có buổi giảng nào {period_text(letter)}: không có "
        "giấy mời giảng để in."
    )


def letter_pdf(letter: Letter, *, day: datetime.date | None = None) -> bytes:
    """The letter of a lecturer with sessions in the period (`empty_refusal` first)."""
    if not letter.sessions:
        raise ValueError(empty_refusal(letter))
    lecturer = letter.lecturer
    centre = lecturer.centre
    width = pdf.content_width()
    body = [
        pdf.para(f"Kính gửi: {addressee(lecturer)}", "body", alignment=1, spaceAfter=4 * mm),
    ]
    body.append(
        pdf.para(
            f"{centre.name} trân trọng kính mời đồng chí tham gia giảng dạy "
            f"{format_number(len(letter.sessions))} buổi "
            f"({format_number(letter.periods)} tiết) {period_text(letter)} theo lịch sau:",
            "body_justify",
        )
    )
    body.append(Spacer(1, 3 * mm))
    rows = [HEADERS]
    for number, session in enumerate(letter.sessions, start=1):
        rows.append(
            [
                str(number),
                format_date(session.date),
                part_text(session),
                f"{session.course.name} ({session.course.code})",
                session.topic.title if session.topic else session.get_kind_display(),
                format_number(session.periods),
                place_text(session),
            ]
        )
    body.append(pdf.data_table(rows, widths=WIDTHS, total_width=width, align=ALIGN))
    body.append(Spacer(1, 3 * mm))
    if letter.materials:
        body.append(
            pdf.para(
                "Tài liệu giảng dạy của các lớp (đồng chí xem và tải về trên trang giảng viên của "
                "mình):",
                "body_justify",
            )
        )
        body.extend(pdf.para(line, "body_justify") for line in material_lines(letter))
    body.append(pdf.para(contact_line(centre), "body_justify"))
    body.append(pdf.para("Trân trọng kính mời đồng chí./.", "body_justify"))
    return pdf.build_pdf(
        centre=centre,
        title=TITLE,
        subtitle=[f"Lịch giảng {period_text(letter)}"],
        body=body,
        date=day,
        number=document_number(centre, None, KIND),
        signers=[centre_signer(centre)],
        recipients=pdf.layout_recipients(centre, ["Như trên"]),
    )


def filename(letter: Letter) -> str:
    return (
        f"giay-moi-giang_{letter.lecturer.pk}_{letter.date_from:%d-%m-%Y}_"
        f"{letter.date_to:%d-%m-%Y}.pdf"
    )


# --- the mail ------------------------------------------------------------------------------------


@dataclass
class SendOutcome:
    sent: list[ScheduleLetter] = field(default_factory=list)
    failed: list[ScheduleLetter] = field(default_factory=list)
    by_hand: list[Lecturer] = field(default_factory=list)  # no address: print and hand over
    empty: list[Lecturer] = field(default_factory=list)  # no session in the period


def mail_subject(letter: Letter) -> str:
    centre = letter.lecturer.centre
    return f"[{centre.name}] Giấy mời giảng {period_text(letter)}"[:300]


def mail_body(letter: Letter) -> str:
    centre = letter.lecturer.centre
    lines = [
        f"Kính gửi: {addressee(letter.lecturer)}",
        "",
        f"{centre.name} gửi đồng chí giấy mời giảng {period_text(letter)} "
        f"({format_number(len(letter.sessions))} buổi, {format_number(letter.periods)} tiết), "
        "kèm theo thư này (tệp PDF).",
    ]
    for session in letter.sessions:
        lines.append(
            f"- {format_date(session.date)} {part_text(session)}: {session.course.name}"
            + (f", {session.topic.title}" if session.topic else "")
            + (f", {place_text(session)}" if place_text(session) else "")
        )
    lines += ["", contact_line(centre), "", "Trân trọng."]
    return "\n".join(lines)


def letters_send(*, letters: list[Letter], user: User) -> SendOutcome:
    """Mail each letter with its PDF to the lecturer's address and record each try. A failure
    (the server refused, could not be reached) is recorded with its reason and the rest go on."""
    if not mail_configured():
        raise RuntimeError("mail is not configured (EMAIL_HOST)")
    outcome = SendOutcome()
    connection = get_connection(fail_silently=False)
    for letter in letters:
        lecturer = letter.lecturer
        if not letter.sessions:
            outcome.empty.append(lecturer)
            continue
        if not lecturer.email:
            outcome.by_hand.append(lecturer)
            continue
        message = EmailMessage(
            subject=mail_subject(letter),
            body=mail_body(letter),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[lecturer.email],
            connection=connection,
        )
        message.attach(filename(letter), letter_pdf(letter), "application/pdf")
        record = ScheduleLetter(
            lecturer=lecturer,
            date_from=letter.date_from,
            date_to=letter.date_to,
            to_address=lecturer.email,
            sent_by=user,
        )
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as error:
            record.ok = False
            record.error = f"{type(error).__name__}: {error}"[:1000]
            outcome.failed.append(record)
        else:
            outcome.sent.append(record)
        record.save()
    return outcome

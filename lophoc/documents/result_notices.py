"""Thông báo kết quả học tập: one letter per sending unit, all of a class in one PDF.

Each letter is a document of its own in the centre's layout (DESIGN §6, §8a): issuing body and
motto, number ("Số …-TB/TTCT" in the Party layout, "Số: …/TB-TTCT" in the state one, the number
left blank for the office to fill in), place and date, the title, "Kính gửi: <unit>", a sentence
naming the class, its program and dates, the table of the unit's trainees and their results, the
director's signature and "Nơi nhận". A page break separates the letters; a letter longer than a
page numbers its own pages.

Trainees are grouped by the unit that sent them (their current unit when none was recorded);
trainees without any unit have nobody to write to and are left out. Like the result list, the
notices exist once the results were computed, and print as a draft while the class is reopened.

A closed class's notices are final: dated the day the class was closed (its end date when no
closing was recorded) and printed invariant, so every build gives the same bytes and a digitally
signed copy (lophoc/notice_signing.py) is found again on every download. `render_pdf` remembers
where the last letter is signed (`signature_place(content)`), for the visible signature box.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import cached_property
from io import BytesIO

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
)

from hocvien.models import Unit
from lophoc.documents import DocumentRefused, centre_signer, format_date, today_or
from lophoc.documents.result_list import final_text, not_computed
from lophoc.models import (
    CertificateIssuer,
    Course,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
)
from lophoc.results import (
    COMPLETED,
    NOT_COMPLETED,
    PENDING,
    WITHDRAWN,
    Outcome,
    OutcomeCounts,
    outcome,
)
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF, register_fonts
from trungtam.documents.layout import document_number
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Recipients, Signer
from trungtam.documents.signature_place import SignaturePlace
from trungtam.text import fold

TITLE = "THÔNG BÁO"
KIND = "TB"
NO_UNITS = (
    "Không có học viên nào của lớp ghi đơn vị cử đi học, nên không có thông báo kết quả nào để "
    "in. Hãy ghi đơn vị cho học viên trước."
)
# mm on the 165 mm of a portrait page: STT, name, date of birth, final, classification,
# periods absent, outcome.
WIDTHS = [11, 39, 21, 16, 20, 14, 44]
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Điểm tổng kết", "Xếp loại", "Số tiết vắng", "Kết quả"]
ALIGN = ["center", "left", "center", "center", "center", "center", "left"]


@dataclass
class Letter:
    unit: Unit
    enrolments: list[Enrolment]

    @cached_property
    def counts(self) -> OutcomeCounts:
        """The unit's trainees by outcome, as the table's "Kết quả" column says them; they add up
        to everyone the unit sent (withdrawn trainees included)."""
        return OutcomeCounts.of(outcome(e) for e in self.enrolments)

    @property
    def passed(self) -> int:
        return self.counts.completed


@dataclass
class Notices:
    course: Course
    letters: list[Letter]
    signer: Signer
    day: datetime.date
    without_unit: int  # trainees left out: no unit to write to

    @property
    def draft(self) -> bool:
        return self.course.status != CourseStatus.CLOSED

    @property
    def rows(self) -> int:
        return sum(len(letter.enrolments) for letter in self.letters)


def notice_day(course: Course, day: datetime.date | None = None) -> datetime.date:
    """The date a notice carries: `day` when given; a closed class's notices the day it was
    closed (its end date when no closing was recorded), so they print the same every day; a
    draft today."""
    if day is not None or course.status != CourseStatus.CLOSED:
        return today_or(day)
    closing = (
        CourseStatusChange.objects.filter(course=course, new_status=CourseStatus.CLOSED)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    if closing is not None:
        return timezone.localdate(closing)
    return course.end_date or today_or(None)


def collect(course: Course, *, day=None) -> Notices:
    """The letters, unit by unit in alphabetical order; four queries whatever the class size."""
    enrolments = list(
        course.enrolments.select_related("trainee", "trainee__unit", "unit").order_by(
            "trainee__sort_key", "id"
        )
    )
    if not any(e.result_computed_at for e in enrolments):
        raise DocumentRefused(not_computed(course))
    groups: dict[int, Letter] = {}
    without_unit = 0
    for enrolment in enrolments:
        unit = enrolment.unit or enrolment.trainee.unit
        if unit is None:
            without_unit += 1
            continue
        groups.setdefault(unit.pk, Letter(unit=unit, enrolments=[])).enrolments.append(enrolment)
    if not groups:
        raise DocumentRefused(NO_UNITS)
    letters = sorted(
        groups.values(), key=lambda item: (item.unit.search_key, item.unit.name, item.unit.pk)
    )
    return Notices(
        course=course,
        letters=letters,
        signer=centre_signer(course.centre),
        day=notice_day(course, day),
        without_unit=without_unit,
    )


# --- one letter ------------------------------------------------------------------------------


def class_phrase(course: Course) -> str:
    """'lớp bồi dưỡng …' from the class name, without saying "lớp Lớp"."""
    name = course.name
    if fold(name).startswith("lop "):
        return name[0].lower() + name[1:]
    return f"lớp {name}"


def subject(course: Course) -> str:
    return f"Kết quả học tập {class_phrase(course)}"


def introduction(course: Course, letter: Letter) -> str:
    centre = course.centre
    venue = f" tại {course.venue}" if course.venue else ""
    sent = len(letter.enrolments)
    whom = "đồng chí" if sent == 1 else "các đồng chí"
    return (
        f"{centre.name} đã tổ chức {class_phrase(course)} (mã lớp {course.code}) theo chương "
        f"trình «{course.program.name}», từ ngày {format_date(course.start_date)} đến ngày "
        f"{format_date(course.end_date)}{venue}. {letter.unit.name} cử "
        f"{format_number(sent)} đồng chí tham gia lớp học. {centre.name} thông báo kết quả học "
        f"tập của {whom} như sau:"
    )


# What each outcome says of one trainee, and of several ("2 đồng chí thôi học").
ONE = {
    COMPLETED: "Đồng chí đã hoàn thành chương trình.",
    NOT_COMPLETED: "Đồng chí không hoàn thành chương trình.",
    WITHDRAWN: "Đồng chí đã thôi học, nên không có kết quả học tập.",
    PENDING: "Đồng chí chưa có kết quả học tập.",
}
ALL = {
    COMPLETED: "Cả {n} đồng chí đều hoàn thành chương trình.",
    NOT_COMPLETED: "Không có đồng chí nào hoàn thành chương trình.",
    WITHDRAWN: "Cả {n} đồng chí đều đã thôi học, nên không có kết quả học tập.",
    PENDING: "Cả {n} đồng chí đều chưa có kết quả học tập.",
}
SOME = {NOT_COMPLETED: "không hoàn thành", WITHDRAWN: "thôi học", PENDING: "chưa có kết quả"}


def outcome_sentence(letter: Letter) -> str:
    """How the unit's trainees came out, as a person would say it, accounting for everyone the
    unit sent: "Có 4/5 đồng chí hoàn thành chương trình, 1 đồng chí thôi học." """
    counts, sent = letter.counts, len(letter.enrolments)
    by_label = {
        COMPLETED: counts.completed,
        NOT_COMPLETED: counts.not_completed,
        WITHDRAWN: counts.withdrawn,
        PENDING: counts.pending,
    }
    for label, count in by_label.items():
        if count == sent:
            return (ONE if sent == 1 else ALL)[label].format(n=format_number(sent))
    if counts.completed:
        opening = (
            f"Có {format_number(counts.completed)}/{format_number(sent)} đồng chí hoàn thành "
            "chương trình"
        )
    elif counts.pending:
        opening = "Chưa có đồng chí nào hoàn thành chương trình"
    else:
        opening = "Không có đồng chí nào hoàn thành chương trình"
    if not (counts.withdrawn or counts.pending):
        # Only completed and not completed: "Có 2/4 …" already says what became of the rest.
        return f"{opening}."
    rest = [
        f"{format_number(count)} đồng chí {SOME[label]}"
        for label, count in by_label.items()
        if label != COMPLETED and count
    ]
    return f"{opening}{', ' if counts.completed else ': '}{', '.join(rest)}."


def certificate_sentence(course: Course, letter: Letter) -> str | None:
    """Who issues the certificates — only when someone of the unit completed the program."""
    if not letter.passed:
        return None
    who = "Đồng chí" if letter.passed == 1 else "Các đồng chí"
    if course.certificate_issuer == CertificateIssuer.CENTRE:
        return f"{who} hoàn thành chương trình được {course.centre.name} cấp giấy chứng nhận."
    if course.certificate_issuer == CertificateIssuer.PARTNER:
        partner = course.partner_name or course.program.partner_name or "đơn vị phối hợp"
        return (
            f"Giấy chứng nhận của {who[0].lower()}{who[1:]} hoàn thành chương trình do "
            f"{partner} cấp."
        )
    return None


def conclusion(course: Course, letter: Letter) -> list[str]:
    lines = [outcome_sentence(letter)]
    certificates = certificate_sentence(course, letter)
    if certificates:
        lines.append(certificates)
    lines.append(
        f"{course.centre.name} trân trọng thông báo để {letter.unit.name} biết, theo dõi và "
        "phối hợp quản lý, bồi dưỡng cán bộ, đảng viên."
    )
    return lines


def notice_outcome(enrolment: Enrolment) -> Outcome:
    """The trainee's outcome as the letter prints it: the fact (thôi học, vắng kiểm tra cuối
    khóa, n/m tiết vắng…) without the reason staff typed in. The letter leaves the centre, and a
    reason is often personal ("lý do gia đình", an illness), which DESIGN §8b keeps to those who
    need it; the centre's own result list still prints it."""
    return outcome(enrolment, with_recorded_reason=False)


def _table_rows(course: Course, letter: Letter) -> tuple[list[list], list[float], list[str]]:
    assessed = course.is_assessed
    keep = [0, 1, 2, 3, 4, 5, 6] if assessed else [0, 1, 2, 5, 6]
    rows = [[HEADERS[i] for i in keep]]
    for number, enrolment in enumerate(letter.enrolments, start=1):
        withdrawn = enrolment.status == EnrolmentStatus.WITHDRAWN
        values = [
            str(number),
            enrolment.trainee.full_name,
            format_date(enrolment.trainee.date_of_birth),
            final_text(enrolment),
            enrolment.get_classification_display(),
            "" if withdrawn else format_number(enrolment.absent_periods),
            notice_outcome(enrolment).text,
        ]
        rows.append([values[i] for i in keep])
    return rows, [WIDTHS[i] for i in keep], [ALIGN[i] for i in keep]


def recipients(course: Course, letter: Letter) -> Recipients:
    """ "Nơi nhận" in the centre's layout: the unit the letter is addressed to, then the file copy."""
    return pdf.layout_recipients(course.centre, [letter.unit.name])


def letter_story(data: Notices, letter: Letter) -> tuple[list[Flowable], SignaturePlace]:
    """The letter's flowables, and the mark that learns where the director signs it."""
    course = data.course
    width = pdf.content_width()
    signature = pdf.signature_block(
        [data.signer], width=width, recipients=recipients(course, letter)
    )
    place = SignaturePlace(signature)
    rows, widths, align = _table_rows(course, letter)
    table, tail = pdf.data_table_parts(rows, widths=widths, total_width=width, align=align)
    ending = [
        *([tail] if tail else []),
        Spacer(1, 3 * mm),
        *(pdf.para(line, "body_justify") for line in conclusion(course, letter)),
        *signature,
        place,
    ]
    story = [
        pdf.header_block(
            course.centre,
            width=width,
            date=data.day,
            number=document_number(course.centre, None, KIND),
        ),
        *pdf.title_block(TITLE, [subject(course)]),
        pdf.para(
            f"Kính gửi: {letter.unit.name}",
            "body",
            alignment=1,
            spaceAfter=4 * mm,
        ),
        pdf.para(introduction(course, letter), "body_justify"),
        Spacer(1, 3 * mm),
        table,
        KeepTogether(ending),
    ]
    return story, place


# --- the PDF: letters one after the other, each numbering its own pages ----------------------


class LetterStart(Flowable):
    """Marks the page where a letter begins, so each letter numbers its own pages."""

    def __init__(self, index: int):
        super().__init__()
        self.index = index

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.letter_index = self.index


def _letter_canvas(draft: bool):
    """Each letter numbers its own pages (from its second page, top centre, as every document);
    `LetterStart` tells the canvas where a letter begins."""

    class LetterCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.letter_index = 0
            self._letter_of_page = None
            self._page_in_letter = 0

        def showPage(self):
            if self.letter_index != self._letter_of_page:
                self._letter_of_page, self._page_in_letter = self.letter_index, 0
            self._page_in_letter += 1
            pdf.draw_page_number(self, self._page_in_letter)
            if draft:
                pdf.draw_draft_mark(self)
            super().showPage()

    return LetterCanvas


# Where the last letter of a PDF built here is signed, by the PDF's SHA-256: the signing that
# follows a build (notice_signing) asks for it without building the notices again.
_PLACES: dict[str, tuple[tuple[float, float, float, float], int]] = {}
_PLACES_KEPT = 256


def signature_place(content: bytes) -> tuple[tuple[float, float, float, float] | None, int]:
    """(box, page) of the last letter's signature in a PDF `render_pdf` built; (None, -1) for
    one it did not (the signing then puts the box at its default place)."""
    return _PLACES.get(hashlib.sha256(content).hexdigest(), (None, -1))


def render_pdf(data: Notices) -> bytes:
    register_fonts()
    story: list[Flowable] = []
    place = None
    for index, letter in enumerate(data.letters):
        if index:
            story.append(PageBreak())
        story.append(LetterStart(index))
        flowables, place = letter_story(data, letter)
        story.extend(flowables)
    buffer = BytesIO()
    course = data.course
    document = BaseDocTemplate(
        buffer,
        pagesize=pdf.page_size(),
        leftMargin=pdf.MARGIN_LEFT,
        rightMargin=pdf.MARGIN_RIGHT,
        topMargin=pdf.MARGIN_TOP,
        bottomMargin=pdf.MARGIN_BOTTOM,
        title=pdf.nfc(f"{TITLE} – {subject(course)}"),
        author=pdf.nfc(course.centre.name),
        subject=pdf.nfc(subject(course)),
        creator="trungtam",
        # A final notice prints the same bytes every time (its signed copy is found again).
        invariant=not data.draft,
        initialFontName=SERIF,
        initialFontSize=pdf.BODY_SIZE,
    )
    frame = Frame(
        pdf.MARGIN_LEFT,
        pdf.MARGIN_BOTTOM,
        pdf.content_width(),
        pdf.content_height(),
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(story, canvasmaker=_letter_canvas(data.draft))
    content = buffer.getvalue()
    if place is not None and place.box is not None:
        if len(_PLACES) >= _PLACES_KEPT:
            _PLACES.clear()
        _PLACES[hashlib.sha256(content).hexdigest()] = (place.box, place.page)
    return content


def build(course: Course, fmt: str, *, maker_name: str = "", day=None) -> tuple[bytes, int]:
    if fmt != "pdf":
        raise ValueError("result notices are printed as PDF only")
    data = collect(course, day=day)
    return render_pdf(data), data.rows


def result_notices_pdf(course: Course, *, day=None) -> bytes:
    return render_pdf(collect(course, day=day))

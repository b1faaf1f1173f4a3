"""Biên bản dự giờ (PDF) in the centre's layout (Party 36-HD/VPTW or state ND 30/2020):
header, title, time and place, class, topic, lecturer, observers, the criteria with their marks
and the total, strengths, points to improve, classification, the lecturer's opinion, and the
signatures of the observer and the lecturer. A record not finalised prints as a draft.

Every section heading stays on the page of its first lines, and the last section (the lecturer's
opinion) goes whole with the signatures. An empty section prints dotted lines on a draft, for the
text to be written by hand before signing, and «Không có.» on a finalised record: only the
observer writes the record, the lecturer's opinion included, and a finalised record never changes,
so there an empty opinion means none was given."""

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from dugio.criteria import THRESHOLDS_TEXT
from dugio.models import Observation
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF_BOLD
from trungtam.documents.layout import document_number
from trungtam.documents.numbers import format_score
from trungtam.documents.pdf import Signer

TITLE = "BIÊN BẢN DỰ GIỜ"
KIND = "BB"
WIDTHS = [12, 121, 16, 16]  # mm: STT, criterion, maximum, mark
SIGN_SPACE = 20 * mm  # room to sign; no stamp on a biên bản
HEADERS = ["STT", "Tiêu chí đánh giá", "Điểm tối đa", "Điểm đạt"]
DOTTED_LINES = 3  # room for a text written by hand, as on the paper forms


def rich(html: str, style: str = "body") -> Paragraph:
    """A paragraph with bold parts: `html` is built from escaped text (pdf.markup)."""
    return Paragraph(pdf.nfc(html), pdf.styles()[style])


def bold(text: str) -> str:
    return f"<b>{pdf.markup(text)}</b>"


def observer_name(observation: Observation) -> str:
    user = observation.recorded_by
    return user.full_name or user.username


def lecturer_name(observation: Observation) -> str:
    return str(observation.lecturer)


def session_time(observation: Observation) -> str:
    session = observation.session
    parts = [f"Buổi {session.get_part_display().lower()} ngày {session.date:%d/%m/%Y}"]
    if session.start_time and session.end_time:
        parts.append(f"từ {session.start_time:%H:%M} đến {session.end_time:%H:%M}")
    parts.append(f"({session.periods} tiết)")
    return " ".join(parts)


def session_place(observation: Observation) -> str:
    session = observation.session
    room, venue = session.room.strip(), session.course.venue.strip()
    if room and venue and room.casefold() in venue.casefold():
        return venue  # the class's venue already names the room
    return ", ".join(p for p in (room, venue) if p) or "Chưa ghi"


def filename(observation: Observation) -> str:
    code = observation.session.course.code.replace("/", "-")
    return f"{code}_{observation.session.date:%d-%m-%Y}_bien-ban-du-gio.pdf"


def _facts(observation: Observation) -> list[Flowable]:
    session = observation.session
    course = session.course
    observers = [observer_name(observation), *observation.co_observer_names()]
    lines = [
        ("Thời gian", f"{session_time(observation)}. Địa điểm: {session_place(observation)}"),
        ("Lớp", f"{course.name} (mã lớp {course.code})"),
        ("Chuyên đề", session.topic.title if session.topic else "Chưa ghi"),
        ("Giảng viên", lecturer_name(observation)),
        ("Người dự giờ", "; ".join(observers)),
    ]
    return [rich(f"{bold(label + ':')} {pdf.markup(value)}") for label, value in lines]


def _marks_table(observation: Observation, marks) -> Flowable:
    rows = [HEADERS]
    for index, mark in enumerate(marks, start=1):
        rows.append([str(index), mark.text, format_score(mark.max_mark), format_score(mark.mark)])
    total_row = ["Tổng cộng", format_score(observation.max_total), format_score(observation.total)]
    rows.append(
        [""]
        + [
            rich(bold(text), "cell" if i == 0 else "cell_header")
            for i, text in enumerate(total_row)
        ]
    )
    return pdf.data_table(
        rows,
        widths=WIDTHS,
        total_width=pdf.content_width(),
        align=["center", "left", "center", "center"],
        font_size=10.5,
    )


def _heading(text: str) -> Paragraph:
    """A section heading, which reportlab keeps on the page of the flowable after it."""
    return pdf.para(text, "body", fontName=SERIF_BOLD, keepWithNext=True)


def _dotted_lines() -> list[Flowable]:
    """Lines of dots across the text width, to write on by hand."""
    style = pdf.styles()["body"]
    count = int(pdf.content_width() / stringWidth(".", style.fontName, style.fontSize)) - 1
    return [pdf.para("." * count, "body", spaceBefore=2 * mm) for _ in range(DOTTED_LINES)]


def _section(heading: str, text: str, *, draft: bool) -> list[Flowable]:
    """The heading and one paragraph a line; an empty text as the module docstring says."""
    paragraphs = [line for line in (text or "").splitlines() if line.strip()]
    if paragraphs:
        body = [pdf.para(line, "body_justify") for line in paragraphs]
    elif draft:
        body = _dotted_lines()
    else:
        body = [pdf.para("Không có.", "body_justify")]
    return [_heading(heading), *body]


def observation_pdf(observation: Observation) -> bytes:
    """The record as PDF bytes. Three queries: the record with its session, class, centre,
    lecturer and observer (if not already loaded), and its marks."""
    marks = list(observation.marks.order_by("order", "id"))
    centre = observation.session.course.centre
    share = (
        (observation.total * 100 / observation.max_total).quantize(Decimal("0.1"))
        if observation.max_total
        else Decimal("0")
    )
    draft = not observation.is_final
    body: list[Flowable] = [
        *_facts(observation),
        _heading("I. ĐÁNH GIÁ THEO TIÊU CHÍ"),
        _marks_table(observation, marks),
        *_section("II. ƯU ĐIỂM", observation.strengths, draft=draft),
        *_section("III. NHỮNG ĐIỂM CẦN KHẮC PHỤC", observation.improvements, draft=draft),
        _heading("IV. XẾP LOẠI GIỜ GIẢNG"),
        rich(
            f"Tổng điểm {format_score(observation.total)}/{format_score(observation.max_total)} "
            f"({format_score(share)}%). Xếp loại: "
            f"{bold(observation.get_classification_display())} ({pdf.markup(THRESHOLDS_TEXT)}).",
            "body_justify",
        ),
    ]
    # build_pdf keeps `closing` on the page of the signatures.
    opinion = _section("V. Ý KIẾN CỦA GIẢNG VIÊN", observation.lecturer_opinion, draft=draft)
    note = "(Ký, ghi rõ họ tên)"
    return pdf.build_pdf(
        centre=centre,
        title=TITLE,
        body=body,
        closing=opinion,
        date=observation.session.date,
        number=document_number(centre, None, KIND),
        signers=[
            Signer("GIẢNG VIÊN", lecturer_name(observation), note=note, space=SIGN_SPACE),
            Signer("NGƯỜI DỰ GIỜ", observer_name(observation), note=note, space=SIGN_SPACE),
        ],
        draft=draft,
        invariant=observation.is_final,
    )

"""Quá trình bồi dưỡng: one person's classes across every year, as a PDF in the centre's layout
(DESIGN §6).

The header block, the title, who the person is (name, date of birth, gender, position and unit;
the CCCD masked as lists show it, no sensitive field), then a row per class in the order they
were held: the class and its program, the dates, the place, periods attended and missed, the
result and classification, and the certificate with its number and status. A summary line and
the signatures of the maker and the director close it.

It lives in lophoc, not hocvien, because it reads classes, results and certificates: hocvien
never imports lophoc (DESIGN §3).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from hocvien.models import Trainee
from lophoc.certificates import course_place, status_text
from lophoc.documents import centre_signer, maker_signer
from lophoc.models import Certificate, CertificateStatus, Enrolment, EnrolmentStatus
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF, SERIF_BOLD
from trungtam.documents.numbers import format_number

TITLE = "QUÁ TRÌNH BỒI DƯỠNG"
HEADER = [
    "STT",
    "Lớp, chương trình",
    "Thời gian",
    "Địa điểm",
    "Số tiết học, vắng",
    "Kết quả, xếp loại",
    "Giấy chứng nhận (số, ngày cấp)",
]
WIDTHS = [12, 46, 21, 24, 20, 24]  # mm, the certificate column is measured (at least 30)
ALIGN = ["center", "left", "center", "left", "center", "left", "left"]
FONT_SIZE = 10
PADDING = 3 * 2 + 1  # the table's cell padding, left and right, and a point to spare
EMPTY = "Chưa học lớp nào tại trung tâm."


@dataclass(frozen=True)
class HistoryDocument:
    content: bytes
    filename: str
    description: str
    rows: int


def history_enrolments(trainee: Trainee) -> list[Enrolment]:
    """Every class of the person, oldest first, with certificates: two queries."""
    certificates = Certificate.objects.select_related("replaced_by").order_by("year", "sequence")
    return list(
        trainee.enrolments.select_related("course", "course__program", "course__centre")
        .prefetch_related(Prefetch("certificates", queryset=certificates))
        .order_by("course__start_date", "course__code", "pk")
    )


def _date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def program_text(enrolment: Enrolment) -> str:
    """The program, when the class's name does not already say it."""
    course = enrolment.course
    program = course.program.name if course.program_id else ""
    return "" if program.casefold() in course.name.casefold() else program


def dates_text(enrolment: Enrolment) -> str:
    course = enrolment.course
    if course.start_date and course.end_date:
        return f"{_date(course.start_date)} –\n{_date(course.end_date)}"
    return _date(course.start_date)


def periods_text(enrolment: Enrolment) -> str:
    """«Học 36/40 tiết\nvắng 4 (có phép 4)»; nothing before any attendance is recorded."""
    scheduled = enrolment.scheduled_periods
    if not scheduled:
        return ""
    absent = enrolment.absent_periods
    text = f"Học {format_number(scheduled - absent)}/{format_number(scheduled)} tiết"
    if absent:
        text += f"\nvắng {format_number(absent)}"
        if enrolment.excused_periods:
            text += f" (có phép {format_number(enrolment.excused_periods)})"
    return text


def result_text(enrolment: Enrolment) -> str:
    """«Hoàn thành – Giỏi (8,5)», «Không hoàn thành», «Thôi học (lý do)», or the class's status."""
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        reason = f" ({enrolment.status_reason})" if enrolment.status_reason else ""
        return f"{EnrolmentStatus.WITHDRAWN.label}{reason}"
    if enrolment.passed is None and enrolment.status == EnrolmentStatus.ACTIVE:
        return f"Chưa có kết quả (lớp {enrolment.course.get_status_display().lower()})"
    parts = ["Hoàn thành" if enrolment.passed else "Không hoàn thành"]
    if enrolment.classification:
        classification = enrolment.get_classification_display()
        if enrolment.final_score is not None:
            classification += f" ({format_number(enrolment.final_score, 1)})"
        parts.append(classification)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        parts.append(enrolment.get_status_display().lower())
    return " – ".join(parts)


def certificate_lines(enrolment: Enrolment) -> list[str]:
    """The number on a line of its own, the date, and the status when it is no longer valid."""
    lines = []
    for certificate in enrolment.certificates.all():
        lines += [certificate.number, f"ngày {_date(certificate.issued_on)}"]
        if certificate.status != CertificateStatus.VALID:
            lines.append(f"({status_text(certificate)})")
    return lines


def summary_line(enrolments: list[Enrolment]) -> str:
    if not enrolments:
        return EMPTY
    passed = sum(1 for e in enrolments if e.passed)
    valid = sum(
        1 for e in enrolments for c in e.certificates.all() if c.status == CertificateStatus.VALID
    )
    return (
        f"Tổng cộng: {format_number(len(enrolments))} lớp, hoàn thành "
        f"{format_number(passed)} lớp; {format_number(valid)} giấy chứng nhận còn hiệu lực."
    )


def identity_rows(trainee: Trainee) -> list[tuple[str, str]]:
    """What the document says about the person: no sensitive field, the CCCD masked."""
    unit = trainee.unit.name if trainee.unit_id else ""
    rows = [
        ("Họ và tên:", trainee.full_name),
        ("Ngày sinh:", _date(trainee.date_of_birth)),
        ("Giới tính:", trainee.get_gender_display()),
        ("Chức vụ:", trainee.position),
        ("Đơn vị công tác:", unit),
        ("Số CCCD:", trainee.masked_national_id),
    ]
    return [(label, value) for label, value in rows if value]


def _identity_block(trainee: Trainee, width: float) -> Table:
    rows = [
        [pdf.para(label, "body"), pdf.para(value, "body", fontName=SERIF_BOLD)]
        if label == "Họ và tên:"
        else [pdf.para(label, "body"), pdf.para(value, "body")]
        for label, value in identity_rows(trainee)
    ]
    table = Table(rows, colWidths=[38 * mm, width - 38 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table


def _cell_style(**overrides) -> ParagraphStyle:
    return ParagraphStyle(
        "history_cell",
        parent=pdf.styles()["cell"],
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.2,
        **overrides,
    )


def _row(index: int, enrolment: Enrolment) -> list:
    name = pdf.markup(enrolment.course.name)
    program = program_text(enrolment)
    if program:
        name += f"<br/><i>{pdf.markup(program)}</i>"
    certificate = "<br/>".join(pdf.markup(line) for line in certificate_lines(enrolment))
    return [
        format_number(index),
        Paragraph(name, _cell_style()),
        dates_text(enrolment),
        course_place(enrolment.course),
        periods_text(enrolment),
        result_text(enrolment),
        # A number is one word, never cut: the column is as wide as the longest one.
        Paragraph(certificate, _cell_style(splitLongWords=0)) if certificate else "",
    ]


def _widths(enrolments: list[Enrolment], total: float) -> list[float]:
    numbers = [c.number for e in enrolments for c in e.certificates.all()]
    needed = max((stringWidth(pdf.nfc(n), SERIF, FONT_SIZE) for n in numbers), default=0)
    last = max(30 * mm, needed + PADDING)
    scale = (total - last) / (sum(WIDTHS) * mm)
    return [width * mm * scale for width in WIDTHS] + [last]


def trainee_history_pdf(
    trainee: Trainee,
    enrolments: list[Enrolment] | None = None,
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
) -> bytes:
    if enrolments is None:
        enrolments = history_enrolments(trainee)
    width = pdf.content_width()
    rows: list[list] = [HEADER, *(_row(i, e) for i, e in enumerate(enrolments, start=1))]
    if not enrolments:
        rows.append(["", EMPTY, "", "", "", "", ""])
    table, tail = pdf.data_table_parts(
        rows,
        keep_last=1,
        widths=_widths(enrolments, width),
        align=ALIGN,
        font_size=FONT_SIZE,
    )
    body: list[Flowable] = [_identity_block(trainee, width), Spacer(1, 3 * mm), table]
    closing: list[Flowable] = [*([tail] if tail else []), Spacer(1, 2 * mm)]
    closing.append(pdf.para(summary_line(enrolments)))
    return pdf.build_pdf(
        centre=trainee.centre,
        title=TITLE,
        body=body,
        closing=closing,
        signers=[maker_signer(maker_name), centre_signer(trainee.centre)],
        date=day or timezone.localdate(),
        author=trainee.centre.name,
    )


def trainee_history_document(
    trainee: Trainee, *, maker_name: str = "", day: datetime.date | None = None
) -> HistoryDocument:
    """The PDF, named and described by the record's id (the export log keeps no name)."""
    enrolments = history_enrolments(trainee)
    return HistoryDocument(
        content=trainee_history_pdf(trainee, enrolments, maker_name=maker_name, day=day),
        filename=f"hoc-vien-{trainee.pk}_qua-trinh-boi-duong.pdf",
        description=f"Quá trình bồi dưỡng của học viên mã {trainee.pk} (PDF)",
        rows=len(enrolments),
    )

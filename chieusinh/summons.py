"""Giấy triệu tập (thông báo chiêu sinh): one letter per unit, in the centre's layout (DESIGN §6,
§8a): issuing body and motto, number, place and date, title, "Kính gửi", the class, program, dates,
venue, the unit's quota and the deadline, "Nơi nhận" and the signature. One PDF holds one unit's
letter, or every unit's, each numbering its own pages (as the result notices do)."""

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer

from chieusinh.models import Call, CallQuota
from lophoc.documents import centre_signer, format_date
from lophoc.documents.result_notices import LetterStart, _letter_canvas, class_phrase
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF, register_fonts
from trungtam.documents.layout import document_number
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Signer

TITLE = "GIẤY TRIỆU TẬP"
KIND = "TB"


def subject(call: Call) -> str:
    return f"Cử cán bộ, đảng viên tham gia {class_phrase(call.course)}"


def filename(call: Call, quota: CallQuota | None = None) -> str:
    base = f"{call.course.file_code}_giay-trieu-tap"
    return f"{base}_{quota.unit.pk}.pdf" if quota is not None else f"{base}.pdf"


def body_lines(call: Call, quota: CallQuota) -> list[str]:
    course, centre = call.course, call.centre
    venue = course.venue or "sẽ thông báo sau"
    lines = [
        f"Thực hiện kế hoạch đào tạo, bồi dưỡng năm {course.start_date.year}, {centre.name} tổ "
        f"chức {class_phrase(course)} (mã lớp {course.code}) theo chương trình "
        f"«{course.program.name}».",
        f"{centre.name} đề nghị {quota.unit.name} cử {format_number(quota.quota)} đồng chí tham "
        "gia lớp học, cụ thể như sau:",
        f"- Thời gian: từ ngày {format_date(course.start_date)} đến ngày "
        f"{format_date(course.end_date)}.",
        f"- Địa điểm: {venue}.",
        f"- Số lượng: {format_number(quota.quota)} đồng chí.",
        f"- Hạn gửi danh sách: trước hết ngày {format_date(call.deadline)}, gửi trực tuyến trên "
        "trang của đơn vị trong phần mềm quản lý đào tạo của trung tâm, hoặc gửi file danh sách "
        "theo mẫu.",
    ]
    if call.note.strip():
        lines.append(f"- Ghi chú: {call.note.strip()}")
    lines.append(
        f"Đề nghị {quota.unit.name} quan tâm, cử cán bộ, đảng viên tham gia lớp học đầy đủ, "
        "đúng thời gian."
    )
    return lines


def letter_story(call: Call, quota: CallQuota, signer: Signer, day) -> list[Flowable]:
    width = pdf.content_width()
    return [
        pdf.header_block(
            call.centre,
            width=width,
            date=day,
            number=document_number(call.centre, call.number or None, KIND),
        ),
        *pdf.title_block(TITLE, [subject(call)]),
        pdf.para(f"Kính gửi: {quota.unit.name}", "body", alignment=1, spaceAfter=4 * mm),
        *(pdf.para(line, "body_justify") for line in body_lines(call, quota)),
        Spacer(1, 2 * mm),
        *pdf.signature_block(
            [signer],
            width=width,
            recipients=pdf.layout_recipients(call.centre, [quota.unit.name]),
        ),
    ]


def summons_pdf(call: Call, quotas: list[CallQuota], *, day=None) -> bytes:
    """The letters of `quotas` (one or all units of the call), each from a new page."""
    register_fonts()
    day = day or (call.published_at.date() if call.published_at else None)
    signer = centre_signer(call.centre)
    story: list[Flowable] = []
    for index, quota in enumerate(quotas):
        if index:
            story.append(PageBreak())
        story.append(LetterStart(index))
        story.extend(letter_story(call, quota, signer, day))
    buffer = BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=pdf.page_size(),
        leftMargin=pdf.MARGIN_LEFT,
        rightMargin=pdf.MARGIN_RIGHT,
        topMargin=pdf.MARGIN_TOP,
        bottomMargin=pdf.MARGIN_BOTTOM,
        title=pdf.nfc(f"{TITLE} – {subject(call)}"),
        author=pdf.nfc(call.centre.name),
        subject=pdf.nfc(subject(call)),
        creator="trungtam",
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
    document.build(story, canvasmaker=_letter_canvas(call.status == "draft"))
    return buffer.getvalue()

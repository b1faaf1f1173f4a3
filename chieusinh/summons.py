"""Thông báo chiêu sinh: one document for the whole call, in the centre's layout (DESIGN §6, §8a).

Issuing body and motto, number «Số …-TB/…», place and the date the call was published, the title
"THÔNG BÁO / Về việc cử cán bộ, đảng viên tham dự lớp …", "Kính gửi: Các đơn vị có tên tại danh
sách kèm theo", the class, dates, venue, the number of people and the deadline, then the table of
units and how many each sends, the director's signature and "Nơi nhận". Every unit of the call
gets the same document (one number, one text). A call not yet published prints "DỰ THẢO" and no
date; a published one always prints its publication date, so it reprints the same.

The annual plan's number is not cited: the plans live in trungtam.reports, above this app.
"""

import datetime

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from chieusinh.models import Call, CallQuota, CallStatus
from lophoc.documents import centre_signer, format_date
from lophoc.documents.result_notices import class_phrase
from trungtam.documents import pdf
from trungtam.documents.layout import BLANK_DAY, BlankDay, document_number
from trungtam.documents.numbers import format_number
from trungtam.text import fold

TITLE = "THÔNG BÁO"
KIND = "TB"
ADDRESSEES = "Các đơn vị có tên tại danh sách kèm theo"
TABLE_TITLE = "DANH SÁCH ĐƠN VỊ VÀ SỐ LƯỢNG"
HEADERS = ["STT", "Đơn vị", "Số lượng"]
WIDTHS = [15, 115, 35]  # mm, 165 in all (A4 portrait)
ALIGN = ["center", "left", "center"]


def people(count: int) -> str:
    """'04 đồng chí': below ten with a leading zero, as administrative letters write it."""
    number = f"{count:02d}" if count < 10 else format_number(count)
    return f"{number} đồng chí"


def subject(call: Call) -> str:
    return f"Về việc cử cán bộ, đảng viên tham dự {class_phrase(call.course)}"


def filename(call: Call) -> str:
    """'CNKT-01-2026_thong-bao-chieu-sinh.pdf': named by the class, whoever downloads it."""
    return f"{call.course.file_code}_thong-bao-chieu-sinh.pdf"


def issue_day(call: Call) -> datetime.date | BlankDay:
    """The day the call was published; none before (the office dates the draft by hand)."""
    if call.published_at is None:
        return BLANK_DAY
    return timezone.localdate(call.published_at)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".!?…" else f"{text}."


def _program_clause(call: Call) -> str:
    """The program, unless the class is already named after it (no "lớp X theo chương trình X")."""
    program = call.course.program.name.strip()
    if not program or fold(program) in fold(call.course.name):
        return ""
    return f", theo chương trình “{program}”"


def body_lines(call: Call, quotas: list[CallQuota]) -> list[str]:
    course, centre = call.course, call.centre
    venue = course.venue.strip() or "sẽ thông báo sau"
    lines = [
        f"Thực hiện kế hoạch đào tạo, bồi dưỡng năm {course.start_date.year}, {centre.name} tổ "
        f"chức {class_phrase(course)}, mã lớp {course.code}{_program_clause(call)}.",
        f"{centre.name} đề nghị các đơn vị cử cán bộ, đảng viên tham dự lớp học, cụ thể như sau:",
        f"- Thời gian: từ ngày {format_date(course.start_date)} đến ngày "
        f"{format_date(course.end_date)}.",
        f"- Địa điểm: {_sentence(venue)}",
        f"- Số lượng: {people(sum(q.quota for q in quotas))}, phân bổ cho từng đơn vị theo danh "
        "sách kèm theo.",
        f"- Thời hạn gửi danh sách: chậm nhất ngày {format_date(call.deadline)}. Đơn vị gửi danh "
        "sách trực tuyến trên trang của đơn vị trong phần mềm quản lý đào tạo của trung tâm, hoặc "
        "gửi file danh sách theo mẫu.",
    ]
    if call.note.strip():
        lines.append(f"- Ghi chú: {_sentence(call.note)}")
    lines.append(
        "Đề nghị các đơn vị quan tâm, cử cán bộ, đảng viên tham dự lớp học đầy đủ, đúng thời gian."
    )
    return lines


def table_rows(quotas: list[CallQuota]) -> list[list[str]]:
    rows = [HEADERS]
    for number, quota in enumerate(quotas, start=1):
        rows.append([str(number), quota.unit.name, people(quota.quota)])
    return rows


def summons_pdf(call: Call) -> bytes:
    """The call's notice: one document, every unit of the call in its table."""
    quotas = list(call.quotas.select_related("unit"))
    width = pdf.content_width()
    table, tail = pdf.data_table_parts(
        table_rows(quotas),
        keep_last=1,
        widths=WIDTHS,
        total_width=width,
        align=ALIGN,
    )
    draft = call.status == CallStatus.DRAFT
    return pdf.build_pdf(
        centre=call.centre,
        title=TITLE,
        subtitle=[subject(call)],
        body=[
            pdf.para(f"Kính gửi: {ADDRESSEES}", "body", alignment=1, spaceAfter=4 * mm),
            *(pdf.para(line, "body_justify") for line in body_lines(call, quotas)),
            pdf.para(TABLE_TITLE, "heading", alignment=1, spaceBefore=5 * mm),
            table,
        ],
        closing=[*([tail] if tail else []), Spacer(1, 2 * mm)],
        signers=[centre_signer(call.centre)],
        recipients=pdf.layout_recipients(call.centre, ["Như trên"]),
        date=issue_day(call),
        number=document_number(call.centre, call.number or None, KIND),
        draft=draft,
        invariant=not draft,
    )

"""Bảng điểm danh of a class for printing: A4 landscape PDF and XLSX with the same grid.

One column per session in date order (dd/mm and S/C/T for sáng/chiều/tối), a cell per trainee
to sign or tick, and a "Ghi chú" column. Sessions already recorded are pre-filled with their
marks (x, B, P, K) so the printed sheet doubles as the class's attendance record — the absences
(P, K) are exactly what the results count; the others stay
blank to sign. More sessions than fit on a page are split into parts, each repeating STT, name
and unit.
"""

import datetime
import math
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from lophoc.documents import (
    CENTRED,
    WRAPPED,
    centre_signer,
    course_lines,
    format_date,
    listed_enrolments,
    maker_signer,
    today_or,
    unit_name,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from lophoc.models import Attendance, AttendanceStatus, Course, Enrolment, Session, SessionPart
from trungtam.documents import pdf
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Signer
from trungtam.documents.xlsx import SafeWorkbook

TITLE = "BẢNG ĐIỂM DANH"
PART_ORDER = {SessionPart.MORNING: 0, SessionPart.AFTERNOON: 1, SessionPart.EVENING: 2}
PART_LETTER = {SessionPart.MORNING: "S", SessionPart.AFTERNOON: "C", SessionPart.EVENING: "T"}
MARK_PRESENT, MARK_MADE_UP, MARK_EXCUSED, MARK_UNEXCUSED = "x", "B", "P", "K"
LEGEND = (
    "Ký hiệu: x: có mặt; B: học bù (buổi vắng đã học bù, tính là có mặt); P: vắng có phép; "
    "K: vắng không phép. "
    "S: buổi sáng; C: buổi chiều; T: buổi tối. "
    "Ô để trống: học viên ký tên khi có mặt."
)
SESSIONS_HEADING = "Các buổi học (học viên ký tên)"
NO_SESSIONS = "Lớp chưa có buổi học nào trong thời khóa biểu; hãy xếp thời khóa biểu trước."
EMPTY = "Lớp chưa có học viên nào. Hãy ghi danh hoặc nhập danh sách học viên trước."

# Widths in mm on the 252 mm of a landscape page: STT, name, unit, …sessions…, note.
FIXED_WIDTHS = (9, 44, 50)
NOTE_WIDTH = 22
MIN_SESSION_WIDTH = 12
MAX_SESSION_WIDTH = 22
ROW_HEIGHT = 7 * mm  # room to sign or tick


def sessions_per_table() -> int:
    room = pdf.content_width(landscape=True) / mm - sum(FIXED_WIDTHS) - NOTE_WIDTH
    return max(1, int(room // MIN_SESSION_WIDTH))


def session_groups(sessions: list[Session], per_table: int | None = None) -> list[list[Session]]:
    """Sessions in parts of at most `per_table`, as even as possible (14 → 7 + 7, not 10 + 4)."""
    per_table = per_table or sessions_per_table()
    if not sessions:
        return [[]]
    parts = math.ceil(len(sessions) / per_table)
    size = math.ceil(len(sessions) / parts)
    return [sessions[i : i + size] for i in range(0, len(sessions), size)]


def session_label(session: Session) -> str:
    return f"{session.date:%d/%m}\n{PART_LETTER.get(session.part, '')}"


def _mark(status: str, made_up: bool) -> str:
    """x, B, P or K. A made-up session is stored as attended and marked made up (DESIGN §8)."""
    if status == AttendanceStatus.PRESENT:
        return MARK_MADE_UP if made_up else MARK_PRESENT
    if status == AttendanceStatus.EXCUSED:
        return MARK_EXCUSED
    return MARK_UNEXCUSED


@dataclass
class AttendanceSheet:
    course: Course
    enrolments: list[Enrolment]
    sessions: list[Session]
    marks: dict[tuple[int, int], str]
    signers: list[Signer]
    day: datetime.date

    def mark(self, session: Session, enrolment: Enrolment) -> str:
        return self.marks.get((session.pk, enrolment.pk), "")

    def total_line(self) -> str:
        return (
            f"Tổng số: {format_number(len(self.enrolments))} học viên, "
            f"{format_number(len(self.sessions))} buổi học."
        )


def collect(course: Course, *, maker_name: str = "", day=None, marks: bool = True):
    sessions = sorted(
        course.sessions.all(),
        key=lambda s: (s.date, PART_ORDER.get(s.part, 9), s.start_time or datetime.time(0), s.pk),
    )
    recorded = {}
    if marks:
        rows = Attendance.objects.filter(session__course=course).values_list(
            "session_id", "enrolment_id", "status", "made_up"
        )
        recorded = {(s, e): _mark(status, made_up) for s, e, status, made_up in rows}
    return AttendanceSheet(
        course=course,
        enrolments=listed_enrolments(course),
        sessions=sessions,
        marks=recorded,
        signers=[maker_signer(maker_name), centre_signer(course.centre)],
        day=today_or(day),
    )


def _group_heading(index: int, count: int, group: list[Session], first_number: int) -> str:
    last_number = first_number + len(group) - 1
    return (
        f"Phần {index}/{count}: buổi {first_number}–{last_number} "
        f"(từ {format_date(group[0].date)} đến {format_date(group[-1].date)})"
    )


def _pdf_table(data: AttendanceSheet, group: list[Session], *, keep_last: int):
    """The grid for one part; its last `keep_last` rows come apart to stay with the signatures."""
    width = pdf.content_width(landscape=True)
    count = len(group)
    if count:
        room = width / mm - sum(FIXED_WIDTHS) - NOTE_WIDTH
        session_width = min(room / count, MAX_SESSION_WIDTH)
        widths = [*FIXED_WIDTHS, *([session_width] * count), NOTE_WIDTH]
        last = 3 + count
        rows = [
            ["STT", "Họ và tên", "Đơn vị", SESSIONS_HEADING, *([None] * (count - 1)), "Ghi chú"],
            [None, None, None, *(session_label(s) for s in group), None],
        ]
        spans = [
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (2, 1)),
            ("SPAN", (3, 0), (last - 1, 0)),
            ("SPAN", (last, 0), (last, 1)),
        ]
        header_rows = 2
    else:
        widths = [*FIXED_WIDTHS, NOTE_WIDTH]
        rows = [["STT", "Họ và tên", "Đơn vị", "Ghi chú"]]
        spans = []
        header_rows = 1
    align = ["center", "left", "left", *(["center"] * count), "left"]
    for number, enrolment in enumerate(data.enrolments, start=1):
        marks = [data.mark(session, enrolment) for session in group]
        rows.append([str(number), enrolment.trainee.full_name, unit_name(enrolment), *marks, None])
    if not data.enrolments:
        rows.append([EMPTY] + [None] * (len(widths) - 1))
        spans.append(("SPAN", (0, header_rows), (-1, header_rows)))
        align = ["center"] * len(widths)
    return pdf.data_table_parts(
        rows,
        keep_last=keep_last,
        widths=widths,
        total_width=width,
        header_rows=header_rows,
        align=align,
        font_size=10,
        min_row_height=ROW_HEIGHT if data.enrolments else None,
        extra_style=spans,
    )


def render_pdf(data: AttendanceSheet) -> bytes:
    body = []
    if not data.sessions:
        body += [pdf.para(NO_SESSIONS, "note"), Spacer(1, 2 * mm)]
    groups = session_groups(data.sessions)
    first_number = 1
    tail = None
    for index, group in enumerate(groups, start=1):
        if len(groups) > 1:
            if index > 1:
                body.append(PageBreak())
            body.append(
                pdf.para(_group_heading(index, len(groups), group, first_number), "heading")
            )
        table, tail = _pdf_table(data, group, keep_last=3 if index == len(groups) else 0)
        body.append(table)
        first_number += len(group)
    closing = [
        *([tail] if tail else []),
        Spacer(1, 2 * mm),
        pdf.para(LEGEND, "note"),
        pdf.para(data.total_line()),
    ]
    return pdf.build_pdf(
        centre=data.course.centre,
        title=TITLE,
        subtitle=course_lines(data.course),
        body=body,
        closing=closing,
        signers=data.signers,
        date=data.day,
        landscape=True,
    )


def render_xlsx(data: AttendanceSheet) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet("Bảng điểm danh")
    count = len(data.sessions)
    columns = 3 + count + 1
    header_row = xlsx_header(
        sheet,
        data.course.centre,
        columns=columns,
        title=TITLE,
        lines=course_lines(data.course),
        day=data.day,
        split=3 if columns >= 6 else 2,
    )
    worksheet = sheet.worksheet
    labels = ["STT", "Họ và tên", "Đơn vị", SESSIONS_HEADING if count else "Ghi chú"]
    xlsx_table_header(sheet, header_row, labels)
    second = header_row + 1
    if count:
        # Two header rows: the session heading over one dated column per session.
        sheet.write(header_row, columns, "Ghi chú", bold=True, border=True).alignment = CENTRED
        for column, session in enumerate(data.sessions, start=4):
            cell = sheet.write(second, column, session_label(session), bold=True, border=True)
            cell.alignment = CENTRED
            if column > 4:
                sheet.write(header_row, column, None, border=True)
        worksheet.row_dimensions[second].height = 30
        for column in (1, 2, 3, columns):
            sheet.write(second, column, None, border=True)
            worksheet.merge_cells(
                start_row=header_row, start_column=column, end_row=second, end_column=column
            )
        worksheet.merge_cells(
            start_row=header_row, start_column=4, end_row=header_row, end_column=3 + count
        )
        last_header = second
    else:
        last_header = header_row
    row = last_header
    for number, enrolment in enumerate(data.enrolments, start=1):
        row += 1
        values = [
            number,
            enrolment.trainee.full_name,
            unit_name(enrolment),
            *(data.mark(session, enrolment) for session in data.sessions),
            "",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = WRAPPED if column in (2, 3, columns) else CENTRED
        worksheet.row_dimensions[row].height = 24
    if not data.enrolments:
        row += 1
        sheet.write(row, 1, EMPTY, border=True).alignment = CENTRED
        worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    notes = [LEGEND, data.total_line()]
    if not data.sessions:
        notes.insert(0, NO_SESSIONS)
    for offset, text in enumerate(notes, start=2):
        sheet.write(row + offset, 1, text)
    xlsx_signatures(sheet, row + len(notes) + 3, columns, data.signers)
    sheet.widths([6, 28, 28, *([7] * count), 16])
    xlsx_print_setup(
        sheet,
        landscape=True,
        title_rows=(header_row, last_header),
        freeze=f"D{last_header + 1}",
    )
    return book.to_bytes()


def build(course: Course, fmt: str, *, maker_name: str = "", day=None) -> tuple[bytes, int]:
    data = collect(course, maker_name=maker_name, day=day)
    content = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    return content, len(data.enrolments)


def attendance_sheet_pdf(course: Course, *, maker_name: str = "", day=None, marks=True) -> bytes:
    return render_pdf(collect(course, maker_name=maker_name, day=day, marks=marks))


def attendance_sheet_xlsx(course: Course, *, maker_name: str = "", day=None, marks=True) -> bytes:
    return render_xlsx(collect(course, maker_name=maker_name, day=day, marks=marks))

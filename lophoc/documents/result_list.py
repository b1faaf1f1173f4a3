"""Kết quả học tập of a class: A4 landscape PDF and XLSX with the same table and summary.

Every trainee of the class in Vietnamese name order (withdrawn ones too, with their reason), the
score of each assessment (a retake replaces the first score and is marked *), the final score,
the classification, periods absent and the outcome; then the distribution: how many trainees in
each classification and the pass rate, withdrawn trainees left out of every share.

Results exist once computed (closing the class stores them): before that the document is
refused. A class reopened for grading prints its stored results as a draft (DỰ THẢO).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from lophoc.documents import (
    CENTRED,
    WRAPPED,
    DocumentRefused,
    centre_signer,
    course_lines,
    format_date,
    maker_signer,
    today_or,
    unit_name,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from lophoc.models import (
    Assessment,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Score,
)
from lophoc.results import Distribution, outcome, result_distribution
from lophoc.results import with_reason as with_reason  # the wording's rule, re-exported
from trungtam.documents import pdf
from trungtam.documents.numbers import format_number, format_percent, format_score
from trungtam.documents.pdf import Signer
from trungtam.documents.xlsx import SafeWorkbook

TITLE = "KẾT QUẢ HỌC TẬP"
RETAKE_MARK = "*"
LEGEND_RETAKE = "*: điểm thi lại (thay cho điểm lần đầu khi tính điểm tổng kết)."
DRAFT_LINE = (
    "DỰ THẢO: lớp đang mở lại để chấm điểm, kết quả dưới đây có thể còn thay đổi khi kết thúc lớp."
)
EMPTY = "Lớp chưa có học viên nào."
# Widths in mm on a landscape page: STT, name, date of birth, unit, …scores…, final,
# classification, absence, outcome.
LEAD_WIDTHS = [9, 40, 19, 38]
SCORE_WIDTH = 14
TAIL_WIDTHS = [15, 18, 13, 42]
XLSX_LEAD = [6, 26, 12, 30]
XLSX_TAIL = [10, 12, 9, 32]
# Scores are numbers in the XLSX, shown with one decimal (a second one only when typed, 7,25);
# Excel writes the decimal separator of the reader's locale, so a Vietnamese Excel shows 8,5.
SCORE_FORMAT = "0.0#"
RETAKE_FORMAT = f'0.0#"{RETAKE_MARK}"'
FINAL_FORMAT = "0.0"


@dataclass(frozen=True)
class ScoreCell:
    """One assessment score as the list prints it: the effective score, and whether it is the
    retake (marked * on paper)."""

    value: Decimal
    retake: bool

    def __str__(self) -> str:
        return format_score(self.value) + (RETAKE_MARK if self.retake else "")


def not_computed(course: Course) -> str:
    return (
        f"Lớp {course.code} chưa tính kết quả học tập: kết quả được tính và lưu khi kết thúc lớp "
        "(sau khi nhập đủ điểm). Hãy kết thúc lớp trước khi in kết quả và thông báo kết quả."
    )


def result_text(enrolment: Enrolment) -> str:
    """The outcome column: Hoàn thành, or why not (withdrawn, not eligible, absent…), as the
    class page says it too — the one rule is `lophoc.results.outcome`."""
    return outcome(enrolment).text


def final_text(enrolment: Enrolment) -> str:
    return format_number(enrolment.final_score, 1) if enrolment.final_score is not None else ""


def distribution_of(enrolments: list[Enrolment]) -> Distribution:
    return result_distribution(
        (e.status, e.classification, e.is_eligible, e.passed) for e in enrolments
    )


def _share(label: str, count: int, whole: int) -> list[str]:
    return [label, format_number(count), format_percent(count, whole)]


def classification_rows(distribution: Distribution) -> list[list[str]]:
    """Trainees per classification; withdrawn trainees are left out of every share."""
    whole = distribution.counted
    rows = [["Xếp loại", "Số học viên", "Tỷ lệ"]]
    rows += [_share(band.label, band.count, whole) for band in distribution.bands]
    if distribution.unclassified:
        rows.append(_share("Không xếp loại", distribution.unclassified, whole))
    rows.append(_share("Cộng", whole, whole))
    return rows


def outcome_rows(distribution: Distribution) -> list[list[str]]:
    """Trainees who completed the class, did not, were not eligible (and without a result)."""
    whole = distribution.counted
    rows = [["Kết quả", "Số học viên", "Tỷ lệ"]]
    rows += [_share(band.label, band.count, whole) for band in distribution.outcomes]
    if distribution.pending:
        rows.append(_share("Chưa có kết quả", distribution.pending, whole))
    rows.append(_share("Cộng", whole, whole))
    return rows


def summary_tables(distribution: Distribution, *, assessed: bool) -> list[list[list[str]]]:
    return (
        [classification_rows(distribution), outcome_rows(distribution)]
        if assessed
        else [outcome_rows(distribution)]
    )


def pass_line(distribution: Distribution) -> str:
    line = (
        f"Hoàn thành: {format_number(distribution.passed)}/{format_number(distribution.counted)} "
        f"học viên, đạt tỷ lệ {format_percent(distribution.passed, distribution.counted)}"
    )
    if distribution.withdrawn:
        line += f"; không kể {format_number(distribution.withdrawn)} học viên thôi học"
    return line + "."


@dataclass
class ResultList:
    course: Course
    enrolments: list[Enrolment]
    assessments: list[Assessment]
    scores: dict[tuple[int, int], Score]
    signers: list[Signer]
    day: datetime.date

    @property
    def draft(self) -> bool:
        return self.course.status != CourseStatus.CLOSED

    @property
    def assessed(self) -> bool:
        return self.course.is_assessed

    @property
    def distribution(self) -> Distribution:
        return distribution_of(self.enrolments)

    @property
    def has_retakes(self) -> bool:
        return any(s.retake_score is not None for s in self.scores.values())

    def headers(self) -> list[str]:
        headers = ["STT", "Họ và tên", "Ngày sinh", "Đơn vị"]
        if self.assessed:
            headers += [a.name for a in self.assessments]
            headers += ["Điểm tổng kết", "Xếp loại"]
        return headers + ["Số tiết vắng", "Kết quả"]

    def score(self, enrolment: Enrolment, assessment: Assessment) -> ScoreCell | str:
        score = self.scores.get((enrolment.pk, assessment.pk))
        if score is None:
            return ""
        if score.retake_score is not None:
            return ScoreCell(score.retake_score, retake=True)
        if score.score is None:
            return ""
        return ScoreCell(score.score, retake=False)

    def row(self, enrolment: Enrolment) -> list:
        """The values of one row after STT: text, dates, numbers (periods, the final score as a
        Decimal) and ScoreCells; the PDF writes them as text, the XLSX as typed cells."""
        trainee = enrolment.trainee
        values: list = [trainee.full_name, trainee.date_of_birth, unit_name(enrolment)]
        if self.assessed:
            values += [self.score(enrolment, a) for a in self.assessments]
            final = enrolment.final_score if enrolment.final_score is not None else ""
            values += [final, enrolment.get_classification_display()]
        absent = "" if enrolment.status == EnrolmentStatus.WITHDRAWN else enrolment.absent_periods
        return values + [absent, result_text(enrolment)]

    def alignments(self) -> list[str]:
        scores = len(self.assessments) if self.assessed else 0
        tail = ["center", "center"] if self.assessed else []
        return ["center", "left", "center", "left", *(["center"] * scores), *tail, "center", "left"]


def collect(course: Course, *, maker_name: str = "", day=None) -> ResultList:
    """Everything the list prints, in five queries whatever the class size."""
    enrolments = list(
        course.enrolments.select_related("trainee", "trainee__unit", "unit").order_by(
            "trainee__sort_key", "id"
        )
    )
    if not any(e.result_computed_at for e in enrolments):
        raise DocumentRefused(not_computed(course))
    assessments = list(course.assessments.order_by("order", "id")) if course.is_assessed else []
    scores = {
        (s.enrolment_id, s.assessment_id): s for s in Score.objects.filter(enrolment__course=course)
    }
    return ResultList(
        course=course,
        enrolments=enrolments,
        assessments=assessments,
        scores=scores,
        signers=[maker_signer(maker_name), centre_signer(course.centre)],
        day=today_or(day),
    )


def _pdf_text(value) -> str:
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_number(value, 1)
    if isinstance(value, int):
        return format_number(value)
    return str(value)


def render_pdf(data: ResultList) -> bytes:
    headers = data.headers()
    scores = len(data.assessments) if data.assessed else 0
    widths = [*LEAD_WIDTHS, *([SCORE_WIDTH] * scores)]
    widths += TAIL_WIDTHS if data.assessed else TAIL_WIDTHS[2:]
    rows: list[list] = [headers]
    for number, enrolment in enumerate(data.enrolments, start=1):
        rows.append([str(number), *(_pdf_text(value) for value in data.row(enrolment))])
    table, tail = pdf.data_table_parts(
        rows,
        widths=widths,
        total_width=pdf.content_width(landscape=True),
        align=data.alignments(),
        font_size=10,
    )
    distribution = data.distribution
    tables = [
        pdf.data_table(
            rows,
            widths=[45, 25, 20],
            total_width=90 * mm,
            align=["left", "center", "center"],
            font_size=10,
        )
        for rows in summary_tables(distribution, assessed=data.assessed)
    ]
    summary = Table([tables], colWidths=[100 * mm] * len(tables), hAlign="LEFT")
    summary.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    notes = []
    if data.assessed and data.has_retakes:
        notes.append(pdf.para(LEGEND_RETAKE, "note"))
    closing = [
        *([tail] if tail else []),
        Spacer(1, 2 * mm),
        *notes,
        pdf.para("Tổng hợp kết quả", "heading"),
        summary,
        Spacer(1, 2 * mm),
        pdf.para(pass_line(distribution)),
    ]
    body = [table]
    if data.draft:
        body.insert(0, pdf.para(DRAFT_LINE, "note", textColor=colors.HexColor("#B00000")))
    return pdf.build_pdf(
        centre=data.course.centre,
        title=TITLE,
        subtitle=course_lines(data.course),
        body=body,
        closing=closing,
        signers=data.signers,
        date=data.day,
        landscape=True,
        draft=data.draft,
    )


def render_xlsx(data: ResultList) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet("Kết quả học tập")
    headers = data.headers()
    columns = len(headers)
    lines = course_lines(data.course)
    if data.draft:
        lines = [*lines, DRAFT_LINE]
    header_row = xlsx_header(
        sheet,
        data.course.centre,
        columns=columns,
        title=TITLE,
        lines=lines,
        day=data.day,
        split=4 if columns >= 8 else 3,
    )
    xlsx_table_header(sheet, header_row, headers)
    sheet.worksheet.row_dimensions[header_row].height = 32
    alignments = data.alignments()
    row = header_row
    for number, enrolment in enumerate(data.enrolments, start=1):
        row += 1
        for column, value in enumerate([number, *data.row(enrolment)], start=1):
            number_format = None
            if isinstance(value, ScoreCell):
                number_format = RETAKE_FORMAT if value.retake else SCORE_FORMAT
                value = value.value
            elif isinstance(value, Decimal):
                number_format = FINAL_FORMAT
            elif isinstance(value, datetime.date):
                number_format = "DD/MM/YYYY"
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = CENTRED if alignments[column - 1] == "center" else WRAPPED
            if number_format:
                cell.number_format = number_format
    if not data.enrolments:
        row += 1
        sheet.write(row, 1, EMPTY, border=True).alignment = CENTRED
        sheet.worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    row += 1
    if data.assessed and data.has_retakes:
        row += 1
        sheet.write(row, 1, LEGEND_RETAKE)
    row += 2
    sheet.write(row, 2, "Tổng hợp kết quả", bold=True)
    distribution = data.distribution
    for table in summary_tables(distribution, assessed=data.assessed):
        row += 1
        for index, values in enumerate(table):
            row += 1
            for offset, value in enumerate(values):
                cell = sheet.write(row, 2 + offset, value, bold=index == 0, border=True)
                cell.alignment = WRAPPED if offset == 0 else CENTRED
    row += 2
    sheet.write(row, 1, pass_line(distribution))
    xlsx_signatures(sheet, row + 2, columns, data.signers)
    scores = len(data.assessments) if data.assessed else 0
    tail = XLSX_TAIL if data.assessed else XLSX_TAIL[2:]
    sheet.widths([*XLSX_LEAD, *([9] * scores), *tail])
    xlsx_print_setup(
        sheet, landscape=True, title_rows=(header_row, header_row), freeze=f"C{header_row + 1}"
    )
    return book.to_bytes()


def build(course: Course, fmt: str, *, maker_name: str = "", day=None) -> tuple[bytes, int]:
    data = collect(course, maker_name=maker_name, day=day)
    content = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    return content, len(data.enrolments)


def result_list_pdf(course: Course, *, maker_name: str = "", day=None) -> bytes:
    return render_pdf(collect(course, maker_name=maker_name, day=day))


def result_list_xlsx(course: Course, *, maker_name: str = "", day=None) -> bytes:
    return render_xlsx(collect(course, maker_name=maker_name, day=day))

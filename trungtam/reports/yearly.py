"""The yearly report (Báo cáo kết quả công tác đào tạo, bồi dưỡng năm YYYY, DESIGN §6, §9).

A report's *content* is one plain, JSON-friendly dict: the centre's header data, the document's
number, date, place, recipients, signer and narrative, the year's summary figures and the
previous year's, and the sections I–V as tables of labels and numbers. The PDF, the XLSX and the
page are all drawn from it (`yearly_documents.py`, `yearly_views.py`).

While the report is a draft, its content is computed from the database each time (the figures of
`figures.py`, aggregated in SQL, a fixed number of queries). `report_send` stores the content in
`YearlyReport.snapshot`; from then on the report is printed only from the snapshot, so it reads
the same tomorrow as today, and it can no longer be edited.

The all-centres report (`yearly_all.py`) has one row per centre plus totals; each centre's
figures come from its sent report's snapshot when there is one, else from the database. It is
issued by the province-level body set in the admin and sent and frozen like a centre's report.

The parts: `yearly_summary` (the figures, additive), `yearly_tables` (sections I–V),
`yearly_text` (the generated sentences); this module builds the content and writes.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lophoc.documents import centre_signer
from trungtam.documents.layout import document_number
from trungtam.models import Centre, DocumentLayout, User
from trungtam.reports.figures import lowest_attendance_units
from trungtam.reports.models import ReportStatus, YearlyReport
from trungtam.text import fold

from .yearly_quality import add_quality
from .yearly_summary import LecturerSummary, Summary, collect_year, previous_summaries
from .yearly_tables import (
    cell_number,
    cell_text,
    report_status_rows,
    sections_for_centre,
)
from .yearly_text import (
    CAUSES_PLACEHOLDER,
    PLACEHOLDER_MARK,
    generate_causes,
    generate_direction,
    generate_lessons,
    generate_limitations,
    generate_recommendations,
    generate_results,
    generate_strengths,
    next_year_plan,
)

__all__ = [  # what the documents, views, command and seed use from here
    "CAUSES_PLACEHOLDER",
    "LecturerSummary",
    "ReportRefused",
    "Summary",
    "cell_number",
    "cell_text",
    "generate_results",
    "is_file_copy",
    "live_content",
    "report_content",
    "report_for",
    "report_save",
    "report_send",
    "report_status_rows",
]

# 3: "Nơi nhận" laid out as the centre's layout says (yearly_documents._recipients); 2: the
# assessment in parts (ưu điểm … kiến nghị) and the cut-off date; 1: three parts.
CONTENT_VERSION = 3
TITLE = "BÁO CÁO"
SUBTITLE = "Kết quả công tác đào tạo, bồi dưỡng năm {year}"
ALL_TITLE = "BÁO CÁO"
ALL_SUBTITLE = "Tổng hợp kết quả công tác đào tạo, bồi dưỡng năm {year} của các trung tâm chính trị"
# The office's own copy ("Lưu Văn phòng." / "Lưu: VT.") is added by the layout, not typed.
DEFAULT_RECIPIENTS = ["Như trên"]
NARRATIVE_FIELDS = (
    "results_text",
    "strengths_text",
    "limitations_text",
    "causes_text",
    "lessons_text",
    "direction_text",
    "recommendations_text",
)
# (field, heading, the group heading printed before it when it opens a group)
NARRATIVE_PARTS = [
    ("results_text", "I. KẾT QUẢ ĐẠT ĐƯỢC", ""),
    ("strengths_text", "1. Ưu điểm", "II. ĐÁNH GIÁ CHUNG"),
    ("limitations_text", "2. Hạn chế", ""),
    ("causes_text", "3. Nguyên nhân", ""),
    ("lessons_text", "4. Bài học kinh nghiệm", ""),
    ("direction_text", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}", ""),
    ("recommendations_text", "IV. KIẾN NGHỊ, ĐỀ XUẤT", ""),
]
# Reports sent before the assessment had its parts (content version 1) print as they were.
NARRATIVE_PARTS_V1 = [
    ("results_text", "I. KẾT QUẢ ĐẠT ĐƯỢC", ""),
    ("limitations_text", "II. HẠN CHẾ VÀ NGUYÊN NHÂN", ""),
    ("direction_text", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}", ""),
]


# The all-centres report (yearly_all.py): the general picture, then the assessment.
ALL_NARRATIVE_PARTS = [
    ("general_text", "I. TÌNH HÌNH CHUNG", ""),
    ("assessment_text", "II. ĐÁNH GIÁ, KIẾN NGHỊ", ""),
]


def narrative_parts(content: dict) -> list[tuple[str, str, str]]:
    """The parts of the narrative a content prints, headings with the year filled in."""
    if content.get("kind") == "all":
        return ALL_NARRATIVE_PARTS
    parts = NARRATIVE_PARTS if content.get("version", 1) >= 2 else NARRATIVE_PARTS_V1
    next_year = content["year"] + 1
    return [(f, h.format(next_year=next_year), g) for f, h, g in parts]


MIN_YEAR, MAX_YEAR = 2000, 2100


class ReportRefused(Exception):
    """The report cannot be changed or sent; the message says why (Vietnamese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- one centre's report -------------------------------------------------------------------


def centre_header(centre: Centre) -> dict:
    """What the documents print about the centre, frozen with a sent report."""
    return {
        "id": centre.pk,
        "code": centre.code,
        "name": centre.name,
        "short_name": centre.short_name,
        "parent_body": centre.parent_body,
        "supervising_committee": centre.supervising_committee,
        "place_name": centre.place_name,
        "document_layout": centre.document_layout,
    }


def header_centre(header: dict) -> Centre:
    """An unsaved Centre carrying the header data, for the document helpers."""
    return Centre(
        code=header.get("code", ""),
        name=header["name"],
        short_name=header.get("short_name") or "TTCT",
        parent_body=header.get("parent_body", ""),
        supervising_committee=header.get("supervising_committee", ""),
        place_name=header.get("place_name", ""),
        document_layout=header.get("document_layout") or DocumentLayout.PARTY,
    )


def report_for(centre: Centre, year: int) -> YearlyReport:
    """The centre's report of the year, or a new unsaved draft with the defaults filled in."""
    report = YearlyReport.objects.filter(centre=centre, year=year).first()
    if report is None:
        report = YearlyReport(centre=centre, year=year)
    if not report.is_sent:
        apply_defaults(report)
    return report


def apply_defaults(report: YearlyReport) -> None:
    """Place, recipients and signer when they are still empty (nothing is saved here)."""
    centre = report.centre
    if not report.place:
        report.place = centre.place_name
    if not report.recipients:
        report.recipients = "\n".join(DEFAULT_RECIPIENTS)
    if not report.signer_title and not report.signer_name:
        signer = centre_signer(centre)
        report.signer_title, report.signer_name = signer.title, signer.name


def recipient_lines(text: str) -> list[str]:
    return [line.strip().lstrip("-").strip() for line in text.splitlines() if line.strip()]


def is_file_copy(line: str) -> bool:
    """ "Lưu VT", "Lưu: VT", "Lưu Văn phòng": the office's own copy, which the layout adds itself
    (`pdf.layout_recipients`)."""
    return fold(line).startswith("luu")


def generated_texts(content: dict) -> dict[str, str]:
    return content.get("generated", {})


def live_content(report: YearlyReport) -> dict:
    """The content of a draft, computed now: a fixed number of queries whatever the data."""
    centre, year = report.centre, report.year
    data = collect_year([centre.pk], year)
    summary = data.summary(centre.pk)
    previous = previous_summaries([centre.pk], year)[centre.pk]
    low_units = lowest_attendance_units([centre.pk], year, limit=3)
    next_plan = next_year_plan([centre.pk], year)
    committee = centre.supervising_committee
    generated = {
        "results_text": generate_results(year, summary, previous, "Trung tâm"),
        "strengths_text": generate_strengths(year, summary, previous),
        "limitations_text": generate_limitations(year, summary, data.figures, low_units),
        "causes_text": generate_causes(),
        "lessons_text": generate_lessons(),
        "direction_text": generate_direction(year, next_plan, committee),
        "recommendations_text": generate_recommendations(summary, low_units, committee),
    }
    header = centre_header(centre)
    return {
        "version": CONTENT_VERSION,
        "kind": "centre",
        "year": year,
        "final": False,
        "centre": header,
        "document": _document(report, header, generated),
        "summary": summary.as_dict(),
        "previous": _previous_dict(previous),
        "sections": add_quality(
            sections_for_centre(data.figures, summary, previous, year), [centre.pk], year
        ),
        "generated": generated,
    }


def _previous_dict(previous: dict) -> dict:
    values = {"summary": previous["summary"].as_dict(), "source": previous["source"]}
    for key in ("number", "report_date"):
        if key in previous:
            values[key] = previous[key]
    return values


def _document(report: YearlyReport, header: dict, generated: dict) -> dict:
    centre = header_centre(header)
    blank = "\u00a0" * 6
    texts = {name: getattr(report, name) or generated.get(name, "") for name in NARRATIVE_FIELDS}
    return {
        "number": report.number,
        "number_text": document_number(centre, report.number or blank, "BC"),
        "report_date": report.report_date.isoformat() if report.report_date else None,
        "data_until": report.data_until.isoformat() if report.data_until else None,
        "place": report.place or centre.place_name,
        "recipients": recipient_lines(report.recipients or "\n".join(DEFAULT_RECIPIENTS)),
        "signer": {"title": report.signer_title, "name": report.signer_name},
        **texts,
    }


def report_content(report: YearlyReport) -> dict:
    """What a report prints: its snapshot once sent, else computed now."""
    if report.is_sent:
        return report.snapshot
    return live_content(report)


def content_date(content: dict) -> datetime.date | None:
    """The date printed: the report's date; None for a draft without one (the documents print a
    blank date line then, never today's date)."""
    value = content["document"].get("report_date")
    return datetime.date.fromisoformat(value) if value else None


def data_until_line(content: dict) -> str:
    """ "(Số liệu tính đến ngày 30/11/2026)" when the report has a cut-off date, else ""."""
    value = content["document"].get("data_until")
    if not value:
        return ""
    return f"(Số liệu tính đến ngày {datetime.date.fromisoformat(value):%d/%m/%Y})"


# --- writes --------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "number",
    "report_date",
    "data_until",
    "place",
    "recipients",
    "signer_title",
    "signer_name",
    *NARRATIVE_FIELDS,
)
SENT_REFUSAL = "Báo cáo năm {year} đã gửi ngày {day}: không sửa được nữa."


def _locked(report: YearlyReport) -> YearlyReport | None:
    if report.pk is None:
        return None
    return YearlyReport.objects.select_for_update().get(pk=report.pk)


def _refuse_if_sent(report: YearlyReport | None) -> None:
    if report is not None and report.is_sent:
        day = timezone.localtime(report.sent_at).date() if report.sent_at else report.report_date
        raise ReportRefused(
            SENT_REFUSAL.format(year=report.year, day=f"{day:%d/%m/%Y}" if day else "")
        )


@transaction.atomic
def report_save(*, report: YearlyReport, values: dict, user: User | None) -> YearlyReport:
    """Save the draft's number, date, recipients, signer and narrative; refused once sent."""
    current = _locked(report)
    _refuse_if_sent(current)
    if current is None:
        # Two people saving a new report at once: the second one updates the first one's row.
        current = (
            YearlyReport.objects.select_for_update()
            .filter(centre=report.centre, year=report.year)
            .first()
        )
        _refuse_if_sent(current)
    target = current or report
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(target, name, values[name])
    target.full_clean()
    target._history_user = user
    target.save()
    return target


def placeholder_in(text: str) -> str | None:
    """The first placeholder left in a text ("[Nêu …]"), or None."""
    start = (text or "").find(PLACEHOLDER_MARK)
    if start < 0:
        return None
    end = text.find("]", start)
    found = text[start : end + 1] if end > 0 else text[start:]
    return found if len(found) <= 80 else found[:77] + "…"


def text_refusals(report, fields) -> list[str]:
    """Why the report's texts cannot be sent yet: a part left empty, or still holding a «[…]»
    placeholder (the centre's report and the all-centres report alike)."""
    missing = []
    for name in fields:
        label = type(report)._meta.get_field(name).verbose_name
        text = getattr(report, name).strip()
        if not text:
            missing.append(f"Hãy viết và lưu phần «{label}».")
        elif placeholder := placeholder_in(text):
            missing.append(
                f"Phần «{label}» còn chỗ để trống trong ngoặc vuông: «{placeholder}». Hãy thay "
                "bằng nội dung thật rồi lưu."
            )
    return missing


def cut_off_refusals(
    year: int, data_until: datetime.date | None, report_date: datetime.date | None, today
) -> list[str]:
    """Before the year has ended a report is sent only with the date its figures run to."""
    refusals = []
    last_day = datetime.date(year, 12, 31)
    if today <= last_day and data_until is None:
        refusals.append(
            f"Năm {year} chưa kết thúc (đến hết ngày {last_day:%d/%m/%Y}): muốn gửi báo cáo "
            "trước, hãy nhập «Số liệu tính đến ngày»; ngày đó được in trên báo cáo."
        )
    if data_until is not None:
        if data_until.year != year:
            refusals.append(f"«Số liệu tính đến ngày» phải là một ngày của năm {year}.")
        elif data_until > today:
            refusals.append(
                f"«Số liệu tính đến ngày» ({data_until:%d/%m/%Y}) chưa đến: hãy nhập một ngày "
                "đã qua."
            )
        if report_date is not None and data_until > report_date:
            refusals.append(
                f"«Số liệu tính đến ngày» ({data_until:%d/%m/%Y}) sau ngày báo cáo "
                f"({report_date:%d/%m/%Y})."
            )
    return refusals


def send_refusals(report: YearlyReport, *, today: datetime.date | None = None) -> list[str]:
    """What is missing before the report can be marked sent (Vietnamese), or nothing: number,
    date, signer, every part written with no placeholder "[…]" left, and before the year has
    ended a cut-off date."""
    today = today or timezone.localdate()
    missing = []
    if not report.number:
        missing.append("Hãy nhập số văn bản của báo cáo.")
    if not report.report_date:
        missing.append("Hãy nhập ngày báo cáo.")
    if not report.signer_name:
        missing.append("Hãy nhập họ tên người ký.")
    missing += text_refusals(report, NARRATIVE_FIELDS)
    missing += cut_off_refusals(report.year, report.data_until, report.report_date, today)
    return missing


def sign_on_send(report, user: User | None) -> None:
    """Sign and keep the final PDF of a report being marked sent (issue 18). A key configured
    that refuses to sign refuses the send: the transaction is undone and nothing is frozen."""
    from trungtam.signing import SigningRefused

    from .yearly_signing import WHO_CAN_FIX, sign_sent

    # The snapshot as stored, so the PDF signed now is the one every download builds later.
    content = type(report).objects.values_list("snapshot", flat=True).get(pk=report.pk)
    try:
        sign_sent(report, content, user=user)
    except SigningRefused as refused:
        raise ReportRefused(
            f"Chưa đánh dấu đã gửi: không ký số được báo cáo. {refused.message} {WHO_CAN_FIX}"
        ) from None


@transaction.atomic
def report_send(
    *, report: YearlyReport, user: User | None, today: datetime.date | None = None
) -> YearlyReport:
    """Mark the report sent: its content (figures, header, signer, text) is frozen in the
    snapshot, and the report is printed from it from now on, byte for byte the same; with the
    centre's key configured its PDF is signed and kept (`sign_on_send`)."""
    current = _locked(report)
    if current is None:
        raise ReportRefused("Hãy lưu báo cáo trước khi đánh dấu đã gửi.")
    _refuse_if_sent(current)
    missing = send_refusals(current, today=today)
    if missing:
        raise ReportRefused(" ".join(missing))
    content = live_content(current)
    content.pop("generated", None)
    content["final"] = True
    current.snapshot = content
    current.status = ReportStatus.SENT
    current.sent_at = timezone.now()
    current.sent_by = user if user is not None and user.pk else None
    current._history_user = user
    current.save()
    sign_on_send(current, user)
    return current


# --- the all-centres report (its content and writes: yearly_all.py) --------------------------


def report_centres(queryset, year: int) -> list[Centre]:
    """The centres an all-centres report covers: active ones, and any with classes or a report
    in the year."""
    return list(
        queryset.filter(
            Q(active=True) | Q(courses__start_date__year=year) | Q(yearly_reports__year=year)
        )
        .distinct()
        .order_by("name", "pk")
    )


def valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR

"""The yearly report (Báo cáo kết quả công tác đào tạo, bồi dưỡng năm YYYY, DESIGN §6, §9).

A report's *content* is one plain, JSON-friendly dict: the centre's header data, the document's
number, date, place, recipients, signer and narrative, the year's summary figures and the
previous year's, and the sections I–V as tables of labels and numbers. The PDF, the XLSX and the
page are all drawn from it (`yearly_documents.py`, `yearly_views.py`).

While the report is a draft, its content is computed from the database each time (the figures of
`figures.py`, aggregated in SQL, a fixed number of queries). `report_send` stores the content in
`YearlyReport.snapshot`; from then on the report is printed only from the snapshot, so it reads
the same tomorrow as today, and it can no longer be edited.

The all-centres report (`all_centres_content`) has one row per centre plus totals; each centre's
figures come from its sent report's snapshot when there is one, else from the database. It is a
draft until every centre's report of the year is sent.

The parts: `yearly_summary` (the figures, additive), `yearly_tables` (sections I–V),
`yearly_text` (the generated sentences); this module builds the content and writes.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lophoc.documents import centre_signer
from trungtam.documents.layout import document_number
from trungtam.models import Centre, DocumentLayout, ReportStatus, User, YearlyReport
from trungtam.reports.figures import lowest_attendance_units
from trungtam.text import title_key

from .yearly_summary import LecturerSummary, Summary, collect_year, previous_summaries
from .yearly_tables import (
    CentreEntry,
    cell_number,
    cell_text,
    report_status_rows,
    sections_for_all,
    sections_for_centre,
)
from .yearly_text import (
    CAUSES_PLACEHOLDER,
    generate_direction,
    generate_limitations,
    generate_results,
    next_year_plan,
)

__all__ = [  # what the documents, views, command and seed use from here
    "CAUSES_PLACEHOLDER",
    "LecturerSummary",
    "ReportRefused",
    "Summary",
    "all_centres_content",
    "cell_number",
    "cell_text",
    "generate_results",
    "live_content",
    "report_content",
    "report_for",
    "report_save",
    "report_send",
    "report_status_rows",
]

CONTENT_VERSION = 1
TITLE = "BÁO CÁO"
SUBTITLE = "Kết quả công tác đào tạo, bồi dưỡng năm {year}"
ALL_TITLE = "BÁO CÁO TỔNG HỢP"
ALL_SUBTITLE = "Kết quả công tác đào tạo, bồi dưỡng năm {year} của các trung tâm chính trị"
DEFAULT_RECIPIENTS = ["Như trên", "Lưu VT"]
NARRATIVE_FIELDS = ("results_text", "limitations_text", "direction_text")
NARRATIVE_HEADINGS = {
    "results_text": "I. KẾT QUẢ ĐẠT ĐƯỢC",
    "limitations_text": "II. HẠN CHẾ VÀ NGUYÊN NHÂN",
    "direction_text": "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {next_year}",
}
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
    generated = {
        "results_text": generate_results(year, summary, previous, "Trung tâm"),
        "limitations_text": generate_limitations(year, summary, data.figures, low_units),
        "direction_text": generate_direction(year, next_plan, centre.supervising_committee),
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
        "sections": sections_for_centre(data.figures, summary, previous, year),
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


def content_date(content: dict) -> datetime.date:
    """The date printed: the report's date, or today for a draft without one."""
    value = content["document"].get("report_date")
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


# --- writes --------------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "number",
    "report_date",
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


def send_refusals(report: YearlyReport) -> list[str]:
    """What is missing before the report can be marked sent (Vietnamese), or nothing."""
    missing = []
    if not report.number:
        missing.append("Hãy nhập số văn bản của báo cáo.")
    if not report.report_date:
        missing.append("Hãy nhập ngày báo cáo.")
    if not report.signer_name:
        missing.append("Hãy nhập họ tên người ký.")
    for name in NARRATIVE_FIELDS:
        if not getattr(report, name).strip():
            label = YearlyReport._meta.get_field(name).verbose_name
            missing.append(f"Hãy viết và lưu phần «{label}».")
    return missing


@transaction.atomic
def report_send(*, report: YearlyReport, user: User | None) -> YearlyReport:
    """Mark the report sent: its content (figures, header, signer, text) is frozen in the
    snapshot, and the report is printed from it from now on, byte for byte the same."""
    current = _locked(report)
    if current is None:
        raise ReportRefused("Hãy lưu báo cáo trước khi đánh dấu đã gửi.")
    _refuse_if_sent(current)
    missing = send_refusals(current)
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
    return current


# --- the all-centres report ------------------------------------------------------------------


# --- the all-centres report ------------------------------------------------------------------


def all_centres_content(centres: list[Centre], year: int, *, issuer: dict | None = None) -> dict:
    """One row per centre plus totals; from the sent snapshots where there are some.

    A draft (DỰ THẢO) until every centre's report of the year is sent.
    """
    centres = sorted(centres, key=lambda c: (title_key(c.name), c.pk))
    ids = [c.pk for c in centres]
    reports = {r.centre_id: r for r in YearlyReport.objects.filter(centre_id__in=ids, year=year)}
    unsent = [pk for pk in ids if not (pk in reports and reports[pk].is_sent)]
    live = collect_year(unsent, year) if unsent else None
    # The previous year from the snapshots of this year's sent reports, else as computed now.
    previous_live = previous_summaries(unsent, year) if unsent else {}
    entries = []
    for centre in centres:
        report = reports.get(centre.pk)
        if report is not None and report.is_sent:
            snapshot = report.snapshot
            previous = dict(snapshot["previous"])
            previous["summary"] = Summary.from_dict(previous["summary"])
            entries.append(
                CentreEntry(centre, report, Summary.from_dict(snapshot["summary"]), previous)
            )
        else:
            entries.append(
                CentreEntry(centre, report, live.summary(centre.pk), previous_live[centre.pk])
            )
    total = sum((e.summary for e in entries), Summary())
    previous_total = {
        "summary": sum((e.previous["summary"] for e in entries), Summary()),
        "source": "sent" if all(e.previous["source"] == "sent" for e in entries) else "live",
    }
    final = bool(entries) and all(e.is_sent for e in entries)
    if final:
        day = max(e.report.report_date for e in entries)
    else:
        day = timezone.localdate()
    header = issuer or all_centres_issuer(centres)
    generated = generate_results(year, total, previous_total, "các trung tâm")
    return {
        "version": CONTENT_VERSION,
        "kind": "all",
        "year": year,
        "final": final,
        "centre": header,
        "document": {
            "number": "",
            "number_text": "",
            "report_date": day.isoformat(),
            "place": header["place_name"],
            "recipients": [],
            "signer": {"title": "", "name": ""},
            "results_text": generated,
            "limitations_text": "",
            "direction_text": "",
        },
        "summary": total.as_dict(),
        "previous": {
            "summary": previous_total["summary"].as_dict(),
            "source": previous_total["source"],
        },
        "reports": [_report_status_row(e) for e in entries],
        "sections": sections_for_all(entries, total, previous_total, year),
    }


def all_centres_issuer(centres: list[Centre]) -> dict:
    """The header of the all-centres report: the settings' issuer, else a neutral one."""
    from django.conf import settings

    place = getattr(settings, "YEARLY_REPORT_PLACE", "") or (
        centres[0].place_name if centres else ""
    )
    return {
        "id": None,
        "code": "",
        "name": getattr(settings, "YEARLY_REPORT_ISSUER", "") or "Các trung tâm chính trị",
        "short_name": "",
        "parent_body": getattr(settings, "YEARLY_REPORT_PARENT_BODY", ""),
        "supervising_committee": "",
        "place_name": place,
        "document_layout": DocumentLayout.PARTY,
    }


def _report_status_row(entry: CentreEntry) -> dict:
    report = entry.report
    if report is None or not report.pk:
        return {"centre": entry.centre.name, "number": "", "date": "", "status": "Chưa lập"}
    number = ""
    if report.is_sent:
        number = report.snapshot["document"]["number_text"]
    elif report.number:
        number = document_number(entry.centre, report.number, "BC")
    return {
        "centre": entry.centre.name,
        "number": number,
        "date": f"{report.report_date:%d/%m/%Y}" if report.report_date else "",
        "status": report.get_status_display(),
    }


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

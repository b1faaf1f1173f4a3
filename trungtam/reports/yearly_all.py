"""The all-centres report (báo cáo tổng hợp, the province roll-up of the yearly report).

It is an official document of a real issuer: the province-level body that reads the centres'
figures (`ReportIssuer`, set in the admin by those who see every centre; DESIGN §8a). Its header,
place, "Kính gửi", "Nơi nhận" and signer come from that body; its number, date, cut-off date and
two texts ("Tình hình chung", "Đánh giá, kiến nghị", pre-filled from the figures) from the
year's `AllCentresReport`. Without an issuer in use nothing is printed: `NoIssuer` says what to
set up.

Like a centre's report it is a draft (DỰ THẢO on every page) until it is marked sent; sending
freezes the content — figures, header, signer and text — in the report's snapshot, from which it
reprints byte for byte. It reuses the centre report's rules: no "[…]" placeholder left, before the
year has ended only with a cut-off date (`yearly.text_refusals`, `yearly.cut_off_refusals`).
It also waits for the centres: it is not sent while a centre's report of the year is unsent, since
a province roll-up reports what the centres reported.

The content has the shape of a centre's (`yearly.live_content`) with `kind: "all"`, so the same
document builders draw both; `content["centre"]` holds the issuer's header.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from trungtam.documents.layout import NUMBER_BLANK, document_number
from trungtam.documents.numbers import format_number, format_percent
from trungtam.models import Centre, ReportIssuer, User
from trungtam.reports.models import AllCentresReport, ReportStatus, YearlyReport
from trungtam.text import title_key

from .yearly import (
    CONTENT_VERSION,
    ReportRefused,
    Summary,
    cut_off_refusals,
    header_centre,
    is_file_copy,
    recipient_lines,
    sign_on_send,
    text_refusals,
)
from .yearly_quality import section_quality_all
from .yearly_summary import collect_year, previous_summaries
from .yearly_tables import CentreEntry, sections_for_all
from .yearly_text import (
    ATTENDANCE_TARGET,
    generate_limitations,
    generate_results,
    generate_strengths,
)

NO_ISSUER = (
    "Chưa khai báo cơ quan ban hành báo cáo tổng hợp (cơ quan cấp tỉnh nhận số liệu của các trung "
    "tâm). Quản trị viên xem được mọi trung tâm hãy vào Quản trị › Trung tâm và người dùng › Cơ "
    "quan ban hành báo cáo tổng hợp › Thêm: nhập tên cơ quan, cơ quan cấp trên, tên viết tắt, địa "
    "danh, thể thức, kính gửi, nơi nhận, chức danh và họ tên người ký, đánh dấu «Đang dùng»."
)
RECOMMENDATIONS_PLACEHOLDER = "[Nêu kiến nghị, đề xuất; nếu không có, ghi «Không có.»]"
TEXT_FIELDS = ("general_text", "assessment_text")
EDITABLE_FIELDS = ("number", "report_date", "data_until", *TEXT_FIELDS)
UNSENT_CENTRES = (
    "Báo cáo tổng hợp tổng hợp báo cáo đã gửi của các trung tâm; còn {count} trung tâm chưa gửi "
    "báo cáo năm {year}: {names}."
)


class NoIssuer(ReportRefused):
    """No `ReportIssuer` is in use: the report has no issuer to print."""

    def __init__(self):
        super().__init__(NO_ISSUER)


def may_write(user: User) -> bool:
    """Who edits and sends the all-centres report: admins who see every centre."""
    return user.is_authenticated and user.is_admin and user.sees_all_centres


# --- reading -----------------------------------------------------------------------------------


def all_report_for(year: int) -> AllCentresReport:
    """The year's all-centres report, or a new unsaved draft. A draft is issued by the body in
    use now (None when there is none); a sent one keeps the issuer it was sent by."""
    report = AllCentresReport.objects.select_related("issuer").filter(year=year).first()
    if report is None:
        report = AllCentresReport(year=year)
    if not report.is_sent:
        report.issuer = ReportIssuer.objects.active().first()
    return report


def has_issuer(report: AllCentresReport) -> bool:
    return report.is_sent or report.issuer_id is not None


def issuer_header(issuer: ReportIssuer) -> dict:
    """What the documents print about the issuer (the keys of `yearly.centre_header`)."""
    return {
        "id": issuer.pk,
        "code": "",
        "name": issuer.name,
        "short_name": issuer.short_name,
        "parent_body": issuer.parent_body,
        "supervising_committee": issuer.addressee,
        "place_name": issuer.place_name,
        "document_layout": issuer.document_layout,
    }


def all_centres_content(
    centres: list[Centre], year: int, *, report: AllCentresReport | None = None
) -> dict:
    """What the all-centres report prints: its snapshot once sent, else computed now (a fixed
    number of queries). Raises `NoIssuer` for a draft when no issuer is in use."""
    report = report if report is not None else all_report_for(year)
    if report.is_sent:
        return report.snapshot
    if report.issuer_id is None:
        raise NoIssuer()
    return _live_content(report, centres)


def _entries(centres: list[Centre], year: int) -> list[CentreEntry]:
    """One entry per centre: from its sent report's snapshot, else computed now."""
    ids = [c.pk for c in centres]
    reports = {r.centre_id: r for r in YearlyReport.objects.filter(centre_id__in=ids, year=year)}
    unsent = [pk for pk in ids if not (pk in reports and reports[pk].is_sent)]
    live = collect_year(unsent, year) if unsent else None
    previous_live = previous_summaries(unsent, year) if unsent else {}
    entries = []
    for centre in centres:
        report = reports.get(centre.pk)
        if report is not None and report.is_sent:
            snapshot = report.snapshot
            previous = dict(snapshot["previous"])
            previous["summary"] = Summary.from_dict(previous["summary"])
            summary = Summary.from_dict(snapshot["summary"])
            entries.append(CentreEntry(centre, report, summary, previous))
        else:
            summary = live.summary(centre.pk)
            entries.append(CentreEntry(centre, report, summary, previous_live[centre.pk]))
    return entries


def _live_content(report: AllCentresReport, centres: list[Centre]) -> dict:
    year = report.year
    centres = sorted(centres, key=lambda c: (title_key(c.name), c.pk))
    entries = _entries(centres, year)
    total = sum((e.summary for e in entries), Summary())
    previous_total = {
        "summary": sum((e.previous["summary"] for e in entries), Summary()),
        "source": "sent" if all(e.previous["source"] == "sent" for e in entries) else "live",
    }
    generated = {
        "general_text": generate_results(year, total, previous_total, "các trung tâm"),
        "assessment_text": generate_assessment(year, total, previous_total, entries),
    }
    issuer = report.issuer
    header = issuer_header(issuer)
    texts = {name: getattr(report, name) or generated[name] for name in TEXT_FIELDS}
    return {
        "version": CONTENT_VERSION,
        "kind": "all",
        "year": year,
        "final": False,
        "centre": header,
        "document": {
            "number": report.number,
            "number_text": document_number(
                header_centre(header), report.number or NUMBER_BLANK, "BC"
            ),
            "report_date": report.report_date.isoformat() if report.report_date else None,
            "data_until": report.data_until.isoformat() if report.data_until else None,
            "place": issuer.place_name,
            "addressee": issuer.addressee,
            "recipients": [
                line for line in recipient_lines(issuer.recipients) if not is_file_copy(line)
            ],
            "signer": {"title": issuer.signer_title, "name": issuer.signer_name},
            **texts,
        },
        "summary": total.as_dict(),
        "previous": {
            "summary": previous_total["summary"].as_dict(),
            "source": previous_total["source"],
        },
        "reports": [_report_status_row(e) for e in entries],
        "unsent": [e.centre.name for e in entries if not e.is_sent],
        "sections": [
            *sections_for_all(entries, total, previous_total, year),
            section_quality_all([e.centre for e in entries], year),
        ],
        "generated": generated,
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


def generate_assessment(year: int, total: Summary, previous: dict, entries) -> str:
    """ "Đánh giá, kiến nghị" from the figures: strengths and limitations of the centres together,
    the centres below plan or below the attendance target by name, then a placeholder for the
    recommendations only people can write."""
    strengths = generate_strengths(year, total, previous).splitlines()
    limitations = [
        line
        for line in generate_limitations(year, total, None, []).splitlines()
        if not line.startswith("[")
    ]
    for entry in entries:
        figures = entry.summary.total
        name = entry.centre.name
        if figures.planned_classes and figures.opened < figures.planned_classes:
            limitations.append(
                f"{name} mới mở {format_number(figures.opened)}/"
                f"{format_number(figures.planned_classes)} lớp theo kế hoạch "
                f"({format_percent(figures.classes_of_plan)})."
            )
        if figures.attendance_rate is not None and figures.attendance_rate < ATTENDANCE_TARGET:
            limitations.append(
                f"{name} có tỷ lệ chuyên cần {format_percent(figures.attendance_rate)}, chưa đạt "
                f"mức {format_number(ATTENDANCE_TARGET)}%."
            )
    lines = ["Ưu điểm: " + " ".join(strengths)]
    if limitations:
        lines.append("Hạn chế: " + " ".join(limitations))
    else:
        lines.append("Hạn chế: [Nêu những hạn chế trong năm, nếu có]")
    lines.append("Kiến nghị, đề xuất: " + RECOMMENDATIONS_PLACEHOLDER)
    return "\n".join(lines)


# --- writing -----------------------------------------------------------------------------------

SENT_REFUSAL = "Báo cáo tổng hợp năm {year} đã gửi ngày {day}: không sửa được nữa."


def _refuse_if_sent(report: AllCentresReport | None) -> None:
    if report is not None and report.is_sent:
        day = timezone.localtime(report.sent_at).date() if report.sent_at else report.report_date
        raise ReportRefused(
            SENT_REFUSAL.format(year=report.year, day=f"{day:%d/%m/%Y}" if day else "")
        )


def _current(year: int) -> AllCentresReport | None:
    return AllCentresReport.objects.select_for_update().filter(year=year).first()


@transaction.atomic
def all_report_save(*, year: int, values: dict, user: User | None) -> AllCentresReport:
    """Save the draft's number, dates and texts, issued by the body in use; refused once sent
    and when no issuer is in use."""
    current = _current(year)
    _refuse_if_sent(current)
    issuer = ReportIssuer.objects.active().first()
    if issuer is None:
        raise NoIssuer()
    report = current or AllCentresReport(year=year)
    report.issuer = issuer
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(report, name, values[name])
    report.full_clean()
    report._history_user = user
    report.save()
    return report


def send_refusals(
    report: AllCentresReport, content: dict, *, today: datetime.date | None = None
) -> list[str]:
    """What is missing before the report can be marked sent (Vietnamese), or nothing."""
    today = today or timezone.localdate()
    missing = []
    if report.pk is None:
        missing.append("Hãy lưu báo cáo (số, ngày, nội dung) trước khi đánh dấu đã gửi.")
    if not report.number:
        missing.append("Hãy nhập số văn bản của báo cáo.")
    if not report.report_date:
        missing.append("Hãy nhập ngày báo cáo.")
    if report.issuer_id and not report.issuer.signer_name:
        missing.append("Hãy nhập họ tên người ký của cơ quan ban hành (trang quản trị).")
    missing += text_refusals(report, TEXT_FIELDS)
    missing += cut_off_refusals(report.year, report.data_until, report.report_date, today)
    unsent = content.get("unsent", [])
    if unsent:
        missing.append(
            UNSENT_CENTRES.format(count=len(unsent), year=report.year, names=", ".join(unsent))
        )
    return missing


@transaction.atomic
def all_report_send(
    *,
    year: int,
    centres: list[Centre],
    user: User | None,
    today: datetime.date | None = None,
) -> AllCentresReport:
    """Mark the report sent: its content is frozen in the snapshot and printed from it from now
    on, byte for byte the same, whatever later happens to the centres, their reports or the
    issuer's data."""
    current = _current(year)
    if current is None:
        raise ReportRefused("Hãy lưu báo cáo tổng hợp trước khi đánh dấu đã gửi.")
    _refuse_if_sent(current)
    issuer = ReportIssuer.objects.active().first()
    if issuer is None:
        raise NoIssuer()
    current.issuer = issuer
    content = _live_content(current, centres)
    missing = send_refusals(current, content, today=today)
    if missing:
        raise ReportRefused(" ".join(missing))
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

"""Pages of the yearly report: the list of the year's reports, one centre's report (figures,
narrative form, send), the PDF and XLSX, and the all-centres report.

Reading needs Right.REPORTS (staff, admins, officials in their scope; lecturers get 403, another
centre 404). Writing (save, regenerate) needs Right.MANAGE: officials get 403. Marking a report
sent is for `user.approves_for_centre` only, after a confirmation page.

The all-centres report exists for those whose scope holds several centres (404 for others); it
is edited and marked sent by admins who see every centre (province officials read it: 403 on
writes). Without an issuer set in the admin its pages say what to set up and print nothing.

A sent report's PDF is its digitally signed copy when there is one (issue 18, yearly_signing):
"Tải PDF" returns it (signing it first when the centre's key is configured), `?ban=de-ky` the
unsigned final PDF to sign on a leader's PC, and the upload brings the signed file back (those
who edit the report: Right.MANAGE; for the all-centres report, its writers).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trungtam.document_files import PDF, document_kind
from trungtam.document_files import DocumentRefused as UploadRefused
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate, year_param
from trungtam.models import Centre
from trungtam.reports.models import AllCentresReport, ReportStatus, YearlyReport
from trungtam.scoping import Right, centres_for, has_right, require
from trungtam.signing import SigningRefused, signing_enabled
from trungtam.signing.documents import ExternalRefused

from . import yearly, yearly_all, yearly_signing
from .figures import Figures, year_figures
from .yearly import (
    NARRATIVE_FIELDS,
    ReportRefused,
    Summary,
    cell_text,
)
from .yearly_documents import build, is_draft, report_filename, signable_pdf
from .yearly_forms import REGENERATE, AllCentresReportForm, YearlyReportForm

ALIGN_CLASSES = {"right": "text-end text-nowrap", "center": "text-center"}
ROW_CLASSES = {"subtotal": "fw-semibold", "total": "fw-bold table-light", "section": "fst-italic"}


def _year(request) -> int:
    return year_param(request, timezone.localdate().year)


def _centre(request, centre_id: int, year: int) -> Centre:
    """The centre in the user's scope (404 otherwise), then the right to read reports (403)."""
    if not yearly.valid_year(year):
        raise Http404("Không tìm thấy.")
    centre = get_object_or_404(centres_for(request.user), pk=centre_id)
    require(request.user, Right.REPORTS)
    return centre


def _detail_url(centre: Centre, year: int) -> str:
    return reverse("reports:yearly_detail", args=[centre.pk, year])


def _list_url(year: int) -> str:
    return reverse("reports:yearly_list") + f"?nam={year}"


def _crumbs(year: int, label: str | None = None, centre: Centre | None = None):
    crumbs = [("Báo cáo năm", _list_url(year))]
    if centre is not None and label:
        crumbs.append((f"{centre.name} – năm {year}", _detail_url(centre, year)))
        crumbs.append((label, None))
    elif centre is not None:
        crumbs.append((f"{centre.name} – năm {year}", None))
    return crumbs


def display_sections(content: dict) -> list[dict]:
    """The sections as the page shows them: header cells with their spans, rows as text."""
    sections = []
    for section in content["sections"]:
        tables = []
        for table in section["tables"]:
            covered = set()
            spans = {}
            for c0, r0, c1, r1 in table["spans"]:
                spans[(r0, c0)] = (c1 - c0 + 1, r1 - r0 + 1)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if (r, c) != (r0, c0):
                            covered.add((r, c))
            header = []
            for r, line in enumerate(table["header"]):
                cells = []
                for c, label in enumerate(line):
                    if (r, c) in covered:
                        continue
                    colspan, rowspan = spans.get((r, c), (1, 1))
                    cells.append({"text": label, "colspan": colspan, "rowspan": rowspan})
                header.append(cells)
            align = [ALIGN_CLASSES.get(a, "") for a in table["align"]]
            rows = []
            for row in table["rows"]:
                kind = row["kind"]
                values = row["cells"][:2] if kind == "section" else row["cells"]
                cells = [
                    {"text": value if column < 2 else cell_text(value), "css": align[column]}
                    for column, value in enumerate(values)
                ]
                rows.append(
                    {
                        "cells": cells,
                        "css": ROW_CLASSES.get(kind, ""),
                        "span": len(row["cells"]) - 1 if kind == "section" else 0,
                    }
                )
            tables.append(
                {
                    "title": table.get("title", ""),
                    "header": header,
                    "rows": rows,
                    "notes": table.get("notes", []),
                }
            )
        sections.append({"key": section["key"], "title": section["title"], "tables": tables})
    return sections


def _narrative(content: dict) -> list[dict]:
    return [
        {
            "group": group,
            "heading": heading,
            "lines": [line for line in content["document"].get(name, "").splitlines() if line],
        }
        for name, heading, group in yearly.narrative_parts(content)
    ]


@login_required
def yearly_list(request):
    """The year's report of every centre in scope, with its headline figures and state."""
    require(request.user, Right.REPORTS)
    year = _year(request)
    page_obj = paginate(request, centres_for(request.user).order_by("name", "pk"))
    centres = list(page_obj)
    ids = [c.pk for c in centres]
    by_centre = year_figures(ids, year, with_people=False).by_centre if ids else {}
    reports = {
        r.centre_id: r
        for r in YearlyReport.objects.filter(centre_id__in=ids, year=year).only(
            "id", "centre_id", "year", "status", "number", "report_date", "sent_at", "snapshot"
        )
    }
    rows = []
    for centre in centres:
        report = reports.get(centre.pk)
        figures = by_centre.get(centre.pk, Figures())
        if report is not None and report.is_sent:
            figures = Summary.from_dict(report.snapshot["summary"]).total
        rows.append({"centre": centre, "report": report, "figures": figures})
    several = page_obj.paginator.count > 1
    return render(
        request,
        "reports/yearly_list.html",
        {
            "year": year,
            "previous_year": year - 1,
            "next_year": year + 1,
            "rows": rows,
            "page_obj": page_obj,
            "several": several,
            # The all-centres report is a draft until the province marks it sent.
            "all_sent": several
            and AllCentresReport.objects.filter(year=year, status=ReportStatus.SENT).exists(),
            "crumbs": [("Báo cáo năm", None)],
        },
    )


@login_required
def yearly_detail(request, centre_id: int, year: int):
    """The report page: figures I–V, the narrative form (staff), send (leaders)."""
    centre = _centre(request, centre_id, year)
    user = request.user
    if request.method == "POST":
        require(user, Right.MANAGE)
    report = yearly.report_for(centre, year)
    can_edit = has_right(user, Right.MANAGE) and not report.is_sent
    content = yearly.report_content(report)
    generated = yearly.generated_texts(content)
    form = None
    if request.method == "POST":
        if report.is_sent:
            messages.error(request, f"Báo cáo năm {year} đã gửi: không sửa được nữa.")
            return redirect(_detail_url(centre, year))
        if REGENERATE in request.POST:
            data = request.POST.copy()
            for name in NARRATIVE_FIELDS:
                data[name] = generated.get(name, "")
            form = YearlyReportForm(data, instance=report, year=year)
            messages.info(
                request,
                "Đã tạo lại nội dung từ số liệu (chưa lưu). Hãy đọc, sửa rồi bấm «Lưu báo cáo».",
            )
        else:
            form = YearlyReportForm(request.POST, instance=report, year=year)
            if form.is_valid():
                try:
                    yearly.report_save(report=report, values=form.cleaned_data, user=user)
                except ReportRefused as refused:
                    messages.error(request, refused.message)
                else:
                    messages.success(request, f"Đã lưu báo cáo năm {year} của {centre.name}.")
                return redirect(_detail_url(centre, year))
    elif can_edit:
        initial = {
            name: generated.get(name, "") for name in NARRATIVE_FIELDS if not getattr(report, name)
        }
        form = YearlyReportForm(instance=report, year=year, initial=initial)
    saved_texts = bool(report.pk) and all(getattr(report, name) for name in NARRATIVE_FIELDS)
    return render(
        request,
        "reports/yearly_detail.html",
        {
            "centre": centre,
            "year": year,
            "report": report,
            "content": content,
            "document": content["document"],
            "draft": is_draft(content),
            "sections": display_sections(content),
            "narrative": _narrative(content),
            "form": form,
            "can_edit": can_edit,
            "can_send": can_edit and user.approves_for_centre,
            "saved_texts": saved_texts,
            **_signature_context(
                report,
                pdf_url=reverse("reports:yearly_pdf", args=[centre.pk, year]),
                upload_url=reverse("reports:yearly_signed_upload", args=[centre.pk, year]),
                can_upload=has_right(user, Right.MANAGE),
            ),
            "previous_year": year - 1,
            "next_year": year + 1,
            "crumbs": _crumbs(year, centre=centre),
        },
    )


@login_required
def yearly_send(request, centre_id: int, year: int):
    """Confirm, then mark the report sent: its figures and text are frozen from then on."""
    centre = _centre(request, centre_id, year)
    require(request.user, Right.MANAGE)
    if not request.user.approves_for_centre:
        raise PermissionDenied("Chỉ lãnh đạo trung tâm hoặc quản trị đánh dấu báo cáo đã gửi.")
    report = yearly.report_for(centre, year)
    if report.is_sent:
        messages.info(request, f"Báo cáo năm {year} đã được đánh dấu đã gửi.")
        return redirect(_detail_url(centre, year))
    missing = (
        yearly.send_refusals(report)
        if report.pk
        else ["Hãy lưu báo cáo (số, ngày, nội dung) trước khi đánh dấu đã gửi."]
    )
    content = yearly.report_content(report) if not missing else None
    if request.method == "POST" and not missing:
        try:
            yearly.report_send(report=report, user=request.user)
        except ReportRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                f"Đã đánh dấu báo cáo năm {year} đã gửi. Số liệu và nội dung được chốt: bản in "
                "từ nay luôn giống hệt.",
            )
        return redirect(_detail_url(centre, year))
    return render(
        request,
        "reports/yearly_send.html",
        {
            "centre": centre,
            "year": year,
            "report": report,
            "missing": missing,
            "frozen": _frozen(content) if content else None,
            "crumbs": _crumbs(year, "Đánh dấu đã gửi", centre),
        },
    )


def _frozen(content: dict) -> dict:
    """What sending freezes, as the confirmation page lists it."""
    document = content["document"]
    total = Summary.from_dict(content["summary"]).total
    return {
        "number": document["number_text"],
        "date": yearly.content_date(content),
        "until": yearly.data_until_line(content),
        "signer": document["signer"],
        "recipients": document.get("recipients", []),
        "sections": [section["title"] for section in content["sections"]],
        "figures": total,
        "parts": _narrative(content),
    }


def _download(document) -> FileResponse:
    return file_download(document.content, document.filename, cache_control="private, no-cache")


# --- the signed copy (issue 18) --------------------------------------------------------------

UNSIGNED_KEY, UNSIGNED_VALUE = "ban", "de-ky"


def _signature_context(report, *, pdf_url: str, upload_url: str, can_upload: bool) -> dict:
    """What the report's page says about its signed copy (sent reports only)."""
    if not report.is_sent:
        return {"signature": None}
    return {
        "signature": {
            "kept": yearly_signing.kept_copy(report),
            "signing_on": signing_enabled(),
            "unsigned_url": f"{pdf_url}?{UNSIGNED_KEY}={UNSIGNED_VALUE}",
            "upload_url": upload_url if can_upload else "",
        }
    }


def _pdf_download(request, report, content: dict, back: str):
    """The PDF: a sent report's signed copy (or, asked for, the unsigned final "bản để ký");
    a draft as printed. A key that refuses to sign sends the user back with the reason."""
    filename = report_filename(content, "pdf")
    if request.GET.get(UNSIGNED_KEY) == UNSIGNED_VALUE and not is_draft(content):
        return file_download(
            signable_pdf(content).content,
            filename.removesuffix(".pdf") + "_ban-de-ky.pdf",
            cache_control="private, no-cache",
        )
    try:
        data = yearly_signing.delivered_pdf(report, content, user=request.user)
    except SigningRefused as refused:
        messages.error(
            request,
            f"Chưa tải được báo cáo đã ký số: {refused.message} {yearly_signing.WHO_CAN_FIX} "
            "Trong lúc chờ, có thể tải «bản để ký» (chưa ký).",
        )
        return redirect(back)
    return file_download(data, filename, cache_control="private, no-cache")


def _accept_upload(request, report, content_of, back: str):
    """Keep the uploaded signed PDF as the report's official copy, or say why not."""
    upload = request.FILES.get("tep")
    if upload is None:
        messages.error(request, "Hãy chọn tệp PDF đã ký số để tải lên.")
        return redirect(back)
    if not report.is_sent:
        messages.error(request, f"Không nhận tệp đã ký: {yearly_signing.DRAFT_UPLOAD}")
        return redirect(back)
    data = upload.read()
    try:
        document_kind(data, upload.name, kinds=(PDF,))
        kept = yearly_signing.accept_upload(report, content_of(), data, user=request.user)
    except UploadRefused as refused:
        messages.error(request, f"Không nhận tệp đã ký: {refused}")
    except ExternalRefused as refused:
        messages.error(request, f"Không nhận tệp đã ký: {refused.message}")
    else:
        who = f" của {kept.signer}" if kept.signer else ""
        messages.success(
            request,
            f"Đã nhận bản báo cáo đã ký số{who}; từ nay «Tải PDF» nhận đúng bản này.",
        )
    return redirect(back)


def _report_download(request, centre_id: int, year: int, fmt: str):
    centre = _centre(request, centre_id, year)
    report = yearly.report_for(centre, year)
    content = yearly.report_content(report)
    if fmt == "pdf":
        return _pdf_download(request, report, content, _detail_url(centre, year) + "#ky-so")
    return _download(build(content, fmt))


@login_required
@require_POST
def yearly_signed_upload(request, centre_id: int, year: int):
    """The sent report's PDF signed on a leader's PC, brought back (those who edit reports)."""
    centre = _centre(request, centre_id, year)
    require(request.user, Right.MANAGE)
    report = yearly.report_for(centre, year)
    return _accept_upload(
        request,
        report,
        lambda: yearly.report_content(report),
        _detail_url(centre, year) + "#ky-so",
    )


@login_required
def yearly_pdf(request, centre_id: int, year: int):
    return _report_download(request, centre_id, year, "pdf")


@login_required
def yearly_xlsx(request, centre_id: int, year: int):
    return _report_download(request, centre_id, year, "xlsx")


# --- the all-centres report -----------------------------------------------------------------


def _all_centres(request, year: int) -> list[Centre]:
    """The centres of the all-centres report: only for those whose scope holds several (404
    otherwise), with the right to read reports (403 first, as for every report page)."""
    require(request.user, Right.REPORTS)
    if not yearly.valid_year(year):
        raise Http404("Không tìm thấy.")
    centres = yearly.report_centres(centres_for(request.user), year)
    if len(centres) < 2:
        raise Http404("Không tìm thấy.")
    return centres


def _require_all_writer(user) -> None:
    if not yearly_all.may_write(user):
        raise PermissionDenied(
            "Chỉ quản trị viên xem được mọi trung tâm sửa và đánh dấu đã gửi báo cáo tổng hợp."
        )


def _all_detail_url(year: int) -> str:
    return reverse("reports:yearly_all_detail", args=[year])


def _all_crumbs(year: int, label: str | None = None):
    crumbs = [("Báo cáo năm", _list_url(year))]
    if label:
        crumbs += [(f"Báo cáo tổng hợp năm {year}", _all_detail_url(year)), (label, None)]
    else:
        crumbs.append((f"Báo cáo tổng hợp năm {year}", None))
    return crumbs


def _issuer_admin_url(report) -> str:
    if report.issuer_id and not report.is_sent:
        return reverse("admin:trungtam_reportissuer_change", args=[report.issuer_id])
    return reverse("admin:trungtam_reportissuer_changelist")


@login_required
def yearly_all_detail(request, year: int):
    """The all-centres report: its issuer, the centres' reports, the figures and text; admins
    who see every centre edit the draft; province officials read."""
    centres = _all_centres(request, year)
    user = request.user
    if request.method == "POST":
        _require_all_writer(user)
    report = yearly_all.all_report_for(year)
    can_edit = yearly_all.may_write(user) and not report.is_sent
    context = {
        "year": year,
        "report": report,
        "can_edit": can_edit,
        "previous_year": year - 1,
        "next_year": year + 1,
        "issuer_admin_url": _issuer_admin_url(report),
        "crumbs": _all_crumbs(year),
    }
    if not yearly_all.has_issuer(report):
        context["no_issuer"] = yearly_all.NO_ISSUER
        return render(request, "reports/yearly_all_detail.html", context)
    content = yearly_all.all_centres_content(centres, year, report=report)
    generated = yearly.generated_texts(content)
    form = None
    if request.method == "POST":
        if report.is_sent:
            messages.error(request, f"Báo cáo tổng hợp năm {year} đã gửi: không sửa được nữa.")
            return redirect(_all_detail_url(year))
        if REGENERATE in request.POST:
            data = request.POST.copy()
            for name in yearly_all.TEXT_FIELDS:
                data[name] = generated.get(name, "")
            form = AllCentresReportForm(data, instance=report, year=year)
            messages.info(
                request,
                "Đã tạo lại nội dung từ số liệu (chưa lưu). Hãy đọc, sửa rồi bấm «Lưu báo cáo».",
            )
        else:
            form = AllCentresReportForm(request.POST, instance=report, year=year)
            if form.is_valid():
                try:
                    yearly_all.all_report_save(year=year, values=form.cleaned_data, user=user)
                except ReportRefused as refused:
                    messages.error(request, refused.message)
                else:
                    messages.success(request, f"Đã lưu báo cáo tổng hợp năm {year}.")
                return redirect(_all_detail_url(year))
    elif can_edit:
        initial = {
            name: generated.get(name, "")
            for name in yearly_all.TEXT_FIELDS
            if not getattr(report, name)
        }
        form = AllCentresReportForm(instance=report, year=year, initial=initial)
    context.update(
        {
            "content": content,
            "document": content["document"],
            "draft": is_draft(content),
            "statuses": yearly.report_status_rows(content),
            "figures": Summary.from_dict(content["summary"]).total,
            "narrative": _narrative(content),
            "form": form,
            "can_send": can_edit,
            **_signature_context(
                report,
                pdf_url=reverse("reports:yearly_all_pdf", args=[year]),
                upload_url=reverse("reports:yearly_all_signed_upload", args=[year]),
                can_upload=yearly_all.may_write(user),
            ),
        }
    )
    return render(request, "reports/yearly_all_detail.html", context)


@login_required
def yearly_all_send(request, year: int):
    """Confirm, then mark the all-centres report sent: figures, header and text are frozen."""
    centres = _all_centres(request, year)
    _require_all_writer(request.user)
    report = yearly_all.all_report_for(year)
    if report.is_sent:
        messages.info(request, f"Báo cáo tổng hợp năm {year} đã được đánh dấu đã gửi.")
        return redirect(_all_detail_url(year))
    if not yearly_all.has_issuer(report):
        messages.error(request, yearly_all.NO_ISSUER)
        return redirect(_all_detail_url(year))
    content = yearly_all.all_centres_content(centres, year, report=report)
    missing = yearly_all.send_refusals(report, content)
    if request.method == "POST" and not missing:
        try:
            yearly_all.all_report_send(year=year, centres=centres, user=request.user)
        except ReportRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                f"Đã đánh dấu báo cáo tổng hợp năm {year} đã gửi. Số liệu và nội dung được chốt: "
                "bản in từ nay luôn giống hệt.",
            )
        return redirect(_all_detail_url(year))
    return render(
        request,
        "reports/yearly_all_send.html",
        {
            "year": year,
            "report": report,
            "missing": missing,
            "frozen": None if missing else _all_frozen(content),
            "crumbs": _all_crumbs(year, "Đánh dấu đã gửi"),
        },
    )


def _all_frozen(content: dict) -> dict:
    frozen = _frozen(content)
    document = content["document"]
    frozen.update(
        {
            "issuer": content["centre"],
            "addressee": document.get("addressee", ""),
            "centres": yearly.report_status_rows(content),
        }
    )
    return frozen


def _all_download(request, year: int, fmt: str):
    centres = _all_centres(request, year)
    report = yearly_all.all_report_for(year)
    if not yearly_all.has_issuer(report):
        # Nothing is printed under an invented header: the page says what to set up.
        messages.error(request, yearly_all.NO_ISSUER)
        return redirect(_all_detail_url(year))
    content = yearly_all.all_centres_content(centres, year, report=report)
    if fmt == "pdf":
        return _pdf_download(request, report, content, _all_detail_url(year) + "#ky-so")
    return _download(build(content, fmt))


@login_required
@require_POST
def yearly_all_signed_upload(request, year: int):
    """The sent all-centres report signed elsewhere, brought back (its writers only)."""
    centres = _all_centres(request, year)
    _require_all_writer(request.user)
    report = yearly_all.all_report_for(year)
    return _accept_upload(
        request,
        report,
        lambda: yearly_all.all_centres_content(centres, year, report=report),
        _all_detail_url(year) + "#ky-so",
    )


@login_required
def yearly_all_pdf(request, year: int):
    return _all_download(request, year, "pdf")


@login_required
def yearly_all_xlsx(request, year: int):
    return _all_download(request, year, "xlsx")

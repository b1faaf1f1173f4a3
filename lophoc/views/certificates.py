"""Giấy chứng nhận of a class: issue, void, re-issue, print (DESIGN §8). Staff and admins
(Right.CLOSE); changes are POST-only, voiding and re-issuing after a confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lophoc import certificate_signing, certificates
from lophoc.certificate_forms import IssueForm, ReasonForm, ReissueForm
from lophoc.certificates import (
    CertificateRefused,
    certificates_issue,
    public_address_refusal,
    status_text,
)
from lophoc.documents.certificate_register import (
    certificate_register_xlsx,
    register_certificates,
)
from lophoc.models import Certificate, CertificateStatus, Course
from lophoc.views.lookup import course_or_404
from trungtam.document_files import PDF, DocumentRefused, document_kind
from trungtam.documents.downloads import personal_data_download
from trungtam.listing import paginate, parse_id, year_param
from trungtam.scoping import Right, centres_for, default_centre, get_for_right_or_404, require
from trungtam.signing import SigningRefused
from trungtam.signing.documents import ExternalRefused


def _section(course_id: int) -> str:
    return reverse("lophoc:course_detail", args=[course_id]) + "#giay-chung-nhan"


def _crumbs(course: Course, label: str):
    return [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, _section(course.pk)),
        (label, None),
    ]


@login_required
@require_POST
def course_certificates_issue(request, pk: int):
    course = course_or_404(request, pk, Right.CLOSE)
    form = IssueForm(request.POST, centre=course.centre, course=course)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_section(course.pk))
    try:
        issued = certificates_issue(
            course=course,
            user=request.user,
            signer=form.cleaned_data["signer"],
            issued_on=form.cleaned_data["issued_on"],
        )
    except CertificateRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect(_section(course.pk))
    if issued:
        messages.success(
            request,
            f"Đã cấp {len(issued)} giấy chứng nhận, số {issued[0].number} đến {issued[-1].number}.",
        )
    else:
        messages.info(request, "Mọi học viên hoàn thành khóa học đã có giấy chứng nhận.")
    return redirect(_section(course.pk))


def _certificate(request, pk: int) -> Certificate:
    return get_for_right_or_404(
        request.user,
        Certificate.objects.select_related(
            "enrolment__course__centre", "enrolment__course__program"
        ),
        Right.CLOSE,
        pk=pk,
    )


@login_required
def certificate_void(request, pk: int):
    certificate = _certificate(request, pk)
    course = certificate.enrolment.course
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificates.certificate_void(
                certificate=certificate, user=request.user, reason=form.cleaned_data["reason"]
            )
        except CertificateRefused as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(request, f"Đã thu hồi giấy chứng nhận số {certificate.number}.")
        return redirect(_section(course.pk))
    return render(
        request,
        "lophoc/certificate_void.html",
        {
            "certificate": certificate,
            "course": course,
            "form": form,
            "is_valid": certificate.status == CertificateStatus.VALID,
            "crumbs": _crumbs(course, "Thu hồi giấy chứng nhận"),
        },
    )


@login_required
def certificate_reissue(request, pk: int):
    certificate = _certificate(request, pk)
    course = certificate.enrolment.course
    form = ReissueForm(
        request.POST or None, centre=course.centre, course=course, submit_label="Cấp lại"
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = certificates.certificate_reissue(
                certificate=certificate,
                user=request.user,
                reason=form.cleaned_data["reason"],
                issued_on=form.cleaned_data["issued_on"],
                signer=form.cleaned_data["signer"],
            )
        except CertificateRefused as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                f"Đã cấp lại giấy chứng nhận số {new.number} thay cho số {certificate.number}.",
            )
        return redirect(_section(course.pk))
    return render(
        request,
        "lophoc/certificate_reissue.html",
        {
            "certificate": certificate,
            "course": course,
            "form": form,
            "is_valid": certificate.status == CertificateStatus.VALID,
            "crumbs": _crumbs(course, "Cấp lại giấy chứng nhận"),
        },
    )


def _signing_failed(request, refused: SigningRefused, what: str) -> None:
    messages.error(
        request,
        f"Chưa ký số được {what}: {refused.message} {certificate_signing.WHO_CAN_FIX}",
    )


@login_required
def course_certificates_pdf(request, pk: int):
    """Every valid certificate of the class, one per page; reprinting never issues anything.
    The full layout goes out signed when the centre's key is configured (the kept copy on every
    re-download); "?ban=de-ky" gives the unsigned PDF to sign on a leader's PC; "?in=phoi"
    (printing on blanks) is never signed."""
    course = course_or_404(request, pk, Right.CLOSE)
    valid = certificate_signing.valid_course_certificates(course)
    if not valid:
        messages.warning(
            request, "Lớp chưa có giấy chứng nhận còn hiệu lực nào để in. Hãy cấp trước."
        )
        return redirect(_section(course.pk))
    refusal = public_address_refusal()
    if refusal:
        messages.error(request, refusal)
        return redirect(_section(course.pk))
    blank = request.GET.get("in") == "phoi"
    to_sign = not blank and request.GET.get("ban") == "de-ky"
    if blank:
        from lophoc.documents.certificates import certificates_pdf

        content = certificates_pdf(valid, mode="blank")
        suffix, note = "giay-chung-nhan_in-tren-phoi", " (in trên phôi)"
    elif to_sign:
        content = certificate_signing.class_certificates_unsigned(valid)
        suffix, note = "giay-chung-nhan_ban-de-ky", " (bản để ký)"
    else:
        try:
            content = certificate_signing.class_certificates_delivered(
                course=course, certificates=valid, user=request.user
            )
        except SigningRefused as refused:
            _signing_failed(request, refused, "giấy chứng nhận của lớp")
            return redirect(_section(course.pk))
        suffix, note = "giay-chung-nhan", ""
    return personal_data_download(
        request,
        content=content,
        filename=f"{course.file_code}_{suffix}.pdf",
        description=f"Giấy chứng nhận lớp {course.code}{note}",
        centre=course.centre,
        rows=len(valid),
    )


@login_required
@require_POST
def course_certificates_upload(request, pk: int):
    """The class PDF signed on a leader's PC, brought back: kept as the official copy when its
    signature is valid and it signs exactly the class's certificates as printed now."""
    course = course_or_404(request, pk, Right.CLOSE)
    upload = request.FILES.get("tep")
    if upload is None:
        messages.error(request, "Hãy chọn tệp PDF đã ký số để tải lên.")
        return redirect(_section(course.pk))
    content = upload.read()
    try:
        document_kind(content, upload.name, kinds=(PDF,))
        kept = certificate_signing.class_certificates_accept(
            course=course, uploaded=content, user=request.user
        )
    except DocumentRefused as refused:
        messages.error(request, f"Không nhận tệp đã ký: {refused}")
    except ExternalRefused as refused:
        messages.error(request, f"Không nhận tệp đã ký: {refused.message}")
    else:
        who = f" của {kept.signer}" if kept.signer else ""
        messages.success(
            request,
            f"Đã nhận bản giấy chứng nhận đã ký số{who}; từ nay tải giấy chứng nhận của lớp sẽ "
            "nhận đúng bản này.",
        )
    return redirect(_section(course.pk))


@login_required
def certificate_pdf(request, pk: int):
    """One certificate from the register, signed like the class PDF; a voided or replaced
    certificate has no signed download."""
    certificate = _certificate(request, pk)
    back = reverse("lophoc:certificate_register") + f"?nam={certificate.year}"
    refusal = public_address_refusal()
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    try:
        content = certificate_signing.certificate_delivered(
            certificate=certificate, user=request.user
        )
    except CertificateRefused as refused:
        messages.error(request, refused.messages[0])
        return redirect(back)
    except SigningRefused as refused:
        _signing_failed(request, refused, f"giấy chứng nhận số {certificate.number}")
        return redirect(back)
    code = certificate.number.replace("/", "-")
    return personal_data_download(
        request,
        content=content,
        filename=f"giay-chung-nhan_{code}.pdf",
        description=f"Giấy chứng nhận số {certificate.number}",
        centre=certificate.centre,
        rows=1,
    )


def _register_centre_and_year(request):
    require(request.user, Right.CLOSE)
    centre = default_centre(request.user)
    if centre is None:
        chosen = parse_id(request.GET.get("trung_tam"))
        centre = centres_for(request.user).filter(pk=chosen).first() if chosen else None
    if centre is None:
        centre = centres_for(request.user).order_by("name").first()
    return centre, year_param(request, timezone.localdate().year)


@login_required
def certificate_register(request):
    """Sổ cấp giấy chứng nhận of one year, paginated, with its PDF and Excel downloads."""
    centre, year = _register_centre_and_year(request)
    register = (
        Certificate.objects.filter(centre=centre, year=year)
        .select_related("replaced_by")
        .order_by("sequence", "id")
        if centre
        else Certificate.objects.none()
    )
    page_obj = paginate(request, register)
    marks = certificate_signing.signed_marks(page_obj.object_list)
    rows = [(c, status_text(c), marks.get(c.pk, "")) for c in page_obj]
    return render(
        request,
        "lophoc/certificate_register.html",
        {
            "centre": centre,
            "year": year,
            "page_obj": page_obj,
            "rows": rows,
            "centres": list(centres_for(request.user)) if request.user.sees_all_centres else [],
            "crumbs": [("Sổ cấp giấy chứng nhận", None)],
        },
    )


@login_required
def certificate_register_download(request, year: int, fmt: str):
    centre, _ = _register_centre_and_year(request)
    if centre is None or fmt not in ("pdf", "xlsx"):
        raise Http404("Không tìm thấy.")
    register = register_certificates(centre, year)
    if fmt == "pdf":
        try:
            content = certificate_signing.register_delivered(
                centre=centre,
                year=year,
                certificates=register,
                maker_name=request.user.full_name,
                user=request.user,
            )
        except SigningRefused as refused:
            _signing_failed(request, refused, f"sổ cấp giấy chứng nhận năm {year}")
            back = reverse("lophoc:certificate_register") + f"?nam={year}"
            if request.user.sees_all_centres:
                back += f"&trung_tam={centre.pk}"
            return redirect(back)
    else:
        # The spreadsheet is for further editing: never signed.
        content = certificate_register_xlsx(
            centre,
            year,
            register,
            maker_name=request.user.full_name,
            marks=certificate_signing.signed_marks(register),
        )
    return personal_data_download(
        request,
        content=content,
        filename=f"so-cap-giay-chung-nhan-{year}.{fmt}",
        description=f"Sổ cấp giấy chứng nhận năm {year} – {centre.name}",
        centre=centre,
        rows=len(register),
    )

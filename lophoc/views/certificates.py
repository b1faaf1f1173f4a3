"""Giấy chứng nhận of a class: issue, void, re-issue, print (DESIGN §8). Staff and admins
(Right.CLOSE); changes are POST-only, voiding and re-issuing after a confirmation page."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lophoc.certificates import (
    CertificateRefused,
    certificate_reissue,
    certificate_void,
    certificates_issue,
    issue_date_refusal,
    public_address_refusal,
    signer_label,
    signers_for,
    status_text,
)
from lophoc.course_forms import DATE_FORMATS
from lophoc.documents.certificate_register import (
    certificate_register_pdf,
    certificate_register_xlsx,
    register_certificates,
)
from lophoc.models import Certificate, CertificateStatus, Course
from trungtam.documents.downloads import personal_data_download
from trungtam.forms import date_input
from trungtam.listing import paginate, parse_id, year_param
from trungtam.scoping import Right, centres_for, default_centre, get_for_right_or_404, require


class SignerField(forms.ModelChoiceField):
    layout = None  # the centre's document layout: the title reads as it will be printed

    def label_from_instance(self, leader):
        return signer_label(leader, self.layout)


class IssueForm(forms.Form):
    nguoi_ky = SignerField(
        label="Người ký",
        queryset=None,
        empty_label=None,
        error_messages={"required": "Hãy chọn người ký.", "invalid_choice": "Hãy chọn người ký."},
    )
    ngay_cap = forms.DateField(
        label="Ngày cấp",
        input_formats=DATE_FORMATS,
        widget=date_input(),
        help_text="Dạng ngày/tháng/năm, không trước ngày bế giảng của lớp.",
        error_messages={
            "required": "Hãy nhập ngày cấp, ví dụ 10/04/2026.",
            "invalid": "Hãy nhập ngày cấp dạng ngày/tháng/năm, ví dụ 10/04/2026.",
        },
    )

    def __init__(self, *args, centre, course, submit_label="Cấp giấy chứng nhận", **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        leaders = signers_for(centre)
        self.fields["nguoi_ky"].layout = centre.document_layout
        self.fields["nguoi_ky"].queryset = centre.leaders.filter(pk__in=[x.pk for x in leaders])
        if leaders:
            self.fields["nguoi_ky"].initial = leaders[0].pk
        self.fields["ngay_cap"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", submit_label))

    def clean_ngay_cap(self):
        day = self.cleaned_data["ngay_cap"]
        refusal = issue_date_refusal(self.course, day)
        if refusal:
            raise forms.ValidationError(refusal)
        return day


class ReasonForm(forms.Form):
    ly_do = forms.CharField(
        label="Lý do",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Hãy ghi lý do.",
            "max_length": "Lý do dài tối đa 300 ký tự.",
        },
    )


class ReissueForm(IssueForm):
    ly_do = ReasonForm.base_fields["ly_do"]


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
    course = get_for_right_or_404(
        request.user, Course.objects.select_related("centre", "program"), Right.CLOSE, pk=pk
    )
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
            signer=form.cleaned_data["nguoi_ky"],
            issued_on=form.cleaned_data["ngay_cap"],
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
def certificate_void_view(request, pk: int):
    certificate = _certificate(request, pk)
    course = certificate.enrolment.course
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_void(
                certificate=certificate, user=request.user, reason=form.cleaned_data["ly_do"]
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
def certificate_reissue_view(request, pk: int):
    certificate = _certificate(request, pk)
    course = certificate.enrolment.course
    form = ReissueForm(
        request.POST or None, centre=course.centre, course=course, submit_label="Cấp lại"
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = certificate_reissue(
                certificate=certificate,
                user=request.user,
                reason=form.cleaned_data["ly_do"],
                issued_on=form.cleaned_data["ngay_cap"],
                signer=form.cleaned_data["nguoi_ky"],
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


@login_required
def course_certificates_pdf(request, pk: int):
    """Every valid certificate of the class, one per page; reprinting never issues anything."""
    from lophoc.documents.certificates import certificates_pdf

    course = get_for_right_or_404(
        request.user, Course.objects.select_related("centre", "program"), Right.CLOSE, pk=pk
    )
    certificates = list(
        Certificate.objects.filter(enrolment__course=course, status=CertificateStatus.VALID)
        .select_related("centre")
        .order_by("year", "sequence")
    )
    if not certificates:
        messages.warning(
            request, "Lớp chưa có giấy chứng nhận còn hiệu lực nào để in. Hãy cấp trước."
        )
        return redirect(_section(course.pk))
    refusal = public_address_refusal()
    if refusal:
        messages.error(request, refusal)
        return redirect(_section(course.pk))
    blank = request.GET.get("in") == "phoi"
    suffix = "giay-chung-nhan_in-tren-phoi" if blank else "giay-chung-nhan"
    return personal_data_download(
        request,
        content=certificates_pdf(certificates, mode="blank" if blank else "full"),
        filename=f"{course.file_code}_{suffix}.pdf",
        description=f"Giấy chứng nhận lớp {course.code}{' (in trên phôi)' if blank else ''}",
        centre=course.centre,
        rows=len(certificates),
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
    certificates = (
        Certificate.objects.filter(centre=centre, year=year)
        .select_related("replaced_by")
        .order_by("sequence", "id")
        if centre
        else Certificate.objects.none()
    )
    page_obj = paginate(request, certificates)
    rows = [(c, status_text(c)) for c in page_obj]
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
    certificates = register_certificates(centre, year)
    build = certificate_register_pdf if fmt == "pdf" else certificate_register_xlsx
    return personal_data_download(
        request,
        content=build(centre, year, certificates, maker_name=request.user.full_name),
        filename=f"so-cap-giay-chung-nhan-{year}.{fmt}",
        description=f"Sổ cấp giấy chứng nhận năm {year} – {centre.name}",
        centre=centre,
        rows=len(certificates),
    )


urlpatterns = [
    path("so-cap-giay-chung-nhan/", certificate_register, name="certificate_register"),
    path(
        "so-cap-giay-chung-nhan/<int:year>.<str:fmt>",
        certificate_register_download,
        name="certificate_register_download",
    ),
    path(
        "<int:pk>/giay-chung-nhan/cap/",
        course_certificates_issue,
        name="course_certificates_issue",
    ),
    path(
        "<int:pk>/giay-chung-nhan.pdf",
        course_certificates_pdf,
        name="course_certificates_pdf",
    ),
    path(
        "giay-chung-nhan/<int:pk>/thu-hoi/",
        certificate_void_view,
        name="certificate_void",
    ),
    path(
        "giay-chung-nhan/<int:pk>/cap-lai/",
        certificate_reissue_view,
        name="certificate_reissue",
    ),
]

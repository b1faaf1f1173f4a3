"""Mẫu giấy chứng nhận: the page size and the print-on-blank positions of a centre (DESIGN §8),
with a calibration page and a sample certificate in both modes to download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from lophoc.certificate_forms import CertificateLayoutForm
from lophoc.certificates import certificate_layout_save
from lophoc.documents.certificates import calibration_pdf, certificates_pdf, sample_certificate
from trungtam.documents.downloads import file_download
from trungtam.listing import parse_id
from trungtam.models import Centre
from trungtam.scoping import Right, centres_for, get_visible_or_404, require

SAMPLE_MODES = {"full": ("full", "day-du"), "phoi": ("blank", "in-phoi")}


def _centre(request) -> Centre | None:
    """The staff member's own centre; province-wide users choose one with ?trung_tam=."""
    user = request.user
    require(user, Right.MANAGE)
    if user.centre_id:
        return user.centre
    chosen = parse_id(request.GET.get("trung_tam"))
    if chosen:
        return get_visible_or_404(user, Centre.objects.all(), pk=chosen)
    return None


def _query(request, centre: Centre) -> str:
    return "" if request.user.centre_id else f"?trung_tam={centre.pk}"


CRUMBS = [("Lớp học", "lophoc:course_list"), ("Mẫu giấy chứng nhận", None)]


def _crumbs():
    return [(label, reverse(name) if name else None) for label, name in CRUMBS]


@login_required
def certificate_layout(request):
    centre = _centre(request)
    if centre is None:
        return render(
            request,
            "lophoc/certificate_layout.html",
            {"centres": centres_for(request.user), "crumbs": _crumbs(), "form": None},
        )
    form = CertificateLayoutForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        if certificate_layout_save(
            centre=centre, page_size=form.cleaned_data["page_size"], positions=form.positions()
        ):
            messages.success(
                request,
                f"Đã lưu mẫu giấy chứng nhận (phiên bản {centre.certificate_layout_version}). "
                "Giấy đã cấp vẫn in như cũ.",
            )
        else:
            messages.info(request, "Mẫu giấy chứng nhận không thay đổi.")
        return redirect(reverse("lophoc:certificate_layout") + _query(request, centre))
    query = _query(request, centre)
    return render(
        request,
        "lophoc/certificate_layout.html",
        {
            "centre": centre,
            "form": form,
            "crumbs": _crumbs(),
            "calibration_url": reverse("lophoc:certificate_calibration") + query,
            "sample_full_url": reverse("lophoc:certificate_sample")
            + (query + "&" if query else "?")
            + "in=full",
            "sample_blank_url": reverse("lophoc:certificate_sample")
            + (query + "&" if query else "?")
            + "in=phoi",
        },
    )


@login_required
def certificate_calibration(request):
    centre = _centre(request)
    if centre is None:
        return redirect("lophoc:certificate_layout")
    return file_download(calibration_pdf(centre), f"{centre.code}_trang-can-chinh-in-phoi.pdf")


@login_required
def certificate_sample(request):
    centre = _centre(request)
    if centre is None:
        return redirect("lophoc:certificate_layout")
    mode, slug = SAMPLE_MODES.get(request.GET.get("in", "full"), SAMPLE_MODES["full"])
    content = certificates_pdf([sample_certificate(centre)], mode=mode)
    return file_download(content, f"{centre.code}_mau-giay-chung-nhan_{slug}.pdf")

"""Mẫu giấy chứng nhận: the page size and the print-on-blank positions of a centre (DESIGN §8),
with a calibration page and a sample certificate in both modes to download."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from lophoc.documents.certificates import (
    BLANK_FIELD_LABELS,
    DEFAULT_BLANK_POSITIONS,
    PAGE_SIZES_MM,
    blank_positions,
    calibration_pdf,
    certificates_pdf,
    sample_certificate,
)
from trungtam.listing import parse_id
from trungtam.models import Centre
from trungtam.scoping import Right, centres_for, get_visible_or_404, require

SAMPLE_MODES = {"full": ("full", "day-du"), "phoi": ("blank", "in-phoi")}


def _x(field):
    return f"{field}_x"


def _y(field):
    return f"{field}_y"


class CertificateLayoutForm(forms.Form):
    page_size = forms.ChoiceField(
        label="Khổ giấy",
        choices=[("a4", "A4 ngang (297 × 210 mm)"), ("a5", "A5 ngang (210 × 148 mm)")],
    )

    def __init__(self, *args, centre: Centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.initial.setdefault("page_size", centre.certificate_page_size)
        current = blank_positions(centre)
        rows = []
        for field, label in BLANK_FIELD_LABELS.items():
            x, y = current[field]
            self.fields[_x(field)] = forms.DecimalField(
                label=f"{label}: cách mép trái (mm)",
                max_digits=5,
                decimal_places=1,
                initial=x,
                localize=True,
            )
            self.fields[_y(field)] = forms.DecimalField(
                label=f"{label}: cách mép trên (mm)",
                max_digits=5,
                decimal_places=1,
                initial=y,
                localize=True,
            )
            rows.append(
                Row(
                    Column(Field(_x(field)), css_class="col-6 col-md-4"),
                    Column(Field(_y(field)), css_class="col-6 col-md-4"),
                )
            )
        for name, field in self.fields.items():
            field.error_messages.update(
                required="Hãy nhập số mm, ví dụ 95 hoặc 95,5.",
                invalid="Hãy nhập một số mm, ví dụ 95 hoặc 95,5.",
                max_digits="Hãy nhập số mm không quá 3 chữ số phần nguyên.",
                max_decimal_places="Chỉ ghi tối đa 1 chữ số thập phân.",
            )
            if name == "page_size":
                field.error_messages["invalid_choice"] = "Hãy chọn khổ A4 hoặc A5."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("page_size"),
            Fieldset("Vị trí các trường khi in trên phôi (mm, tính từ góc trên bên trái)", *rows),
            Submit("luu", "Lưu mẫu", css_class="btn btn-primary"),
        )

    def clean(self):
        data = super().clean()
        size = data.get("page_size")
        if size not in PAGE_SIZES_MM:
            return data
        width, height = PAGE_SIZES_MM[size]
        shown = self._shown_defaults()
        for field in BLANK_FIELD_LABELS:
            x, y = data.get(_x(field)), data.get(_y(field))
            if (x, y) != (None, None) and (float(x or 0), float(y or 0)) == shown[field]:
                continue  # untouched: follows the defaults of the page size chosen
            if x is not None and not 0 <= x <= width:
                self.add_error(
                    _x(field), f"Hãy nhập số từ 0 đến {width:g} mm (khổ {size.upper()})."
                )
            if y is not None and not 0 <= y <= height:
                self.add_error(
                    _y(field), f"Hãy nhập số từ 0 đến {height:g} mm (khổ {size.upper()})."
                )
        return data

    def _shown_defaults(self) -> dict[str, tuple[float, float]]:
        return blank_positions(Centre(certificate_page_size=self.centre.certificate_page_size))

    def positions(self) -> dict[str, list[float]]:
        """What to store: only positions moved away from the defaults of the page size shown, so
        untouched fields follow the defaults when the page size changes."""
        shown = self._shown_defaults()
        stored = {}
        for field in DEFAULT_BLANK_POSITIONS:
            value = (float(self.cleaned_data[_x(field)]), float(self.cleaned_data[_y(field)]))
            if value != tuple(shown[field]):
                stored[field] = list(value)
        return stored


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
        size, positions = form.cleaned_data["page_size"], form.positions()
        if size != centre.certificate_page_size or positions != (
            centre.certificate_blank_positions or {}
        ):
            centre.certificate_page_size = size
            centre.certificate_blank_positions = positions
            centre.certificate_layout_version += 1
            centre.save()
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


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def certificate_calibration(request):
    centre = _centre(request)
    if centre is None:
        return redirect("lophoc:certificate_layout")
    return _pdf(calibration_pdf(centre), f"{centre.code}_trang-can-chinh-in-phoi.pdf")


@login_required
def certificate_sample(request):
    centre = _centre(request)
    if centre is None:
        return redirect("lophoc:certificate_layout")
    mode, slug = SAMPLE_MODES.get(request.GET.get("in", "full"), SAMPLE_MODES["full"])
    content = certificates_pdf([sample_certificate(centre)], mode=mode)
    return _pdf(content, f"{centre.code}_mau-giay-chung-nhan_{slug}.pdf")


urlpatterns = [
    path("mau-giay-chung-nhan/", certificate_layout, name="certificate_layout"),
    path(
        "mau-giay-chung-nhan/trang-can-chinh.pdf",
        certificate_calibration,
        name="certificate_calibration",
    ),
    path("mau-giay-chung-nhan/mau.pdf", certificate_sample, name="certificate_sample"),
]

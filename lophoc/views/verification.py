"""The public certificate check (DESIGN §8): anyone, no login, GET only.

`verify` asks for the number and the verification code printed on the certificate; `verify_code`
is what the QR code opens. Both show only the status, the name, the class, the program, the
issue date and the centre. Every miss gets the same answer (the typed code is never echoed), is
recorded against the address, and too many misses answer 429 without a look-up.
"""

from axes.helpers import get_client_ip_address
from crispy_forms.helper import FormHelper
from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lophoc.certificates import CertificateRefused, number_text
from lophoc.verification import (
    certificate_verify,
    verification_failure_record,
    verification_throttled,
)
from trungtam.models import Centre, ReportIssuer

NOT_FOUND = (
    "Không tìm thấy giấy chứng nhận khớp số và mã đã nhập. Hãy kiểm tra lại số giấy chứng nhận "
    "và mã xác thực in ở góc dưới giấy chứng nhận."
)


def _centres():
    return list(Centre.objects.filter(active=True).order_by("pk"))


def public_name(certificate=None) -> str:
    """Who the public pages speak for, never the software's name: the certificate's centre;
    before a look-up, the installation's one centre, or its centres with the province body
    that issues their report."""
    if certificate is not None:
        return certificate.centre.name
    centres = _centres()
    if len(centres) == 1:
        return centres[0].name
    issuer = ReportIssuer.objects.active().first()
    return "Các trung tâm chính trị" + (f" – {issuer.parent_body}" if issuer else "")


def number_examples() -> list[str]:
    """A number as the installation's centres print them this year («12-GCN/TTCT/2026»), one
    per pattern in use."""
    year = timezone.localdate().year
    examples = []
    for centre in _centres():
        try:
            example = number_text(centre, seq=12, year=year)
        except CertificateRefused:
            continue  # a broken pattern is refused when issuing, never offered as a hint
        if example not in examples:
            examples.append(example)
    return examples[:3] or [f"12-GCN/TTCT/{year}"]


class VerifyForm(forms.Form):
    so = forms.CharField(
        label="Số giấy chứng nhận",
        max_length=40,
        error_messages={
            "required": "Hãy nhập số giấy chứng nhận.",
            "max_length": "Số giấy chứng nhận dài tối đa %(limit_value)d ký tự.",
        },
    )
    ma = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        help_text="8 ký tự, in ở góc dưới giấy chứng nhận (không phân biệt chữ hoa, chữ thường).",
        error_messages={
            "required": "Hãy nhập mã xác thực.",
            "max_length": "Mã xác thực chỉ có 8 ký tự.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        examples = " hoặc ".join(number_examples())
        self.fields["so"].help_text = f"Ghi đúng như in trên giấy chứng nhận, ví dụ {examples}."
        for name in ("so", "ma"):
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["ma"].widget.attrs["autocapitalize"] = "characters"
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's GET form: no named button in the address
        self.helper.disable_csrf = True  # nothing changes, and no token varies the answer


def _respond(request, template, context=None, status=200):
    context = {"public_name": public_name((context or {}).get("certificate")), **(context or {})}
    response = render(request, template, context, status=status)
    # Not for search engines, not cached, and the code in the address never leaves as a referrer.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _look_up(request, *, code, number=None, form=None):
    """The answer to one look-up: the certificate, the same 'not found' for any miss, or 429."""
    address = get_client_ip_address(request)
    if verification_throttled(address=address):
        return _respond(request, "lophoc/verify_throttled.html", status=429)
    certificate = certificate_verify(code=code, number=number)
    if certificate is None:
        verification_failure_record(address=address)
        # A fresh form: the number is kept for correcting it, the code is never written back.
        form = VerifyForm(initial={"so": number} if number else None)
        return _respond(
            request, "lophoc/verify.html", {"form": form, "not_found": NOT_FOUND}, status=200
        )
    return _respond(request, "lophoc/verify_result.html", {"certificate": certificate})


@require_GET
def verify(request):
    if not request.GET:
        return _respond(request, "lophoc/verify.html", {"form": VerifyForm(), "not_found": ""})
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _respond(request, "lophoc/verify.html", {"form": form, "not_found": ""})
    return _look_up(request, code=form.cleaned_data["ma"], number=form.cleaned_data["so"])


@require_GET
def verify_code(request, code):
    return _look_up(request, code=code)

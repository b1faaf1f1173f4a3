"""The public certificate check (DESIGN §8): anyone, no login, GET only.

`verify` asks for the number and the verification code printed on the certificate; `verify_code`
is what the QR code opens. Both show only the status, the name, the class, the program, the
issue date and the centre. Every miss gets the same answer (the typed code is never echoed), is
recorded against the address, and too many misses answer 429 without a look-up.
"""

from axes.helpers import get_client_ip_address
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lophoc.certificate_forms import VerifyForm
from lophoc.certificates import active_centres
from lophoc.verification import (
    certificate_verify,
    verification_failure_record,
    verification_throttled,
)
from trungtam.models import ReportIssuer

NOT_FOUND = (
    "Không tìm thấy giấy chứng nhận khớp số và mã đã nhập. Hãy kiểm tra lại số giấy chứng nhận "
    "và mã xác thực in ở góc dưới giấy chứng nhận."
)


def public_name(certificate=None) -> str:
    """Who the public pages speak for, never the software's name: the certificate's centre;
    before a look-up, the installation's one centre, or its centres with the province body
    that issues their report."""
    if certificate is not None:
        return certificate.centre.name
    centres = active_centres()
    if len(centres) == 1:
        return centres[0].name
    issuer = ReportIssuer.objects.active().first()
    return "Các trung tâm chính trị" + (f" – {issuer.parent_body}" if issuer else "")


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
        form = VerifyForm(initial={"number": number} if number else None)
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
    return _look_up(request, code=form.cleaned_data["code"], number=form.cleaned_data["number"])


@require_GET
def verify_code(request, code):
    return _look_up(request, code=code)

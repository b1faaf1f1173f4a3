"""The public certificate check (DESIGN §8): anyone, no login.

`verify` asks for the number and the verification code printed on the certificate; `verify_code`
is what the QR code opens. Both show only the status, the name, the class, the program, the
issue date and the centre. Every miss gets the same answer (the typed code is never echoed), is
recorded against the address, and too many misses answer 429 without a look-up.

The same page offers a second form for a signed PDF (issue 18), sent to `verify_pdf` (POST,
multipart): its signature, signer and time, whether this installation issued it and, for a
certificate, what the code check shows. A file that is not a document issued here counts as a
miss, like a wrong code. The POST is CSRF-checked like every other, but the page carries no token
(every visitor and every miss gets the same bytes): the form's script copies it from the CSRF
cookie these pages set. Pages with the form send "same-origin" referrers instead of "no-referrer",
under which a browser sends "Origin: null" and the CSRF check refuses the POST; the address still
never leaves the site.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from lophoc.certificate_forms import VerifyForm
from lophoc.certificates import active_centres
from lophoc.verification import (
    SUPERSEDED,
    certificate_verify,
    pdf_check,
    verification_failure_record,
    verification_throttled,
)
from lophoc.verification_forms import SignedPdfForm
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
    context = context or {}
    speaker = context.get("certificate") or context.get("speaker")
    context = {
        "public_name": public_name(speaker),
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
        **context,
    }
    response = render(request, template, context, status=status)
    # Not for search engines, not cached, and the code in the address never leaves as a referrer.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    # A page with the upload form says "same-origin" instead: its POST needs a real Origin
    # header for the CSRF check ("no-referrer" makes the browser send "null"), and the address
    # still never leaves the site.
    response["Referrer-Policy"] = "same-origin" if "pdf_form" in context else "no-referrer"
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
            request,
            "lophoc/verify.html",
            {"form": form, "pdf_form": SignedPdfForm(), "not_found": NOT_FOUND},
            status=200,
        )
    return _respond(request, "lophoc/verify_result.html", {"certificate": certificate})


def _form_page(request, *, form=None, pdf_form=None):
    return _respond(
        request,
        "lophoc/verify.html",
        {
            "form": form or VerifyForm(),
            "pdf_form": pdf_form or SignedPdfForm(),
            "not_found": "",
        },
    )


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def verify_pdf(request):
    """The answer about an uploaded PDF; a signed file that is not a document issued here counts
    as a miss.
    A GET (a reload, a bookmark) leads back to the form."""
    if request.method != "POST":
        return redirect("verify")
    address = get_client_ip_address(request)
    if verification_throttled(address=address):
        return _respond(request, "lophoc/verify_throttled.html", status=429)
    pdf_form = SignedPdfForm(request.POST, request.FILES)
    if not pdf_form.is_valid():  # no PDF, too large: refused before any check, not counted
        return _form_page(request, pdf_form=pdf_form)
    check = pdf_check(pdf_form.content)
    # A signed file not issued here counts (checking signatures is the costly part); a file with
    # no signature costs nothing and reveals nothing, like a genuine certificate printed unsigned.
    if check.verification.signed and not check.issued_here:
        verification_failure_record(address=address)
    # The centre that issued the document speaks on the page; the header stays the
    # installation's otherwise.
    speaker = check.certificate or (check.document if check.centre is not None else None)
    return _respond(
        request,
        "lophoc/verify_pdf_result.html",
        {
            "check": check,
            "speaker": speaker,
            "verification": check.verification,
            "superseded": SUPERSEDED,
        },
    )


@ensure_csrf_cookie
@require_GET
def verify(request):
    if not request.GET:
        return _form_page(request)
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _form_page(request, form=form)
    return _look_up(request, code=form.cleaned_data["code"], number=form.cleaned_data["number"])


@ensure_csrf_cookie
@require_GET
def verify_code(request, code):
    return _look_up(request, code=code)

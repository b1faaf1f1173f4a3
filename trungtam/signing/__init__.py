"""Digitally signed PDFs (issue 18): the centre's key from the environment, PAdES signing and
verification. Base layer: Django and the base of trungtam only.

    from trungtam import signing
    signing.signing_enabled()            # the environment names a complete key
    signing.signing_status().message     # what is configured and what is missing, in Vietnamese
    signed = signing.sign_pdf(content, reason="…", location="…", box=(x1, y1, x2, y2), page=-1)
    result = signing.verify_pdf(uploaded)  # never raises; result.problems in Vietnamese
"""

from trungtam.signing.config import SigningStatus, signing_enabled, signing_status
from trungtam.signing.keys import SigningRefused, certificate_problems
from trungtam.signing.sign import SigningSession, sign_pdf, signing_session
from trungtam.signing.verify import SignatureCheck, Verification, sha256, verify_pdf

__all__ = [
    "SignatureCheck",
    "SigningRefused",
    "SigningSession",
    "SigningStatus",
    "Verification",
    "certificate_problems",
    "sha256",
    "sign_pdf",
    "signing_enabled",
    "signing_session",
    "signing_status",
    "verify_pdf",
]

"""The yearly reports signed digitally (issue 18): a centre's report and the all-centres report.

When a report is marked sent, its final PDF (printed from the snapshot, the same bytes every
time) is signed with the centre's key and kept (trungtam.signing.documents): every later
download of the sent PDF returns exactly those bytes. With a key configured that refuses to sign
(expired, wrong password…), the send itself is refused with the reason and nothing is frozen —
a report the centre believes signed never goes out unsigned. Drafts are never signed; the XLSX
never is. A report sent before a key was configured is signed at its next download.

Signed elsewhere, brought back: the unsigned final PDF ("bản để ký") is signed on a leader's PC
and uploaded; `accept_upload` keeps it as the official copy when it signs exactly that PDF.

    pdf = delivered_pdf(report, content, user=user)     # what "Tải PDF" returns
    sign_sent(report, content, user=user)               # in report_send; SigningRefused
    kept = accept_upload(report, content, uploaded, user=user)   # ExternalRefused
    kept = kept_copy(report)                            # the official signed copy, or None
"""

from trungtam.models import SignedDocument, SignedKind
from trungtam.signing import signing_enabled
from trungtam.signing.documents import ExternalRefused, accept_external, deliver

from .models import AllCentresReport, YearlyReport
from .yearly_documents import SignablePdf, is_draft, signable_pdf

WHO_CAN_FIX = "Hãy báo quản trị hệ thống (người cấu hình chữ ký số của trung tâm)."
DRAFT_UPLOAD = (
    "Báo cáo chưa được đánh dấu đã gửi: chỉ báo cáo đã gửi (số liệu và nội dung đã chốt) mới "
    "có bản để ký. Hãy đánh dấu đã gửi, tải «bản để ký», ký rồi tải lên."
)


def kind_and_ref(report: YearlyReport | AllCentresReport) -> tuple[str, str]:
    if isinstance(report, AllCentresReport):
        return SignedKind.ALL_CENTRES_REPORT, str(report.year)
    return SignedKind.YEARLY_REPORT, f"{report.centre_id}:{report.year}"


def _centre(report):
    return None if isinstance(report, AllCentresReport) else report.centre


def reason(content: dict) -> str:
    if content.get("kind") == "all":
        return f"Báo cáo tổng hợp kết quả đào tạo, bồi dưỡng năm {content['year']}"
    return f"Báo cáo kết quả công tác đào tạo, bồi dưỡng năm {content['year']}"


def location(content: dict) -> str:
    header = content.get("centre", {})
    return (
        content.get("document", {}).get("place")
        or header.get("place_name")
        or header.get("name", "")
    )


def _deliver(report, content: dict, pdf: SignablePdf, user) -> bytes:
    kind, ref = kind_and_ref(report)
    return deliver(
        kind=kind,
        ref=ref,
        centre=_centre(report),
        original=pdf.content,
        reason=reason(content),
        location=location(content),
        box=pdf.box,
        page=pdf.page,
        user=user,
    )


def sign_sent(report, content: dict, *, user=None) -> SignedDocument | None:
    """Sign and keep the final PDF of a report just marked sent (inside its transaction, so a
    SigningRefused undoes the send). Nothing to do without a key configured."""
    if is_draft(content) or not signing_enabled():
        return None
    _deliver(report, content, signable_pdf(content), user)
    return kept_copy(report)


def delivered_pdf(report, content: dict, *, user=None) -> bytes:
    """The PDF a download returns: a draft as printed; a sent report's kept signed copy, else
    (key configured) signed now and kept, else unsigned. SigningRefused says why not."""
    pdf = signable_pdf(content)
    if is_draft(content):
        return pdf.content
    return _deliver(report, content, pdf, user)


def accept_upload(report, content: dict, uploaded: bytes, *, user=None) -> SignedDocument:
    """Keep a copy signed on a leader's PC when it signs exactly the report's final PDF."""
    if is_draft(content):
        raise ExternalRefused(DRAFT_UPLOAD)
    kind, ref = kind_and_ref(report)
    return accept_external(
        kind=kind,
        ref=ref,
        centre=_centre(report),
        original=signable_pdf(content).content,
        uploaded=uploaded,
        user=user,
    )


def kept_copy(report) -> SignedDocument | None:
    """The report's official signed copy (a sent report's content never changes, so one)."""
    if report.pk is None:
        return None
    kind, ref = kind_and_ref(report)
    return (
        SignedDocument.objects.filter(kind=kind, ref=ref)
        .defer("data")
        .select_related("created_by")
        .order_by("-created_at", "-id")
        .first()
    )

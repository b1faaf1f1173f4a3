"""Every download of personal data passes through `personal_data_download`, which logs it (DESIGN §8b)."""

from io import BytesIO

from axes.helpers import get_client_ip_address
from django.http import FileResponse, HttpRequest

from trungtam.models import Centre, ExportLog

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ics": "text/calendar",
}


def log_export(
    *, user, description: str, filename: str, centre: Centre | None = None, rows=None, address=None
) -> ExportLog:
    """Record who exported what and when; used by downloads and by management commands."""
    return ExportLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=getattr(user, "username", "") or "hệ thống",
        centre=centre,
        description=description[:300],
        filename=filename[:200],
        rows=rows,
        address=address,
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address as login throttling sees it (behind a proxy: from X-Forwarded-For)."""
    return get_client_ip_address(request) or None


def personal_data_download(
    request: HttpRequest,
    *,
    content: bytes,
    filename: str,
    description: str,
    centre: Centre | None = None,
    rows: int | None = None,
) -> FileResponse:
    """Log the export, then send `content` as an attachment named `filename`."""
    log_export(
        user=request.user,
        description=description,
        filename=filename,
        centre=centre,
        rows=rows,
        address=client_address(request),
    )
    extension = filename.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        BytesIO(content),
        as_attachment=True,
        filename=filename,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "no-store"
    return response

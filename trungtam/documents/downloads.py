"""Every file the app sends goes through `file_download`; every download of personal data through
`personal_data_download`, which logs it first (DESIGN §8b)."""

from io import BytesIO

from axes.helpers import get_client_ip_address
from django.http import FileResponse, HttpRequest

from trungtam.models import Centre, ExportLog

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ics": "text/calendar; charset=utf-8",
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


def content_type_for(filename: str) -> str:
    return CONTENT_TYPES.get(filename.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def file_download(
    content: bytes,
    filename: str,
    *,
    inline: bool = False,
    cache_control: str | None = None,
) -> FileResponse:
    """Send `content` named `filename`: an attachment (saved) or inline (opened), typed from the
    file's extension. A name with Vietnamese letters goes out as RFC 6266 filename*."""
    response = FileResponse(
        BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type=content_type_for(filename),
    )
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


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
    return file_download(content, filename, cache_control="no-store")

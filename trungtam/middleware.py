"""Requests refused before any view runs: a body too large to read, a query no view can use.

Both answer with a short Vietnamese page. Placed after the authentication middleware (the page
shows the user's menu) and after the security headers (the page carries them too), and before
anything reads the body: the CSRF check reads POST only in process_view, which never runs here.
"""

from django.conf import settings
from django.shortcuts import render

from trungtam.documents.numbers import format_number

# A query value longer than this is no filter, search or page anyone typed; refusing it keeps
# thousand-word searches and megabyte sort keys away from the database.
MAX_QUERY_VALUE_LENGTH = 1000


def declared_body_size(request) -> int:
    """The Content-Length the client announced (0 when absent or malformed, as Django reads it)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except (TypeError, ValueError):
        return 0


def query_problem(request) -> str | None:
    """Why the path or the query string cannot be served, or None.

    PostgreSQL refuses NUL characters in text (a DataError, so a 500, from any filter or search
    that passes one on); SQLite stores them. Refused here for every view and the admin alike.
    """
    if "\x00" in request.path:
        return "Địa chỉ trang có ký tự không được phép (ký tự NUL, %00)."
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return f"Tham số «{_shown(key)}» có ký tự không được phép (ký tự NUL, %00)."
        if len(key) > MAX_QUERY_VALUE_LENGTH:
            return f"Tên tham số dài quá {format_number(MAX_QUERY_VALUE_LENGTH)} ký tự."
        if any(len(value) > MAX_QUERY_VALUE_LENGTH for value in values):
            return (
                f"Giá trị của tham số «{_shown(key)}» dài quá "
                f"{format_number(MAX_QUERY_VALUE_LENGTH)} ký tự."
            )
    return None


def _shown(key: str) -> str:
    key = key.replace("\x00", "")
    return key if len(key) <= 40 else key[:40] + "…"


def _megabytes(size: int) -> str:
    return format_number(size / 1024 / 1024, 1)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        size = declared_body_size(request)
        limit = settings.REQUEST_MAX_BODY_SIZE
        if size > limit:
            return render(
                request,
                "413.html",
                {"size": _megabytes(size), "limit": format_number(limit // 1024 // 1024)},
                status=413,
            )
        problem = query_problem(request)
        if problem is not None:
            return render(request, "400.html", {"reason": problem}, status=400)
        response = self.get_response(request)
        if response.status_code == 405 and request.method == "GET" and not response.content:
            # A button's address opened directly (a reload, the back button, a bookmark): say so
            # instead of the browser's blank "HTTP ERROR 405". The status and Allow stay.
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

"""Downloads of a class's documents (DESIGN §6): enrolment list, attendance sheet, grade sheet,
result list (PDF or XLSX) and the result notices to the sending units (PDF) — a closed class's
notices digitally signed when the centre's key is configured (lophoc/notice_signing.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from lophoc.documents import (
    DOCUMENT_FORMATS,
    DocumentRefused,
    build_course_document,
)
from lophoc.notice_signing import WHO_CAN_FIX, notices_delivered
from lophoc.views.lookup import course_or_404
from trungtam.documents.downloads import personal_data_download
from trungtam.scoping import Right
from trungtam.signing import SigningRefused


@login_required
def course_document(request, pk: int, document: str, fmt: str):
    if fmt not in DOCUMENT_FORMATS.get(document, ()):
        raise Http404("Không có tài liệu này.")
    course = course_or_404(request, pk, Right.IMPORT_EXPORT)
    back = reverse("lophoc:course_detail", args=[course.pk]) + "#tai-lieu"
    try:
        built = build_course_document(course, document, fmt, maker_name=request.user.full_name)
    except DocumentRefused as refused:
        messages.warning(request, str(refused))
        return redirect(back)
    content = built.content
    if document == "notices":
        try:
            content = notices_delivered(course=course, content=content, user=request.user)
        except SigningRefused as refused:
            messages.error(
                request,
                f"Chưa ký số được thông báo kết quả: {refused.message} {WHO_CAN_FIX}",
            )
            return redirect(back)
    return personal_data_download(
        request,
        content=content,
        filename=built.filename,
        description=built.description,
        centre=course.centre,
        rows=built.rows,
    )

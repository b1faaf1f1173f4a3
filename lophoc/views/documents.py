"""Downloads of a class's documents (DESIGN §6): enrolment list, attendance sheet, grade sheet,
result list (PDF or XLSX) and the result notices to the sending units (PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse

from lophoc.documents import (
    DOCUMENT_FORMATS,
    DocumentRefused,
    build_course_document,
)
from lophoc.models import Course
from trungtam.documents.downloads import personal_data_download
from trungtam.scoping import Right, get_for_right_or_404


@login_required
def course_document(request, pk: int, document: str, fmt: str):
    if fmt not in DOCUMENT_FORMATS.get(document, ()):
        raise Http404("Không có tài liệu này.")
    course = get_for_right_or_404(
        request.user,
        Course.objects.select_related("centre", "program"),
        Right.IMPORT_EXPORT,
        pk=pk,
    )
    try:
        built = build_course_document(course, document, fmt, maker_name=request.user.full_name)
    except DocumentRefused as refused:
        messages.warning(request, str(refused))
        return redirect(reverse("lophoc:course_detail", args=[course.pk]) + "#tai-lieu")
    return personal_data_download(
        request,
        content=built.content,
        filename=built.filename,
        description=built.description,
        centre=course.centre,
        rows=built.rows,
    )


urlpatterns = [
    path(
        "<int:pk>/tai-lieu/<slug:document>.<slug:fmt>",
        course_document,
        name="course_document",
    ),
]

"""The steps every upload → preview → confirm of a class shares (the nominee list, the grade
sheet; DESIGN §9, §11).

Upload keeps the file as the user's pending upload for this purpose and class; preview and
confirm find it again, and confirm goes on only with the very file the preview showed (its
SHA-256 comes back with the form). The flows differ in what they read and write, never in these
steps or in what the person reads when the file is gone or has changed.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from lophoc.models import Course
from trungtam.pending_upload import (
    PENDING_FOR,
    Pending,
    pending_clear,
    pending_load,
    pending_note,
    pending_store,
)

PENDING_HOURS = int(PENDING_FOR.total_seconds() // 3600)


@dataclass(frozen=True)
class UploadFlow:
    purpose: str  # the session key and the pending upload's purpose
    upload_url: str  # URL names of the steps; each takes the class's pk
    preview_url: str
    waiting: str  # what waits for confirmation, as messages name it: «file», «bảng điểm»
    uploaded: str  # what was uploaded, as the preview names it: «file danh sách», «bảng điểm»
    action: str  # what is being done: «nhập danh sách», «nhập bảng điểm»

    def receive(self, request: HttpRequest, course: Course, form_class, *, refused: bool):
        """The upload form; a valid file is kept and the answer is the redirect to the preview
        (else None). A refused class (`refused`) gets the blank form whatever was posted."""
        action = reverse(self.upload_url, args=[course.pk])
        if request.method != "POST" or refused:
            return form_class(action=action), None
        form = form_class(request.POST, request.FILES, action=action)
        if not form.is_valid():
            return form, None
        pending_store(
            request,
            self.purpose,
            course_id=course.pk,
            filename=form.cleaned_data["file"].name,
            content=form.content,
        )
        return form, redirect(self.preview_url, pk=course.pk)

    def load(self, request: HttpRequest, course: Course) -> Pending | None:
        return pending_load(request, self.purpose, course_id=course.pk)

    def note(self, request: HttpRequest, notes: dict) -> None:
        pending_note(request, self.purpose, notes)

    def clear(self, request: HttpRequest) -> None:
        pending_clear(request, self.purpose)

    def nothing_to_preview(self, request: HttpRequest, course: Course) -> HttpResponse:
        messages.info(request, f"Chưa có {self.uploaded} nào đang chờ xem trước; hãy tải file lên.")
        return self.back_to_upload(course)

    def confirm_refusal(
        self, request: HttpRequest, course: Course, pending: Pending | None, *, seen: bool = True
    ) -> HttpResponse | None:
        """Why confirm cannot go on, as the redirect that says so; None when it can. `seen` is
        False when what the preview showed was not kept with this very file."""
        if pending is None:
            messages.warning(
                request,
                f"Không còn {self.waiting} nào chờ xác nhận (đã ghi, đã hủy hoặc quá hạn "
                f"{PENDING_HOURS} giờ); hãy tải {self.waiting} lên lại.",
            )
            return self.back_to_upload(course)
        if request.POST.get("sha256") != pending.sha256 or not seen:
            messages.warning(
                request,
                f"{self.waiting.capitalize()} đang chờ đã thay đổi (có thể bạn vừa tải một file "
                "khác ở cửa sổ khác). Hãy xem lại bản xem trước rồi xác nhận.",
            )
            return redirect(self.preview_url, pk=course.pk)
        return None

    def discard(self, request: HttpRequest, course: Course, reason: str) -> HttpResponse:
        """The kept file cannot be used (unreadable after all): drop it and say why."""
        self.clear(request)
        messages.error(request, reason)
        return self.back_to_upload(course)

    def cancel(self, request: HttpRequest) -> None:
        self.clear(request)
        messages.info(request, f"Đã hủy {self.action}; không có gì được ghi.")

    def back_to_upload(self, course: Course) -> HttpResponse:
        return redirect(self.upload_url, pk=course.pk)

"""Attendance of one session: the grid staff and the session's lecturer fill in (DESIGN §5 step 4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from lophoc.attendance import (
    attendance_may_edit,
    attendance_refusal,
    attendance_rows,
    attendance_save,
)
from lophoc.attendance_forms import AttendanceGridForm
from lophoc.models import AttendanceStatus, Session
from trungtam.scoping import Right, get_for_right_or_404


def _session_for_attendance(request, pk) -> Session:
    """404 outside the scope; 403 without the right, or for a lecturer not teaching this session."""
    session = get_for_right_or_404(
        request.user,
        Session.objects.select_related("course__program", "topic", "lecturer"),
        Right.ATTENDANCE,
        pk=pk,
    )
    if not attendance_may_edit(request.user, session):
        raise PermissionDenied("Chỉ giảng viên dạy buổi này và cán bộ trung tâm được điểm danh.")
    return session


def _all_present(post, form):
    data = post.copy()
    for enrolment in form.editable_enrolments:
        data[f"trang_thai_{enrolment.pk}"] = AttendanceStatus.PRESENT
    return data


@login_required
def attendance_edit(request, pk):
    session = _session_for_attendance(request, pk)
    course = session.course
    refusal = attendance_refusal(course, session)
    records = {record.enrolment_id: record for record in session.attendances.all()}
    enrolments = list(attendance_rows(session))

    def grid(data=None):
        return AttendanceGridForm(
            data,
            enrolments=enrolments,
            records=records,
            limit_percent=course.absence_limit_percent,
        )

    form = grid()
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("lophoc:attendance_edit", session.pk)
        data = request.POST
        if "all_present" in request.POST:
            data = _all_present(request.POST, form)
        form = grid(data)
        if form.is_valid():
            try:
                attendance_save(session=session, entries=form.entries(), user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"Đã lưu điểm danh buổi {session.date:%d/%m/%Y} "
                    f"({session.get_part_display().lower()}) của lớp {course.code}.",
                )
                return redirect("lophoc:attendance_edit", session.pk)
        else:
            messages.error(request, "Chưa lưu: có dòng cần sửa, xem thông báo ở từng dòng.")
    rows = form.rows()
    counts = {status: 0 for status in AttendanceStatus.values}
    made_up = 0
    for record in records.values():
        counts[record.status] += 1
        made_up += record.made_up
    return render(
        request,
        "lophoc/attendance_edit.html",
        {
            "session": session,
            "course": course,
            "form": form,
            "rows": rows,
            "read_only": refusal,
            "recorded": len(records),
            "counts": {
                "present": counts[AttendanceStatus.PRESENT] - made_up,
                "made_up": made_up,
                "excused": counts[AttendanceStatus.EXCUSED],
                "unexcused": counts[AttendanceStatus.UNEXCUSED],
            },
            "course_url": reverse("lophoc:course_detail", args=[course.pk]),
            "crumbs": [
                ("Lớp học", reverse("lophoc:course_list")),
                (course.code, reverse("lophoc:course_detail", args=[course.pk])),
                (f"Điểm danh {session.date:%d/%m/%Y}", None),
            ],
        },
    )

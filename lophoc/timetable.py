"""Timetable rules: a lecturer or a room is never booked twice at the same time (DESIGN §5 step 2)."""

from lophoc.models import Course, CourseStatus, Session, SessionPart


def session_clash(
    *, course: Course, date, part: str, lecturer, room: str, exclude_pks=()
) -> str | None:
    """Why a session may not take this slot: its lecturer or room is already booked then."""
    if not date or not part:
        return None
    others = (
        Session.objects.filter(date=date, part=part)
        .exclude(course__status=CourseStatus.CANCELLED)
        .exclude(pk__in=[pk for pk in exclude_pks if pk])
        .select_related("course")
    )
    slot = f"{date:%d/%m/%Y}, buổi {SessionPart(part).label.lower()}"
    if lecturer is not None:
        taken = others.filter(lecturer=lecturer).first()
        if taken:
            return f"Giảng viên {lecturer} đã có lịch dạy lớp {taken.course.code} vào {slot}."
    if room and course is not None and course.centre_id:
        taken = others.filter(room__iexact=room, course__centre_id=course.centre_id).first()
        if taken:
            return f"Phòng «{room}» đã được xếp cho lớp {taken.course.code} vào {slot}."
    return None

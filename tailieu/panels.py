"""What this app adds to the class page and to the lecturer's page (lophoc.panels,
giangvien.panels); each answer runs a fixed number of queries."""

from django.urls import reverse

from lophoc.models import Course, CourseStatus
from tailieu import letters, materials
from tailieu.models import ClassLink, Material, ScheduleLetter
from trungtam.hooks import Panel
from trungtam.scoping import Right, has_right


def course_panel(request, course: Course) -> Panel | None:
    """Staff: the program's materials, the trainees' link and its renewal. The class's
    lecturers: the materials to download. Officials: nothing (no files). Three queries at most."""
    user = request.user
    manage = has_right(user, Right.MANAGE)
    if not manage and not materials.lecturer_reads_only(user):
        return None
    rows = list(materials.in_use(Material.objects.filter(program_id=course.program_id)))
    link_url = None
    link = None
    cancelled = course.status == CourseStatus.CANCELLED
    if manage and not cancelled and any(m.for_trainees for m in rows):
        link = materials.class_link(course)
        link_url = materials.public_url(link)
    elif manage:
        link = ClassLink.objects.filter(course=course).first()
    return Panel(
        "tailieu/course_panel.html",
        {
            "course": course,
            "materials": rows,
            "manage": manage,
            "link_url": link_url,
            "has_link": link is not None,
            "cancelled": cancelled,
        },
        order=60,
    )


def lecturer_panel(request, lecturer, year: int) -> Panel | None:
    """The materials of the programs the lecturer teaches in `year` (the lecturer themself and
    staff); for staff also the schedule letter of the coming month and the letters sent."""
    user = request.user
    manage = has_right(user, Right.MANAGE)
    own = lecturer.user_id is not None and lecturer.user_id == user.pk
    if not (manage or own):
        return None
    programs = (
        Course.objects.filter(sessions__lecturer=lecturer, start_date__year=year)
        .exclude(status=CourseStatus.CANCELLED)
        .values("program_id")
    )
    rows = list(materials.in_use(Material.objects.filter(program_id__in=programs)))
    context = {"lecturer": lecturer, "year": year, "materials": rows, "manage": manage}
    if manage:
        start, end = letters.coming_month()
        context["letter_url"] = (
            reverse("tailieu:letter_page")
            + f"?giang_vien={lecturer.pk}&tu_ngay={start:%d/%m/%Y}&den_ngay={end:%d/%m/%Y}"
        )
        context["letter_pdf_url"] = reverse("tailieu:letter_pdf", args=[lecturer.pk]) + (
            f"?tu_ngay={start:%d/%m/%Y}&den_ngay={end:%d/%m/%Y}"
        )
        context["period"] = (start, end)
        context["sent"] = list(
            ScheduleLetter.objects.filter(lecturer=lecturer).order_by("-sent_at", "-id")[:5]
        )
    return Panel("tailieu/lecturer_panel.html", context, order=60)

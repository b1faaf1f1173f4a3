"""The demo's tailieu rows (issue 17), written for the centre whose units work online: materials
for the programs of the centre's classes (small PDFs made here, never binaries in the repo), two
of them for trainees, and a schedule letter mailed to the demo lecturer. Written through the
same services as the pages; a second run changes nothing."""

import datetime

from django.db.models import Count

from giangvien.models import Lecturer
from lophoc.models import Course, CourseStatus, Program
from tailieu.materials import material_create
from tailieu.models import Material, ScheduleLetter
from trungtam.documents import pdf
from trungtam.models import Centre, User

PROGRAMS = 4  # the programs with the most classes get materials
TITLES = (
    ("Đề cương bài giảng", False),
    ("Tài liệu học tập cho học viên", True),
)
DEMO_LECTURER = "giangvien"


def _material_pdf(centre: Centre, program: Program, title: str, today) -> bytes:
    return pdf.build_pdf(
        centre=centre,
        title=title.upper(),
        subtitle=[program.name],
        date=today,
        body=[
            pdf.para(
                f"Tài liệu dùng cho các lớp thuộc chương trình «{program.name}» do "
                f"{centre.name} tổ chức.",
                "body_justify",
            ),
            pdf.para(
                "Nội dung: quan điểm, đường lối của Đảng; chính sách, pháp luật của Nhà nước; "
                "liên hệ thực tiễn địa phương.",
                "body_justify",
            ),
        ],
        invariant=True,
    )


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    if Material.objects.filter(program__centre=centre).exists():
        return
    # The demo lecturer's classes first (in progress, then the rest), so that the lecturer and
    # the trainees of the class the demo shows find files; then the programs with most classes.
    lecturer = Lecturer.objects.filter(centre=centre, user__username=DEMO_LECTURER).first()
    taught = (
        Course.objects.filter(centre=centre, sessions__lecturer=lecturer)
        .exclude(status=CourseStatus.CANCELLED)
        .order_by("pk")
    )
    in_progress = taught.filter(status=CourseStatus.IN_PROGRESS).order_by("pk")
    busiest = (
        Program.objects.filter(centre=centre)
        .annotate(classes=Count("courses"))
        .filter(classes__gt=0)
        .order_by("-classes", "name")
    )
    programs: list[Program] = []
    for program in [
        *(course.program for course in in_progress.select_related("program")),
        *(course.program for course in taught.select_related("program")),
        *busiest,
    ]:
        if program not in programs and len(programs) < PROGRAMS:
            programs.append(program)
    trainee_files = 0
    for program in programs:
        topic = program.topics.order_by("order", "id").first()
        for title, wanted in TITLES:
            for_trainees = wanted and trainee_files < 2
            trainee_files += for_trainees
            if wanted and not for_trainees:
                title = "Tài liệu tham khảo"
            material_create(
                program=program,
                topic=topic if not for_trainees else None,
                title=title,
                note="",
                for_trainees=for_trainees,
                content=_material_pdf(centre, program, title, today),
                filename=f"{program.code}_{title}.pdf",
                user=staff,
            )
    _write_letter(centre, today, staff)


def _write_letter(centre: Centre, today: datetime.date, staff: User) -> None:
    lecturer = Lecturer.objects.filter(centre=centre, user__username=DEMO_LECTURER).first()
    if lecturer is None or ScheduleLetter.objects.filter(lecturer=lecturer).exists():
        return
    taught = (
        Course.objects.filter(sessions__lecturer=lecturer)
        .exclude(status=CourseStatus.CANCELLED)
        .exists()
    )
    if not taught:
        return
    ScheduleLetter.objects.create(
        lecturer=lecturer,
        date_from=today - datetime.timedelta(days=7),
        date_to=today + datetime.timedelta(days=23),
        to_address=lecturer.email or f"{DEMO_LECTURER}@ttct.example.vn",
        sent_by=staff,
    )

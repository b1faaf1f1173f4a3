"""What the classes app tells the layers below it (DESIGN §3), registered by `LophocConfig.ready()`.

The base, `hocvien` and `giangvien` may not name this app; where they need to know something about
classes they ask a hook (trungtam.hooks), and the answers are given here, in one place.
"""

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from giangvien import classes as giangvien_classes
from giangvien.models import Lecturer
from hocvien import classes as hocvien_classes
from hocvien import personal_data
from hocvien.models import Trainee, Unit
from lophoc import personal_data as classes_personal_data
from lophoc.models import Course, CourseStatus
from trungtam import admin_scoping, backup, scoping


def register() -> None:
    scoping.taught_courses.register(lambda user: Course.objects.taught_by(user))
    admin_scoping.course_is_closed.register(lambda course: course.status == CourseStatus.CLOSED)
    personal_data.register_part(classes_personal_data.PART)
    _register_key_rows()
    hocvien_classes.class_years.register(_class_years)
    hocvien_classes.in_class_year.register(_in_class_year)
    hocvien_classes.trainee_enrolments.register(_trainee_enrolments)
    hocvien_classes.merge_refusals.register(_merge_refusals)
    hocvien_classes.merge_enrolments.register(_merge_enrolments)
    hocvien_classes.unit_years.register(_unit_years)
    giangvien_classes.with_teaching.register(_with_teaching)
    giangvien_classes.sessions_in_year.register(_sessions_in_year)


# --- trainees and units (hocvien.classes) -----------------------------------------------------


def _class_years(trainees: QuerySet) -> list[int]:
    years = (
        trainees.filter(enrolments__isnull=False)
        .annotate(year=ExtractYear("enrolments__course__start_date"))
        .values_list("year", flat=True)
        .order_by("-year")
        .distinct()
    )
    return list(years)


def _in_class_year(year: int) -> QuerySet:
    return Trainee.objects.filter(enrolments__course__start_date__year=year)


def _trainee_enrolments(trainee: Trainee) -> QuerySet:
    return (
        trainee.enrolments.select_related("course", "course__program", "unit")
        .prefetch_related("certificates")
        .order_by("-course__start_date", "-pk")
    )


def _merge_refusals(*, keep: Trainee, remove: Trainee) -> list[str]:
    kept_courses = keep.enrolments.values("course_id")
    return [
        f"Cả hai hồ sơ đều ghi danh lớp {enrolment.course.code} – {enrolment.course.name}: "
        "hãy xóa ghi danh trùng trong lớp đó trước khi gộp."
        for enrolment in remove.enrolments.filter(course_id__in=kept_courses).select_related(
            "course"
        )
    ]


def _merge_enrolments(remove: Trainee) -> list:
    return list(
        remove.enrolments.select_related("course", "unit").order_by("-course__start_date", "pk")
    )


def _unit_years(unit: Unit) -> QuerySet:
    return (
        unit.enrolments.exclude(course__status=CourseStatus.CANCELLED)
        .annotate(year=ExtractYear("course__start_date"))
        .values("year")
        .annotate(enrolments=Count("pk"), people=Count("trainee", distinct=True))
        .order_by("-year")
    )


# --- lecturers (giangvien.classes) ------------------------------------------------------------


def _with_teaching(lecturers: QuerySet, year: int) -> QuerySet:
    taught = Q(sessions__date__year=year) & ~Q(sessions__course__status=CourseStatus.CANCELLED)
    return lecturers.annotate(
        session_count=Count("sessions", filter=taught),
        period_sum=Coalesce(Sum("sessions__periods", filter=taught), Value(0)),
    )


def _sessions_in_year(lecturer: Lecturer, year: int) -> QuerySet:
    return (
        lecturer.sessions.filter(date__year=year)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "topic")
    )


def _register_key_rows() -> None:
    # After hocvien's trainees, in this order: the key-row checksum of every archive depends on it.
    backup.register_key_rows(
        "lophoc.enrolment",
        "id",
        "course_id",
        "trainee_id",
        "unit_id",
        "status",
        "scheduled_periods",
        "absent_periods",
        "excused_periods",
        "final_score",
        "classification",
        "is_eligible",
        "passed",
    )
    backup.register_key_rows(
        "lophoc.score", "id", "enrolment_id", "assessment_id", "score", "retake_score"
    )
    backup.register_key_rows(
        "lophoc.certificate",
        "id",
        "centre_id",
        "enrolment_id",
        "course_id",
        "number",
        "register_number",
        "issued_on",
        "verification_code",
        "status",
        "full_name",
        "date_of_birth",
        "final_score",
        "classification",
    )

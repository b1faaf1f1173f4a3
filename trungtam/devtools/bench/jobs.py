"""The jobs the benchmark times, each through the code path a person triggers, with its floor.

A job runs the real view (django.test.Client, logged in as a centre's staff, a province official
or a sending unit's liaison) or the real command; its floor is the least the database or the
library must do for the same result (one raw SQL query, one bulk UPDATE, openpyxl reading the
file, reportlab drawing bare pages). Jobs that write work on their own class of centre 1 and put
it back afterwards (`restore`), so every run, and every later bench, measures the same thing.
"""

import datetime
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from chieusinh.models import Call, CallAnswerLine
from donvi.people import unit_family
from hocvien.models import Trainee, Unit
from khaosat.models import Survey, SurveyLine
from lophoc.closing import course_reopen
from lophoc.grading import Cell
from lophoc.grading_forms import cell_name
from lophoc.models import Course, CourseStatus, Enrolment, Score
from trungtam.devtools.bench.dataset import (
    BENCH_CLASSES,
    PROVINCE_USERNAME,
    STAFF_USERNAME,
    bench_code,
)
from trungtam.devtools.bench.online import UNIT_USERNAME
from trungtam.devtools.demo.names import make_name
from trungtam.models import Centre, User

PAGE_MS = 150
PAGE_QUERIES = 15
SAVE_MS = 150
IMPORT_MS = 2000
CERTIFICATES_MS = 3000
SIGNING_ADDS_MS = 2000  # issue 18: signing the class's certificates adds at most 2 s
REPORT_MS = 2000
AGGREGATE_RATIO = 3.0
IMPORT_ROWS = 1000
IMPORT_NEW_ROWS = 700
NEW_UNITS = ("Chi bộ Khu phố Mới 1", "Chi bộ Khu phố Mới 2", "Hội Cựu chiến binh xã Mới")
NEW_ID_PREFIX = "099"  # national IDs of the file's new people: no generated trainee has them
OPENED = ("enrolling", "in_progress", "grading", "closed")


# Every job, in the order they run (the *_province and *_all reports need several centres).
JOB_KEYS = (
    "class_page",
    "grade_grid",
    "grade_save",
    "import_1000",
    "close_class",
    "certificates_pdf",
    "certificates_signed",
    "certificates_signed_each",
    "figures_province",
    "yearly_command_centre_pdf",
    "yearly_command_province_pdf",
    "yearly_command_centre_xlsx",
    "yearly_command_province_xlsx",
    "yearly_view_centre_pdf",
    "yearly_view_all_pdf",
    "yearly_view_centre_xlsx",
    "yearly_view_all_xlsx",
    "dashboard_centre",
    "dashboard_province",
    "unit_page",
    "call_status",
    "survey_totals",
    "evaluation_lecturers",
)


class JobFailed(Exception):
    """A job did not do what it should (a Vietnamese message); the bench reports it."""


@dataclass
class Job:
    key: str
    label: str
    run: Callable[[], object]
    floor: Callable[[], object] | None = None
    floor_label: str = ""
    prepare: Callable[[], None] | None = None  # before every run, not timed
    restore: Callable[[], None] | None = None  # puts the data set back (before and after)
    slow: bool = False  # fewer runs
    target_ms: float | None = None
    target_queries: int | None = None
    target_ratio: float | None = None
    target_added_ms: float | None = None  # at most this much over the floor (what signing adds)


@dataclass
class Scope:
    """What the jobs need from the data set: who, which centre, which classes, which year."""

    centre: Centre
    centre_ids: list[int]
    staff: User
    province: User
    classes: dict[str, Course]
    year: int
    workdir: Path
    last_year: int
    liaison: User  # a sending unit's liaison (its unit: `liaison_unit`)
    liaison_unit: Unit
    call: Call
    survey: Survey

    @classmethod
    def load(cls, dataset: dict, workdir: Path) -> "Scope":
        centre = Centre.objects.get(code="TT01")
        last_year = dataset["last_year"]
        codes = {bench_code(b, last_year): b.key for b in BENCH_CLASSES}
        classes = {
            codes[c.code]: c
            for c in Course.objects.filter(centre=centre, code__in=codes).select_related(
                "centre", "program"
            )
        }
        liaison = User.objects.select_related("unit_account__unit").get(username=UNIT_USERNAME)
        return cls(
            centre=centre,
            centre_ids=list(Centre.objects.order_by("pk").values_list("pk", flat=True)),
            staff=User.objects.get(username=STAFF_USERNAME.format(index=1)),
            province=User.objects.get(username=PROVINCE_USERNAME),
            classes=classes,
            year=dataset["report_year"],
            workdir=workdir,
            last_year=last_year,
            liaison=liaison,
            liaison_unit=liaison.unit_account.unit,
            call=Call.objects.select_related("course").get(course=classes["call"]),
            survey=Survey.objects.get(centre=centre),
        )


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _expect(response, status: int, what: str):
    if response.status_code != status:
        location = response.get("Location", "")
        raise JobFailed(
            f"{what}: máy chủ trả về mã {response.status_code} (cần {status}) {location}".strip()
        )
    return response


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _raw(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- floors ----------------------------------------------------------------------------------


def _in(ids) -> str:
    return ", ".join(str(int(i)) for i in ids)


def report_aggregates_floor(centre_ids, year: int) -> None:
    """The yearly figures (DESIGN §9) as hand-written SQL: the year's classes, their enrolments
    by status and result, their valid certificates (from the index on class and status), people
    and plan targets of the year."""
    centres = _in(centre_ids)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    opened = ", ".join(f"'{s}'" for s in OPENED)
    courses = (
        f"SELECT id FROM lophoc_course WHERE centre_id IN ({centres}) "
        f"AND start_date BETWEEN %s AND %s AND status IN ({opened})"
    )
    _raw(
        "SELECT id, program_id, start_date, status, is_assessed FROM lophoc_course "
        f"WHERE centre_id IN ({centres}) AND start_date BETWEEN %s AND %s",
        [first, last],
    )
    _raw(
        "SELECT course_id, status, classification, passed, COUNT(*), SUM(scheduled_periods), "
        f"SUM(absent_periods) FROM lophoc_enrolment WHERE course_id IN ({courses}) "
        "GROUP BY course_id, status, classification, passed",
        [first, last],
    )
    _raw(
        "SELECT course_id, COUNT(course_id) FROM lophoc_certificate "
        f"WHERE status = 'valid' AND course_id IN ({courses}) GROUP BY course_id",
        [first, last],
    )
    _raw(
        f"SELECT COUNT(DISTINCT trainee_id) FROM lophoc_enrolment WHERE course_id IN ({courses})",
        [first, last],
    )
    _raw(
        "SELECT t.program_id, SUM(t.planned_classes), SUM(t.planned_trainees) "
        "FROM trungtam_plantarget t JOIN trungtam_annualplan p ON p.id = t.plan_id "
        f"WHERE p.centre_id IN ({centres}) AND p.year = %s GROUP BY t.program_id",
        [year],
    )


def class_rows_floor(course: Course) -> None:
    _raw(
        "SELECT e.id, e.status, e.scheduled_periods, e.absent_periods, e.final_score, "
        "e.classification, e.passed, t.full_name, t.date_of_birth, t.national_id, u.name "
        "FROM lophoc_enrolment e JOIN hocvien_trainee t ON t.id = e.trainee_id "
        "LEFT JOIN hocvien_unit u ON u.id = e.unit_id WHERE e.course_id = %s "
        "ORDER BY t.sort_key, e.id",
        [course.pk],
    )


def grid_rows_floor(course: Course) -> None:
    _raw(
        "SELECT e.id, t.full_name, s.assessment_id, s.score, s.retake_score, s.version "
        "FROM lophoc_enrolment e JOIN hocvien_trainee t ON t.id = e.trainee_id "
        "LEFT JOIN lophoc_score s ON s.enrolment_id = e.id WHERE e.course_id = %s "
        "ORDER BY t.sort_key, e.id, s.assessment_id",
        [course.pk],
    )


def closing_floor(course: Course) -> None:
    _raw(
        "SELECT s.enrolment_id, SUM(COALESCE(s.retake_score, s.score) * a.weight) / SUM(a.weight) "
        "FROM lophoc_score s JOIN lophoc_assessment a ON a.id = s.assessment_id "
        "JOIN lophoc_enrolment e ON e.id = s.enrolment_id WHERE e.course_id = %s "
        "GROUP BY s.enrolment_id",
        [course.pk],
    )


def bulk_update_floor(course: Course) -> None:
    """One UPDATE of every score row of the class (to the values they have: nothing changes)."""
    rows = list(
        Score.objects.filter(enrolment__course=course).values_list("pk", "score").order_by("pk")
    )
    cases = " ".join(f"WHEN {pk} THEN {value}" for pk, value in rows)
    with transaction.atomic():
        _raw_write(
            f"UPDATE lophoc_score SET score = CASE id {cases} END, version = version "
            f"WHERE id IN ({_in(pk for pk, _ in rows)})"
        )


def unit_year_floor(unit: Unit, year: int) -> None:
    """The unit's page for a year: its (and its sub-units') enrolments in the year's classes with
    the person, the class, the program and the valid certificates, in one query."""
    _raw(
        "SELECT e.id, e.status, e.scheduled_periods, e.absent_periods, e.final_score, "
        "e.classification, e.passed, t.full_name, t.date_of_birth, c.code, c.name, c.status, "
        "c.absence_limit_percent, p.name, cert.number, cert.verification_code "
        "FROM lophoc_enrolment e JOIN hocvien_trainee t ON t.id = e.trainee_id "
        "JOIN lophoc_course c ON c.id = e.course_id JOIN lophoc_program p ON p.id = c.program_id "
        "LEFT JOIN lophoc_certificate cert ON cert.enrolment_id = e.id AND cert.status = 'valid' "
        "WHERE e.unit_id IN (SELECT u.id FROM hocvien_unit u LEFT JOIN hocvien_unit up "
        "ON up.id = u.parent_id WHERE u.id = %s OR u.parent_id = %s OR up.parent_id = %s) "
        "AND c.start_date BETWEEN %s AND %s AND c.status <> 'cancelled' "
        "ORDER BY c.start_date DESC, c.code, t.sort_key, e.id",
        [unit.pk, unit.pk, unit.pk, datetime.date(year, 1, 1), datetime.date(year, 12, 31)],
    )


def call_rows_floor(call: Call) -> None:
    """The call's status page: each unit's quota, answer and the people on its list."""
    _raw(
        "SELECT q.id, u.name, q.quota, a.id, a.submitted_at, a.accepted_at, l.id, "
        "COALESCE(t.full_name, l.full_name), COALESCE(t.date_of_birth, l.date_of_birth), "
        "lu.name FROM chieusinh_callquota q JOIN hocvien_unit u ON u.id = q.unit_id "
        "LEFT JOIN chieusinh_callanswer a ON a.call_id = q.call_id AND a.unit_id = q.unit_id "
        "LEFT JOIN chieusinh_callanswerline l ON l.answer_id = a.id "
        "LEFT JOIN hocvien_trainee t ON t.id = l.trainee_id "
        "LEFT JOIN hocvien_unit lu ON lu.id = l.unit_id "
        "WHERE q.call_id = %s ORDER BY u.search_key, q.id, l.id",
        [call.pk],
    )


def survey_totals_floor(survey: Survey) -> None:
    """The survey's totals per program, and the units asked with what each answered."""
    _raw(
        "SELECT l.program_id, SUM(l.expected), COUNT(DISTINCT a.unit_id) "
        "FROM khaosat_surveyline l JOIN khaosat_surveyanswer a ON a.id = l.answer_id "
        "WHERE a.survey_id = %s AND l.expected > 0 GROUP BY l.program_id",
        [survey.pk],
    )
    _raw(
        "SELECT u.id, u.name, a.id, a.submitted_at, SUM(l.expected) "
        "FROM khaosat_surveyunit s JOIN hocvien_unit u ON u.id = s.unit_id "
        "LEFT JOIN khaosat_surveyanswer a ON a.survey_id = s.survey_id AND a.unit_id = s.unit_id "
        "LEFT JOIN khaosat_surveyline l ON l.answer_id = a.id WHERE s.survey_id = %s "
        "GROUP BY u.id, u.name, a.id, a.submitted_at ORDER BY u.search_key, u.id",
        [survey.pk],
    )


def evaluation_lecturers_floor(centre_ids, year: int) -> None:
    """The trainees' marks of each lecturer over the year's classes, from the tallies kept with
    each answer, summed in one query."""
    _raw(
        "SELECT t.lecturer_id, COUNT(DISTINCT t.course_id), SUM(t.answers), SUM(t.total), "
        "SUM(t.marks) FROM danhgia_evaluationtally t JOIN lophoc_course c ON c.id = t.course_id "
        f"WHERE t.lecturer_id IS NOT NULL AND c.centre_id IN ({_in(centre_ids)}) "
        "AND c.start_date BETWEEN %s AND %s GROUP BY t.lecturer_id",
        [datetime.date(year, 1, 1), datetime.date(year, 12, 31)],
    )


def _raw_write(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def bare_pages_floor(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from trungtam.documents.fonts import register_fonts

    font = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    for n in range(pages):
        canvas.setFont(font, 24)
        canvas.drawString(100, 300, f"Giấy chứng nhận số {n + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def openpyxl_floor(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


# --- the writing jobs' set-up and restore ----------------------------------------------------


def grade_post_data(course: Course) -> tuple[dict, int]:
    """What the grid page would post with every cell of every active trainee changed, to values
    as varied as a real class's (5 to 10 in quarters), from the versions stored now."""
    assessments = list(course.assessments.order_by("order", "pk"))
    scores = {
        (s.enrolment_id, s.assessment_id): s for s in Score.objects.filter(enrolment__course=course)
    }
    data, cells = {}, 0
    for enrolment in course.enrolments.filter(status="active").order_by("pk"):
        for assessment in assessments:
            score = scores.get((enrolment.pk, assessment.pk))
            current = score.score if score else None
            version = score.version if score else 0
            step = (enrolment.pk * 7 + assessment.pk * 3 + version) % 21
            new = Decimal(5) + Decimal(step) / 4
            if new == current:
                new = Decimal(5) + Decimal((step + 1) % 21) / 4
            name = cell_name(Cell(enrolment.pk, assessment.pk))
            data[f"diem_{name}"] = format(new.normalize(), "f").replace(".", ",")
            data[f"goc_{name}"] = "" if current is None else format(current.normalize(), "f")
            data[f"pb_{enrolment.pk}_{assessment.pk}"] = str(version)
            cells += 1
    return data, cells


def write_nominee_file(scope: Scope) -> tuple[Path, list[str]]:
    """A 1.000-row nominee list: 700 new people, 300 already known by national ID; three units
    the centre does not have yet."""
    from openpyxl import Workbook

    rng = random.Random(1000)
    known = list(
        Trainee.objects.filter(centre=scope.centre, national_id__isnull=False)
        .exclude(national_id__startswith=NEW_ID_PREFIX)
        .order_by("pk")
        .values_list("full_name", "date_of_birth", "gender", "national_id", "unit__name")[
            : IMPORT_ROWS - IMPORT_NEW_ROWS
        ]
    )
    units = list(
        Unit.objects.filter(centre=scope.centre).order_by("pk").values_list("name", flat=True)
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(["DANH SÁCH CÁN BỘ, ĐẢNG VIÊN ĐI HỌC"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Giới tính",
            "Dân tộc",
            "Số CCCD",
            "Chức vụ",
            "Đơn vị",
            "Đảng viên",
            "Điện thoại",
        ]
    )
    new_ids = []
    for n in range(IMPORT_ROWS):
        if n < IMPORT_NEW_ROWS:
            male = rng.random() < 0.5
            name, _ = make_name(rng, male=male)
            born = datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(35 * 365))
            national_id = f"{NEW_ID_PREFIX}{n:09d}"
            new_ids.append(national_id)
            gender = "Nam" if male else "Nữ"
            unit = NEW_UNITS[n % 3] if n % 50 == 0 else units[n % len(units)]
        else:
            name, born, code, national_id, unit = known[n - IMPORT_NEW_ROWS]
            gender = "Nam" if code == "M" else "Nữ"
            unit = unit or units[0]
        birth = born if n % 2 else born.strftime("%d/%m/%Y")
        sheet.append(
            [n + 1, name, birth, gender, "Kinh", national_id, "Đảng viên", unit, "", f"09{n:08d}"]
        )
    path = scope.workdir / "danh-sach-1000.xlsx"
    workbook.save(path)
    return path, new_ids


def restore_import(scope: Scope, new_ids: list[str]) -> None:
    course = scope.classes["import"]
    with transaction.atomic():
        Enrolment.objects.filter(course=course).delete()
        Trainee.objects.filter(centre=scope.centre, national_id__in=new_ids).delete()
        Unit.objects.filter(centre=scope.centre, name__in=NEW_UNITS).delete()


def restore_closing(scope: Scope) -> None:
    course = Course.objects.get(pk=scope.classes["close"].pk)
    if course.status == CourseStatus.CLOSED:
        course_reopen(course=course, user=scope.staff, reason="Bench: mở lại để đo lần sau")


# --- the jobs --------------------------------------------------------------------------------


def build_jobs(scope: Scope) -> list[Job]:
    staff = _client(scope.staff)
    province = _client(scope.province)
    view, save, close = scope.classes["view"], scope.classes["save"], scope.classes["close"]
    certificates = scope.classes["certificates"]
    year = scope.year
    centre = scope.centre
    jobs: list[Job] = []

    def page(client, url, what):
        def run():
            return _content(_expect(client.get(url, secure=True), 200, what))

        return run

    jobs.append(
        Job(
            "class_page",
            f"Trang lớp (đang chấm điểm, {view.enrolments.count()} học viên)",
            page(staff, reverse("lophoc:course_detail", args=[view.pk]), "Trang lớp"),
            floor=lambda: class_rows_floor(view),
            floor_label="1 truy vấn SQL lấy các dòng học viên",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )
    jobs.append(
        Job(
            "grade_grid",
            f"Bảng nhập điểm ({view.enrolments.count()} × {view.assessments.count()})",
            page(staff, reverse("lophoc:grade_grid", args=[view.pk]), "Bảng nhập điểm"),
            floor=lambda: grid_rows_floor(view),
            floor_label="1 truy vấn SQL lấy học viên và điểm",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )

    # Saving the grid: every run changes every cell (8,5 ↔ 7,25), from the versions stored now.
    prepared: dict = {}

    def save_prepare():
        prepared["data"], prepared["cells"] = grade_post_data(save)
        prepared["since"] = timezone.now()

    def save_run():
        # Posted as the browser posts the grid form (urlencoded, not multipart).
        response = staff.post(
            reverse("lophoc:grade_grid", args=[save.pk]),
            urlencode(prepared["data"]),
            content_type="application/x-www-form-urlencoded",
            secure=True,
        )
        _expect(response, 302, "Lưu bảng điểm")
        changed = Score.objects.filter(
            enrolment__course=save, updated_at__gte=prepared["since"]
        ).count()
        if changed != prepared["cells"]:
            raise JobFailed(f"Lưu bảng điểm: {changed} ô đổi, cần {prepared['cells']}.")

    jobs.append(
        Job(
            "grade_save",
            f"Lưu bảng điểm ({save.enrolments.count()} × {save.assessments.count()}, mọi ô đổi)",
            save_run,
            floor=lambda: bulk_update_floor(save),
            floor_label="1 lệnh UPDATE hàng loạt các dòng điểm",
            prepare=save_prepare,
            target_ms=SAVE_MS,
        )
    )

    nominee_path, new_ids = write_nominee_file(scope)
    import_course = scope.classes["import"]

    def import_run():
        out = io.StringIO()
        call_command(
            "import_trainees",
            str(nominee_path),
            course=import_course.code,
            centre=centre.code,
            user=scope.staff.username,
            stdout=out,
            stderr=io.StringIO(),
        )
        enrolled = Enrolment.objects.filter(course=import_course).count()
        if enrolled != IMPORT_ROWS:
            raise JobFailed(f"Nhập danh sách: ghi danh {enrolled} học viên, cần {IMPORT_ROWS}.")

    jobs.append(
        Job(
            "import_1000",
            f"Nhập danh sách {IMPORT_ROWS:,} dòng (import_trainees)".replace(",", "."),
            import_run,
            floor=lambda: openpyxl_floor(nominee_path),
            floor_label="openpyxl đọc cùng tệp (read-only)",
            prepare=lambda: restore_import(scope, new_ids),
            restore=lambda: restore_import(scope, new_ids),
            slow=True,
            target_ms=IMPORT_MS,
        )
    )

    def close_run():
        response = staff.post(
            reverse("lophoc:course_transition", args=[close.pk]),
            urlencode({"trang_thai": CourseStatus.CLOSED, "ly_do": "", "xac_nhan": "1"}),
            content_type="application/x-www-form-urlencoded",
            secure=True,
        )
        _expect(response, 302, "Kết thúc lớp")
        if Course.objects.get(pk=close.pk).status != CourseStatus.CLOSED:
            raise JobFailed("Kết thúc lớp: lớp chưa chuyển sang «Đã kết thúc».")

    jobs.append(
        Job(
            "close_class",
            f"Kết thúc lớp, tính và lưu kết quả ({close.enrolments.count()} học viên)",
            close_run,
            floor=lambda: closing_floor(close),
            floor_label="1 truy vấn SQL tổng hợp điểm",
            prepare=lambda: restore_closing(scope),
            restore=lambda: restore_closing(scope),
        )
    )

    certificate_count = certificates.enrolments.filter(certificates__status="valid").count()
    jobs.append(
        Job(
            "certificates_pdf",
            f"In giấy chứng nhận PDF ({certificate_count} trang)",
            page(
                staff,
                reverse("lophoc:course_certificates_pdf", args=[certificates.pk]),
                "In giấy chứng nhận",
            ),
            floor=lambda: bare_pages_floor(certificate_count),
            floor_label=f"reportlab vẽ {certificate_count} trang trống, cùng phông",
            slow=True,
            target_ms=CERTIFICATES_MS,
        )
    )

    # The same download with the centre's key (a throwaway PKCS#12 in the bench's temporary
    # directory): the web path signs the class PDF once (one signature, visible box); the floor
    # is the same download unsigned, so "median − floor" is what signing adds.
    certificates_url = reverse("lophoc:course_certificates_pdf", args=[certificates.pk])
    unsigned_download = page(staff, certificates_url, "In giấy chứng nhận")
    signing_settings = {}

    def with_signing(key: bool):
        def run():
            from django.test import override_settings

            if key and not signing_settings:
                from trungtam.devtools.bench.signing_key import throwaway_pkcs12

                signing_settings.update(throwaway_pkcs12(scope.workdir))
            with override_settings(SIGNING=dict(signing_settings) if key else {}):
                return unsigned_download()

        return run

    def forget_signed_copies():
        from trungtam.models import SignedDocument, SignedKind

        SignedDocument.objects.filter(
            kind=SignedKind.CLASS_CERTIFICATES, ref=str(certificates.pk)
        ).delete()

    jobs.append(
        Job(
            "certificates_signed",
            f"In giấy chứng nhận PDF ký số ({certificate_count} trang, ký 1 lần tệp của lớp)",
            with_signing(True),
            floor=with_signing(False),
            floor_label="cùng tệp, không ký",
            prepare=forget_signed_copies,
            restore=forget_signed_copies,
            slow=True,
            target_ms=CERTIFICATES_MS + SIGNING_ADDS_MS,
            target_added_ms=SIGNING_ADDS_MS,
        )
    )

    # `issue_certificates --sign`: the class PDF and each certificate on its own, the key opened
    # once (lophoc.certificate_signing.sign_course_certificates); the floor renders the same PDFs
    # unsigned, so "median − floor" is what signing every certificate adds.
    from lophoc.certificate_signing import (
        class_certificates_unsigned,
        sign_course_certificates,
        valid_course_certificates,
    )

    issued = valid_course_certificates(certificates)

    def sign_each():
        from django.test import override_settings

        from trungtam.devtools.bench.signing_key import throwaway_pkcs12

        if not signing_settings:
            signing_settings.update(throwaway_pkcs12(scope.workdir))
        with override_settings(SIGNING=dict(signing_settings)):
            signed, _ = sign_course_certificates(course=certificates, certificates=issued)
        if signed != len(issued) + 1:
            raise JobFailed(f"Ký giấy chứng nhận: ký {signed} tệp, cần {len(issued) + 1}.")

    def render_each():
        class_certificates_unsigned(issued)
        for certificate in issued:
            class_certificates_unsigned([certificate])

    def forget_each():
        from trungtam.models import SignedDocument, SignedKind

        SignedDocument.objects.filter(
            kind=SignedKind.CERTIFICATE, ref__in=[str(c.pk) for c in issued]
        ).delete()
        forget_signed_copies()

    jobs.append(
        Job(
            "certificates_signed_each",
            f"Ký số tệp của lớp và từng giấy chứng nhận ({len(issued)} giấy, lệnh "
            "issue_certificates --sign)",
            sign_each,
            floor=render_each,
            floor_label=f"cùng {len(issued) + 1} tệp PDF, không ký",
            prepare=forget_each,
            restore=forget_each,
            slow=True,
            target_added_ms=SIGNING_ADDS_MS,
        )
    )

    aggregates_all = lambda: report_aggregates_floor(scope.centre_ids, year)  # noqa: E731
    aggregates_one = lambda: report_aggregates_floor([centre.pk], year)  # noqa: E731

    def figures_run(centre_ids):
        from trungtam.reports.figures import year_figures

        return lambda: year_figures(centre_ids, year)

    jobs.append(
        Job(
            "figures_province",
            f"Số liệu năm {year} (figures.year_figures), {len(scope.centre_ids)} trung tâm",
            figures_run(scope.centre_ids),
            floor=aggregates_all,
            floor_label="các phép tổng hợp viết tay bằng SQL",
            target_ratio=AGGREGATE_RATIO,
        )
    )

    def command(fmt: str, centre_code: str | None):
        def run():
            path = scope.workdir / f"bao-cao-{centre_code or 'tinh'}.{fmt}"
            args = [str(year), "--format", fmt, "-o", str(path)]
            if centre_code:
                args += ["--centre", centre_code]
            call_command("yearly_report", *args, stdout=io.StringIO(), stderr=io.StringIO())
            if not path.exists() or not path.stat().st_size:
                raise JobFailed(f"yearly_report không ghi tệp {path.name}.")

        return run

    several = len(scope.centre_ids) > 1
    for fmt in ("pdf", "xlsx"):
        jobs.append(
            Job(
                f"yearly_command_centre_{fmt}",
                f"Báo cáo năm {year}, 1 trung tâm, {fmt.upper()} (lệnh yearly_report)",
                command(fmt, centre.code),
                floor=aggregates_one,
                floor_label="các phép tổng hợp viết tay bằng SQL",
                slow=True,
                target_ms=REPORT_MS,
            )
        )
        if several:
            jobs.append(
                Job(
                    f"yearly_command_province_{fmt}",
                    f"Báo cáo năm {year}, {len(scope.centre_ids)} trung tâm, {fmt.upper()} "
                    "(lệnh yearly_report)",
                    command(fmt, None),
                    floor=aggregates_all,
                    floor_label="các phép tổng hợp viết tay bằng SQL",
                    slow=True,
                    target_ms=REPORT_MS,
                )
            )
    for fmt in ("pdf", "xlsx"):
        jobs.append(
            Job(
                f"yearly_view_centre_{fmt}",
                f"Báo cáo năm {year}, 1 trung tâm, tải {fmt.upper()} (trang web)",
                page(
                    staff,
                    reverse(f"reports:yearly_{fmt}", args=[centre.pk, year]),
                    f"Tải báo cáo năm {fmt.upper()}",
                ),
                floor=aggregates_one,
                floor_label="các phép tổng hợp viết tay bằng SQL",
                slow=True,
                target_ms=REPORT_MS,
            )
        )
        if several:  # the all-centres report exists only where there are several
            jobs.append(
                Job(
                    f"yearly_view_all_{fmt}",
                    f"Báo cáo năm {year}, {len(scope.centre_ids)} trung tâm, tải {fmt.upper()} "
                    "(trang web)",
                    page(
                        province,
                        reverse(f"reports:yearly_all_{fmt}", args=[year]),
                        f"Tải báo cáo năm mọi trung tâm {fmt.upper()}",
                    ),
                    floor=aggregates_all,
                    floor_label="các phép tổng hợp viết tay bằng SQL",
                    slow=True,
                    target_ms=REPORT_MS,
                )
            )

    dashboard = reverse("reports:dashboard")
    jobs.append(
        Job(
            "dashboard_centre",
            f"Tổng quan năm {year}, 1 trung tâm (cán bộ trung tâm)",
            page(staff, f"{dashboard}?nam={year}", "Tổng quan"),
            floor=aggregates_one,
            floor_label="các phép tổng hợp viết tay bằng SQL",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )
    jobs.append(
        Job(
            "dashboard_province",
            f"Tổng quan năm {year}, {len(scope.centre_ids)} trung tâm (cán bộ cấp tỉnh)",
            page(province, f"{dashboard}?nam={year}", "Tổng quan toàn tỉnh"),
            floor=aggregates_all,
            floor_label="các phép tổng hợp viết tay bằng SQL",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )

    # The sending units online (issue 16): the unit's page as its liaison sees it, in the last
    # year (its running classes: attendance warnings), and the staff's call and survey pages.
    unit, unit_year = scope.liaison_unit, scope.last_year
    sent = Enrolment.objects.filter(unit__in=unit_family(unit).values("pk")).exclude(
        course__status=CourseStatus.CANCELLED
    )
    years = sent.order_by().values("course__start_date__year").distinct().count()
    sent = sent.filter(course__start_date__year=unit_year).count()
    jobs.append(
        Job(
            "unit_page",
            f"Trang đơn vị năm {unit_year} ({unit.name}: {sent} lượt học viên, "
            f"{years} năm; cán bộ đơn vị)",
            page(
                _client(scope.liaison),
                f"{reverse('donvi:unit_page', args=[unit.pk])}?nam={unit_year}",
                "Trang đơn vị",
            ),
            floor=lambda: unit_year_floor(unit, unit_year),
            floor_label="1 truy vấn SQL lấy học viên, lớp và giấy chứng nhận của đơn vị",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )
    call = scope.call
    answered = call.answers.filter(submitted_at__isnull=False).count()
    jobs.append(
        Job(
            "call_status",
            f"Chiêu sinh lớp {call.course.code}: {call.quotas.count()} đơn vị, {answered} đã gửi, "
            f"{CallAnswerLine.objects.filter(answer__call=call).count()} người",
            page(staff, reverse("chieusinh:call_detail", args=[call.pk]), "Trang chiêu sinh"),
            floor=lambda: call_rows_floor(call),
            floor_label="1 truy vấn SQL lấy chỉ tiêu, danh sách và người của các đơn vị",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )
    survey = scope.survey
    jobs.append(
        Job(
            "survey_totals",
            f"Khảo sát nhu cầu năm {survey.year}: {survey.answers.count()}/"
            f"{survey.asked.count()} đơn vị trả lời, "
            f"{SurveyLine.objects.filter(answer__survey=survey).count()} dòng",
            page(staff, reverse("khaosat:survey_detail", args=[survey.pk]), "Khảo sát nhu cầu"),
            floor=lambda: survey_totals_floor(survey),
            floor_label="2 truy vấn SQL: tổng theo chương trình, các đơn vị",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )

    # The trainees' evaluation (issue 17): the per-lecturer yearly summary for the province.
    def evaluation_lecturers():
        from danhgia.yearly import evaluation_year

        figures = evaluation_year(scope.centre_ids, year)
        if not figures.lecturers:
            raise JobFailed(f"Không có giảng viên nào được đánh giá năm {year}.")
        return figures.lecturers

    jobs.append(
        Job(
            "evaluation_lecturers",
            f"Đánh giá giảng viên năm {year}, {len(scope.centre_ids)} trung tâm "
            "(danhgia.yearly.evaluation_year)",
            evaluation_lecturers,
            floor=lambda: evaluation_lecturers_floor(scope.centre_ids, year),
            floor_label="1 truy vấn SQL cộng bảng tổng hợp theo giảng viên",
            target_ms=PAGE_MS,
            target_queries=PAGE_QUERIES,
        )
    )
    return jobs

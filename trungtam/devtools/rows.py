"""One set of row builders for every generator: the demo data, the bench's data set and the tests
(tests/builders.py).

Each `new_<noun>` returns an UNSAVED instance, built by keyword, with safe defaults for what the
caller leaves out; related rows are passed in, never made here. The caller decides how it is
written: `.save()` (tests), `bulk_create` (demo), or the bench's `RowWriter` (COPY on PostgreSQL),
which takes the instances' values as they stand — so the bench passes explicit primary keys and
the timestamps Django would otherwise fill in on save.
"""

import datetime
import itertools
from decimal import Decimal

from giangvien.models import Lecturer, LecturerKind
from hocvien.models import Gender, Trainee, Unit, UnitKind
from lophoc.courses import RULE_FIELDS
from lophoc.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    Program,
    ProgramSystem,
    Score,
    Session,
    SessionPart,
    Topic,
)
from trungtam.models import Centre, ReportIssuer, Role, User

# Numbers for the default codes and names, so that rows built without them never collide.
_numbers = itertools.count(1)


def next_number() -> int:
    """A number no other default of this run has used (tests/builders.py's `_n`)."""
    return next(_numbers)


def new_centre(**fields) -> Centre:
    n = next_number()
    values = {
        "code": f"TT{n}",
        "name": f"Trung tâm Chính trị số {n}",
        "parent_body": "Đảng ủy phường Phú Lợi",
        "supervising_committee": "Ban Thường vụ Đảng ủy phường Phú Lợi",
        "place_name": "Phú Lợi",
    }
    return Centre(**{**values, **fields})


def new_report_issuer(**fields) -> ReportIssuer:
    """The province-level body that issues the all-centres report."""
    values = {
        "parent_body": "Tỉnh ủy Bình Dương",
        "name": "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "short_name": "BTGDVTU",
        "place_name": "Thủ Dầu Một",
        "addressee": "Ban Thường vụ Tỉnh ủy",
        "recipients": "Ban Thường vụ Tỉnh ủy (để báo cáo)\nCác trung tâm chính trị",
        "signer_title": "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
        "signer_name": "Phạm Văn Tỉnh",
    }
    return ReportIssuer(**{**values, **fields})


def new_user(*, password: str | None = None, **fields) -> User:
    """A login; without a password it cannot log in (an unusable password, not an empty one)."""
    n = next_number()
    values = {"username": f"user{n}", "full_name": f"Người dùng {n}", "role": Role.STAFF}
    user = User(**{**values, **fields})
    user.set_password(password)
    return user


def new_unit(*, centre: Centre, **fields) -> Unit:
    values = {"name": f"Xã Thử Nghiệm {next_number()}", "kind": UnitKind.COMMUNE}
    return Unit(centre=centre, **{**values, **fields})


def new_trainee(*, centre: Centre, **fields) -> Trainee:
    values = {
        "full_name": f"Nguyễn Văn Thử {next_number()}",
        "date_of_birth": datetime.date(1990, 5, 17),
        "gender": Gender.MALE,
    }
    return Trainee(centre=centre, **{**values, **fields})


def new_lecturer(*, centre: Centre, **fields) -> Lecturer:
    values = {"full_name": f"Trần Thị Giảng {next_number()}", "kind": LecturerKind.FULL_TIME}
    return Lecturer(centre=centre, **{**values, **fields})


def new_program(*, centre: Centre, **fields) -> Program:
    n = next_number()
    values = {
        "code": f"P{n}",
        "name": f"Bồi dưỡng nhận thức về Đảng {n}",
        "system": ProgramSystem.PARTY,
    }
    return Program(centre=centre, **{**values, **fields})


def program_settings(program: Program) -> dict:
    """What a class takes from its program when it is opened (`lophoc.courses.RULE_FIELDS`)."""
    return {name: getattr(program, name) for name in RULE_FIELDS}


def new_course(
    *,
    centre: Centre,
    program: Program,
    start_date: datetime.date = datetime.date(2026, 3, 2),
    **fields,
) -> Course:
    """A class; its settings are the model's defaults unless given (see `program_settings`)."""
    n = next_number()
    values = {
        "code": f"KND-{n:02d}/{start_date.year}",
        "name": f"Lớp bồi dưỡng nhận thức về Đảng khóa {n}",
        "end_date": start_date + datetime.timedelta(days=4),
        "capacity": 60,
        "status": CourseStatus.PLANNED,
    }
    return Course(centre=centre, program=program, start_date=start_date, **{**values, **fields})


def new_topic(*, course: Course, order: int, title: str, periods: int, **fields) -> Topic:
    return Topic(course=course, order=order, title=title, periods=periods, **fields)


def new_session(*, course: Course, **fields) -> Session:
    values = {"date": course.start_date, "part": SessionPart.MORNING, "periods": 4}
    return Session(course=course, **{**values, **fields})


def new_assessment(*, course: Course, **fields) -> Assessment:
    values = {"name": "Bài thu hoạch", "weight": Decimal("1"), "is_final": True}
    return Assessment(course=course, **{**values, **fields})


def new_enrolment(*, course: Course, trainee: Trainee, **fields) -> Enrolment:
    return Enrolment(course=course, trainee=trainee, **fields)


def new_attendance(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str = AttendanceStatus.PRESENT,
    **fields,
) -> Attendance:
    return Attendance(session=session, enrolment=enrolment, status=status, **fields)


def new_score(
    *,
    enrolment: Enrolment,
    assessment: Assessment,
    score: Decimal | None = Decimal("8.5"),
    **fields,
) -> Score:
    return Score(enrolment=enrolment, assessment=assessment, score=score, **fields)

"""Small builders with safe defaults: make_course(**overrides) and friends."""

import datetime
import itertools
from decimal import Decimal

from giangvien.models import Lecturer, LecturerKind
from hocvien.models import Gender, Trainee, Unit
from lophoc.models import (
    Assessment,
    Course,
    CourseStatus,
    Enrolment,
    Program,
    ProgramSystem,
    Score,
    Session,
    SessionPart,
)
from trungtam.models import Centre, ReportIssuer, Role, User

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def make_centre(**overrides) -> Centre:
    n = _n()
    values = {
        "code": f"TT{n}",
        "name": f"Trung tâm Chính trị số {n}",
        "parent_body": "Đảng ủy phường Phú Lợi",
        "supervising_committee": "Ban Thường vụ Đảng ủy phường Phú Lợi",
        "place_name": "Phú Lợi",
    }
    values.update(overrides)
    return Centre.objects.create(**values)


def make_report_issuer(**overrides) -> ReportIssuer:
    """The province-level body that issues the all-centres report (one in use at a time)."""
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
    values.update(overrides)
    issuer = ReportIssuer(**values)
    issuer.full_clean()
    issuer.save()
    return issuer


def make_user(*, role=Role.STAFF, centre=None, **overrides) -> User:
    n = _n()
    values = {
        "username": f"user{n}",
        "full_name": f"Người dùng {n}",
        "role": role,
        "centre": centre,
    }
    values.update(overrides)
    password = values.pop("password", "mat-khau-thu-nghiem")
    user = User(**values)
    user.set_password(password)
    user.save()
    return user


def make_unit(centre=None, **overrides) -> Unit:
    centre = centre or make_centre()
    values = {"centre": centre, "name": f"Xã Thử Nghiệm {_n()}", "kind": "commune"}
    values.update(overrides)
    return Unit.objects.create(**values)


def make_trainee(centre=None, **overrides) -> Trainee:
    centre = centre or overrides.get("unit", None) and overrides["unit"].centre or make_centre()
    values = {
        "centre": centre,
        "full_name": f"Nguyễn Văn Thử {_n()}",
        "date_of_birth": datetime.date(1990, 5, 17),
        "gender": Gender.MALE,
    }
    values.update(overrides)
    return Trainee.objects.create(**values)


def make_lecturer(centre=None, **overrides) -> Lecturer:
    centre = centre or make_centre()
    values = {
        "centre": centre,
        "full_name": f"Trần Thị Giảng {_n()}",
        "kind": LecturerKind.FULL_TIME,
    }
    values.update(overrides)
    return Lecturer.objects.create(**values)


def make_program(centre=None, **overrides) -> Program:
    centre = centre or make_centre()
    n = _n()
    values = {
        "centre": centre,
        "code": f"P{n}",
        "name": f"Bồi dưỡng nhận thức về Đảng {n}",
        "system": ProgramSystem.PARTY,
    }
    values.update(overrides)
    return Program.objects.create(**values)


def make_course(centre=None, **overrides) -> Course:
    program = overrides.pop("program", None)
    centre = centre or (program.centre if program else make_centre())
    program = program or make_program(centre)
    n = _n()
    start = overrides.pop("start_date", datetime.date(2026, 3, 2))
    values = {
        "centre": centre,
        "program": program,
        "code": f"KND-{n:02d}/{start.year}",
        "name": f"Lớp bồi dưỡng nhận thức về Đảng khóa {n}",
        "start_date": start,
        "end_date": start + datetime.timedelta(days=4),
        "capacity": 60,
        "status": CourseStatus.PLANNED,
    }
    values.update(overrides)
    return Course.objects.create(**values)


def make_session(course, **overrides) -> Session:
    values = {
        "course": course,
        "date": course.start_date,
        "part": SessionPart.MORNING,
        "periods": 4,
    }
    values.update(overrides)
    return Session.objects.create(**values)


def make_enrolment(course, trainee=None, **overrides) -> Enrolment:
    trainee = trainee or make_trainee(course.centre)
    values = {"course": course, "trainee": trainee}
    values.update(overrides)
    return Enrolment.objects.create(**values)


def make_assessment(course, **overrides) -> Assessment:
    values = {"course": course, "name": "Bài thu hoạch", "weight": Decimal("1"), "is_final": True}
    values.update(overrides)
    return Assessment.objects.create(**values)


def make_score(enrolment, assessment, score="8.5", **overrides) -> Score:
    values = {
        "enrolment": enrolment,
        "assessment": assessment,
        "score": Decimal(score) if score is not None else None,
    }
    values.update(overrides)
    return Score.objects.create(**values)


def pending_upload_of(client, key: str):
    """The upload a test client's session is waiting to confirm (trungtam.pending_upload)."""
    from trungtam.models import PendingUpload

    return PendingUpload.objects.get(pk=client.session[key])

"""Small builders with safe defaults: make_course(**overrides) and friends."""

from decimal import Decimal

from giangvien.models import Lecturer
from hocvien.models import Trainee, Unit, UnitAccount
from lophoc.models import Assessment, Course, Enrolment, Program, Score, Session
from trungtam.devtools.rows import (
    new_assessment,
    new_centre,
    new_course,
    new_enrolment,
    new_lecturer,
    new_program,
    new_report_issuer,
    new_score,
    new_session,
    new_trainee,
    new_unit,
    new_user,
    next_number,
)
from trungtam.models import Centre, ReportIssuer, Role, User

# The row builders are shared with the demo and the bench (trungtam/devtools/rows.py); these
# save what they build, making the parents a test leaves out.


def _n() -> int:
    return next_number()


def _saved(row):
    row.save(force_insert=True)  # as Model.objects.create does
    return row


def make_centre(**overrides) -> Centre:
    return _saved(new_centre(**overrides))


def make_report_issuer(**overrides) -> ReportIssuer:
    """The province-level body that issues the all-centres report (one in use at a time)."""
    issuer = new_report_issuer(**overrides)
    issuer.full_clean()
    return _saved(issuer)


def make_user(*, role=Role.STAFF, centre=None, **overrides) -> User:
    overrides.setdefault("password", "mat-khau-thu-nghiem")
    return _saved(new_user(role=role, centre=centre, **overrides))


def make_unit(centre=None, **overrides) -> Unit:
    return _saved(new_unit(centre=centre or make_centre(), **overrides))


def make_liaison(unit, username="donvi") -> User:
    """A unit's liaison login (issue 16), answering for `unit`."""
    user = make_user(role=Role.UNIT, centre=unit.centre, username=username)
    UnitAccount.objects.create(user=user, unit=unit)
    return user


def make_trainee(centre=None, **overrides) -> Trainee:
    centre = centre or overrides.get("unit", None) and overrides["unit"].centre or make_centre()
    return _saved(new_trainee(centre=centre, **overrides))


def make_lecturer(centre=None, **overrides) -> Lecturer:
    return _saved(new_lecturer(centre=centre or make_centre(), **overrides))


def make_program(centre=None, **overrides) -> Program:
    return _saved(new_program(centre=centre or make_centre(), **overrides))


def make_course(centre=None, **overrides) -> Course:
    program = overrides.pop("program", None)
    centre = centre or (program.centre if program else make_centre())
    program = program or make_program(centre)
    return _saved(new_course(centre=centre, program=program, **overrides))


def make_session(course, **overrides) -> Session:
    return _saved(new_session(course=course, **overrides))


def make_enrolment(course, trainee=None, **overrides) -> Enrolment:
    trainee = trainee or make_trainee(course.centre)
    return _saved(new_enrolment(course=course, trainee=trainee, **overrides))


def make_assessment(course, **overrides) -> Assessment:
    return _saved(new_assessment(course=course, **overrides))


def make_score(enrolment, assessment, score="8.5", **overrides) -> Score:
    score = Decimal(score) if score is not None else None
    return _saved(new_score(enrolment=enrolment, assessment=assessment, score=score, **overrides))


def pending_upload_of(client, key: str):
    """The upload a test client's session is waiting to confirm (trungtam.pending_upload)."""
    from trungtam.models import PendingUpload

    return PendingUpload.objects.get(pk=client.session[key])

"""The sending units online in the bench's data set (issue 16): what the unit's page, the call
status page and the survey totals are timed on, in centre 1.

Written through the product's own services (`chieusinh.calls`, `chieusinh.answers`,
`khaosat.surveys`), as a centre's staff and its units would have written them, so the units are
notified as they would be:

- a unit liaison's login (`bench-donvi`) for the commune that sent the most people over the years;
- a call for nominees for the bench's own class (BENCH-CHIEUSINH), a quota for each of the 40
  communes and Party committees, answered by most of them with people of their own (one with a new
  person), dated before the class: its deadline is past, so the page shows what staff see when they
  chase the late units and accept the lists;
- next year's needs survey, asking the 60 units of the default kinds (the communes, their Party
  committees and the agencies under each commune) and answered by all but the liaison's unit, each
  with a number for every program of the catalogue.
"""

import datetime
import random
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from chieusinh.answers import answer_submit, line_add_new, line_add_trainee
from chieusinh.calls import QuotaRow, call_publish, call_save
from chieusinh.models import Call, CallAnswer, CallAnswerLine
from hocvien.models import Gender, Trainee, Unit, UnitAccount, UnitKind
from khaosat.models import SurveyAnswer, SurveyLine
from khaosat.surveys import LineInput, answer_save, default_units, survey_create, survey_publish
from lophoc.models import Course, Enrolment
from trungtam.devtools.rows import new_user
from trungtam.models import Centre, Role, User

UNIT_USERNAME = "bench-donvi"
# The call: every commune and Party committee of the centre asked for CALL_QUOTA people (40 × 2 =
# the class's 80 places). Who answered: the first units in name order sent their full quota, the
# next ones part of it, two left their list unsent, the rest did not answer by the deadline.
CALL_QUOTA = 2
CALL_FULL, CALL_PART, CALL_DRAFT = 20, 3, 2
CALL_OPENED_DAYS, CALL_DEADLINE_DAYS = 28, 10  # before the class starts
SURVEY_DEADLINE_DAYS = 30
SURVEY_MAX_EXPECTED = 15
SEED = 16


@dataclass
class OnlineCounts:
    quotas: int = 0
    answer_lines: int = 0
    survey_answers: int = 0
    survey_lines: int = 0


def agencies_under_communes(centre: Centre, communes: list[Unit]) -> list[Unit]:
    """An agency under each commune (its health station), so the units of the default kinds a
    survey asks are 60 and a commune's liaison reads the units under it too. No people."""
    return Unit.objects.bulk_create(
        Unit(
            centre=centre,
            name=f"Trạm Y tế {commune.name.lower()[:1]}{commune.name[1:]}",
            kind=UnitKind.AGENCY,
            parent=commune,
        )
        for commune in communes
    )


def busiest_commune(centre: Centre) -> Unit:
    """The commune of the centre that sent the most enrolments over the years (one query)."""
    row = (
        Enrolment.objects.filter(course__centre=centre, unit__kind=UnitKind.COMMUNE)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit_id")
        .first()
    )
    return Unit.objects.get(pk=row["unit_id"])


def write_liaison(unit: Unit) -> User:
    user = new_user(
        username=UNIT_USERNAME,
        full_name=f"Cán bộ phụ trách {unit.name} (bench)",
        role=Role.UNIT,
        centre=unit.centre,
    )
    user.save()
    UnitAccount.objects.create(user=user, unit=unit)
    return user


def write_call(course: Course, units: list[Unit], staff: User, counts: OnlineCounts) -> Call:
    """The call of the bench's class, published and answered on the days before its deadline."""
    opened = course.start_date - datetime.timedelta(days=CALL_OPENED_DAYS)
    deadline = course.start_date - datetime.timedelta(days=CALL_DEADLINE_DAYS)
    call = call_save(
        call=Call(
            course=course,
            deadline=deadline,
            number="15/TB-TTCT",
            note="Đề nghị các đơn vị cử đúng đối tượng, đủ số lượng.",
        ),
        quotas=[QuotaRow(n, unit, CALL_QUOTA) for n, unit in enumerate(units, start=1)],
        user=staff,
        today=opened,
    )
    call = call_publish(call=call, user=staff, today=opened)
    quotas = {quota.unit_id: quota for quota in call.quotas.select_related("unit", "call")}
    answering = units[: CALL_FULL + CALL_PART + CALL_DRAFT]
    for n, unit in enumerate(answering):
        quota = quotas[unit.pk]
        sent = CALL_QUOTA if n < CALL_FULL else 1
        people = list(Trainee.objects.filter(unit=unit).order_by("sort_key", "pk")[:sent])
        for trainee in people[: sent - 1] if n == 0 else people:
            line_add_trainee(quota=quota, trainee_id=trainee.pk, user=staff, today=opened)
        if n == 0:  # the first unit also sends someone the registry does not know yet
            line_add_new(
                quota=quota,
                unit=unit,
                values={
                    "full_name": "Lê Thị Bench",
                    "date_of_birth": datetime.date(1994, 3, 8),
                    "gender": Gender.FEMALE,
                    "national_id": None,
                    "ethnicity": "Kinh",
                    "position": "Quần chúng ưu tú",
                    "phone": "0912000000",
                    "is_party_member": False,
                },
                user=staff,
                today=opened,
            )
        if n < CALL_FULL + CALL_PART:
            answer_submit(quota=quota, user=staff, today=opened)
    # The services stamp the real clock: put the sending on the days the call was open.
    sent_at = timezone.make_aware(
        datetime.datetime.combine(opened + datetime.timedelta(days=7), datetime.time(9))
    )
    Call.objects.filter(pk=call.pk).update(published_at=sent_at - datetime.timedelta(days=7))
    CallAnswer.objects.filter(call=call, submitted_at__isnull=False).update(submitted_at=sent_at)
    counts.quotas += len(quotas)
    counts.answer_lines += CallAnswerLine.objects.filter(answer__call=call).count()
    return call


def write_survey(
    centre: Centre, liaison_unit: Unit, staff: User, programs, counts: OnlineCounts
) -> None:
    """Next year's survey, open, asking the default units; all but the liaison's unit answered,
    each with a number for every program of the catalogue."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    survey = survey_create(
        centre=centre,
        year=today.year + 1,
        deadline=today + datetime.timedelta(days=SURVEY_DEADLINE_DAYS),
        note="Đề nghị các đơn vị dự kiến số cán bộ, đảng viên cần cử đi bồi dưỡng.",
        units=default_units(centre),
        user=staff,
    )
    survey_publish(survey=survey)
    asked = list(survey.asked.select_related("unit").order_by("unit__search_key", "unit_id"))
    for row in asked:
        if row.unit_id == liaison_unit.pk:  # left for the liaison to answer
            continue
        lines = [
            LineInput(program_id=program.pk, expected=rng.randint(1, SURVEY_MAX_EXPECTED))
            for program in programs
        ]
        answer_save(survey=survey, unit=row.unit, lines=lines, user=staff)
    counts.survey_answers += SurveyAnswer.objects.filter(survey=survey).count()
    counts.survey_lines += SurveyLine.objects.filter(answer__survey=survey).count()


def write_units_online(
    centre: Centre, *, units: list[Unit], staff: User, call_course: Course, programs
) -> OnlineCounts:
    """Everything above for centre 1, after its classes are written (`units`: its communes and
    Party committees)."""
    counts = OnlineCounts()
    liaison_unit = busiest_commune(centre)
    write_liaison(liaison_unit)
    ordered = sorted(units, key=lambda unit: (unit.search_key, unit.pk))
    write_call(call_course, ordered, staff, counts)
    write_survey(centre, liaison_unit, staff, programs, counts)
    return counts

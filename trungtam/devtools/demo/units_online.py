"""The sending units online in the demo (issue 16, item 8): an open call for nominees that two
units have answered, and next year's needs survey that some units have answered — written
through the same services as the web pages, so the units are notified as they would be.

The liaison of the demo (`donvi`, Đảng bộ phường Phú Lợi) is asked by both and has answered neither, so
whoever tries the demo can answer them."""

import datetime

from django.db.models import Count

from chieusinh.answers import answer_submit, line_add_trainee
from chieusinh.calls import QuotaRow, call_publish, call_save
from chieusinh.models import Call
from hocvien.models import Trainee, Unit
from khaosat.surveys import LineInput, answer_save, default_units, survey_create, survey_publish
from lophoc.models import Course, CourseStatus
from trungtam.models import Centre, User

# The demo liaison's unit: the ward's Party committee, with the Party cells under it (whose
# people it sees too); asked by the call and the survey, and left to answer them.
LIAISON_UNIT = "Đảng bộ phường Phú Lợi"
UNDER_LIAISON_UNIT = (
    "Chi bộ khu phố 1",
    "Chi bộ khu phố 2",
    "Chi bộ khu phố 3",
    "Chi bộ Trường THCS Phú Lợi",
    "Đảng bộ Công an phường Phú Lợi",
    "Chi bộ Quân sự phường Phú Lợi",
)
# The call asks the liaison's unit and the three units with the most people; two of those answer.
CALL_UNITS, CALL_ANSWERED, CALL_QUOTA = 3, 2, 4
# Who has answered the survey: expected trainees per program code.
SURVEY_ANSWERS = (
    ("Phường Hòa Lợi", {"KND": 12, "DVM": 8, "CNKT": 25}),
    ("Xã Phước Hòa", {"KND": 6, "DVM": 4, "NVD": 3}),
    ("Xã An Long", {"KND": 5, "QLNN": 10}),
)


def write_units_online(centre: Centre, today: datetime.date, staff: User | None) -> None:
    Unit.objects.filter(centre=centre, name__in=UNDER_LIAISON_UNIT).update(
        parent=Unit.objects.get(centre=centre, name=LIAISON_UNIT)
    )
    _write_call(centre, today, staff)
    _write_survey(centre, today, staff)


def _units(centre: Centre, names) -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(centre=centre, name__in=list(names))}


def _write_call(centre: Centre, today: datetime.date, staff: User | None) -> Call | None:
    later = Course.objects.filter(
        centre=centre, start_date__gt=today + datetime.timedelta(days=2)
    ).order_by("start_date", "code")
    course = (
        later.filter(status=CourseStatus.ENROLLING).first()
        or later.filter(status=CourseStatus.PLANNED).first()
    )
    if course is None:
        return None
    deadline = min(today + datetime.timedelta(days=10), course.start_date - datetime.timedelta(1))
    liaison_unit = Unit.objects.get(centre=centre, name=LIAISON_UNIT)
    busiest = (
        Unit.objects.filter(centre=centre, active=True)
        .exclude(pk=liaison_unit.pk)
        .annotate(people=Count("trainees"))
        .filter(people__gt=0)
        .order_by("-people", "name")[:CALL_UNITS]
    )
    units = [liaison_unit, *busiest]
    rows = [
        QuotaRow(row=number, unit=unit, quota=CALL_QUOTA)
        for number, unit in enumerate(units, start=1)
    ]
    call = call_save(
        call=Call(course=course, deadline=deadline, note="Đề nghị các đơn vị cử đúng đối tượng."),
        quotas=rows,
        user=staff,
        today=today,
    )
    call = call_publish(call=call, user=staff, today=today)
    for unit in units[1 : 1 + CALL_ANSWERED]:
        quota = call.quotas.get(unit=unit)
        people = (
            Trainee.objects.filter(centre=centre, unit=unit)
            .exclude(enrolments__course=course)
            .order_by("sort_key", "pk")[: CALL_QUOTA - 1]
        )
        for trainee in people:
            line_add_trainee(quota=quota, trainee_id=trainee.pk, user=staff, today=today)
        answer_submit(quota=quota, user=staff, today=today)
    return call


def _write_survey(centre: Centre, today: datetime.date, staff: User | None) -> None:
    survey = survey_create(
        centre=centre,
        year=today.year + 1,
        deadline=today + datetime.timedelta(days=20),
        note="Đề nghị các đơn vị dự kiến số cán bộ, đảng viên cần cử đi bồi dưỡng.",
        units=default_units(centre),
        user=staff,
    )
    survey_publish(survey=survey)
    programs = {p.code: p.pk for p in centre.programs.all()}
    units = _units(centre, [name for name, _ in SURVEY_ANSWERS])
    asked = set(survey.asked.values_list("unit_id", flat=True))
    for name, expected in SURVEY_ANSWERS:
        unit = units.get(name)
        if unit is None or unit.pk not in asked:
            continue
        lines = [
            LineInput(program_id=programs[code], expected=number)
            for code, number in expected.items()
            if code in programs
        ]
        answer_save(survey=survey, unit=unit, lines=lines, user=staff)

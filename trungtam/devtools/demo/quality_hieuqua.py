"""The demo's hieuqua rows (issue 17): the follow-up after a class of the centre whose units work
online. The class is the latest closed class whose follow-up is due with the centre's delay (3
months by default) and to which the demo liaison's unit family (Đảng bộ phường Phú Lợi and the
units under it) sent people; when none is old enough, the oldest such closed class. One other
unit answered online, one unit's letter was typed by staff; the liaison's family is left to
answer, so its unit page shows the task."""

import datetime

from django.utils import timezone

from hieuqua.followups import ASKED, add_months, delay_months
from hieuqua.models import FollowUpAnswer, Rating
from hocvien.models import Unit
from hocvien.units import unit_family
from lophoc.models import Course, CourseStatus, Enrolment
from trungtam.models import Centre, User

from .units_online import LIAISON_UNIT

RATINGS = (Rating.GOOD, Rating.FAIR, Rating.GOOD, Rating.UNCLEAR)


def demo_followup(centre: Centre, today: datetime.date | None = None):
    """(class, one of the liaison's units with people in it), or None: the pick described above."""
    today = today or timezone.localdate()
    liaison = Unit.objects.filter(centre=centre, name=LIAISON_UNIT).first()
    if liaison is None:
        return None
    family = unit_family(liaison)
    closed = (
        Course.objects.filter(centre=centre, status=CourseStatus.CLOSED)
        .filter(pk__in=Enrolment.objects.filter(ASKED, unit__in=family).values("course_id"))
        .order_by("end_date", "pk")
    )
    delay = delay_months(centre)
    courses = list(closed)
    if not courses:
        return None
    due = [c for c in courses if add_months(c.end_date, delay) <= today]
    course = due[-1] if due else courses[0]
    unit = (
        family.filter(enrolments__in=Enrolment.objects.filter(ASKED, course=course))
        .order_by("search_key", "pk")
        .first()
    )
    return course, unit


def write(centre: Centre, today: datetime.date, staff: User) -> None:
    picked = demo_followup(centre, today)
    if picked is None:
        return
    course, _ = picked
    liaison = Unit.objects.get(centre=centre, name=LIAISON_UNIT)
    family = set(unit_family(liaison).values_list("pk", flat=True))
    others = (
        Enrolment.objects.filter(ASKED, course=course)
        .exclude(unit__in=family)
        .values_list("unit_id", flat=True)
        .order_by("unit__search_key", "unit_id")
        .distinct()
    )
    # The first other unit answered on its page; the second sent a letter that staff typed in.
    now = timezone.now()
    for number, (unit_id, from_letter) in enumerate(
        zip(list(others)[:2], (False, True), strict=False)
    ):
        for index, enrolment in enumerate(
            Enrolment.objects.filter(ASKED, course=course, unit_id=unit_id).order_by("pk")
        ):
            FollowUpAnswer.objects.update_or_create(
                enrolment=enrolment,
                defaults={
                    "rating": RATINGS[(number + index) % len(RATINGS)],
                    "note": "Vận dụng tốt vào công tác ở cơ sở." if index == 0 else "",
                    "from_letter": from_letter,
                    "answered_by": staff if from_letter else None,
                    "answered_at": now,
                },
            )

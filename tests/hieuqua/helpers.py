"""Builders for the follow-up's tests: a closed class with people sent by given units."""

import datetime

from hieuqua.models import FollowUpAnswer, Rating
from lophoc.models import CourseStatus, EnrolmentStatus
from tests import builders

TODAY = datetime.date(2026, 12, 7)
# Ended 4 months before TODAY: due with the default delay (3 months), not with 5 or 6.
ENDED = datetime.date(2026, 8, 7)


def closed_class(centre, units, per_unit=2, end_date=ENDED, status=CourseStatus.CLOSED, **kw):
    """A class that ended on `end_date`, with `per_unit` active people sent by each unit, one
    withdrawn person of the first unit and one person sent by nobody (neither is asked about)."""
    course = builders.make_course(
        centre,
        status=status,
        start_date=end_date - datetime.timedelta(days=4),
        end_date=end_date,
        **kw,
    )
    for unit in units:
        for _ in range(per_unit):
            builders.make_enrolment(course, unit=unit, passed=True)
    if units:
        builders.make_enrolment(course, unit=units[0], status=EnrolmentStatus.WITHDRAWN)
    builders.make_enrolment(course, unit=None, passed=True)
    return course


def answer_all(course, unit, rating=Rating.GOOD, user=None):
    for enrolment in course.enrolments.filter(unit=unit, status=EnrolmentStatus.ACTIVE):
        FollowUpAnswer.objects.create(
            enrolment=enrolment, rating=rating, answered_at=datetime.datetime.now(datetime.UTC)
        )


def form_data(enrolments, rating="good", note=""):
    data = {}
    for enrolment in enrolments:
        data[f"danh_gia_{enrolment.pk}"] = rating
        data[f"ghi_chu_{enrolment.pk}"] = note
    return data


def due_end() -> datetime.date:
    """An end date whose follow-up is due today with the default delay (4 months ago)."""
    from django.utils import timezone

    from hieuqua.followups import subtract_months

    return subtract_months(timezone.localdate(), 4)


def answer_url(course, unit) -> str:
    from django.urls import reverse

    return reverse("hieuqua:unit_answer", args=[course.pk, unit.pk])

"""`unit_reminders`: a notice to each unit when its follow-up falls due, given once, no names."""

import datetime

import pytest

from donvi.reminders import followup_due_reminders, unit_reminders
from tests.hieuqua.helpers import TODAY, answer_all, closed_class
from thongbao.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_each_unit_asked_is_told_once(centre, ward, agency):
    course = closed_class(centre, [ward, agency])
    answer_all(course, agency)
    due_day = datetime.date(2026, 11, 7)
    first = unit_reminders(today=due_day)
    assert first.given[NotificationKind.FOLLOWUP_DUE] == 1
    again = unit_reminders(today=TODAY)
    assert again.given[NotificationKind.FOLLOWUP_DUE] == 0
    notice = Notification.objects.get(kind=NotificationKind.FOLLOWUP_DUE)
    assert notice.unit == ward
    assert notice.key == f"course:{course.pk}:followup"
    assert course.code in notice.title
    for enrolment in course.enrolments.all():
        assert enrolment.trainee.full_name not in notice.title
    assert notice.link.endswith(f"/lop/{course.pk}/don-vi/{ward.pk}/")


def test_not_before_due_nor_long_after(centre, ward):
    closed_class(centre, [ward])  # due on 07/11/2026
    assert followup_due_reminders(datetime.date(2026, 11, 6)) == []
    assert len(followup_due_reminders(datetime.date(2026, 11, 7))) == 1
    assert followup_due_reminders(datetime.date(2026, 12, 8)) == []

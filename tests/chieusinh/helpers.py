"""Builders for the calls' tests: a class that starts in a month, a call with quotas."""

import datetime

from django.utils import timezone

from chieusinh.calls import QuotaRow, call_publish, call_save
from chieusinh.models import Call
from tests import builders


def future_course(centre, **overrides):
    start = timezone.localdate() + datetime.timedelta(days=30)
    overrides.setdefault("capacity", 60)
    return builders.make_course(centre, start_date=start, **overrides)


def make_call(course, quotas, *, user=None, publish=True, deadline=None) -> Call:
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=10)
    call = Call(course=course, centre=course.centre, deadline=deadline, note="Mang theo CCCD.")
    rows = [QuotaRow(n, unit, quota) for n, (unit, quota) in enumerate(quotas, start=1)]
    call = call_save(call=call, quotas=rows, user=user)
    if publish:
        call = call_publish(call=call, user=user)
    return call


make_liaison = builders.make_liaison

"""Two people booking the same lecturer at the same moment: exactly one booking wins (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lophoc.models import Session
from lophoc.timetable import session_save
from tests import builders

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("resource", ["lecturer", "room"])
def test_concurrent_bookings_of_one_slot_do_not_both_apply(resource):
    assert connection.vendor == "postgresql"
    centre = builders.make_centre()
    lecturer = builders.make_lecturer(centre)
    courses = [builders.make_course(centre) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def book(course):
        from django.db import connections

        try:
            barrier.wait()
            extra = {"lecturer": lecturer} if resource == "lecturer" else {"room": "Hội trường"}
            session_save(
                session=Session(
                    course=course, date=course.start_date, part="morning", periods=4, **extra
                )
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(course,)) for course in courses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert Session.objects.count() == 1

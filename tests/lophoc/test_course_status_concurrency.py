"""Two people changing a class's status at the same moment: exactly one change wins (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from lophoc.models import CourseStatus, CourseStatusChange, TransitionRefused
from tests import builders

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_transitions_do_not_both_apply():
    assert connection.vendor == "postgresql"
    course = builders.make_course(builders.make_centre(), status=CourseStatus.PLANNED)
    barrier = threading.Barrier(2)
    outcomes = []

    def change(target):
        from django.db import connections

        try:
            barrier.wait()
            type(course).objects.get(pk=course.pk).transition_to(target)
            outcomes.append(("ok", target))
        except TransitionRefused as refusal:
            outcomes.append(("refused", refusal.message))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(CourseStatus.ENROLLING,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    course.refresh_from_db()
    assert course.status == CourseStatus.ENROLLING
    assert CourseStatusChange.objects.filter(course=course).count() == 1

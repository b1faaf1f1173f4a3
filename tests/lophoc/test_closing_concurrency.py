"""Two people closing the same class at once: one closes, the other is refused (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from lophoc.closing import course_close
from lophoc.models import (
    Attendance,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    TransitionRefused,
)
from tests import builders
from trungtam.models import Role

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_closings_store_the_results_once():
    assert connection.vendor == "postgresql"
    centre = builders.make_centre()
    users = [builders.make_user(role=Role.STAFF, centre=centre) for _ in range(2)]
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    session = builders.make_session(course)
    exam = builders.make_assessment(course)
    for score in ("8", "6.5", "4"):
        enrolment = builders.make_enrolment(course)
        builders.make_score(enrolment, exam, score)
        Attendance.objects.create(session=session, enrolment=enrolment)  # attendance taken
    barrier = threading.Barrier(2)
    outcomes = []

    def close(user):
        from django.db import connections

        try:
            barrier.wait()
            course_close(course=type(course).objects.get(pk=course.pk), user=user)
            outcomes.append("ok")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=close, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "refused"]
    course.refresh_from_db()
    assert course.status == CourseStatus.CLOSED
    assert CourseStatusChange.objects.filter(course=course).count() == 1
    history = Enrolment.history.filter(course_id=course.pk, result_computed_at__isnull=False)
    assert history.count() == 3

"""Two people issuing certificates for two classes at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from lophoc.certificates import certificates_issue
from lophoc.models import Certificate
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import Role

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_issuing_gives_distinct_consecutive_numbers():
    assert connection.vendor == "postgresql"
    centre = builders.make_centre()
    director = make_leader(centre)
    users = [builders.make_user(role=Role.STAFF, centre=centre) for _ in range(2)]
    courses = [closed_course(centre, passing=6, failing=1, not_eligible=0) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def issue(course, user):
        from django.db import connections

        try:
            barrier.wait()
            certificates_issue(course=course, user=user, signer=director, issued_on=ISSUED_ON)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=issue, args=(course, user))
        for course, user in zip(courses, users, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = sorted(Certificate.objects.filter(centre=centre).values_list("sequence", flat=True))
    assert sequences == list(range(1, 13))
    numbers = set(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == 12
    # each class got a consecutive block
    for course in courses:
        block = sorted(
            Certificate.objects.filter(enrolment__course=course).values_list("sequence", flat=True)
        )
        assert block == list(range(block[0], block[0] + 6))


def test_the_same_class_issued_twice_at_once_issues_once():
    centre = builders.make_centre()
    director = make_leader(centre)
    users = [builders.make_user(role=Role.STAFF, centre=centre) for _ in range(2)]
    course = closed_course(centre, passing=5)
    barrier = threading.Barrier(2)
    counts = []

    def issue(user):
        from django.db import connections

        try:
            barrier.wait()
            counts.append(
                len(
                    certificates_issue(
                        course=course, user=user, signer=director, issued_on=ISSUED_ON
                    )
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 5]
    assert Certificate.objects.count() == 5

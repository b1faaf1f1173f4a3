"""Migrations 0006–0007 give the certificates issued before them their class (the enrolment's)."""

import pytest

from lophoc.certificates import certificates_issue
from lophoc.models import Certificate, CourseStatus
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from tests.migrating import latest_nodes, migrate, table_columns

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lophoc", "0005_certificate_settings")]


def test_existing_certificates_get_the_class_of_their_enrolment(centre, staff):
    director = make_leader(centre)
    courses = [closed_course(centre, passing=2), closed_course(centre, passing=3)]
    for course in courses:
        certificates_issue(course=course, user=staff, signer=director, issued_on=ISSUED_ON)
    other = builders.make_course(centre, status=CourseStatus.PLANNED)  # no certificates
    expected = dict(Certificate.objects.values_list("pk", "enrolment__course_id"))
    assert len(expected) == 5

    latest = latest_nodes()  # every app: the apps above lophoc are unapplied too
    migrate(BEFORE)
    assert "course_id" not in table_columns("lophoc_certificate")
    migrate(latest)

    assert dict(Certificate.objects.values_list("pk", "course_id")) == expected
    history = Certificate.history.values_list("id", "course_id")
    assert history and all(expected[pk] == course_id for pk, course_id in history)
    assert not other.certificates.exists()

"""Migration 0009 turns every "absent + made up" record into the one form of học bù (present + made
up), keeping the kind of the absence in the note, then the constraint refuses the other form."""

import pytest
from django.db import IntegrityError, transaction

from lophoc.attendance import absence_refresh
from lophoc.models import Attendance
from tests import builders
from tests.migrating import latest_nodes, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lophoc", "0008_certificate_wording")]


def test_absences_marked_made_up_become_attendance(course):
    sessions = [builders.make_session(course, part=part) for part in ("morning", "afternoon")]
    first, second = builders.make_enrolment(course), builders.make_enrolment(course)
    latest = latest_nodes()  # every app: the apps above lophoc are unapplied too
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("lophoc", "Attendance")
    rows = [
        (sessions[0], first, "excused", True, ""),
        (sessions[1], first, "unexcused", True, "Ốm; đã học bù"),
        (sessions[0], second, "unexcused", False, "Không báo"),
        (sessions[1], second, "present", True, "Học bù chiều thứ Bảy"),
    ]
    for session, enrolment, status, made_up, note in rows:
        old.objects.create(
            session_id=session.pk,
            enrolment_id=enrolment.pk,
            status=status,
            made_up=made_up,
            note=note,
        )

    migrate(latest)

    stored = {
        (a.session_id, a.enrolment_id): (a.status, a.made_up, a.note)
        for a in Attendance.objects.all()
    }
    assert stored == {
        (sessions[0].pk, first.pk): ("present", True, "Vắng có phép, đã học bù"),
        (sessions[1].pk, first.pk): ("present", True, "Vắng không phép; Ốm; đã học bù"),
        (sessions[0].pk, second.pk): ("unexcused", False, "Không báo"),
        (sessions[1].pk, second.pk): ("present", True, "Học bù chiều thứ Bảy"),
    }
    # The absence limit means what it meant: made-up sessions never counted as absent.
    absence_refresh(course=course)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.absent_periods, second.absent_periods) == (0, 4)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attendance.objects.filter(enrolment=first).update(status="excused")

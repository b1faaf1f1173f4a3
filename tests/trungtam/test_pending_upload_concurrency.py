"""One user's two uploads at the same moment (a double click, two tabs): both answered, one kept."""

import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory

from tests import builders
from trungtam.models import PendingUpload, Role
from trungtam.pending_upload import pending_store

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_uploads_of_one_purpose_at_once_both_succeed_and_one_is_kept():
    assert connection.vendor == "postgresql"
    user = builders.make_user(role=Role.STAFF, centre=builders.make_centre(), username="doi")
    barrier = threading.Barrier(2)
    outcomes = []

    def upload(name):
        from django.db import connections

        request = RequestFactory().post("/")
        request.user = user
        request.session = SessionStore()
        try:
            barrier.wait()
            pending_store(request, "bang_diem", course_id=1, filename=name, content=b"x" * 1000)
            outcomes.append("ok")
        except Exception as error:  # the failure this test exists to catch
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(f"{n}.xlsx",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == ["ok", "ok"]
    assert PendingUpload.objects.filter(owner=user, purpose="bang_diem").count() == 1

"""Pending uploads wait server-side; the session holds only a reference (issue 14, item 3)."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from tests import builders
from trungtam.models import PendingUpload, Role
from trungtam.pending_upload import (
    MAX_BYTES,
    PENDING_FOR,
    pending_clear,
    pending_load,
    pending_purge,
    pending_store,
)

pytestmark = pytest.mark.django_db

BIG = b"x" * (4 * 1024 * 1024)


def request_of(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = session or SessionStore()
    return request


@pytest.fixture
def user(centre):
    return builders.make_user(role=Role.STAFF, centre=centre, username="canbo_tai_len")


def test_the_session_keeps_a_reference_not_the_file(user):
    request = request_of(user)
    pending_store(request, "bang_diem", course_id=7, filename="bang-diem.xlsx", content=BIG)
    request.session.save()
    # What every later request of this user reads and decodes: a few bytes, not 4 MB.
    assert len(request.session.session_key) < 100
    stored = SessionStore(session_key=request.session.session_key)
    assert len(stored.encode(dict(stored.items()))) < 500
    row = PendingUpload.objects.get()
    assert (row.owner, row.purpose, row.scope_id, row.size) == (user, "bang_diem", 7, len(BIG))

    pending = pending_load(request, "bang_diem", course_id=7)
    assert pending.content == BIG and pending.filename == "bang-diem.xlsx"


def test_a_new_upload_replaces_the_previous_one_of_the_same_purpose(user):
    request = request_of(user)
    pending_store(request, "bang_diem", course_id=7, filename="a.xlsx", content=b"a")
    pending_store(request, "bang_diem", course_id=7, filename="b.xlsx", content=b"b")
    pending_store(request, "danh_sach", course_id=7, filename="c.xlsx", content=b"c")
    assert sorted(PendingUpload.objects.values_list("filename", flat=True)) == ["b.xlsx", "c.xlsx"]
    assert pending_load(request, "bang_diem", course_id=7).content == b"b"


def test_another_class_another_user_or_a_cleared_upload_finds_nothing(user, centre):
    request = request_of(user)
    pending_store(request, "bang_diem", course_id=7, filename="a.xlsx", content=b"a")
    assert pending_load(request, "bang_diem", course_id=8) is None
    other = builders.make_user(role=Role.STAFF, centre=centre, username="canbo_khac_tai")
    # Even with this session's reference, another user never reads the file.
    assert pending_load(request_of(other, request.session), "bang_diem", course_id=7) is None
    pending_clear(request, "bang_diem")
    assert pending_load(request, "bang_diem", course_id=7) is None
    assert not PendingUpload.objects.exists()


def test_an_expired_upload_is_gone_and_storing_removes_every_expired_row(user, centre):
    request = request_of(user)
    pending_store(request, "bang_diem", course_id=7, filename="a.xlsx", content=b"a")
    PendingUpload.objects.update(created_at=timezone.now() - PENDING_FOR - datetime.timedelta(1))
    assert pending_load(request, "bang_diem", course_id=7) is None
    assert not PendingUpload.objects.exists()

    other = builders.make_user(role=Role.STAFF, centre=centre, username="canbo_cu")
    pending_store(request_of(other), "danh_sach", course_id=1, filename="x.xlsx", content=b"x")
    PendingUpload.objects.update(created_at=timezone.now() - PENDING_FOR - datetime.timedelta(1))
    pending_store(request, "bang_diem", course_id=7, filename="b.xlsx", content=b"b")
    assert list(PendingUpload.objects.values_list("filename", flat=True)) == ["b.xlsx"]
    assert pending_purge() == 0


def test_a_tampered_file_is_not_trusted(user):
    request = request_of(user)
    pending_store(request, "bang_diem", course_id=7, filename="a.xlsx", content=b"diem cu")
    PendingUpload.objects.update(content=b"diem moi")
    assert pending_load(request, "bang_diem", course_id=7) is None


def test_a_file_above_the_cap_is_refused_and_nothing_kept(user):
    with pytest.raises(ValidationError, match="chỉ nhận tệp đến 5 MB"):
        pending_store(
            request_of(user), "bang_diem", course_id=7, filename="a", content=b"x" * (MAX_BYTES + 1)
        )
    assert not PendingUpload.objects.exists()

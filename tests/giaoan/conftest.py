"""A class in progress with two topics: the first taught by the `lecturer` fixture's lecturer,
the second by a colleague; a leader of the centre."""

import datetime

import pytest
from django.utils import timezone

from giangvien.models import Lecturer
from lophoc.models import CourseStatus
from tests import builders
from tests.giaoan.helpers import make_leader_user, make_topic


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def teaching(centre, lecturer, today):
    me = Lecturer.objects.get(user=lecturer)
    colleague = builders.make_lecturer(centre, full_name="Trần Văn Bình")
    course = builders.make_course(
        centre,
        status=CourseStatus.IN_PROGRESS,
        start_date=today,
        end_date=today + datetime.timedelta(days=20),
    )
    mine = make_topic(course, "Chuyên đề 1: Chủ nghĩa Mác – Lênin", order=1)
    theirs = make_topic(course, "Chuyên đề 2: Đảng Cộng sản Việt Nam", order=2)
    builders.make_session(course, date=today + datetime.timedelta(days=1), topic=mine, lecturer=me)
    builders.make_session(
        course, date=today + datetime.timedelta(days=2), topic=theirs, lecturer=colleague
    )
    return {"course": course, "mine": mine, "theirs": theirs, "me": me, "colleague": colleague}


@pytest.fixture
def leader(centre):
    return make_leader_user(centre)

"""The lecturer's .ics feed: reached by a secret token, parsed back here line by line."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.calendar import ics_escape, ics_fold
from lophoc.models import CourseStatus, Topic
from tests import builders


def _unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF line endings only
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def _unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in value:
        if escaped:
            current += "\\" + char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def parse_ics(body: bytes) -> tuple[dict, list[dict]]:
    """(calendar properties, events): each property name → (parameters, unescaped value)."""
    calendar, events, current, depth = {}, [], None, []
    for line in _unfold(body):
        name_params, value = line.split(":", 1)
        name, *params = name_params.split(";")
        if name == "BEGIN":
            depth.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert depth.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
            continue
        target = current if current is not None else calendar
        target[name] = (params, _unescape(value))
        if name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            # every , and ; inside a TEXT value must have been escaped
            assert len(_split_unescaped(value, ",")) == 1
            assert len(_split_unescaped(value, ";")) == 1
    assert depth == []
    return calendar, events


@pytest.fixture
def teaching(centre):
    lecturer = builders.make_lecturer(centre, full_name="Nguyễn Thị Lan")
    course = builders.make_course(
        centre, code="KND-03/2026", venue="Trung tâm Chính trị, số 1; đường Hùng Vương"
    )
    topic = Topic.objects.create(
        course=course, title="Chuyên đề 1: Đảng, Nhà nước; nhân dân \\ dân tộc", periods=4
    )
    morning = builders.make_session(
        course, topic=topic, lecturer=lecturer, room="Hội trường A", part="morning"
    )
    timed = builders.make_session(
        course,
        lecturer=lecturer,
        part="afternoon",
        start_time=datetime.time(14, 0),
        end_time=datetime.time(16, 15),
        kind="discussion",
    )
    return lecturer, course, morning, timed


def _feed(client, lecturer):
    return client.get(reverse("lophoc:calendar_feed", args=[lecturer.calendar_token]))


@pytest.mark.django_db
def test_feed_needs_no_login_and_lists_the_lecturers_sessions(client, teaching):
    lecturer, course, morning, timed = teaching
    builders.make_session(course)  # someone else's session
    response = _feed(client, lecturer)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = parse_ics(response.content)
    assert calendar["VERSION"][1] == "2.0"
    assert "PRODID" in calendar
    assert calendar["TZID"][1] == "Asia/Ho_Chi_Minh"
    assert len(events) == 2
    first, second = events
    assert first["UID"][1] == f"buoi-hoc-{morning.pk}@ttct.example.vn"  # PUBLIC_BASE_URL's host
    assert first["DTSTART"] == (["TZID=Asia/Ho_Chi_Minh"], "20260302T073000")
    assert first["DTEND"] == (["TZID=Asia/Ho_Chi_Minh"], "20260302T113000")
    assert first["SUMMARY"][1] == "KND-03/2026 – Chuyên đề 1: Đảng, Nhà nước; nhân dân \\ dân tộc"
    assert first["LOCATION"][1] == "Hội trường A, Trung tâm Chính trị, số 1; đường Hùng Vương"
    assert first["DESCRIPTION"][1].split("\n")[0] == course.name
    assert first["DTSTAMP"][1].endswith("Z")
    assert second["DTSTART"][1] == "20260302T140000"
    assert second["DTEND"][1] == "20260302T161500"
    assert second["SUMMARY"][1] == "KND-03/2026 – Thảo luận"


@pytest.mark.django_db
def test_uids_are_stable_and_events_follow_changes(client, teaching):
    lecturer, course, morning, _ = teaching
    before = {e["UID"][1] for e in parse_ics(_feed(client, lecturer).content)[1]}
    morning.room = "Phòng 5"
    morning.save()
    events = parse_ics(_feed(client, lecturer).content)[1]
    assert {e["UID"][1] for e in events} == before
    assert events[0]["LOCATION"][1].startswith("Phòng 5")


@pytest.mark.django_db
def test_cancelled_classes_are_left_out(client, teaching):
    lecturer, course, _, _ = teaching
    course.status = CourseStatus.CANCELLED
    course.save()
    assert parse_ics(_feed(client, lecturer).content)[1] == []


@pytest.mark.django_db
def test_long_lines_are_folded_at_75_octets(client, teaching):
    lecturer, course, morning, _ = teaching
    morning.topic.title = "Chuyên đề " + "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV " * 4
    morning.topic.save()
    body = _feed(client, lecturer).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in body.split(b"\r\n"))
    body.decode("utf-8")  # never cut inside a character
    events = parse_ics(body)[1]
    assert events[0]["SUMMARY"][1] == f"{course.code} – {morning.topic.title}"


def test_fold_and_escape_helpers():
    assert ics_escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "ệ" * 60
    folded = ics_fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert ics_fold("SHORT:x") == "SHORT:x"


@pytest.mark.django_db
def test_unknown_token_is_404(client, teaching):
    assert client.get(reverse("lophoc:calendar_feed", args=["khong-co-that"])).status_code == 404
    assert client.get("/lop/lich/.ics").status_code == 404


@pytest.mark.django_db
def test_inactive_lecturer_feed_is_404(client, teaching):
    lecturer = teaching[0]
    lecturer.active = False
    lecturer.save()
    assert _feed(client, lecturer).status_code == 404


@pytest.mark.django_db
def test_feed_address_is_under_lop_lich(teaching):
    lecturer = teaching[0]
    url = reverse("lophoc:calendar_feed", args=[lecturer.calendar_token])
    assert url == f"/lop/lich/{lecturer.calendar_token}.ics"


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_sessions(client, teaching):
    lecturer, course, _, _ = teaching
    counts = []
    for extra in (1, 5):
        for i in range(extra):
            builders.make_session(course, lecturer=lecturer, part="evening", room=f"P{i}")
        with CaptureQueriesContext(connection) as queries:
            assert _feed(client, lecturer).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

"""The lecturer's .ics feed: reached by a secret token, parsed back here with icalendar."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from lophoc.models import CourseStatus, Topic
from tests import builders


def _unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # CRLF line endings only
    return text.replace("\r\n ", "").split("\r\n")[:-1]


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


def parse_ics(body: bytes) -> tuple[Calendar, list]:
    """(the calendar, its events), read back with icalendar once the raw text is checked."""
    for line in _unfold(body):
        name_params, value = line.split(":", 1)
        if name_params.split(";")[0] in ("SUMMARY", "LOCATION", "DESCRIPTION"):
            # every , and ; inside a TEXT value must have been escaped
            assert len(_split_unescaped(value, ",")) == 1
            assert len(_split_unescaped(value, ";")) == 1
    calendar = Calendar.from_ical(body)
    return calendar, calendar.walk("VEVENT")


def _when(prop) -> tuple[str, str]:
    """A DTSTART/DTEND as written: (its TZID, the local time)."""
    return prop.params.get("TZID"), prop.to_ical().decode()


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
    calendar, events = parse_ics(response.getvalue())
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Ho_Chi_Minh"
    assert len(events) == 2
    first, second = events
    assert first["UID"] == f"buoi-hoc-{morning.pk}@ttct.example.vn"  # PUBLIC_BASE_URL's host
    assert _when(first["DTSTART"]) == ("Asia/Ho_Chi_Minh", "20260302T073000")
    assert _when(first["DTEND"]) == ("Asia/Ho_Chi_Minh", "20260302T113000")
    assert first["SUMMARY"] == "KND-03/2026 – Chuyên đề 1: Đảng, Nhà nước; nhân dân \\ dân tộc"
    assert first["LOCATION"] == "Hội trường A, Trung tâm Chính trị, số 1; đường Hùng Vương"
    assert first["DESCRIPTION"].split("\n")[0] == course.name
    assert first["DTSTAMP"].to_ical().endswith(b"Z")
    assert _when(second["DTSTART"])[1] == "20260302T140000"
    assert _when(second["DTEND"])[1] == "20260302T161500"
    assert second["SUMMARY"] == "KND-03/2026 – Thảo luận"


@pytest.mark.django_db
def test_uids_are_stable_and_events_follow_changes(client, teaching):
    lecturer, course, morning, _ = teaching
    before = {e["UID"] for e in parse_ics(_feed(client, lecturer).getvalue())[1]}
    morning.room = "Phòng 5"
    morning.save()
    events = parse_ics(_feed(client, lecturer).getvalue())[1]
    assert {e["UID"] for e in events} == before
    assert events[0]["LOCATION"].startswith("Phòng 5")


@pytest.mark.django_db
def test_cancelled_classes_are_left_out(client, teaching):
    lecturer, course, _, _ = teaching
    course.status = CourseStatus.CANCELLED
    course.save()
    assert parse_ics(_feed(client, lecturer).getvalue())[1] == []


@pytest.mark.django_db
def test_long_lines_are_folded_at_75_octets(client, teaching):
    lecturer, course, morning, _ = teaching
    morning.topic.title = "Chuyên đề " + "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV " * 4
    morning.topic.save()
    body = _feed(client, lecturer).getvalue()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert any(line.startswith(b" ") for line in body.split(b"\r\n"))
    body.decode("utf-8")  # never cut inside a character
    events = parse_ics(body)[1]
    assert events[0]["SUMMARY"] == f"{course.code} – {morning.topic.title}"


@pytest.mark.django_db
def test_text_is_escaped_and_folded_without_cutting_a_character(client, teaching):
    lecturer, course, morning, _ = teaching
    morning.topic.title = "a,b;c\\d " + "ệ" * 60  # a title is one line; the description two
    morning.topic.save()
    body = _feed(client, lecturer).getvalue()
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    summary = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    pieces = [lines[summary]]
    while lines[summary + len(pieces)].startswith(b" "):
        pieces.append(lines[summary + len(pieces)])
    assert len(pieces) > 1
    unfolded = b"".join(p[1:] if i else p for i, p in enumerate(pieces)).decode("utf-8")
    assert unfolded == f"SUMMARY:{course.code} – a\\,b\\;c\\\\d " + "ệ" * 60
    description = next(line for line in _unfold(body) if line.startswith("DESCRIPTION:"))
    assert description.startswith(f"DESCRIPTION:{course.name}\\n")
    assert b"VERSION:2.0" in lines  # a short line is left whole
    assert parse_ics(body)[1][0]["SUMMARY"] == f"{course.code} – {morning.topic.title}"


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

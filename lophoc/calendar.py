"""A lecturer's teaching calendar as an iCalendar feed (RFC 5545), written by hand (DESIGN §12).

Times are local to Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving), declared once in a
VTIMEZONE so calendar programs show them right wherever the reader is.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from lophoc.models import Session, SessionKind
from lophoc.timetable import Slot

TZID = "Asia/Ho_Chi_Minh"
CRLF = "\r\n"
MAX_OCTETS = 75

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0700",
    "TZOFFSETTO:+0700",
    "TZNAME:+07",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def ics_escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and line breaks are escaped (RFC 5545 §3.3.11)."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character;
    continuation lines start with one space (RFC 5545 §3.1)."""
    pieces: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # the leading space counts
        current += char
        size += octets
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _local(date: datetime.date, time: datetime.time) -> str:
    return datetime.datetime.combine(date, time).strftime("%Y%m%dT%H%M%S")


def session_summary(session: Session) -> str:
    what = session.topic.title if session.topic else SessionKind(session.kind).label
    return f"{session.course.code} – {what}"


def session_location(session: Session) -> str:
    return ", ".join(part for part in (session.room, session.course.venue) if part)


def _event(session: Session, *, host: str, stamp: str) -> list[str]:
    start, end = Slot.of(session).window
    description = [
        session.course.name,
        f"{SessionKind(session.kind).label}, {session.periods} tiết",
    ]
    return [
        "BEGIN:VEVENT",
        f"UID:buoi-hoc-{session.pk}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={TZID}:{_local(session.date, start)}",
        f"DTEND;TZID={TZID}:{_local(session.date, end)}",
        f"SUMMARY:{ics_escape(session_summary(session))}",
        f"LOCATION:{ics_escape(session_location(session))}",
        f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        "END:VEVENT",
    ]


def lecturer_calendar(
    *, name: str, sessions: Iterable[Session], host: str, now: datetime.datetime | None = None
) -> bytes:
    """The feed: one VEVENT per session (with course and topic selected), UID stable per session."""
    stamp = (now or timezone.now()).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trungtam//Lich giang day//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape('Lịch giảng dạy – ' + name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for session in sessions:
        lines += _event(session, host=host, stamp=stamp)
    lines.append("END:VCALENDAR")
    return (CRLF.join(ics_fold(line) for line in lines) + CRLF).encode("utf-8")

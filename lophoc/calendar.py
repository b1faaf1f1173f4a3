"""A lecturer's teaching calendar as an iCalendar feed (RFC 5545, DESIGN §12), built with the
`icalendar` package, which escapes the text and folds the long lines.

Times are local to Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving), declared once in a
VTIMEZONE so calendar programs show them right wherever the reader is.
"""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneStandard, vText

from lophoc.models import Session, SessionKind
from lophoc.timetable import Slot

TZID = "Asia/Ho_Chi_Minh"
LOCAL = ZoneInfo(TZID)
UTC_OFFSET = datetime.timedelta(hours=7)


def _vtimezone() -> Timezone:
    """The zone as it has been since 1975: one standard offset, +07, and no daylight saving."""
    standard = TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", UTC_OFFSET)
    standard.add("tzoffsetto", UTC_OFFSET)
    standard.add("tzname", "+07")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def _local(date: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(date, time, tzinfo=LOCAL)


def session_summary(session: Session) -> str:
    what = session.topic.title if session.topic else SessionKind(session.kind).label
    return f"{session.course.code} – {what}"


def session_location(session: Session) -> str:
    return ", ".join(part for part in (session.room, session.course.venue) if part)


def _event(session: Session, *, host: str, stamp: datetime.datetime) -> Event:
    start, end = Slot.of(session).window
    description = [
        session.course.name,
        f"{SessionKind(session.kind).label}, {session.periods} tiết",
    ]
    event = Event()
    event.add("uid", f"buoi-hoc-{session.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", _local(session.date, start))
    event.add("dtend", _local(session.date, end))
    event.add("summary", session_summary(session))
    event.add("location", session_location(session))
    event.add("description", "\n".join(description))
    return event


def lecturer_calendar(
    *, name: str, sessions: Iterable[Session], host: str, now: datetime.datetime | None = None
) -> bytes:
    """The feed: one VEVENT per session (with course and topic selected), UID stable per session."""
    stamp = (now or timezone.now()).astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//trungtam//Lich giang day//VI")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # X- properties are written as given unless typed: the name is text, escaped like any other.
    calendar.add("x-wr-calname", vText(f"Lịch giảng dạy – {name}"))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_vtimezone())
    for session in sessions:
        calendar.add_component(_event(session, host=host, stamp=stamp))
    return calendar.to_ical()

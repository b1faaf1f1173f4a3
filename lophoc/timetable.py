"""Timetable rules (DESIGN §5 step 2, §12).

A lecturer (in any class) or a room (in the classes of one centre) is never booked twice at
overlapping times. Sessions of cancelled classes never conflict. Two sessions on the same day
overlap when they share a part (sáng/chiều/tối) unless both have start and end times that do not
intersect; sessions of different parts overlap when their times intersect, a session without
times taking its part's usual hours (PART_WINDOWS).

Sessions belong to the class's dates and never fall on one of the centre's holidays; a Sunday is
allowed for a session added by hand but skipped by the bulk timetable.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When
from simple_history.utils import bulk_create_with_history

from giangvien.models import Lecturer
from lophoc.attendance import absence_refresh
from lophoc.models import Course, CourseStatus, Session, SessionKind, SessionPart, Topic
from trungtam.models import Centre, Holiday
from trungtam.text import fold

# The usual hours of each part, used when a session has no start and end time.
PART_WINDOWS: dict[str, tuple[datetime.time, datetime.time]] = {
    SessionPart.MORNING: (datetime.time(7, 30), datetime.time(11, 30)),
    SessionPart.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
    SessionPart.EVENING: (datetime.time(18, 0), datetime.time(21, 0)),
}
PART_ORDER = [SessionPart.MORNING, SessionPart.AFTERNOON, SessionPart.EVENING]
SUNDAY = 6


def part_of_time(start: datetime.time) -> str:
    """The part a session starting at `start` belongs to."""
    if start < datetime.time(12, 0):
        return SessionPart.MORNING
    if start < datetime.time(17, 30):
        return SessionPart.AFTERNOON
    return SessionPart.EVENING


def sessions_in_order(queryset: QuerySet) -> QuerySet:
    """Sessions by date, then sáng → chiều → tối (the model's ordering sorts parts by their
    English values), then start time."""
    rank = Case(
        *(When(part=part, then=Value(i)) for i, part in enumerate(PART_ORDER)),
        default=Value(len(PART_ORDER)),
        output_field=IntegerField(),
    )
    return queryset.annotate(part_rank=rank).order_by("date", "part_rank", "start_time", "id")


@dataclass(frozen=True)
class Slot:
    """When a session takes place."""

    date: datetime.date
    part: str
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None

    @classmethod
    def of(cls, session: Session) -> "Slot":
        return cls(session.date, session.part, session.start_time, session.end_time)

    @property
    def has_times(self) -> bool:
        return self.start_time is not None and self.end_time is not None

    @property
    def window(self) -> tuple[datetime.time, datetime.time]:
        if self.has_times:
            return self.start_time, self.end_time
        return PART_WINDOWS[SessionPart(self.part)]

    def overlaps(self, other: "Slot") -> bool:
        if self.date != other.date:
            return False
        if self.part == other.part and not (self.has_times and other.has_times):
            return True
        (start, end), (other_start, other_end) = self.window, other.window
        return start < other_end and other_start < end

    @property
    def label(self) -> str:
        text = f"{self.date:%d/%m/%Y}, buổi {SessionPart(self.part).label.lower()}"
        if self.has_times:
            text += f" ({self.start_time:%H:%M}–{self.end_time:%H:%M})"
        return text


def room_key(room: str) -> str:
    """Rooms are compared without regard to case, diacritics or spacing."""
    return fold(room or "")


# --- conflicts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    field: str  # "lecturer" or "room": the form field the message belongs to
    message: str
    other: Session


def _booked(
    *,
    course: Course,
    lecturer,
    room: str,
    dates=None,
    date_range=None,
    exclude_pks=(),
    lecturers=(),
) -> list[Session]:
    """Sessions of non-cancelled classes on those dates that could clash: the lecturer's (and
    `lecturers'`) anywhere, and, when a room is given, every session of the centre. One query."""
    wanted = Q()
    people = {x.pk for x in [lecturer, *lecturers] if x is not None}
    if people:
        wanted |= Q(lecturer__in=sorted(people))
    if room_key(room) and course is not None and course.centre_id:
        wanted |= Q(course__centre_id=course.centre_id) & ~Q(room="")
    if not wanted:
        return []
    others = Session.objects.filter(wanted).exclude(course__status=CourseStatus.CANCELLED)
    if dates is not None:
        others = others.filter(date__in=list(dates))
    if date_range is not None:
        others = others.filter(date__range=date_range)
    pks = [pk for pk in exclude_pks if pk]
    if pks:
        others = others.exclude(pk__in=pks)
    return list(sessions_in_order(others.select_related("course")))


def _conflicts(
    slot: Slot, *, course: Course, lecturer, room: str, booked: list[Session]
) -> list[Conflict]:
    found: list[Conflict] = []
    key = room_key(room)
    for other in booked:
        if not slot.overlaps(Slot.of(other)):
            continue
        where = Slot.of(other).label
        if lecturer is not None and other.lecturer_id == lecturer.pk:
            if not any(c.field == "lecturer" for c in found):
                found.append(
                    Conflict(
                        "lecturer",
                        f"Giảng viên {lecturer} đã có lịch dạy lớp {other.course.code} "
                        f"vào {where}.",
                        other,
                    )
                )
        if (
            key
            and other.course.centre_id == course.centre_id
            and room_key(other.room) == key
            and not any(c.field == "room" for c in found)
        ):
            found.append(
                Conflict(
                    "room",
                    f"Phòng «{other.room}» đã được xếp cho lớp {other.course.code} vào {where}.",
                    other,
                )
            )
    return found


def session_conflicts(
    *,
    course: Course,
    date,
    part: str,
    lecturer,
    room: str,
    start_time=None,
    end_time=None,
    exclude_pks=(),
) -> list[Conflict]:
    """Every reason (at most one per field) the lecturer or room is already booked then."""
    if not date or not part or course is None:
        return []
    if course.status == CourseStatus.CANCELLED:
        return []
    booked = _booked(
        course=course, lecturer=lecturer, room=room, dates=[date], exclude_pks=exclude_pks
    )
    slot = Slot(date, part, start_time, end_time)
    return _conflicts(slot, course=course, lecturer=lecturer, room=room, booked=booked)


def session_clash(
    *,
    course: Course,
    date,
    part: str,
    lecturer,
    room: str,
    start_time=None,
    end_time=None,
    exclude_pks=(),
) -> str | None:
    """Why a session may not take this slot: its lecturer or room is already booked then."""
    conflicts = session_conflicts(
        course=course,
        date=date,
        part=part,
        lecturer=lecturer,
        room=room,
        start_time=start_time,
        end_time=end_time,
        exclude_pks=exclude_pks,
    )
    return conflicts[0].message if conflicts else None


# --- single sessions --------------------------------------------------------------------------


def timetable_refusal(course: Course) -> str | None:
    """Why the class's timetable may not change now (closed and cancelled classes are read-only)."""
    if course.status == CourseStatus.CLOSED:
        return "Lớp đã kết thúc: thời khóa biểu chỉ còn để xem, không thay đổi được."
    if course.status == CourseStatus.CANCELLED:
        return "Lớp đã hủy: thời khóa biểu chỉ còn để xem, không thay đổi được."
    return None


def session_date_refusal(*, course: Course, date, holidays: dict | None = None) -> str | None:
    """A session belongs to the class's dates and never falls on one of the centre's holidays."""
    if not date:
        return None
    if not course.start_date <= date <= course.end_date:
        return (
            f"Ngày {date:%d/%m/%Y} nằm ngoài thời gian học của lớp "
            f"({course.start_date:%d/%m/%Y} – {course.end_date:%d/%m/%Y}). Hãy chọn ngày trong "
            "khoảng này, hoặc sửa ngày khai giảng, bế giảng của lớp trước."
        )
    if holidays is None:
        name = (
            Holiday.objects.filter(centre_id=course.centre_id, date=date)
            .values_list("name", flat=True)
            .first()
        )
    else:
        name = holidays.get(date)
    if name:
        return f"Ngày {date:%d/%m/%Y} là ngày nghỉ của trung tâm ({name}). Hãy chọn ngày khác."
    return None


def session_problems(session: Session) -> dict[str, list[str]]:
    """Every rule a session breaks, by form field (None: the session as a whole)."""
    course = session.course
    problems: dict[str, list[str]] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    refusal = timetable_refusal(course)
    if refusal:
        add(None, refusal)
        return problems
    date_refusal = session_date_refusal(course=course, date=session.date)
    if date_refusal:
        add("date", date_refusal)
    if session.topic_id and session.topic.course_id != course.pk:
        add("topic", "Chuyên đề phải là một chuyên đề của lớp này.")
    if session.lecturer_id and session.lecturer.centre_id != course.centre_id:
        add("lecturer", "Giảng viên phải thuộc trung tâm của lớp.")
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        add("end_time", "Giờ kết thúc phải sau giờ bắt đầu.")
    elif not date_refusal:
        for conflict in session_conflicts(
            course=course,
            date=session.date,
            part=session.part,
            lecturer=session.lecturer,
            room=session.room,
            start_time=session.start_time,
            end_time=session.end_time,
            exclude_pks=[session.pk],
        ):
            add(conflict.field, conflict.message)
    return problems


def _lock_bookings(course: Course, lecturer_ids) -> None:
    """Serialise timetable writes that could clash: the centre (rooms) then each lecturer.

    Always in this order, so two writers never wait on each other in a loop.
    """
    Centre.objects.select_for_update().filter(pk=course.centre_id).first()
    ids = sorted({pk for pk in lecturer_ids if pk})
    if ids:
        list(Lecturer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def session_save(*, session: Session) -> Session:
    """Add or change one session; refused (ValidationError by field) when it breaks a rule."""
    _lock_bookings(session.course, [session.lecturer_id])
    problems = session_problems(session)
    if problems:
        raise ValidationError(problems)
    session.full_clean()
    session.save()
    absence_refresh(course=session.course)
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Remove a session and its attendance; the class's absence figures are recomputed."""
    course = session.course
    refusal = timetable_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    session.delete()
    absence_refresh(course=course)


# --- bulk timetable ---------------------------------------------------------------------------


@dataclass
class PlannedSession:
    date: datetime.date
    part: str
    topic: Topic
    periods: int
    lecturer: Lecturer | None = None

    @property
    def slot(self) -> Slot:
        return Slot(self.date, self.part)

    @property
    def part_label(self) -> str:
        return SessionPart(self.part).label


@dataclass
class SkippedSlot:
    date: datetime.date
    reason: str
    part: str | None = None  # None: the whole day

    @property
    def part_label(self) -> str:
        return SessionPart(self.part).label if self.part else "Cả ngày"


@dataclass
class TimetablePlan:
    course: Course
    start: datetime.date
    end: datetime.date
    parts: list[str]
    lecturer: Lecturer | None  # the lecturer of every topic without one of its own
    room: str
    periods_per_session: int
    kind: str
    topic_lecturers: dict[int, Lecturer] = field(default_factory=dict)  # topic id → lecturer
    sessions: list[PlannedSession] = field(default_factory=list)
    skipped: list[SkippedSlot] = field(default_factory=list)
    leftover: list[tuple[Topic, int]] = field(default_factory=list)
    already_scheduled: int = 0

    @property
    def planned_periods(self) -> int:
        return sum(s.periods for s in self.sessions)

    @property
    def leftover_periods(self) -> int:
        return sum(periods for _, periods in self.leftover)

    def lecturer_of(self, topic: Topic) -> Lecturer | None:
        return self.topic_lecturers.get(topic.pk, self.lecturer)

    @property
    def lecturers(self) -> list[Lecturer]:
        """Every lecturer of the plan, once, in the order they first teach."""
        seen: dict[int, Lecturer] = {}
        for planned in self.sessions:
            if planned.lecturer is not None:
                seen.setdefault(planned.lecturer.pk, planned.lecturer)
        return list(seen.values())

    def to_data(self) -> dict:
        """What the confirm step needs, JSON-serialisable (the view signs it)."""
        return {
            "course": self.course.pk,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "parts": list(self.parts),
            "lecturer": self.lecturer.pk if self.lecturer else None,
            "room": self.room,
            "periods_per_session": self.periods_per_session,
            "kind": self.kind,
            "sessions": [
                [
                    s.date.isoformat(),
                    s.part,
                    s.topic.pk,
                    s.periods,
                    s.lecturer.pk if s.lecturer else None,
                ]
                for s in self.sessions
            ],
        }


def _holidays(course: Course, start, end) -> dict[datetime.date, str]:
    return dict(
        Holiday.objects.filter(centre_id=course.centre_id, date__range=(start, end)).values_list(
            "date", "name"
        )
    )


def _own_and_booked(course, lecturers, room, start, end) -> tuple[list[Session], list[Session]]:
    """(the class's own sessions, other sessions that could clash) in the date range."""
    booked = _booked(
        course=course, lecturer=None, lecturers=lecturers, room=room, date_range=(start, end)
    )
    own = list(course.sessions.filter(date__range=(start, end)))
    return own, [s for s in booked if s.course_id != course.pk]


def timetable_plan(
    *,
    course: Course,
    start: datetime.date,
    end: datetime.date,
    parts,
    lecturer: Lecturer | None = None,
    room: str = "",
    periods_per_session: int = 4,
    kind: str = SessionKind.LECTURE,
    topic_lecturers: dict[int, Lecturer] | None = None,
) -> TimetablePlan:
    """Fill half-day slots with the class's topics, in order, over [start, end].

    Each topic is taught by its own lecturer from `topic_lecturers` (topic id → lecturer) or, for
    the others, by `lecturer`; a slot where that topic's lecturer is booked elsewhere is skipped,
    and no later topic jumps ahead of it.

    Sundays, the centre's holidays, slots the class already uses and slots where the lecturer
    or room is booked are skipped (each with its reason). A topic longer than one session takes
    several consecutive slots; periods a topic already has in the timetable are not planned
    again. What does not fit is reported as left over.
    """
    parts = [p for p in PART_ORDER if p in set(parts)]
    plan = TimetablePlan(
        course=course,
        start=start,
        end=end,
        parts=parts,
        lecturer=lecturer,
        room=room or "",
        periods_per_session=periods_per_session,
        kind=kind,
        topic_lecturers=dict(topic_lecturers or {}),
    )
    topics = list(course.topics.order_by("order", "id"))
    scheduled = dict(
        course.sessions.filter(topic__isnull=False)
        .values("topic")
        .annotate(total=Sum("periods"))
        .values_list("topic", "total")
    )
    queue: list[list] = []
    for topic in topics:
        done = min(scheduled.get(topic.pk, 0), topic.periods)
        plan.already_scheduled += done
        if topic.periods - done > 0:
            queue.append([topic, topic.periods - done])
    holidays = _holidays(course, start, end)
    every_lecturer = [plan.lecturer_of(topic) for topic, _ in queue]
    own, booked = _own_and_booked(course, every_lecturer, room, start, end)

    day = start
    while queue and day <= end:
        if day.weekday() == SUNDAY:
            plan.skipped.append(SkippedSlot(day, "Chủ nhật"))
        elif day in holidays:
            plan.skipped.append(SkippedSlot(day, f"Ngày nghỉ: {holidays[day]}"))
        else:
            for part in parts:
                if not queue:
                    break
                slot = Slot(day, part)
                if any(slot.overlaps(Slot.of(s)) for s in own):
                    plan.skipped.append(SkippedSlot(day, "Lớp đã có buổi học vào buổi này", part))
                    continue
                teacher = plan.lecturer_of(queue[0][0])
                conflicts = _conflicts(
                    slot, course=course, lecturer=teacher, room=room, booked=booked
                )
                if conflicts:
                    plan.skipped.append(
                        SkippedSlot(day, " ".join(c.message for c in conflicts), part)
                    )
                    continue
                topic, remaining = queue[0]
                periods = min(periods_per_session, remaining)
                plan.sessions.append(PlannedSession(day, part, topic, periods, teacher))
                queue[0][1] -= periods
                if queue[0][1] == 0:
                    queue.pop(0)
        day += datetime.timedelta(days=1)
    plan.leftover = [(topic, remaining) for topic, remaining in queue]
    return plan


def timetable_plan_load(*, course: Course, data: dict) -> TimetablePlan:
    """Rebuild a previewed plan from `TimetablePlan.to_data()` (refused if it no longer fits)."""
    if data.get("course") != course.pk:
        raise ValidationError("Bản xem trước này thuộc lớp khác; hãy lập lại thời khóa biểu.")
    wanted = {data.get("lecturer")} | {row[4] for row in data["sessions"] if len(row) > 4}
    wanted.discard(None)
    teachers = Lecturer.objects.filter(
        pk__in=wanted, centre_id=course.centre_id, active=True
    ).in_bulk()
    if set(teachers) != wanted:
        raise ValidationError("Giảng viên đã chọn không còn giảng dạy ở trung tâm.")
    lecturer = teachers.get(data.get("lecturer"))
    topics = course.topics.in_bulk()
    plan = TimetablePlan(
        course=course,
        start=datetime.date.fromisoformat(data["start"]),
        end=datetime.date.fromisoformat(data["end"]),
        parts=list(data["parts"]),
        lecturer=lecturer,
        room=data.get("room") or "",
        periods_per_session=int(data["periods_per_session"]),
        kind=data["kind"],
    )
    for day, part, topic_id, periods, *rest in data["sessions"]:
        topic = topics.get(topic_id)
        if topic is None:
            raise ValidationError(
                "Một chuyên đề trong bản xem trước đã bị xóa khỏi lớp; hãy xem trước lại."
            )
        teacher = teachers.get(rest[0]) if rest else lecturer
        plan.sessions.append(
            PlannedSession(
                datetime.date.fromisoformat(day), SessionPart(part), topic, periods, teacher
            )
        )
    return plan


@transaction.atomic
def timetable_bulk_create(*, plan: TimetablePlan, user=None) -> list[Session]:
    """Create every planned session, re-checked now, or none of them (ValidationError)."""
    course = plan.course
    refusal = timetable_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    if not plan.sessions:
        raise ValidationError("Không có buổi học nào để tạo.")
    _lock_bookings(course, [s.lecturer.pk for s in plan.sessions if s.lecturer])
    first = min(s.date for s in plan.sessions)
    last = max(s.date for s in plan.sessions)
    holidays = _holidays(course, first, last)
    own, booked = _own_and_booked(
        course, [s.lecturer for s in plan.sessions], plan.room, first, last
    )
    problems: list[str] = []
    taken: list[Slot] = []
    for planned in plan.sessions:
        slot = planned.slot
        where = slot.label
        reasons = []
        date_refusal = session_date_refusal(course=course, date=planned.date, holidays=holidays)
        if date_refusal:
            reasons.append(date_refusal)
        elif planned.date.weekday() == SUNDAY:
            reasons.append("Chủ nhật không xếp lịch tự động.")
        if planned.topic.course_id != course.pk:
            reasons.append("Chuyên đề không thuộc lớp này.")
        if not 1 <= planned.periods <= 12:
            reasons.append("Số tiết mỗi buổi phải từ 1 đến 12.")
        if plan.kind not in SessionKind.values:
            reasons.append("Hình thức buổi học không hợp lệ.")
        if any(slot.overlaps(Slot.of(s)) for s in own) or any(slot.overlaps(t) for t in taken):
            reasons.append("Lớp đã có buổi học vào buổi này.")
        reasons += [
            c.message
            for c in _conflicts(
                slot, course=course, lecturer=planned.lecturer, room=plan.room, booked=booked
            )
        ]
        if reasons:
            problems.append(f"Buổi {where}: {' '.join(reasons)}")
        taken.append(slot)
    if problems:
        raise ValidationError(problems)
    # Clock times as a session added by hand shows them: its part's usual hours.
    sessions = [
        Session(
            course=course,
            date=planned.date,
            part=planned.part,
            start_time=PART_WINDOWS[SessionPart(planned.part)][0],
            end_time=PART_WINDOWS[SessionPart(planned.part)][1],
            topic=planned.topic,
            lecturer=planned.lecturer,
            room=plan.room,
            periods=planned.periods,
            kind=plan.kind,
        )
        for planned in plan.sessions
    ]
    created = bulk_create_with_history(sessions, Session, default_user=user)
    absence_refresh(course=course)
    return created

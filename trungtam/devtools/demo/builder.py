"""Plans the demo in memory: the timetable of every class, the people and their results.

Everything is drawn from one `random.Random` per centre with a fixed seed, and every date is
placed relative to `today`, so one day's run is reproducible and the classes' statuses match the
calendar. Nothing here writes to the database; `seed.py` does.
"""

import datetime
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from hocvien.models import Trainee
from lophoc.catalogue import PROGRAM_SPECS
from lophoc.models import AttendanceStatus, Course, EnrolmentStatus, SessionKind, SessionPart

from .names import make_name, pick_ethnicity, pick_religion, weighted
from .places import (
    ALWAYS,
    BIRTH_YEARS,
    EDUCATION,
    EDUCATION_BY_PROGRAM,
    FEMALE_SHARE,
    MEMBER_SHARE,
    OLD,
    POSITIONS,
    POSITIONS_BY_KIND,
    PROVINCE_CODES,
    REORGANISATION,
    SENDERS,
    CentreSpec,
)
from .scales import (
    CANCELLED,
    CLOSED,
    ENROLLING,
    GRADING,
    IN_PROGRESS,
    PLANNED,
    Anchor,
    Scale,
    slate_items,
)
from .workdays import Calendar, holidays_for, next_monday

SEED = 2026
PHONE_PREFIXES = "090 091 093 094 096 097 098 086 088 035 038 039 077 079 083 085".split()


@dataclass
class Block:
    topic: int | None  # 1-based topic order, None for a test
    kind: str
    periods: int
    assessment: int | None = None  # index of the assessment written in this session


@dataclass
class Slot:
    date: datetime.date
    part: str
    block: Block
    room: str = ""
    lecturer: int | None = None


@dataclass
class Person:
    full_name: str
    gender: str
    date_of_birth: datetime.date
    ethnicity: str
    religion: str
    national_id: str | None
    is_party_member: bool
    party_joined_on: datetime.date | None
    position: str
    unit: int  # index into the centre's units
    phone: str
    hometown: str
    education_level: str
    political_theory_level: str
    busy: list = field(default_factory=list)  # (start, end) of classes taken
    knd_passed_on: datetime.date | None = None
    programs: set = field(default_factory=set)
    trainee: Trainee | None = None


@dataclass
class EnrolPlan:
    person: Person
    unit: int
    position: str
    enrolled_at: datetime.datetime
    status: str = EnrolmentStatus.ACTIVE
    reason: str = ""
    withdrawn_after: int | None = None  # last slot attended before withdrawing
    # slot index → (status, made_up, note); a made-up absence is (present, True, note)
    absences: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)  # assessment index → (score, retake)


@dataclass
class ClassPlan:
    program: str
    status: str
    start: datetime.date
    target: int = 0
    anchor: Anchor | None = None
    end: datetime.date | None = None
    slots: list[Slot] = field(default_factory=list)
    room: str = ""
    enrolments: list[EnrolPlan] = field(default_factory=list)
    graders: list = field(default_factory=list)  # lecturer index per assessment
    seq: int = 0
    # The rows written for this class.
    course: Course | None = None
    topic_objs: dict = field(default_factory=dict)
    assessment_objs: list = field(default_factory=list)
    session_objs: list = field(default_factory=list)
    enrolment_objs: list = field(default_factory=list)

    @property
    def spec(self):
        return PROGRAM_SPECS[self.program]

    @property
    def year(self) -> int:
        return self.start.year


def blocks_for(spec) -> list[Block]:
    """The half-day blocks of a class: each topic in sessions of 4 periods (5 for Sơ cấp),
    tests after the parts they close and the final test at the end."""
    size = 5 if spec.code == "SC" else 4
    assessments = list(spec.assessments)
    interim = [i for i, a in enumerate(assessments) if not a.is_final]
    finals = [i for i, a in enumerate(assessments) if a.is_final]
    count = len(spec.topics)
    after = {round((n + 1) * count / (len(interim) + 1)): i for n, i in enumerate(interim)}
    exam_left = spec.exam_periods
    blocks = []
    for order, (title, periods) in enumerate(spec.topics, start=1):
        chunks = [size] * (periods // size) + ([periods % size] if periods % size else [])
        for n, chunk in enumerate(chunks):
            kind = SessionKind.LECTURE
            if "thực tế" in title:
                kind = SessionKind.FIELD_TRIP
            elif periods >= 8 and n == len(chunks) - 1:
                kind = SessionKind.DISCUSSION
            blocks.append(Block(order, kind, chunk))
        if order in after and exam_left >= size:
            blocks.append(Block(None, SessionKind.EXAM, size, after[order]))
            exam_left -= size
    final = finals[0] if finals else None
    while exam_left > 0:
        chunk = min(size, exam_left)
        blocks.append(Block(None, SessionKind.EXAM, chunk, final))
        exam_left -= chunk
    return blocks


# --- the builder ---------------------------------------------------------------------------------


class CentreBuilder:
    def __init__(self, spec: CentreSpec, scale: Scale, today: datetime.date):
        self.spec = spec
        self.scale = scale
        self.today = today
        self.year = today.year
        self.rng = random.Random(f"{SEED}-{scale.name}-{spec.code}")
        holidays = []
        for year in (self.year - 1, self.year, self.year + 1):
            holidays += holidays_for(year)
        self.holidays = holidays
        self.calendar = Calendar(day for day, _ in holidays)
        self.lecturers = [
            lecturer for lecturer in spec.lecturers if lecturer.in_small or not scale.small_staff
        ]
        self.units = list(spec.units)
        self.unit_index = {unit.name: i for i, unit in enumerate(self.units)}
        self.lecturer_busy: set = set()
        self.room_busy: set = set()
        self.national_ids: set = set()
        self.people: list[Person] = []
        self.classes: list[ClassPlan] = []

    def build(self) -> None:
        """Plan every class, its timetable, its people, their attendance and grades."""
        self.plan_classes()
        for plan in self.classes:
            self.schedule(plan)
        # In date order, so that candidates admitted after one class come back to a later one.
        for plan in sorted(self.classes, key=lambda p: p.start):
            self.enrol(plan)
            self.attend_and_grade(plan)
            mark_knd_passed(plan)

    # ---- timeline ----

    def plan_classes(self) -> None:
        slate = self.scale.slates[self.spec.code]
        last = self.year - 1
        for start, item in self._place(slate_items(slate.last_year), last):
            status = CANCELLED if len(item) > 2 else CLOSED
            self.classes.append(ClassPlan(item[0], status, start))

        anchors = []
        for anchor in slate.anchors:
            plan = ClassPlan(anchor.program, anchor.status, self.today, anchor=anchor)
            days = math.ceil(len(blocks_for(plan.spec)) / 2)
            if anchor.status == GRADING:
                end = self.calendar.back(
                    self.today - datetime.timedelta(days=anchor.ended_days_ago), 0
                )
                plan.start = self.calendar.back(end, days - 1)
            elif anchor.status == IN_PROGRESS:
                plan.start = self.calendar.back(
                    self.today - datetime.timedelta(days=1), min(1, days - 2)
                )
            elif anchor.status == ENROLLING:
                plan.start = self.calendar.next_workday(
                    next_monday(self.today + datetime.timedelta(days=12))
                )
            else:
                offset = 26 + 7 * sum(1 for a in anchors if a.status == PLANNED)
                plan.start = self.calendar.next_workday(
                    next_monday(self.today + datetime.timedelta(days=offset))
                )
            anchors.append(plan)
        self.classes += anchors

        first_anchor = min((a.start for a in anchors), default=self.today)
        last_anchor = max((a.start for a in anchors), default=self.today)
        past = (datetime.date(self.year, 1, 5), first_anchor - datetime.timedelta(days=14))
        future = (last_anchor + datetime.timedelta(days=21), datetime.date(self.year, 12, 18))
        for start, item in self._place(
            slate_items(slate.this_year), self.year, windows=(past, future)
        ):
            if len(item) > 2:
                status = CANCELLED
            elif start < self.today:
                status = CLOSED
            elif start <= self.today + datetime.timedelta(days=40):
                status = ENROLLING
            else:
                status = PLANNED
            self.classes.append(ClassPlan(item[0], status, start))
        self.classes.sort(key=lambda plan: (plan.start, plan.program))

    def _place(self, items, year, windows=None):
        """Give each (program, month) item a start date in its month, moved into a window."""
        per_month = Counter()
        placed = []
        for item in sorted(items, key=lambda item: item[1]):
            month = item[1]
            n = per_month[month]
            per_month[month] += 1
            day = datetime.date(year, month, min(4 + 10 * n, 26))
            if windows:
                day = self._into_windows(day, windows, placed)
            placed.append(self.calendar.next_workday(next_monday(day)))
            yield placed[-1], item

    def _into_windows(self, day, windows, placed):
        usable = [(lo, hi) for lo, hi in windows if lo <= hi]
        if any(lo <= day <= hi for lo, hi in usable):
            return day
        if not usable:
            return day
        lo, hi = min(usable, key=lambda w: min(abs((day - w[0]).days), abs((day - w[1]).days)))
        day = hi if day > hi else lo
        step = -9 if day == hi else 9
        while any(abs((day - other).days) < 7 for other in placed) and lo <= day <= hi:
            day += datetime.timedelta(days=step)
        return min(max(day, lo), hi)

    # ---- timetable ----

    def schedule(self, plan: ClassPlan) -> None:
        blocks = blocks_for(plan.spec)
        days = self.calendar.days_from(plan.start)
        pairs = []
        while len(pairs) < len(blocks):
            day = next(days)
            pairs += [(day, SessionPart.MORNING), (day, SessionPart.AFTERNOON)]
        plan.slots = [
            Slot(day, part, block) for (day, part), block in zip(pairs, blocks, strict=False)
        ]
        plan.start = plan.slots[0].date
        plan.end = plan.slots[-1].date
        if plan.status in (PLANNED, CANCELLED):
            plan.slots = []  # no timetable yet, or none kept
            return

        keys = [(slot.date, slot.part) for slot in plan.slots]
        rooms = list(self.spec.rooms)
        if plan.program == "SC" and len(rooms) > 1:
            rooms = rooms[1:] + rooms[:1]  # the long class keeps the big room free
        room = next((r for r in rooms if all((r, *k) not in self.room_busy for k in keys)), None)
        for slot, key in zip(plan.slots, keys, strict=True):
            slot.room = room or next((r for r in rooms if (r, *key) not in self.room_busy), "")
            if slot.room:
                self.room_busy.add((slot.room, *key))
        plan.room = room or plan.slots[0].room

        forced = self._forced_lecturer(plan)
        order = self._lecturer_order(plan.program)
        forced_done = False
        by_topic = defaultdict(list)
        for index, slot in enumerate(plan.slots):
            by_topic[slot.block.topic if slot.block.topic is not None else ("exam", index)].append(
                index
            )
        for topic, indexes in by_topic.items():
            slot_keys = [keys[i] for i in indexes]
            candidates = list(order)
            if forced is not None and (not forced_done or isinstance(topic, tuple)):
                candidates.remove(forced)
                candidates.insert(0, forced)
            if isinstance(topic, tuple) and forced is None and indexes[0] > 0:
                # Whoever taught the part just before a test sets and grades it.
                previous = plan.slots[indexes[0] - 1].lecturer
                if previous in candidates:
                    candidates.remove(previous)
                    candidates.insert(0, previous)
            chosen = next(
                (
                    c
                    for c in candidates
                    if all((c, *k) not in self.lecturer_busy for k in slot_keys)
                ),
                None,
            )
            for i in indexes:
                lecturer = chosen
                if lecturer is None:
                    lecturer = next(
                        (c for c in candidates if (c, *keys[i]) not in self.lecturer_busy), None
                    )
                plan.slots[i].lecturer = lecturer
                if lecturer is not None:
                    self.lecturer_busy.add((lecturer, *keys[i]))
            if chosen is not None:
                forced_done = forced_done or chosen == forced
                if chosen in order and not isinstance(topic, tuple):
                    order.remove(chosen)
                    order.append(chosen)  # spread the topics over the lecturers

        plan.graders = []
        for index, _assessment in enumerate(plan.spec.assessments):
            tests = [
                s.lecturer
                for s in plan.slots
                if s.block.assessment == index and s.lecturer is not None
            ]
            if forced is not None:
                grader = forced
            elif plan.program == "SC":
                grader = tests[0] if tests else plan.slots[0].lecturer
            elif self.rng.random() < 0.6:
                grader = tests[0] if tests else plan.slots[-1].lecturer
            else:
                grader = None
            plan.graders.append(grader)

    def _forced_lecturer(self, plan: ClassPlan) -> int | None:
        """The lecturer with a demo login teaches and grades the current classes of the centre."""
        if plan.anchor is None or plan.status not in (GRADING, IN_PROGRESS):
            return None
        return next((i for i, lec in enumerate(self.lecturers) if lec.account), None)

    def _lecturer_order(self, program: str) -> list[int]:
        preferred = [i for i, lec in enumerate(self.lecturers) if program in lec.programs]
        general = [i for i, lec in enumerate(self.lecturers) if not lec.programs]
        others = [i for i in range(len(self.lecturers)) if i not in preferred and i not in general]
        self.rng.shuffle(preferred)
        self.rng.shuffle(general)
        return preferred + general + others

    # ---- people ----

    def unit_valid(self, index: int, day: datetime.date) -> bool:
        era = self.units[index].era
        return era == ALWAYS or (era == OLD) == (day < REORGANISATION)

    def successor(self, index: int) -> int:
        seen = set()
        while self.units[index].merged_into and index not in seen:
            seen.add(index)
            index = self.unit_index[self.units[index].merged_into]
        return index

    def pick_unit(self, program: str, day: datetime.date) -> int:
        by_kind = defaultdict(list)
        for i, unit in enumerate(self.units):
            if self.unit_valid(i, day):
                by_kind[unit.kind].append(i)
        weights = [(kind, w) for kind, w in SENDERS[program].items() if by_kind.get(kind)]
        if not weights:
            weights = [(kind, 1) for kind in by_kind]
        candidates = by_kind[weighted(self.rng, weights)]
        # Units that existed only before the reorganisation stand out in their last months.
        return weighted(self.rng, [(i, 3 if self.units[i].era == OLD else 1) for i in candidates])

    def national_id(self, province: str, dob: datetime.date, female: bool) -> str:
        century = (0 if dob.year < 2000 else 2) + (1 if female else 0)
        while True:
            number = f"{province}{century}{dob.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if number not in self.national_ids:
                self.national_ids.add(number)
                return number

    def new_person(self, plan: ClassPlan) -> Person:
        rng = self.rng
        program = plan.program
        female = rng.random() < FEMALE_SHARE.get(program, 0.45)
        group = pick_ethnicity(rng)
        full_name, ethnicity = make_name(rng, male=not female, group=group)
        low, high = BIRTH_YEARS[program]
        high = min(high, plan.start.year - 18, 2005)
        low = max(min(low, high), 1965)
        year = rng.randint(low, high)
        dob = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        province_code, province = self._birthplace(ethnicity)
        member = rng.random() < MEMBER_SHARE[program]
        joined = None
        if member:
            adult = datetime.date(dob.year + 18, dob.month, min(dob.day, 28))
            latest = plan.start - datetime.timedelta(days=45)
            if program == "DVM":
                joined = plan.start - datetime.timedelta(days=rng.randint(60, 330))
            else:
                first = max(dob.year + 20, 1990)
                joined = datetime.date(
                    rng.randint(first, max(first, plan.start.year - 2)),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
            joined = min(max(joined, adult), latest)
            if joined < adult:
                member, joined = False, None
        theory = ""
        if member and program in ("NVD", "CUV", "CNKT", "QPAN", "TC"):
            theory = weighted(
                rng, [("so_cap", 50), ("trung_cap", 35), ("cao_cap", 5), ("cu_nhan", 2), ("", 8)]
            )
        elif member and program not in ("DVM", "SC"):
            theory = weighted(rng, [("so_cap", 40), ("", 60)])
        unit = self.pick_unit(program, plan.start)
        position = self._position(program, self.units[unit])
        education = weighted(rng, EDUCATION_BY_PROGRAM.get(program, EDUCATION))
        person = Person(
            full_name=full_name,
            gender="F" if female else "M",
            date_of_birth=dob,
            ethnicity=ethnicity,
            religion=pick_religion(rng, ethnicity, party_member=member),
            national_id=None
            if rng.random() < 0.08
            else self.national_id(province_code, dob, female),
            is_party_member=member,
            party_joined_on=joined,
            position=position,
            unit=unit,
            phone=self._phone() if rng.random() < 0.75 else "",
            hometown=province,
            education_level=education,
            political_theory_level=theory,
        )
        self.people.append(person)
        return person

    def _position(self, program: str, unit) -> str:
        rng = self.rng
        kind = unit.kind
        if kind == "party_org":
            # A party cell of a school, an army post or a company: the workplace decides.
            for word, workplace in (
                ("Trường", "school"),
                ("Quân sự", "armed"),
                ("Công an", "armed"),
                ("Công ty", "enterprise"),
                ("Hợp tác xã", "enterprise"),
            ):
                if word in unit.name:
                    kind = workplace
        if program in ("KND", "DVM", "CNKT", "QPAN") and kind in POSITIONS_BY_KIND:
            return weighted(rng, POSITIONS_BY_KIND[kind])
        if program == "CUV" and unit.kind == "party_org":
            return weighted(rng, [("Bí thư chi bộ", 60), ("Phó Bí thư chi bộ", 40)])
        if program == "QLNN":
            hamlet = "ấp" if kind == "commune" else "khu phố"
            return weighted(rng, [(f"Trưởng {hamlet}", 55), (f"Phó Trưởng {hamlet}", 45)])
        return weighted(rng, POSITIONS[program])

    def _birthplace(self, ethnicity: str) -> tuple[str, str]:
        special = {
            "Khmer": [("094", "Sóc Trăng"), ("084", "Trà Vinh"), ("074", "Bình Dương")],
            "Chăm": [("058", "Ninh Thuận"), ("060", "Bình Thuận")],
            "Tày": [("004", "Cao Bằng"), ("020", "Lạng Sơn"), ("074", "Bình Dương")],
            "Nùng": [("020", "Lạng Sơn"), ("004", "Cao Bằng")],
            "Mường": [("017", "Hòa Bình"), ("038", "Thanh Hóa")],
            "S'tiêng": [("070", "Bình Phước")],
        }
        if ethnicity in special:
            return self.rng.choice(special[ethnicity])
        code, province, _ = weighted(self.rng, [(p, p[2]) for p in PROVINCE_CODES])
        return code, province

    def _phone(self) -> str:
        prefix = self.rng.choice(PHONE_PREFIXES)
        return f"{prefix}{self.rng.randrange(10**7):07d}"

    def returning(self, plan: ClassPlan) -> list[Person]:
        """People already known to the centre who come back: a new member after the class for
        candidates, a member to an update or a party-work class."""
        rng = self.rng
        program = plan.program
        start = plan.start

        def free(person):
            return program not in person.programs and all(
                end < start - datetime.timedelta(days=3) or begin > (plan.end or start)
                for begin, end in person.busy
            )

        if program == "DVM":
            pool = [
                p
                for p in self.people
                if p.knd_passed_on
                and not p.is_party_member
                and p.knd_passed_on + datetime.timedelta(days=100) < start
                and free(p)
            ]
            share = 0.55
        elif program in ("CNKT", "NVD", "CUV", "QPAN", "SC"):
            pool = [p for p in self.people if p.is_party_member and free(p)]
            share = 0.2
        elif program == "GVH":
            pool = [p for p in self.people if self.units[p.unit].kind == "school" and free(p)]
            share = 0.3
        elif program == "KND":
            # Candidates only: people not yet in the Party who never took this class.
            pool = [p for p in self.people if not p.is_party_member and free(p)]
            share = 0.06
        else:
            pool = [p for p in self.people if free(p)]
            share = 0.08
        rng.shuffle(pool)
        count = min(len(pool), round(plan.target * share * rng.uniform(0.7, 1.1)))
        chosen = pool[:count]
        for person in chosen:
            if program == "DVM":
                person.is_party_member = True
                latest = start - datetime.timedelta(days=40)
                # Still on probation: admitted within the last year.
                earliest = max(
                    person.knd_passed_on + datetime.timedelta(days=45),
                    start - datetime.timedelta(days=330),
                )
                span = max((latest - earliest).days, 0)
                person.party_joined_on = earliest + datetime.timedelta(days=rng.randint(0, span))
                person.position = person.position if person.position != "Đoàn viên" else "Đảng viên"
            elif program == "NVD" and rng.random() < 0.6:
                person.position = weighted(rng, POSITIONS["NVD"])
        return chosen

    def enrol(self, plan: ClassPlan) -> None:
        rng = self.rng
        low, high = self.scale.trainees
        plan.target = rng.randint(low, high)
        if plan.status in (PLANNED, CANCELLED):
            return
        count = plan.target
        if plan.status == ENROLLING:
            count = max(3, round(plan.target * rng.uniform(0.5, 0.8)))
        people = self.returning(plan)[:count]
        while len(people) < count:
            people.append(self.new_person(plan))
        for person in people:
            unit = person.unit
            if not self.unit_valid(unit, plan.start):
                unit = self.successor(unit)
                person.unit = unit
            days_before = rng.randint(3, 25)
            enrolled = datetime.datetime.combine(
                plan.start - datetime.timedelta(days=days_before),
                datetime.time(8 + rng.randrange(9), rng.randrange(60)),
            )
            enrolled = timezone.make_aware(enrolled)
            if enrolled > timezone.now():
                enrolled = timezone.now() - datetime.timedelta(hours=rng.randint(1, 72))
            plan.enrolments.append(EnrolPlan(person, unit, person.position, enrolled_at=enrolled))
            person.busy.append((plan.start, plan.end or plan.start))
            person.programs.add(plan.program)

    # ---- attendance and grades ----

    def attend_and_grade(self, plan: ClassPlan) -> None:
        rng = self.rng
        if not plan.slots or plan.status in (PLANNED, ENROLLING, CANCELLED):
            return
        past = [i for i, slot in enumerate(plan.slots) if slot.date < self.today]
        if not past:
            return
        finished = plan.status in (GRADING, CLOSED)
        spec = plan.spec
        total = sum(slot.block.periods for slot in plan.slots)
        limit = spec.absence_limit_percent
        allowed = int(limit * total / 100)
        teachable = [i for i in past if plan.slots[i].block.kind != SessionKind.EXAM]
        for enrolment in plan.enrolments:
            roll = rng.random()
            if len(past) >= 3 and roll < 0.02:
                enrolment.status = EnrolmentStatus.WITHDRAWN
                enrolment.withdrawn_after = rng.randrange(0, len(past) - 1)
                enrolment.reason = rng.choice(
                    [
                        "Chuyển công tác",
                        "Ốm đau, điều trị dài ngày",
                        "Đơn vị cử đi công tác đột xuất",
                        "Xin thôi học vì lý do gia đình",
                    ]
                )
                continue
            roll = rng.random()
            absent_periods = 0
            chosen = []
            if roll < 0.018 or (allowed < 4 and roll < 0.03):
                # Over the limit: absent until more than `allowed` periods are missed.
                candidates = teachable[:]
                rng.shuffle(candidates)
                for i in candidates:
                    chosen.append(i)
                    absent_periods += plan.slots[i].block.periods
                    if absent_periods > allowed and (
                        rng.random() < 0.5 or absent_periods > allowed + 8
                    ):
                        break
            elif roll < 0.14 and allowed >= 4:
                candidates = teachable[:]
                rng.shuffle(candidates)
                for i in candidates[: rng.randint(1, 3)]:
                    if absent_periods + plan.slots[i].block.periods > allowed:
                        break
                    chosen.append(i)
                    absent_periods += plan.slots[i].block.periods
            over = absent_periods > allowed
            made_up = over and finished and rng.random() < 0.35
            for i in chosen:
                excused = rng.random() < 0.65
                note = ""
                if excused:
                    note = rng.choice(
                        [
                            "Ốm, có giấy xin phép",
                            "Bận công tác",
                            "Việc gia đình",
                            "Họp đột xuất tại đơn vị",
                        ]
                    )
                status = AttendanceStatus.EXCUSED if excused else AttendanceStatus.UNEXCUSED
                if made_up:
                    # A made-up absence is recorded as attendance (DESIGN §8); the note keeps
                    # what the absence was.
                    kind = "có phép" if excused else "không phép"
                    note = f"Học bù buổi vắng {kind}" + (f" ({note})" if note else "")
                    status = AttendanceStatus.PRESENT
                enrolment.absences[i] = (status, made_up, note)
            if over and finished and not made_up:
                enrolment.status = EnrolmentStatus.NOT_ELIGIBLE
                enrolment.reason = f"Vắng quá {limit.normalize():f}% số tiết, chưa học bù"

        if not finished or not spec.is_assessed:
            return
        assessments = list(spec.assessments)
        final = next((i for i, a in enumerate(assessments) if a.is_final), len(assessments) - 1)
        graded_share = plan.anchor.graded_share if plan.anchor else 1.0
        active = [e for e in plan.enrolments if e.status == EnrolmentStatus.ACTIVE]
        if plan.status == CLOSED and len(active) > 20 and rng.random() < 0.3:
            absent = rng.choice(active)
            absent.status = EnrolmentStatus.ABSENT_FINAL
            absent.reason = "Vắng kiểm tra cuối khóa (ốm, có giấy xác nhận)"
            for i, slot in enumerate(plan.slots):
                if slot.block.kind == SessionKind.EXAM and slot.block.assessment == final:
                    absent.absences[i] = (AttendanceStatus.EXCUSED, False, "Ốm, có giấy xác nhận")
        for enrolment in plan.enrolments:
            if enrolment.status not in (EnrolmentStatus.ACTIVE, EnrolmentStatus.ABSENT_FINAL):
                continue
            if plan.status == GRADING and rng.random() > graded_share:
                continue
            ability = rng.gauss(7.6, 0.75)
            for index, _assessment in enumerate(assessments):
                if enrolment.status == EnrolmentStatus.ABSENT_FINAL and index == final:
                    continue
                if rng.random() < 0.025:
                    score = quarter(rng.uniform(2.5, 4.75))
                    retake = None
                    if plan.status == CLOSED and rng.random() < 0.75:
                        retake = quarter(rng.uniform(5.0, 7.0))
                else:
                    score = quarter(min(max(rng.gauss(ability, 0.55), 5.0), 9.75))
                    retake = None
                enrolment.scores[index] = (score, retake)


def quarter(value: float) -> Decimal:
    return Decimal(round(value * 4)) / 4


def mark_knd_passed(plan: ClassPlan) -> None:
    """Candidates who finished the class may be admitted and come back as new members."""
    if plan.program != "KND" or plan.status != CLOSED:
        return
    for e in plan.enrolments:
        if e.status != EnrolmentStatus.ACTIVE:
            continue
        effective = [retake if retake is not None else score for score, retake in e.scores.values()]
        if effective and min(effective) >= 5:
            e.person.knd_passed_on = plan.end

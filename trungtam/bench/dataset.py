"""The benchmark's own data set, written in bulk into an empty bench database.

`province`: 20 centres × 10 years × 35 classes × about 80 trainees (≈ 560.000 enrolments) with
sessions, attendance, scores, stored absence figures and results, certificates, plans, status
changes and the history rows the class page reads. `small`: one centre, one year, same shape.

Only the people (units, lecturers, trainees) go through `NormalizedQuerySet.bulk_create`, which
computes their search and sort keys. The big tables (enrolments, attendance, scores, certificates,
history) are written from plain tuples: COPY on PostgreSQL, executemany on SQLite. Every stored
figure is computed with the product's own rules (`lophoc.results`), from the very attendance and
scores written, so the data set is what the product itself would have stored.

Centre 1 also gets five dedicated classes in the last year (codes BENCH-…), one per job that
reads or writes a whole class, so that the jobs measure the same thing every time.
"""

import datetime
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from giangvien.models import Lecturer, LecturerKind, LecturerPosition
from hocvien.models import Gender, Trainee, Unit, UnitKind
from lophoc.catalogue import PROGRAM_SPECS, install_standard_programs
from lophoc.certificates import (
    completion_text,
    number_text,
    register_number_text,
    salutation_for,
    wording_for,
)
from lophoc.closing import CLOSE_REASON
from lophoc.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Certificate,
    CertificateCounter,
    CertificateIssuer,
    CertificateStatus,
    Course,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
    Program,
    Score,
    Session,
    SessionKind,
    SessionPart,
    Topic,
)
from lophoc.results import is_eligible, result_for
from lophoc.verification import new_verification_code
from trungtam.bench.rows import HistoricalEnrolment, HistoricalScore, Ids, RowWriter, check_columns
from trungtam.demo.names import make_name, pick_ethnicity
from trungtam.documents.numbers import format_number
from trungtam.models import (
    SIGNING_TITLES,
    AnnualPlan,
    Centre,
    Leader,
    LeaderRole,
    PlanStatus,
    PlanTarget,
    ReportIssuer,
    Role,
    User,
)

# Bump when the generator changes what it writes: a data set made by another version is rebuilt.
# 4: the province-level issuer of the all-centres report.
GENERATOR_VERSION = 4
SEED = 8


@dataclass(frozen=True)
class Scale:
    name: str
    centres: int
    years: int
    classes_per_year: int = 35
    trainees_per_class: int = 80
    # People per enrolment: trainees come back for other programs over the years.
    people_per_enrolment: float = 0.6


SCALES = {
    "small": Scale("small", centres=1, years=1),
    "province": Scale("province", centres=20, years=10),
}

# 35 classes a year per centre, as a centre's plan usually looks (DESIGN §5a). The Trung cấp
# (months long, run with the Political School) is left out: the partner keeps its attendance.
PROGRAM_MIX = (
    ("KND", 9),
    ("DVM", 7),
    ("NVD", 3),
    ("CUV", 3),
    ("SC", 1),
    ("CNKT", 3),
    ("QLNN", 3),
    ("GVH", 2),
    ("MTDT", 2),
    ("QPAN", 2),
)
# The last year is still running: these classes are not closed yet (the rest are).
LAST_YEAR_OPEN = (
    (CourseStatus.CANCELLED, 1),
    (CourseStatus.PLANNED, 2),
    (CourseStatus.ENROLLING, 1),
    (CourseStatus.IN_PROGRESS, 2),
    (CourseStatus.GRADING, 2),
)
EARLIER_YEAR_CANCELLED = 1

PLACES = (
    "An Bình",
    "Tân Phú",
    "Phú Hòa",
    "Bình Minh",
    "Hòa Lợi",
    "Long Nguyên",
    "Tân Định",
    "Phước Hòa",
    "Thạnh An",
    "Minh Hưng",
    "Lai Uyên",
    "Hưng Hòa",
    "Tân Long",
    "Chánh Phú Hòa",
    "An Tây",
    "Thới Hòa",
    "Phú An",
    "Mỹ Phước",
    "Định Hiệp",
    "Long Hòa",
)
POSITIONS = (
    "Quần chúng ưu tú",
    "Đảng viên dự bị",
    "Bí thư chi bộ",
    "Phó Bí thư chi bộ",
    "Trưởng ấp",
    "Công chức văn hóa – xã hội",
    "Giáo viên",
    "Chi hội trưởng Hội Phụ nữ",
    "Bí thư Chi đoàn",
    "Chiến sĩ dân quân",
)
PART_TIMES = {
    SessionPart.MORNING: (datetime.time(7, 30), datetime.time(11, 0)),
    SessionPart.AFTERNOON: (datetime.time(13, 30), datetime.time(17, 0)),
}
BENCH_ASSESSMENTS = (
    ("Kiểm tra giữa khóa", Decimal("1"), False),
    ("Bài thu hoạch chuyên đề", Decimal("1"), False),
    ("Kiểm tra cuối khóa", Decimal("2"), True),
)
IMPORT_CAPACITY = 1200


@dataclass(frozen=True)
class BenchClass:
    """A class of centre 1 that one job reads or writes."""

    key: str
    code_word: str
    status: str
    trainees: int
    all_pass: bool = False
    certificates: bool = False


BENCH_CLASSES = (
    BenchClass("view", "XEM", CourseStatus.GRADING, 80),
    BenchClass("save", "DIEM", CourseStatus.GRADING, 80),
    BenchClass("close", "KETTHUC", CourseStatus.GRADING, 80),
    BenchClass("certificates", "GCN", CourseStatus.CLOSED, 80, all_pass=True, certificates=True),
    BenchClass("import", "NHAP", CourseStatus.ENROLLING, 0),
)


def bench_code(bench: BenchClass, year: int) -> str:
    return f"BENCH-{bench.code_word}/{year}"


STAFF_USERNAME = "bench-canbo-{index:02d}"
PROVINCE_USERNAME = "bench-tinh"


@dataclass
class Dataset:
    """What the generator wrote; stored in the manifest and printed with the results."""

    scale: str
    first_year: int
    last_year: int
    report_year: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "first_year": self.first_year,
            "last_year": self.last_year,
            "report_year": self.report_year,
            "counts": self.counts,
            "seconds": round(self.seconds, 1),
        }


# --- the plan of one class -------------------------------------------------------------------


@dataclass
class ClassSpec:
    program: Program
    code: str
    name: str
    status: str
    start: datetime.date
    trainees: int
    assessments: tuple = ()  # (name, weight, is_final); default: the program's
    all_pass: bool = False
    capacity: int = 80
    bench: str = ""


def _teaching_days(start: datetime.date):
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += datetime.timedelta(days=1)


def _sessions_plan(start: datetime.date, periods: int) -> list[tuple[datetime.date, str, int]]:
    """Half-day sessions of four periods on weekdays from `start` until `periods` are taught."""
    plan = []
    days = _teaching_days(start)
    while periods > 0:
        day = next(days)
        for part in (SessionPart.MORNING, SessionPart.AFTERNOON):
            if periods <= 0:
                break
            taught = min(4, periods)
            plan.append((day, part, taught))
            periods -= taught
    return plan


def _score(rng: random.Random, ability: float) -> Decimal:
    value = min(10.0, max(2.0, rng.gauss(ability, 0.6)))
    return (Decimal(round(value * 4)) / 4).quantize(Decimal("0.01"))


class Generator:
    def __init__(self, scale: Scale, *, last_year: int, log=print):
        self.scale = scale
        self.last_year = last_year
        self.first_year = last_year - scale.years + 1
        self.log = log
        self.rng = random.Random(SEED)
        self.out = RowWriter()
        self.ids = Ids()
        self.now = timezone.now()
        self.codes: set[str] = set()

    # --- the whole data set ---

    def run(self) -> Dataset:
        check_columns()
        started = datetime.datetime.now()
        province_official = User.objects.create(
            username=PROVINCE_USERNAME,
            full_name="Cán bộ cấp tỉnh (bench)",
            role=Role.OFFICIAL,
            centre=None,
        )
        province_official.set_unusable_password()
        province_official.save(update_fields=["password"])
        # The all-centres report is printed only under the body that issues it.
        ReportIssuer.objects.create(
            parent_body="Tỉnh ủy (bench)",
            name="Ban Tuyên giáo và Dân vận",
            short_name="BTGDVTU",
            place_name="Tỉnh (bench)",
            recipients="Ban Thường vụ Tỉnh ủy",
            signer_title="K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
            signer_name="Người ký (bench)",
        )
        for index in range(1, self.scale.centres + 1):
            with transaction.atomic():
                self.write_centre(index)
            self.log(
                f"  trung tâm {index}/{self.scale.centres}: "
                f"{format_number(self.out.counts['lophoc.Enrolment'])} lượt ghi danh đến nay"
            )
        self.out.finish()
        dataset = Dataset(
            scale=self.scale.name,
            first_year=self.first_year,
            last_year=self.last_year,
            report_year=self.last_year - 1 if self.scale.years > 1 else self.last_year,
            counts=dict(self.out.counts),
        )
        dataset.seconds = (datetime.datetime.now() - started).total_seconds()
        return dataset

    # --- one centre ---

    def write_centre(self, index: int) -> None:
        rng = self.rng
        place = PLACES[(index - 1) % len(PLACES)]
        kind = "phường" if index % 3 == 0 else "xã"
        centre = Centre.objects.create(
            code=f"TT{index:02d}",
            name=f"Trung tâm Chính trị {kind} {place}"
            + (f" (số {index})" if index > len(PLACES) else ""),
            short_name="TTCT",
            parent_body=f"Đảng ủy {kind} {place}",
            supervising_committee=f"Ban Thường vụ Đảng ủy {kind} {place}",
            place_name=place,
        )
        director_name, _ = make_name(rng, male=True)
        Leader.objects.create(centre=centre, full_name=director_name, role=LeaderRole.DIRECTOR)
        staff = User.objects.create(
            username=STAFF_USERNAME.format(index=index),
            full_name=f"Cán bộ trung tâm {index} (bench)",
            role=Role.STAFF,
            centre=centre,
        )
        staff.set_unusable_password()
        staff.save(update_fields=["password"])
        install_standard_programs(centre=centre)
        programs = {p.code: p for p in centre.programs.prefetch_related("topics", "assessments")}

        units = [
            Unit(centre=centre, name=f"Xã {name}", kind=UnitKind.COMMUNE, is_served_commune=True)
            for name in PLACES
        ] + [
            Unit(centre=centre, name=f"Đảng ủy xã {name}", kind=UnitKind.PARTY_ORG)
            for name in PLACES
        ]
        units = Unit.objects.bulk_create(units)
        self.out.counts["trungtam.Centre"] += 1
        self.out.counts["hocvien.Unit"] += len(units)
        lecturers = Lecturer.objects.bulk_create(
            [
                Lecturer(
                    centre=centre,
                    full_name=make_name(rng, male=n % 2 == 0)[0],
                    kind=kind_,
                    position=LecturerPosition.LECTURER
                    if kind_ == LecturerKind.FULL_TIME
                    else LecturerPosition.OTHER,
                )
                for n, kind_ in enumerate(
                    [LecturerKind.FULL_TIME] * 4
                    + [LecturerKind.PART_TIME] * 4
                    + [LecturerKind.GUEST] * 4
                )
            ]
        )
        specs = self.class_specs(centre, index, programs)
        enrolments = sum(spec.trainees for spec in specs)
        people = self.write_trainees(
            centre, units, max(1, round(enrolments * self.scale.people_per_enrolment))
        )
        self.write_plans(centre, programs, staff)

        signer = (SIGNING_TITLES[LeaderRole.DIRECTOR], director_name)
        sequences: dict[int, int] = defaultdict(int)
        for spec in specs:
            self.write_class(centre, spec, people, lecturers, staff, signer, sequences)
        self.out.flush()
        CertificateCounter.objects.bulk_create(
            CertificateCounter(centre=centre, year=year, last_sequence=last)
            for year, last in sorted(sequences.items())
        )

    def class_specs(self, centre, index: int, programs) -> list[ClassSpec]:
        rng = self.rng
        specs = []
        for year in range(self.first_year, self.last_year + 1):
            codes = [code for code, count in PROGRAM_MIX for _ in range(count)]
            rng.shuffle(codes)
            statuses = [CourseStatus.CLOSED] * len(codes)
            if year == self.last_year:
                tail = [status for status, count in LAST_YEAR_OPEN for _ in range(count)]
            else:
                tail = [CourseStatus.CANCELLED] * EARLIER_YEAR_CANCELLED
            # The year's last classes are the ones still open; a cancelled one anywhere.
            statuses[len(codes) - len(tail) :] = tail
            seq: dict[str, int] = defaultdict(int)
            step = 330 / len(codes)
            for n, (code, status) in enumerate(zip(codes, statuses, strict=True)):
                program = programs[code]
                seq[code] += 1
                start = datetime.date(year, 1, 12) + datetime.timedelta(days=round(n * step))
                planned = status in (CourseStatus.CANCELLED, CourseStatus.PLANNED)
                specs.append(
                    ClassSpec(
                        program=program,
                        code=f"{code}-{seq[code]:02d}/{year}",
                        name=f"{PROGRAM_SPECS[code].class_name} khóa {seq[code]} năm {year}",
                        status=status,
                        start=start,
                        trainees=0
                        if planned
                        else self.scale.trainees_per_class + rng.randint(-8, 8),
                    )
                )
        if index == 1:
            program = programs["QLNN"]
            for n, bench in enumerate(BENCH_CLASSES):
                specs.append(
                    ClassSpec(
                        program=program,
                        code=bench_code(bench, self.last_year),
                        name=f"Lớp dùng để đo hiệu năng ({bench.key}) năm {self.last_year}",
                        status=bench.status,
                        start=datetime.date(self.last_year, 6, 1) + datetime.timedelta(days=7 * n),
                        trainees=bench.trainees,
                        assessments=BENCH_ASSESSMENTS,
                        all_pass=bench.all_pass,
                        capacity=IMPORT_CAPACITY if bench.key == "import" else 80,
                        bench=bench.key,
                    )
                )
        return specs

    # --- people ---

    def write_trainees(self, centre, units, count: int) -> list[Trainee]:
        rng = self.rng
        trainees = []
        for n in range(count):
            male = rng.random() < 0.5
            group = pick_ethnicity(rng) if rng.random() < 0.1 else None
            full_name, ethnicity = make_name(rng, male=male, group=group)
            born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(40 * 365))
            century_gender = (0 if born.year < 2000 else 2) + (0 if male else 1)
            unit = units[rng.randrange(len(units))]
            member = rng.random() < 0.45
            trainees.append(
                Trainee(
                    id=self.ids.next(Trainee),
                    centre=centre,
                    full_name=full_name,
                    date_of_birth=born,
                    gender=Gender.MALE if male else Gender.FEMALE,
                    ethnicity=ethnicity,
                    national_id=(
                        f"074{century_gender}{born.year % 100:02d}{n + 1:06d}"
                        if rng.random() < 0.85
                        else None
                    ),
                    is_party_member=member,
                    party_joined_on=(born + datetime.timedelta(days=25 * 365)) if member else None,
                    position=POSITIONS[rng.randrange(len(POSITIONS))],
                    unit=unit,
                    phone=f"09{rng.randrange(10**8):08d}",
                )
            )
        # The one write path of the data set through the model: it computes the name keys.
        Trainee.objects.bulk_create(trainees, batch_size=2000)
        self.out.counts["hocvien.Trainee"] += len(trainees)
        self.out.models.add(Trainee)  # explicit keys: its sequence is reset at the end too
        return trainees

    def write_plans(self, centre, programs, staff) -> None:
        counts = dict(PROGRAM_MIX)
        for year in range(self.first_year, self.last_year + 1):
            plan = AnnualPlan.objects.create(
                centre=centre,
                year=year,
                status=PlanStatus.APPROVED,
                approved_by=staff,
                approved_at=self.now,
                number=f"{year % 100}-KH/TTCT",
                issued_on=datetime.date(year - 1, 12, 20),
            )
            PlanTarget.objects.bulk_create(
                PlanTarget(
                    plan=plan,
                    program=programs[code],
                    planned_classes=count,
                    planned_trainees=count * self.scale.trainees_per_class,
                )
                for code, count in counts.items()
            )

    # --- one class ---

    def write_class(self, centre, spec: ClassSpec, people, lecturers, staff, signer, sequences):
        rng, out, ids = self.rng, self.out, self.ids
        program = spec.program
        plan = _sessions_plan(spec.start, program.default_periods)
        end = plan[-1][0]
        course_id = ids.next(Course)
        created = timezone.make_aware(datetime.datetime.combine(spec.start, datetime.time(8)))
        out.add(
            Course,
            [
                (
                    course_id,
                    centre.pk,
                    program.pk,
                    spec.code,
                    spec.name,
                    spec.start,
                    end,
                    "Hội trường trung tâm",
                    spec.capacity,
                    spec.status,
                    program.partner_name,
                    program.is_assessed,
                    program.certificate_issuer,
                    program.absence_limit_percent,
                    "",
                    created - datetime.timedelta(days=30),
                )
            ],
        )
        self.write_status_changes(course_id, spec.status, created, end, staff)

        # Topics as the program has them; sessions walk through them by periods.
        topics = []
        for topic in program.topics.all():
            topics.append((ids.next(Topic), course_id, topic.order, topic.title, topic.periods))
        out.add(Topic, topics)
        topic_ends = []
        total = 0
        for topic in topics:
            total += topic[4]
            topic_ends.append((total, topic[0]))
        sessions = []
        taught = 0
        for n, (day, part, periods) in enumerate(plan):
            taught += periods
            topic_id = next((tid for limit, tid in topic_ends if taught <= limit), None)
            kind = SessionKind.LECTURE if topic_id else SessionKind.EXAM
            start_time, end_time = PART_TIMES[part]
            lecturer = lecturers[(course_id + n // 2) % len(lecturers)]
            sessions.append(
                (
                    ids.next(Session),
                    course_id,
                    day,
                    part,
                    start_time,
                    end_time,
                    topic_id,
                    lecturer.pk,
                    "Phòng 1",
                    periods,
                    kind,
                )
            )
        out.add(Session, sessions)

        assessed = program.is_assessed or bool(spec.assessments)
        specs = spec.assessments or tuple(
            (a.name, a.weight, a.is_final) for a in program.assessments.all()
        )
        assessments = []
        if assessed:
            for order, (name, weight, is_final) in enumerate(specs, start=1):
                assessments.append(
                    (
                        ids.next(Assessment),
                        course_id,
                        order,
                        name,
                        weight,
                        is_final,
                        False,
                        None,
                        None,
                        None,
                        None,
                        "",
                    )
                )
            out.add(Assessment, assessments)
        if not spec.trainees:
            return

        status = spec.status
        recorded = (
            len(sessions)
            if status in (CourseStatus.GRADING, CourseStatus.CLOSED)
            else (len(sessions) // 2 if status == CourseStatus.IN_PROGRESS else 0)
        )
        graded = status in (CourseStatus.GRADING, CourseStatus.CLOSED)
        closed = status == CourseStatus.CLOSED
        scheduled = sum(s[9] for s in sessions)
        enrolled_at = timezone.make_aware(
            datetime.datetime.combine(spec.start - datetime.timedelta(days=10), datetime.time(9))
        )
        closed_at = timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=5), datetime.time(15))
        )
        scored_at = closed_at - datetime.timedelta(days=2)
        issued_on = end + datetime.timedelta(days=7)
        certified = closed and program.certificate_issuer == CertificateIssuer.CENTRE
        sentence = completion_text(
            wording_for(program),
            program_name=program.name,
            course_name=spec.name,
            place="Hội trường trung tâm",
            start=spec.start,
            end=end,
        )

        chosen = rng.sample(people, spec.trainees)
        chosen.sort(key=lambda t: (t.sort_key, t.pk))
        enrolment_rows, history_rows, attendance_rows, score_rows, score_history = (
            [],
            [],
            [],
            [],
            [],
        )
        certificate_rows = []
        for trainee in chosen:
            enrolment_id = ids.next(Enrolment)
            state = EnrolmentStatus.ACTIVE
            reason = ""
            if graded and not spec.bench:  # the bench's own classes: everyone stays
                roll = rng.random()
                if roll < 0.015:
                    state, reason = EnrolmentStatus.WITHDRAWN, "Chuyển công tác"
                elif roll < 0.02:
                    state = EnrolmentStatus.ABSENT_FINAL
                elif roll < 0.025:
                    state, reason = EnrolmentStatus.NOT_ELIGIBLE, "Vắng quá số tiết quy định"
            # Absences: most never miss a session, a few miss one or two, some miss a third.
            absent_sessions: set[int] = set()
            if recorded and not spec.all_pass:
                roll = rng.random()
                if state == EnrolmentStatus.WITHDRAWN:
                    absent_sessions = set(range(recorded // 2, recorded))
                elif roll < 0.16:
                    absent_sessions = {rng.randrange(recorded)}
                elif roll < 0.19:
                    absent_sessions = set(rng.sample(range(recorded), min(2, recorded)))
                elif roll < 0.2:
                    absent_sessions = set(rng.sample(range(recorded), math.ceil(recorded / 3)))
            absent = excused = 0
            for n in range(recorded):
                session = sessions[n]
                att_status = AttendanceStatus.PRESENT
                if n in absent_sessions:
                    excused_here = state != EnrolmentStatus.WITHDRAWN and rng.random() < 0.6
                    att_status = (
                        AttendanceStatus.EXCUSED if excused_here else AttendanceStatus.UNEXCUSED
                    )
                    absent += session[9]
                    excused += session[9] if excused_here else 0
                attendance_rows.append(
                    (ids.next(Attendance), session[0], enrolment_id, att_status, False, "")
                )

            # Scores of the active trainees, then the result closing computes (lophoc.results).
            effective = {}
            if graded and assessed and state == EnrolmentStatus.ACTIVE:
                ability = rng.gauss(7.6, 0.9) if not spec.all_pass else rng.uniform(6.5, 9.5)
                for assessment in assessments:
                    value = _score(rng, ability)
                    if spec.all_pass:
                        value = max(value, Decimal("5.00"))
                    effective[assessment[0]] = value
                    score_id = ids.next(Score)
                    row = (
                        score_id,
                        enrolment_id,
                        assessment[0],
                        value,
                        None,
                        1,
                        staff.pk,
                        scored_at,
                    )
                    score_rows.append(row)
                    score_history.append(
                        (
                            score_id,
                            value,
                            None,
                            1,
                            scored_at,
                            enrolment_id,
                            assessment[0],
                            staff.pk,
                            ids.next(HistoricalScore),
                            scored_at,
                            None,
                            "+",
                            staff.pk,
                        )
                    )
            result = None
            if closed:
                eligible = state != EnrolmentStatus.NOT_ELIGIBLE and is_eligible(
                    absent_periods=absent,
                    scheduled_periods=scheduled,
                    limit_percent=program.absence_limit_percent,
                )
                if state in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ABSENT_FINAL):
                    result = (None, "", eligible, False)
                else:
                    computed = result_for(
                        assessed=assessed,
                        eligible=eligible,
                        scores=[(a[4], effective.get(a[0])) for a in assessments],
                    )
                    result = (
                        computed.final_score,
                        computed.classification,
                        computed.is_eligible,
                        computed.passed,
                    )
            final_score, classification, eligible_value, passed = result or (None, "", None, None)
            unit_id = trainee.unit_id
            row = (
                enrolment_id,
                course_id,
                trainee.pk,
                unit_id,
                trainee.position,
                state,
                reason,
                enrolled_at,
                scheduled,
                absent,
                excused,
                final_score,
                classification,
                eligible_value,
                passed,
                closed_at if closed else None,
            )
            enrolment_rows.append(row)
            # History as the product writes it: created by the import, then stored at closing.
            history_rows.append(
                (
                    enrolment_id,
                    trainee.position,
                    EnrolmentStatus.ACTIVE,
                    "",
                    enrolled_at,
                    0,
                    0,
                    0,
                    None,
                    "",
                    None,
                    None,
                    None,
                    course_id,
                    trainee.pk,
                    unit_id,
                    ids.next(HistoricalEnrolment),
                    enrolled_at,
                    None,
                    "+",
                    staff.pk,
                )
            )
            if closed:
                history_rows.append(
                    (
                        enrolment_id,
                        trainee.position,
                        state,
                        reason,
                        enrolled_at,
                        scheduled,
                        absent,
                        excused,
                        final_score,
                        classification,
                        eligible_value,
                        passed,
                        closed_at,
                        course_id,
                        trainee.pk,
                        unit_id,
                        ids.next(HistoricalEnrolment),
                        closed_at,
                        CLOSE_REASON,
                        "~",
                        staff.pk,
                    )
                )
            if certified and passed and state != EnrolmentStatus.WITHDRAWN:
                year = issued_on.year
                sequences[year] += 1
                seq = sequences[year]
                code = new_verification_code()
                while code in self.codes:
                    code = new_verification_code()
                self.codes.add(code)
                certificate_rows.append(
                    (
                        ids.next(Certificate),
                        centre.pk,
                        enrolment_id,
                        course_id,
                        year,
                        seq,
                        number_text(centre, seq=seq, year=year),
                        register_number_text(seq=seq, year=year),
                        issued_on,
                        code,
                        CertificateStatus.VALID,
                        signer[0],
                        signer[1],
                        trainee.full_name,
                        trainee.date_of_birth,
                        trainee.unit.name if trainee.unit else "",
                        spec.code,
                        spec.name,
                        program.name,
                        spec.start,
                        end,
                        salutation_for(trainee),
                        sentence,
                        final_score,
                        classification,
                        centre.certificate_layout_version,
                        None,
                        "",
                        "",
                        None,
                        None,
                        staff.pk,
                        closed_at,
                    )
                )
        out.add(Enrolment, enrolment_rows)
        out.add(HistoricalEnrolment, history_rows)
        out.add(Attendance, attendance_rows)
        out.add(Score, score_rows)
        out.add(HistoricalScore, score_history)
        out.add(Certificate, certificate_rows)

    def write_status_changes(self, course_id, status, created, end, staff) -> None:
        flow = [
            CourseStatus.PLANNED,
            CourseStatus.ENROLLING,
            CourseStatus.IN_PROGRESS,
            CourseStatus.GRADING,
            CourseStatus.CLOSED,
        ]
        if status == CourseStatus.CANCELLED:
            steps = [(CourseStatus.PLANNED, CourseStatus.CANCELLED)]
        else:
            reached = flow[: flow.index(status) + 1]
            steps = list(zip(reached, reached[1:], strict=False))
        rows = []
        for n, (old, new) in enumerate(steps):
            rows.append(
                (
                    self.ids.next(CourseStatusChange),
                    course_id,
                    old,
                    new,
                    "Không mở được lớp" if new == CourseStatus.CANCELLED else "",
                    staff.pk,
                    created + datetime.timedelta(days=7 * n),
                )
            )
        self.out.add(CourseStatusChange, rows)


def generate(scale_name: str, *, last_year: int, log=print) -> Dataset:
    """Write the data set of `scale_name` into the (empty, migrated) current database."""
    return Generator(SCALES[scale_name], last_year=last_year, log=log).run()

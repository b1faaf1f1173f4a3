"""The benchmark's own data set, written in bulk into an empty bench database.

`province`: 20 centres × 10 years × 35 classes × about 80 trainees (≈ 560.000 enrolments) with
sessions, attendance, scores, stored absence figures and results, certificates, plans, status
changes and the history rows the class page reads. `small`: one centre, one year, same shape.

Every row is built by keyword with the row builders the demo and the tests use
(`trungtam.devtools.rows`). Only the people (units, lecturers, trainees) go through
`NormalizedQuerySet.bulk_create`, which computes their search and sort keys. The big tables
(classes, enrolments, attendance, scores, certificates, history) are never saved one by one: their
unsaved instances go to `RowWriter` (COPY on PostgreSQL, executemany on SQLite). Every stored
figure is computed with the product's own rules (`lophoc.results`), from the very attendance and
scores written, so the data set is what the product itself would have stored.

Centre 1 also gets six dedicated classes in the last year (codes BENCH-…), one per job that
reads or writes a whole class, so that the jobs measure the same thing every time, and the sending
units online (`trungtam.devtools.bench.online`): a unit liaison's login, a call for nominees for
its class BENCH-CHIEUSINH and next year's needs survey. Every centre has an agency under each of
its communes.
"""

import datetime
import itertools
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from danhgia.evaluations import STANDARD_QUESTIONS, answer_sums
from danhgia.models import EvaluationAnswer, EvaluationMark, EvaluationTally, Question
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
from trungtam.devtools.bench.online import agencies_under_communes, write_units_online
from trungtam.devtools.bench.writer import (
    HistoricalEnrolment,
    HistoricalScore,
    Ids,
    RowWriter,
    history_row,
)
from trungtam.devtools.demo.names import make_name, pick_ethnicity
from trungtam.devtools.rows import (
    new_assessment,
    new_attendance,
    new_centre,
    new_course,
    new_enrolment,
    new_lecturer,
    new_report_issuer,
    new_score,
    new_session,
    new_topic,
    new_trainee,
    new_unit,
    new_user,
    program_settings,
)
from trungtam.documents.numbers import format_number
from trungtam.models import SIGNING_TITLES, Leader, LeaderRole, Role, User
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget

# The trainees' evaluation (issue 17): the share of closed classes evaluated, and the marks.
EVALUATED_SHARE = 0.4
EVALUATION_MARKS = (5, 5, 4, 4, 4, 4, 3, 3, 2, None)

# Bump when the generator changes what it writes: a data set made by another version is rebuilt.
# 4: the province-level issuer of the all-centres report.
# 5: the sending units online (issue 16): agencies under the communes, a unit liaison, a call for
#    nominees and a needs survey in centre 1.
# (The evaluation's tallies are written too, the same rows migration danhgia.0002 builds for a
# data set of version 5 when it is reused: no bump.)
GENERATOR_VERSION = 5
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
VENUE = "Hội trường trung tâm"
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
GRADED = (CourseStatus.GRADING, CourseStatus.CLOSED)


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
    BenchClass("call", "CHIEUSINH", CourseStatus.ENROLLING, 0),
)


def bench_class(key: str) -> BenchClass:
    return next(bench for bench in BENCH_CLASSES if bench.key == key)


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


@dataclass
class ClassRows:
    """One class being written: what its trainees' rows refer to, and those rows, added to the
    writer after the last trainee (enrolments before what refers to them)."""

    spec: ClassSpec
    course: Course
    sessions: list
    assessments: list
    staff: User
    signer: tuple[str, str]
    assessed: bool
    recorded: int  # sessions whose attendance is taken so far
    scheduled: int  # periods of the whole timetable
    enrolled_at: datetime.datetime
    closed_at: datetime.datetime
    scored_at: datetime.datetime
    issued_on: datetime.date
    completion_text: str
    enrolments: list = field(default_factory=list)
    enrolment_history: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    score_history: list = field(default_factory=list)
    certificates: list = field(default_factory=list)

    @classmethod
    def start(cls, course, spec: ClassSpec, sessions, assessments, *, staff, signer):
        program, end = spec.program, course.end_date
        graded = spec.status in GRADED
        in_progress = spec.status == CourseStatus.IN_PROGRESS
        closed_at = timezone.make_aware(
            datetime.datetime.combine(end + datetime.timedelta(days=5), datetime.time(15))
        )
        return cls(
            spec=spec,
            course=course,
            sessions=sessions,
            assessments=assessments,
            staff=staff,
            signer=signer,
            assessed=program.is_assessed or bool(spec.assessments),
            recorded=len(sessions) if graded else (len(sessions) // 2 if in_progress else 0),
            scheduled=sum(session.periods for session in sessions),
            enrolled_at=timezone.make_aware(
                datetime.datetime.combine(
                    spec.start - datetime.timedelta(days=10), datetime.time(9)
                )
            ),
            closed_at=closed_at,
            scored_at=closed_at - datetime.timedelta(days=2),
            issued_on=end + datetime.timedelta(days=7),
            completion_text=completion_text(
                wording_for(program),
                program_name=program.name,
                course_name=spec.name,
                place=VENUE,
                start=spec.start,
                end=end,
            ),
        )

    @property
    def graded(self) -> bool:
        return self.spec.status in GRADED

    @property
    def closed(self) -> bool:
        return self.spec.status == CourseStatus.CLOSED

    @property
    def certified(self) -> bool:
        return self.closed and self.spec.program.certificate_issuer == CertificateIssuer.CENTRE

    def add_to(self, out: RowWriter) -> None:
        out.add(Enrolment, self.enrolments)
        out.add(HistoricalEnrolment, self.enrolment_history)
        out.add(Attendance, self.attendance)
        out.add(Score, self.scores)
        out.add(HistoricalScore, self.score_history)
        out.add(Certificate, self.certificates)


class Generator:
    def __init__(self, scale: Scale, *, last_year: int, log=print):
        self.scale = scale
        self.last_year = last_year
        self.first_year = last_year - scale.years + 1
        self.log = log
        self.rng = random.Random(SEED)
        self.out = RowWriter()
        self.ids = Ids()
        self.evaluation_questions: dict[int, list] = {}
        self.now = timezone.now()
        self.codes: set[str] = set()

    # --- the whole data set ---

    def run(self) -> Dataset:
        started = datetime.datetime.now()
        new_user(
            username=PROVINCE_USERNAME,
            full_name="Cán bộ cấp tỉnh (bench)",
            role=Role.OFFICIAL,
            centre=None,
        ).save()
        # The all-centres report is printed only under the body that issues it.
        new_report_issuer(
            parent_body="Tỉnh ủy (bench)",
            name="Ban Tuyên giáo và Dân vận",
            short_name="BTGDVTU",
            place_name="Tỉnh (bench)",
            addressee="",
            recipients="Ban Thường vụ Tỉnh ủy",
            signer_title="K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN",
            signer_name="Người ký (bench)",
        ).save()
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
        centre = new_centre(
            code=f"TT{index:02d}",
            name=f"Trung tâm Chính trị {kind} {place}"
            + (f" (số {index})" if index > len(PLACES) else ""),
            short_name="TTCT",
            parent_body=f"Đảng ủy {kind} {place}",
            supervising_committee=f"Ban Thường vụ Đảng ủy {kind} {place}",
            place_name=place,
        )
        centre.save()
        director_name, _ = make_name(rng, male=True)
        Leader.objects.create(centre=centre, full_name=director_name, role=LeaderRole.DIRECTOR)
        staff = new_user(
            username=STAFF_USERNAME.format(index=index),
            full_name=f"Cán bộ trung tâm {index} (bench)",
            role=Role.STAFF,
            centre=centre,
        )
        staff.save()
        install_standard_programs(centre=centre)
        programs = {p.code: p for p in centre.programs.prefetch_related("topics", "assessments")}

        units = [
            new_unit(
                centre=centre, name=f"Xã {name}", kind=UnitKind.COMMUNE, is_served_commune=True
            )
            for name in PLACES
        ] + [
            new_unit(centre=centre, name=f"Đảng ủy xã {name}", kind=UnitKind.PARTY_ORG)
            for name in PLACES
        ]
        units = Unit.objects.bulk_create(units)
        self.out.counts["trungtam.Centre"] += 1
        self.out.counts["hocvien.Unit"] += len(units)
        lecturers = Lecturer.objects.bulk_create(
            [
                new_lecturer(
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
        # After the people are drawn, so that they are the same as without them.
        communes = [unit for unit in units if unit.kind == UnitKind.COMMUNE]
        self.out.counts["hocvien.Unit"] += len(agencies_under_communes(centre, communes))
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
        if index == 1:
            call_course = Course.objects.get(
                centre=centre, code=bench_code(bench_class("call"), self.last_year)
            )
            online = write_units_online(
                centre,
                units=units,
                staff=staff,
                call_course=call_course,
                programs=sorted(programs.values(), key=lambda p: p.pk),
            )
            self.out.counts["chieusinh.CallQuota"] += online.quotas
            self.out.counts["chieusinh.CallAnswerLine"] += online.answer_lines
            self.out.counts["khaosat.SurveyAnswer"] += online.survey_answers
            self.out.counts["khaosat.SurveyLine"] += online.survey_lines

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
                new_trainee(
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
        """The class, its timetable and tests, then each trainee's enrolment, attendance, scores,
        result and certificate, as the product would have stored them."""
        timetable = _sessions_plan(spec.start, spec.program.default_periods)
        course = self.write_course(centre, spec, end=timetable[-1][0], staff=staff)
        sessions = self.write_sessions(course, timetable, lecturers)
        assessments = self.write_assessments(course, spec)
        if not spec.trainees:
            return
        rows = ClassRows.start(course, spec, sessions, assessments, staff=staff, signer=signer)
        chosen = self.rng.sample(people, spec.trainees)
        chosen.sort(key=lambda t: (t.sort_key, t.pk))
        for trainee in chosen:
            self.write_enrolment(rows, trainee, sequences)
        rows.add_to(self.out)
        self.write_evaluations(course, sessions, spec.trainees)

    # --- the trainees' evaluation (issue 17): a share of the closed classes was evaluated ---

    def write_evaluations(self, course: Course, sessions, trainees: int) -> None:
        if course.status != CourseStatus.CLOSED or self.rng.random() > EVALUATED_SHARE:
            return
        questions = self.evaluation_questions.get(course.centre_id)
        if questions is None:
            questions = [
                Question(
                    id=self.ids.next(Question),
                    centre_id=course.centre_id,
                    group=group,
                    text=text,
                    order=order,
                    active=True,
                )
                for group, texts in STANDARD_QUESTIONS.items()
                for order, text in enumerate(texts, start=1)
            ]
            self.out.add(Question, questions)
            self.evaluation_questions[course.centre_id] = questions
        lecturers = sorted({s.lecturer_id for s in sessions if s.lecturer_id})
        answers, marks = [], []
        sums: dict = {}  # (group, lecturer) → [answers, total, marks], as evaluations._tally adds
        for _ in range(int(trainees * 0.8)):
            answer = EvaluationAnswer(
                id=self.ids.next(EvaluationAnswer),
                course=course,
                answered_on=course.end_date,
                on_paper=False,
                comments="",
            )
            answers.append(answer)
            given = []
            for question in questions:
                for lecturer_id in lecturers if question.group == "lecturer" else [None]:
                    value = self.rng.choice(EVALUATION_MARKS)
                    marks.append(
                        EvaluationMark(
                            id=self.ids.next(EvaluationMark),
                            answer=answer,
                            question=question,
                            group=question.group,
                            question_text=question.text,
                            lecturer_id=lecturer_id,
                            value=value,
                        )
                    )
                    given.append((question.group, lecturer_id, value))
            for key, (total, count) in answer_sums(given).items():
                entry = sums.setdefault(key, [0, 0, 0])
                entry[0] += 1
                entry[1] += total
                entry[2] += count
        self.out.add(EvaluationAnswer, answers)
        self.out.add(EvaluationMark, marks)
        self.out.add(
            EvaluationTally,
            [
                EvaluationTally(
                    id=self.ids.next(EvaluationTally),
                    course=course,
                    group=group,
                    lecturer_id=lecturer_id,
                    answers=answered,
                    total=total,
                    marks=count,
                )
                for (group, lecturer_id), (answered, total, count) in sums.items()
            ],
        )

    def write_course(self, centre, spec: ClassSpec, *, end, staff) -> Course:
        created = timezone.make_aware(datetime.datetime.combine(spec.start, datetime.time(8)))
        course = new_course(
            id=self.ids.next(Course),
            centre=centre,
            program=spec.program,
            code=spec.code,
            name=spec.name,
            start_date=spec.start,
            end_date=end,
            venue=VENUE,
            capacity=spec.capacity,
            status=spec.status,
            **program_settings(spec.program),
            notes="",
            created_at=created - datetime.timedelta(days=30),
        )
        self.out.add(Course, [course])
        self.write_status_changes(course, created, staff)
        return course

    def write_status_changes(self, course: Course, created, staff) -> None:
        flow = [
            CourseStatus.PLANNED,
            CourseStatus.ENROLLING,
            CourseStatus.IN_PROGRESS,
            CourseStatus.GRADING,
            CourseStatus.CLOSED,
        ]
        if course.status == CourseStatus.CANCELLED:
            steps = [(CourseStatus.PLANNED, CourseStatus.CANCELLED)]
        else:
            reached = flow[: flow.index(course.status) + 1]
            steps = list(zip(reached, reached[1:], strict=False))
        changes = [
            CourseStatusChange(
                id=self.ids.next(CourseStatusChange),
                course=course,
                old_status=old,
                new_status=new,
                reason="Không mở được lớp" if new == CourseStatus.CANCELLED else "",
                user=staff,
                created_at=created + datetime.timedelta(days=7 * n),
            )
            for n, (old, new) in enumerate(steps)
        ]
        self.out.add(CourseStatusChange, changes)

    def write_sessions(self, course: Course, timetable, lecturers) -> list[Session]:
        """The program's topics, then the half-day sessions walking through them by periods;
        the periods left after the last topic are the tests."""
        topics = [
            new_topic(
                id=self.ids.next(Topic),
                course=course,
                order=topic.order,
                title=topic.title,
                periods=topic.periods,
            )
            for topic in course.program.topics.all()
        ]
        self.out.add(Topic, topics)
        topic_ends = list(zip(itertools.accumulate(t.periods for t in topics), topics, strict=True))
        sessions = []
        taught = 0
        for n, (day, part, periods) in enumerate(timetable):
            taught += periods
            topic = next((t for last, t in topic_ends if taught <= last), None)
            start_time, end_time = PART_TIMES[part]
            sessions.append(
                new_session(
                    id=self.ids.next(Session),
                    course=course,
                    date=day,
                    part=part,
                    start_time=start_time,
                    end_time=end_time,
                    topic=topic,
                    lecturer=lecturers[(course.pk + n // 2) % len(lecturers)],
                    room="Phòng 1",
                    periods=periods,
                    kind=SessionKind.LECTURE if topic is not None else SessionKind.EXAM,
                )
            )
        self.out.add(Session, sessions)
        return sessions

    def write_assessments(self, course: Course, spec: ClassSpec) -> list[Assessment]:
        """The class's own tests (the bench classes') or the program's; none if not assessed."""
        program = spec.program
        if not (program.is_assessed or spec.assessments):
            return []
        tests = spec.assessments or tuple(
            (a.name, a.weight, a.is_final) for a in program.assessments.all()
        )
        assessments = [
            new_assessment(
                id=self.ids.next(Assessment),
                course=course,
                order=order,
                name=name,
                weight=weight,
                is_final=is_final,
            )
            for order, (name, weight, is_final) in enumerate(tests, start=1)
        ]
        self.out.add(Assessment, assessments)
        return assessments

    # --- one trainee of a class ---

    def write_enrolment(self, rows: ClassRows, trainee: Trainee, sequences) -> None:
        enrolment = new_enrolment(
            id=self.ids.next(Enrolment),
            course=rows.course,
            trainee=trainee,
            unit_id=trainee.unit_id,
            position=trainee.position,
            enrolled_at=rows.enrolled_at,
        )
        # History as the product writes it: created by the import, then stored at closing.
        rows.enrolment_history.append(
            self.history(HistoricalEnrolment, enrolment, date=rows.enrolled_at, kind="+", rows=rows)
        )
        enrolment.status, enrolment.status_reason = self.enrolment_status(rows)
        self.write_attendance(rows, enrolment)
        effective = self.write_scores(rows, enrolment)
        if rows.closed:
            self.store_result(rows, enrolment, effective)
            rows.enrolment_history.append(
                self.history(
                    HistoricalEnrolment,
                    enrolment,
                    date=rows.closed_at,
                    kind="~",
                    rows=rows,
                    reason=CLOSE_REASON,
                )
            )
        rows.enrolments.append(enrolment)
        if rows.certified and enrolment.passed and enrolment.status != EnrolmentStatus.WITHDRAWN:
            rows.certificates.append(self.certificate(rows, enrolment, trainee, sequences))

    def enrolment_status(self, rows: ClassRows) -> tuple[str, str]:
        """A few trainees of a graded class leave, miss the final test or miss too much."""
        if not rows.graded or rows.spec.bench:  # the bench's own classes: everyone stays
            return EnrolmentStatus.ACTIVE, ""
        roll = self.rng.random()
        if roll < 0.015:
            return EnrolmentStatus.WITHDRAWN, "Chuyển công tác"
        if roll < 0.02:
            return EnrolmentStatus.ABSENT_FINAL, ""
        if roll < 0.025:
            return EnrolmentStatus.NOT_ELIGIBLE, "Vắng quá số tiết quy định"
        return EnrolmentStatus.ACTIVE, ""

    def absent_sessions(self, rows: ClassRows, status: str) -> set[int]:
        """Most never miss a session, a few miss one or two, some miss a third."""
        recorded = rows.recorded
        if not recorded or rows.spec.all_pass:
            return set()
        roll = self.rng.random()
        if status == EnrolmentStatus.WITHDRAWN:
            return set(range(recorded // 2, recorded))
        if roll < 0.16:
            return {self.rng.randrange(recorded)}
        if roll < 0.19:
            return set(self.rng.sample(range(recorded), min(2, recorded)))
        if roll < 0.2:
            return set(self.rng.sample(range(recorded), math.ceil(recorded / 3)))
        return set()

    def write_attendance(self, rows: ClassRows, enrolment: Enrolment) -> None:
        """Every recorded session, and the absence figures stored on the enrolment."""
        absent_sessions = self.absent_sessions(rows, enrolment.status)
        absent = excused = 0
        for n, session in enumerate(rows.sessions[: rows.recorded]):
            status = AttendanceStatus.PRESENT
            if n in absent_sessions:
                excused_here = (
                    enrolment.status != EnrolmentStatus.WITHDRAWN and self.rng.random() < 0.6
                )
                status = AttendanceStatus.EXCUSED if excused_here else AttendanceStatus.UNEXCUSED
                absent += session.periods
                excused += session.periods if excused_here else 0
            rows.attendance.append(
                new_attendance(
                    id=self.ids.next(Attendance),
                    session=session,
                    enrolment=enrolment,
                    status=status,
                    made_up=False,
                    note="",
                )
            )
        enrolment.scheduled_periods = rows.scheduled
        enrolment.absent_periods = absent
        enrolment.excused_periods = excused

    def write_scores(self, rows: ClassRows, enrolment: Enrolment) -> dict[int, Decimal]:
        """The scores of an active trainee of a graded class: assessment id → score."""
        effective = {}
        if not (rows.graded and rows.assessed and enrolment.status == EnrolmentStatus.ACTIVE):
            return effective
        all_pass = rows.spec.all_pass
        ability = self.rng.gauss(7.6, 0.9) if not all_pass else self.rng.uniform(6.5, 9.5)
        for assessment in rows.assessments:
            value = _score(self.rng, ability)
            if all_pass:
                value = max(value, Decimal("5.00"))
            effective[assessment.pk] = value
            score = new_score(
                id=self.ids.next(Score),
                enrolment=enrolment,
                assessment=assessment,
                score=value,
                retake_score=None,
                version=1,
                updated_by=rows.staff,
                updated_at=rows.scored_at,
            )
            rows.scores.append(score)
            rows.score_history.append(
                self.history(HistoricalScore, score, date=rows.scored_at, kind="+", rows=rows)
            )
        return effective

    def store_result(self, rows: ClassRows, enrolment: Enrolment, effective) -> None:
        """The result closing computes and stores (`lophoc.results`)."""
        eligible = enrolment.status != EnrolmentStatus.NOT_ELIGIBLE and is_eligible(
            absent_periods=enrolment.absent_periods,
            scheduled_periods=rows.scheduled,
            limit_percent=rows.spec.program.absence_limit_percent,
        )
        if enrolment.status in (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.ABSENT_FINAL):
            enrolment.is_eligible, enrolment.passed = eligible, False
        else:
            result = result_for(
                assessed=rows.assessed,
                eligible=eligible,
                scores=[(a.weight, effective.get(a.pk)) for a in rows.assessments],
            )
            enrolment.final_score = result.final_score
            enrolment.classification = result.classification
            enrolment.is_eligible = result.is_eligible
            enrolment.passed = result.passed
        enrolment.result_computed_at = rows.closed_at

    def certificate(self, rows: ClassRows, enrolment, trainee, sequences) -> Certificate:
        """The certificate the centre issues a week after the class, numbered in its year."""
        course, spec = rows.course, rows.spec
        centre = course.centre
        year = rows.issued_on.year
        sequences[year] += 1
        seq = sequences[year]
        code = new_verification_code()
        while code in self.codes:
            code = new_verification_code()
        self.codes.add(code)
        return Certificate(
            id=self.ids.next(Certificate),
            centre=centre,
            enrolment=enrolment,
            course=course,
            year=year,
            sequence=seq,
            number=number_text(centre, seq=seq, year=year),
            register_number=register_number_text(seq=seq, year=year),
            issued_on=rows.issued_on,
            verification_code=code,
            status=CertificateStatus.VALID,
            signer_title=rows.signer[0],
            signer_name=rows.signer[1],
            full_name=trainee.full_name,
            date_of_birth=trainee.date_of_birth,
            unit_name=trainee.unit.name if trainee.unit else "",
            course_code=spec.code,
            course_name=spec.name,
            program_name=spec.program.name,
            course_start=spec.start,
            course_end=course.end_date,
            salutation=salutation_for(trainee),
            completion_text=rows.completion_text,
            final_score=enrolment.final_score,
            classification=enrolment.classification,
            layout_version=centre.certificate_layout_version,
            replaces=None,
            reissue_reason="",
            void_reason="",
            voided_at=None,
            voided_by=None,
            issued_by=rows.staff,
            created_at=rows.closed_at,
        )

    def history(self, model, obj, *, date, kind: str, rows: ClassRows, reason=None):
        return history_row(
            model,
            obj,
            history_id=self.ids.next(model),
            date=date,
            kind=kind,
            user_id=rows.staff.pk,
            reason=reason,
        )


def generate(scale_name: str, *, last_year: int, log=print) -> Dataset:
    """Write the data set of `scale_name` into the (empty, migrated) current database."""
    return Generator(SCALES[scale_name], last_year=last_year, log=log).run()

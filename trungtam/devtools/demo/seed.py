"""Writes the demo data set of DESIGN §9: two centres over this year and last year.

`builder.py` plans each centre in memory; this module writes it, one transaction per centre. Big
tables go in with `bulk_create`, whose NormalizedQuerySet keeps names NFC and sort keys right.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from giangvien.models import Lecturer
from hocvien.models import Trainee, Unit, UnitAccount
from lophoc.catalogue import install_standard_programs
from lophoc.certificates import certificate_reissue, certificates_issue
from lophoc.closing import course_close
from lophoc.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    CertificateIssuer,
    CourseStatusChange,
    Enrolment,
    Score,
    Session,
    SessionPart,
    Topic,
    Venue,
)
from trungtam.devtools.rows import (
    new_assessment,
    new_attendance,
    new_centre,
    new_course,
    new_enrolment,
    new_lecturer,
    new_score,
    new_session,
    new_topic,
    new_trainee,
    new_unit,
    new_user,
    program_settings,
)
from trungtam.models import Centre, Holiday, Leader, LeaderRole, User
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget, YearlyReport
from trungtam.reports.yearly import (
    CAUSES_PLACEHOLDER,
    live_content,
    report_for,
    report_save,
    report_send,
)

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from .builder import CentreBuilder
from .places import CENTRES, NEW, OLD, REORGANISATION
from .province import write_demo_province
from .quality import write_quality
from .scales import CANCELLED, CLOSED, ENROLLING, GRADING, PLANNED, SCALE_BY_NAME
from .units_online import write_units_online

# The centre whose units answer a call and a survey online (trungtam/devtools/demo/units_online.py).
UNITS_ONLINE_CENTRE = "PL"

PART_TIMES = {
    (SessionPart.MORNING, 4): (datetime.time(7, 30), datetime.time(11, 0)),
    (SessionPart.AFTERNOON, 4): (datetime.time(13, 30), datetime.time(17, 0)),
    (SessionPart.MORNING, 5): (datetime.time(7, 0), datetime.time(11, 15)),
    (SessionPart.AFTERNOON, 5): (datetime.time(13, 0), datetime.time(17, 15)),
}


class CentreWriter:
    def __init__(self, builder: CentreBuilder):
        self.b = builder
        self.spec = builder.spec

    def write(self) -> Centre:
        b, spec = self.b, self.spec
        centre = new_centre(
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent_body=spec.parent_body,
            supervising_committee=spec.supervising_committee,
            place_name=spec.place_name,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            document_layout=spec.document_layout,
            reorganised_on=spec.reorganised_on,
        )
        centre.save()
        Leader.objects.create(centre=centre, full_name=spec.director, role=LeaderRole.DIRECTOR)
        for deputy in spec.deputies:
            Leader.objects.create(centre=centre, full_name=deputy, role=LeaderRole.DEPUTY)
        Holiday.objects.bulk_create(
            Holiday(centre=centre, date=day, name=name) for day, name in b.holidays
        )
        install_standard_programs(centre=centre)
        # The centre's list of venues; every demo class takes its venue from it.
        Venue.objects.bulk_create(
            Venue(centre=centre, name=name) for name in demo_venue_names(spec)
        )
        programs = {p.code: p for p in centre.programs.all()}

        units = [
            new_unit(
                centre=centre,
                name=u.name,
                kind=u.kind,
                is_served_commune=u.served,
                address=u.address,
                active=u.era != OLD,
                merged_on=REORGANISATION if u.merged_into else None,
                notes=(
                    f"Sáp nhập vào {u.merged_into} từ ngày {REORGANISATION:%d/%m/%Y}."
                    if u.merged_into
                    else ("Thành lập từ ngày 01/07/2025." if u.era == NEW else "")
                ),
            )
            for u in b.units
        ]
        Unit.objects.bulk_create(
            [u for u, s in zip(units, b.units, strict=True) if not s.merged_into]
        )
        for unit, unit_spec in zip(units, b.units, strict=True):
            if unit_spec.merged_into:
                unit.merged_into = units[b.unit_index[unit_spec.merged_into]]
        Unit.objects.bulk_create([u for u, s in zip(units, b.units, strict=True) if s.merged_into])

        users = create_accounts(centre=centre)
        lecturers = [
            new_lecturer(
                centre=centre,
                full_name=lec.full_name,
                kind=lec.kind,
                position=lec.position,
                title=lec.title,
                political_theory_level=lec.political_theory_level,
                professional_level=lec.professional_level,
                qualifications=lec.qualifications,
                workplace=lec.workplace,
                phone=b._phone(),
                user=users.get(lec.account),
            )
            for lec in b.lecturers
        ]
        Lecturer.objects.bulk_create(lecturers)

        for person in b.people:
            person.trainee = new_trainee(
                centre=centre,
                full_name=person.full_name,
                date_of_birth=person.date_of_birth,
                gender=person.gender,
                ethnicity=person.ethnicity,
                religion=person.religion,
                national_id=person.national_id,
                is_party_member=person.is_party_member,
                party_joined_on=person.party_joined_on,
                position=person.position,
                unit=units[b.successor(person.unit)],
                phone=person.phone,
                hometown=person.hometown,
                education_level=person.education_level,
                political_theory_level=person.political_theory_level,
            )
        Trainee.objects.bulk_create([p.trainee for p in b.people], batch_size=500)

        self.write_courses(centre, programs, units, lecturers)
        self.write_plans(centre, programs, users.get("giamdoc"))
        write_demo_report(centre, self.b.year - 1, users.get("giamdoc") or staff_account(centre))
        if spec.code == UNITS_ONLINE_CENTRE:
            write_units_online(centre, b.today, staff_account(centre))
            write_quality(centre, b.today, staff_account(centre))
        return centre

    def write_courses(self, centre, programs, units, lecturers) -> None:
        b = self.b
        seqs = Counter()
        for plan in b.classes:
            seqs[(plan.year, plan.program)] += 1
            plan.seq = seqs[(plan.year, plan.program)]
        topics, assessments, sessions, enrolments = [], [], [], []
        for plan in b.classes:
            spec = plan.spec
            program = programs[plan.program]
            code = centre.course_code_pattern.format(
                program=program.code, seq=plan.seq, year=plan.year
            )
            if plan.program == "GVH":
                name = f"{spec.class_name} năm {plan.year}"
                if seqs[(plan.year, plan.program)] > 1:
                    name += f" (đợt {plan.seq})"
            else:
                name = f"{spec.class_name} khóa {plan.seq} năm {plan.year}"
            notes = ""
            if plan.status == CANCELLED:
                notes = b.rng.choice(
                    [
                        "Hủy lớp: không đủ số lượng học viên đăng ký.",
                        "Hủy lớp do trùng lịch hội nghị quán triệt nghị quyết của cấp trên; "
                        "học viên chuyển sang khóa sau.",
                    ]
                )
            settings = program_settings(program)
            settings["partner_name"] = settings["partner_name"] or b.spec.partner_for.get(
                plan.program, ""
            )
            plan.course = new_course(
                centre=centre,
                program=program,
                code=code,
                name=name,
                start_date=plan.start,
                end_date=plan.end,
                venue=demo_venue_name(b.spec, plan.room),
                capacity=80 if plan.target > 50 else 60,
                status=GRADING if plan.status == CLOSED else plan.status,
                **settings,
                notes=notes,
            )
            plan.course.save()
            plan_topics = {
                order: new_topic(course=plan.course, order=order, title=title, periods=periods)
                for order, (title, periods) in enumerate(spec.topics, start=1)
            }
            plan.topic_objs = plan_topics
            topics += plan_topics.values()
            plan.assessment_objs = [
                new_assessment(
                    course=plan.course,
                    order=index,
                    name=a.name,
                    weight=a.weight,
                    is_final=a.is_final,
                    has_retake=any(
                        e.scores.get(index - 1, (None, None))[1] is not None
                        for e in plan.enrolments
                    ),
                    grader=lecturers[plan.graders[index - 1]]
                    if plan.graders and plan.graders[index - 1] is not None
                    else None,
                )
                for index, a in enumerate(spec.assessments, start=1)
            ]
            assessments += plan.assessment_objs
        Topic.objects.bulk_create(topics, batch_size=500)
        Assessment.objects.bulk_create(assessments, batch_size=500)

        for plan in b.classes:
            size = max((slot.block.periods for slot in plan.slots), default=4)
            plan.session_objs = [
                new_session(
                    course=plan.course,
                    date=slot.date,
                    part=slot.part,
                    start_time=PART_TIMES.get((slot.part, size), (None, None))[0],
                    end_time=PART_TIMES.get((slot.part, size), (None, None))[1],
                    topic=plan.topic_objs.get(slot.block.topic),
                    lecturer=lecturers[slot.lecturer] if slot.lecturer is not None else None,
                    room=slot.room,
                    periods=slot.block.periods,
                    kind=slot.block.kind,
                )
                for slot in plan.slots
            ]
            sessions += plan.session_objs
        Session.objects.bulk_create(sessions, batch_size=1000)

        scheduled = {}
        for plan in b.classes:
            scheduled[id(plan)] = sum(slot.block.periods for slot in plan.slots)
            plan.enrolment_objs = []
            for e in plan.enrolments:
                # A made-up absence is recorded as attendance: only absences count.
                absent = sum(
                    plan.slots[i].block.periods
                    for i, (status, _, _) in e.absences.items()
                    if status != AttendanceStatus.PRESENT
                )
                excused = sum(
                    plan.slots[i].block.periods
                    for i, (status, _, _) in e.absences.items()
                    if status == AttendanceStatus.EXCUSED
                )
                obj = new_enrolment(
                    course=plan.course,
                    trainee=e.person.trainee,
                    unit=units[e.unit],
                    position=e.position,
                    status=e.status,
                    status_reason=e.reason,
                    enrolled_at=e.enrolled_at,
                    scheduled_periods=scheduled[id(plan)],
                    absent_periods=absent,
                    excused_periods=excused,
                )
                plan.enrolment_objs.append(obj)
                enrolments.append(obj)
        Enrolment.objects.bulk_create(enrolments, batch_size=1000)

        attendance, scores = [], []
        for plan in b.classes:
            if plan.status in (PLANNED, ENROLLING, CANCELLED):
                continue
            past = [i for i, slot in enumerate(plan.slots) if slot.date < b.today]
            for e, obj in zip(plan.enrolments, plan.enrolment_objs, strict=True):
                for i in past:
                    if e.withdrawn_after is not None and i > e.withdrawn_after:
                        break
                    status, made_up, note = e.absences.get(i, (AttendanceStatus.PRESENT, False, ""))
                    attendance.append(
                        new_attendance(
                            session=plan.session_objs[i],
                            enrolment=obj,
                            status=status,
                            made_up=made_up,
                            note=note,
                        )
                    )
                for index, (score, retake) in e.scores.items():
                    scores.append(
                        new_score(
                            enrolment=obj,
                            assessment=plan.assessment_objs[index],
                            score=score,
                            retake_score=retake,
                        )
                    )
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        Score.objects.bulk_create(scores, batch_size=1000)

        # Finished classes are written in grading and closed through the same service as the
        # web page: results computed, stored with history, class closed.
        closer = staff_account(centre)
        for plan in b.classes:
            if plan.status == CLOSED:
                close_course(plan, closer, b.today)
        issue_demo_certificates(centre, b, closer)

    def write_plans(self, centre, programs, director) -> None:
        b = self.b
        rng = b.rng
        for year in (b.year - 1, b.year):
            plans = [p for p in b.classes if p.year == year]
            if not plans:
                continue
            annual = AnnualPlan.objects.create(
                centre=centre,
                year=year,
                status=PlanStatus.APPROVED,
                approved_by=director,
                approved_at=timezone.make_aware(datetime.datetime(year - 1, 12, 22, 9, 30)),
                number=str(60 + year % 10),
                issued_on=datetime.date(year - 1, 12, 22),
                notes=(
                    f"Kế hoạch mở lớp đào tạo, bồi dưỡng năm {year} đã được "
                    f"{centre.supervising_committee} phê duyệt."
                ),
            )
            per_program = defaultdict(list)
            for p in plans:
                per_program[p.program].append(p)
            targets = []
            for code, items in per_program.items():
                extra = 1 if rng.random() < 0.15 else 0
                trainees = sum(p.target for p in items) + extra * 40
                targets.append(
                    PlanTarget(
                        plan=annual,
                        program=programs[code],
                        planned_classes=len(items) + extra,
                        planned_trainees=int(round(trainees * rng.uniform(0.95, 1.1) / 5) * 5),
                    )
                )
            PlanTarget.objects.bulk_create(targets)


REPORT_CAUSES = (
    "Nguyên nhân khách quan: một số đơn vị cử học viên chưa đủ số lượng do trùng lịch công tác "
    "trong thời gian sắp xếp tổ chức bộ máy; một số học viên ở xa, đi lại khó khăn.\n"
    "Nguyên nhân chủ quan: phòng học và trang thiết bị giảng dạy còn thiếu; việc phối hợp với "
    "một số đơn vị trong chiêu sinh chưa chặt chẽ."
)
REPORT_STRENGTHS = (
    "Đội ngũ giảng viên nhiệt tình, chuẩn bị bài giảng chu đáo; học viên nghiêm túc, tích cực "
    "tham gia thảo luận."
)
REPORT_LESSONS = (
    "Phối hợp sớm với cấp ủy và các đơn vị trong chiêu sinh; theo dõi chuyên cần từng buổi và "
    "tổ chức học bù kịp thời; lựa chọn giảng viên kiêm chức am hiểu thực tiễn địa phương."
)
REPORT_RECOMMENDATIONS = (
    "Đề nghị cấp ủy quan tâm bố trí kinh phí sửa chữa hội trường và trang bị máy chiếu cho "
    "phòng học."
)
REPORT_CLOSING = (
    "Công tác tổ chức lớp học được thực hiện nền nếp, đúng chương trình; nội dung giảng dạy bám "
    "sát nghị quyết của Đảng và tình hình thực tiễn của địa phương."
)


def _written(generated: str, addition: str) -> str:
    """A generated part as staff finish it: its placeholder lines replaced by what they write."""
    lines = [line for line in generated.splitlines() if not line.startswith("[")]
    if addition:
        lines.append(addition)
    return "\n".join(lines) or "Không có."


def write_demo_report(centre: Centre, year: int, user: User | None) -> None:
    """The year's report as staff write it: the sentences generated from the figures, lightly
    edited, numbered and dated in early December, then marked sent (its snapshot frozen)."""
    report = report_for(centre, year)
    generated = live_content(report)["generated"]
    report_date = datetime.date(year, 12, 5)
    report = report_save(
        report=report,
        values={
            "number": str(40 + sum(map(ord, centre.code)) % 20),
            "report_date": report_date,
            # Sent in December, before the year ended: the figures run to the end of November.
            "data_until": datetime.date(year, 11, 30),
            "place": centre.place_name,
            "recipients": "\n".join(
                [
                    f"{centre.supervising_committee} (để báo cáo)",
                    "Ban Tuyên giáo và Dân vận (để biết)",
                    "Lưu VT",
                ]
            ),
            "results_text": generated["results_text"] + "\n" + REPORT_CLOSING,
            # Staff keep what the figures say and write what they cannot ("[…]" placeholders).
            "strengths_text": _written(generated["strengths_text"], REPORT_STRENGTHS),
            "limitations_text": _written(generated["limitations_text"], ""),
            "causes_text": generated["causes_text"].replace(CAUSES_PLACEHOLDER, REPORT_CAUSES),
            "lessons_text": REPORT_LESSONS,
            "direction_text": generated["direction_text"],
            "recommendations_text": _written(
                generated["recommendations_text"], REPORT_RECOMMENDATIONS
            ),
        },
        user=user,
    )
    report_send(report=report, user=user, today=report_date)
    written = timezone.make_aware(datetime.datetime.combine(report_date, datetime.time(9, 0)))
    sent = timezone.make_aware(datetime.datetime.combine(report_date, datetime.time(16, 0)))
    YearlyReport.objects.filter(pk=report.pk).update(sent_at=sent)
    first, *later = YearlyReport.history.filter(id=report.pk).order_by("history_id")
    YearlyReport.history.filter(pk=first.pk).update(history_date=written)
    YearlyReport.history.filter(pk__in=[h.pk for h in later]).update(
        history_date=sent, sent_at=sent
    )


def issue_demo_certificates(centre: Centre, b, user: User | None) -> None:
    """Certificates for last year's closed classes through `lophoc.certificates`, as staff would
    issue them; one is re-issued (lost), so the register shows every status."""
    director = Leader.objects.get(centre=centre, role=LeaderRole.DIRECTOR)
    last_year = b.today.year - 1
    issued = []
    for plan in b.classes:
        if plan.status != CLOSED or plan.start.year != last_year:
            continue
        if plan.course.certificate_issuer != CertificateIssuer.CENTRE:
            continue
        issued_on = min(plan.end + datetime.timedelta(days=7), b.today)
        issued += certificates_issue(
            course=plan.course, user=user, signer=director, issued_on=issued_on
        )
    if issued:
        original = issued[len(issued) // 2]
        certificate_reissue(
            certificate=original,
            user=user,
            reason="Học viên báo mất giấy chứng nhận",
            issued_on=min(original.issued_on + datetime.timedelta(days=30), b.today),
            signer=director,
        )


def staff_account(centre: Centre) -> User | None:
    """The centre's demo staff login (giáo vụ), who closes the demo classes; None if it is missing."""
    usernames = [
        a.username for a in DEMO_ACCOUNTS if a.centre_code == centre.code and a.role == "staff"
    ]
    users = {u.username: u for u in User.objects.filter(username__in=usernames, centre=centre)}
    return next((users[name] for name in usernames if name in users), None)


def close_course(plan, user: User | None, today: datetime.date) -> None:
    """Close a finished demo class with `lophoc.closing.course_close`, dated a few days after its
    last day as a centre would have done it (the rows written now are re-dated)."""
    change = course_close(course=plan.course, user=user)
    closed_on = min(plan.end + datetime.timedelta(days=2 + plan.seq % 5), today)
    closed_at = min(
        timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(16, 30))),
        timezone.now(),
    )
    # The class was just written: its only computed history rows are those of this closing.
    Enrolment.history.filter(course_id=plan.course.pk, result_computed_at__isnull=False).update(
        history_date=closed_at, result_computed_at=closed_at
    )
    Enrolment.objects.filter(course=plan.course).update(result_computed_at=closed_at)
    CourseStatusChange.objects.filter(pk=change.pk).update(created_at=closed_at)


def create_accounts(*, centre: Centre | None) -> dict[str, User]:
    """The demo logins of one centre (or, with None, those that see every centre).
    A username already taken is left alone."""
    code = centre.code if centre else None
    created = {}
    for account in DEMO_ACCOUNTS:
        if account.centre_code != code or User.objects.filter(username=account.username).exists():
            continue
        user = new_user(
            username=account.username,
            role=account.role,
            centre=centre,
            full_name=account.full_name,
            is_superuser=account.is_superuser,
            is_centre_leader=account.is_centre_leader,
            email=f"{account.username}@example.vn",
            password=DEMO_PASSWORD,
        )
        user.save()
        if account.unit_name:
            unit = Unit.objects.get(centre=centre, name=account.unit_name)
            UnitAccount.objects.create(user=user, unit=unit)
        created[account.username] = user
    return created


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)  # centre codes written now
    existing: list[str] = field(default_factory=list)  # centre codes found and left alone
    accounts: list[str] = field(default_factory=list)


def seed_demo(*, scale: str = "demo", today: datetime.date | None = None) -> SeedResult:
    """Create the demo centres that do not exist yet; one transaction per centre."""
    today = today or timezone.localdate()
    chosen = SCALE_BY_NAME[scale]
    result = SeedResult()
    existing = set(
        Centre.objects.filter(code__in=[c.code for c in CENTRES]).values_list("code", flat=True)
    )
    for spec in CENTRES:
        if spec.code in existing:
            result.existing.append(spec.code)
            continue
        builder = CentreBuilder(spec, chosen, today)
        builder.build()
        with transaction.atomic():
            CentreWriter(builder).write()
        result.created.append(spec.code)
    with transaction.atomic():
        result.accounts = list(create_accounts(centre=None))
        admin = User.objects.filter(username="admin", is_superuser=True).first()
        write_demo_province(today.year - 1, admin)
    return result


def demo_venue_name(spec, room: str = "") -> str:
    """A venue as the centre's list writes it: the room, then the centre that hosts it."""
    return f"{room}, {spec.venue}" if room else spec.venue


def demo_venue_names(spec) -> list[str]:
    return [demo_venue_name(spec)] + [demo_venue_name(spec, room) for room in spec.rooms]

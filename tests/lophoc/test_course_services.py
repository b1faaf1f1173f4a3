"""Services behind the class screens: opening, editing, topics, enrolment and withdrawal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hocvien.models import Gender, Trainee
from lophoc.courses import (
    course_code_suggest,
    course_create,
    course_topics_save,
    course_update,
    default_end_date,
)
from lophoc.enrolments import (
    enrolling_refusal,
    enrolment_create,
    enrolment_create_with_trainee,
    enrolment_withdraw,
    withdrawal_refusal,
)
from lophoc.models import (
    CertificateIssuer,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    ProgramAssessment,
    ProgramTopic,
    Topic,
)
from tests import builders

START = datetime.date(2026, 3, 2)


def program_with_parts(centre, **overrides):
    values = {
        "code": "KND",
        "default_days": 5,
        "is_assessed": False,
        "certificate_issuer": CertificateIssuer.PARTNER,
        "absence_limit_percent": Decimal("10"),
        "partner_name": "Trường Chính trị tỉnh",
    }
    values.update(overrides)
    program = builders.make_program(centre, **values)
    ProgramTopic.objects.create(program=program, order=1, title="Chuyên đề một", periods=4)
    ProgramTopic.objects.create(program=program, order=2, title="Chuyên đề hai", periods=8)
    ProgramAssessment.objects.create(
        program=program, order=1, name="Bài thu hoạch", weight=Decimal("2"), is_final=True
    )
    return program


# --- code suggestion -------------------------------------------------------------------------


@pytest.mark.django_db
class TestCodeSuggest:
    def test_first_class_of_the_year_is_01(self, centre):
        program = builders.make_program(centre, code="KND")
        assert course_code_suggest(centre=centre, program=program, start_date=START) == (
            "KND-01/2026"
        )

    def test_sequence_counts_this_programs_classes_of_that_year_in_this_centre(
        self, centre, other_centre
    ):
        program = builders.make_program(centre, code="KND")
        other_program = builders.make_program(centre, code="LLCT")
        builders.make_course(centre, program=program, code="A", start_date=START)
        builders.make_course(centre, program=program, code="B", start_date=START)
        builders.make_course(  # another year
            centre, program=program, code="C", start_date=datetime.date(2025, 3, 2)
        )
        builders.make_course(centre, program=other_program, code="D", start_date=START)
        builders.make_course(other_centre, code="E", start_date=START)
        assert course_code_suggest(centre=centre, program=program, start_date=START) == (
            "KND-03/2026"
        )

    def test_centre_pattern_is_used(self, centre):
        centre.course_code_pattern = "{year}/{program}.{seq:03d}"
        centre.save()
        program = builders.make_program(centre, code="QP")
        assert course_code_suggest(centre=centre, program=program, start_date=START) == (
            "2026/QP.001"
        )

    def test_a_mistyped_pattern_falls_back_to_the_default(self, centre):
        centre.course_code_pattern = "{chuong_trinh}-{seq}"
        centre.save()
        program = builders.make_program(centre, code="QP")
        assert course_code_suggest(centre=centre, program=program, start_date=START) == (
            "QP-01/2026"
        )

    def test_a_taken_code_is_skipped(self, centre):
        program = builders.make_program(centre, code="KND")
        builders.make_course(centre, code="KND-01/2026", start_date=START)  # other program
        assert course_code_suggest(centre=centre, program=program, start_date=START) == (
            "KND-02/2026"
        )


# --- opening a class -------------------------------------------------------------------------


@pytest.mark.django_db
class TestCourseCreate:
    def test_rules_topics_and_assessments_come_from_the_program(self, centre, staff):
        program = program_with_parts(centre)
        course = course_create(centre=centre, program=program, user=staff, start_date=START)
        assert course.code == "KND-01/2026"
        assert course.status == CourseStatus.PLANNED
        assert course.end_date == datetime.date(2026, 3, 6)
        assert course.is_assessed is False
        assert course.certificate_issuer == CertificateIssuer.PARTNER
        assert course.absence_limit_percent == Decimal("10")
        assert course.partner_name == "Trường Chính trị tỉnh"
        assert [(t.order, t.title, t.periods) for t in course.topics.all()] == [
            (1, "Chuyên đề một", 4),
            (2, "Chuyên đề hai", 8),
        ]
        assessment = course.assessments.get()
        assert (assessment.name, assessment.weight, assessment.is_final) == (
            "Bài thu hoạch",
            Decimal("2"),
            True,
        )
        assert course.history.first().history_user == staff

    def test_typed_values_override_the_program(self, centre):
        program = program_with_parts(centre)
        course = course_create(
            centre=centre,
            program=program,
            start_date=START,
            end_date=datetime.date(2026, 3, 3),
            code="KND-ĐB/2026",
            name="Lớp đặc biệt",
            is_assessed=True,
            absence_limit_percent=Decimal("20"),
            capacity=40,
        )
        assert (course.code, course.name, course.end_date, course.capacity) == (
            "KND-ĐB/2026",
            "Lớp đặc biệt",
            datetime.date(2026, 3, 3),
            40,
        )
        assert course.is_assessed and course.absence_limit_percent == Decimal("20")

    def test_editing_the_class_topics_leaves_the_program_alone(self, centre):
        program = program_with_parts(centre)
        course = course_create(centre=centre, program=program, start_date=START)
        course.topics.filter(order=1).update(title="Đã sửa")
        assert program.topics.get(order=1).title == "Chuyên đề một"

    def test_default_end_date_counts_the_first_day(self, centre):
        program = builders.make_program(centre, default_days=1)
        assert default_end_date(program=program, start_date=START) == START

    def test_a_program_of_another_centre_is_refused(self, centre, other_centre):
        program = builders.make_program(other_centre)
        with pytest.raises(ValidationError) as error:
            course_create(centre=centre, program=program, start_date=START)
        assert "program" in error.value.error_dict

    def test_a_taken_code_is_refused_with_the_other_class(self, centre):
        program = builders.make_program(centre)
        builders.make_course(centre, code="KND-01/2026", name="Lớp cũ")
        with pytest.raises(ValidationError) as error:
            course_create(centre=centre, program=program, start_date=START, code="KND-01/2026")
        assert "Lớp cũ" in error.value.message_dict["code"][0]

    def test_the_same_code_in_another_centre_is_fine(self, centre, other_centre):
        builders.make_course(other_centre, code="KND-01/2026")
        program = builders.make_program(centre)
        course = course_create(centre=centre, program=program, start_date=START, code="KND-01/2026")
        assert course.pk

    def test_end_before_start_is_refused(self, centre):
        program = builders.make_program(centre)
        with pytest.raises(ValidationError) as error:
            course_create(
                centre=centre, program=program, start_date=START, end_date=datetime.date(2026, 3, 1)
            )
        assert "end_date" in error.value.error_dict

    def test_capacity_zero_is_refused(self, centre):
        program = builders.make_program(centre)
        with pytest.raises(ValidationError) as error:
            course_create(centre=centre, program=program, start_date=START, capacity=0)
        assert "capacity" in error.value.error_dict

    def test_unknown_fields_are_a_programming_error(self, centre):
        program = builders.make_program(centre)
        with pytest.raises(TypeError):
            course_create(centre=centre, program=program, start_date=START, status="closed")


# --- editing ---------------------------------------------------------------------------------


@pytest.mark.django_db
class TestCourseUpdate:
    def test_fields_change(self, course, staff):
        course_update(course=course, user=staff, venue="Hội trường A", capacity=30)
        course.refresh_from_db()
        assert (course.venue, course.capacity) == ("Hội trường A", 30)

    def test_capacity_below_the_active_trainees_is_refused(self, course):
        for _ in range(3):
            builders.make_enrolment(course)
        builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
        with pytest.raises(ValidationError) as error:
            course_update(course=course, capacity=2)
        assert "3 học viên đang học" in error.value.message_dict["capacity"][0]
        course_update(course=course, capacity=3)  # withdrawn ones do not count

    def test_dates_that_leave_sessions_outside_are_refused(self, course):
        builders.make_session(course, date=course.end_date)
        with pytest.raises(ValidationError) as error:
            course_update(course=course, end_date=course.end_date - datetime.timedelta(days=1))
        assert f"{course.end_date:%d/%m/%Y}" in error.value.message_dict["end_date"][0]

    @pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
    def test_closed_and_cancelled_classes_are_not_edited(self, centre, status):
        course = builders.make_course(centre, status=status)
        with pytest.raises(ValidationError):
            course_update(course=course, venue="Nơi khác")

    def test_code_taken_by_another_class(self, centre, course):
        other = builders.make_course(centre)
        with pytest.raises(ValidationError) as error:
            course_update(course=course, code=other.code)
        assert "code" in error.value.error_dict


@pytest.mark.django_db
class TestTopics:
    def test_add_change_and_remove(self, course):
        first = Topic.objects.create(course=course, order=1, title="Một", periods=4)
        second = Topic.objects.create(course=course, order=2, title="Hai", periods=4)
        first.title = "Một (sửa)"
        course_topics_save(
            course=course,
            topics=[first, Topic(order=3, title="Ba", periods=2)],
            deleted=[second],
        )
        assert list(course.topics.values_list("title", flat=True)) == ["Một (sửa)", "Ba"]

    def test_a_topic_in_the_timetable_is_not_removed(self, course):
        topic = Topic.objects.create(course=course, order=1, title="Một", periods=4)
        builders.make_session(course, topic=topic)
        with pytest.raises(ValidationError) as error:
            course_topics_save(course=course, topics=[], deleted=[topic])
        assert "1 buổi học" in error.value.messages[0]
        assert course.topics.exists()


# --- enrolment -------------------------------------------------------------------------------


@pytest.mark.django_db
class TestEnrolment:
    @pytest.mark.parametrize(
        "status", [CourseStatus.PLANNED, CourseStatus.ENROLLING, CourseStatus.IN_PROGRESS]
    )
    def test_open_classes_take_trainees(self, centre, status):
        course = builders.make_course(centre, status=status)
        assert enrolling_refusal(course) is None
        enrolment = enrolment_create(course=course, trainee=builders.make_trainee(centre))
        assert enrolment.status == EnrolmentStatus.ACTIVE

    @pytest.mark.parametrize(
        "status", [CourseStatus.GRADING, CourseStatus.CLOSED, CourseStatus.CANCELLED]
    )
    def test_other_classes_refuse(self, centre, status):
        course = builders.make_course(centre, status=status)
        with pytest.raises(ValidationError) as error:
            enrolment_create(course=course, trainee=builders.make_trainee(centre))
        assert "chỉ ghi danh thêm" in error.value.messages[0]
        assert not course.enrolments.exists()

    def test_the_unit_and_position_default_to_the_trainee(self, course, centre):
        unit = builders.make_unit(centre)
        trainee = builders.make_trainee(centre, unit=unit, position="Bí thư chi bộ")
        enrolment = enrolment_create(course=course, trainee=trainee)
        assert (enrolment.unit, enrolment.position) == (unit, "Bí thư chi bộ")

    def test_a_late_trainee_is_scheduled_for_the_whole_timetable(self, course):
        builders.make_session(course, periods=4)
        builders.make_session(course, periods=5, part="afternoon")
        enrolment = enrolment_create(course=course, trainee=builders.make_trainee(course.centre))
        assert enrolment.scheduled_periods == 9

    def test_duplicates_and_withdrawn_duplicates_are_refused(self, course):
        enrolment = builders.make_enrolment(course)
        with pytest.raises(ValidationError, match="đã có trong lớp"):
            enrolment_create(course=course, trainee=enrolment.trainee)
        enrolment_withdraw(enrolment=enrolment, reason="Bận công tác")
        with pytest.raises(ValidationError, match="đã thôi học"):
            enrolment_create(course=course, trainee=enrolment.trainee)

    def test_capacity(self, centre):
        course = builders.make_course(centre, capacity=1)
        builders.make_enrolment(course)
        with pytest.raises(ValidationError, match="tối đa 1 học viên"):
            enrolment_create(course=course, trainee=builders.make_trainee(centre))

    def test_new_trainee_and_enrolment_together(self, course, centre):
        unit = builders.make_unit(centre)
        trainee = Trainee(
            full_name="Trần  Thị Lan",
            date_of_birth=datetime.date(1995, 1, 9),
            gender=Gender.FEMALE,
            national_id="001195000123",
            unit=unit,
            position="Cán bộ",
        )
        enrolment = enrolment_create_with_trainee(
            course=course, trainee=trainee, unit=unit, position="Cán bộ"
        )
        assert enrolment.trainee.full_name == "Trần Thị Lan"
        assert enrolment.trainee.centre == centre
        assert enrolment.unit == unit

    def test_new_trainee_with_a_taken_national_id_writes_nothing(self, course, centre):
        builders.make_trainee(centre, national_id="001195000123")
        trainee = Trainee(
            full_name="Trần Thị Lan",
            date_of_birth=datetime.date(1995, 1, 9),
            gender=Gender.FEMALE,
            national_id="001195000123",
        )
        with pytest.raises(ValidationError):
            enrolment_create_with_trainee(course=course, trainee=trainee)
        assert Trainee.objects.filter(centre=centre).count() == 1
        assert not course.enrolments.exists()

    def test_new_trainee_in_a_full_class_writes_nothing(self, centre):
        course = builders.make_course(centre, capacity=1)
        builders.make_enrolment(course)
        before = Trainee.objects.count()
        trainee = Trainee(
            full_name="Trần Thị Lan", date_of_birth=datetime.date(1995, 1, 9), gender="F"
        )
        with pytest.raises(ValidationError, match="tối đa 1"):
            enrolment_create_with_trainee(course=course, trainee=trainee)
        assert Trainee.objects.count() == before


@pytest.mark.django_db
class TestWithdrawal:
    def test_withdrawal_is_kept_with_its_reason(self, course):
        enrolment = builders.make_enrolment(course)
        enrolment_withdraw(enrolment=enrolment, reason="Đơn vị rút tên")
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.status_reason) == (
            EnrolmentStatus.WITHDRAWN,
            "Đơn vị rút tên",
        )
        assert Enrolment.objects.filter(pk=enrolment.pk).exists()

    def test_a_reason_is_required(self, course):
        enrolment = builders.make_enrolment(course)
        with pytest.raises(ValidationError, match="lý do"):
            enrolment_withdraw(enrolment=enrolment, reason="  ")

    def test_twice_is_refused(self, course):
        enrolment = builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
        assert "đã thôi học" in withdrawal_refusal(enrolment)
        with pytest.raises(ValidationError):
            enrolment_withdraw(enrolment=enrolment, reason="Lần hai")

    def test_allowed_while_grading(self, centre):
        course = builders.make_course(centre, status=CourseStatus.GRADING)
        enrolment = builders.make_enrolment(course)
        assert withdrawal_refusal(enrolment) is None

    @pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
    def test_refused_once_the_class_is_over(self, centre, status):
        course = builders.make_course(centre, status=status)
        enrolment = builders.make_enrolment(course)
        with pytest.raises(ValidationError, match="không thể cho học viên thôi học"):
            enrolment_withdraw(enrolment=enrolment, reason="Muộn")

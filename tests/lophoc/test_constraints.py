"""Integrity lives in the database: each constraint is tried with a write that skips validation."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError

from lophoc.models import Certificate, CertificateStatus, Course, Score
from tests import builders
from tests.lophoc.certificate_helpers import make_certificate


def refused(write):
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        write()


@pytest.mark.django_db
class TestCourseConstraints:
    def test_code_unique_per_centre(self, course, other_centre):
        refused(lambda: builders.make_course(course.centre, code=course.code))
        assert builders.make_course(
            other_centre, code=course.code
        ).pk  # same code elsewhere is fine

    def test_end_date_not_before_start(self, centre):
        refused(
            lambda: builders.make_course(
                centre, start_date=datetime.date(2026, 5, 10), end_date=datetime.date(2026, 5, 9)
            )
        )

    def test_capacity_positive(self, centre):
        refused(lambda: builders.make_course(centre, capacity=0))

    def test_unknown_status_refused(self, course):
        refused(lambda: Course.objects.filter(pk=course.pk).update(status="archived"))


@pytest.mark.django_db
class TestTraineeConstraints:
    def test_national_id_unique_per_centre(self, centre, other_centre):
        builders.make_trainee(centre, national_id="001203004567")
        refused(lambda: builders.make_trainee(centre, national_id="001203004567"))
        assert builders.make_trainee(other_centre, national_id="001203004567").pk

    def test_many_trainees_without_national_id(self, centre):
        builders.make_trainee(centre, national_id=None)
        builders.make_trainee(centre, national_id="")  # blank is stored as NULL
        assert centre.trainees.filter(national_id__isnull=True).count() == 2

    @pytest.mark.parametrize("bad", ["12345", "0012030045678", "00120300456a"])
    def test_national_id_must_be_12_digits(self, centre, bad):
        refused(lambda: builders.make_trainee(centre, national_id=bad))


@pytest.mark.django_db
class TestScoreConstraints:
    @pytest.mark.parametrize("field", ["score", "retake_score"])
    @pytest.mark.parametrize("value", ["-0.5", "10.25"])
    def test_score_between_0_and_10(self, course, field, value):
        enrolment = builders.make_enrolment(course)
        assessment = builders.make_assessment(course)
        refused(
            lambda: Score.objects.create(
                enrolment=enrolment, assessment=assessment, **{field: Decimal(value)}
            )
        )

    def test_bounds_accepted(self, course):
        enrolment = builders.make_enrolment(course)
        first = builders.make_assessment(course, name="Bài 1")
        second = builders.make_assessment(course, name="Bài 2")
        builders.make_score(enrolment, first, "0")
        builders.make_score(enrolment, second, "10")
        assert Score.objects.count() == 2

    def test_one_score_per_assessment(self, course):
        enrolment = builders.make_enrolment(course)
        assessment = builders.make_assessment(course)
        builders.make_score(enrolment, assessment)
        refused(lambda: builders.make_score(enrolment, assessment))

    def test_weight_not_negative(self, course):
        refused(lambda: builders.make_assessment(course, weight=Decimal("-1")))


@pytest.mark.django_db
class TestCertificateConstraints:
    def test_number_unique_per_centre(self, course):
        first = builders.make_enrolment(course)
        second = builders.make_enrolment(course)
        make_certificate(first, 1)
        refused(lambda: make_certificate(second, 2, number="1-GCN/TTCT"))

    def test_one_valid_certificate_per_enrolment(self, course):
        enrolment = builders.make_enrolment(course)
        original = make_certificate(enrolment, 1)
        refused(lambda: make_certificate(enrolment, 2))
        # A voided certificate does not block the re-issue.
        Certificate.objects.filter(pk=original.pk).update(
            status=CertificateStatus.REPLACED, void_reason="Mất giấy"
        )
        reissue = make_certificate(enrolment, 2, replaces=original, reissue_reason="Mất giấy")
        assert reissue.status == CertificateStatus.VALID

    def test_void_needs_reason(self, course):
        certificate = make_certificate(builders.make_enrolment(course), 1)
        refused(
            lambda: Certificate.objects.filter(pk=certificate.pk).update(
                status=CertificateStatus.VOIDED
            )
        )

    def test_verification_code_unique(self, course):
        make_certificate(builders.make_enrolment(course), 1, verification_code="ABCD2345")
        refused(
            lambda: make_certificate(
                builders.make_enrolment(course), 2, verification_code="ABCD2345"
            )
        )


@pytest.mark.django_db
class TestDeleteProtection:
    def test_class_with_grades_cannot_be_deleted(self, course):
        enrolment = builders.make_enrolment(course)
        builders.make_score(enrolment, builders.make_assessment(course))
        with pytest.raises(ProtectedError):
            course.delete()
        assert Course.objects.filter(pk=course.pk).exists()

    def test_class_with_certificates_cannot_be_deleted(self, course):
        make_certificate(builders.make_enrolment(course), 1)
        with pytest.raises(ProtectedError):
            course.delete()

    def test_class_without_grades_can_be_deleted(self, course):
        builders.make_enrolment(course)
        builders.make_session(course)
        course.delete()
        assert not Course.objects.filter(pk=course.pk).exists()

    def test_program_in_use_cannot_be_deleted(self, course):
        with pytest.raises(ProtectedError):
            course.program.delete()

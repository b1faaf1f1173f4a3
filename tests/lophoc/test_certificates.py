"""Issuing, numbering, voiding and re-issuing certificates (DESIGN §8)."""

import datetime

import pytest

from lophoc.certificates import (
    CertificateRefused,
    certificate_reissue,
    certificate_void,
    certificates_issue,
    signer_title_lines,
)
from lophoc.models import (
    Certificate,
    CertificateCounter,
    CertificateIssuer,
    CertificateStatus,
    CourseStatus,
)
from lophoc.verification import is_well_formed
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader, passing
from trungtam.models import DocumentLayout, LeaderRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(centre):
    return make_leader(centre, full_name="Lê Thị Hồng")


def issue(course, staff, director, day=ISSUED_ON):
    return certificates_issue(course=course, user=staff, signer=director, issued_on=day)


def test_one_certificate_per_passing_trainee_never_for_others(centre, staff, director):
    course = closed_course(centre, passing=3, failing=2, not_eligible=1)
    issued = issue(course, staff, director)
    assert len(issued) == 3
    assert {c.enrolment_id for c in issued} == {e.pk for e in passing(course)}
    assert all(c.status == CertificateStatus.VALID for c in issued)
    assert {c.course_id for c in issued} == {course.pk}  # the class, kept for counting per class


def test_issuing_twice_issues_nothing_new(centre, staff, director):
    course = closed_course(centre, passing=2)
    issue(course, staff, director)
    assert issue(course, staff, director) == []
    assert Certificate.objects.count() == 2
    assert CertificateCounter.objects.get(centre=centre, year=2026).last_sequence == 2


def test_a_trainee_who_passes_later_gets_the_next_number(centre, staff, director):
    course = closed_course(centre, passing=2)
    issue(course, staff, director)
    late = builders.make_enrolment(course, passed=True, final_score="7.0", classification="fair")
    (added,) = issue(course, staff, director)
    assert added.enrolment == late
    assert added.sequence == 3


@pytest.mark.parametrize(
    "status", [CourseStatus.GRADING, CourseStatus.IN_PROGRESS, CourseStatus.CANCELLED]
)
def test_only_a_closed_class(centre, staff, director, status):
    course = closed_course(centre)
    course.status = status
    course.save()
    with pytest.raises(CertificateRefused, match="đã kết thúc"):
        issue(course, staff, director)
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("issuer", [CertificateIssuer.PARTNER, CertificateIssuer.NONE])
def test_only_when_the_centre_certifies(centre, staff, director, issuer):
    course = closed_course(centre, certificate_issuer=issuer)
    with pytest.raises(CertificateRefused, match="không do trung tâm cấp"):
        issue(course, staff, director)
    assert not Certificate.objects.exists()


def test_signer_must_be_a_current_leader_of_the_centre(centre, other_centre, staff):
    course = closed_course(centre)
    with pytest.raises(CertificateRefused, match="chưa ghi Giám đốc"):
        issue(course, staff, None)
    with pytest.raises(CertificateRefused, match="lãnh đạo đương nhiệm"):
        issue(course, staff, make_leader(other_centre))
    with pytest.raises(CertificateRefused, match="lãnh đạo đương nhiệm"):
        issue(course, staff, make_leader(centre, active=False))
    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()


def test_numbers_party_layout(centre, staff, director):
    issued = issue(closed_course(centre, passing=2), staff, director)
    assert [c.number for c in issued] == ["1-GCN/TTCT/2026", "2-GCN/TTCT/2026"]
    assert [c.register_number for c in issued] == ["0001/2026", "0002/2026"]
    assert [c.sequence for c in issued] == [1, 2]
    assert {c.year for c in issued} == {2026}


def test_numbers_state_layout_and_short_name(centre, staff, director):
    centre.document_layout = DocumentLayout.STATE
    centre.short_name = "TTCTPL"
    centre.save()
    issued = issue(closed_course(centre, passing=1), staff, director)
    assert issued[0].number == "1/GCN-TTCTPL/2026"


def test_numbers_from_the_centre_pattern(centre, staff, director):
    centre.certificate_number_pattern = "{year}.{seq:03d}/{short}"
    centre.save()
    issued = issue(closed_course(centre, passing=2), staff, director)
    assert [c.number for c in issued] == ["2026.001/TTCT", "2026.002/TTCT"]


def test_a_bad_pattern_is_refused_with_nothing_written(centre, staff, director):
    centre.certificate_number_pattern = "{so}-GCN"
    centre.save()
    with pytest.raises(CertificateRefused, match="không dùng được"):
        issue(closed_course(centre), staff, director)
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()


def test_a_number_longer_than_the_register_stores_is_refused_with_nothing_written(
    centre, staff, director
):
    # Otherwise PostgreSQL refuses the row (varchar 40) and the page answers 500.
    centre.certificate_number_pattern = "{seq:05d}/GCN-TTCTPHUONGPHULOITHANHPHOHCM/{year}"
    centre.save()
    with pytest.raises(CertificateRefused, match="dài 42 ký tự, quá 40 ký tự"):
        issue(closed_course(centre), staff, director)
    assert not Certificate.objects.exists()
    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()


def test_a_pattern_without_the_year_that_repeats_a_number_is_refused(centre, staff, director):
    centre.certificate_number_pattern = "{seq}-GCN/{short}"
    centre.save()
    last_year = closed_course(centre, passing=1, start_date=datetime.date(2025, 11, 24))
    issue(last_year, staff, director, day=datetime.date(2025, 12, 1))
    with pytest.raises(CertificateRefused, match="trùng"):
        issue(closed_course(centre, passing=1), staff, director)


def test_sequences_restart_each_year_and_are_per_centre(centre, other_centre, staff, director):
    last_year = closed_course(centre, passing=2, start_date=datetime.date(2025, 12, 1))
    first = issue(last_year, staff, director, datetime.date(2025, 12, 30))
    second = issue(closed_course(centre, passing=1), staff, director)
    other = issue(
        closed_course(other_centre, passing=1), staff, make_leader(other_centre), ISSUED_ON
    )
    assert [c.sequence for c in first] == [1, 2]
    assert [(c.year, c.sequence) for c in second] == [(2026, 1)]
    assert [(c.year, c.sequence) for c in other] == [(2026, 1)]


def test_frozen_record(centre, staff):
    deputy = make_leader(centre, role=LeaderRole.DEPUTY, full_name="Phạm Văn Phó")
    course = closed_course(centre, passing=1)
    enrolment = passing(course)[0]
    (certificate,) = issue(course, staff, deputy)
    trainee = enrolment.trainee
    assert certificate.full_name == trainee.full_name
    assert certificate.date_of_birth == trainee.date_of_birth
    assert certificate.unit_name == enrolment.unit.name
    assert certificate.course_code == course.code
    assert certificate.course_name == course.name
    assert certificate.program_name == course.program.name
    assert (certificate.course_start, certificate.course_end) == (
        course.start_date,
        course.end_date,
    )
    assert str(certificate.final_score) == "8.5"
    assert certificate.classification == "good"
    # The centre uses the Party layout (the default): ký thay is «K/T» (36-HD/VPTW, 1.7.1).
    assert signer_title_lines(certificate.signer_title) == ["K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert certificate.signer_name == "Phạm Văn Phó"
    assert certificate.salutation == "Ông"
    sentence = certificate.completion_text
    assert certificate.issued_on == ISSUED_ON
    assert certificate.issued_by == staff
    assert certificate.layout_version == centre.certificate_layout_version
    assert is_well_formed(certificate.verification_code)

    trainee.full_name = "Nguyễn Thị Đổi Tên"
    trainee.gender = "F"
    trainee.is_party_member = True
    trainee.date_of_birth = datetime.date(1980, 1, 1)
    trainee.save()
    enrolment.unit.name = "Đơn vị đổi tên"
    enrolment.unit.save()
    course.name = "Tên lớp mới"
    course.save()
    centre.certificate_layout_version = 2
    centre.save()
    certificate.refresh_from_db()
    assert certificate.full_name != "Nguyễn Thị Đổi Tên"
    assert certificate.date_of_birth == datetime.date(1990, 5, 17)
    assert certificate.unit_name != "Đơn vị đổi tên"
    assert certificate.course_name != "Tên lớp mới"
    assert certificate.layout_version == 1
    assert certificate.completion_text == sentence and "Tên lớp mới" not in sentence
    assert certificate.salutation == "Ông"


def test_issuing_keeps_history(centre, staff, director):
    (certificate,) = issue(closed_course(centre, passing=1), staff, director)
    record = Certificate.history.get(id=certificate.pk)
    assert record.history_type == "+"
    assert record.history_user == staff


def test_verification_codes_are_distinct(centre, staff, director):
    issued = issue(closed_course(centre, passing=12), staff, director)
    assert len({c.verification_code for c in issued}) == 12


# --- void and re-issue ----------------------------------------------------------------------


def test_void_needs_a_reason_and_keeps_the_number(centre, staff, director):
    (certificate,) = issue(closed_course(centre, passing=1), staff, director)
    with pytest.raises(CertificateRefused, match="lý do"):
        certificate_void(certificate=certificate, user=staff, reason="  ")
    voided = certificate_void(certificate=certificate, user=staff, reason="Cấp nhầm")
    voided.refresh_from_db()
    assert voided.status == CertificateStatus.VOIDED
    assert voided.void_reason == "Cấp nhầm"
    assert voided.voided_by == staff
    assert voided.voided_at is not None
    assert voided.number == certificate.number
    assert Certificate.history.filter(id=certificate.pk).latest().history_user == staff


def test_void_twice_is_refused(centre, staff, director):
    (certificate,) = issue(closed_course(centre, passing=1), staff, director)
    certificate_void(certificate=certificate, user=staff, reason="Cấp nhầm")
    with pytest.raises(CertificateRefused, match="đã thu hồi"):
        certificate_void(certificate=certificate, user=staff, reason="Lần nữa")


def test_a_voided_trainee_is_issued_again_by_issuing(centre, staff, director):
    course = closed_course(centre, passing=1)
    (certificate,) = issue(course, staff, director)
    certificate_void(certificate=certificate, user=staff, reason="Sai tên")
    (again,) = issue(course, staff, director)
    assert again.sequence == 2
    assert again.replaces is None


def test_reissue_gets_a_new_number_linked_to_the_original(centre, staff, director):
    course = closed_course(centre, passing=2)
    original, _ = issue(course, staff, director)
    trainee = original.enrolment.trainee
    trainee.full_name = "Nguyễn Văn Đúng Tên"
    trainee.save()
    deputy = make_leader(centre, role=LeaderRole.DEPUTY, full_name="Phạm Văn Phó")
    new = certificate_reissue(
        certificate=original,
        user=staff,
        reason="Mất bản chính",
        issued_on=datetime.date(2026, 6, 1),
        signer=deputy,
    )
    original.refresh_from_db()
    assert original.status == CertificateStatus.REPLACED
    assert original.number == "1-GCN/TTCT/2026"
    assert new.replaces == original
    assert new.course_id == original.course_id == course.pk
    assert new.reissue_reason == "Mất bản chính"
    assert new.status == CertificateStatus.VALID
    assert new.sequence == 3
    assert new.number == "3-GCN/TTCT/2026"
    assert new.verification_code != original.verification_code
    assert new.full_name == "Nguyễn Văn Đúng Tên"  # current data, DESIGN §8
    assert new.signer_name == "Phạm Văn Phó"
    assert new.issued_on == datetime.date(2026, 6, 1)
    assert Certificate.history.filter(id=original.pk).latest().history_user == staff
    assert Certificate.history.get(id=new.pk).history_user == staff
    # issuing again finds the trainee covered
    assert issue(course, staff, director) == []


@pytest.mark.parametrize("first", ["void", "reissue"])
def test_only_a_valid_certificate_can_be_reissued(centre, staff, director, first):
    (certificate,) = issue(closed_course(centre, passing=1), staff, director)
    if first == "void":
        certificate_void(certificate=certificate, user=staff, reason="Cấp nhầm")
    else:
        certificate_reissue(
            certificate=certificate, user=staff, reason="Mất", issued_on=ISSUED_ON, signer=director
        )
    with pytest.raises(CertificateRefused, match="không cấp lại được"):
        certificate_reissue(
            certificate=certificate, user=staff, reason="Mất", issued_on=ISSUED_ON, signer=director
        )


def test_reissue_needs_a_reason(centre, staff, director):
    (certificate,) = issue(closed_course(centre, passing=1), staff, director)
    with pytest.raises(CertificateRefused, match="lý do"):
        certificate_reissue(
            certificate=certificate, user=staff, reason="", issued_on=ISSUED_ON, signer=director
        )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID

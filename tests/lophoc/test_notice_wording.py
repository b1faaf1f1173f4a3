"""What a result notice (thông báo kết quả) says to each unit: counts that add up to everyone the
unit sent, the singular for one trainee, and no personal reason in a letter that leaves the
centre (DESIGN §8b)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from hocvien.models import Unit
from lophoc.documents.result_notices import Letter, outcome_sentence, result_notices_pdf
from lophoc.models import Classification, Course, CourseStatus, Enrolment, EnrolmentStatus
from tests import builders
from tests.lophoc.document_helpers import DAY
from tests.pdf_reading import pdf_pages
from trungtam.models import Leader, LeaderRole

pytestmark = pytest.mark.django_db

WITHDRAWAL_REASON = "Xin thôi học vì lý do gia đình"
ILLNESS = "ốm, có giấy xác nhận của bệnh viện"
PASS = ("7.5", Classification.FAIR, True, True, EnrolmentStatus.ACTIVE, "")
FAIL = ("4.0", Classification.FAIL, True, False, EnrolmentStatus.ACTIVE, "")
WITHDRAWN = (None, "", None, None, EnrolmentStatus.WITHDRAWN, WITHDRAWAL_REASON)
ABSENT_FINAL = (None, "", True, False, EnrolmentStatus.ABSENT_FINAL, ILLNESS)
PENDING = (None, "", True, None, EnrolmentStatus.ACTIVE, "")

# unit name → its trainees' results (final, classification, eligible, passed, status, reason)
UNITS = {
    "Chi bộ Trường THCS Bình Mỹ": [PASS, PASS, PASS, WITHDRAWN, PASS],
    "Chi bộ ấp Bến Tranh": [PASS, FAIL, PASS],
    "Chi bộ ấp Vườn Điều": [PASS, PASS, PASS],
    "Hội Nông dân xã Bình Mỹ": [PASS],
    "Đoàn Thanh niên xã Bình Mỹ": [ABSENT_FINAL],
}


def make_class(centre, units=UNITS, *, status=CourseStatus.CLOSED) -> Course:
    Leader.objects.create(centre=centre, full_name="Trần Quốc Hưng", role=LeaderRole.DIRECTOR)
    course = builders.make_course(centre, status=status)
    now = timezone.now()
    for unit_name, results in units.items():
        unit = builders.make_unit(centre, name=unit_name)
        for number, (final, classification, eligible, passed, state, reason) in enumerate(
            results, start=1
        ):
            trainee = builders.make_trainee(
                centre, full_name=f"Học Viên {unit_name.split()[-1]} {number}", unit=unit
            )
            builders.make_enrolment(
                course,
                trainee,
                unit=unit,
                final_score=Decimal(final) if final else None,
                classification=classification,
                is_eligible=eligible,
                passed=passed,
                status=state,
                status_reason=reason,
                scheduled_periods=40,
                result_computed_at=now,
            )
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def letters(course) -> dict[str, str]:
    """Each letter's text (one page each here), by the unit it is addressed to."""
    found = {}
    for page in pdf_pages(result_notices_pdf(course, day=DAY)):
        text = " ".join(page.split())
        for unit_name in UNITS:
            if f"Kính gửi: {unit_name} " in text:
                found[unit_name] = text
    return found


@pytest.fixture
def notices(centre):
    return letters(make_class(centre))


def test_a_unit_with_a_withdrawal_is_told_what_became_of_everyone_it_sent(notices):
    text = notices["Chi bộ Trường THCS Bình Mỹ"]
    assert "Chi bộ Trường THCS Bình Mỹ cử 5 đồng chí tham gia lớp học" in text
    assert "Có 4/5 đồng chí hoàn thành chương trình, 1 đồng chí thôi học." in text
    assert "Cả 4 đồng chí" not in text
    assert "Thôi học" in text  # the table states the fact


def test_a_unit_with_a_failure_gets_its_share(notices):
    text = notices["Chi bộ ấp Bến Tranh"]
    assert "cử 3 đồng chí" in text
    assert "Có 2/3 đồng chí hoàn thành chương trình." in text


def test_a_unit_everyone_of_which_passed_is_told_so(notices):
    text = notices["Chi bộ ấp Vườn Điều"]
    assert "cử 3 đồng chí" in text
    assert "Cả 3 đồng chí đều hoàn thành chương trình." in text


def test_no_recorded_reason_leaves_the_centre(notices):
    everything = " ".join(notices.values())
    for private in (WITHDRAWAL_REASON, "lý do gia đình", ILLNESS, "bệnh viện"):
        assert private not in everything, private
    # The facts stay: withdrawn, and absent from the final assessment.
    assert "Thôi học" in notices["Chi bộ Trường THCS Bình Mỹ"]
    assert "Không hoàn thành: vắng kiểm tra cuối khóa" in notices["Đoàn Thanh niên xã Bình Mỹ"]


def test_a_letter_about_one_trainee_speaks_of_one(notices):
    single = notices["Hội Nông dân xã Bình Mỹ"]
    assert "cử 1 đồng chí tham gia lớp học" in single
    assert "kết quả học tập của đồng chí như sau" in single
    assert "các đồng chí" not in single.lower()
    assert "Đồng chí đã hoàn thành chương trình." in single
    assert "Đồng chí không hoàn thành chương trình." in notices["Đoàn Thanh niên xã Bình Mỹ"]
    several = notices["Chi bộ ấp Vườn Điều"]
    assert "kết quả học tập của các đồng chí như sau" in several


def _letter(*results) -> Letter:
    """A letter in memory: the sentence reads only the enrolments' stored results."""
    enrolments = [
        Enrolment(
            status=state,
            status_reason=reason,
            is_eligible=eligible,
            passed=passed,
            final_score=Decimal(final) if final else None,
        )
        for final, _classification, eligible, passed, state, reason in results
    ]
    return Letter(unit=Unit(name="Chi bộ ấp Bến Tranh"), enrolments=enrolments)


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([PASS, PASS, WITHDRAWN], "Có 2/3 đồng chí hoàn thành chương trình, 1 đồng chí thôi học."),
        (
            [PASS, FAIL, WITHDRAWN, WITHDRAWN],
            "Có 1/4 đồng chí hoàn thành chương trình, 1 đồng chí không hoàn thành, "
            "2 đồng chí thôi học.",
        ),
        (
            [FAIL, WITHDRAWN],
            "Không có đồng chí nào hoàn thành chương trình: 1 đồng chí không hoàn thành, "
            "1 đồng chí thôi học.",
        ),
        ([FAIL, FAIL], "Không có đồng chí nào hoàn thành chương trình."),
        (
            [WITHDRAWN, WITHDRAWN],
            "Cả 2 đồng chí đều đã thôi học, nên không có kết quả học tập.",
        ),
        ([WITHDRAWN], "Đồng chí đã thôi học, nên không có kết quả học tập."),
        (
            [PASS, PASS, PENDING],
            "Có 2/3 đồng chí hoàn thành chương trình, 1 đồng chí chưa có kết quả.",
        ),
        (
            [PENDING, WITHDRAWN],
            "Chưa có đồng chí nào hoàn thành chương trình: 1 đồng chí thôi học, "
            "1 đồng chí chưa có kết quả.",
        ),
    ],
)
def test_the_counts_add_up_to_everyone_sent(results, expected):
    assert outcome_sentence(_letter(*results)) == expected

"""What a stored result says, in words: lophoc.results.outcome, the one rule the class page and
the result documents share (issue 14 item 8)."""

from decimal import Decimal

import pytest

from lophoc.documents.result_list import result_text
from lophoc.models import Enrolment, EnrolmentStatus
from lophoc.results import Outcome, OutcomeCounts, outcome


def enrolment(**values) -> Enrolment:
    return Enrolment(**values)  # never saved: outcome reads only the stored fields


@pytest.mark.parametrize(
    ("values", "label", "text"),
    [
        ({"passed": True, "final_score": Decimal("9")}, "Hoàn thành", "Hoàn thành"),
        (
            {"passed": False, "final_score": Decimal("4.9"), "is_eligible": True},
            "Không hoàn thành",
            "Không hoàn thành: điểm tổng kết dưới 5,0",
        ),
        ({"passed": None}, "Chưa có kết quả", "Chưa có kết quả"),
        (
            {"status": EnrolmentStatus.WITHDRAWN, "status_reason": "Thôi học vì việc gia đình"},
            "Thôi học",
            "Thôi học vì việc gia đình",
        ),
        ({"status": EnrolmentStatus.WITHDRAWN}, "Thôi học", "Thôi học"),
        (
            {"status": EnrolmentStatus.ABSENT_FINAL, "status_reason": "ốm"},
            "Không hoàn thành",
            "Không hoàn thành: vắng kiểm tra cuối khóa (ốm)",
        ),
        (
            {
                "status": EnrolmentStatus.NOT_ELIGIBLE,
                "status_reason": "Không đủ điều kiện chuyên cần",
                "absent_periods": 1634,
                "scheduled_periods": 2000,
            },
            "Không hoàn thành",
            "Không hoàn thành: không đủ điều kiện chuyên cần, vắng 1.634/2.000 tiết",
        ),
        (
            {"is_eligible": False, "passed": False, "final_score": Decimal("8")},
            "Không hoàn thành",
            "Không hoàn thành: không đủ điều kiện chuyên cần",
        ),
    ],
)
def test_each_outcome_and_its_reason(values, label, text):
    item = outcome(enrolment(**values))
    assert (item.label, item.text, str(item)) == (label, text, text)
    assert result_text(enrolment(**values)) == text  # the result list says the same


def test_outcomes_are_counted_for_the_roster_header():
    labels = ["Hoàn thành"] * 3 + ["Không hoàn thành"] * 2 + ["Thôi học", "Chưa có kết quả"]
    counts = OutcomeCounts.of(Outcome(label, label) for label in labels)
    assert counts == OutcomeCounts(completed=3, not_completed=2, withdrawn=1, pending=1)


@pytest.mark.parametrize(
    ("text", "label", "detail"),
    [
        ("Hoàn thành", "Hoàn thành", ""),
        (
            "Không hoàn thành: vắng kiểm tra cuối khóa (ốm)",
            "Không hoàn thành",
            "vắng kiểm tra cuối khóa (ốm)",
        ),
        ("Thôi học (Chuyển công tác)", "Thôi học", "(Chuyển công tác)"),
        ("Thôi học vì việc gia đình", "Thôi học", "vì việc gia đình"),
    ],
)
def test_the_class_page_shows_the_label_then_the_rest(text, label, detail):
    assert Outcome(label, text).detail == detail

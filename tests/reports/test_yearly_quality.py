"""The quality of teaching in the yearly report (issue 17): observations in section IV, the
trainees' evaluation and the units' follow-up in section VI, in the PDF and the XLSX too."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dugio.observations import observation_finalise
from hieuqua.models import Rating
from lophoc.models import CourseStatus
from tests import builders
from tests.danhgia.helpers import answer, evaluated_course
from tests.dugio.helpers import past_session, record
from tests.hieuqua.helpers import answer_all, closed_class, due_end
from tests.pdf_reading import pdf_pages
from trungtam.models import Role
from trungtam.reports import yearly
from trungtam.reports.yearly_documents import build

pytestmark = pytest.mark.django_db


def section(content, key):
    return next(s for s in content["sections"] if s["key"] == key)


def cells(table, label):
    return next(r["cells"][2:] for r in table["rows"] if r["cells"][1] == label)


@pytest.fixture
def quality_year():
    """This year: a class with 5 answers (all 4), a class with 3 (counts only), a finalised
    observation of the lecturer, a closed class whose unit rated both its people Tốt."""
    centre = builders.make_centre()
    lecturer = builders.make_lecturer(centre, full_name="Lê Thị Hồng")
    counted = evaluated_course(centre, lecturers=[lecturer], name="Lớp được đánh giá")
    for _ in range(5):
        answer(counted, value=4)
    few = evaluated_course(centre, lecturers=[lecturer], program=counted.program)
    for _ in range(3):
        answer(few, value=2)
    leader = builders.make_user(role=Role.ADMIN, centre=centre, username="giamdoc_q")
    observation = record(past_session(counted, lecturer), leader)
    observation_finalise(observation=observation, user=leader)
    unit = builders.make_unit(centre, name="Xã Bình Mỹ")
    followed = closed_class(centre, [unit], end_date=due_end(), program=counted.program)
    answer_all(followed, unit, rating=Rating.GOOD)
    return centre, lecturer, counted.program


def test_the_report_carries_observations_evaluation_and_follow_up(quality_year):
    centre, lecturer, program = quality_year
    year = timezone.localdate().year
    content = yearly.report_content(yearly.report_for(centre, year))

    observations = section(content, "IV")["tables"][-1]
    assert observations["title"] == "4. Dự giờ, thăm lớp"
    assert cells(observations, "Lê Thị Hồng")[0] == 1
    quality = section(content, "VI")
    assert quality["title"] == "VI. ĐÁNH GIÁ CHẤT LƯỢNG BỒI DƯỠNG"
    evaluation, by_lecturer, followup = quality["tables"]
    # The class with 3 answers counts its answers but not its marks (under 5: counts only).
    assert cells(evaluation, program.name) == [
        2, 8, {"dec": "4.0"}, {"dec": "4.0"}, {"dec": "4.0"}, {"dec": "4.0"}
    ]  # fmt: skip
    assert cells(by_lecturer, "Lê Thị Hồng")[:2] == [2, 8]
    assert cells(followup, "Tổng cộng") == [1, 2, 2, 2, 0, 0, {"pct": "100.0"}]
    assert "8 phiếu" in evaluation["notes"][0]


def test_the_pdf_and_the_xlsx_print_the_new_section(quality_year):
    centre, _, program = quality_year
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))
    text = " ".join(" ".join(page.split()) for page in pdf_pages(build(content, "pdf").content))
    assert "VI. ĐÁNH GIÁ CHẤT LƯỢNG BỒI DƯỠNG" in text
    assert "Dự giờ, thăm lớp" in text and "Hiệu quả sau đào tạo" in text
    book = load_workbook(BytesIO(build(content, "xlsx").content))
    assert "VI. Chất lượng" in book.sheetnames
    values = [c for row in book["VI. Chất lượng"].iter_rows(values_only=True) for c in row if c]
    assert program.name in values


def test_a_year_without_any_quality_work_says_so(db):
    centre = builders.make_centre()
    builders.make_course(centre, status=CourseStatus.CLOSED)
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))
    notes = [note for table in section(content, "VI")["tables"] for note in table["notes"]]
    assert any("chưa có lớp nào được học viên đánh giá" in note for note in notes)

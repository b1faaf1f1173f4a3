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
    # The class with 3 answers counts its answers but not its marks (under 5: counts only); the
    # answers the average covers have their own column.
    assert cells(evaluation, program.name) == [
        2, 8, 5, {"dec": "4.0"}, {"dec": "4.0"}, {"dec": "4.0"}, {"dec": "4.0"}
    ]  # fmt: skip
    assert cells(by_lecturer, "Lê Thị Hồng") == [2, 8, 5, {"dec": "4.0"}]
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


# --- the all-centres report: section VI per centre ------------------------------------------------


@pytest.fixture
def two_centres(quality_year):
    """The quality year's centre, and a second one: a class with 5 answers (all 2), nothing
    else."""
    first, _, _ = quality_year
    second = builders.make_centre(code="BM", name="Trung tâm Chính trị xã Bình Mỹ")
    other = evaluated_course(second, lecturers=[builders.make_lecturer(second)])
    for _ in range(5):
        answer(other, value=2)
    builders.make_report_issuer()
    return first, second


def test_the_all_centres_report_has_quality_per_centre(two_centres):
    from trungtam.reports import yearly_all

    first, second = two_centres
    year = timezone.localdate().year
    own = yearly.report_content(yearly.report_for(first, year))
    observed = cells(section(own, "IV")["tables"][-1], "Tổng cộng")[1]
    content = yearly_all.all_centres_content([second, first], year)
    quality = section(content, "VI")
    assert quality["title"] == "VI. CHẤT LƯỢNG BỒI DƯỠNG THEO TRUNG TÂM"
    (table,) = quality["tables"]
    # The first centre: 2 classes, 8 answers, only the class of 5 counts (4.0); one observation;
    # its unit rated both its people Tốt.
    assert cells(table, first.name) == [2, 8, 5, {"dec": "4.0"}, 1, observed, 2, {"pct": "100.0"}]
    assert cells(table, second.name) == [1, 5, 5, {"dec": "2.0"}, 0, None, 0, None]
    # The province: 10 counted answers, 4 and 2 alike in number: 3.0.
    assert cells(table, "Tổng cộng") == [
        3, 13, 10, {"dec": "3.0"}, 1, observed, 2, {"pct": "100.0"}
    ]  # fmt: skip


def test_the_all_centres_quality_needs_five_answers_in_all_for_an_average(db):
    from trungtam.reports import yearly_all

    centre = builders.make_centre()
    course = evaluated_course(centre, lecturers=[builders.make_lecturer(centre)])
    for _ in range(4):
        answer(course, value=5)
    builders.make_report_issuer()
    content = yearly_all.all_centres_content([centre], timezone.localdate().year)
    (table,) = section(content, "VI")["tables"]
    assert cells(table, centre.name)[:4] == [1, 4, 0, None]
    assert cells(table, "Tổng cộng")[:4] == [1, 4, 0, None]


def test_the_all_centres_pdf_and_xlsx_print_the_quality_section(two_centres):
    from trungtam.reports import yearly_all

    first, second = two_centres
    content = yearly_all.all_centres_content([first, second], timezone.localdate().year)
    text = " ".join(" ".join(page.split()) for page in pdf_pages(build(content, "pdf").content))
    assert "VI. CHẤT LƯỢNG BỒI DƯỠNG THEO TRUNG TÂM" in text and "Số lượt dự giờ" in text
    book = load_workbook(BytesIO(build(content, "xlsx").content))
    assert "VI. Chất lượng" in book.sheetnames
    sheet_text = " ".join(
        str(value) for row in book["VI. Chất lượng"].iter_rows(values_only=True) for value in row
    )
    assert first.name in sheet_text and second.name in sheet_text


# --- read back as a director reads them -----------------------------------------------------------


def pdf_text(content) -> str:
    return " ".join(" ".join(page.split()) for page in pdf_pages(build(content, "pdf").content))


def sheet_rows(content) -> list[list]:
    book = load_workbook(BytesIO(build(content, "xlsx").content))
    return [list(row) for row in book["VI. Chất lượng"].iter_rows(values_only=True)]


def row_of(rows, label) -> int:
    """The first row whose label (column B) is `label`."""
    return next(i for i, row in enumerate(rows) if row[1] == label)


def test_lecturers_are_listed_by_given_name_with_the_title_section_iv_prints(db):
    """Vietnamese order (DESIGN §1): by the given name, «Đức» after «D» and before «E», not after
    «Võ» as code points put it; the title as in table IV.4."""
    centre = builders.make_centre()
    untitled = [
        builders.make_lecturer(centre, full_name=name)
        for name in ("Võ Thị Kim Ngân", "Đỗ Thị Lệ Quyên", "Bùi Văn Toàn", "Đặng Minh Đức")
    ]
    titled = builders.make_lecturer(centre, full_name="Nguyễn Thị Ánh Nguyệt", title="ThS.")
    course = evaluated_course(centre, lecturers=[*untitled, titled])
    for _ in range(5):
        answer(course)
    leader = builders.make_user(role=Role.ADMIN, centre=centre, username="giamdoc_ten")
    observation = record(past_session(course, titled), leader)
    observation_finalise(observation=observation, user=leader)
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))

    expected = [
        "Đặng Minh Đức",
        "Võ Thị Kim Ngân",
        "ThS. Nguyễn Thị Ánh Nguyệt",
        "Đỗ Thị Lệ Quyên",
        "Bùi Văn Toàn",
    ]
    text = pdf_text(content)
    by_lecturer = text[text.index("2. Học viên đánh giá giảng viên") :]
    positions = [by_lecturer.index(name) for name in expected]
    assert positions == sorted(positions)
    # IV.4 and VI.2 name the same person the same way.
    assert text.count("ThS. Nguyễn Thị Ánh Nguyệt") == 2
    assert text.count("Nguyễn Thị Ánh Nguyệt") == 2
    rows = sheet_rows(content)
    start = next(i for i, row in enumerate(rows) if row[0] == "2. Học viên đánh giá giảng viên")
    names = [row[1] for row in rows[start + 2 : start + 2 + len(expected)]]
    assert names == expected


def test_the_averages_say_which_answers_they_cover(quality_year):
    """17 answers, an average of 14: the sentence and a column say so, in the PDF and the XLSX
    (here 8 answers, the average on the 5 of the class that has 5)."""
    centre, _, program = quality_year
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))
    covered = (
        "có 2 lớp được học viên đánh giá với 8 phiếu; điểm bình quân chung 4,0/5 (tính trên 5 "
        "phiếu của 1 lớp có từ 5 phiếu trở lên)"
    )
    text = pdf_text(content)
    assert covered in text
    assert "Số phiếu tính điểm" in text
    rows = sheet_rows(content)
    values = [value for row in rows for value in row if value]
    assert any(isinstance(value, str) and covered in value for value in values)
    headers = [row for row in rows if "Số phiếu tính điểm" in row]
    assert len(headers) == 2  # per program and per lecturer
    for header in headers:
        assert header[header.index("Số phiếu") + 1] == "Số phiếu tính điểm"
    assert rows[row_of(rows, "Tổng cộng")][2:6] == [2, 8, 5, 4.0]
    assert rows[row_of(rows, "Lê Thị Hồng")][2:6] == [2, 8, 5, 4.0]


def test_the_sentence_needs_no_qualifier_when_every_answer_counts(db):
    centre = builders.make_centre()
    course = evaluated_course(centre, lecturers=[builders.make_lecturer(centre)])
    for _ in range(5):
        answer(course, value=4)
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))
    sentence = section(content, "VI")["tables"][0]["notes"][0]
    assert "với 5 phiếu; điểm bình quân chung 4,0/5, theo từng mặt: nội dung chương trình" in (
        sentence
    )
    assert "tính trên" not in sentence


def test_the_follow_up_column_says_it_counts_trainees(quality_year):
    centre, _, _ = quality_year
    content = yearly.report_content(yearly.report_for(centre, timezone.localdate().year))
    text = pdf_text(content)
    assert "Số học viên được đơn vị đánh giá" in text and "Đơn vị đã đánh giá" not in text
    header = next(row for row in sheet_rows(content) if "Số học viên được hỏi" in row)
    assert header[header.index("Số học viên được hỏi") + 1] == "Số học viên được đơn vị đánh giá"


def test_the_all_centres_quality_says_which_answers_the_average_covers(two_centres):
    from trungtam.reports import yearly_all

    first, second = two_centres
    content = yearly_all.all_centres_content([first, second], timezone.localdate().year)
    assert "Số phiếu tính điểm" in pdf_text(content)
    rows = sheet_rows(content)
    header = next(row for row in rows if "Số phiếu tính điểm" in row)
    assert header[2:6] == [
        "Số lớp được học viên đánh giá", "Số phiếu", "Số phiếu tính điểm",
        "Điểm bình quân (thang 5)",
    ]  # fmt: skip
    assert rows[row_of(rows, "Tổng cộng")][2:6] == [3, 13, 10, 3.0]
    assert rows[row_of(rows, first.name)][2:6] == [2, 8, 5, 4.0]

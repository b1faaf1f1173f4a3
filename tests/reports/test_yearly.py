"""The yearly report's content and its writes: sections, generated text, save, send and freeze."""

import datetime

import pytest

from lophoc.models import Classification, Enrolment
from tests import builders
from tests.reports.yearly_helpers import WRITTEN, YEAR, Year, for_a_test, year_for_the_module
from trungtam.models import Role
from trungtam.reports import yearly, yearly_text
from trungtam.reports.models import ReportStatus, YearlyReport
from trungtam.reports.yearly_documents import build

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(content)).pages)


TEXTS = WRITTEN


@pytest.fixture
def leader_user(centre):
    return builders.make_user(
        role=Role.STAFF, centre=centre, username="giamdoc", is_centre_leader=True
    )


@pytest.fixture(scope="module")
def module_year(django_db_setup, django_db_blocker):
    """full_year(classes=2) built once for the module (the tests here without it, on a
    centre of their own: test_yearly_own_centre.py)."""
    with year_for_the_module(django_db_blocker, classes=2) as year:
        yield year


@pytest.fixture
def year(module_year, db):
    return for_a_test(module_year)


@pytest.fixture
def centre(year):
    """The year's centre, read again for each test (conftest's `centre`, built once)."""
    return year.centre


def saved(centre, **values) -> YearlyReport:
    report = yearly.report_for(centre, YEAR)
    fields = {"number": "12", "report_date": datetime.date(YEAR, 12, 5), **TEXTS, **values}
    return yearly.report_save(report=report, values=fields, user=None)


def row(content, key, label, table=0):
    section = next(s for s in content["sections"] if s["key"] == key)
    return next(r["cells"] for r in section["tables"][table]["rows"] if r["cells"][1] == label)


def test_a_new_report_is_a_draft_with_the_centres_defaults(year, centre):
    report = yearly.report_for(centre, YEAR)
    assert report.pk is None and report.status == ReportStatus.DRAFT
    assert report.place == centre.place_name
    assert report.recipients.splitlines() == yearly.DEFAULT_RECIPIENTS
    assert (report.signer_title, report.signer_name) == ("GIÁM ĐỐC", "Trần Văn Giám")


def test_sections_print_the_figures_by_program_system_and_total(year, centre):
    content = yearly.report_content(yearly.report_for(centre, YEAR))
    assert [s["key"] for s in content["sections"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert row(content, "I", "Bồi dưỡng nhận thức về Đảng")[2:] == [4, 2, 2, {"pct": "50.0"}]
    assert row(content, "I", "Hệ Nhà nước")[2:] == [2, 2, 1, {"pct": "100.0"}]
    assert row(content, "I", "Tổng cộng")[2:] == [6, 4, 3, {"pct": "66.7"}]
    assert row(content, "II", "Bồi dưỡng nhận thức về Đảng")[2:] == [
        100, 14, {"pct": "14.0"}, 8, {"pct": "87.5"}, 8,
    ]  # fmt: skip
    excellent = row(content, "III", "Bồi dưỡng nhận thức về Đảng")[2:5]
    assert excellent == [12, 2, {"rate": "16.7"}]
    assert row(content, "III", "Bồi dưỡng chính trị hè cho giáo viên")[2:4] == [0, 0]
    assert row(content, "IV", "Chuyên trách")[2:] == [2, {"pct": "50.0"}, 24, {"dec": "24.0"}]
    assert row(content, "IV", "Giảng viên", table=2)[2:] == [
        1, 120, {"dec": "12.0"}, {"pct": "10.0"}, 0,
    ]  # fmt: skip
    opened = row(content, "V", "Số lớp đã mở")
    assert opened[2:] == ["lớp", None, 4, None, None]  # nothing the year before


def test_the_generated_text_reads_the_figures_in_vietnamese_formats(year, centre):
    content = yearly.report_content(yearly.report_for(centre, YEAR))
    results = content["generated"]["results_text"]
    assert results.startswith(
        "Năm 2026, Trung tâm mở 4/6 lớp, đạt 66,7% kế hoạch (hệ Đảng 2 lớp, hệ Nhà nước 2 lớp); "
        "3 lớp đã kết thúc, 1 lớp hủy."
    )
    assert "Tổng số 23 lượt học viên tham gia học tập (23 người), đạt 14,4% kế hoạch" in results
    assert "tỷ lệ chuyên cần đạt 86,8%" in results
    assert "xuất sắc 2 (16,7%)" in results and "không đạt 4 (33,3%)" in results
    limitations = content["generated"]["limitations_text"]
    assert "Còn 2 lớp theo kế hoạch chưa mở" in limitations
    assert content["generated"]["causes_text"] == yearly.CAUSES_PLACEHOLDER
    direction = content["generated"]["direction_text"]
    assert direction.startswith("Xây dựng kế hoạch đào tạo, bồi dưỡng năm 2027 trình")
    # Saved text is printed; what is still empty is printed from the generated sentences.
    assert content["document"]["results_text"] == results


def test_big_numbers_are_grouped_with_dots():
    summary = yearly.Summary()
    summary.total.planned_classes, summary.total.opened = 36, 34
    summary.total.enrolled, summary.people = 1634, 1520
    text = yearly.generate_results(2026, summary, {"summary": yearly.Summary()}, "Trung tâm")
    assert text.startswith("Năm 2026, Trung tâm mở 34/36 lớp, đạt 94,4% kế hoạch")
    assert "1.634 lượt học viên tham gia học tập (1.520 người)" in text


def test_comparison_uses_last_years_sent_report(year, centre):
    last = Year(centre, YEAR - 1, like=year)
    last.plan()
    last.closed_class()
    report = yearly.report_for(centre, YEAR - 1)
    report = yearly.report_save(
        report=report,
        values={
            "number": "40",
            "report_date": datetime.date(YEAR - 1, 12, 5),
            **TEXTS,
            "data_until": None,
        },
        user=None,
    )
    yearly.report_send(report=report, user=None)
    # Changed after sending: the comparison keeps what was reported.
    Enrolment.objects.filter(course__start_date__year=YEAR - 1).update(absent_periods=16)
    last.closed_class(certify=False)
    content = yearly.report_content(yearly.report_for(centre, YEAR))
    assert content["previous"]["source"] == "sent"
    assert row(content, "V", "Số học viên ghi danh")[2:] == [
        "lượt", 7, 23, {"diff": 16}, {"pct": "328.6"},
    ]  # fmt: skip
    assert row(content, "V", "Số lớp đã mở")[2:] == ["lớp", 1, 4, {"diff": 3}, {"pct": "400.0"}]
    attendance = row(content, "V", "Tỷ lệ chuyên cần")
    assert attendance[2:] == ["%", {"pct": "87.5"}, {"pct": "86.8"}, {"diffdec": "-0.7"}, None]
    assert "So với năm 2025, số lớp mở tăng 3 lớp" in content["generated"]["results_text"]


def test_saving_creates_the_report_and_keeps_history(year, centre, staff):
    report = saved(centre, recipients="Ban Thường vụ\nLưu VT")
    assert report.pk and report.number == "12"
    assert report.history.count() == 1
    report = yearly.report_save(
        report=yearly.report_for(centre, YEAR), values={"results_text": "Mới."}, user=staff
    )
    assert YearlyReport.objects.get().results_text == "Mới."
    assert report.history.first().history_user == staff


def test_sending_needs_number_date_signer_and_saved_text(year, centre):
    with pytest.raises(yearly.ReportRefused, match="lưu báo cáo"):
        yearly.report_send(report=yearly.report_for(centre, YEAR), user=None)
    report = saved(centre, number="", limitations_text="")
    with pytest.raises(yearly.ReportRefused) as refused:
        yearly.report_send(report=report, user=None)
    assert "số văn bản" in refused.value.message
    assert "Hãy viết và lưu phần «Hạn chế»" in refused.value.message
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT


def test_sending_freezes_everything_the_documents_print(year, centre, leader_user):
    report = yearly.report_send(report=saved(centre), user=leader_user)
    assert report.status == ReportStatus.SENT and report.sent_by == leader_user
    snapshot = YearlyReport.objects.get().snapshot
    assert snapshot["final"] is True and "generated" not in snapshot
    assert snapshot["centre"]["supervising_committee"] == centre.supervising_committee
    assert snapshot["document"]["number_text"] == "Số 12-BC/TTCT"
    assert snapshot["document"]["signer"] == {"title": "GIÁM ĐỐC", "name": "Trần Văn Giám"}
    assert snapshot["document"]["results_text"] == TEXTS["results_text"]
    assert row(snapshot, "I", "Tổng cộng")[2:] == [6, 4, 3, {"pct": "66.7"}]


def test_a_sent_report_reprints_identically_after_the_data_changes(year, centre):
    report = yearly.report_send(report=saved(centre), user=None)
    pdf_before = build(yearly.report_content(report), "pdf").content
    content_before = yearly.report_content(report)
    # A result corrected, a class added, the centre renamed, a new director: none of it shows.
    enrolment = Enrolment.objects.filter(classification=Classification.GOOD).first()
    enrolment.classification = Classification.EXCELLENT
    enrolment.save()
    year.closed_class()
    centre.name = "Trung tâm Chính trị mới"
    centre.save()
    centre.leaders.update(full_name="Người Khác")
    fresh = YearlyReport.objects.get(pk=report.pk)
    assert build(yearly.report_content(fresh), "pdf").content == pdf_before
    assert yearly.report_content(fresh) == content_before


def test_a_draft_changes_when_a_result_changes(year, centre):
    saved(centre)
    before = yearly.report_content(yearly.report_for(centre, YEAR))
    enrolment = Enrolment.objects.filter(classification=Classification.GOOD).first()
    enrolment.classification = Classification.EXCELLENT
    enrolment.save()
    after = yearly.report_content(yearly.report_for(centre, YEAR))
    assert row(before, "III", "Tổng cộng")[3] == 2
    assert row(after, "III", "Tổng cộng")[3] == 3


def test_a_sent_report_refuses_every_change(year, centre):
    report = yearly.report_send(report=saved(centre), user=None)
    with pytest.raises(yearly.ReportRefused, match="đã gửi"):
        yearly.report_save(report=report, values={"results_text": "Sửa"}, user=None)
    with pytest.raises(yearly.ReportRefused, match="đã gửi"):
        yearly.report_send(report=report, user=None)
    # Even through a stale copy loaded before sending.
    stale = YearlyReport.objects.get(pk=report.pk)
    stale.status = ReportStatus.DRAFT
    with pytest.raises(yearly.ReportRefused):
        yearly.report_save(report=stale, values={"results_text": "Sửa"}, user=None)
    assert YearlyReport.objects.get().results_text == TEXTS["results_text"]


def test_two_first_saves_make_one_report(year, centre):
    first = yearly.report_for(centre, YEAR)
    second = yearly.report_for(centre, YEAR)
    yearly.report_save(report=first, values={"results_text": "Một"}, user=None)
    yearly.report_save(report=second, values={"results_text": "Hai"}, user=None)
    assert YearlyReport.objects.get().results_text == "Hai"


# The all-centres report: tests/reports/test_yearly_all.py. On a centre without the full year:
# tests/reports/test_yearly_own_centre.py.


# --- the assessment, placeholders and the cut-off date (issue 13, item 13) ----------------------


def test_the_assessment_is_prefilled_from_the_figures_and_placeholders(year, centre):
    generated = yearly.report_content(yearly.report_for(centre, YEAR))["generated"]
    assert set(generated) == set(yearly.NARRATIVE_FIELDS)
    # Attendance 86,8% and 2/4 classes: limitations and recommendations say so.
    assert "Tỷ lệ chuyên cần đạt 86,8%, chưa đạt mức 95%." in generated["limitations_text"]
    assert "Xã Thử Nghiệm" in generated["limitations_text"]
    assert "Đề nghị Ban Thường vụ" in generated["recommendations_text"]
    assert "Xã Thử Nghiệm cử học viên đi học" in generated["recommendations_text"]
    # Figures cannot give causes or lessons: placeholders for staff to write.
    assert generated["causes_text"].startswith("[")
    assert generated["lessons_text"].startswith("[")


def test_strengths_read_what_went_well_against_plan_and_last_year():
    summary = yearly.Summary()
    t = summary.total
    t.planned_classes, t.opened, t.planned_trainees, t.enrolled = 10, 11, 300, 320
    text = yearly_text.generate_strengths(2026, summary, {"summary": yearly.Summary()})
    assert "Hoàn thành kế hoạch mở lớp: 11/10 lớp, đạt 110,0%." in text
    assert "Số lượt học viên đạt 106,7% kế hoạch (320/300)." in text
    nothing = yearly_text.generate_strengths(2026, yearly.Summary(), {"summary": yearly.Summary()})
    assert nothing == yearly_text.STRENGTHS_PLACEHOLDER


def test_a_report_is_not_sent_while_a_placeholder_remains_naming_the_part(year, centre):
    report = saved(centre, lessons_text="Phối hợp sớm. [Nêu thêm bài học]")
    with pytest.raises(yearly.ReportRefused) as refused:
        yearly.report_send(report=report, user=None)
    assert "Phần «Bài học kinh nghiệm» còn chỗ để trống" in refused.value.message
    assert "«[Nêu thêm bài học]»" in refused.value.message
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT


def test_the_generated_text_saved_as_is_cannot_be_sent(year, centre):
    generated = yearly.report_content(yearly.report_for(centre, YEAR))["generated"]
    report = saved(centre, **generated)
    with pytest.raises(yearly.ReportRefused) as refused:
        yearly.report_send(report=report, user=None)
    assert "«Nguyên nhân»" in refused.value.message
    assert "«Bài học kinh nghiệm»" in refused.value.message


def test_before_the_year_ends_a_cut_off_date_is_needed_and_printed(year, centre):
    report = saved(centre, data_until=None)
    december = datetime.date(YEAR, 12, 7)
    with pytest.raises(yearly.ReportRefused, match="Năm 2026 chưa kết thúc"):
        yearly.report_send(report=report, user=None, today=december)
    # After the year it is not needed.
    assert yearly.send_refusals(report, today=datetime.date(YEAR + 1, 1, 5)) == []
    # A cut-off date after today, or after the report's date, is refused.
    report.data_until = datetime.date(YEAR, 12, 20)
    refusals = " ".join(yearly.send_refusals(report, today=december))
    assert "chưa đến" in refusals and "sau ngày báo cáo" in refusals
    report = saved(centre, data_until=datetime.date(YEAR, 11, 30))
    sent = yearly.report_send(report=report, user=None, today=december)
    text = pdf_text(build(yearly.report_content(sent), "pdf").content)
    assert "(Số liệu tính đến ngày 30/11/2026)" in text


def test_the_report_prints_the_assessment_in_its_parts(year, centre):
    sent = yearly.report_send(report=saved(centre), user=None)
    text = pdf_text(build(yearly.report_content(sent), "pdf").content)
    order = [
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "II. ĐÁNH GIÁ CHUNG",
        "1. Ưu điểm Học viên nghiêm túc.",
        "2. Hạn chế Còn một số lớp chưa mở.",
        "3. Nguyên nhân Một số đơn vị cử thiếu học viên.",
        "4. Bài học kinh nghiệm Phối hợp sớm với đơn vị.",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027",
        "IV. KIẾN NGHỊ, ĐỀ XUẤT Không có.",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "HẠN CHẾ VÀ NGUYÊN NHÂN" not in text


def test_a_draft_without_a_date_prints_a_blank_date_line(year, centre):
    text = pdf_text(build(yearly.report_content(yearly.report_for(centre, YEAR)), "pdf").content)
    assert "Phú Lợi, ngày …… tháng …… năm ……" in text


def test_a_report_sent_before_the_assessment_had_parts_still_prints(year, centre):
    report = yearly.report_send(report=saved(centre), user=None)
    old = dict(report.snapshot)
    old["version"] = 1
    old["document"] = {
        key: value
        for key, value in old["document"].items()
        if key not in ("strengths_text", "causes_text", "lessons_text", "recommendations_text")
    }
    text = pdf_text(build(old, "pdf").content)
    assert "II. HẠN CHẾ VÀ NGUYÊN NHÂN" in text and "ĐÁNH GIÁ CHUNG" not in text

"""The plan as a document: PDF text (pypdf) and XLSX read back (openpyxl)."""

import datetime
from io import BytesIO

import openpyxl
import pytest
from pypdf import PdfReader

from tests import builders
from tests.reports.plan_helpers import YEAR, make_leader, make_plan, make_programs, save_targets
from trungtam.models import DocumentLayout, Leader, LeaderRole
from trungtam.reports.models import PlanStatus
from trungtam.reports.plan import plan_amend, plan_approve
from trungtam.reports.plan_documents import filename, plan_pdf, plan_xlsx

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 1, 5)


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text with runs of white space made one space (table cells come out one a line)."""
    assert content.startswith(b"%PDF")
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(content)).pages]


def sheet_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def plan(centre):
    Leader.objects.create(centre=centre, full_name="Nguyễn Văn Giám", role=LeaderRole.DIRECTOR)
    programs = make_programs(centre)
    return make_plan(
        centre,
        targets={
            programs["knd"]: (6, 300, "Mỗi quý ít nhất một lớp"),
            programs["dvm"]: (3, 150),
            programs["ap"]: (2, 1_200),
            programs["qp"]: (1, 80),
        },
        organisation_text="Giao Phòng Đào tạo phối hợp với các đơn vị triển khai.",
        notes="Ghi chú nội bộ, không in",
    )


def test_a_draft_pdf_has_title_number_table_and_draft_mark_on_every_page(plan):
    pages = pdf_pages(plan_pdf(plan, day=DAY))
    text = " ".join(pages)
    for expected in [
        "KẾ HOẠCH",
        f"mở lớp đào tạo, bồi dưỡng năm {YEAR}",
        "-KH/TTCT",
        "Phú Lợi, ngày 05 tháng 01 năm 2026",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "I Hệ Đảng 9 450",
        "1 Bồi dưỡng nhận thức về Đảng 6 300 Mỗi quý ít nhất một lớp",
        "2 Lý luận chính trị dành cho đảng viên mới 3 150",
        "II Hệ Nhà nước 2 1.200",
        "III Khác 1 80",
        "Tổng cộng 12 1.730",
        "VI. TỔ CHỨC THỰC HIỆN Giao Phòng Đào tạo phối hợp",
        "Nơi nhận:",
        "Ban Thường vụ Đảng ủy phường Phú Lợi (để báo cáo);",
        "GIÁM ĐỐC",
        "Nguyễn Văn Giám",
    ]:
        assert expected in text, expected
    assert all("DỰ THẢO" in page for page in pages)
    assert "Ghi chú nội bộ" not in text


def test_an_approved_pdf_has_its_number_and_date_and_no_draft_mark(plan, centre):
    plan_approve(
        plan=plan, user=make_leader(centre), number="15", issued_on=datetime.date(2026, 1, 8)
    )
    plan.refresh_from_db()
    content = plan_pdf(plan)
    text = " ".join(pdf_pages(content))
    assert "Số 15-KH/TTCT" in text
    assert "Phú Lợi, ngày 08 tháng 01 năm 2026" in text
    assert "DỰ THẢO" not in text
    assert plan_pdf(plan) == content  # an approved plan reprints identically


def test_the_state_layout_numbers_the_plan_its_way(centre):
    centre.document_layout = DocumentLayout.STATE
    centre.save()
    plan = make_plan(
        centre, targets={builders.make_program(centre): (1, 30)}, number="7", status="approved"
    )
    text = " ".join(pdf_pages(plan_pdf(plan, day=DAY)))
    assert "Số: 7/KH-TTCT" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_an_amended_plan_says_which_revision_and_why(plan, centre):
    leader = make_leader(centre)
    plan_approve(plan=plan, user=leader, number="15")
    plan = plan_amend(plan=plan, user=leader, reason="Đảng ủy giao thêm chỉ tiêu")
    text = " ".join(pdf_pages(plan_pdf(plan, day=DAY)))
    assert "(Điều chỉnh lần 1)" in text
    assert "Lý do điều chỉnh: Đảng ủy giao thêm chỉ tiêu." in text
    assert "DỰ THẢO" in text


def test_an_empty_plan_still_prints(centre):
    plan = make_plan(centre)
    text = " ".join(pdf_pages(plan_pdf(plan, day=DAY)))
    assert "Kế hoạch chưa có chỉ tiêu nào." in text
    assert "mở 0 lớp với 0 học viên" in text and "Tổng cộng 0 0" in text


def test_a_long_plan_runs_over_pages_with_the_draft_mark_on_each(centre):
    programs = [
        builders.make_program(centre, name=f"Chương trình bồi dưỡng số {n:02d} dài tên cho đủ")
        for n in range(45)
    ]
    plan = make_plan(centre, targets={p: (1, 40) for p in programs})
    pages = pdf_pages(plan_pdf(plan, day=DAY))
    assert len(pages) >= 2
    assert all("DỰ THẢO" in page for page in pages)
    # The total row is never alone on its page: the last program is printed with it.
    last = next(page for page in pages if "Tổng cộng 45 1.800" in page)
    assert "Chương trình bồi dưỡng số 44 dài tên cho đủ 1 40" in last


def test_the_xlsx_holds_the_same_table(plan):
    rows = sheet_rows(plan_xlsx(plan, day=DAY))
    flat = [value for row in rows for value in row if value is not None]
    assert "KẾ HOẠCH" in flat
    assert f"mở lớp đào tạo, bồi dưỡng năm {YEAR}" in flat
    assert any(str(v).startswith("DỰ THẢO") for v in flat)
    assert any(str(v).startswith("Số") and str(v).endswith("-KH/TTCT") for v in flat)
    header = rows.index(["STT", "Chương trình, loại hình lớp", "Số lớp", "Số học viên", "Ghi chú"])
    table = rows[header + 1 : header + 9]
    assert table == [
        ["I", "Hệ Đảng", 9, 450, None],
        [1, "Bồi dưỡng nhận thức về Đảng", 6, 300, "Mỗi quý ít nhất một lớp"],
        [2, "Lý luận chính trị dành cho đảng viên mới", 3, 150, None],
        ["II", "Hệ Nhà nước", 2, 1200, None],
        [1, "Quản lý nhà nước cho cán bộ ấp, khu phố", 2, 1200, None],
        ["III", "Khác", 1, 80, None],
        [1, "Kiến thức quốc phòng – an ninh đối tượng 4", 1, 80, None],
        [None, "Tổng cộng", 12, 1730, None],
    ]
    assert (
        "Năm 2026, Trung tâm Chính trị phường Phú Lợi mở 12 lớp với 1.730 học viên, cụ thể như sau:"
        in flat
    )
    assert "Nguyễn Văn Giám" in flat


def test_the_approved_xlsx_has_no_draft_line(plan, centre):
    plan_approve(plan=plan, user=make_leader(centre), number="15")
    plan.refresh_from_db()
    flat = [v for row in sheet_rows(plan_xlsx(plan)) for v in row if v is not None]
    assert not any("DỰ THẢO" in str(v) for v in flat)
    assert "Số 15-KH/TTCT" in flat


def test_text_that_looks_like_a_formula_stays_text(centre):
    program = builders.make_program(centre, name="=HYPERLINK(1)")
    plan = make_plan(centre, targets={program: (1, 30, "+cộng")})
    sheet = openpyxl.load_workbook(BytesIO(plan_xlsx(plan, day=DAY))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value in ("=HYPERLINK(1)", "+cộng")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_filenames_are_ascii_and_name_the_year_and_centre(centre):
    plan = make_plan(centre, status=PlanStatus.DRAFT)
    assert filename(plan, "pdf") == f"KH-{YEAR}-TTA_ke-hoach-nam.pdf"
    assert filename(plan, "xlsx") == f"KH-{YEAR}-TTA_ke-hoach-nam.xlsx"


def test_saved_targets_print_as_saved(centre):
    programs = make_programs(centre)
    plan = make_plan(centre)
    save_targets(plan, {programs["ap"]: (5, 250)})
    assert "Tổng cộng 5 250" in " ".join(pdf_pages(plan_pdf(plan, day=DAY)))


def test_the_plan_reads_as_six_parts_prefilled_from_the_data(plan, centre):
    text = " ".join(pdf_pages(plan_pdf(plan, day=DAY)))
    headings = [
        "I. MỤC ĐÍCH – YÊU CẦU",
        "II. ĐỐI TƯỢNG",
        "III. CHỈ TIÊU",
        "IV. THỜI GIAN",
        "V. KINH PHÍ",
        "VI. TỔ CHỨC THỰC HIỆN",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "nghị quyết của Ban Thường vụ Đảng ủy phường Phú Lợi năm 2026" in text
    assert "- Bồi dưỡng nhận thức về Đảng: theo quy định của chương trình;" in text
    assert f"Các lớp được tổ chức từ tháng 01 đến tháng 12 năm {YEAR}" in text
    assert f"Năm {YEAR}, {centre.name} mở 12 lớp với 1.730 học viên, cụ thể như sau:" in text
    assert "Kinh phí tổ chức các lớp từ nguồn ngân sách" in text
    # The old single heading of the targets is gone.
    assert "1. Chỉ tiêu mở lớp" not in text


def test_edited_parts_are_printed_and_an_emptied_part_prints_the_default_again(plan, centre):
    from trungtam.reports.plan_text import plan_texts_save

    plan_texts_save(
        plan=plan,
        values={
            "funding_text": "Từ ngân sách phường năm 2026: 120.000.000 đồng.",
            "purpose_text": "",
        },
        user=None,
    )
    plan.refresh_from_db()
    text = " ".join(pdf_pages(plan_pdf(plan, day=DAY)))
    assert "V. KINH PHÍ Từ ngân sách phường năm 2026: 120.000.000 đồng." in text
    assert "Kinh phí tổ chức các lớp từ nguồn ngân sách" not in text
    assert "1. Mục đích" in text  # empty: the default again


def test_an_approved_plans_texts_are_not_edited(plan, centre):
    from django.core.exceptions import ValidationError

    from trungtam.reports.plan_text import plan_texts_save

    plan_approve(plan=plan, user=make_leader(centre), number="15")
    with pytest.raises(ValidationError, match="Điều chỉnh kế hoạch"):
        plan_texts_save(plan=plan, values={"funding_text": "Sửa"}, user=None)


def test_a_draft_without_a_date_prints_a_blank_date_line_never_today(plan):
    text = " ".join(pdf_pages(plan_pdf(plan)))
    assert "Phú Lợi, ngày …… tháng …… năm ……" in text
    rows = sheet_rows(plan_xlsx(plan))
    assert "Phú Lợi, ngày …… tháng …… năm ……" in [v for row in rows for v in row]


def test_a_draft_with_its_own_date_prints_that_date(plan):
    plan.issued_on = datetime.date(2025, 12, 20)
    plan.save()
    assert "Phú Lợi, ngày 20 tháng 12 năm 2025" in " ".join(pdf_pages(plan_pdf(plan)))


def test_an_approved_plan_without_an_issue_date_prints_the_approval_date(centre):
    from django.utils import timezone

    plan = make_plan(
        centre,
        targets={builders.make_program(centre): (1, 30)},
        status=PlanStatus.APPROVED,
        approved_at=timezone.make_aware(datetime.datetime(2025, 12, 22, 9, 30)),
    )
    assert "Phú Lợi, ngày 22 tháng 12 năm 2025" in " ".join(pdf_pages(plan_pdf(plan)))


def test_no_system_heading_is_left_alone_at_the_foot_of_a_page(centre):
    """Long plans, with groups starting at every position on a page: a system's heading row is
    always followed on its page by the first program of the group."""
    from lophoc.models import ProgramSystem

    fillers = [builders.make_program(centre, name=f"Chương trình đệm {n:02d}") for n in range(20)]
    others = {}
    for system in (ProgramSystem.STATE, ProgramSystem.MASS, ProgramSystem.OTHER):
        for n in range(3):
            others[builders.make_program(centre, name=f"Lớp {n} {system}", system=system)] = (1, 20)
    checked = 0
    for filler in range(15, 20):  # at 17 without NOSPLIT "Khác" ends page 2 alone
        targets = {program: (1, 10) for program in fillers[:filler]} | others
        plan = make_plan(centre, year=2030 + filler, targets=targets)
        for page in pdf_pages(plan_pdf(plan, day=DAY)):
            for number, heading in (("II", "Hệ Nhà nước"), ("III", "Hệ Đoàn thể"), ("IV", "Khác")):
                row = f"{number} {heading} 3 60"
                if row in page:
                    checked += 1
                    assert f"{row} 1 Lớp 0" in page, (filler, heading, page[-300:])
    assert checked >= 3 * 5

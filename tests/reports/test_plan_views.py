"""Annual plan pages, tried as every role: anonymous, lecturer, official, other centre's staff,
staff, centre leader, admin; then what each page does."""

import datetime
import html
from io import BytesIO

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.models import CourseStatus
from tests import builders
from tests.reports.plan_helpers import YEAR, make_leader, make_plan, make_programs, save_targets
from trungtam.models import Role
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget
from trungtam.reports.plan import APPROVER_ONLY, plan_amend, plan_approve
from trungtam.reports.plan_views import NO_REPORTS, READ_ONLY

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year

PAGES = ["plan_detail", "plan_pdf", "plan_xlsx"]
WRITES = ["plan_edit", "plan_approve", "plan_amend"]


def url(name, plan=None):
    return reverse(f"reports:{name}", args=[plan.pk] if plan else [])


@pytest.fixture
def programs(centre):
    return make_programs(centre)


@pytest.fixture
def plan(centre, programs):
    return make_plan(centre, targets={programs["knd"]: (4, 200), programs["ap"]: (2, 100)})


@pytest.fixture
def leader(centre):
    return make_leader(centre)


def targets_of(plan):
    return {
        t.program.code: (t.planned_classes, t.planned_trainees)
        for t in PlanTarget.objects.filter(plan=plan).select_related("program")
    }


def grid(plan, programs, **values):
    """The targets form's POST data: every program row, with the given {code: (c, t)} filled."""
    data = {"so_van_ban": "", "ngay_ban_hanh": "", "ghi_chu": ""}
    for program in programs.values():
        classes, trainees = values.get(program.code, ("", ""))
        data[f"so_lop_{program.pk}"] = str(classes)
        data[f"so_hoc_vien_{program.pk}"] = str(trainees)
        data[f"ghi_chu_{program.pk}"] = ""
    return data


# --- access, per role -----------------------------------------------------------------------


class TestAccess:
    def test_anonymous_goes_to_login_everywhere(self, client, plan):
        for address in [url("plan_list"), url("plan_create")] + [
            url(name, plan) for name in PAGES + WRITES
        ]:
            response = client.get(address)
            assert response.status_code == 302, address
            assert response["Location"].startswith(reverse("login"))

    def test_lecturers_get_403_on_everything(self, client, lecturer, plan):
        client.force_login(lecturer)
        for address in [url("plan_list"), url("plan_create")] + [
            url(name, plan) for name in PAGES + WRITES
        ]:
            response = client.get(address)
            assert response.status_code == 403, address
        response = client.post(url("plan_create"), {"nam": YEAR + 1})
        assert response.status_code == 403
        assert NO_REPORTS in response.text
        assert AnnualPlan.objects.count() == 1

    def test_officials_read_and_download_but_write_nothing(self, client, official, plan, programs):
        client.force_login(official)
        assert client.get(url("plan_list")).status_code == 200
        detail = client.get(url("plan_detail", plan))
        assert detail.status_code == 200
        assert url("plan_edit", plan) not in detail.text
        assert url("plan_approve", plan) not in detail.text
        assert client.get(url("plan_pdf", plan)).status_code == 200
        assert client.get(url("plan_xlsx", plan)).status_code == 200
        for name in WRITES:
            response = client.get(url(name, plan))
            assert response.status_code == 403, name
            assert READ_ONLY in response.text
        posts = {
            "plan_edit": grid(plan, programs, KND=(9, 900)),
            "plan_approve": {"ngay_ban_hanh": "2026-01-05"},
            "plan_amend": {"ly_do": "Thử"},
        }
        for name, data in posts.items():
            assert client.post(url(name, plan), data).status_code == 403
        assert client.post(url("plan_create"), {"nam": YEAR + 1}).status_code == 403
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
        assert targets_of(plan) == {"KND": (4, 200), "AP": (2, 100)}
        assert AnnualPlan.objects.count() == 1

    def test_another_centres_plan_does_not_exist(self, client, other_staff, plan, programs):
        client.force_login(other_staff)
        for name in PAGES + WRITES:
            assert client.get(url(name, plan)).status_code == 404, name
        assert client.post(url("plan_edit", plan), grid(plan, programs)).status_code == 404
        assert plan.pk not in [p.pk for p in client.get(url("plan_list")).context["page_obj"]]

    def test_another_centres_official_does_not_see_it_either(self, client, other_centre, plan):
        client.force_login(builders.make_user(role=Role.OFFICIAL, centre=other_centre))
        assert client.get(url("plan_detail", plan)).status_code == 404
        assert client.get(url("plan_pdf", plan)).status_code == 404

    def test_staff_edit_but_do_not_approve_or_amend(self, client, staff, plan):
        client.force_login(staff)
        detail = client.get(url("plan_detail", plan))
        assert url("plan_edit", plan) in detail.text
        assert url("plan_approve", plan) not in detail.text
        assert "báo Giám đốc" in detail.text
        assert client.get(url("plan_edit", plan)).status_code == 200
        response = client.post(url("plan_approve", plan), {"ngay_ban_hanh": "2026-01-05"})
        assert response.status_code == 403
        assert APPROVER_ONLY in response.text
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT
        plan.status = PlanStatus.APPROVED
        plan.save()
        response = client.post(url("plan_amend", plan), {"ly_do": "Thêm lớp"})
        assert response.status_code == 403 and APPROVER_ONLY in response.text

    def test_a_leader_approves(self, client, leader, plan):
        client.force_login(leader)
        detail = client.get(url("plan_detail", plan))
        assert url("plan_approve", plan) in detail.text
        assert client.get(url("plan_approve", plan)).status_code == 200
        response = client.post(
            url("plan_approve", plan), {"so_van_ban": "15", "ngay_ban_hanh": "2026-01-08"}
        )
        assert response.status_code == 302
        plan.refresh_from_db()
        assert (plan.status, plan.approved_by, plan.number) == (PlanStatus.APPROVED, leader, "15")
        assert plan.issued_on == datetime.date(2026, 1, 8)
        page = client.get(response["Location"])
        assert "Đã phê duyệt kế hoạch năm" in page.text
        assert "Trần Văn Bình" in page.text

    def test_an_admin_approves_and_amends(self, client, admin_user, plan):
        client.force_login(admin_user)
        client.post(url("plan_approve", plan), {"ngay_ban_hanh": "2026-01-08"})
        plan.refresh_from_db()
        assert plan.approved_by == admin_user
        response = client.post(url("plan_amend", plan), {"ly_do": "Thêm lớp cấp ủy"})
        assert response["Location"] == url("plan_edit", plan)
        plan.refresh_from_db()
        assert (plan.status, plan.revision, plan.amendment_reason) == (
            PlanStatus.DRAFT,
            1,
            "Thêm lớp cấp ủy",
        )

    def test_a_province_official_sees_every_centre(
        self, client, province_official, plan, other_centre
    ):
        theirs = make_plan(other_centre)
        client.force_login(province_official)
        response = client.get(url("plan_list"))
        assert {p.pk for p in response.context["page_obj"]} == {plan.pk, theirs.pk}
        assert other_centre.name in response.text
        response = client.get(url("plan_list"), {"trung_tam": other_centre.pk})
        assert [p.pk for p in response.context["page_obj"]] == [theirs.pk]
        assert client.get(url("plan_detail", theirs)).status_code == 200
        assert client.get(url("plan_edit", theirs)).status_code == 403


# --- list -------------------------------------------------------------------------------------


class TestList:
    def test_one_row_per_plan_with_status_and_totals(self, client, staff, centre, plan, programs):
        make_plan(centre, YEAR - 1, status=PlanStatus.APPROVED, targets={programs["dvm"]: (3, 90)})
        client.force_login(staff)
        response = client.get(url("plan_list"))
        rows = list(response.context["page_obj"])
        assert [(p.year, p.total_classes, p.total_trainees, p.programs) for p in rows] == [
            (YEAR, 6, 300, 2),
            (YEAR - 1, 3, 90, 1),
        ]
        assert "Dự thảo" in response.text and "Đã phê duyệt" in response.text

    def test_filter_by_year(self, client, staff, centre, plan):
        make_plan(centre, YEAR - 1)
        client.force_login(staff)
        response = client.get(url("plan_list"), {"nam": YEAR - 1})
        assert [p.year for p in response.context["page_obj"]] == [YEAR - 1]
        response = client.get(url("plan_list"), {"nam": 2030})
        assert list(response.context["page_obj"]) == []
        assert "Không có kế hoạch nào khớp điều kiện lọc trong năm 2030" in response.text

    def test_empty_state_explains_how_to_start(self, client, staff):
        client.force_login(staff)
        response = client.get(url("plan_list"))
        assert "Chưa có kế hoạch năm nào." in response.text
        assert "Lập kế hoạch năm" in response.text
        assert url("plan_create") in response.text
        assert "Sao chép kế hoạch năm" not in response.text

    def test_it_offers_to_copy_last_years_plan(self, client, staff, centre):
        make_plan(centre, THIS_YEAR - 1)
        client.force_login(staff)
        response = client.get(url("plan_list"))
        assert f"Trung tâm chưa có kế hoạch năm {THIS_YEAR}" in response.text
        assert f"Sao chép kế hoạch năm {THIS_YEAR - 1}" in response.text
        # And the same when looking at a year with nothing, but its previous year planned.
        response = client.get(url("plan_list"), {"nam": THIS_YEAR})
        assert f"Sao chép kế hoạch năm {THIS_YEAR - 1}" in response.text

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (datetime.date(2026, 3, 1), None),  # this year's plan exists, too early for next
            (datetime.date(2026, 10, 1), {"year": 2027, "previous": 2026}),
        ],
    )
    def test_from_october_it_offers_next_years_plan(
        self, client, staff, centre, monkeypatch, today, expected
    ):
        make_plan(centre, 2026)
        monkeypatch.setattr("trungtam.reports.plan_views.timezone.localdate", lambda: today)
        client.force_login(staff)
        assert client.get(url("plan_list")).context["suggestion"] == expected

    def test_officials_are_not_offered_to_create(self, client, official, centre):
        make_plan(centre, THIS_YEAR - 1)
        client.force_login(official)
        response = client.get(url("plan_list"))
        assert url("plan_create") not in response.text
        assert "Sao chép" not in response.text

    def test_pagination(self, client, staff, centre):
        for year in range(2000, 2030):
            make_plan(centre, year)
        client.force_login(staff)
        first = client.get(url("plan_list"))
        assert len(first.context["page_obj"]) == 25
        second = client.get(url("plan_list"), {"trang": 2})
        assert [p.year for p in second.context["page_obj"]] == [2004, 2003, 2002, 2001, 2000]

    def test_queries_do_not_grow_with_the_number_of_plans(self, client, province_official):
        programs_by_centre = {}

        def add_plans(count):
            for _ in range(count):
                centre = builders.make_centre()
                programs_by_centre[centre.pk] = builders.make_program(centre)
                make_plan(centre, YEAR, targets={programs_by_centre[centre.pk]: (2, 60)})
                make_plan(centre, YEAR - 1, status=PlanStatus.APPROVED)

        client.force_login(province_official)
        counts = []
        for count in (3, 6):  # 6 plans, then 18
            add_plans(count)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url("plan_list"))
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]


# --- create -----------------------------------------------------------------------------------


class TestCreate:
    def test_staff_create_a_blank_draft(self, client, staff, centre):
        client.force_login(staff)
        form = client.get(url("plan_create"))
        assert form.status_code == 200
        assert form.context["form"]["year"].initial == THIS_YEAR
        response = client.post(url("plan_create"), {"nam": YEAR})
        plan = AnnualPlan.objects.get(centre=centre, year=YEAR)
        assert response["Location"] == url("plan_edit", plan)
        assert plan.status == PlanStatus.DRAFT
        page = client.get(response["Location"])
        assert f"Đã lập dự thảo kế hoạch năm {YEAR}" in page.text

    def test_copying_last_year(self, client, staff, centre, programs):
        make_plan(centre, YEAR - 1, targets={programs["knd"]: (5, 250), programs["qp"]: (1, 40)})
        client.force_login(staff)
        response = client.post(url("plan_create"), {"nam": YEAR, "sao_chep": "on"})
        plan = AnnualPlan.objects.get(centre=centre, year=YEAR)
        assert targets_of(plan) == {"KND": (5, 250), "QP": (1, 40)}
        page = client.get(response["Location"])
        assert f"sao chép 2 chỉ tiêu từ kế hoạch năm {YEAR - 1}" in page.text

    def test_copying_without_last_year_says_so_next_to_the_box(self, client, staff):
        client.force_login(staff)
        response = client.post(url("plan_create"), {"nam": YEAR, "sao_chep": "on"})
        assert response.status_code == 200
        assert f"chưa có kế hoạch năm {YEAR - 1}" in response.context["form"].errors["copy"][0]
        assert not AnnualPlan.objects.exists()

    def test_a_duplicate_is_refused_with_a_link_to_the_existing_plan(self, client, staff, plan):
        client.force_login(staff)
        response = client.post(url("plan_create"), {"nam": YEAR})
        assert response.status_code == 200
        assert f"đã có kế hoạch năm {YEAR}" in response.context["form"].errors["year"][0]
        assert url("plan_detail", plan) in response.text
        assert AnnualPlan.objects.count() == 1

    def test_a_bad_year_keeps_the_input_and_says_why(self, client, staff):
        client.force_login(staff)
        response = client.post(url("plan_create"), {"nam": "hai nghìn"})
        assert response.status_code == 200
        assert response.context["form"].errors["year"] == ["Hãy nhập năm bằng số, ví dụ 2026."]
        assert 'value="hai nghìn"' in response.text

    def test_next_year_is_proposed_once_this_years_plan_exists(self, client, staff, centre):
        make_plan(centre, THIS_YEAR)
        client.force_login(staff)
        form = client.get(url("plan_create")).context["form"]
        assert form["year"].initial == THIS_YEAR + 1
        assert form["copy"].initial is True  # this year's plan is there to copy
        blank = client.get(url("plan_create"), {"nam": THIS_YEAR + 1, "sao_chep": "0"})
        assert blank.context["form"]["copy"].initial is False

    def test_an_admin_without_a_centre_chooses_one(self, client, superuser, centre, other_centre):
        client.force_login(superuser)
        response = client.post(url("plan_create"), {"nam": YEAR})
        assert response.context["form"].errors["centre"] == ["Hãy chọn trung tâm lập kế hoạch."]
        client.post(url("plan_create"), {"nam": YEAR, "trung_tam": other_centre.pk})
        assert AnnualPlan.objects.get(year=YEAR).centre == other_centre


# --- the plan page --------------------------------------------------------------------------


class TestDetail:
    def test_planned_against_opened_per_program(self, client, staff, centre, plan, programs):
        start = datetime.date(YEAR, 4, 6)
        opened = builders.make_course(
            centre, program=programs["knd"], start_date=start, status=CourseStatus.ENROLLING
        )
        builders.make_enrolment(opened)
        builders.make_course(
            centre, program=programs["knd"], start_date=start, status=CourseStatus.PLANNED
        )
        builders.make_course(
            centre, program=programs["qp"], start_date=start, status=CourseStatus.CLOSED
        )
        client.force_login(staff)
        response = client.get(url("plan_detail", plan))
        rows = {row.name: row for row in response.context["table"].rows}
        knd = rows["Bồi dưỡng nhận thức về Đảng"]
        assert (knd.planned_classes, knd.opened, knd.enrolled) == (4, 1, 1)
        assert "25,0%" in response.text
        assert rows["Kiến thức quốc phòng – an ninh đối tượng 4"].in_plan is False
        assert "ngoài kế hoạch" in response.text
        assert "Hệ Đảng" in response.text and "Hệ Nhà nước" in response.text

    def test_an_empty_plan_says_what_to_do(self, client, staff, centre):
        plan = make_plan(centre)
        client.force_login(staff)
        response = client.get(url("plan_detail", plan))
        assert "Kế hoạch chưa có chỉ tiêu nào." in response.text
        assert url("plan_edit", plan) in response.text

    def test_earlier_approved_figures_are_shown(self, client, staff, centre, programs):
        leader = make_leader(centre)
        plan = make_plan(centre)
        save_targets(plan, {programs["knd"]: (4, 200), programs["ap"]: (2, 100)})
        plan_approve(plan=plan, user=leader, number="15")
        plan = plan_amend(plan=plan, user=leader, reason="Đảng ủy giao thêm chỉ tiêu")
        save_targets(plan, {programs["knd"]: (7, 350), programs["ap"]: (0, 0)})
        client.force_login(staff)
        response = client.get(url("plan_detail", plan))
        assert "Các lần phê duyệt trước" in response.text
        (version,) = response.context["versions"]
        assert {r.name: (r.planned_classes, r.planned_trainees) for r in version.table.rows} == {
            "Bồi dưỡng nhận thức về Đảng": (4, 200),
            "Quản lý nhà nước cho cán bộ ấp, khu phố": (2, 100),
        }
        assert "Kế hoạch ban đầu" in response.text
        assert "Đảng ủy giao thêm chỉ tiêu" in response.text
        assert response.context["table"].total.planned_classes == 7

    def test_queries_do_not_grow_with_targets_classes_or_revisions(self, client, staff, centre):
        leader = make_leader(centre)

        def build(year, size):
            programs = [builders.make_program(centre) for _ in range(size)]
            plan = make_plan(centre, year)
            for program in programs:
                course = builders.make_course(
                    centre,
                    program=program,
                    start_date=datetime.date(year, 5, 4),
                    status=CourseStatus.ENROLLING,
                )
                builders.make_enrolment(course)
            for revision in range(size // 2):
                save_targets(plan, {p: (revision + 1, 30) for p in programs})
                plan_approve(plan=plan, user=leader)
                plan = plan_amend(plan=plan, user=leader, reason=f"Lần {revision + 1}")
            save_targets(plan, {p: (1, 30) for p in programs[:-1]})  # one class unplanned
            return plan

        client.force_login(staff)
        counts = []
        for year, size in ((2026, 2), (2027, 6)):
            plan = build(year, size)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url("plan_detail", plan))
            assert response.status_code == 200
            assert len(response.context["versions"]) == size // 2
            counts.append(len(queries))
        assert counts[0] == counts[1]


# --- editing the targets ----------------------------------------------------------------------


class TestEdit:
    def test_the_form_lists_every_program_with_its_figures(self, client, staff, plan, programs):
        client.force_login(staff)
        response = client.get(url("plan_edit", plan))
        assert [row.program.code for row in response.context["rows"]] == ["KND", "DVM", "AP", "QP"]
        assert response.context["form"][f"so_lop_{programs['knd'].pk}"].initial == 4

    def test_saving_writes_the_targets_and_says_so(self, client, staff, plan, programs):
        client.force_login(staff)
        data = grid(plan, programs, KND=(6, "1.200"), DVM=(2, 80))
        data.update(so_van_ban="15", ngay_ban_hanh="2026-01-05", ghi_chu="Phối hợp")
        response = client.post(url("plan_edit", plan), data)
        assert response["Location"] == url("plan_detail", plan)
        assert targets_of(plan) == {"KND": (6, 1200), "DVM": (2, 80)}
        plan.refresh_from_db()
        assert (plan.number, plan.issued_on, plan.notes) == (
            "15",
            datetime.date(2026, 1, 5),
            "Phối hợp",
        )
        page = client.get(response["Location"])
        assert "Đã lưu kế hoạch năm 2026: 8 lớp, 1.280 học viên (2 chương trình)." in page.text

    def test_errors_name_row_and_column_keep_input_and_change_nothing(
        self, client, staff, plan, programs
    ):
        client.force_login(staff)
        data = grid(plan, programs, KND=(9, 900), DVM=("hai", 80), AP=(1, "100000"))
        data["so_van_ban"] = "15/KH"
        response = client.post(url("plan_edit", plan), data)
        assert response.status_code == 200
        text = html.unescape(response.text)
        assert '«Lý luận chính trị dành cho đảng viên mới», cột "Số lớp"' in text
        assert "phải là số nguyên từ 0 đến 999" in text
        assert 'Dòng 3 «Quản lý nhà nước cho cán bộ ấp, khu phố», cột "Số học viên"' in text
        assert "Số văn bản chỉ ghi số thứ tự" in text
        assert 'value="hai"' in text and 'value="100000"' in text and 'value="900"' in text
        assert "is-invalid" in text
        assert targets_of(plan) == {"KND": (4, 200), "AP": (2, 100)}

    def test_an_approved_plan_is_not_edited(self, client, staff, plan, programs, leader):
        plan_approve(plan=plan, user=leader)
        client.force_login(staff)
        response = client.get(url("plan_edit", plan))
        assert response["Location"] == url("plan_detail", plan)
        page = client.get(response["Location"])
        assert "Kế hoạch đã được phê duyệt nên không sửa trực tiếp được" in page.text
        response = client.post(url("plan_edit", plan), grid(plan, programs, KND=(9, 900)))
        assert response.status_code == 302
        assert targets_of(plan) == {"KND": (4, 200), "AP": (2, 100)}

    def test_a_centre_without_programs_is_told_where_to_add_them(self, client, staff, centre):
        plan = make_plan(centre)
        client.force_login(staff)
        response = client.get(url("plan_edit", plan))
        assert "Trung tâm chưa có chương trình nào đang sử dụng" in response.text


# --- approve, amend -------------------------------------------------------------------------


class TestApproveAndAmend:
    def test_approval_page_shows_totals_and_refuses_an_empty_plan(self, client, leader, centre):
        plan = make_plan(centre)
        client.force_login(leader)
        assert "Kế hoạch chưa có chỉ tiêu nào" in client.get(url("plan_approve", plan)).text
        response = client.post(url("plan_approve", plan), {"ngay_ban_hanh": "2026-01-05"})
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert "chưa có chỉ tiêu nào" in page.text
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_approval_form_errors_stay_on_the_page(self, client, leader, plan):
        client.force_login(leader)
        response = client.post(url("plan_approve", plan), {"so_van_ban": "số 15"})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["issued_on"] == ["Hãy nhập ngày ban hành."]
        assert "chỉ ghi số thứ tự" in errors["number"][0]
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_amending_needs_a_reason(self, client, leader, plan):
        plan_approve(plan=plan, user=leader)
        client.force_login(leader)
        assert "Điều chỉnh kế hoạch năm" in client.get(url("plan_amend", plan)).text
        response = client.post(url("plan_amend", plan), {"ly_do": "  "})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"] == ["Hãy ghi lý do điều chỉnh kế hoạch."]
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED

    def test_amending_a_draft_goes_back_to_the_plan(self, client, leader, plan):
        client.force_login(leader)
        response = client.get(url("plan_amend", plan))
        assert response["Location"] == url("plan_detail", plan)


# --- downloads --------------------------------------------------------------------------------


class TestDownloads:
    def test_pdf_and_xlsx_are_named_after_the_plan(self, client, official, plan):
        client.force_login(official)
        response = client.get(url("plan_pdf", plan))
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="KH-{YEAR}-TTA_ke-hoach-nam.pdf"'
        )
        assert response.getvalue().startswith(b"%PDF")
        response = client.get(url("plan_xlsx", plan))
        assert response["Content-Disposition"].endswith(f'KH-{YEAR}-TTA_ke-hoach-nam.xlsx"')
        sheet = openpyxl.load_workbook(BytesIO(response.getvalue())).active
        values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
        assert "Bồi dưỡng nhận thức về Đảng" in values and 200 in values


# --- the text of the plan (issue 13, item 12) ----------------------------------------------------


def test_the_text_page_shows_the_parts_prefilled_and_saves_them(client, staff, plan, centre):
    client.force_login(staff)
    body = html.unescape(client.get(url("plan_texts", plan)).content.decode())
    assert "I. MỤC ĐÍCH – YÊU CẦU" in body and "VI. TỔ CHỨC THỰC HIỆN" in body
    assert f"nghị quyết của {centre.supervising_committee} năm {YEAR}" in body
    data = {
        "purpose_text": "Mục đích riêng.",
        "participants_text": "",
        "schedule_text": "Quý II và quý III.",
        "funding_text": "Ngân sách phường.",
        "organisation_text": "Phòng Đào tạo chủ trì.",
    }
    response = client.post(url("plan_texts", plan), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.purpose_text, plan.schedule_text, plan.participants_text) == (
        "Mục đích riêng.",
        "Quý II và quý III.",
        "",
    )
    assert plan.history.first().history_user == staff


def test_the_text_of_an_approved_plan_is_not_edited(client, leader, plan):
    plan_approve(plan=plan, user=leader, number="15")
    client.force_login(leader)
    response = client.post(url("plan_texts", plan), {"funding_text": "Sửa"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.funding_text == ""


def test_an_official_cannot_edit_the_text(client, centre, plan):
    official = builders.make_user(role=Role.OFFICIAL, centre=centre, username="capuy")
    client.force_login(official)
    assert client.post(url("plan_texts", plan), {"funding_text": "Sửa"}).status_code == 403
    plan.refresh_from_db()
    assert plan.funding_text == ""

"""Annual plan services: create (or copy last year's), save the targets, approve, amend, and the
earlier approved figures read back from the history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lophoc.models import CourseStatus, ProgramSystem
from tests import builders
from tests.reports.plan_helpers import YEAR, make_leader, make_plan, make_programs, save_targets
from trungtam.models import Role
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget
from trungtam.reports.plan import (
    APPROVED_NOT_EDITABLE,
    PlanExists,
    PlanLocked,
    TargetInput,
    approved_versions,
    plan_amend,
    plan_approve,
    plan_create,
    plan_programs,
    plan_save,
    plan_table,
    title_key,
)

pytestmark = pytest.mark.django_db


def figures(plan) -> dict[str, tuple[int, int, str]]:
    return {
        t.program.code: (t.planned_classes, t.planned_trainees, t.notes)
        for t in PlanTarget.objects.filter(plan=plan).select_related("program")
    }


def version_figures(version) -> dict[str, tuple[int, int]]:
    return {row.name: (row.planned_classes, row.planned_trainees) for row in version.table.rows}


# --- create -----------------------------------------------------------------------------------


def test_a_new_plan_is_an_empty_draft(centre, staff):
    plan = plan_create(centre=centre, year=YEAR, user=staff)
    assert (plan.status, plan.revision, plan.targets.count()) == (PlanStatus.DRAFT, 0, 0)
    assert plan.history.first().history_user == staff


def test_copying_last_year_copies_every_target_and_starts_as_a_draft(centre, staff):
    programs = make_programs(centre)
    retired = builders.make_program(centre, code="CU", name="Chương trình cũ", active=False)
    last = make_plan(
        centre,
        YEAR - 1,
        status=PlanStatus.APPROVED,
        number="12",
        targets={
            programs["knd"]: (6, 300, "Mỗi quý một lớp"),
            programs["ap"]: (2, 120),
            retired: (1, 40),
        },
    )
    plan = plan_create(centre=centre, year=YEAR, copy_from_last_year=True, user=staff)
    assert plan.status == PlanStatus.DRAFT
    assert (plan.number, plan.approved_by, plan.revision) == ("", None, 0)
    assert (
        figures(plan)
        == figures(last)
        == {
            "KND": (6, 300, "Mỗi quý một lớp"),
            "AP": (2, 120, ""),
            "CU": (1, 40, ""),
        }
    )
    # Last year's plan is untouched.
    last.refresh_from_db()
    assert last.status == PlanStatus.APPROVED and last.targets.count() == 3


def test_copying_without_last_years_plan_is_refused_and_creates_nothing(centre):
    make_plan(centre, YEAR - 2, targets={})
    with pytest.raises(ValidationError) as refused:
        plan_create(centre=centre, year=YEAR, copy_from_last_year=True)
    assert f"chưa có kế hoạch năm {YEAR - 1}" in refused.value.message_dict["copy"][0]
    assert not AnnualPlan.objects.filter(year=YEAR).exists()


def test_one_plan_per_centre_and_year(centre, other_centre):
    existing = make_plan(centre)
    with pytest.raises(PlanExists) as refused:
        plan_create(centre=centre, year=YEAR)
    assert refused.value.plan == existing
    assert f"đã có kế hoạch năm {YEAR}" in refused.value.messages[0]
    assert plan_create(centre=other_centre, year=YEAR).centre == other_centre


@pytest.mark.parametrize("year", [1999, 2101, "abc"])
def test_a_year_out_of_range_is_refused(centre, year):
    with pytest.raises(ValidationError):
        plan_create(centre=centre, year=year)
    assert not AnnualPlan.objects.exists()


# --- the targets ------------------------------------------------------------------------------


def test_the_rows_are_every_program_in_use_or_with_a_target_in_system_order(centre, other_centre):
    programs = make_programs(centre)
    retired_with = builders.make_program(
        centre, code="R1", name="Cập nhật kiến thức cũ", active=False
    )
    builders.make_program(centre, code="R2", name="Chương trình bỏ", active=False)
    builders.make_program(other_centre, code="X", name="Của trung tâm khác")
    plan = make_plan(centre, targets={retired_with: (1, 30)})
    assert [p.code for p in plan_programs(plan)] == ["KND", "R1", "DVM", "AP", "QP"]
    assert programs["knd"].system == ProgramSystem.PARTY


def test_title_order_is_word_by_word_not_by_the_last_word():
    names = ["Lý luận chính trị dành cho đảng viên mới", "Bồi dưỡng nhận thức về Đảng", "Bồi"]
    assert sorted(names, key=title_key) == [
        "Bồi",
        "Bồi dưỡng nhận thức về Đảng",
        "Lý luận chính trị dành cho đảng viên mới",
    ]


def test_saving_creates_updates_and_removes_targets_in_one_go(centre, staff):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200), programs["qp"]: (1, 50)})
    plan_save(
        plan=plan,
        targets=[
            TargetInput(programs["knd"].pk, 6, 320, "Tăng chỉ tiêu"),
            TargetInput(programs["dvm"].pk, 2, 90),
            TargetInput(programs["ap"].pk, 0, 0, ""),
            TargetInput(programs["qp"].pk, 0, 0, ""),
        ],
        number="15",
        issued_on=datetime.date(2026, 1, 5),
        notes="Phối hợp với Ban Chỉ huy quân sự.",
        user=staff,
    )
    plan.refresh_from_db()
    assert figures(plan) == {"KND": (6, 320, "Tăng chỉ tiêu"), "DVM": (2, 90, "")}
    assert (plan.number, plan.issued_on, plan.notes) == (
        "15",
        datetime.date(2026, 1, 5),
        "Phối hợp với Ban Chỉ huy quân sự.",
    )
    assert plan.targets.get(program=programs["knd"]).history.first().history_user == staff


def test_validation_errors_name_the_row_and_column_and_leave_the_database_unchanged(centre):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200)}, notes="Cũ")
    with pytest.raises(ValidationError) as refused:
        plan_save(
            plan=plan,
            targets=[
                TargetInput(programs["knd"].pk, 5, 250),  # valid, must not be written either
                TargetInput(programs["dvm"].pk, -1, 90),
                TargetInput(programs["ap"].pk, 2, 100_000, "x" * 301),
            ],
            number="15/KH",
            notes="Mới",
        )
    assert refused.value.messages == [
        'Dòng 2 «Lý luận chính trị dành cho đảng viên mới», cột "Số lớp": "-1" phải là số '
        "nguyên từ 0 đến 999.",
        'Dòng 3 «Quản lý nhà nước cho cán bộ ấp, khu phố», cột "Số học viên": "100000" phải là '
        "số nguyên từ 0 đến 99.999.",
        'Dòng 3 «Quản lý nhà nước cho cán bộ ấp, khu phố», cột "Ghi chú": dài 301 ký tự, tối đa '
        "300.",
        "Số văn bản chỉ ghi số thứ tự, ví dụ 15; phần «-KH/…» được thêm khi in theo thể thức của "
        "trung tâm.",
    ]
    plan.refresh_from_db()
    assert figures(plan) == {"KND": (4, 200, "")}
    assert (plan.notes, plan.number) == ("Cũ", "")


def test_a_program_of_another_centre_or_retired_is_refused(centre, other_centre):
    make_programs(centre)
    foreign = builders.make_program(other_centre)
    retired = builders.make_program(centre, active=False)
    plan = make_plan(centre)
    for program in (foreign, retired):
        with pytest.raises(ValidationError, match="không lập chỉ tiêu"):
            plan_save(plan=plan, targets=[TargetInput(program.pk, 1, 30)])
    assert not plan.targets.exists()


def test_an_approved_plan_cannot_be_edited(centre):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200)}, status=PlanStatus.APPROVED)
    with pytest.raises(PlanLocked) as refused:
        save_targets(plan, {programs["knd"]: (9, 900)})
    assert refused.value.messages == [APPROVED_NOT_EDITABLE]
    assert figures(plan) == {"KND": (4, 200, "")}


# --- approve ----------------------------------------------------------------------------------


def test_approval_records_who_and_when(centre):
    programs = make_programs(centre)
    leader = make_leader(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200)})
    before = timezone.now()
    plan_approve(plan=plan, user=leader, number="15", issued_on=datetime.date(2026, 1, 8))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_by == leader
    assert before <= plan.approved_at <= timezone.now()
    assert (plan.number, plan.issued_on) == ("15", datetime.date(2026, 1, 8))
    assert plan.history.first().history_user == leader


def test_approval_dates_the_plan_today_when_no_date_is_given(centre, admin_user):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200)})
    plan_approve(plan=plan, user=admin_user)
    plan.refresh_from_db()
    assert plan.issued_on == timezone.localdate()
    assert plan.approved_by == admin_user


def test_only_leaders_and_admins_approve(centre, staff, official):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200)})
    lecturer_leader = builders.make_user(role=Role.LECTURER, centre=centre, is_centre_leader=True)
    for user in (staff, official, lecturer_leader):
        with pytest.raises(PermissionDenied, match="Chỉ Giám đốc"):
            plan_approve(plan=plan, user=user)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_by is None


def test_a_plan_without_targets_is_not_approved(centre):
    plan = make_plan(centre, targets={builders.make_program(centre): (0, 0, "để sau")})
    with pytest.raises(ValidationError, match="chưa có chỉ tiêu"):
        plan_approve(plan=plan, user=make_leader(centre))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_approving_twice_is_refused(centre):
    leader = make_leader(centre)
    plan = make_plan(centre, targets={builders.make_program(centre): (1, 30)})
    plan_approve(plan=plan, user=leader)
    with pytest.raises(ValidationError, match="đã được phê duyệt rồi"):
        plan_approve(plan=plan, user=leader)


# --- amend and the history ----------------------------------------------------------------------


def test_amending_needs_a_reason_and_an_approver(centre, staff):
    leader = make_leader(centre)
    plan = make_plan(centre, targets={builders.make_program(centre): (1, 30)})
    plan_approve(plan=plan, user=leader, number="15")
    with pytest.raises(PermissionDenied):
        plan_amend(plan=plan, user=staff, reason="Thêm lớp")
    with pytest.raises(ValidationError) as refused:
        plan_amend(plan=plan, user=leader, reason="   ")
    assert refused.value.message_dict == {"reason": ["Hãy ghi lý do điều chỉnh kế hoạch."]}
    plan.refresh_from_db()
    assert (plan.status, plan.revision) == (PlanStatus.APPROVED, 0)


def test_amending_a_draft_is_refused(centre):
    plan = make_plan(centre, targets={builders.make_program(centre): (1, 30)})
    with pytest.raises(ValidationError, match="đang là dự thảo"):
        plan_amend(plan=plan, user=make_leader(centre), reason="Thêm lớp")


def test_amending_reopens_the_plan_and_keeps_the_approved_figures_readable(centre, staff):
    programs = make_programs(centre)
    leader = make_leader(centre)
    plan = make_plan(centre)
    save_targets(plan, {programs["knd"]: (4, 200), programs["ap"]: (2, 100)}, user=staff)
    plan_approve(plan=plan, user=leader, number="15", issued_on=datetime.date(2026, 1, 8))

    plan = plan_amend(plan=plan, user=leader, reason="Đảng ủy giao thêm chỉ tiêu")
    assert (plan.status, plan.revision, plan.amendment_reason) == (
        PlanStatus.DRAFT,
        1,
        "Đảng ủy giao thêm chỉ tiêu",
    )
    assert (plan.approved_by, plan.approved_at, plan.number) == (None, None, "")
    save_targets(
        plan,
        {programs["knd"]: (6, 320), programs["ap"]: (0, 0), programs["qp"]: (1, 60)},
        user=staff,
    )
    plan_approve(plan=plan, user=leader, number="40")
    plan = plan_amend(plan=plan, user=leader, reason="Bớt lớp quốc phòng")
    save_targets(plan, {programs["qp"]: (0, 0), programs["dvm"]: (3, 150)}, user=staff)

    first, second = approved_versions(plan)
    assert (first.revision, first.label, first.number, first.approved_by) == (
        0,
        "Kế hoạch ban đầu",
        "15",
        "Trần Văn Bình",
    )
    assert first.issued_on == datetime.date(2026, 1, 8)
    assert first.amendment_reason == "Đảng ủy giao thêm chỉ tiêu"
    assert version_figures(first) == {
        "Bồi dưỡng nhận thức về Đảng": (4, 200),
        "Quản lý nhà nước cho cán bộ ấp, khu phố": (2, 100),
    }
    assert (first.table.total.planned_classes, first.table.total.planned_trainees) == (6, 300)
    assert (second.revision, second.label, second.number) == (1, "Điều chỉnh lần 1", "40")
    assert second.amendment_reason == "Bớt lớp quốc phòng"
    assert version_figures(second) == {
        "Bồi dưỡng nhận thức về Đảng": (6, 320),
        "Kiến thức quốc phòng – an ninh đối tượng 4": (1, 60),
    }
    # The plan itself now holds the third revision's figures.
    assert figures(plan) == {"KND": (6, 320, ""), "DVM": (3, 150, "")}


def test_targets_written_without_history_are_still_read_back_after_an_amendment(centre):
    """The demo (and any bulk insert) writes targets without history rows."""
    programs = make_programs(centre)
    leader = make_leader(centre)
    plan = make_plan(centre, status=PlanStatus.APPROVED, approved_by=leader)
    PlanTarget.objects.bulk_create(
        [
            PlanTarget(plan=plan, program=programs["knd"], planned_classes=4, planned_trainees=200),
            PlanTarget(plan=plan, program=programs["ap"], planned_classes=2, planned_trainees=90),
        ]
    )
    PlanTarget.objects.filter(program=programs["ap"]).update(planned_trainees=100)
    plan = plan_amend(plan=plan, user=leader, reason="Thêm lớp")
    save_targets(plan, {programs["knd"]: (9, 450), programs["ap"]: (0, 0)})
    (version,) = approved_versions(plan)
    assert version_figures(version) == {
        "Bồi dưỡng nhận thức về Đảng": (4, 200),
        "Quản lý nhà nước cho cán bộ ấp, khu phố": (2, 100),
    }
    assert version.approved_by == "Trần Văn Bình"


def test_the_approval_in_force_is_not_an_earlier_one(centre):
    plan = make_plan(centre, targets={builders.make_program(centre): (1, 30)})
    assert approved_versions(plan) == []
    plan_approve(plan=plan, user=make_leader(centre))
    assert approved_versions(plan) == []


def test_earlier_approvals_are_read_in_three_queries(centre, staff):
    programs = list(make_programs(centre).values())
    leader = make_leader(centre)

    def amended(revisions: int):
        plan = make_plan(centre, YEAR + revisions)
        for revision in range(revisions):
            save_targets(plan, {p: (revision + 1, 10 * (revision + 1)) for p in programs})
            plan_approve(plan=plan, user=leader)
            plan = plan_amend(plan=plan, user=leader, reason=f"Lần {revision + 1}")
        return plan

    counts = []
    for revisions in (1, 3):
        plan = amended(revisions)
        with CaptureQueriesContext(connection) as queries:
            versions = approved_versions(plan)
        assert len(versions) == revisions
        counts.append(len(queries))
    assert counts == [3, 3]


# --- planned vs opened ---------------------------------------------------------------------------


def test_the_table_counts_classes_opened_this_year_against_the_plan(centre):
    programs = make_programs(centre)
    plan = make_plan(centre, targets={programs["knd"]: (4, 200), programs["ap"]: (2, 100)})
    march = datetime.date(YEAR, 3, 2)
    for status in (CourseStatus.ENROLLING, CourseStatus.CLOSED, CourseStatus.PLANNED):
        builders.make_course(centre, program=programs["knd"], start_date=march, status=status)
    builders.make_course(
        centre, program=programs["knd"], start_date=march, status=CourseStatus.CANCELLED
    )
    builders.make_course(
        centre,
        program=programs["knd"],
        start_date=datetime.date(YEAR - 1, 3, 2),
        status=CourseStatus.CLOSED,
    )
    unplanned = builders.make_course(
        centre, program=programs["qp"], start_date=march, status=CourseStatus.IN_PROGRESS
    )
    builders.make_enrolment(unplanned)
    builders.make_enrolment(unplanned)

    table = plan_table(plan, with_progress=True)
    rows = {row.name: row for row in table.rows}
    knd = rows["Bồi dưỡng nhận thức về Đảng"]
    assert (knd.planned_classes, knd.opened, knd.in_plan) == (4, 2, True)
    assert str(knd.classes_of_plan) == "50.0"
    assert rows["Quản lý nhà nước cho cán bộ ấp, khu phố"].opened == 0
    outside = rows["Kiến thức quốc phòng – an ninh đối tượng 4"]
    assert (outside.in_plan, outside.planned_classes, outside.opened, outside.enrolled) == (
        False,
        0,
        1,
        2,
    )
    assert [g.heading for g in table.groups] == ["Hệ Đảng", "Hệ Nhà nước", "Khác"]
    assert (table.total.planned_classes, table.total.opened) == (6, 3)

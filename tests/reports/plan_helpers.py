"""Builders for the annual plan tests: programs of every system, a plan with targets."""

from lophoc.models import ProgramSystem
from tests import builders
from trungtam.models import Role
from trungtam.reports.models import AnnualPlan, PlanStatus, PlanTarget
from trungtam.reports.plan import TargetInput, plan_save

YEAR = 2026


def make_leader(centre, **overrides):
    values = {"username": "giamdoc", "full_name": "Trần Văn Bình", "is_centre_leader": True}
    values.update(overrides)
    return builders.make_user(role=Role.STAFF, centre=centre, **values)


def make_programs(centre):
    """One program in three systems, names chosen so that the order is by first word."""
    return {
        "knd": builders.make_program(
            centre,
            code="KND",
            name="Bồi dưỡng nhận thức về Đảng",
            system=ProgramSystem.PARTY,
        ),
        "dvm": builders.make_program(
            centre,
            code="DVM",
            name="Lý luận chính trị dành cho đảng viên mới",
            system=ProgramSystem.PARTY,
        ),
        "ap": builders.make_program(
            centre,
            code="AP",
            name="Quản lý nhà nước cho cán bộ ấp, khu phố",
            system=ProgramSystem.STATE,
        ),
        "qp": builders.make_program(
            centre,
            code="QP",
            name="Kiến thức quốc phòng – an ninh đối tượng 4",
            system=ProgramSystem.OTHER,
        ),
    }


def make_plan(centre, year=YEAR, *, targets=None, status=PlanStatus.DRAFT, **fields) -> AnnualPlan:
    """A plan with targets {program: (classes, trainees[, notes])}, written directly."""
    plan = AnnualPlan.objects.create(centre=centre, year=year, status=status, **fields)
    for program, figures in (targets or {}).items():
        notes = figures[2] if len(figures) > 2 else ""
        PlanTarget.objects.create(
            plan=plan,
            program=program,
            planned_classes=figures[0],
            planned_trainees=figures[1],
            notes=notes,
        )
    return plan


def save_targets(plan, targets: dict, **fields):
    """Save {program: (classes, trainees)} through the service, as the targets page does."""
    return plan_save(
        plan=plan,
        targets=[TargetInput(program.pk, c, t) for program, (c, t) in targets.items()],
        **fields,
    )

"""The annual plan and the needs survey of its year (issue 16): the demand next to each target,
and "Lập từ kết quả khảo sát" — draft targets from the survey's totals.

A program's target from the survey: trainees = the total the units asked for; classes = that
total divided by the program's usual class size, rounded up. The program has no class-size field,
so its usual size is the average capacity (sĩ số tối đa) of its classes at the centre that were
not cancelled; a program that never had a class uses DEFAULT_CLASS_SIZE, the capacity a new class
is given by default.
"""

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg

from khaosat.models import Survey
from khaosat.surveys import demand_by_program
from lophoc.models import Course, CourseStatus, Program
from trungtam.models import User
from trungtam.reports.models import AnnualPlan
from trungtam.reports.plan import (
    PlanLocked,
    PlanTable,
    TargetInput,
    edit_refusal,
    plan_programs,
    plan_save,
    program_order,
)

DEFAULT_CLASS_SIZE: int = Course._meta.get_field("capacity").default


def plan_survey(plan: AnnualPlan) -> Survey | None:
    """The centre's survey for the plan's year, or None (one query)."""
    return Survey.objects.filter(centre_id=plan.centre_id, year=plan.year).first()


def attach_demand(table: PlanTable, demand: dict[int, tuple[int, int]]) -> None:
    """Put the trainees asked for (`demand`, from `demand_by_program`) on every row of the
    plan's table (`row.demand`), its groups and its total (no query)."""
    for group in table.groups:
        for row in group.rows:
            row.demand = demand.get(row.program_id, (0, 0))[0]
        group.demand = sum(row.demand for row in group.rows)
    for row in table.total.rows:
        row.demand = demand.get(row.program_id, (0, 0))[0]
    table.total.demand = sum(row.demand for row in table.total.rows)


def usual_class_sizes(centre_id: int, program_ids) -> dict[int, int]:
    """{program id: average capacity of its classes not cancelled}, rounded (one query)."""
    rows = (
        Course.objects.filter(centre_id=centre_id, program_id__in=list(program_ids))
        .exclude(status=CourseStatus.CANCELLED)
        .values("program_id")
        .annotate(size=Avg("capacity"))
        .order_by()
    )
    return {row["program_id"]: max(1, int(row["size"] + 0.5)) for row in rows if row["size"]}


def classes_for(trainees: int, class_size: int) -> int:
    return math.ceil(trainees / class_size) if trainees > 0 else 0


@dataclass
class TargetChange:
    program_id: int
    name: str
    demand: int
    units: int
    class_size: int
    size_from_classes: bool  # False: DEFAULT_CLASS_SIZE
    old_classes: int | None  # None: no target before
    old_trainees: int | None
    new_classes: int
    new_trainees: int
    notes: str = ""

    @property
    def changed(self) -> bool:
        return (self.old_classes, self.old_trainees) != (self.new_classes, self.new_trainees)


@dataclass
class FromSurvey:
    """What "Lập từ kết quả khảo sát" does (or did) to a plan."""

    survey: Survey
    changes: list[TargetChange] = field(default_factory=list)  # programs asked for
    kept: list[str] = field(default_factory=list)  # targets nobody asked for: left as they are
    skipped: list[str] = field(default_factory=list)  # asked for, but no longer in use

    @property
    def changed(self) -> list[TargetChange]:
        return [change for change in self.changes if change.changed]

    def summary(self) -> str:
        changed = self.changed
        text = (
            f"Đã lập chỉ tiêu từ kết quả khảo sát nhu cầu năm {self.survey.year}: "
            f"{len(changed)} chương trình được ghi chỉ tiêu mới"
        )
        same = len(self.changes) - len(changed)
        if same:
            text += f", {same} chương trình giữ nguyên (đã đúng số khảo sát)"
        if self.kept:
            text += f"; giữ nguyên chỉ tiêu không có nhu cầu khảo sát: {', '.join(self.kept)}"
        if self.skipped:
            text += f"; bỏ qua chương trình đã ngừng sử dụng: {', '.join(self.skipped)}"
        return text + "."


NO_SURVEY = (
    "Chưa có khảo sát nhu cầu năm {year} của trung tâm nên chưa lập chỉ tiêu từ khảo sát được. "
    "Hãy mở khảo sát ở mục Báo cáo › Khảo sát nhu cầu."
)
NO_DEMAND = (
    "Khảo sát nhu cầu năm {year} chưa có đơn vị nào đăng ký học viên, nên chưa có gì để lập chỉ "
    "tiêu. Hãy chờ các đơn vị trả lời (hoặc nhập phiếu giấy) rồi thử lại."
)


def from_survey_preview(plan: AnnualPlan, survey: Survey | None = None) -> FromSurvey:
    """What the survey would set on the plan, without writing (a fixed number of queries)."""
    survey = survey or plan_survey(plan)
    if survey is None:
        raise ValidationError(NO_SURVEY.format(year=plan.year))
    demand = demand_by_program(plan.centre_id, plan.year)
    if not demand:
        raise ValidationError(NO_DEMAND.format(year=plan.year))
    programs = {program.pk: program for program in plan_programs(plan)}
    targets = {target.program_id: target for target in plan.targets.all()}
    sizes = usual_class_sizes(plan.centre_id, demand)
    result = FromSurvey(survey=survey)
    for program in sorted(programs.values(), key=lambda p: program_order(p.system, p.name, p.pk)):
        asked = demand.get(program.pk)
        target = targets.get(program.pk)
        if asked is None:
            if target is not None and (target.planned_classes or target.planned_trainees):
                result.kept.append(program.name)
            continue
        size = sizes.get(program.pk, DEFAULT_CLASS_SIZE)
        result.changes.append(
            TargetChange(
                program_id=program.pk,
                name=program.name,
                demand=asked[0],
                units=asked[1],
                class_size=size,
                size_from_classes=program.pk in sizes,
                old_classes=target.planned_classes if target else None,
                old_trainees=target.planned_trainees if target else None,
                new_classes=classes_for(asked[0], size),
                new_trainees=asked[0],
                notes=target.notes if target else "",
            )
        )
    missing = [pk for pk in demand if pk not in programs]
    if missing:
        result.skipped = sorted(
            Program.objects.filter(pk__in=missing).values_list("name", flat=True)
        )
    return result


@transaction.atomic
def plan_from_survey(*, plan: AnnualPlan, user: User | None = None) -> FromSurvey:
    """Set the draft's targets of every program the units asked for from the survey's totals, in
    one transaction; targets of programs nobody asked for are left as they are. An approved plan
    is refused (it is amended first)."""
    plan = AnnualPlan.objects.select_for_update().select_related("centre").get(pk=plan.pk)
    if edit_refusal(plan):
        raise PlanLocked()
    result = from_survey_preview(plan)
    plan_save(
        plan=plan,
        targets=[
            TargetInput(
                program_id=change.program_id,
                planned_classes=change.new_classes,
                planned_trainees=change.new_trainees,
                notes=change.notes,
            )
            for change in result.changes
        ],
        number=plan.number,
        issued_on=plan.issued_on,
        notes=plan.notes,
        user=user,
    )
    return result

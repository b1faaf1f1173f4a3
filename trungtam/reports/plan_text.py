"""The text of the annual plan as a committee approves it: six parts (I. Mục đích – yêu cầu,
II. Đối tượng, III. Chỉ tiêu, IV. Thời gian, V. Kinh phí, VI. Tổ chức thực hiện).

Part III is the targets table. The other parts are stored on the plan when staff edit them; a
part left empty is printed from the sentences below, written from the plan's data (year, centre,
supervising committee, programs), so a new plan reads as a whole document from the start. The
totals are printed only in part III, from the targets as they stand, so an edited text never
carries stale figures.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trungtam.documents.numbers import format_number
from trungtam.models import User
from trungtam.reports.models import AnnualPlan, PlanStatus

from .plan import APPROVED_NOT_EDITABLE, PlanLocked, PlanTable

TEXT_LENGTH = 10_000


@dataclass(frozen=True)
class Part:
    field: str  # the AnnualPlan field, "" for the targets table
    heading: str


PARTS = [
    Part("purpose_text", "I. MỤC ĐÍCH – YÊU CẦU"),
    Part("participants_text", "II. ĐỐI TƯỢNG"),
    Part("", "III. CHỈ TIÊU"),
    Part("schedule_text", "IV. THỜI GIAN"),
    Part("funding_text", "V. KINH PHÍ"),
    Part("organisation_text", "VI. TỔ CHỨC THỰC HIỆN"),
]
TEXT_FIELDS = [part.field for part in PARTS if part.field]


def default_texts(plan: AnnualPlan, table: PlanTable) -> dict[str, str]:
    """The sentences each part starts from, written from the plan's data. No query beyond the
    plan's centre (already loaded) and the table given."""
    centre = plan.centre
    year = plan.year
    committee = centre.supervising_committee or centre.parent_body
    programs = [row.name for group in table.groups for row in group.rows if row.in_plan]
    participants = [
        "Cán bộ, đảng viên, công chức, viên chức, đoàn viên, hội viên và quần chúng ưu tú ở các "
        f"cơ quan, đơn vị, địa phương do {centre.name} phụ trách, theo đúng đối tượng của từng "
        "chương trình:"
    ]
    participants += [f"- {name}: theo quy định của chương trình;" for name in programs]
    if not programs:
        participants.append("- Đối tượng cụ thể theo từng chương trình tại Mục III.")
    return {
        "purpose_text": "\n".join(
            [
                "1. Mục đích",
                "Trang bị, cập nhật kiến thức lý luận chính trị, chủ trương, đường lối của Đảng, "
                "chính sách, pháp luật của Nhà nước và nghiệp vụ công tác cho cán bộ, đảng viên, "
                "đoàn viên, hội viên và nhân dân; góp phần thực hiện thắng lợi nghị quyết của "
                f"{committee} năm {year}.",
                "2. Yêu cầu",
                "Tổ chức các lớp đúng chương trình, đúng đối tượng, bảo đảm chất lượng và thời "
                "gian; quản lý chặt chẽ việc học tập của học viên; hoàn thành chỉ tiêu tại Mục III.",
            ]
        ),
        "participants_text": "\n".join(participants),
        "schedule_text": (
            f"Các lớp được tổ chức từ tháng 01 đến tháng 12 năm {year}. Thời gian cụ thể của "
            f"từng lớp do {centre.name} thông báo đến các cơ quan, đơn vị trước khi khai giảng."
        ),
        "funding_text": (
            f"Kinh phí tổ chức các lớp từ nguồn ngân sách được giao cho {centre.name} năm {year} "
            "và các nguồn kinh phí hợp pháp khác theo quy định."
        ),
        "organisation_text": "\n".join(
            [
                f"1. {centre.name} chủ trì xây dựng chương trình, nội dung, lịch học; mời giảng "
                "viên; phối hợp với các cơ quan, đơn vị chiêu sinh, tổ chức và quản lý lớp học; "
                f"định kỳ báo cáo kết quả với {committee}.",
                "2. Các cơ quan, đơn vị cử cán bộ, đảng viên, hội viên đi học đúng đối tượng, đủ "
                "số lượng; tạo điều kiện để học viên tham gia học tập đầy đủ.",
            ]
        ),
    }


def plan_texts(plan: AnnualPlan, table: PlanTable) -> dict[str, str]:
    """Each part's text as printed: the saved text, else the default."""
    defaults = default_texts(plan, table)
    return {name: getattr(plan, name).strip() or defaults[name] for name in TEXT_FIELDS}


def targets_sentence(plan: AnnualPlan, table: PlanTable) -> str:
    return (
        f"Năm {plan.year}, {plan.centre.name} mở {format_number(table.total.planned_classes)} "
        f"lớp với {format_number(table.total.planned_trainees)} học viên, cụ thể như sau:"
    )


def document_day(plan: AnnualPlan) -> datetime.date | None:
    """The date printed on the plan: its date of issue; for an approved plan without one, the
    day it was approved; for a draft without one, nothing (a blank date line, never today)."""
    if plan.issued_on:
        return plan.issued_on
    if plan.status == PlanStatus.APPROVED and plan.approved_at:
        return timezone.localtime(plan.approved_at).date()
    return None


@transaction.atomic
def plan_texts_save(*, plan: AnnualPlan, values: dict[str, str], user: User | None) -> AnnualPlan:
    """Store the parts of a draft's text; an empty part prints the default again. Refused on an
    approved plan (amend it first)."""
    plan = AnnualPlan.objects.select_for_update().select_related("centre").get(pk=plan.pk)
    if plan.status == PlanStatus.APPROVED:
        raise PlanLocked()
    errors = []
    for part in PARTS:
        if part.field and len(values.get(part.field) or "") > TEXT_LENGTH:
            errors.append(
                f"Phần «{part.heading}» dài quá {format_number(TEXT_LENGTH)} ký tự; hãy viết "
                "ngắn lại."
            )
    if errors:
        raise ValidationError(errors)
    for name in TEXT_FIELDS:
        if name in values:
            lines = [line.rstrip() for line in (values[name] or "").strip().splitlines()]
            setattr(plan, name, "\n".join(lines))
    if user is not None:
        plan._history_user = user
    plan.save()
    return plan


__all__ = [
    "APPROVED_NOT_EDITABLE",
    "PARTS",
    "TEXT_FIELDS",
    "default_texts",
    "document_day",
    "plan_texts",
    "plan_texts_save",
    "targets_sentence",
]

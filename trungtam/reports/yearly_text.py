"""The sentences the yearly report's narrative is pre-filled with, generated from the figures
("Năm 2026, Trung tâm mở 34/36 lớp, đạt 94,4% kế hoạch …"); staff edit them before printing.

The assessment parts (ưu điểm, hạn chế, nguyên nhân, bài học kinh nghiệm, kiến nghị – đề xuất)
say what the figures can say — plan achievement, attendance against the target and last year,
pass and Giỏi+ rates, units with low attendance, the lecturers' norm — and where figures cannot
speak (causes, lessons) they hold a placeholder in square brackets "[…]" for staff to write; a
report is not sent while one remains (`yearly.send_refusals`)."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from giangvien.models import LecturerKind
from lophoc.models import Classification, ProgramSystem
from trungtam.documents.numbers import format_number, format_percent
from trungtam.reports.figures import BANDS, Figures, YearFigures
from trungtam.reports.models import PlanStatus, PlanTarget

from .yearly_summary import Summary

# Written into the generated text for staff to replace; a report is not sent while "[" remains.
PLACEHOLDER_MARK = "["
CAUSES_PLACEHOLDER = "[Nêu nguyên nhân khách quan, chủ quan của các hạn chế trên]"
STRENGTHS_PLACEHOLDER = "[Nêu những ưu điểm nổi bật trong năm]"
LIMITATIONS_PLACEHOLDER = "[Nêu những hạn chế trong năm, nếu có]"
LESSONS_PLACEHOLDER = (
    "[Nêu bài học kinh nghiệm rút ra từ thực tiễn tổ chức đào tạo, bồi dưỡng trong năm]"
)
RECOMMENDATIONS_PLACEHOLDER = "[Nêu kiến nghị, đề xuất với cấp ủy; nếu không có, ghi «Không có.»]"
ATTENDANCE_TARGET = Decimal("95")
PASS_TARGET = Decimal("90")
GOOD_TARGET = Decimal("50")


def _change(value, unit: str, *, decimals: int = 0) -> str:
    if not value:
        return "không thay đổi"
    word = "tăng" if value > 0 else "giảm"
    return f"{word} {format_number(abs(value), decimals)} {unit}"


def _band_list(total: Figures) -> str:
    parts = []
    for band in BANDS:
        count = total.band_count(band)
        parts.append(
            f"{Classification(band).label.lower()} {format_number(count)} "
            f"({format_percent(total.band_rate(band))})"
        )
    return ", ".join(parts)


def generate_results(year: int, summary: Summary, previous: dict, subject: str) -> str:
    t = summary.total
    paragraphs = []
    systems = [
        f"hệ {ProgramSystem(key).label} {format_number(summary.system(key).opened)} lớp"
        for key in ProgramSystem.values
        if summary.system(key).opened
    ]
    by_system = f" ({', '.join(systems)})" if len(systems) > 1 else ""
    if t.planned_classes:
        first = (
            f"Năm {year}, {subject} mở {format_number(t.opened)}/{format_number(t.planned_classes)} "
            f"lớp, đạt {format_percent(t.classes_of_plan)} kế hoạch{by_system}"
        )
    else:
        first = f"Năm {year}, {subject} mở {format_number(t.opened)} lớp{by_system}"
    first += f"; {format_number(t.finished)} lớp đã kết thúc"
    if t.cancelled:
        first += f", {format_number(t.cancelled)} lớp hủy"
    paragraphs.append(first + ".")
    if t.enrolled:
        second = (
            f"Tổng số {format_number(t.enrolled)} lượt học viên tham gia học tập "
            f"({format_number(summary.people)} người)"
        )
        if t.planned_trainees:
            second += f", đạt {format_percent(t.trainees_of_plan)} kế hoạch"
        if t.closed_enrolments:
            second += (
                f"; {format_number(t.completed)} lượt học viên hoàn thành chương trình, đạt "
                f"{format_percent(t.pass_rate)} số học viên các lớp đã kết thúc"
            )
        if t.scheduled_periods:
            second += f"; tỷ lệ chuyên cần đạt {format_percent(t.attendance_rate)}"
        paragraphs.append(second + ".")
    if t.assessed:
        paragraphs.append(
            f"Kết quả học tập ở các lớp có kiểm tra, đánh giá: {_band_list(t)}; tỷ lệ giỏi, "
            f"xuất sắc đạt {format_percent(t.good_or_better_rate)}."
        )
    if t.certified:
        paragraphs.append(f"Đã cấp {format_number(t.certified)} giấy chứng nhận cho học viên.")
    lecturers = summary.lecturers
    if lecturers.total:
        kinds = ", ".join(
            f"{format_number(lecturers.by_kind.get(kind, 0))} {kind.label.lower()}"
            for kind in LecturerKind
            if lecturers.by_kind.get(kind, 0)
        )
        text = (
            f"Đội ngũ giảng viên gồm {format_number(lecturers.total)} người ({kinds}), đã giảng "
            f"{format_number(lecturers.periods)} tiết"
        )
        if lecturers.norm_hours:
            text += (
                f"; giảng viên chuyên trách thực hiện {format_number(lecturers.normed_hours, 1)}/"
                f"{format_number(lecturers.norm_hours)} giờ chuẩn, đạt "
                f"{format_percent(lecturers.of_norm)} định mức"
            )
            if lecturers.overtime_lecturers:
                text += f" ({format_number(lecturers.overtime_lecturers)} người vượt định mức)"
        paragraphs.append(text + ".")
    before = previous["summary"]
    if not before.is_empty:
        b = before.total
        comparison = (
            f"So với năm {year - 1}, số lớp mở {_change(t.opened - b.opened, 'lớp')}, số lượt "
            f"học viên {_change(t.enrolled - b.enrolled, 'lượt')}"
        )
        if t.attendance_rate is not None and b.attendance_rate is not None:
            comparison += (
                f", tỷ lệ chuyên cần "
                f"{_change(t.attendance_rate - b.attendance_rate, 'điểm phần trăm', decimals=1)}"
            )
        paragraphs.append(comparison + ".")
    return "\n".join(paragraphs)


def generate_limitations(
    year: int, summary: Summary, figures: YearFigures | None, low_units: list
) -> str:
    t = summary.total
    lines = []
    if t.planned_classes and t.opened < t.planned_classes:
        text = (
            f"Còn {format_number(t.planned_classes - t.opened)} lớp theo kế hoạch chưa mở "
            f"(đạt {format_percent(t.classes_of_plan)} kế hoạch)"
        )
        if figures is not None:
            short = [
                f"{p.name} ({format_number(p.figures.opened)}/"
                f"{format_number(p.figures.planned_classes)} lớp)"
                for p in figures.programs
                if p.figures.opened < p.figures.planned_classes
            ]
            if short:
                text += ": " + "; ".join(short[:5])
        lines.append(text + ".")
    if t.planned_trainees and t.enrolled < t.planned_trainees:
        lines.append(
            f"Số lượt học viên mới đạt {format_percent(t.trainees_of_plan)} kế hoạch, còn thiếu "
            f"{format_number(t.planned_trainees - t.enrolled)} học viên."
        )
    if t.attendance_rate is not None and t.attendance_rate < ATTENDANCE_TARGET:
        lines.append(
            f"Tỷ lệ chuyên cần đạt {format_percent(t.attendance_rate)}, chưa đạt mức "
            f"{format_number(ATTENDANCE_TARGET)}%."
        )
    low = [u for u in low_units if u.attendance_rate is not None and u.attendance_rate < 100][:3]
    if low:
        lines.append(
            "Các đơn vị có tỷ lệ chuyên cần thấp nhất: "
            + ", ".join(f"{u.name} ({format_percent(u.attendance_rate)})" for u in low)
            + "."
        )
    if t.fail:
        lines.append(
            f"Có {format_number(t.fail)} học viên không đạt yêu cầu "
            f"({format_percent(t.band_rate(Classification.FAIL))} số học viên được đánh giá)."
        )
    lecturers = summary.lecturers
    if lecturers.norm_hours and lecturers.normed_hours < lecturers.norm_hours:
        lines.append(
            f"Giảng viên chuyên trách mới thực hiện {format_percent(lecturers.of_norm)} định mức "
            "giờ chuẩn."
        )
    if not lines:
        lines.append(LIMITATIONS_PLACEHOLDER)
    return "\n".join(lines)


def generate_strengths(year: int, summary: Summary, previous: dict) -> str:
    """What the figures show went well: plan achieved, attendance at the target or better than
    last year, pass and Giỏi+ rates, the lecturers' norm. A placeholder when they show nothing."""
    t = summary.total
    before = previous["summary"]
    lines = []
    if t.planned_classes and t.opened >= t.planned_classes:
        lines.append(
            f"Hoàn thành kế hoạch mở lớp: {format_number(t.opened)}/"
            f"{format_number(t.planned_classes)} lớp, đạt {format_percent(t.classes_of_plan)}."
        )
    if t.planned_trainees and t.enrolled >= t.planned_trainees:
        lines.append(
            f"Số lượt học viên đạt {format_percent(t.trainees_of_plan)} kế hoạch "
            f"({format_number(t.enrolled)}/{format_number(t.planned_trainees)})."
        )
    if t.attendance_rate is not None:
        earlier = None if before.is_empty else before.total.attendance_rate
        if t.attendance_rate >= ATTENDANCE_TARGET:
            text = f"Tỷ lệ chuyên cần đạt {format_percent(t.attendance_rate)}, đạt mức đề ra"
            lines.append(text + (f" ({format_number(ATTENDANCE_TARGET)}%)."))
        elif earlier is not None and t.attendance_rate > earlier:
            lines.append(
                f"Tỷ lệ chuyên cần tăng từ {format_percent(earlier)} (năm {year - 1}) lên "
                f"{format_percent(t.attendance_rate)}."
            )
    if t.closed_enrolments and t.pass_rate is not None and t.pass_rate >= PASS_TARGET:
        lines.append(
            f"{format_percent(t.pass_rate)} học viên các lớp đã kết thúc hoàn thành chương trình."
        )
    if t.assessed and t.good_or_better_rate is not None and t.good_or_better_rate >= GOOD_TARGET:
        lines.append(
            f"Chất lượng học tập tốt: tỷ lệ xếp loại giỏi, xuất sắc đạt "
            f"{format_percent(t.good_or_better_rate)}."
        )
    lecturers = summary.lecturers
    if lecturers.norm_hours and lecturers.normed_hours >= lecturers.norm_hours:
        lines.append(
            f"Giảng viên chuyên trách hoàn thành định mức giờ chuẩn "
            f"({format_percent(lecturers.of_norm)})."
        )
    if not lines:
        lines.append(STRENGTHS_PLACEHOLDER)
    return "\n".join(lines)


def generate_causes() -> str:
    return CAUSES_PLACEHOLDER


def generate_lessons() -> str:
    return LESSONS_PLACEHOLDER


def generate_recommendations(summary: Summary, low_units: list, committee: str) -> str:
    """Requests the figures support (units with low attendance, plan not reached); otherwise a
    placeholder."""
    t = summary.total
    lines = []
    low = [u for u in low_units if u.attendance_rate is not None][:3]
    low = [u for u in low if u.attendance_rate < ATTENDANCE_TARGET]
    if low:
        names = ", ".join(u.name for u in low)
        lines.append(
            f"Đề nghị {committee} chỉ đạo {names} cử học viên đi học đúng đối tượng và bảo đảm "
            "thời gian học tập."
        )
    if (t.planned_classes and t.opened < t.planned_classes) or (
        t.planned_trainees and t.enrolled < t.planned_trainees
    ):
        lines.append(
            f"Đề nghị {committee} chỉ đạo các cơ quan, đơn vị cử đủ số lượng học viên theo kế "
            "hoạch đã được phê duyệt."
        )
    if not lines:
        lines.append(RECOMMENDATIONS_PLACEHOLDER)
    return "\n".join(lines)


def generate_direction(year: int, next_plan: dict, committee: str) -> str:
    lines = []
    if next_plan.get("classes"):
        approved = "đã được phê duyệt" if next_plan.get("approved") else "dự kiến"
        lines.append(
            f"Năm {year + 1}, tổ chức thực hiện kế hoạch {approved}: mở "
            f"{format_number(next_plan['classes'])} lớp với "
            f"{format_number(next_plan['trainees'])} học viên."
        )
    else:
        lines.append(
            f"Xây dựng kế hoạch đào tạo, bồi dưỡng năm {year + 1} trình {committee} phê duyệt và "
            "tổ chức thực hiện đạt, vượt chỉ tiêu."
        )
    lines += [
        "Phối hợp với các đơn vị cử học viên đúng đối tượng, đủ số lượng; hoàn thành 100% kế "
        "hoạch mở lớp.",
        "Quản lý chặt chẽ việc học tập của học viên, phấn đấu tỷ lệ chuyên cần đạt trên "
        f"{format_number(ATTENDANCE_TARGET)}%; tổ chức học bù cho học viên vắng học.",
        "Tiếp tục đổi mới nội dung, phương pháp giảng dạy; nâng cao chất lượng đội ngũ giảng "
        "viên chuyên trách, kiêm chức.",
    ]
    return "\n".join(lines)


def next_year_plan(centre_ids, year: int) -> dict:
    """The plans of the following year: classes, trainees, whether all are approved. One query."""
    values = PlanTarget.objects.filter(
        plan__centre_id__in=list(centre_ids), plan__year=year + 1
    ).aggregate(
        classes=Sum("planned_classes"),
        trainees=Sum("planned_trainees"),
        plans=Count("plan", distinct=True),
        approved=Count("plan", filter=Q(plan__status=PlanStatus.APPROVED), distinct=True),
    )
    return {
        "classes": values["classes"] or 0,
        "trainees": values["trainees"] or 0,
        "approved": bool(values["plans"]) and values["plans"] == values["approved"],
    }

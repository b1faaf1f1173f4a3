"""The centre's observation form and the one rule that classifies a total.

The standard form (10 criteria, 100 points) follows the four headings the centres' paper forms
share — preparation, content, method, manner and time-keeping — as in the "biên bản góp ý, đánh giá
giờ giảng" of teacher-training colleges, with the content weighted for political theory (right
with the Party's line and the State's law, linked to local practice). A centre edits it on
/du-gio/mau-phieu/; it is stored the first time it is saved or used.

Classification by the share of the maximum (so a 20-point form classifies as the schools' 20-point
rule does: Giỏi 17–20, Khá 13–16,5, Đạt 10–12,5, Chưa đạt below 10):
    Giỏi ≥ 85 %, Khá ≥ 65 %, Đạt ≥ 50 %, otherwise Chưa đạt.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from dugio.models import Classification, ObservationCriterion
from trungtam.models import Centre

STANDARD_CRITERIA: tuple[tuple[str, int], ...] = (
    ("Chuẩn bị bài giảng: giáo án, đề cương được duyệt; tài liệu, phương tiện đầy đủ", 10),
    (
        "Nội dung chính xác, đúng quan điểm, đường lối của Đảng, chính sách, pháp luật của Nhà nước",
        15,
    ),
    ("Nội dung có trọng tâm, trọng điểm; cập nhật nghị quyết, thông tin mới", 10),
    ("Liên hệ thực tiễn địa phương, cơ sở; có sức thuyết phục", 10),
    ("Phương pháp giảng dạy tích cực, phát huy tính chủ động của học viên", 10),
    ("Ngôn ngữ trong sáng, diễn đạt mạch lạc, dễ hiểu", 10),
    ("Sử dụng phương tiện, công nghệ hỗ trợ giảng dạy hợp lý", 10),
    ("Tác phong sư phạm, trang phục; xử lý tình huống trên lớp", 10),
    ("Thực hiện đúng thời gian, kế hoạch giảng dạy; quản lý lớp học", 5),
    ("Hiệu quả giờ giảng: học viên tiếp thu, tham gia tích cực", 10),
)

# Share of the maximum (per cent) from which each classification starts, best first.
THRESHOLDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal("85"), Classification.EXCELLENT),
    (Decimal("65"), Classification.GOOD),
    (Decimal("50"), Classification.PASS),
)
THRESHOLDS_TEXT = "Giỏi từ 85% điểm tối đa, Khá từ 65%, Đạt từ 50%, dưới 50% Chưa đạt"


def classify(total: Decimal, maximum: Decimal) -> str:
    """The classification of a total out of `maximum` (the one rule: THRESHOLDS)."""
    if maximum <= 0:
        return Classification.FAIL
    share = Decimal(total) * 100 / Decimal(maximum)
    for start, classification in THRESHOLDS:
        if share >= start:
            return classification
    return Classification.FAIL


def threshold_marks(maximum: Decimal) -> list[tuple[str, Decimal]]:
    """The totals from which each classification starts on a form of `maximum` points."""
    return [
        (Classification(c).label, (maximum * start / 100).quantize(Decimal("0.1")))
        for start, c in THRESHOLDS
    ]


def standard_criteria(centre: Centre) -> list[ObservationCriterion]:
    """The standard form, not stored."""
    return [
        ObservationCriterion(centre=centre, order=index, text=text, max_mark=Decimal(mark))
        for index, (text, mark) in enumerate(STANDARD_CRITERIA, start=1)
    ]


def criteria_for(centre: Centre) -> list[ObservationCriterion]:
    """The centre's form as it stands: its stored criteria in use, or the standard form (unsaved)
    when the centre has never stored one. One query."""
    stored = list(ObservationCriterion.objects.filter(centre=centre).order_by("order", "id"))
    if not stored:
        return standard_criteria(centre)
    return [criterion for criterion in stored if criterion.active]


def all_criteria_for(centre: Centre) -> list[ObservationCriterion]:
    """Every criterion of the form, those no longer in use too (the edit page)."""
    stored = list(ObservationCriterion.objects.filter(centre=centre).order_by("order", "id"))
    return stored or standard_criteria(centre)


@transaction.atomic
def ensure_criteria(centre: Centre) -> list[ObservationCriterion]:
    """The criteria in use, storing the standard form the first time a centre needs it."""
    if not ObservationCriterion.objects.filter(centre=centre).exists():
        for criterion in standard_criteria(centre):
            criterion.save()
    return criteria_for(centre)


@dataclass
class CriterionInput:
    criterion: ObservationCriterion | None  # None: a new line
    text: str
    max_mark: Decimal
    order: int
    active: bool


@transaction.atomic
def criteria_save(*, centre: Centre, lines: list[CriterionInput]) -> list[ObservationCriterion]:
    """Store the centre's form: changed lines updated, new lines added. Records already made keep
    the wording and maximum they were made with."""
    if not any(line.active for line in lines):
        raise ValidationError("Mẫu phiếu cần ít nhất một tiêu chí đang dùng.")
    saved = []
    for line in lines:
        criterion = line.criterion
        if criterion is None or criterion.pk is None or criterion.centre_id != centre.pk:
            criterion = ObservationCriterion(centre=centre)
        criterion.text = line.text
        criterion.max_mark = line.max_mark
        criterion.order = line.order
        criterion.active = line.active
        criterion.full_clean()
        criterion.save()
        saved.append(criterion)
    return saved

"""The trainees' course evaluation (phiếu đánh giá khóa học, issue 17 must-have 1).

A centre's form is its questions, in four groups; the lecturer questions are asked once per
lecturer of the class. Trainees answer anonymously with a single-use code printed on a slip: the
code is marked used in the same transaction the answer is stored, and nothing links the two — the
answer keeps its class, its date (never the time) and its marks; the code keeps only that it was
used, never when (a day on both could pair them on a day with a single answer). Staff type paper forms as answers too (`on_paper`).

Question texts may be edited: each mark stores the text it answered, so an edit never changes
what an old mark meant (results group by question and the stored text).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords


class QuestionGroup(models.TextChoices):
    CONTENT = "content", "Nội dung chương trình và liên hệ thực tiễn"
    LECTURER = "lecturer", "Giảng viên"
    ORGANISATION = "organisation", "Tổ chức lớp học và cơ sở vật chất"
    OVERALL = "overall", "Đánh giá chung"


GROUP_ORDER = [
    QuestionGroup.CONTENT,
    QuestionGroup.LECTURER,
    QuestionGroup.ORGANISATION,
    QuestionGroup.OVERALL,
]

MARK_LABELS = {1: "Rất kém", 2: "Kém", 3: "Trung bình", 4: "Tốt", 5: "Rất tốt"}
NO_OPINION_LABEL = "Không ý kiến"


class Question(models.Model):
    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.CASCADE,
        related_name="evaluation_questions",
        verbose_name="Trung tâm",
    )
    group = models.CharField("Nhóm", max_length=20, choices=QuestionGroup.choices)
    text = models.CharField("Nội dung câu hỏi", max_length=300)
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    active = models.BooleanField("Đang dùng", default=True)

    # Edited by staff: who changed a question's text and when is kept.
    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "câu hỏi đánh giá khóa học"
        verbose_name_plural = "câu hỏi đánh giá khóa học"
        ordering = ["centre", "group", "order", "pk"]

    def __str__(self):
        return self.text


class EvaluationCode(models.Model):
    """A single-use code printed on one slip; never linked to a person or an enrolment."""

    course = models.ForeignKey(
        "lophoc.Course",
        on_delete=models.CASCADE,
        related_name="evaluation_codes",
        verbose_name="Lớp",
    )
    code = models.CharField("Mã", max_length=8, unique=True)
    # Used or not, never when: a day or a time could be matched against the answers' dates.
    used = models.BooleanField("Đã dùng", default=False)

    centre_lookup = "course__centre"

    class Meta:
        verbose_name = "mã phiếu đánh giá"
        verbose_name_plural = "mã phiếu đánh giá"
        ordering = ["course", "pk"]

    def __str__(self):
        return self.code


class EvaluationAnswer(models.Model):
    """One trainee's answer: no code, no person, no time, no address."""

    course = models.ForeignKey(
        "lophoc.Course",
        on_delete=models.CASCADE,
        related_name="evaluation_answers",
        verbose_name="Lớp",
    )
    answered_on = models.DateField("Ngày đánh giá")
    on_paper = models.BooleanField("Phiếu giấy", default=False)
    comments = models.TextField("Ý kiến khác", blank=True)

    centre_lookup = "course__centre"

    class Meta:
        verbose_name = "phiếu đánh giá khóa học"
        verbose_name_plural = "phiếu đánh giá khóa học"
        ordering = ["course", "pk"]

    def __str__(self):
        return f"Phiếu đánh giá lớp {self.course_id} ngày {self.answered_on:%d/%m/%Y}"


class EvaluationMark(models.Model):
    """A mark 1–5 for one question (for a lecturer question, one lecturer); None: no opinion."""

    answer = models.ForeignKey(
        EvaluationAnswer, on_delete=models.CASCADE, related_name="marks", verbose_name="Phiếu"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="marks", verbose_name="Câu hỏi"
    )
    group = models.CharField("Nhóm", max_length=20, choices=QuestionGroup.choices)
    question_text = models.CharField("Câu hỏi lúc trả lời", max_length=300)
    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_marks",
        verbose_name="Giảng viên",
    )
    value = models.PositiveSmallIntegerField(
        "Điểm",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    centre_lookup = "answer__course__centre"

    class Meta:
        verbose_name = "điểm đánh giá"
        verbose_name_plural = "điểm đánh giá"
        ordering = ["answer", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1, value__lte=5),
                name="evaluation_mark_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.question_text}: {self.value or NO_OPINION_LABEL}"


class EvaluationTally(models.Model):
    """A class's marks summed per group and lecturer: answers that marked it, the sum of the
    marks, their number. Kept in the transaction that stores each answer (evaluations._store), so
    the year's figures read a few rows per class instead of every mark. Rows of one key are
    added up when read (two first answers at once may each write one)."""

    course = models.ForeignKey(
        "lophoc.Course",
        on_delete=models.CASCADE,
        related_name="evaluation_tallies",
        verbose_name="Lớp",
    )
    group = models.CharField("Nhóm", max_length=20, choices=QuestionGroup.choices)
    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Giảng viên",
    )
    answers = models.PositiveIntegerField("Số phiếu có điểm", default=0)
    total = models.PositiveIntegerField("Tổng điểm", default=0)
    marks = models.PositiveIntegerField("Số điểm", default=0)

    centre_lookup = "course__centre"

    class Meta:
        verbose_name = "tổng hợp điểm đánh giá"
        verbose_name_plural = "tổng hợp điểm đánh giá"
        ordering = ["course", "group", "pk"]
        indexes = [models.Index(fields=["course", "group", "lecturer"])]

    def __str__(self):
        return f"Tổng hợp đánh giá lớp {self.course_id} – {self.get_group_display()}"

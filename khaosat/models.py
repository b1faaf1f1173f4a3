"""The needs survey (khảo sát nhu cầu, DESIGN §7, issue 16): before a year is planned, the centre
asks its sending units how many people they expect to send to each program of its catalogue.

A survey belongs to a centre and the year the needs are for (one per centre and year). Staff
prepare it (deadline, note, the units asked), send it (each unit asked is notified), follow the
answers and close it. A unit's answer holds one line per program it expects to send people to.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Đang chuẩn bị"
    OPEN = "open", "Đang nhận trả lời"
    CLOSED = "closed", "Đã đóng"


class Survey(models.Model):
    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name="Trung tâm",
    )
    year = models.PositiveSmallIntegerField("Năm kế hoạch", help_text="Năm cần bồi dưỡng")
    deadline = models.DateField("Hạn trả lời")
    note = models.TextField("Ghi chú gửi đơn vị", blank=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_at = models.DateTimeField("Lập lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người lập",
    )
    published_at = models.DateTimeField("Gửi đơn vị lúc", null=True, blank=True)
    closed_at = models.DateTimeField("Đóng lúc", null=True, blank=True)

    # Its deadline, note and status are edited by staff: kept with their history.
    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "khảo sát nhu cầu"
        verbose_name_plural = "khảo sát nhu cầu"
        ordering = ["-year", "centre"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="survey_once_per_centre_year"),
        ]

    def __str__(self):
        return f"Khảo sát nhu cầu bồi dưỡng năm {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN


class SurveyUnit(models.Model):
    """A unit the survey asks (the liaison reaches the survey through it)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="asked", verbose_name="Khảo sát"
    )
    unit = models.ForeignKey(
        "hocvien.Unit",
        on_delete=models.PROTECT,
        related_name="surveys_asked",
        verbose_name="Đơn vị",
    )

    centre_lookup = "survey__centre"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "đơn vị được khảo sát"
        verbose_name_plural = "đơn vị được khảo sát"
        ordering = ["unit__search_key", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="survey_unit_once"),
        ]

    def __str__(self):
        return str(self.unit)


class SurveyAnswer(models.Model):
    """A unit's answer; it exists once the unit (or staff, from its paper form) has sent it."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="answers", verbose_name="Khảo sát"
    )
    unit = models.ForeignKey(
        "hocvien.Unit",
        on_delete=models.PROTECT,
        related_name="survey_answers",
        verbose_name="Đơn vị",
    )
    submitted_at = models.DateTimeField("Gửi lúc")
    submitted_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người gửi",
    )
    # Typed in by the centre's staff from the unit's paper form.
    on_paper = models.BooleanField("Nhập từ phiếu giấy", default=False)
    note = models.TextField("Ý kiến chung", blank=True)

    centre_lookup = "survey__centre"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "phiếu trả lời khảo sát"
        verbose_name_plural = "phiếu trả lời khảo sát"
        ordering = ["survey", "unit__search_key", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit"], name="survey_answer_once_per_unit"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.survey}"


class SurveyLine(models.Model):
    """How many people a unit expects to send to one program."""

    answer = models.ForeignKey(
        SurveyAnswer, on_delete=models.CASCADE, related_name="lines", verbose_name="Phiếu"
    )
    program = models.ForeignKey(
        "lophoc.Program",
        on_delete=models.PROTECT,
        related_name="survey_lines",
        verbose_name="Chương trình",
    )
    expected = models.PositiveIntegerField("Số học viên dự kiến", default=0)
    note = models.CharField("Ghi chú", max_length=300, blank=True)

    centre_lookup = "answer__survey__centre"
    unit_lookup = "answer__unit"

    class Meta:
        verbose_name = "dòng trả lời khảo sát"
        verbose_name_plural = "dòng trả lời khảo sát"
        ordering = ["answer", "program"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "program"], name="survey_line_once_per_program"
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.expected}"

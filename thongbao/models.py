"""A notice to a sending unit: shown on its page until read; mailed when SMTP is configured."""

from django.db import models


class NotificationKind(models.TextChoices):
    CALL_OPENED = "call_opened", "Thông báo chiêu sinh mới"
    CALL_DEADLINE = "call_deadline", "Sắp hết hạn gửi danh sách"
    ABSENCE_WARNING = "absence_warning", "Học viên sắp vượt số buổi vắng"
    NOTICE_READY = "notice_ready", "Đã có thông báo kết quả"
    SURVEY_OPENED = "survey_opened", "Phiếu khảo sát nhu cầu"
    SURVEY_DEADLINE = "survey_deadline", "Sắp hết hạn khảo sát"
    FOLLOWUP_DUE = "followup_due", "Đến hạn đánh giá hiệu quả sau đào tạo"


class Notification(models.Model):
    unit = models.ForeignKey(
        "hocvien.Unit",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="Đơn vị",
    )
    kind = models.CharField("Loại", max_length=30, choices=NotificationKind.choices)
    title = models.CharField("Nội dung", max_length=300)
    # A path inside the site where the unit acts on it (e.g. the call's answer page).
    link = models.CharField("Đường dẫn", max_length=300, blank=True)
    # What makes it one notice, however often the event is seen (e.g. "call:12:deadline"): the
    # same key for the same unit is never notified twice. Empty: no such rule.
    key = models.CharField("Khóa", max_length=100, blank=True)
    created_at = models.DateTimeField("Lúc", auto_now_add=True)
    read_at = models.DateTimeField("Đã xem lúc", null=True, blank=True)

    centre_lookup = "unit__centre"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "thông báo cho đơn vị"
        verbose_name_plural = "thông báo cho đơn vị"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_unit_and_key",
            )
        ]

    def __str__(self):
        return self.title


class MailStatus(models.TextChoices):
    QUEUED = "queued", "Chờ gửi"
    # Taken by one sender (page or cron) at claimed_at; no other sender touches it meanwhile.
    SENDING = "sending", "Đang gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"


class OutgoingMail(models.Model):
    """One email of a notification to one liaison, from queued through sending to sent (or
    failed, retried by `manage.py send_mail_queue`). The record of every send: what went to whom,
    and when."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="mails",
        verbose_name="Thông báo",
    )
    to = models.EmailField("Gửi đến", max_length=254)
    subject = models.CharField("Tiêu đề", max_length=300)
    body = models.TextField("Nội dung")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("Số lần gửi", default=0)
    last_error = models.TextField("Lỗi lần gửi gần nhất", blank=True)
    # When a sender last took it (status "sending"); past thongbao.mail.SENDING_LEASE the sender
    # is taken for dead and the mail is retried.
    claimed_at = models.DateTimeField("Nhận gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("Gửi lúc", null=True, blank=True)

    centre_lookup = "notification__unit__centre"

    class Meta:
        verbose_name = "thư gửi đơn vị"
        verbose_name_plural = "thư gửi đơn vị"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "attempts"], name="outgoing_mail_pending")]

    def __str__(self):
        return f"{self.to}: {self.subject}"

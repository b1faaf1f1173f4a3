"""manage.py send_mail_queue: send the mails to units' liaisons that wait (for cron)."""

from thongbao.mail import (
    MAX_ATTEMPTS,
    SENDING_LEASE,
    mail_configured,
    mail_release_stale,
    mail_send,
    pending_mails,
)
from thongbao.models import MailStatus, OutgoingMail
from trungtam.commands import ContractCommand

LEASE_MINUTES = int(SENDING_LEASE.total_seconds() // 60)


class Command(ContractCommand):
    help = (
        "Gửi các thư thông báo cho cán bộ đơn vị đang chờ: thư chưa gửi và thư gửi lỗi (thử lại "
        f"tối đa {MAX_ATTEMPTS} lần). Dành cho cron, ví dụ mỗi 10 phút. Khi chưa cấu hình máy chủ "
        "thư (EMAIL_HOST) không gửi gì, thư vẫn chờ. Thư kẹt ở trạng thái đang gửi quá "
        f"{LEASE_MINUTES} phút (tiến trình gửi bị dừng) được gửi lại. In số thư đã gửi, lỗi và còn "
        "chờ. Mã thoát 0, kể cả khi có thư lỗi (lỗi được ghi vào từng thư)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            metavar="SỐ",
            help="Gửi nhiều nhất ngần này thư mỗi lần chạy (mặc định 500)",
        )

    def handle(self, *args, limit, **options):
        released = mail_release_stale()
        if released:
            self.stdout.write(
                f"Thư kẹt ở trạng thái đang gửi quá {LEASE_MINUTES} phút (tiến trình gửi bị dừng), "
                f"đưa lại vào hàng chờ: {released}."
            )
        waiting = pending_mails()
        if not mail_configured():
            self.stdout.write(
                f"Chưa cấu hình máy chủ thư (EMAIL_HOST): không gửi. Thư đang chờ: "
                f"{waiting.count()}."
            )
            return
        outcome = mail_send(list(waiting[: max(limit, 0)]))
        given_up = OutgoingMail.objects.filter(
            status=MailStatus.FAILED, attempts__gte=MAX_ATTEMPTS
        ).count()
        self.stdout.write(
            f"Đã gửi: {outcome.sent}. Lỗi: {outcome.failed}. Còn chờ: {pending_mails().count()}. "
            f"Đã bỏ sau {MAX_ATTEMPTS} lần lỗi: {given_up}."
        )
        if outcome.unreachable:
            self.stdout.write(f"Không kết nối được máy chủ thư: {outcome.unreachable}")

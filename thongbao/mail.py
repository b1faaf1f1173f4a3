"""Notifications by email (issue 16): each notice to a unit is also mailed to the unit's active
liaison logins that have an address, through Django's mail framework.

A mail is a row (`OutgoingMail`) written in the same transaction as its notification. After that
transaction commits the mails are handed to a background thread of the process (its own database
connection), so the page answers without waiting for the mail server; a failure is recorded on
the row and `manage.py send_mail_queue` (cron) retries it. Each mail is claimed by one atomic
UPDATE (queued/failed → sending) before it is sent, so a page's thread and cron never send one
mail twice; a mail left "sending" by a process that died is retried once its lease has passed.
Without EMAIL_HOST nothing is sent and the rows wait, queued.
"""

import atexit
import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from thongbao.models import MailStatus, Notification, OutgoingMail
from trungtam.models import User

logger = logging.getLogger(__name__)

# A mail the server refused this many times is left failed (shown by the command, not retried).
MAX_ATTEMPTS = 5
# After the mail server could not be reached, pages stop trying for this long (cron still does),
# so a dead server costs one timeout per process per minute, not one per page.
PAUSE_AFTER_UNREACHABLE = 60.0
_pause_until = 0.0
# The statuses a sender may claim a mail from.
PENDING = (MailStatus.QUEUED, MailStatus.FAILED)
# A mail "sending" for longer than this was taken by a process that died (a restart mid-send):
# far longer than one send can take (EMAIL_TIMEOUT bounds each exchange with the server), so a
# sender that is merely slow is never overtaken.
SENDING_LEASE = timedelta(minutes=15)
# At exit (a command that notified, a server restarting) the process waits this long for the
# background thread to finish the mails it was handed; what is left, cron sends.
EXIT_WAIT = 60.0


def mail_configured() -> bool:
    """Mail goes out only when a mail server is named (EMAIL_HOST)."""
    return bool(settings.EMAIL_HOST)


def liaison_addresses(unit_id: int) -> list[str]:
    """The addresses of the unit's active liaison logins, each once."""
    rows = (
        User.objects.filter(unit_account__unit_id=unit_id, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    seen, addresses = set(), []
    for email in rows:
        if email.lower() not in seen:
            seen.add(email.lower())
            addresses.append(email)
    return addresses


def mail_subject(notification: Notification) -> str:
    centre = notification.unit.centre
    return f"[{centre.name}] {notification.get_kind_display()}"[:300]


def mail_body(notification: Notification) -> str:
    """What the notice says, to whom, and where to act on it — nothing more."""
    unit = notification.unit
    centre = unit.centre
    lines = [f"Kính gửi: {unit.name}", "", f"{centre.name} thông báo:", notification.title, ""]
    base = settings.PUBLIC_BASE_URL
    if notification.link and base:
        lines += [f"Xem và thực hiện tại: {base}{notification.link}", ""]
    else:
        lines += ["Xem và thực hiện tại trang của đơn vị khi đăng nhập phần mềm.", ""]
    lines.append(
        f"Thư này do phần mềm quản lý đào tạo của {centre.name} gửi tự động đến cán bộ phụ "
        "trách của đơn vị; xin đừng trả lời thư này."
    )
    return "\n".join(lines)


def mail_queue(notification: Notification) -> list[OutgoingMail]:
    """Queue the notification's mails in the current transaction; they are sent after it commits
    (when EMAIL_SEND_ON_COMMIT is on and a mail server is configured)."""
    addresses = liaison_addresses(notification.unit_id)
    if not addresses:
        return []
    subject, body = mail_subject(notification), mail_body(notification)
    mails = OutgoingMail.objects.bulk_create(
        OutgoingMail(notification=notification, to=address, subject=subject, body=body)
        for address in addresses
    )
    if settings.EMAIL_SEND_ON_COMMIT:
        transaction.on_commit(partial(_after_commit, [mail.pk for mail in mails]))
    return mails


def _after_commit(ids: list[int]) -> None:
    """Runs in the page's thread right after its commit: hands the mails to the background thread
    (EMAIL_SEND_IN_BACKGROUND, on in production), or sends them here (tests, where a thread
    cannot see the test's uncommitted rows)."""
    if not mail_configured():
        return
    if settings.EMAIL_SEND_IN_BACKGROUND:
        _hand_to_worker(ids)
    else:
        mail_send_batch(ids)


# Mails handed over by pages and not yet taken by the background thread, and that thread: at most
# one per process, so forty notices published at once use one connection to the server in turn.
_lock = threading.Lock()
_handed: list[int] = []
_worker: threading.Thread | None = None


def _hand_to_worker(ids: list[int]) -> None:
    global _worker
    with _lock:
        _handed.extend(ids)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="thongbao-mail", daemon=True)
            _worker.start()


def _work() -> None:
    """The background thread: sends what was handed over until nothing is left, then ends,
    closing the database connection Django opened for this thread."""
    try:
        _drain()
    finally:
        connection.close()


def _drain() -> None:
    global _worker
    while True:
        with _lock:
            if not _handed:
                # Under the lock: a page handing mails over now starts a new thread.
                _worker = None
                return
            ids = sorted(set(_handed))
            _handed.clear()
        mail_send_batch(ids)


@atexit.register
def _wait_at_exit() -> None:
    worker = _worker
    if worker is not None and worker.is_alive():
        worker.join(EXIT_WAIT)


def mail_send_batch(ids: list[int]) -> None:
    """Send the mails `ids` queued by a page. Never raises: the page that queued them has already
    succeeded. While the server is known to be unreachable, leaves them to cron."""
    global _pause_until
    if not mail_configured() or time.monotonic() < _pause_until:
        return
    try:
        outcome = mail_send(OutgoingMail.objects.filter(pk__in=ids).order_by("pk"))
    except Exception:  # a bug here must not turn a saved page into an error page
        logger.exception("Sending mails %s after commit failed", ids)
        return
    if outcome.unreachable:
        _pause_until = time.monotonic() + PAUSE_AFTER_UNREACHABLE


@dataclass
class SendOutcome:
    sent: int = 0
    failed: int = 0
    # The mail server could not be reached at all: nothing was tried, no attempt counted.
    unreachable: str = ""


def pending_mails():
    """Mails still to send: queued, or failed fewer than MAX_ATTEMPTS times."""
    return OutgoingMail.objects.filter(status__in=PENDING, attempts__lt=MAX_ATTEMPTS).order_by("pk")


def mail_claim(mail: OutgoingMail) -> bool:
    """Take `mail` for sending, counting the attempt: one conditional UPDATE that changes the row
    only while it is still pending as this sender read it (status queued or failed, the same
    attempt count). Of two senders holding the same mail, exactly one gets True."""
    return (
        OutgoingMail.objects.filter(
            pk=mail.pk, status__in=PENDING, attempts=mail.attempts, attempts__lt=MAX_ATTEMPTS
        ).update(status=MailStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
        == 1
    )


def mail_release_stale() -> int:
    """Mails left "sending" past SENDING_LEASE: their sender died before recording the result.
    They become failed (the attempt stays counted), so `send_mail_queue` sends them again."""
    minutes = int(SENDING_LEASE.total_seconds() // 60)
    return OutgoingMail.objects.filter(
        status=MailStatus.SENDING, claimed_at__lt=timezone.now() - SENDING_LEASE
    ).update(
        status=MailStatus.FAILED,
        last_error=(
            f"Lần gửi trước dừng giữa chừng: tiến trình gửi thư không ghi kết quả sau {minutes} "
            "phút (máy chủ ứng dụng khởi động lại?). Thư được gửi lại; người nhận có thể đã "
            "nhận một lần."
        ),
    )


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def mail_send(mails) -> SendOutcome:
    """Send the given mails that are still pending, over one connection, recording each result.

    Each mail is claimed (`mail_claim`) just before it is sent, so a page and the cron command
    never send the same mail twice. A server that cannot be reached fails the batch without
    claiming or counting an attempt: the mails are retried however long the outage lasts.
    """
    mails = [m for m in mails if m.status in PENDING and m.attempts < MAX_ATTEMPTS]
    outcome = SendOutcome()
    if not mails:
        return outcome
    mail_connection = get_connection(fail_silently=False)
    try:
        mail_connection.open()
    except Exception as error:
        outcome.unreachable = _error_text(error)
        OutgoingMail.objects.filter(pk__in=[m.pk for m in mails], status__in=PENDING).update(
            status=MailStatus.FAILED,
            last_error=f"Không kết nối được máy chủ thư: {outcome.unreachable}"[:2000],
        )
        outcome.failed = len(mails)
        return outcome
    try:
        for mail in mails:
            if not mail_claim(mail):
                continue
            message = EmailMessage(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
                connection=mail_connection,
            )
            try:
                delivered = message.send()
                if not delivered:
                    raise RuntimeError("máy chủ thư không nhận thư")
            except Exception as error:
                OutgoingMail.objects.filter(pk=mail.pk).update(
                    status=MailStatus.FAILED, last_error=_error_text(error)
                )
                outcome.failed += 1
            else:
                OutgoingMail.objects.filter(pk=mail.pk).update(
                    status=MailStatus.SENT, sent_at=timezone.now(), last_error=""
                )
                outcome.sent += 1
    finally:
        try:
            mail_connection.close()
        except Exception:  # closing a broken connection: nothing left to save
            pass
    return outcome

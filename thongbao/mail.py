"""Notifications by email (issue 16): each notice to a unit is also mailed to the unit's active
liaison logins that have an address, through Django's mail framework.

A mail is a row (`OutgoingMail`) written in the same transaction as its notification, and sent
only after that transaction commits, so a slow or missing mail server never breaks a page nor
loses a mail: a failure is recorded on the row and `manage.py send_mail_queue` (cron) retries it.
Without EMAIL_HOST nothing is sent and the rows wait, queued.
"""

import logging
import time
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
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
        transaction.on_commit(partial(_send_after_commit, [mail.pk for mail in mails]))
    return mails


def _send_after_commit(ids: list[int]) -> None:
    """Never raises: the page that queued the mail has already succeeded."""
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
    return OutgoingMail.objects.filter(
        status__in=[MailStatus.QUEUED, MailStatus.FAILED], attempts__lt=MAX_ATTEMPTS
    ).order_by("pk")


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def mail_send(mails) -> SendOutcome:
    """Send the given mails that are still pending, over one connection, recording each result.

    A mail is claimed by raising its attempt count only if nobody did so meanwhile, so a page and
    the cron command never send the same mail twice. A server that cannot be reached fails the
    batch without counting an attempt: the mails are retried however long the outage lasts.
    """
    mails = [m for m in mails if m.status != MailStatus.SENT and m.attempts < MAX_ATTEMPTS]
    outcome = SendOutcome()
    if not mails:
        return outcome
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        outcome.unreachable = _error_text(error)
        OutgoingMail.objects.filter(
            pk__in=[m.pk for m in mails], status__in=[MailStatus.QUEUED, MailStatus.FAILED]
        ).update(
            status=MailStatus.FAILED,
            last_error=f"Không kết nối được máy chủ thư: {outcome.unreachable}"[:2000],
        )
        outcome.failed = len(mails)
        return outcome
    try:
        for mail in mails:
            claimed = OutgoingMail.objects.filter(
                pk=mail.pk, status=mail.status, attempts=mail.attempts
            ).update(attempts=F("attempts") + 1)
            if not claimed:
                continue
            message = EmailMessage(
                subject=mail.subject,
                body=mail.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[mail.to],
                connection=connection,
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
            connection.close()
        except Exception:  # closing a broken connection: nothing left to save
            pass
    return outcome

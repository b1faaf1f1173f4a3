"""notify(): the one way any app tells a unit something it must act on."""

from django.db import IntegrityError, transaction

from thongbao.mail import mail_queue
from thongbao.models import Notification


def notify(unit, *, kind: str, title: str, link: str = "", key: str = "") -> Notification | None:
    """Record a notice for `unit` (shown on its page) and queue its mails to the unit's liaisons
    (sent after the transaction commits: thongbao.mail). With a `key`, a notice already given for
    that key is not given again: returns None then."""
    if key and Notification.objects.filter(unit=unit, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                unit=unit, kind=kind, title=title[:300], link=link, key=key
            )
            mail_queue(notification)
            return notification
    except IntegrityError:  # the same key notified at the same moment by another request
        return None

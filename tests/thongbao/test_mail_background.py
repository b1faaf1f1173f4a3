"""A page's mails go out from the background thread, after its commit (PostgreSQL: a real thread
with its own connection sees only committed rows)."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection

from hocvien.accounts import unit_account_create
from tests import builders
from thongbao import mail as thongbao_mail
from thongbao.models import MailStatus, NotificationKind, OutgoingMail
from thongbao.notify import notify

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_the_background_thread_sends_a_committed_pages_mail(settings, monkeypatch):
    assert connection.vendor == "postgresql"
    settings.EMAIL_HOST = "smtp.example.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_SEND_ON_COMMIT = True
    settings.EMAIL_SEND_IN_BACKGROUND = True
    thongbao_mail._pause_until = 0.0
    unit = builders.make_unit(builders.make_centre(), name="Phường Phú Lợi")
    unit_account_create(unit=unit, full_name="Trần Thị Thu", username="donvi", email="vp@pl.vn")

    senders = []
    send_batch = thongbao_mail.mail_send_batch

    def recorded(ids):
        senders.append(threading.current_thread().name)
        send_batch(ids)

    monkeypatch.setattr(thongbao_mail, "mail_send_batch", recorded)

    # Autocommit, as a page's view: the commit hands the mail to the thread.
    notify(unit, kind=NotificationKind.CALL_OPENED, title="Thông báo chiêu sinh", key="call:1")
    deadline = time.monotonic() + 10
    while thongbao_mail._worker is not None and time.monotonic() < deadline:
        time.sleep(0.02)

    assert thongbao_mail._worker is None
    assert senders == ["thongbao-mail"]
    assert [m.to for m in mail.outbox] == [["vp@pl.vn"]]
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts) == (MailStatus.SENT, 1)

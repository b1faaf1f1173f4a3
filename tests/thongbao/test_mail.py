import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from hocvien.accounts import unit_account_create
from tests import builders
from thongbao import mail as thongbao_mail
from thongbao.mail import MAX_ATTEMPTS, SENDING_LEASE, mail_claim
from thongbao.models import MailStatus, Notification, NotificationKind, OutgoingMail
from thongbao.notify import notify

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
REFUSING = "tests.thongbao.backends.RefusingBackend"
UNREACHABLE = "tests.thongbao.backends.UnreachableBackend"


@pytest.fixture(autouse=True)
def smtp(settings):
    """A mail server is configured (EMAIL_HOST), mail goes to Django's in-memory outbox."""
    settings.EMAIL_HOST = "smtp.example.vn"
    settings.EMAIL_BACKEND = LOCMEM
    settings.EMAIL_SEND_ON_COMMIT = True
    settings.DEFAULT_FROM_EMAIL = "trungtam@ttct.example.vn"
    thongbao_mail._pause_until = 0.0
    yield settings
    thongbao_mail._pause_until = 0.0
    thongbao_mail._handed.clear()
    thongbao_mail._worker = None


@pytest.fixture
def unit(centre):
    return builders.make_unit(centre, name="Phường Phú Lợi")


@pytest.fixture
def liaison(unit):
    user, _ = unit_account_create(
        unit=unit, full_name="Trần Thị Thu", username="donvi", email="vanphong@phuloi.vn"
    )
    return user


def tell(unit, **overrides):
    values = {
        "kind": NotificationKind.CALL_OPENED,
        "title": "Thông báo chiêu sinh lớp KND-01/2026: hạn gửi danh sách 20/03/2026",
        "link": "/chieu-sinh/1/tra-loi/",
        "key": "call:1:opened",
    }
    return notify(unit, **{**values, **overrides})


def run_queue() -> str:
    out = io.StringIO()
    call_command("send_mail_queue", stdout=out)
    return out.getvalue()


def test_a_notice_is_mailed_to_the_units_liaison_after_the_commit(
    unit, liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notification = tell(unit)
            # Queued in the transaction, not sent before it commits.
            assert OutgoingMail.objects.get().status == MailStatus.QUEUED
            assert mail.outbox == []

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vanphong@phuloi.vn"]
    assert message.from_email == "trungtam@ttct.example.vn"
    assert message.subject == ("[Trung tâm Chính trị phường Phú Lợi] Thông báo chiêu sinh mới")
    assert "Kính gửi: Phường Phú Lợi" in message.body
    assert notification.title in message.body
    assert "https://ttct.example.vn/chieu-sinh/1/tra-loi/" in message.body
    sent = OutgoingMail.objects.get()
    assert sent.notification == notification
    assert (sent.status, sent.attempts, sent.last_error) == (MailStatus.SENT, 1, "")
    assert sent.sent_at is not None
    assert (sent.to, sent.subject, sent.body) == (message.to[0], message.subject, message.body)


def test_only_the_units_active_liaisons_with_an_address_get_it(
    centre, unit, liaison, django_capture_on_commit_callbacks
):
    unit_account_create(unit=unit, full_name="Không Thư", username="khongthu")
    locked, _ = unit_account_create(
        unit=unit, full_name="Đã Khóa", username="dakhoa", email="khoa@phuloi.vn"
    )
    locked.is_active = False
    locked.save()
    other_unit = builders.make_unit(centre, name="Xã Bình Mỹ")
    unit_account_create(
        unit=other_unit, full_name="Cán Bộ Khác", username="binhmy", email="vp@binhmy.vn"
    )
    builders.make_user(centre=centre, username="giaovu", email="giaovu@ttct.vn")

    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)

    assert [m.to for m in mail.outbox] == [["vanphong@phuloi.vn"]]
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["vanphong@phuloi.vn"]


def test_a_unit_without_liaison_addresses_gets_the_notice_and_no_mail(
    unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(unit)

    assert Notification.objects.get() == notification
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_the_same_key_is_neither_notified_nor_mailed_twice(
    unit, liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert tell(unit) is not None
        assert tell(unit) is None

    assert Notification.objects.count() == 1
    assert OutgoingMail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_page_leaves_neither_notice_nor_mail(
    unit, liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                tell(unit)
                raise RuntimeError("the page failed after notifying")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert mail.outbox == []


def test_without_a_mail_server_nothing_is_sent_and_the_mail_waits(
    smtp, unit, liaison, django_capture_on_commit_callbacks
):
    smtp.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(unit)

    assert notification is not None
    assert mail.outbox == []
    waiting = OutgoingMail.objects.get()
    assert (waiting.status, waiting.attempts) == (MailStatus.QUEUED, 0)

    out = run_queue()
    assert "Chưa cấu hình máy chủ thư (EMAIL_HOST): không gửi. Thư đang chờ: 1." in out
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == MailStatus.QUEUED

    # Once a server is configured, the cron command sends what waited.
    smtp.EMAIL_HOST = "smtp.example.vn"
    out = run_queue()
    assert "Đã gửi: 1. Lỗi: 0. Còn chờ: 0." in out
    assert [m.to for m in mail.outbox] == [["vanphong@phuloi.vn"]]
    assert OutgoingMail.objects.get().status == MailStatus.SENT


def test_a_refused_mail_is_recorded_and_the_page_does_not_notice(
    smtp, unit, liaison, django_capture_on_commit_callbacks
):
    smtp.EMAIL_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        notification = tell(unit)

    assert notification is not None and Notification.objects.exists()
    failed = OutgoingMail.objects.get()
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, 1)
    assert "SMTPRecipientsRefused" in failed.last_error
    assert failed.sent_at is None

    # The cron command retries it; this time the server takes it.
    smtp.EMAIL_BACKEND = LOCMEM
    out = run_queue()

    assert "Đã gửi: 1. Lỗi: 0. Còn chờ: 0." in out
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == (MailStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_mail_refused_five_times_is_given_up(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    smtp.EMAIL_BACKEND = REFUSING

    for attempt in range(1, MAX_ATTEMPTS + 1):
        out = run_queue()
        assert "Đã gửi: 0. Lỗi: 1." in out
        assert OutgoingMail.objects.get().attempts == attempt
    out = run_queue()

    assert f"Đã gửi: 0. Lỗi: 0. Còn chờ: 0. Đã bỏ sau {MAX_ATTEMPTS} lần lỗi: 1." in out
    assert OutgoingMail.objects.get().attempts == MAX_ATTEMPTS


def test_an_unreachable_server_costs_no_attempt_and_pauses_pages(
    smtp, unit, liaison, django_capture_on_commit_callbacks
):
    smtp.EMAIL_BACKEND = UNREACHABLE
    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)

    failed = OutgoingMail.objects.get()
    assert (failed.status, failed.attempts) == (MailStatus.FAILED, 0)
    assert failed.last_error.startswith("Không kết nối được máy chủ thư: ConnectionRefusedError")

    # The next page does not wait for the dead server again; its mail waits for cron.
    smtp.EMAIL_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        tell(unit, key="call:2:opened")
    assert mail.outbox == []
    assert OutgoingMail.objects.filter(status=MailStatus.QUEUED).count() == 1

    out = run_queue()
    assert "Đã gửi: 2. Lỗi: 0. Còn chờ: 0." in out
    assert len(mail.outbox) == 2


def test_the_cron_command_says_when_the_server_cannot_be_reached(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    smtp.EMAIL_BACKEND = UNREACHABLE

    out = run_queue()

    assert "Đã gửi: 0. Lỗi: 1. Còn chờ: 1." in out
    assert "Không kết nối được máy chủ thư: ConnectionRefusedError" in out
    assert OutgoingMail.objects.get().attempts == 0


def test_with_sending_on_commit_off_pages_only_queue(
    smtp, unit, liaison, django_capture_on_commit_callbacks
):
    smtp.EMAIL_SEND_ON_COMMIT = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell(unit)

    assert callbacks == []
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == MailStatus.QUEUED


def test_a_mail_already_sent_is_not_sent_again(
    smtp, unit, liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)

    out = run_queue()

    assert "Đã gửi: 0. Lỗi: 0. Còn chờ: 0." in out
    assert len(mail.outbox) == 1


def test_a_mail_claimed_by_another_sender_is_skipped(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    stale = list(OutgoingMail.objects.all())
    # Cron took it meanwhile (its attempt counted): the stale copy must not send it again.
    OutgoingMail.objects.update(attempts=1)

    outcome = thongbao_mail.mail_send(stale)

    assert (outcome.sent, outcome.failed) == (0, 0)
    assert mail.outbox == []


def test_of_two_senders_claiming_one_mail_only_one_gets_it(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    page_copy, cron_copy = OutgoingMail.objects.get(), OutgoingMail.objects.get()

    assert mail_claim(page_copy) is True
    assert mail_claim(cron_copy) is False

    claimed = OutgoingMail.objects.get()
    assert (claimed.status, claimed.attempts) == (MailStatus.SENDING, 1)
    assert claimed.claimed_at is not None


def test_a_mail_another_sender_is_sending_is_neither_sent_nor_counted_as_waiting(
    smtp, unit, liaison
):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    stale = list(OutgoingMail.objects.all())
    assert mail_claim(OutgoingMail.objects.get())  # a page's thread is sending it right now

    outcome = thongbao_mail.mail_send(stale)
    out = run_queue()

    assert (outcome.sent, outcome.failed) == (0, 0)
    assert "Đã gửi: 0. Lỗi: 0. Còn chờ: 0." in out
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == MailStatus.SENDING


def test_a_mail_stuck_sending_past_the_lease_is_retried_by_cron(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    assert mail_claim(OutgoingMail.objects.get())
    # The process that claimed it died mid-send: nobody records a result.
    OutgoingMail.objects.update(claimed_at=timezone.now() - SENDING_LEASE - timedelta(seconds=1))

    out = run_queue()

    assert "Thư kẹt ở trạng thái đang gửi quá 15 phút (tiến trình gửi bị dừng)" in out
    assert "đưa lại vào hàng chờ: 1." in out
    assert "Đã gửi: 1. Lỗi: 0. Còn chờ: 0." in out
    assert [m.to for m in mail.outbox] == [["vanphong@phuloi.vn"]]
    sent = OutgoingMail.objects.get()
    assert (sent.status, sent.attempts, sent.last_error) == (MailStatus.SENT, 2, "")


def test_a_mail_sending_within_the_lease_is_left_to_its_sender(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    assert mail_claim(OutgoingMail.objects.get())
    OutgoingMail.objects.update(claimed_at=timezone.now() - SENDING_LEASE + timedelta(minutes=1))

    out = run_queue()

    assert "kẹt" not in out
    assert "Đã gửi: 0. Lỗi: 0. Còn chờ: 0." in out
    assert mail.outbox == []
    assert OutgoingMail.objects.get().status == MailStatus.SENDING


def test_a_mail_stuck_at_its_last_attempt_is_given_up(smtp, unit, liaison):
    smtp.EMAIL_SEND_ON_COMMIT = False
    tell(unit)
    OutgoingMail.objects.update(attempts=MAX_ATTEMPTS - 1, status=MailStatus.FAILED)
    assert mail_claim(OutgoingMail.objects.get())
    OutgoingMail.objects.update(claimed_at=timezone.now() - SENDING_LEASE - timedelta(seconds=1))

    out = run_queue()

    assert f"Đã gửi: 0. Lỗi: 0. Còn chờ: 0. Đã bỏ sau {MAX_ATTEMPTS} lần lỗi: 1." in out
    given_up = OutgoingMail.objects.get()
    assert (given_up.status, given_up.attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)
    assert given_up.last_error.startswith("Lần gửi trước dừng giữa chừng")
    assert mail.outbox == []


class FakeThread:
    """Records the thread a page would start, without running it."""

    started: list["FakeThread"] = []

    def __init__(self, *, target, name, daemon):
        self.target, self.name, self.daemon = target, name, daemon

    def start(self):
        FakeThread.started.append(self)

    def is_alive(self):
        return True


@pytest.fixture
def background(smtp, monkeypatch):
    smtp.EMAIL_SEND_IN_BACKGROUND = True
    FakeThread.started = []
    monkeypatch.setattr(thongbao_mail, "threading", SimpleNamespace(Thread=FakeThread))
    return FakeThread.started


def test_a_page_hands_its_mails_to_a_background_thread_and_does_not_send_them(
    background, unit, liaison, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)

    # The page's thread sent nothing: the mail waits for the background thread.
    assert mail.outbox == []
    waiting = OutgoingMail.objects.get()
    assert (waiting.status, waiting.attempts) == (MailStatus.QUEUED, 0)
    assert [(t.target, t.name, t.daemon) for t in background] == [
        (thongbao_mail._work, "thongbao-mail", True)
    ]
    assert thongbao_mail._handed == [waiting.pk]

    # What that thread runs (here in the test's thread, which sees the test's rows).
    thongbao_mail._drain()

    assert [m.to for m in mail.outbox] == [["vanphong@phuloi.vn"]]
    assert OutgoingMail.objects.get().status == MailStatus.SENT
    assert thongbao_mail._handed == [] and thongbao_mail._worker is None


def test_one_background_thread_takes_the_mails_of_many_pages(
    background, centre, unit, liaison, django_capture_on_commit_callbacks
):
    other = builders.make_unit(centre, name="Xã Bình Mỹ")
    unit_account_create(unit=other, full_name="Cán Bộ Khác", username="binhmy", email="vp@bm.vn")

    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)
    with django_capture_on_commit_callbacks(execute=True):
        tell(other)

    assert len(background) == 1
    assert len(thongbao_mail._handed) == 2
    thongbao_mail._drain()
    assert sorted(m.to[0] for m in mail.outbox) == ["vanphong@phuloi.vn", "vp@bm.vn"]


def test_without_a_mail_server_no_background_thread_starts(
    background, smtp, unit, liaison, django_capture_on_commit_callbacks
):
    smtp.EMAIL_HOST = ""
    with django_capture_on_commit_callbacks(execute=True):
        tell(unit)

    assert background == []
    assert OutgoingMail.objects.get().status == MailStatus.QUEUED


def test_the_background_thread_closes_its_database_connection(monkeypatch):
    closed = []
    monkeypatch.setattr(
        thongbao_mail, "connection", SimpleNamespace(close=lambda: closed.append(1))
    )

    thongbao_mail._work()

    assert closed == [1]

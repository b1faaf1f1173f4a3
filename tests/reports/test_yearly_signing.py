"""The yearly reports signed digitally (issue 18): signed and kept when marked sent, the same
bytes on every download, drafts never signed, a send refused when the key refuses, the copy
signed on a leader's PC brought back (and anything else refused), and `yearly_report --sign`."""

import datetime

import pytest
from django.db import connections
from django.urls import reverse

from tests import builders
from tests.reports.yearly_helpers import YEAR, full_year, send_centres, written
from tests.signing import pki
from tests.signing.pki import pkcs12_settings
from trungtam.models import Role, SignedDocument, SignedKind, SignedSource
from trungtam.reports import yearly, yearly_all
from trungtam.reports.management.commands.yearly_report import Command
from trungtam.reports.models import ReportStatus, YearlyReport
from trungtam.reports.yearly_documents import signable_pdf
from trungtam.signing import sign_pdf, verify_pdf

pytestmark = pytest.mark.django_db

VALUES = {
    "number": "12",
    "report_date": datetime.date(YEAR, 12, 5),
    "place": "Phú Lợi",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Trần Văn Giám",
    "data_until": datetime.date(YEAR, 11, 30),
    "results_text": "Kết quả tốt.",
    "strengths_text": "Học viên nghiêm túc.",
    "limitations_text": "Còn hạn chế.",
    "causes_text": "Đơn vị cử thiếu.",
    "lessons_text": "Phối hợp sớm.",
    "direction_text": "Làm tốt hơn.",
    "recommendations_text": "Không có.",
}
SENT_ON = datetime.date(YEAR, 12, 5)


@pytest.fixture
def year(centre):
    return full_year(centre, classes=1)


@pytest.fixture
def leader_user(centre):
    return builders.make_user(
        role=Role.STAFF, centre=centre, username="giamdoc", is_centre_leader=True
    )


def saved(centre) -> YearlyReport:
    return yearly.report_save(report=yearly.report_for(centre, YEAR), values=VALUES, user=None)


def sent(centre) -> YearlyReport:
    return yearly.report_send(report=saved(centre), user=None, today=SENT_ON)


def url(name, centre=None):
    if name.startswith("yearly_all"):
        return reverse(f"reports:{name}", args=[YEAR])
    return reverse(f"reports:{name}", args=[centre.pk, YEAR])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def final_pdf(report) -> bytes:
    return signable_pdf(yearly.report_content(YearlyReport.objects.get(pk=report.pk))).content


# --- signed when sent -----------------------------------------------------------------------


def test_sending_signs_the_final_pdf_and_every_download_returns_it(
    client, leader_user, year, centre, centre_key
):
    saved(centre)
    client.force_login(leader_user)
    client.post(url("yearly_send", centre))
    report = YearlyReport.objects.get()
    assert report.status == ReportStatus.SENT
    kept = SignedDocument.objects.get()
    assert (kept.kind, kept.ref, kept.source) == (
        SignedKind.YEARLY_REPORT,
        f"{centre.pk}:{YEAR}",
        SignedSource.SERVER,
    )
    first = body(client.get(url("yearly_pdf", centre)))
    assert first == bytes(kept.data)
    result = verify_pdf(first)
    assert result.valid and "Phú Lợi" in result.signer
    assert result.covers_revision(final_pdf(report))
    year.closed_class()  # later data changes nothing
    assert body(client.get(url("yearly_pdf", centre))) == first
    page = client.get(url("yearly_detail", centre)).content.decode()
    assert "Đã có bản ký số" in page and "ký trên máy chủ" in page
    assert "Tải bản để ký" in page and "Tải lên bản đã ký" in page


def test_the_visible_box_sits_where_the_director_signs(year, centre, centre_key):
    report = sent(centre)
    place = signable_pdf(yearly.report_content(YearlyReport.objects.get(pk=report.pk)))
    assert place.box is not None and place.page == 0
    x1, y1, x2, y2 = place.box
    assert 595 / 2 < x1 < x2 < 560 and 60 < y1 < y2


def test_a_draft_is_never_signed_and_the_xlsx_never_is(client, staff, year, centre, centre_key):
    saved(centre)
    client.force_login(staff)
    assert not verify_pdf(body(client.get(url("yearly_pdf", centre)))).signed
    assert not SignedDocument.objects.exists()
    page = client.get(url("yearly_detail", centre)).content.decode()
    assert "Tải bản để ký" not in page
    sent(centre)
    xlsx = body(client.get(url("yearly_xlsx", centre)))
    assert xlsx.startswith(b"PK") and SignedDocument.objects.count() == 1


def test_an_expired_key_refuses_the_send_and_freezes_nothing(
    client, leader_user, year, centre, settings, signing_pki
):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    report = saved(centre)
    with pytest.raises(yearly.ReportRefused, match="không ký số được") as refused:
        yearly.report_send(report=report, user=None, today=SENT_ON)
    assert "hết hạn" in refused.value.message and "quản trị hệ thống" in refused.value.message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.snapshot and report.sent_at is None
    client.force_login(leader_user)
    page = client.post(url("yearly_send", centre), follow=True).content.decode()
    assert "Chưa đánh dấu đã gửi" in page
    assert YearlyReport.objects.get().status == ReportStatus.DRAFT
    assert not SignedDocument.objects.exists()


def test_without_a_key_the_sent_report_stays_unsigned_and_a_key_later_signs_it(
    client, staff, year, centre, settings, signing_pki
):
    sent(centre)
    client.force_login(staff)
    unsigned = body(client.get(url("yearly_pdf", centre)))
    assert not verify_pdf(unsigned).signed and not SignedDocument.objects.exists()
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    signed = body(client.get(url("yearly_pdf", centre)))
    assert signed.startswith(unsigned) and verify_pdf(signed).valid


def test_a_key_refusing_at_download_sends_back_with_the_reason(
    client, staff, year, centre, settings, signing_pki
):
    sent(centre)
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    client.force_login(staff)
    response = client.get(url("yearly_pdf", centre), follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chưa tải được báo cáo đã ký số" in text and "quản trị hệ thống" in text


# --- signed elsewhere, brought back --------------------------------------------------------


def upload(client, centre, data: bytes, name="bao-cao-da-ky.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url("yearly_signed_upload", centre),
        {"tep": SimpleUploadedFile(name, data, content_type="application/pdf")},
        follow=True,
    )


def test_a_copy_signed_on_a_leaders_pc_is_kept_and_anything_else_refused(
    client, staff, year, centre, settings, signing_pki, tmp_path
):
    sent(centre)
    client.force_login(staff)
    to_sign = body(client.get(url("yearly_pdf", centre) + "?ban=de-ky"))
    assert not verify_pdf(to_sign).signed
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    good = sign_pdf(to_sign, reason="Ký báo cáo", location="Phú Lợi")
    other = sign_pdf(pki.small_pdf(), reason="x", location="y")
    tampered = bytearray(good)
    at = good.index(b"Tr", len(to_sign) // 3)
    tampered[at] ^= 0x01
    stranger_root = pki.make_root("Stranger CA")
    stranger = pki.write_pkcs12(
        tmp_path / "stranger.p12",
        pki.signer(stranger_root, "Người lạ"),
        [stranger_root],
        pki.PASSWORD,
    )
    settings.SIGNING = pkcs12_settings(stranger)
    untrusted = sign_pdf(to_sign, reason="x", location="y")
    # The server has no key of its own; it trusts the CA of the centre's leader.
    settings.SIGNING = {"TRUST_ROOTS": [str(signing_pki.root_pem)], "APPEARANCE": "visible"}
    for data, reason in [
        (to_sign, "chưa có chữ ký số"),
        (other, "không phải đúng văn bản"),
        (bytes(tampered), "không hợp lệ"),
        (untrusted, "không thuộc tổ chức"),
        (b"not a pdf", "không phải tài liệu"),
    ]:
        text = upload(client, centre, data).content.decode()
        assert "Không nhận tệp đã ký" in text and reason in text, reason
    assert not SignedDocument.objects.exists()
    page = upload(client, centre, good).content.decode()
    assert "Đã nhận bản báo cáo đã ký số" in page
    kept = SignedDocument.objects.get()
    assert kept.source == SignedSource.UPLOADED and bytes(kept.data) == good
    assert "ký trên máy của lãnh đạo" in page
    assert body(client.get(url("yearly_pdf", centre))) == good


def test_a_draft_takes_no_upload_and_officials_none_at_all(
    client, staff, official, year, centre, centre_key
):
    saved(centre)
    client.force_login(staff)
    text = upload(client, centre, pki.small_pdf()).content.decode()
    assert "chỉ báo cáo đã gửi" in text
    client.force_login(official)
    assert upload(client, centre, pki.small_pdf()).status_code == 403
    assert not SignedDocument.objects.exists()


# --- the all-centres report -----------------------------------------------------------------


def test_the_all_centres_report_is_signed_when_sent(
    client, superuser, centre, other_centre, centre_key
):
    full_year(centre, classes=1)
    full_year(other_centre, classes=1)
    builders.make_report_issuer()
    centres = [centre, other_centre]
    send_centres(centres)
    written()
    yearly_all.all_report_send(year=YEAR, centres=centres, user=superuser, today=SENT_ON)
    kept = SignedDocument.objects.get(kind=SignedKind.ALL_CENTRES_REPORT)
    assert kept.ref == str(YEAR) and kept.centre is None
    client.force_login(superuser)
    first = body(client.get(url("yearly_all_pdf")))
    assert first == bytes(kept.data) and verify_pdf(first).valid
    assert body(client.get(url("yearly_all_pdf"))) == first
    assert "Đã có bản ký số" in client.get(url("yearly_all_detail")).content.decode()


# --- manage.py yearly_report --sign ---------------------------------------------------------


@pytest.fixture
def keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


def run(*args) -> int:
    try:
        Command().run_from_argv(["manage.py", "yearly_report", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_the_command_writes_the_kept_signed_copy(
    keep_the_test_connection, year, centre, centre_key, tmp_path
):
    sent(centre)
    target = tmp_path / "bao-cao.pdf"
    args = [str(YEAR), "--centre", centre.code, "--format", "pdf", "-o", str(target)]
    assert run(*args, "--sign") == 0
    assert target.read_bytes() == bytes(SignedDocument.objects.get().data)
    assert verify_pdf(target.read_bytes()).valid
    assert run(*args) == 0 and not verify_pdf(target.read_bytes()).signed


def test_the_command_refuses_a_draft_no_key_and_xlsx(
    keep_the_test_connection, year, centre, settings, tmp_path, capsys
):
    saved(centre)
    target = tmp_path / "bao-cao.pdf"
    args = [str(YEAR), "--centre", centre.code, "-o", str(target)]
    settings.SIGNING = {}
    assert run(*args, "--format", "xlsx", "--sign") == 2
    assert run(*args, "--format", "pdf", "--sign") == 1
    assert "chưa được đánh dấu đã gửi" in capsys.readouterr().err
    yearly.report_send(report=YearlyReport.objects.get(), user=None, today=SENT_ON)
    assert run(*args, "--format", "pdf", "--sign") == 1
    assert "SIGNING_PKCS12_PATH" in capsys.readouterr().err
    assert not target.exists()

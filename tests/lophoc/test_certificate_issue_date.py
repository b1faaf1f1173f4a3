"""The issue date is never before the class's last day (issue 13, item 3): the service, the class
page's form, the re-issue form and `issue_certificates --date` all refuse, naming both dates;
the date is typed ngày/tháng/năm like every other date field."""

import datetime

import pytest
from django.db import connections
from django.urls import reverse

from lophoc.certificates import CertificateRefused, certificate_reissue, certificates_issue
from lophoc.management.commands.issue_certificates import Command
from lophoc.models import Certificate, CertificateStatus
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader

pytestmark = pytest.mark.django_db

# builders.make_course: 02/03/2026 to 06/03/2026.
LAST_DAY = datetime.date(2026, 3, 6)
BOTH_DATES = ("05/03/2026", "06/03/2026")


@pytest.fixture
def director(centre):
    return make_leader(centre, full_name="Lê Thị Hồng")


@pytest.fixture
def closed(centre):
    return closed_course(centre, passing=2)


def test_the_service_refuses_a_day_before_the_last_and_writes_nothing(closed, staff, director):
    with pytest.raises(CertificateRefused) as refused:
        certificates_issue(
            course=closed, user=staff, signer=director, issued_on=datetime.date(2026, 3, 5)
        )
    message = refused.value.messages[0]
    assert all(day in message for day in BOTH_DATES) and closed.code in message
    assert not Certificate.objects.exists()
    issued = certificates_issue(course=closed, user=staff, signer=director, issued_on=LAST_DAY)
    assert len(issued) == 2 and issued[0].issued_on == LAST_DAY


def test_a_reissue_is_never_dated_before_the_last_day_either(closed, staff, director):
    (first, _) = certificates_issue(course=closed, user=staff, signer=director, issued_on=ISSUED_ON)
    with pytest.raises(CertificateRefused, match="trước ngày bế giảng 06/03/2026"):
        certificate_reissue(
            certificate=first,
            user=staff,
            reason="Mất bản chính",
            issued_on=datetime.date(2026, 3, 1),
            signer=director,
        )
    first.refresh_from_db()
    assert first.status == CertificateStatus.VALID
    assert Certificate.objects.count() == 2


def test_the_class_page_refuses_an_early_date_with_both_dates(client, staff, closed, director):
    client.force_login(staff)
    response = client.post(
        reverse("lophoc:course_certificates_issue", args=[closed.pk]),
        {"nguoi_ky": director.pk, "ngay_cap": "05/03/2026"},
        follow=True,
    )
    text = response.content.decode()
    assert "Ngày cấp 05/03/2026 trước ngày bế giảng 06/03/2026" in text
    assert not Certificate.objects.exists()


def test_the_class_page_takes_the_date_as_dd_mm_yyyy(client, staff, closed, director):
    client.force_login(staff)
    page = client.get(reverse("lophoc:course_detail", args=[closed.pk])).content.decode()
    assert 'type="date"' not in page
    assert 'name="ngay_cap"' in page and 'placeholder="ngày/tháng/năm"' in page
    client.post(
        reverse("lophoc:course_certificates_issue", args=[closed.pk]),
        {"nguoi_ky": director.pk, "ngay_cap": "07/03/2026"},
    )
    # 07/03 is the 7th of March, not the 3rd of July.
    assert set(Certificate.objects.values_list("issued_on", flat=True)) == {
        datetime.date(2026, 3, 7)
    }


def test_the_reissue_form_shows_the_refusal_next_to_the_date(client, staff, closed, director):
    (first, _) = certificates_issue(course=closed, user=staff, signer=director, issued_on=ISSUED_ON)
    client.force_login(staff)
    url = reverse("lophoc:certificate_reissue", args=[first.pk])
    page = client.get(url).content.decode()
    assert 'type="date"' not in page and 'placeholder="ngày/tháng/năm"' in page
    response = client.post(
        url, {"ly_do": "Mất bản chính", "nguoi_ky": director.pk, "ngay_cap": "01/03/2026"}
    )
    assert response.status_code == 200  # the form again, with what was typed
    text = response.content.decode()
    assert "Ngày cấp 01/03/2026 trước ngày bế giảng 06/03/2026" in text
    assert 'value="01/03/2026"' in text
    assert Certificate.objects.count() == 2
    first.refresh_from_db()
    assert first.status == CertificateStatus.VALID


def test_the_command_exits_1_naming_both_dates_and_writes_nothing(
    closed, director, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    target = tmp_path / "gcn.pdf"
    argv = ["--course", closed.code, "--date", "2026-03-05", "-o", str(target), "--skip-checks"]
    with pytest.raises(SystemExit) as exit:
        Command().run_from_argv(["manage.py", "issue_certificates", *argv])
    assert exit.value.code == 1
    error = capsys.readouterr().err
    assert all(day in error for day in BOTH_DATES)
    assert list(tmp_path.iterdir()) == []
    assert not Certificate.objects.exists()

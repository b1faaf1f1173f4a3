"""The QR code and the look-up address come from PUBLIC_BASE_URL (issue 13, item 6): production
refuses an unset or loopback address — `check --deploy` errors (trungtam.E010), issuing and
printing are refused outside DEBUG — and the printed address is the configured one."""

import io
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from pypdf import PdfReader

from lophoc.certificates import CertificateRefused, certificate_reissue, certificates_issue
from lophoc.documents.certificates import certificates_pdf
from lophoc.management.commands.issue_certificates import Command
from lophoc.models import Certificate
from lophoc.verification import verification_url
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.checks import public_base_url_check, public_base_url_problem

ROOT = Path(__file__).resolve().parents[2]
LOOPBACKS = [
    "",
    "http://127.0.0.1:8000",
    "http://localhost:8000/",
    "https://LOCALHOST",
    "http://[::1]:8000",
    "http://0.0.0.0:8000",
    "http://127.1.2.3",
    "http://app.localhost",
]


@pytest.mark.parametrize("url", LOOPBACKS + ["ttct.example.vn", "ftp://ttct.example.vn"])
def test_unset_loopback_or_partial_addresses_are_problems(url):
    assert public_base_url_problem(url)


@pytest.mark.parametrize(
    "url", ["https://ttct.example.vn", "http://10.0.0.5:8000", "https://192.168.1.20"]
)
def test_public_and_office_network_addresses_are_fine(url):
    assert public_base_url_problem(url) is None


@pytest.mark.parametrize("url", LOOPBACKS)
def test_the_deploy_check_errors_in_production(settings, url):
    settings.DEBUG = False
    settings.PUBLIC_BASE_URL = url
    (error,) = public_base_url_check()
    assert error.id == "trungtam.E010"
    assert error.is_serious()
    assert "PUBLIC_BASE_URL" in error.msg and "PUBLIC_BASE_URL=https://" in error.hint


def test_the_deploy_check_is_quiet_with_a_public_address_or_in_debug(settings):
    settings.DEBUG = False
    settings.PUBLIC_BASE_URL = "https://ttct.example.vn"
    assert public_base_url_check() == []
    settings.DEBUG = True
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    assert public_base_url_check() == []


def _deploy_check(**env) -> subprocess.CompletedProcess:
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "trungtam.settings.base",
            "SECRET_KEY": "k3Yq7-production-like-key-aZ91mXw0pLr5tQv8sN2bC6dF4gH1jK0uE7yT3iO9",
            "ALLOWED_HOSTS": "ttct.example.vn",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_check_deploy_fails_without_public_base_url():
    unset = _deploy_check()
    assert unset.returncode != 0
    assert "trungtam.E010" in unset.stderr and "chưa được đặt" in unset.stderr
    loopback = _deploy_check(PUBLIC_BASE_URL="http://127.0.0.1:8000")
    assert loopback.returncode != 0 and "127.0.0.1" in loopback.stderr
    fine = _deploy_check(PUBLIC_BASE_URL="https://ttct.example.vn")
    assert "trungtam.E010" not in fine.stdout + fine.stderr


# --- issuing and printing ---------------------------------------------------------------------


@pytest.fixture
def loopback(settings):
    settings.DEBUG = False
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"


@pytest.mark.django_db
def test_issuing_is_refused_with_a_loopback_address_outside_debug(centre, staff, loopback):
    course = closed_course(centre, passing=2)
    with pytest.raises(CertificateRefused, match="PUBLIC_BASE_URL"):
        certificates_issue(
            course=course, user=staff, signer=make_leader(centre), issued_on=ISSUED_ON
        )
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_reissuing_is_refused_too(centre, staff, settings):
    director = make_leader(centre)
    course = closed_course(centre, passing=1)
    (first,) = certificates_issue(course=course, user=staff, signer=director, issued_on=ISSUED_ON)
    settings.PUBLIC_BASE_URL = ""
    with pytest.raises(CertificateRefused, match="PUBLIC_BASE_URL"):
        certificate_reissue(
            certificate=first, user=staff, reason="Mất", issued_on=ISSUED_ON, signer=director
        )
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_in_debug_a_development_machine_still_issues(centre, staff, settings):
    settings.DEBUG = True
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    course = closed_course(centre, passing=1)
    issued = certificates_issue(
        course=course, user=staff, signer=make_leader(centre), issued_on=ISSUED_ON
    )
    assert len(issued) == 1


@pytest.mark.django_db
def test_the_class_page_refuses_to_issue_or_print(client, centre, staff, settings):
    director = make_leader(centre)
    course = closed_course(centre, passing=2)
    certificates_issue(course=course, user=staff, signer=director, issued_on=ISSUED_ON)
    settings.PUBLIC_BASE_URL = "http://localhost:8000"
    client.force_login(staff)
    response = client.get(reverse("lophoc:course_certificates_pdf", args=[course.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Hãy nhờ quản trị viên đặt PUBLIC_BASE_URL" in response.content.decode()


@pytest.mark.django_db
def test_the_command_exits_1_and_writes_nothing(centre, tmp_path, capsys, monkeypatch, loopback):
    monkeypatch.setattr(connections, "close_all", lambda: None)
    make_leader(centre)
    course = closed_course(centre, passing=2)
    argv = ["--course", course.code, "--date", "2026-04-10", "-o", str(tmp_path / "g.pdf")]
    with pytest.raises(SystemExit) as exit:
        Command().run_from_argv(["manage.py", "issue_certificates", *argv, "--skip-checks"])
    assert exit.value.code == 1
    assert "PUBLIC_BASE_URL" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [] and not Certificate.objects.exists()


@pytest.mark.django_db
def test_the_qr_code_and_printed_address_use_public_base_url(centre, staff, settings):
    settings.PUBLIC_BASE_URL = "https://gcn.ttct-phuloi.vn"
    course = closed_course(centre, passing=1)
    (certificate,) = certificates_issue(
        course=course, user=staff, signer=make_leader(centre), issued_on=ISSUED_ON
    )
    url = verification_url(certificate.verification_code)
    assert url.startswith("https://gcn.ttct-phuloi.vn/")
    page = PdfReader(io.BytesIO(certificates_pdf([certificate]))).pages[0]
    text = " ".join(unicodedata.normalize("NFC", page.extract_text()).split())
    assert "tra cứu số và mã tại: gcn.ttct-phuloi.vn" in text
    assert "127.0.0.1" not in text

"""manage.py issue_certificates: issues what is missing, writes the PDF, exit codes 0/1/2."""

import pytest
from django.db import connections
from django.urls import NoReverseMatch, reverse

from lophoc.management.commands.issue_certificates import Command
from lophoc.models import Certificate, CourseStatus
from tests.lophoc.certificate_helpers import closed_course, make_leader
from trungtam.models import ExportLog, LeaderRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def stub_pdf(monkeypatch):
    """The PDF layout is tested with the PDF; here only what goes into it."""
    printed = []

    def certificates_pdf(certificates, *, mode="full"):
        printed.append([c.number for c in certificates])
        return b"%PDF-stub"

    monkeypatch.setattr("lophoc.documents.certificates.certificates_pdf", certificates_pdf)
    return printed


def run(*args) -> int:
    try:
        Command().run_from_argv(["manage.py", "issue_certificates", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_issues_what_is_missing_and_writes_all_valid(centre, tmp_path, capsys, stub_pdf):
    make_leader(centre)
    course = closed_course(centre, passing=2)
    target = tmp_path / "gcn.pdf"
    args = ["--course", course.code, "--date", "2026-04-10", "-o", str(target)]
    assert run(*args) == 0
    assert target.read_bytes() == b"%PDF-stub"
    assert "Đã cấp 2 giấy mới" in capsys.readouterr().out
    assert run(*args) == 0
    assert "Đã cấp 0 giấy mới; tệp gồm 2 giấy" in capsys.readouterr().out
    assert stub_pdf == [["1-GCN/TTCT/2026", "2-GCN/TTCT/2026"]] * 2
    assert Certificate.objects.count() == 2
    certificate = Certificate.objects.first()
    assert certificate.issued_by.username == "system-issue_certificates"
    assert ExportLog.objects.count() == 2


def test_deputy_signs(centre, tmp_path, stub_pdf):
    make_leader(centre)
    make_leader(centre, role=LeaderRole.DEPUTY, full_name="Phạm Văn Phó")
    course = closed_course(centre, passing=1)
    args = ["--course", course.code, "--signer", "deputy", "-o", str(tmp_path / "g.pdf")]
    assert run(*args) == 0
    assert Certificate.objects.get().signer_name == "Phạm Văn Phó"


def test_a_class_not_closed_exits_1(centre, tmp_path, capsys, stub_pdf):
    make_leader(centre)
    course = closed_course(centre)
    course.status = CourseStatus.GRADING
    course.save()
    assert run("--course", course.code, "-o", str(tmp_path / "g.pdf")) == 1
    assert "đã kết thúc" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_class_certified_by_a_partner_exits_1(centre, tmp_path, capsys, stub_pdf):
    make_leader(centre)
    course = closed_course(centre, certificate_issuer="partner")
    assert run("--course", course.code, "-o", str(tmp_path / "g.pdf")) == 1
    assert "không do trung tâm cấp" in capsys.readouterr().err


def test_no_signer_recorded_exits_1(centre, tmp_path, capsys, stub_pdf):
    course = closed_course(centre)
    assert run("--course", course.code, "-o", str(tmp_path / "g.pdf")) == 1
    assert "chưa ghi Giám đốc" in capsys.readouterr().err
    make_leader(centre)
    assert run("--course", course.code, "--signer", "deputy", "-o", str(tmp_path / "g.pdf")) == 1
    assert "chưa ghi Phó Giám đốc" in capsys.readouterr().err
    assert not Certificate.objects.exists()


def test_bad_date_exits_2(centre, tmp_path, capsys, stub_pdf):
    make_leader(centre)
    course = closed_course(centre)
    assert run("--course", course.code, "--date", "10/04/2026", "-o", str(tmp_path / "g")) == 2
    assert "không phải ngày hợp lệ" in capsys.readouterr().err
    assert not Certificate.objects.exists()


def test_unknown_class_exits_1(db, tmp_path, capsys):
    assert run("--course", "KHONG-CO", "-o", str(tmp_path / "g.pdf")) == 1
    assert "Không có lớp" in capsys.readouterr().err


def test_real_pdf(centre, tmp_path):
    try:
        reverse("verify_code", args=["ABCDEFGH"])
    except NoReverseMatch:
        pytest.skip("the public verification page is not wired yet")
    make_leader(centre)
    course = closed_course(centre, passing=2)
    target = tmp_path / "gcn.pdf"
    assert run("--course", course.code, "-o", str(target)) == 0
    assert target.read_bytes().startswith(b"%PDF")

"""manage.py verify_pdf FILE (issue 18): the check page's answer on the command line; exit 0 only
for a valid signature on a document this installation issued, 1 otherwise, 2 for wrong usage."""

import datetime

import pytest

from lophoc.management.commands.verify_pdf import Command
from lophoc.models import Certificate, CertificateStatus
from tests.lophoc.certificate_helpers import closed_course, make_certificate, passing
from tests.signing.pki import small_pdf
from trungtam.models import SignedKind
from trungtam.signing import sign_pdf
from trungtam.signing.documents import deliver


def run(capsys, *args) -> tuple[int, str, str]:
    """The command as a shell runs it: its exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "verify_pdf", *args, "--skip-checks"])
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.fixture
def certificate(centre):
    course = closed_course(centre, passing=1, failing=0, not_eligible=0)
    return make_certificate(passing(course)[0], 7, issued_on=datetime.date(2026, 4, 10))


@pytest.fixture
def signed_certificate(centre_key, certificate, tmp_path):
    data = deliver(
        kind=SignedKind.CERTIFICATE,
        ref=str(certificate.pk),
        centre=certificate.centre,
        original=small_pdf(["GIẤY CHỨNG NHẬN", certificate.full_name]),
        reason="Cấp giấy chứng nhận",
        location="Phú Lợi",
    )
    path = tmp_path / "giay-chung-nhan.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.django_db
def test_a_kept_signed_certificate_exits_0_and_says_everything(
    capsys, certificate, signed_certificate
):
    code, out, err = run(capsys, str(signed_certificate))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"Tệp: {signed_certificate}"
    assert lines[1].startswith("Chữ ký số: HỢP LỆ")
    assert "Người ký: Trung tâm Chính trị phường Phú Lợi" in out
    assert "Thời điểm ký: " in out
    assert "(theo đồng hồ máy tính của người ký, không có dấu thời gian" in out  # no TSA here
    assert "Văn bản do trung tâm phát hành: CÓ — Giấy chứng nhận." in out
    assert "Tình trạng giấy chứng nhận: Còn hiệu lực" in out
    assert f"Họ và tên: {certificate.full_name}" in out
    assert "Ngày cấp: 10/04/2026" in out
    assert out.rstrip().endswith("Kết luận: chữ ký số hợp lệ trên văn bản do trung tâm phát hành.")
    assert certificate.verification_code not in out
    assert err == ""


@pytest.mark.django_db
def test_a_voided_certificate_still_exits_0_and_says_voided(
    capsys, certificate, signed_certificate
):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.VOIDED, void_reason="Cấp nhầm"
    )
    code, out, _ = run(capsys, str(signed_certificate))
    assert code == 0
    assert "Tình trạng giấy chứng nhận: Đã thu hồi (đã hủy)" in out


@pytest.mark.django_db
def test_a_tampered_copy_exits_1(capsys, signed_certificate):
    data = signed_certificate.read_bytes()
    at = data.index(b"stream", data.index(b"/Length")) + 20
    signed_certificate.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])
    code, out, err = run(capsys, str(signed_certificate))
    assert code == 1
    assert "Chữ ký số: KHÔNG HỢP LỆ." in out
    assert "Nội dung tệp đã bị thay đổi sau khi ký" in out
    assert "Văn bản do trung tâm phát hành: KHÔNG" in out
    assert err.strip() == "Kết luận: chữ ký số không hợp lệ."


@pytest.mark.django_db
def test_a_valid_signature_on_a_document_not_issued_here_exits_1(capsys, centre_key, tmp_path):
    path = tmp_path / "khac.pdf"
    path.write_bytes(sign_pdf(small_pdf(["Văn bản khác"]), reason="Khác", location="Khác"))
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert "Chữ ký số: HỢP LỆ" in out
    assert "Văn bản do trung tâm phát hành: KHÔNG" in out
    assert "không phải văn bản do phần mềm này phát hành" in err


@pytest.mark.django_db
def test_an_unsigned_pdf_exits_1(capsys, tmp_path):
    path = tmp_path / "chua-ky.pdf"
    path.write_bytes(small_pdf())
    code, out, _ = run(capsys, str(path))
    assert code == 1
    assert "Tệp chưa được ký số." in out
    assert "Người ký" not in out


@pytest.mark.django_db
def test_an_unreadable_file_exits_1(capsys, tmp_path):
    path = tmp_path / "chuong-trinh.pdf"
    path.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert out == ""
    assert err.strip() == f"«{path}»: Tệp không phải PDF hoặc đã hỏng."


@pytest.mark.django_db
def test_wrong_usage_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "khong-co.pdf"))
    assert code == 2
    assert "Không có tệp" in err
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2
    assert "không phải một tệp" in err
    code, _, err = run(capsys)
    assert code == 2
    assert "thiếu tham số bắt buộc: TỆP" in err

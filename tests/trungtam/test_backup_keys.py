"""Backups hold the signed copies but never key material (issue 18): the private key, the
PKCS#12 file and its password stay out of the archive, even when the key file sits under
MEDIA_ROOT by mistake."""

import base64
import io
import json
import shutil
import tarfile

import pytest
from django.core.management import call_command

from tests.signing.pki import PASSWORD, small_pdf
from trungtam.models import SignedDocument, SignedKind
from trungtam.signing.documents import deliver


def archive_members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read()
            for member in archive.getmembers()
            if member.isfile()
        }


def windows(data: bytes, size: int = 48, step: int = 97):
    """Slices of the key file: none of its bytes may turn up anywhere in the archive."""
    return [data[at : at + size] for at in range(0, max(len(data) - size, 1), step)]


def assert_no_key_material(members: dict[str, bytes], p12: bytes) -> None:
    secrets = [b"PRIVATE KEY", PASSWORD.encode(), base64.b64encode(p12)[:64]]
    secrets += windows(p12)
    for name, content in members.items():
        for secret in secrets:
            assert secret not in content, f"{name} holds key material"


@pytest.fixture
def signed_copy(centre_key, centre):
    original = small_pdf(["GIẤY CHỨNG NHẬN", "Nguyễn Văn An"])
    signed = deliver(
        kind=SignedKind.CERTIFICATE,
        ref="1",
        centre=centre,
        original=original,
        reason="Cấp giấy chứng nhận",
        location="Phú Lợi",
    )
    assert SignedDocument.objects.count() == 1
    return signed


@pytest.mark.django_db(transaction=True)
def test_the_archive_holds_the_signed_copy_and_no_key_material(
    settings, tmp_path, centre_key, signed_copy
):
    settings.MEDIA_ROOT = tmp_path / "media"
    target = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "-o", str(target), stdout=io.StringIO())

    members = archive_members(target)
    assert_no_key_material(members, centre_key.centre_p12.read_bytes())
    [table] = [name for name in members if name.endswith("trungtam.signeddocument.jsonl")]
    rows = [json.loads(line) for line in members[table].splitlines()]
    assert len(rows) == 1
    assert base64.b64decode(rows[0]["fields"]["data"]) == signed_copy


@pytest.mark.django_db(transaction=True)
def test_a_key_file_left_under_media_root_is_not_backed_up(settings, tmp_path, signing_pki):
    media = tmp_path / "media"
    (media / "tai-lieu").mkdir(parents=True)
    (media / "tai-lieu" / "bai-giang.pdf").write_bytes(small_pdf())
    p12 = media / "khoa" / "trung-tam.p12"
    p12.parent.mkdir()
    shutil.copy(signing_pki.centre_p12, p12)
    shutil.copy(signing_pki.centre_p12, media / "khoa" / "ban-sao.pfx")
    (media / "khoa" / "khoa.pem").write_bytes(
        b"-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg==\n-----END PRIVATE KEY-----\n"
    )
    (media / "khoa" / "renamed.bin").write_bytes(p12.read_bytes())
    settings.MEDIA_ROOT = media
    settings.SIGNING = {
        "PKCS12_PATH": str(media / "khoa" / "renamed.bin"),
        "PKCS12_PASSWORD": PASSWORD,
    }
    target = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "-o", str(target), stdout=io.StringIO())

    members = archive_members(target)
    assert "media/tai-lieu/bai-giang.pdf" in members  # other uploads are kept
    assert not [name for name in members if name.startswith("media/khoa/")]
    assert_no_key_material(members, signing_pki.centre_p12.read_bytes())
    manifest = json.loads(members["manifest.json"])
    assert [item["path"] for item in manifest["media"]] == ["tai-lieu/bai-giang.pdf"]

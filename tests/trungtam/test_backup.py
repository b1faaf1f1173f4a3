"""manage.py backup / restore (trungtam.backup): a consistent archive of every table and the
uploaded files, restored into an empty database with every count and the key rows checked."""

import datetime
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from hocvien.models import Trainee
from lophoc.models import Certificate, Enrolment, Score
from tests import builders
from trungtam.backup import (
    MANIFEST,
    backup_models,
    database_contents,
    key_rows_checksum,
)
from trungtam.models import ExportLog


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[int, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return raised.value.returncode, str(raised.value)


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backup_models()}


def manifest_of(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile(MANIFEST).read())


def empty_database():
    """What `migrate` gives a new database: content types and permissions, nothing else."""
    call_command("flush", interactive=False, verbosity=0)


def repack(source: Path, target: Path, change) -> None:
    """A copy of the archive with `change(name, bytes) -> bytes | None` applied to each member."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            content = old.extractfile(member).read()
            content = change(member.name, content)
            if content is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def small_data(centre, staff):
    """A few rows of every kind that matters, each with its history."""
    course = builders.make_course(centre)
    enrolment = builders.make_enrolment(
        course, builders.make_trainee(centre, national_id="001203004567", religion="Phật giáo")
    )
    score = builders.make_score(enrolment, builders.make_assessment(course), "7.25")
    score._history_user = staff
    score.retake_score = 8
    score.save()
    ExportLog.objects.create(centre=centre, username="canbo", description="x", filename="x.xlsx")
    return enrolment


# --- the round trip -----------------------------------------------------------------------------


def round_trip(tmp_path) -> dict:
    """Back up, empty the database, restore; return what was compared."""
    before_counts, before_checksum = counts(), key_rows_checksum()
    first = tmp_path / "truoc.tar.gz"
    out, _ = run("backup", "-o", str(first))
    assert "Đã sao lưu" in out and str(first) in out
    empty_database()
    assert Trainee.objects.count() == 0
    out, _ = run("restore", str(first))
    assert "Đã khôi phục" in out
    assert counts() == before_counts
    assert key_rows_checksum() == before_checksum
    # Backed up again, every table's file is byte for byte the same.
    second = tmp_path / "sau.tar.gz"
    run("backup", "-o", str(second))
    tables = {entry["model"]: entry for entry in manifest_of(first)["tables"]}
    again = {entry["model"]: entry for entry in manifest_of(second)["tables"]}
    assert again == tables
    return tables


@pytest.mark.django_db(transaction=True)
def test_the_demo_data_comes_back_exactly(tmp_path, media):
    call_command("seed_demo", "--scale", "small", verbosity=0)
    assert Trainee.objects.exists() and Score.objects.exists() and Certificate.objects.exists()
    tables = round_trip(tmp_path)
    assert tables["hocvien.trainee"]["rows"] == Trainee.objects.count()
    assert tables["lophoc.historicalenrolment"]["rows"] > 0
    assert tables["trungtam.user_groups"]["rows"] == 0  # link tables are tables of their own
    assert "sessions.session" not in tables
    # Sequences continue after the restored ids, so new rows can be written.
    trainee = builders.make_trainee(Trainee.objects.first().centre)
    assert trainee.pk > max(Trainee.objects.exclude(pk=trainee.pk).values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_history_users_and_microseconds_survive(tmp_path, media, small_data):
    score = Score.objects.get()
    newest = score.history.first()
    when = datetime.datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=datetime.UTC)
    Score.history.filter(history_id=newest.history_id).update(history_date=when)
    who, reason = newest.history_user_id, newest.history_type
    assert who is not None
    round_trip(tmp_path)
    restored = Score.history.get(history_id=newest.history_id)
    assert (restored.history_date, restored.history_user_id, restored.history_type) == (
        when,
        who,
        reason,
    )
    assert Enrolment.objects.get().trainee.national_id == "001203004567"


@pytest.mark.django_db(transaction=True)
def test_uploaded_files_come_back(tmp_path, media, small_data):
    (media / "mau").mkdir(parents=True)
    (media / "mau" / "phoi-giay.pdf").write_bytes(b"%PDF-1.4 phoi")
    archive = tmp_path / "b.tar.gz"
    out, _ = run("backup", "-o", str(archive))
    assert "1 tệp tải lên" in out
    (media / "mau" / "phoi-giay.pdf").unlink()
    empty_database()
    run("restore", str(archive))
    assert (media / "mau" / "phoi-giay.pdf").read_bytes() == b"%PDF-1.4 phoi"
    assert not list(media.glob(".khoi-phuc-*"))


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_is_refused_and_left_alone(tmp_path, media, small_data):
    archive = tmp_path / "b.tar.gz"
    run("backup", "-o", str(archive))
    builders.make_trainee(small_data.course.centre, full_name="Người Mới")
    before = counts()
    code, message = refused("restore", str(archive))
    assert code == 1
    assert "đã có dữ liệu" in message and "học viên: 2 dòng" in message
    assert "manage.py migrate" in message
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_damaged_table_writes_nothing(tmp_path, media, small_data):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "hong.tar.gz"
    run("backup", "-o", str(archive))

    def change(name, content):
        if name.endswith("-hocvien.trainee.jsonl"):
            return content.replace(b"001203004567", b"001203004568")
        return content

    repack(archive, damaged, change)
    empty_database()
    before = counts()
    code, message = refused("restore", str(damaged))
    assert code == 1 and "không khớp với manifest" in message
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_missing_table_writes_nothing(tmp_path, media, small_data):
    archive, damaged = tmp_path / "b.tar.gz", tmp_path / "thieu.tar.gz"
    run("backup", "-o", str(archive))
    repack(archive, damaged, lambda n, c: None if n.endswith("-lophoc.score.jsonl") else c)
    empty_database()
    before = counts()
    code, message = refused("restore", str(damaged))
    assert code == 1 and "thiếu 1 tệp" in message
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_another_migration_state_is_refused(tmp_path, media, small_data):
    archive, other = tmp_path / "b.tar.gz", tmp_path / "khac.tar.gz"
    run("backup", "-o", str(archive))

    def change(name, content):
        if name == MANIFEST:
            manifest = json.loads(content)
            manifest["migrations"].append(["lophoc", "9999_tu_phien_ban_moi"])
            return json.dumps(manifest).encode()
        return content

    repack(archive, other, change)
    empty_database()
    code, message = refused("restore", str(other))
    assert code == 1
    assert "Trạng thái migration" in message and "lophoc.9999_tu_phien_ban_moi" in message
    assert Trainee.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    text = tmp_path / "ghi-chu.tar.gz"
    text.write_text("không phải bản sao lưu")
    code, message = refused("restore", str(text))
    assert code == 1 and "Không đọc được bản sao lưu" in message
    other = tmp_path / "khac.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("readme.txt")
        archive.addfile(info, io.BytesIO(b""))
    code, message = refused("restore", str(other))
    assert code == 1 and "manifest.json" in message


@pytest.mark.django_db
def test_wrong_usage_exits_2(tmp_path):
    assert refused("restore", str(tmp_path / "khong-co.tar.gz"))[0] == 2
    assert refused("backup", "-o", str(tmp_path / "khong-co" / "b.tar.gz"))[0] == 2
    assert not (tmp_path / "khong-co").exists()


@pytest.mark.django_db(transaction=True)
def test_a_changed_uploaded_file_is_not_overwritten(tmp_path, media, small_data):
    media.mkdir(parents=True)
    (media / "logo.png").write_bytes(b"cu")
    archive = tmp_path / "b.tar.gz"
    run("backup", "-o", str(archive))
    (media / "logo.png").write_bytes(b"moi")
    empty_database()
    code, message = refused("restore", str(archive))
    assert code == 1 and "logo.png" in message
    assert (media / "logo.png").read_bytes() == b"moi"
    assert Trainee.objects.count() == 0


# --- the archive ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manifest_says_what_the_archive_holds(tmp_path, media, small_data):
    archive = tmp_path / "b.tar.gz"
    run("backup", "-o", str(archive))
    manifest = manifest_of(archive)
    assert manifest["format"] == "trungtam-backup" and manifest["version"] == 1
    assert manifest["database"] == connection.vendor
    assert ["hocvien", "0001_initial"] in manifest["migrations"]
    assert manifest["key_rows_sha256"] == key_rows_checksum()
    rows = {entry["model"]: entry["rows"] for entry in manifest["tables"]}
    assert rows["hocvien.trainee"] == 1 and rows["lophoc.historicalscore"] == 2
    assert rows["trungtam.exportlog"] == 1
    assert [entry["model"] for entry in manifest["tables"]][:2] == [
        "contenttypes.contenttype",
        "auth.permission",
    ]
    with tarfile.open(archive, "r:gz") as opened:
        names = opened.getnames()
    assert names[0] == MANIFEST
    assert set(names[1:]) == {entry["file"] for entry in manifest["tables"]}


@pytest.mark.django_db
def test_a_folder_as_output_gets_a_dated_file(tmp_path, media, small_data):
    out, _ = run("backup", "-o", str(tmp_path))
    written = list(tmp_path.glob("sao-luu-trungtam_*.tar.gz"))
    assert len(written) == 1 and str(written[0]) in out
    assert not list(tmp_path.glob(".*.tmp"))
    assert written[0].stat().st_mode & 0o077 == 0  # personal data: readable by its owner only


@pytest.mark.django_db
def test_what_migrate_writes_and_sessions_do_not_count_as_data(client, staff):
    client.force_login(staff)  # a session row
    assert ContentType.objects.exists() and Permission.objects.exists()
    contents = database_contents()
    assert contents["trungtam.user"] == 1
    assert not {"contenttypes.contenttype", "auth.permission", "sessions.session"} & set(contents)


# --- PostgreSQL -----------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_is_one_moment_while_people_keep_working(tmp_path, media, small_data):
    """Rows written during the backup, by another connection, are not in it (REPEATABLE READ)."""
    import threading

    from django.db import connections

    from trungtam.backup import backup_write

    assert connection.vendor == "postgresql"
    centre = small_data.course.centre
    checksum, trainees = key_rows_checksum(), Trainee.objects.count()
    written = []

    def write_elsewhere():
        try:
            builders.make_trainee(centre, full_name="Viết Trong Lúc Sao Lưu")
            written.append(True)
        finally:
            connections.close_all()

    def progress(label, rows):
        if label == "contenttypes.contenttype":  # the first table: the snapshot is taken
            thread = threading.Thread(target=write_elsewhere)
            thread.start()
            thread.join()

    archive = tmp_path / "b.tar.gz"
    backup_write(archive, progress=progress)
    assert written == [True]
    assert Trainee.objects.count() == trainees + 1
    manifest = manifest_of(archive)
    rows = {entry["model"]: entry["rows"] for entry in manifest["tables"]}
    assert rows["hocvien.trainee"] == trainees
    assert manifest["key_rows_sha256"] == checksum
    empty_database()
    run("restore", str(archive))
    assert Trainee.objects.count() == trainees
    assert key_rows_checksum() == checksum


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_demo_round_trip_on_postgresql_resets_sequences(tmp_path, media):
    assert connection.vendor == "postgresql"
    call_command("seed_demo", "--scale", "small", verbosity=0)
    round_trip(tmp_path)
    top = Trainee.objects.order_by("-pk").values_list("pk", flat=True).first()
    trainee = builders.make_trainee(Trainee.objects.first().centre)
    assert trainee.pk > top
    history = trainee.history.first()
    assert history.history_date > datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def test_the_key_rows_keep_the_order_every_archive_was_checked_in():
    """The apps register their key rows (trainees, then the classes' rows); a restore compares the
    checksum with the one an older archive carries, so the order may never change."""
    from trungtam.backup import KEY_ROWS

    assert list(KEY_ROWS) == [
        "hocvien.trainee",
        "lophoc.enrolment",
        "lophoc.score",
        "lophoc.certificate",
    ]
    assert KEY_ROWS["lophoc.score"] == (
        "id",
        "enrolment_id",
        "assessment_id",
        "score",
        "retake_score",
    )

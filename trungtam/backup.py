"""Backup and restore of the whole installation: every table and the uploaded files, in one archive.

`backup_write(path)` reads every table inside one transaction — REPEATABLE READ, READ ONLY on
PostgreSQL; on SQLite one read transaction is a snapshot too — so the archive is one consistent
moment even while people keep working. Rows go through Django's serializers (JSON Lines, one file
per table, exact to the microsecond), which read and write the same on SQLite and PostgreSQL: a
trial on SQLite can move to PostgreSQL through a backup.

The archive (`.tar.gz`) holds, in this order:
- `manifest.json`: format and version, when and from which database it was made, the applied
  migrations, every table's file with its row count and SHA-256, the uploaded files with theirs,
  and a checksum of the key rows (trainees, results, scores, certificates);
- `data/NNN-app.model.jsonl`: the rows of each table, history tables and the links between users
  and permissions included;
- `media/…`: the files under MEDIA_ROOT.
Sessions are left out: restoring logs nobody in, and they may hold half-finished uploads.

`backup_restore(path)` brings an archive back into an empty database of the same migration state
(run `manage.py migrate` on a new database first): everything in one transaction, the rows written
as they were (no signals, no new history rows, stored figures untouched), sequences reset on
PostgreSQL, then every count and the key-row checksum compared with the manifest. Any difference,
a damaged file or a database that already holds data, and nothing is written.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "trungtam-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
BATCH = 1000
CHUNK = 1 << 20

# Not backed up: sessions (see the module's docstring) and uploads waiting for confirmation,
# which expire within two hours and belong to those sessions.
EXCLUDED = {"sessions.session", "trungtam.pendingupload"}
# Written by `migrate` into every new database; a restore replaces them with the backup's own, so
# that every reference to them (admin log, user permissions) keeps its meaning.
REPLACED = ("auth.permission", "contenttypes.contenttype")

# The rows whose checksum proves a restore gave back what matters most (DESIGN §8b, §9): label →
# fields. The apps that own them register them in their AppConfig.ready(), lower layers first
# (INSTALLED_APPS order); the order is part of the checksum every archive carries, so it stays.
KEY_ROWS: dict[str, tuple[str, ...]] = {}


def register_key_rows(label: str, *fields: str) -> None:
    KEY_ROWS[label] = fields


Progress = Callable[[str, int], None]


class BackupRefused(Exception):
    """The archive or the database is not fit for the operation; the message says why (Vietnamese)."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines))
        self.lines = list(lines)


# --- what is backed up ------------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every table of the installation, the auto-created link tables included; content types and
    permissions first (they are what a restore replaces before loading the rest)."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model._meta.label_lower not in EXCLUDED
    ]
    first = {label: index for index, label in enumerate(reversed(REPLACED))}
    return sorted(
        found, key=lambda m: (first.get(m._meta.label_lower, len(first)), m._meta.label_lower)
    )


def _label(model) -> str:
    return model._meta.label_lower


def _verbose(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name_plural)
    except LookupError:
        return label


def applied_migrations(using: str = "default") -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted([app, name] for app, name in recorder.applied_migrations())


def pending_migrations(using: str = "default") -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _canonical(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def key_rows_checksum(using: str = "default") -> str:
    """SHA-256 of the key rows (trainees, enrolments' results, scores, certificates), in id order."""
    digest = hashlib.sha256()
    for label, fields in KEY_ROWS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        digest.update(f"#{label}\n".encode())
        rows = model._base_manager.using(using).order_by("pk").values_list(*fields)
        for row in rows.iterator(chunk_size=2000):
            digest.update(("|".join(_canonical(v) for v in row) + "\n").encode())
    return digest.hexdigest()


# --- writing ----------------------------------------------------------------------------------


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps them exact."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class TableSerializer(jsonl.Serializer):
    """One table's rows: many-to-many links are tables of their own in a backup."""

    def handle_m2m_field(self, obj, field):
        pass


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: int
    rows: int
    media_files: int
    size: int


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def _snapshot(using: str):
    """One consistent read of the whole database."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _counted(rows: Iterable, counter: list[int]) -> Iterator:
    for row in rows:
        counter[0] += 1
        yield row


def _check_schema(using: str, chosen: list) -> None:
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    missing = [m._meta.db_table for m in chosen if m._meta.db_table not in tables]
    pending = pending_migrations(using)
    if missing or pending:
        raise BackupRefused(
            "Cơ sở dữ liệu chưa được cập nhật theo phiên bản phần mềm này "
            f"(thiếu {len(missing)} bảng, {len(pending)} migration chưa chạy).",
            "Hãy chạy «manage.py migrate» rồi sao lưu lại.",
        )


def _dump_tables(folder: Path, using: str, progress: Progress | None) -> tuple[list, list, str]:
    chosen = backup_models()
    _check_schema(using, chosen)
    entries = []
    with _snapshot(using):
        migrations = applied_migrations(using)
        for number, model in enumerate(chosen, start=1):
            name = f"{DATA_DIR}/{number:03d}-{_label(model)}.jsonl"
            path = folder / name
            path.parent.mkdir(exist_ok=True)
            counter = [0]
            rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
            with path.open("w", encoding="utf-8", newline="\n") as file:
                TableSerializer().serialize(
                    _counted(rows, counter), stream=file, cls=ExactJSONEncoder
                )
            entries.append(
                {
                    "model": _label(model),
                    "file": name,
                    "rows": counter[0],
                    "sha256": _sha256_file(path),
                }
            )
            if progress:
                progress(_label(model), counter[0])
        checksum = key_rows_checksum(using)
    return entries, migrations, checksum


def media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", None)
    return Path(root) if root else None


# Private keys are never backed up (issue 18): they live outside the database, but a key file
# left under MEDIA_ROOT by mistake — the configured PKCS#12, any .p12/.pfx/.key, a PEM holding a
# private key — stays out of the archive too.
KEY_SUFFIXES = {".p12", ".pfx", ".key"}


def _is_key_material(path: Path) -> bool:
    configured = str((getattr(settings, "SIGNING", None) or {}).get("PKCS12_PATH") or "")
    if configured and Path(configured).resolve() == path.resolve():
        return True
    if path.suffix.lower() in KEY_SUFFIXES:
        return True
    if path.suffix.lower() in {".pem", ".crt", ".cer"} and path.stat().st_size < 1 << 20:
        return b"PRIVATE KEY-----" in path.read_bytes()
    return False


def _media_files() -> list[dict]:
    root = media_root()
    if root is None or not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not _is_key_material(path):
            found.append(
                {
                    "path": path.relative_to(root).as_posix(),
                    "size": path.stat().st_size,
                    "sha256": _sha256_file(path),
                }
            )
    return found


def default_filename(now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now or timezone.now())
    return f"sao-luu-trungtam_{now:%Y-%m-%d_%H%M%S}.tar.gz"


def backup_write(
    path: str | Path, *, using: str = "default", progress: Progress | None = None
) -> BackupSummary:
    """Write the archive to `path` through a temporary file in the same folder, then rename."""
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(target.parent)
    with tempfile.TemporaryDirectory(prefix="trungtam-backup-") as work:
        folder = Path(work)
        entries, migrations, checksum = _dump_tables(folder, using, progress)
        media = _media_files()
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": connections[using].vendor,
            "django": django.get_version(),
            "python": sys.version.split()[0],
            "migrations": migrations,
            "tables": entries,
            "media": media,
            "key_rows_sha256": checksum,
        }
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        os.close(handle)
        try:
            with tarfile.open(temporary, "w:gz", compresslevel=6) as archive:
                content = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(content)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(content))
                for entry in entries:
                    archive.add(folder / entry["file"], arcname=entry["file"], recursive=False)
                root = media_root()
                for item in media:
                    archive.add(
                        root / item["path"], arcname=f"{MEDIA_DIR}/{item['path']}", recursive=False
                    )
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return BackupSummary(
        path=target,
        tables=len(entries),
        rows=sum(entry["rows"] for entry in entries),
        media_files=len(media),
        size=target.stat().st_size,
    )


# --- restoring --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreSummary:
    created_at: str
    database: str
    tables: int
    rows: int
    media_files: int


def _read_manifest(archive: tarfile.TarFile) -> dict:
    member = archive.next()
    if member is None or member.name != MANIFEST or not member.isfile():
        raise BackupRefused(
            "Tệp không phải bản sao lưu của phần mềm (không thấy manifest.json ở đầu tệp)."
        )
    try:
        manifest = json.loads(archive.extractfile(member).read().decode())
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused("manifest.json của bản sao lưu bị hỏng, không đọc được.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused("Tệp không phải bản sao lưu của phần mềm (sai định dạng).")
    shapes = {"migrations": list, "tables": list, "media": list, "key_rows_sha256": str}
    if not isinstance(manifest, dict) or any(
        not isinstance(manifest.get(key), kind) for key, kind in shapes.items()
    ):
        raise BackupRefused("manifest.json của bản sao lưu thiếu thông tin; bản sao lưu hỏng.")
    entries = {
        "tables": {"model": str, "file": str, "rows": int, "sha256": str},
        "media": {"path": str, "size": int, "sha256": str},
    }
    for key, fields in entries.items():
        for item in manifest[key]:
            if not isinstance(item, dict) or any(
                not isinstance(item.get(name), kind) for name, kind in fields.items()
            ):
                raise BackupRefused(f"manifest.json có mục «{key}» sai dạng; bản sao lưu hỏng.")
    if manifest.get("version") != VERSION:
        raise BackupRefused(
            f"Bản sao lưu có định dạng phiên bản {manifest.get('version')}; phần mềm này đọc "
            f"phiên bản {VERSION}. Hãy khôi phục bằng phiên bản phần mềm đã tạo bản sao lưu."
        )
    return manifest


def _check_migrations(manifest: dict, using: str) -> None:
    mine = {tuple(item) for item in applied_migrations(using)}
    theirs = {tuple(item) for item in manifest["migrations"]}
    if not mine:
        raise BackupRefused(
            "Cơ sở dữ liệu đích chưa có bảng nào. Hãy chạy «manage.py migrate» rồi chạy lại lệnh."
        )
    if mine != theirs:
        lines = [
            "Trạng thái migration của cơ sở dữ liệu đích khác bản sao lưu: hãy khôi phục bằng "
            "đúng phiên bản phần mềm đã tạo bản sao lưu (cập nhật phần mềm sau khi khôi phục)."
        ]
        lines += [f"Chỉ có trong bản sao lưu: {a}.{n}" for a, n in sorted(theirs - mine)[:10]]
        lines += [
            f"Chỉ có trong cơ sở dữ liệu đích: {a}.{n}" for a, n in sorted(mine - theirs)[:10]
        ]
        raise BackupRefused(*lines)


def database_contents(using: str = "default") -> dict[str, int]:
    """Rows per table, for the tables a restore needs empty (all but content types, permissions
    and sessions)."""
    counts = {}
    for model in backup_models():
        if _label(model) in REPLACED:
            continue
        count = model._base_manager.using(using).count()
        if count:
            counts[_label(model)] = count
    return counts


def _check_empty(using: str) -> None:
    counts = database_contents(using)
    if counts:
        shown = [f"{_verbose(label)}: {n} dòng" for label, n in list(counts.items())[:5]]
        more = f" và {len(counts) - 5} bảng khác" if len(counts) > 5 else ""
        raise BackupRefused(
            f"Cơ sở dữ liệu đích đã có dữ liệu ({'; '.join(shown)}{more}); không ghi gì.",
            "Lệnh restore chỉ khôi phục vào cơ sở dữ liệu trống, để không trộn hai bộ dữ liệu: "
            "hãy tạo cơ sở dữ liệu mới, chạy «manage.py migrate», rồi chạy lại lệnh này.",
        )


def _media_target(relative: str) -> Path:
    parts = PurePosixPath(relative)
    if parts.is_absolute() or ".." in parts.parts or not parts.parts:
        raise BackupRefused(f"Bản sao lưu có đường dẫn tệp không hợp lệ: «{relative}».")
    return media_root() / Path(*parts.parts)


def _check_media(manifest: dict) -> None:
    if manifest["media"] and media_root() is None:
        raise BackupRefused("Bản sao lưu có tệp tải lên nhưng cấu hình không có MEDIA_ROOT.")
    for item in manifest["media"]:
        target = _media_target(item["path"])
        if target.exists() and (not target.is_file() or _sha256_file(target) != item["sha256"]):
            raise BackupRefused(
                f"Tệp «{target}» đã có và khác tệp trong bản sao lưu; không ghi đè. Hãy dùng thư "
                "mục MEDIA_ROOT trống."
            )


def _hashed_lines(file, digest) -> Iterator[bytes]:
    for line in file:
        digest.update(line)
        yield line


def _insert(model, objects: list, using: str) -> None:
    """Write the rows as they are: no save(), no signals, no history rows, no auto dates."""
    fields = list(model._meta.local_concrete_fields)
    size = max(1, min(BATCH, connections[using].ops.bulk_batch_size(fields, objects)))
    for start in range(0, len(objects), size):
        model._base_manager.using(using)._insert(
            objects[start : start + size], fields=fields, using=using, raw=True
        )


def _load_table(archive, member, entry: dict, using: str) -> int:
    model = apps.get_model(entry["model"])
    digest = hashlib.sha256()
    file = archive.extractfile(member)
    rows, batch = 0, []
    try:
        for item in serializers.deserialize(
            "jsonl", _hashed_lines(file, digest), using=using, ignorenonexistent=False
        ):
            if type(item.object) is not model:
                raise BackupRefused(f"Tệp «{member.name}» có dòng của bảng khác; bản sao lưu hỏng.")
            batch.append(item.object)
            if len(batch) >= BATCH:
                _insert(model, batch, using)
                rows += len(batch)
                batch = []
    except serializers.base.DeserializationError as error:
        raise BackupRefused(f"Tệp «{member.name}» bị hỏng, không đọc được: {error}") from None
    if batch:
        _insert(model, batch, using)
        rows += len(batch)
    if digest.hexdigest() != entry["sha256"] or rows != entry["rows"]:
        raise BackupRefused(
            f"Tệp «{member.name}» không khớp với manifest (tổng kiểm tra hoặc số dòng khác): "
            "bản sao lưu bị hỏng hoặc bị sửa."
        )
    return rows


def _stage_media(archive, member, item: dict, staging: Path) -> None:
    target = staging / item["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != item["sha256"]:
        raise BackupRefused(f"Tệp «{member.name}» không khớp với manifest: bản sao lưu bị hỏng.")


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _verify(manifest: dict, using: str) -> None:
    wrong = []
    for entry in manifest["tables"]:
        model = apps.get_model(entry["model"])
        count = model._base_manager.using(using).count()
        if count != entry["rows"]:
            wrong.append(f"{entry['model']}: {count} dòng, bản sao lưu có {entry['rows']}")
    if wrong:
        raise BackupRefused("Sau khi khôi phục, số dòng không khớp; không ghi gì.", *wrong)
    if key_rows_checksum(using) != manifest["key_rows_sha256"]:
        raise BackupRefused(
            "Sau khi khôi phục, tổng kiểm tra của học viên, kết quả, điểm và giấy chứng nhận "
            "không khớp với bản sao lưu; không ghi gì."
        )


def _load(archive, manifest: dict, using: str, progress: Progress | None) -> None:
    """Everything in the archive after the manifest, in one transaction, then checked."""
    connection = connections[using]
    tables = {entry["file"]: entry for entry in manifest["tables"]}
    media = {f"{MEDIA_DIR}/{item['path']}": item for item in manifest["media"]}
    staging = _staging_folder() if media else None
    seen = set()
    with transaction.atomic(using=using):
        for label in REPLACED:
            apps.get_model(label)._base_manager.using(using).all().delete()
        ContentType.objects.clear_cache()
        for member in archive:
            if member.name == MANIFEST:
                continue  # read first; the iteration starts again at the top
            if member.name in tables and member.isfile():
                rows = _load_table(archive, member, tables[member.name], using)
                if progress:
                    progress(tables[member.name]["model"], rows)
            elif member.name in media and member.isfile():
                _stage_media(archive, member, media[member.name], staging)
            else:
                raise BackupRefused(f"Bản sao lưu có mục lạ «{member.name}»; không ghi gì.")
            seen.add(member.name)
        missing = (set(tables) | set(media)) - seen
        if missing:
            raise BackupRefused(
                f"Bản sao lưu thiếu {len(missing)} tệp ghi trong manifest "
                f"(ví dụ «{sorted(missing)[0]}»): bản sao lưu không đầy đủ."
            )
        try:
            connection.check_constraints(
                table_names=[apps.get_model(e["model"])._meta.db_table for e in tables.values()]
            )
        except IntegrityError as error:
            raise BackupRefused(f"Dữ liệu trong bản sao lưu không nhất quán: {error}") from None
        _reset_sequences(using)
        _verify(manifest, using)
    # Only once the rows are in: the uploaded files move from the staging folder into place.
    for item in manifest["media"]:
        target = _media_target(item["path"])
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / item["path"], target)


def _staging_folder() -> Path:
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".khoi-phuc-", dir=root))


def backup_restore(
    path: str | Path, *, using: str = "default", progress: Progress | None = None
) -> RestoreSummary:
    """Load the archive at `path` into this empty database, or refuse and write nothing."""
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    root = media_root()
    staged_before = set(root.glob(".khoi-phuc-*")) if root is not None and root.is_dir() else set()
    try:
        with tarfile.open(path, "r|gz") as archive:
            manifest = _read_manifest(archive)
            for entry in manifest["tables"]:
                try:
                    apps.get_model(entry["model"])
                except LookupError:
                    raise BackupRefused(
                        f"Bản sao lưu có bảng «{entry['model']}» mà phần mềm này không có."
                    ) from None
            _check_migrations(manifest, using)
            _check_empty(using)
            _check_media(manifest)
            _load(archive, manifest, using, progress)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupRefused(f"Không đọc được bản sao lưu: {error}") from None
    finally:
        ContentType.objects.clear_cache()
        if root is not None and root.is_dir():
            for folder in set(root.glob(".khoi-phuc-*")) - staged_before:
                shutil.rmtree(folder, ignore_errors=True)
    return RestoreSummary(
        created_at=manifest["created_at"],
        database=manifest["database"],
        tables=len(manifest["tables"]),
        rows=sum(entry["rows"] for entry in manifest["tables"]),
        media_files=len(manifest["media"]),
    )

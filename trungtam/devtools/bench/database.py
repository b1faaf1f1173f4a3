"""Where the benchmark keeps its data: never the user's database, always one derived from it.

PostgreSQL: a database named "<name>_bench" on the same server (created when missing).
SQLite: a file bench-<scale>.sqlite3 in a cache folder. The dataset manifest (scale, generator
version, migrations) is kept in a table of the bench database, so a later run reuses a data set
that still fits instead of writing 560.000 enrolments again.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.db import connection
from django.db.migrations.loader import MigrationLoader

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}
SUFFIX = "_bench"
SQLITE_PREFIX = "bench-"
MANIFEST_TABLE = "bench_manifest"


class BenchDatabaseError(Exception):
    """The bench database cannot be derived or reached (a Vietnamese message)."""


@dataclass(frozen=True)
class BenchDatabase:
    vendor: str  # "postgresql" or "sqlite"
    url: str  # DATABASE_URL of the bench database
    name: str  # database name, or the file path for SQLite
    source_name: str

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"SQLite, tệp {self.name}"
        return f"PostgreSQL, cơ sở dữ liệu «{self.name}»"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trungtam-bench"


def derive(source_url: str | None, *, scale: str, cache_dir: Path | None = None) -> BenchDatabase:
    """The bench database that belongs to `source_url` (None: the SQLite default)."""
    if not source_url:
        source_url = "sqlite:///db.sqlite3"
    parts = urlsplit(source_url)
    scheme = parts.scheme.lower()
    if scheme in POSTGRES_SCHEMES:
        name = parts.path.lstrip("/")
        if not name:
            raise BenchDatabaseError(f"Địa chỉ cơ sở dữ liệu «{source_url}» không có tên database.")
        bench_name = name + SUFFIX
        url = urlunsplit((parts.scheme, parts.netloc, "/" + bench_name, parts.query, ""))
        return BenchDatabase("postgresql", url, bench_name, name)
    if scheme.startswith("sqlite"):
        folder = Path(cache_dir) if cache_dir else default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = (folder / f"{SQLITE_PREFIX}{scale}.sqlite3").resolve()
        return BenchDatabase("sqlite", f"sqlite:///{path}", str(path), parts.path)
    raise BenchDatabaseError(
        f"Chỉ đo được trên PostgreSQL hoặc SQLite, không phải «{parts.scheme}»."
    )


def _server_settings(bench: BenchDatabase) -> dict:
    config = dj_database_url.parse(bench.url)
    settings = {
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    # Query parameters (?host=/socket/dir&port=…, sslmode…) come as OPTIONS.
    settings.update({key: value for key, value in config.get("OPTIONS", {}).items()})
    return {key: value for key, value in settings.items() if value not in (None, "")}


def _admin_connection(bench: BenchDatabase):
    """A connection to the server's maintenance database (or the user's own one)."""
    import psycopg

    settings = _server_settings(bench)
    error = None
    for dbname in ("postgres", bench.source_name, "template1"):
        try:
            return psycopg.connect(dbname=dbname, autocommit=True, **settings)
        except psycopg.Error as failure:
            error = failure
    raise BenchDatabaseError(f"Không kết nối được máy chủ PostgreSQL: {error}")


def ensure_exists(bench: BenchDatabase) -> bool:
    """Create the PostgreSQL bench database when it is missing; True when it was created."""
    if bench.vendor != "postgresql":
        return False
    import psycopg
    from psycopg import sql

    with _admin_connection(bench) as admin:
        found = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [bench.name]
        ).fetchone()
        if found:
            return False
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench.name)))
        except psycopg.Error as error:
            raise BenchDatabaseError(
                f"Không tạo được cơ sở dữ liệu «{bench.name}» ({error}). Hãy tạo trước "
                f"(createdb {bench.name}) hoặc cấp quyền CREATEDB cho người dùng này."
            ) from None
    return True


def drop(bench: BenchDatabase) -> bool:
    """Remove the bench database (or file); True when there was one."""
    if bench.vendor == "sqlite":
        path = Path(bench.name)
        existed = path.exists()
        for extra in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + extra).unlink(missing_ok=True)
        return existed
    import psycopg
    from psycopg import sql

    with _admin_connection(bench) as admin:
        found = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [bench.name]
        ).fetchone()
        if not found:
            return False
        try:
            admin.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(bench.name))
            )
        except psycopg.Error as error:
            raise BenchDatabaseError(f"Không xóa được «{bench.name}»: {error}") from None
    return True


# --- inside the bench process (connected to the bench database) --------------------------------


def assert_bench_connection() -> None:
    """Refuse to write anything unless the default connection is a bench database."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        ok = Path(name).name.startswith(SQLITE_PREFIX)
    else:
        ok = name.endswith(SUFFIX)
    if not ok:
        raise BenchDatabaseError(
            f"Từ chối chạy: «{name}» không phải cơ sở dữ liệu riêng của bench "
            f"(tên phải kết thúc bằng «{SUFFIX}» hoặc tệp bắt đầu bằng «{SQLITE_PREFIX}»)."
        )


def code_migrations() -> list[str]:
    """Every migration the code has, as "app.name", sorted, with those a squashed migration of
    the code replaces (a database migrated through the squash records them as applied)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = {f"{app}.{name}" for app, name in loader.disk_migrations}
    for migration in loader.disk_migrations.values():
        names.update(f"{app}.{name}" for app, name in migration.replaces)
    return sorted(names)


def applied_migrations() -> list[str]:
    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return sorted(f"{app}.{name}" for app, name in cursor.fetchall())


def read_manifest() -> dict | None:
    if MANIFEST_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {MANIFEST_TABLE} WHERE name = 'manifest'")
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_manifest(manifest: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MANIFEST_TABLE} "
            "(name varchar(40) PRIMARY KEY, value text NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MANIFEST_TABLE}")
        cursor.execute(
            f"INSERT INTO {MANIFEST_TABLE} (name, value) VALUES ('manifest', %s)",
            [json.dumps(manifest, ensure_ascii=False)],
        )


def empty_database() -> None:
    """Drop every table of the bench database (its data set no longer fits the code)."""
    assert_bench_connection()
    tables = connection.introspection.table_names()
    if not tables:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "DROP TABLE IF EXISTS " + ", ".join(quote(t) for t in tables) + " CASCADE"
            )
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")


def reuse_refusal(manifest: dict | None, *, scale: str, generator: int) -> str | None:
    """Why the data set in the bench database cannot be reused, or None when it can.

    It can when it was made for this scale by this generator and every migration it was made
    under is still in the code; migrations added since are applied to it, as on a real server.
    """
    if manifest is None:
        return "chưa có bộ dữ liệu (hoặc lần tạo trước bị dừng giữa chừng)"
    if manifest.get("scale") != scale:
        return f"bộ dữ liệu hiện có là quy mô «{manifest.get('scale')}»"
    if manifest.get("generator") != generator:
        return "bộ dữ liệu được tạo bởi phiên bản khác của bộ sinh dữ liệu"
    missing = sorted(set(manifest.get("migrations", [])) - set(code_migrations()))
    if missing:
        return f"bộ dữ liệu được tạo với migration không còn trong mã nguồn: {', '.join(missing)}"
    return None

"""manage.py bench: its own database, a data set the product would have stored, every job run.

The end-to-end test runs `bench --scale small --runs 1` in a subprocess against a database of its
own (a SQLite file in a temporary folder, or a throwaway PostgreSQL database dropped afterwards),
and checks that every job ran and reported a time and a query count. No time limit is asserted.
"""

import json
import os
import uuid
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lophoc.attendance import absence_figures
from lophoc.models import Certificate, Course, CourseStatus, Enrolment, Score
from lophoc.results import course_results
from trungtam.devtools.bench import database
from trungtam.devtools.bench.dataset import BENCH_CLASSES, Generator, Scale
from trungtam.devtools.bench.jobs import JOB_KEYS

# Every job the bench times at small scale (one centre: no report of several centres).
SEVERAL_CENTRES = {
    "yearly_command_province_pdf",
    "yearly_command_province_xlsx",
    "yearly_view_all_pdf",
    "yearly_view_all_xlsx",
}
JOBS = set(JOB_KEYS) - SEVERAL_CENTRES


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme.startswith("postgres") else None


@pytest.fixture
def source_url():
    """The database the bench derives its own from: never one the suite uses."""
    url = _postgres_url()
    if url is None:
        yield None  # SQLite: the bench file goes to the temporary cache folder
        return
    parts = urlsplit(url)
    name = f"benchtest_{uuid.uuid4().hex[:8]}"
    source = urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, ""))
    yield source
    call_command("bench", "--drop", db=source, stdout=open(os.devnull, "w"))


# --- the bench database is always another one ------------------------------------------------


class TestDerive:
    def test_postgres_gets_a_database_of_its_own_on_the_same_server(self):
        bench = database.derive(
            "postgres://u:p@db.local:5433/trungtam?sslmode=require", scale="province"
        )
        assert bench.vendor == "postgresql"
        assert bench.name == "trungtam_bench"
        assert bench.url == "postgres://u:p@db.local:5433/trungtam_bench?sslmode=require"

    def test_socket_parameters_are_kept(self):
        bench = database.derive("postgres://postgres@/tt?host=/tmp/sock&port=5999", scale="small")
        assert bench.url == "postgres://postgres@/tt_bench?host=/tmp/sock&port=5999"
        assert database._server_settings(bench) == {
            "user": "postgres",
            "host": "/tmp/sock",
            "port": 5999,
        }

    def test_sqlite_gets_a_file_per_scale_in_the_cache_folder(self, tmp_path):
        bench = database.derive(
            "sqlite:////srv/trungtam/db.sqlite3", scale="small", cache_dir=tmp_path
        )
        assert bench.vendor == "sqlite"
        assert bench.name == str(tmp_path / "bench-small.sqlite3")
        assert bench.url == f"sqlite:///{tmp_path / 'bench-small.sqlite3'}"
        assert database.derive(None, scale="province", cache_dir=tmp_path).name.endswith(
            "bench-province.sqlite3"
        )

    def test_other_databases_are_refused(self):
        with pytest.raises(database.BenchDatabaseError, match="PostgreSQL hoặc SQLite"):
            database.derive("mysql://u@h/db", scale="small")

    @pytest.mark.django_db
    def test_it_refuses_to_write_into_a_database_that_is_not_a_bench_one(self):
        with pytest.raises(database.BenchDatabaseError, match="không phải cơ sở dữ liệu riêng"):
            database.assert_bench_connection()
        with pytest.raises(database.BenchDatabaseError):
            database.empty_database()
        assert "trungtam_centre" in connection.introspection.table_names()


class TestReuse:
    def manifest(self, **changes):
        manifest = {
            "scale": "province",
            "generator": 7,
            "migrations": database.code_migrations()[:-1],
        }
        manifest.update(changes)
        return manifest

    def test_a_fitting_data_set_is_reused_even_with_newer_migrations(self):
        assert database.reuse_refusal(self.manifest(), scale="province", generator=7) is None

    def test_another_scale_generator_or_unknown_migration_is_rebuilt(self):
        assert "chưa có" in database.reuse_refusal(None, scale="small", generator=7)
        assert "quy mô «province»" in database.reuse_refusal(
            self.manifest(), scale="small", generator=7
        )
        assert "phiên bản khác" in database.reuse_refusal(
            self.manifest(), scale="province", generator=8
        )
        gone = self.manifest(migrations=["lophoc.9999_gone"])
        assert "lophoc.9999_gone" in database.reuse_refusal(gone, scale="province", generator=7)

    def test_migrations_a_squash_of_the_code_replaces_are_not_gone(self):
        # A database migrated through trungtam's squash records the seven it replaces too.
        squashed = self.manifest(
            migrations=["trungtam.0001_initial", "trungtam.0006_report_issuer"]
        )
        assert database.reuse_refusal(squashed, scale="province", generator=7) is None


# --- the data set is what the product itself would have stored -------------------------------


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_generated_figures_and_results_are_the_products_own():
    dataset = Generator(
        Scale("tiny", centres=1, years=2, trainees_per_class=10), last_year=2026
    ).run()
    assert dataset.first_year == 2025 and dataset.report_year == 2025
    assert Course.objects.count() == 2 * 35 + len(BENCH_CLASSES)
    assert dataset.counts["lophoc.Enrolment"] == Enrolment.objects.count()

    checked = 0
    for course in Course.objects.exclude(enrolments=None):
        scheduled, absent, excused = absence_figures(course)
        stored = {e.pk: e for e in course.enrolments.all()}
        for enrolment in stored.values():
            assert enrolment.scheduled_periods == scheduled
            assert enrolment.absent_periods == absent[enrolment.pk]
            assert enrolment.excused_periods == excused[enrolment.pk]
        if course.status == CourseStatus.CLOSED:
            for item in course_results(course):
                enrolment = stored[item.enrolment.pk]
                assert (
                    enrolment.final_score,
                    enrolment.classification,
                    enrolment.is_eligible,
                    enrolment.passed,
                ) == (
                    item.result.final_score,
                    item.result.classification,
                    item.result.is_eligible,
                    item.result.passed,
                )
                checked += 1
    assert checked > 500
    # Every passing trainee of a closed class the centre certifies has one valid certificate.
    passing = Enrolment.objects.filter(
        course__status=CourseStatus.CLOSED, course__certificate_issuer="centre", passed=True
    )
    assert Certificate.objects.count() == passing.count() > 0
    # The evaluation's tallies are what storing each answer would have added up.
    from django.db.models import Count, Sum

    from danhgia.models import EvaluationMark, EvaluationTally

    from_marks = {
        (r["answer__course_id"], r["group"], r["lecturer_id"]): (r["a"], r["t"], r["n"])
        for r in EvaluationMark.objects.filter(value__isnull=False)
        .values("answer__course_id", "group", "lecturer_id")
        .annotate(a=Count("answer", distinct=True), t=Sum("value"), n=Count("pk"))
    }
    tallied = {
        (r["course_id"], r["group"], r["lecturer_id"]): (r["a"], r["t"], r["n"])
        for r in EvaluationTally.objects.values("course_id", "group", "lecturer_id").annotate(
            a=Sum("answers"), t=Sum("total"), n=Sum("marks")
        )
    }
    assert from_marks and tallied == from_marks
    # New records after the explicit keys of the bulk writes get fresh keys.
    course = Course.objects.get(code__startswith="BENCH-DIEM")
    enrolment = course.enrolments.first()
    score = Score.objects.create(
        enrolment=Enrolment.objects.create(
            course=Course.objects.get(code__startswith="BENCH-NHAP"),
            trainee=enrolment.trainee,
        ),
        assessment=course.assessments.first(),
        score=Decimal("8"),
    )
    assert score.pk > dataset.counts["lophoc.Score"]


def test_an_unknown_job_is_wrong_usage_before_anything_is_created(tmp_path):
    with pytest.raises(CommandError, match="Không có việc: nope"):
        call_command("bench", "--only", "class_page,nope", "--cache-dir", str(tmp_path))
    assert not list(tmp_path.iterdir())


# --- end to end --------------------------------------------------------------------------------


def test_bench_small_runs_every_job(tmp_path, source_url):
    report_path = tmp_path / "bench.json"
    out = tmp_path / "out.txt"
    with open(out, "w") as stdout:
        call_command(
            "bench",
            "--scale",
            "small",
            "--runs",
            "1",
            "--json",
            str(report_path),
            "--cache-dir",
            str(tmp_path / "cache"),
            db=source_url,
            stdout=stdout,
        )
    text = out.read_text()
    report = json.loads(report_path.read_text())
    jobs = {job["key"]: job for job in report["jobs"]}
    assert set(jobs) == JOBS
    for key, job in jobs.items():
        assert job["error"] == "", (key, job["error"])
        assert job["median_ms"] is not None and job["median_ms"] > 0, key
        assert isinstance(job["queries"], int) and job["queries"] > 0, key
        assert job["floor_ms"] is not None, key
        assert job["label"] in text
    assert report["dataset"]["scale"] == "small"
    assert report["dataset"]["counts"]["lophoc.Enrolment"] > 2500
    assert "Cơ sở dữ liệu đang dùng không bị đụng tới" in text
    assert "Trung vị ms" in text and "Kết quả" in text
    if source_url is None:
        assert (tmp_path / "cache" / "bench-small.sqlite3").exists()
    assert report["database_name"].endswith(("_bench", "bench-small.sqlite3"))


def test_a_target_over_the_floor_is_missed_only_when_the_job_adds_more():
    from trungtam.devtools.bench.jobs import Job
    from trungtam.devtools.bench.runner import Result

    job = Job("signed", "Ký", lambda: None, target_added_ms=2000)
    within = Result(job, runs_ms=[2900.0], floor_ms=1000.0)
    assert within.added_ms == 1900.0 and within.missed == []
    beyond = Result(job, runs_ms=[3100.0], floor_ms=1000.0)
    assert beyond.missed == ["thêm 2.100 ms so với sàn > 2.000 ms"]
    assert beyond.missed_english() == ["+2100 ms over floor > 2000 ms"]
    assert beyond.as_dict()["target"]["added_ms"] == 2000
    assert "so với sàn" in beyond.target_text and "over floor" in beyond.target_english

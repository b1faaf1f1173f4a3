"""manage.py bench: time the main jobs on a data set of a whole province, in a database of its own.

The command never touches the database it is given: it derives a bench database from it
(PostgreSQL "<name>_bench" on the same server, or a SQLite file in a cache folder), then runs
itself again in a subprocess connected to that database, so Django's connections are set up as
usual. That process migrates, writes the data set (or reuses it when its manifest still fits),
times every job and prints the table.
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from trungtam.commands import BadData, ContractCommand, WrongUsage
from trungtam.devtools.bench import database
from trungtam.devtools.bench.dataset import BENCH_CLASSES, GENERATOR_VERSION, SCALES, generate
from trungtam.devtools.bench.jobs import JOB_KEYS, Scope, build_jobs
from trungtam.devtools.bench.runner import markdown_table, measure, table
from trungtam.documents.numbers import format_number

DEFAULT_RUNS = 5


class Command(ContractCommand):
    help = (
        "Đo thời gian các việc chính (trang lớp, bảng điểm, lưu điểm, nhập danh sách, kết thúc "
        "lớp, in giấy chứng nhận, báo cáo năm, tổng quan, trang đơn vị, chiêu sinh, khảo sát "
        "nhu cầu) trên một bộ dữ liệu riêng, trong một cơ sở dữ liệu riêng suy ra từ --db "
        "(PostgreSQL: «<tên>_bench» trên cùng máy chủ; SQLite: tệp bench-<quy mô>.sqlite3 trong "
        "thư mục cache), không bao giờ đụng vào cơ sở dữ liệu đang dùng. In cho mỗi việc: trung "
        "vị thời gian, số truy vấn SQL, thời gian «sàn» đo cùng lúc và tỷ lệ so với sàn, mục "
        "tiêu và việc nào không đạt. Mã thoát: 0 mọi việc đã chạy (kể cả khi có việc không đạt "
        "mục tiêu), 1 có việc không chạy được, 2 dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="Quy mô: «province» (20 trung tâm × 10 năm × 35 lớp × ~80 học viên, khoảng "
            "560.000 lượt ghi danh) hoặc «small» (mặc định: 1 trung tâm, 1 năm, chạy nhanh)",
        )
        parser.add_argument(
            "--db",
            metavar="URL",
            default=os.environ.get("DATABASE_URL") or None,
            help="Cơ sở dữ liệu gốc để suy ra cơ sở dữ liệu của bench (mặc định: biến môi "
            "trường DATABASE_URL, hoặc SQLite khi không đặt)",
        )
        parser.add_argument("--json", metavar="PATH", help="Ghi kết quả ra tệp JSON")
        parser.add_argument(
            "--runs",
            type=int,
            default=DEFAULT_RUNS,
            help=f"Số lần đo mỗi việc (mặc định {DEFAULT_RUNS}; việc chậm tối đa 3 lần)",
        )
        parser.add_argument(
            "--only",
            metavar="VIỆC,…",
            help="Chỉ đo các việc này (mã việc trong kết quả JSON, cách nhau bằng dấu phẩy)",
        )
        parser.add_argument(
            "--regenerate",
            action="store_true",
            help="Tạo lại bộ dữ liệu dù bộ hiện có vẫn dùng được",
        )
        parser.add_argument(
            "--cache-dir",
            metavar="THƯ_MỤC",
            help="Thư mục chứa tệp SQLite của bench (mặc định ~/.cache/trungtam-bench)",
        )
        parser.add_argument(
            "--drop",
            action="store_true",
            help="Xóa cơ sở dữ liệu (hoặc tệp) của bench rồi thoát",
        )
        parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, scale, db, json, runs, only, regenerate, cache_dir, drop, child, **o):
        if runs < 1:
            raise WrongUsage("--runs phải từ 1 trở lên.")
        if child:
            return self.measure_here(
                scale=scale, json_path=json, runs=runs, only=only, regenerate=regenerate
            )
        unknown = sorted(set(_keys(only)) - set(JOB_KEYS))
        if unknown:
            raise WrongUsage(
                f"Không có việc: {', '.join(unknown)}. Các việc: {', '.join(JOB_KEYS)}."
            )
        try:
            bench = database.derive(db, scale=scale, cache_dir=cache_dir)
            if drop:
                dropped = database.drop(bench)
                self.stdout.write(
                    f"Đã xóa {bench.label}."
                    if dropped
                    else f"Không có {bench.label}; không xóa gì."
                )
                return
            created = database.ensure_exists(bench)
        except database.BenchDatabaseError as error:
            raise WrongUsage(str(error)) from None
        self.stdout.write(
            f"Cơ sở dữ liệu riêng của bench: {bench.label}"
            + (" (vừa tạo)" if created else "")
            + ". Cơ sở dữ liệu đang dùng không bị đụng tới."
        )
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench", "--child"]
        command += ["--scale", scale, "--runs", str(runs)]
        if json:
            command += ["--json", str(Path(json).resolve())]
        if only:
            command += ["--only", only]
        if regenerate:
            command.append("--regenerate")
        env = dict(os.environ)
        env["DATABASE_URL"] = bench.url
        env["DJANGO_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        env["PYTHONUNBUFFERED"] = "1"
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in process.stdout:
            self.stdout.write(line.rstrip("\n"))
        if process.wait() != 0:
            raise BadData(f"Bench dừng với mã {process.returncode}.")

    # --- in the subprocess, connected to the bench database ----------------------------------

    def log(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def measure_here(self, *, scale, json_path, runs, only, regenerate):
        database.assert_bench_connection()
        # WhiteNoise warns about a missing STATIC_ROOT when DEBUG is off; nothing is served here.
        warnings.filterwarnings("ignore", message="No directory at")
        load_before = os.getloadavg()
        manifest = database.read_manifest()
        refusal = (
            "theo yêu cầu --regenerate"
            if regenerate
            else database.reuse_refusal(manifest, scale=scale, generator=GENERATOR_VERSION)
        )
        if refusal:
            self.log(f"Tạo bộ dữ liệu mới ({refusal}).")
            manifest = self.build(scale)
            generated = True
        else:
            call_command("migrate", verbosity=0, interactive=False)
            manifest["migrations"] = database.applied_migrations()
            database.write_manifest(manifest)
            self.log(
                f"Dùng lại bộ dữ liệu đã tạo lúc {manifest['created_at']} (cùng quy mô, cùng "
                "bộ sinh dữ liệu, migration còn khớp)."
            )
            generated = False
        dataset = manifest["dataset"]
        self.log(describe(dataset))

        wanted = set(_keys(only))
        load_start = os.getloadavg()
        # Measured as in production: no query log, no template debugging.
        with (
            tempfile.TemporaryDirectory(prefix="trungtam-bench-") as workdir,
            override_settings(
                DEBUG=False,
                ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
                # Printing certificates outside DEBUG needs a public address for the QR code.
                PUBLIC_BASE_URL=_public_base_url(),
            ),
        ):
            scope = Scope.load(dataset, Path(workdir))
            jobs = build_jobs(scope)
            if len(scope.centre_ids) < 2:
                self.log(
                    "Chỉ có một trung tâm: không đo báo cáo năm tổng hợp nhiều trung tâm "
                    "(lệnh không có --centre và trang tải báo cáo tổng hợp)."
                )
            unknown = wanted - {job.key for job in jobs}
            if unknown:
                raise WrongUsage(f"Không có việc: {', '.join(sorted(unknown))}.")
            jobs = [job for job in jobs if not wanted or job.key in wanted]
            for job in jobs:
                if job.restore:
                    job.restore()
            self.log(
                f"Đo {len(jobs)} việc, trung vị của {runs} lần (việc chậm: tối đa 3 lần), "
                f"sau một lần chạy làm nóng và một lần đếm truy vấn…"
            )
            results = []
            for job in jobs:
                result = measure(job, runs, log=self.log)
                results.append(result)
                self.log(
                    f"  {job.key}: "
                    + (f"LỖI {result.error}" if result.error else f"{result.median_ms:.1f} ms")
                )
        load_end = os.getloadavg()
        self.log("")
        self.log(table(results))
        self.log(
            "Truy vấn: số câu lệnh SQL của một lần chạy (không tính BEGIN/COMMIT/SAVEPOINT). "
            "Sàn: cùng kết quả bằng cách rẻ nhất (một truy vấn SQL viết tay, một lệnh UPDATE, "
            "openpyxl, reportlab), đo trong cùng lần chạy."
        )
        missed = [r for r in results if r.missed]
        self.log("")
        if missed:
            self.log("KHÔNG ĐẠT MỤC TIÊU:")
            for result in missed:
                self.log(f"- {result.job.label}: {'; '.join(result.missed)}")
        else:
            self.log("Mọi việc đều đạt mục tiêu.")
        self.log(
            f"Máy: {os.cpu_count()} lõi; tải trung bình 1 phút lúc bắt đầu đo "
            f"{load_start[0]:.2f}, lúc kết thúc {load_end[0]:.2f}."
        )
        if json_path:
            report = {
                "scale": scale,
                "database": connection.vendor,
                "database_name": str(connection.settings_dict["NAME"]),
                "measured_at": timezone.now().isoformat(),
                "runs": runs,
                "dataset_generated_now": generated,
                "dataset": dataset,
                "machine": {
                    "cpus": os.cpu_count(),
                    "load_before": load_before,
                    "load_start": load_start,
                    "load_end": load_end,
                },
                "jobs": [r.as_dict() for r in results],
                "markdown": markdown_table(results),
            }
            Path(json_path).write_text(
                json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
            )
            self.log(f"Đã ghi kết quả vào {json_path}.")
        failed = [r for r in results if r.error]
        if failed:
            raise BadData(
                f"{len(failed)} việc không chạy được: {', '.join(r.job.key for r in failed)}."
            )

    def build(self, scale: str) -> dict:
        database.empty_database()
        self.log("  migrate…")
        call_command("migrate", verbosity=0, interactive=False)
        self.log("  ghi dữ liệu…")
        dataset = generate(scale, last_year=timezone.localdate().year, log=self.log)
        self.log("  cập nhật thống kê của cơ sở dữ liệu (ANALYZE)…")
        started = datetime.datetime.now()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        dataset.seconds += (datetime.datetime.now() - started).total_seconds()
        manifest = {
            "scale": scale,
            "generator": GENERATOR_VERSION,
            "migrations": database.applied_migrations(),
            "created_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            "dataset": dataset.as_dict(),
        }
        database.write_manifest(manifest)
        return manifest


def _keys(only: str | None) -> list[str]:
    return [key.strip() for key in (only or "").split(",") if key.strip()]


def describe(dataset: dict) -> str:
    """What the data set holds, said plainly."""
    counts = dataset["counts"]

    def n(label):
        return format_number(counts.get(label, 0))

    years = (
        f"năm {dataset['first_year']}"
        if dataset["first_year"] == dataset["last_year"]
        else f"các năm {dataset['first_year']}–{dataset['last_year']}"
    )
    return (
        f"Bộ dữ liệu «{dataset['scale']}» ({years}, tạo trong "
        f"{format_number(round(dataset['seconds']))} giây): {n('trungtam.Centre')} trung tâm, "
        f"{n('hocvien.Unit')} đơn vị, {n('lophoc.Course')} lớp (35 lớp mỗi trung tâm mỗi năm, "
        f"cộng {len(BENCH_CLASSES)} lớp riêng của bench), "
        f"{n('hocvien.Trainee')} học viên, {n('lophoc.Enrolment')} lượt ghi danh, "
        f"{n('lophoc.Session')} buổi học, {n('lophoc.Attendance')} lượt điểm danh (mọi buổi đã "
        f"học của mọi lớp), {n('lophoc.Score')} điểm, {n('lophoc.Certificate')} giấy chứng "
        f"nhận; lịch sử: {n('lophoc.HistoricalEnrolment')} dòng ghi danh, "
        f"{n('lophoc.HistoricalScore')} dòng điểm (không ghi lịch sử điểm danh); ở trung tâm "
        f"1: 1 tài khoản cán bộ đơn vị, 1 thông báo chiêu sinh ({n('chieusinh.CallQuota')} đơn vị, "
        f"{n('chieusinh.CallAnswerLine')} người được cử), 1 khảo sát nhu cầu "
        f"({n('khaosat.SurveyAnswer')} phiếu, {n('khaosat.SurveyLine')} dòng). Báo cáo năm và "
        f"tổng quan đo trên năm {dataset['report_year']}."
    )


def _public_base_url() -> str:
    """The configured public address, or a stand-in when it is unset or loopback (a bench run
    on a development machine): the bench measures printing, not the deployment."""
    from trungtam.checks import public_base_url_problem

    url = settings.PUBLIC_BASE_URL
    return "https://bench.example.vn" if public_base_url_problem(url) else url

"""Timing the jobs: median of several runs, the SQL query count, the floor and the targets."""

import re
import statistics
import time
import traceback
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trungtam.devtools.bench.jobs import Job
from trungtam.documents.numbers import format_number

SLOW_RUNS = 3
# Transaction control is not a query for the targets; it is reported apart.
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


@dataclass
class Result:
    job: Job
    runs_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    transaction_statements: int | None = None
    floor_ms: float | None = None
    error: str = ""

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.runs_ms) if self.runs_ms else None

    @property
    def ratio(self) -> float | None:
        if self.median_ms is None or not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms

    @property
    def added_ms(self) -> float | None:
        """How much the job takes over its floor, for a job with a target on it."""
        if self.job.target_added_ms is None or self.median_ms is None or self.floor_ms is None:
            return None
        return self.median_ms - self.floor_ms

    @property
    def missed(self) -> list[str]:
        """Each target this job missed, said plainly (Vietnamese)."""
        if self.error:
            return [f"không chạy được: {self.error}"]
        job, missed = self.job, []
        if job.target_ms is not None and self.median_ms > job.target_ms:
            missed.append(
                f"{format_number(round(self.median_ms))} ms > {format_number(job.target_ms)} ms"
            )
        if job.target_queries is not None and self.queries > job.target_queries:
            missed.append(f"{self.queries} truy vấn > {job.target_queries}")
        if (
            job.target_ratio is not None
            and self.ratio is not None
            and self.ratio > job.target_ratio
        ):
            missed.append(f"gấp {_ratio(self.ratio)} sàn > {_ratio(job.target_ratio)}")
        if self.added_ms is not None and self.added_ms > job.target_added_ms:
            missed.append(
                f"thêm {format_number(round(self.added_ms))} ms so với sàn > "
                f"{format_number(job.target_added_ms)} ms"
            )
        return missed

    def missed_english(self) -> list[str]:
        """The same, for the README table."""
        if self.error:
            return [f"did not run: {self.error}"]
        job, missed = self.job, []
        if job.target_ms is not None and self.median_ms > job.target_ms:
            missed.append(f"{round(self.median_ms)} ms > {job.target_ms:g} ms")
        if job.target_queries is not None and self.queries > job.target_queries:
            missed.append(f"{self.queries} queries > {job.target_queries}")
        if (
            job.target_ratio is not None
            and self.ratio is not None
            and self.ratio > job.target_ratio
        ):
            missed.append(f"{self.ratio:.1f}× floor > {job.target_ratio:g}×")
        if self.added_ms is not None and self.added_ms > job.target_added_ms:
            missed.append(f"+{round(self.added_ms)} ms over floor > {job.target_added_ms:g} ms")
        return missed

    @property
    def target_english(self) -> str:
        job, parts = self.job, []
        if job.target_ms is not None:
            parts.append(f"≤ {job.target_ms:g} ms")
        if job.target_queries is not None:
            parts.append(f"≤ {job.target_queries} queries")
        if job.target_ratio is not None:
            parts.append(f"≤ {job.target_ratio:g}× floor")
        if job.target_added_ms is not None:
            parts.append(f"≤ +{job.target_added_ms:g} ms over floor")
        return ", ".join(parts) or "—"

    @property
    def target_text(self) -> str:
        job, parts = self.job, []
        if job.target_ms is not None:
            parts.append(f"≤ {format_number(job.target_ms)} ms")
        if job.target_queries is not None:
            parts.append(f"≤ {job.target_queries} tv")
        if job.target_ratio is not None:
            parts.append(f"≤ {_ratio(job.target_ratio)} sàn")
        if job.target_added_ms is not None:
            parts.append(f"thêm ≤ {format_number(job.target_added_ms)} ms so với sàn")
        return ", ".join(parts) or "—"

    def as_dict(self) -> dict:
        job = self.job
        return {
            "key": job.key,
            "label": job.label,
            "median_ms": _round(self.median_ms),
            "runs_ms": [_round(ms) for ms in self.runs_ms],
            "queries": self.queries,
            "transaction_statements": self.transaction_statements,
            "floor": job.floor_label,
            "floor_ms": _round(self.floor_ms),
            "ratio": _round(self.ratio, 2),
            "target": {
                "ms": job.target_ms,
                "queries": job.target_queries,
                "ratio": job.target_ratio,
                "added_ms": job.target_added_ms,
            },
            "added_ms": _round(self.added_ms),
            "ok": not self.missed,
            "missed": self.missed,
            "error": self.error,
        }


def _round(value, digits=1):
    return None if value is None else round(value, digits)


def _ratio(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + "×"


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 10:
        return f"{value:.1f}".replace(".", ",")
    return format_number(round(value))


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _count(result: Result, queries: CaptureQueriesContext) -> None:
    control = sum(1 for q in queries.captured_queries if TRANSACTION_CONTROL.match(q["sql"]))
    result.transaction_statements = control
    result.queries = len(queries) - control


def measure(job: Job, runs: int, log=print) -> Result:
    """One warm-up run, one run counting queries, then `runs` timed runs (3 for slow jobs).

    With runs=1 (the smoke test) a single run is both counted and timed, without warm-up.
    """
    result = Result(job)
    runs = min(runs, SLOW_RUNS) if job.slow else runs
    try:
        if runs == 1:
            if job.prepare:
                job.prepare()
            with CaptureQueriesContext(connection) as queries:
                result.runs_ms.append(_timed(job.run))
            _count(result, queries)
            if job.floor:
                result.floor_ms = _timed(job.floor)
            return result
        if job.prepare:
            job.prepare()
        job.run()  # warm-up: templates, fonts, caches
        if job.prepare:
            job.prepare()
        with CaptureQueriesContext(connection) as queries:
            job.run()
        _count(result, queries)
        for _ in range(runs):
            if job.prepare:
                job.prepare()
            result.runs_ms.append(_timed(job.run))
        if job.floor:
            job.floor()
            result.floor_ms = statistics.median(_timed(job.floor) for _ in range(max(runs, 3)))
    except Exception as error:  # a job that fails is reported; the others still run
        result.error = f"{type(error).__name__}: {error}".strip()
        log(traceback.format_exc())
    finally:
        if job.restore:
            job.restore()
    return result


HEADERS = ("Việc", "Trung vị ms", "Truy vấn", "Sàn ms", "Tỷ lệ", "Mục tiêu", "Kết quả")


def table(results: list[Result]) -> str:
    rows = []
    for r in results:
        verdict = "đạt" if not r.missed else ("LỖI" if r.error else "KHÔNG ĐẠT")
        rows.append(
            (
                r.job.label,
                _ms(r.median_ms),
                "—" if r.queries is None else str(r.queries),
                _ms(r.floor_ms),
                "—" if r.ratio is None else _ratio(r.ratio),
                r.target_text,
                verdict,
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(HEADERS)]
    right = {1, 2, 3, 4}

    def line(cells):
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    out = [line(HEADERS), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    return "\n".join(out)


def markdown_table(results: list[Result]) -> str:
    """The same table for the README (queries: SQL statements, transaction control not counted)."""

    def number(value, digits=0):
        return "—" if value is None else f"{value:.{digits}f}"

    out = [
        "| job | median ms | queries | floor ms | ratio | target | result |",
        "|---|--:|--:|--:|--:|---|---|",
    ]
    for r in results:
        verdict = "ok" if not r.missed else "**MISSED**: " + "; ".join(r.missed_english())
        floor_digits = 1 if r.floor_ms is not None and r.floor_ms < 10 else 0
        out.append(
            f"| `{r.job.key}` {r.job.label} | {number(r.median_ms)} "
            f"| {number(r.queries)} | {number(r.floor_ms, floor_digits)} "
            f"| {'—' if r.ratio is None else f'{r.ratio:.1f}×'} | {r.target_english} | {verdict} |"
        )
    return "\n".join(out)

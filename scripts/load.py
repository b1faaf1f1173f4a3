#!/usr/bin/env python3
"""A bounded load test of a running trungtam (DESIGN §11), on loopback only.

    scripts/load.py --base http://127.0.0.1:8123 [--users 20] [--duration 60] [--max-requests 20000]

Virtual users, each a thread with its own session (standard library only: http.client with a
cookie jar), log in with the demo accounts and loop until the duration or the request cap:

- staff ("canbo"): class list, a class page, trainees, units, lecturers, the grading overview;
- lecturers ("giangvien", "giangvien2"): open their grade grid and save it with changed values.
  Each lecturer thread owns distinct cells; every few saves it also changes a cell shared by all
  threads of that lecturer, so that two people edit the same cell at the same moment;
- officials ("capuy", "tinh"): the dashboard (/tong-quan/?nam=YEAR, skipped with a note when the
  page does not exist), the home page and the class list.

It reports requests, requests/s and p50/p95/p99 per kind and overall, errors (any answer other
than 200/302, a grid refused for another reason than a conflict) and lost updates. A save the app
refuses because someone saved the cell meanwhile (the grid's version check) is a handled
conflict. After the run, with the same DATABASE_URL as the server, the history of every cell the
run saved is read back: every reported save must be there, each change must start from the value
the previous change left (nobody overwrote a value they had not seen), and the stored value must
be the last saved one. Exit 1 on any error or lost update, 2 on wrong usage.
"""

import argparse
import datetime
import html.parser
import http.client
import http.cookiejar
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

PASSWORD = os.environ.get("DEMO_PASSWORD", "trungtam2026")
STAFF = ["canbo"]
LECTURERS = ["giangvien", "giangvien2"]
OFFICIALS = ["capuy", "tinh"]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CONFLICT = "đã được người khác lưu"
SHARED_EVERY = 3  # every third save of a lecturer thread also changes the shared cell


# --- HTTP with a session ------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    requests: int = 0
    cap: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def fail(self, message: str) -> None:
        """An error that is not a request of its own (a page that did not hold what it must)."""
        with self.lock:
            self.errors.append(message)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.requests += 1
            if error:
                self.errors.append(f"{kind}: {error}")
            if self.requests >= self.cap:
                self.stop.set()


class Browser:
    """One person's browser: cookies, CSRF token from the page, no redirects followed."""

    def __init__(self, base: str, stats: Stats):
        self.base = base.rstrip("/")
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, kind: str, path: str, data: dict | None = None, ok=(200, 302)):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        started = time.perf_counter()
        status, text, location = 0, "", ""
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            status = error.code
            location = error.headers.get("Location", "")
            text = error.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(kind, time.perf_counter() - started, f"{path}: {error!r}")
            return 0, "", ""
        elapsed = time.perf_counter() - started
        problem = None if status in ok else f"{path}: HTTP {status}"
        self.stats.record(kind, elapsed, problem)
        return status, text, location

    def login(self, username: str) -> None:
        status, page, _ = self.request("login", "/dang-nhap/")
        token = csrf_token(page)
        status, page, location = self.request(
            "login",
            "/dang-nhap/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            ok=(302,),
        )
        if status != 302:
            raise SystemExit(f"Đăng nhập «{username}» không được (HTTP {status}).")


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match[1]


class GridForm(html.parser.HTMLParser):
    """The fields of the grade grid form, as the browser would post them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-grade-grid" in attrs:
            self.inside = True
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox", "submit"):
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def grid_fields(page: str) -> dict[str, str]:
    parser = GridForm()
    parser.feed(page)
    return parser.fields


def course_ids(page: str) -> list[int]:
    return sorted({int(pk) for pk in re.findall(r'href="/lop/(\d+)/"', page)})


# --- virtual users --------------------------------------------------------------------------------


@dataclass
class Save:
    cell: str  # diem_<enrolment>_<assessment>
    original: str
    value: str
    at: float


@dataclass
class LecturerPlan:
    course: int
    owned: dict[int, list[str]]  # thread index → cells only that thread changes
    shared: str  # a cell every thread of this lecturer changes now and then


def staff_user(browser: Browser, stats: Stats, rng: random.Random) -> None:
    status, page, _ = browser.request("staff", "/lop/")
    courses = course_ids(page) or [0]
    pages = ["/lop/", "/hoc-vien/", "/don-vi/", "/giang-vien/", "/lop/cham-diem/", "/"]
    while not stats.stop.is_set():
        if rng.random() < 0.4 and courses[0]:
            browser.request("staff", f"/lop/{rng.choice(courses)}/")
        elif rng.random() < 0.2:
            browser.request("staff", f"/hoc-vien/?q={urllib.parse.quote(rng.choice('anhbt'))}")
        else:
            browser.request("staff", rng.choice(pages))


def official_user(browser: Browser, stats: Stats, rng: random.Random, dashboard: str) -> None:
    pages = ["/", "/lop/"] + ([dashboard] * 3 if dashboard else [])
    while not stats.stop.is_set():
        path = rng.choice(pages)
        browser.request("dashboard" if path == dashboard else "official", path)


def next_value(current: str, rng: random.Random) -> str:
    """A score different from what the cell shows, as a lecturer types it (8,5)."""
    while True:
        value = f"{rng.randint(0, 10)},{rng.choice('05')}".replace("10,5", "10")
        if dec(value) != dec(current or ""):
            return value


def lecturer_user(browser, stats, rng, plan: LecturerPlan, index: int, saves: list[Save]):
    url = f"/lop/{plan.course}/diem/"
    count = 0
    while not stats.stop.is_set():
        status, page, _ = browser.request("grid_open", url)
        fields = grid_fields(page)
        if not fields:
            stats.fail(f"grid_open: {url}: no grid form (HTTP {status})")
            return
        count += 1
        mine = list(plan.owned[index])
        if count % SHARED_EVERY == 0:
            mine.append(plan.shared)
        chosen = rng.sample(mine, k=min(len(mine), rng.randint(1, 3)))
        typed = {}
        for cell in chosen:
            typed[cell] = next_value(fields.get(f"goc_{cell.removeprefix('diem_')}", ""), rng)
        data = {**fields, **typed}
        sent_at = time.time()
        status, page, _ = browser.request("grid_save", url, data)
        if status == 302:
            for cell, value in typed.items():
                original = fields.get(f"goc_{cell.removeprefix('diem_')}", "")
                saves.append(Save(cell, original, value, sent_at))
        elif status == 200 and CONFLICT in page:
            with stats.lock:
                stats.conflicts += 1  # handled: nothing written, the page says so
        elif status == 200:
            stats.fail(f"grid_save: {url}: refused without a conflict")


# --- finding the work ---------------------------------------------------------------------------


def plan_for_lecturer(base: str, stats: Stats, username: str, threads: int) -> LecturerPlan:
    """A class whose grid this lecturer may write, its score cells split between the threads."""
    browser = Browser(base, stats)
    browser.login(username)
    _, page, _ = browser.request("setup", "/lop/")
    for course in course_ids(page):
        _, grid, _ = browser.request("setup", f"/lop/{course}/diem/", ok=(200, 302, 403, 404))
        cells = [
            name
            for name in grid_fields(grid)
            if name.startswith("diem_") and not name.endswith("_tl")
        ]
        if len(cells) >= threads + 1:
            shared, rest = cells[0], cells[1:]
            owned = {i: rest[i::threads] for i in range(threads)}
            return LecturerPlan(course=course, owned=owned, shared=shared)
    raise SystemExit(f"«{username}» không có lớp nào đang nhập điểm với đủ ô điểm để thử tải.")


# --- checking for lost updates ------------------------------------------------------------------


def django_setup() -> None:
    """The database the server uses (same DATABASE_URL), read directly to check the saves."""
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trungtam.settings.base")
    import django

    django.setup()


def cell_key(cell: str) -> tuple[int, int]:
    enrolment, assessment = cell.removeprefix("diem_").split("_")
    return int(enrolment), int(assessment)


def stored_scores(cells) -> dict[str, Decimal | None]:
    from lophoc.models import Score

    keys = {cell_key(cell): cell for cell in cells}
    found = {cell: None for cell in cells}
    for score in Score.objects.filter(enrolment_id__in={k[0] for k in keys}):
        cell = keys.get((score.enrolment_id, score.assessment_id))
        if cell:
            found[cell] = score.score
    return found


def check_lost_updates(
    saves: list[Save], initial: dict[str, Decimal | None], started: datetime.datetime
) -> tuple[int, list[str]]:
    """Replay every saved cell's history: each change must be a reported save that started from
    the value the previous change left; every reported save must be there; the stored value is
    the last one."""
    from lophoc.models import Score

    by_cell: dict[str, list[Save]] = defaultdict(list)
    for save in saves:
        by_cell[save.cell].append(save)
    problems = []
    history = Score.history.model
    final = stored_scores(list(initial))
    for cell, cell_saves in by_cell.items():
        enrolment, assessment = cell_key(cell)
        during = history.objects.filter(
            enrolment_id=enrolment, assessment_id=assessment, history_date__gte=started
        ).order_by("history_id")
        previous = initial[cell]
        changes = []  # (from, to) of the score, in commit order
        for score in during.values_list("score", flat=True):
            if score != previous:
                changes.append((previous, score))
            previous = score
        unmatched = [(dec(s.original), dec(s.value)) for s in cell_saves]
        for change in changes:
            if change in unmatched:
                unmatched.remove(change)
            else:
                problems.append(
                    f"{cell}: {fmt(change[0])} → {fmt(change[1])} was written by a save that had "
                    f"not seen {fmt(change[0])} (an update was overwritten)"
                )
        for original, value in unmatched:
            problems.append(f"{cell}: a save reported {fmt(original)} → {fmt(value)}, not stored")
        if final[cell] != previous:
            problems.append(f"{cell}: stored {fmt(final[cell])}, last saved {fmt(previous)}")
    return len(by_cell), problems


def dec(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if text else None


def fmt(value) -> str:
    return "(trống)" if value is None else format(value, "f")


# --- the run ------------------------------------------------------------------------------------


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(stats: Stats, elapsed: float) -> None:
    print(f"{'kind':<12}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    every = []
    for kind in sorted(stats.times):
        if kind == "setup":
            continue
        values = stats.times[kind]
        every += values
        print(
            f"{kind:<12}{len(values):>9}{len(values) / elapsed:>8.1f}"
            f"{percentile(values, 50) * 1000:>9.0f}{percentile(values, 95) * 1000:>9.0f}"
            f"{percentile(values, 99) * 1000:>9.0f}"
        )
    print(
        f"{'all':<12}{len(every):>9}{len(every) / elapsed:>8.1f}"
        f"{percentile(every, 50) * 1000:>9.0f}{percentile(every, 95) * 1000:>9.0f}"
        f"{percentile(every, 99) * 1000:>9.0f}"
    )
    if every:
        print(f"mean {statistics.mean(every) * 1000:.0f} ms over {elapsed:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT (loopback only)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--year", type=int, default=datetime.date.today().year)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname
    if host not in LOOPBACK:
        parser.error(f"only a server on this machine (127.0.0.1), not {host}")
    if not (1 <= args.users <= 100 and 0 < args.duration <= 600 and args.max_requests > 0):
        parser.error("--users 1..100, --duration 1..600 s, --max-requests > 0")

    stats = Stats(cap=args.max_requests)
    lecturer_threads = max(2, args.users * 2 // 5)
    official_threads = max(1, args.users // 5)
    staff_threads = max(1, args.users - lecturer_threads - official_threads)
    per_lecturer = {name: lecturer_threads // len(LECTURERS) for name in LECTURERS}
    per_lecturer[LECTURERS[0]] += lecturer_threads % len(LECTURERS)
    plans = {name: plan_for_lecturer(args.base, stats, name, n) for name, n in per_lecturer.items()}

    probe = Browser(args.base, stats)
    probe.login(OFFICIALS[0])
    dashboard = f"/tong-quan/?nam={args.year}"
    status, _, _ = probe.request("setup", dashboard, ok=(200, 302, 404))
    if status != 200:
        print(f"Lưu ý: {dashboard} trả về HTTP {status}; phần bảng tổng quan được bỏ qua.")
        dashboard = ""

    saves: list[Save] = []
    users = []
    rng = random.Random(args.seed)
    for i in range(staff_threads):
        users.append(("staff", STAFF[i % len(STAFF)], None))
    for name, count in per_lecturer.items():
        users += [("lecturer", name, (plans[name], i)) for i in range(count)]
    for i in range(official_threads):
        users.append(("official", OFFICIALS[i % len(OFFICIALS)], None))
    browsers = []
    for _, username, _ in users:
        browser = Browser(args.base, stats)
        browser.login(username)
        browsers.append(browser)
    print(
        f"{len(users)} người dùng ảo: {staff_threads} cán bộ, {lecturer_threads} giảng viên "
        f"({', '.join(f'{n} lớp {p.course}' for n, p in plans.items())}), "
        f"{official_threads} cán bộ cấp ủy; {args.duration:.0f} s, tối đa {args.max_requests} "
        "lượt gọi."
    )
    django_setup()
    cells = [c for p in plans.values() for c in [p.shared, *sum(p.owned.values(), [])]]
    initial = stored_scores(cells)
    started_db = datetime.datetime.now(datetime.UTC)
    threads = []
    for (kind, _, extra), browser in zip(users, browsers, strict=True):
        user_rng = random.Random(rng.random())
        if kind == "staff":
            target, params = staff_user, (browser, stats, user_rng)
        elif kind == "official":
            target, params = official_user, (browser, stats, user_rng, dashboard)
        else:
            plan, index = extra
            target, params = lecturer_user, (browser, stats, user_rng, plan, index, saves)
        threads.append(threading.Thread(target=target, args=params, daemon=True))
    with stats.lock:
        stats.times.clear()
        stats.requests = 0
        stats.errors.clear()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stats.stop.wait(args.duration)
    stats.stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started

    report(stats, elapsed)
    touched, lost = check_lost_updates(saves, initial, started_db)
    print(
        f"Lưu điểm thành công: {len(saves)} ô trên {touched} ô khác nhau; xung đột đã báo cho người "
        f"dùng (không ghi gì): {stats.conflicts}."
    )
    print(f"Lỗi: {len(stats.errors)}. Cập nhật bị mất: {len(lost)}.")
    for line in (stats.errors + lost)[:30]:
        print(f"  {line}")
    return 1 if stats.errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())

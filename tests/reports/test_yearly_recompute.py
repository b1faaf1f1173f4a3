"""Every figure of the yearly report, recomputed independently (plain loops over the seeded rows)
and compared with what the report prints — for a draft, a sent report and the all-centres one."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from lophoc.models import Classification, Program, ProgramSystem
from tests.reports import yearly_expected as expected
from tests.reports.yearly_helpers import seed_small
from trungtam.models import Centre
from trungtam.reports import yearly, yearly_all
from trungtam.reports.models import AnnualPlan, PlanStatus, ReportStatus, YearlyReport
from trungtam.reports.yearly_documents import build

BANDS = ["excellent", "good", "fair", "average", "fail"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo, seeded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            seed_small()
            yield
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def demo(seeded, db):
    return {c.code: c for c in Centre.objects.all()}


def value(cell):
    """A cell as a comparable value: int, Decimal, None or text."""
    if cell is None or isinstance(cell, int | str):
        return cell
    ((kind, raw),) = cell.items()
    return int(raw) if kind == "diff" else Decimal(raw)


def rows_of(content, key, table=0) -> dict[str, list]:
    section = next(s for s in content["sections"] if s["key"] == key)
    return {
        row["cells"][1]: [value(c) for c in row["cells"][2:]]
        for row in section["tables"][table]["rows"]
    }


def class_cells(f) -> list:
    return [
        f["planned_classes"],
        f["opened"],
        f["finished"],
        expected.share(f["opened"], f["planned_classes"]),
    ]


def trainee_cells(f) -> list:
    return [
        f["planned_trainees"],
        f["enrolled"],
        expected.share(f["enrolled"], f["planned_trainees"]),
        f["completed"],
        expected.share(f["scheduled_periods"] - f["absent_periods"], f["scheduled_periods"]),
        f["certified"],
    ]


def result_cells(f) -> list:
    cells = [f["assessed"]]
    for band in BANDS:
        cells += [f[band], expected.share(f[band], f["assessed"])]
    return cells


def system_label(system) -> str:
    return f"Hệ {ProgramSystem(system).label}"


def check_program_sections(content, centre_ids, year):
    per_program = expected.programs(centre_ids, year, from_attendance=True)
    programs = {p.pk: p for p in Program.objects.filter(pk__in=per_program)}
    by_system = {}
    for pk, figures in per_program.items():
        by_system.setdefault(programs[pk].system, []).append(figures)
    grand = expected.total(per_program.values())
    for key, cells in (("I", class_cells), ("II", trainee_cells), ("III", result_cells)):
        printed = rows_of(content, key)
        for pk, figures in per_program.items():
            assert printed[programs[pk].name] == cells(figures), (key, programs[pk].name)
        for system, rows in by_system.items():
            assert printed[system_label(system)] == cells(expected.total(rows)), (key, system)
        assert printed["Tổng cộng"] == cells(grand), key
        # Nothing printed that the recomputation does not know.
        assert set(printed) == {programs[pk].name for pk in per_program} | {
            system_label(s) for s in by_system
        } | {"Tổng cộng"}
    return grand


def check_lecturers(content, centre_ids, year):
    rows = expected.lecturers(centre_ids, year)
    total = len(rows)
    kinds = rows_of(content, "IV", 0)
    for label, kind in (("Chuyên trách", "full_time"), ("Kiêm chức", "part_time"),
                        ("Thỉnh giảng", "guest")):  # fmt: skip
        group = [r for r in rows if r["kind"] == kind]
        assert kinds[label] == [
            len(group),
            expected.share(len(group), total),
            sum(r["periods"] for r in group),
            sum((r["hours"] for r in group), Decimal("0")),
        ], label
    assert kinds["Tổng cộng"][0] == total
    assert kinds["Tổng cộng"][2] == sum(r["periods"] for r in rows)
    levels = content["sections"][3]["tables"][1]["rows"]
    political = {"cao_cap": "Cao cấp", "cu_nhan": "Cử nhân", "trung_cap": "Trung cấp",
                 "so_cap": "Sơ cấp", "": "Chưa qua đào tạo"}  # fmt: skip
    printed = {}
    part = None
    for row in levels:
        if row["kind"] == "section":
            part = row["cells"][1]
            continue
        printed[(part, row["cells"][1])] = [value(c) for c in row["cells"][2:]]
    for key, label in political.items():
        n = sum(1 for r in rows if r["political"] == key)
        assert printed[("Trình độ lý luận chính trị", label)] == [n, expected.share(n, total)]
    professional = {"doctor": "Tiến sĩ", "master": "Thạc sĩ", "bachelor": "Đại học",
                    "college": "Cao đẳng", "other": "Khác"}  # fmt: skip
    for key, label in professional.items():
        n = sum(1 for r in rows if r["professional"] == key)
        assert printed[("Trình độ chuyên môn", label)] == [n, expected.share(n, total)]
    norms = rows_of(content, "IV", 2)
    positions = {"director": "Giám đốc", "deputy": "Phó Giám đốc", "lecturer": "Giảng viên",
                 "lecturer_admin": "Giảng viên kiêm nhiệm hành chính"}  # fmt: skip
    normed = [r for r in rows if r["norm"] is not None]
    for key, label in positions.items():
        group = [r for r in normed if r["position"] == key]
        norm = sum(r["norm"] for r in group)
        hours = sum((r["hours"] for r in group), Decimal("0"))
        assert norms[label] == [
            len(group),
            norm,
            hours,
            expected.share(hours, norm),
            sum(1 for r in group if r["hours"] > r["norm"]),
        ], label
    return rows


def headline(grand, people, lecturer_rows) -> list:
    attended = grand["scheduled_periods"] - grand["absent_periods"]
    return [
        grand["opened"],
        expected.share(grand["opened"], grand["planned_classes"]),
        grand["finished"],
        grand["enrolled"],
        people,
        grand["completed"],
        expected.share(grand["completed"], grand["closed_enrolments"]),
        expected.share(attended, grand["scheduled_periods"]),
        expected.share(grand["excellent"] + grand["good"], grand["assessed"]),
        grand["certified"],
        len(lecturer_rows),
        sum(r["periods"] for r in lecturer_rows),
    ]


def check_comparison(content, now, before):
    rows = list(rows_of(content, "V").values())
    assert [r[2] for r in rows] == now  # this year's column
    if before is None:
        assert all(r[1] is None for r in rows)
        return
    assert [r[1] for r in rows] == before
    for row, a, b in zip(rows, now, before, strict=True):
        if row[0] == "%":
            assert row[3] == (None if a is None or b is None else a - b)
        else:
            assert row[3] == a - b
            assert row[4] == expected.share(a, b)


def test_the_demo_has_approved_plans_for_both_years_and_last_years_report_sent(demo):
    year = timezone.localdate().year
    for centre in demo.values():
        for y in (year - 1, year):
            plan = AnnualPlan.objects.get(centre=centre, year=y)
            assert plan.status == PlanStatus.APPROVED and plan.targets.exists()
        report = YearlyReport.objects.get(centre=centre, year=year - 1)
        assert report.status == ReportStatus.SENT and report.snapshot
        assert report.number and report.report_date.year == year - 1
        assert report.sent_at.date() == report.report_date
        assert yearly.CAUSES_PLACEHOLDER not in report.limitations_text
        # The sent report satisfies the sending rules on the day it was sent (before the year
        # ended, so with a cut-off date): every part written, no "[…]" left.
        assert yearly.send_refusals(report, today=report.report_date) == []
        assert report.snapshot["document"]["data_until"] == f"{year - 1}-11-30"
        assert all(
            getattr(report, name).strip() and "[" not in getattr(report, name)
            for name in yearly.NARRATIVE_FIELDS
        )
        assert all("[" not in report.snapshot["document"][n] for n in yearly.NARRATIVE_FIELDS)
        plan = AnnualPlan.objects.get(centre=centre, year=year)
        assert plan.issued_on and plan.number  # the approved plan prints its own date
        assert report.results_text.startswith(f"Năm {year - 1}, Trung tâm mở ")
        assert report.snapshot["document"]["results_text"] == report.results_text
        assert not YearlyReport.objects.filter(centre=centre, year=year, status="sent").exists()


@pytest.mark.parametrize("code", ["PL", "BM"])
def test_this_years_draft_prints_the_recomputed_figures(demo, code):
    centre = demo[code]
    year = timezone.localdate().year
    content = yearly.report_content(yearly.report_for(centre, year))
    grand = check_program_sections(content, [centre.pk], year)
    lecturer_rows = check_lecturers(content, [centre.pk], year)
    now = headline(grand, expected.people([centre.pk], year), lecturer_rows)
    # Last year as reported (its report is sent and the data has not changed since).
    last = expected.programs([centre.pk], year - 1, from_attendance=True)
    before = headline(
        expected.total(last.values()),
        expected.people([centre.pk], year - 1),
        expected.lecturers([centre.pk], year - 1),
    )
    check_comparison(content, now, before)
    assert content["previous"]["source"] == "sent"
    planned, opened = grand["planned_classes"], grand["opened"]
    rate = f"{expected.share(opened, planned)}".replace(".", ",")
    assert content["generated"]["results_text"].startswith(
        f"Năm {year}, Trung tâm mở {opened}/{planned} lớp, đạt {rate}% kế hoạch"
    )
    note = rows_of(content, "II")  # people are named in the note under table II
    assert note
    notes = content["sections"][1]["tables"][0]["notes"]
    assert f"có {expected.people([centre.pk], year)} người tham gia" in notes[0]


def test_last_years_sent_report_prints_its_snapshot_and_it_matches_the_rows(demo):
    centre = demo["PL"]
    year = timezone.localdate().year - 1
    report = YearlyReport.objects.get(centre=centre, year=year)
    content = yearly.report_content(report)
    assert content is report.snapshot and content["final"] is True
    grand = check_program_sections(content, [centre.pk], year)
    lecturer_rows = check_lecturers(content, [centre.pk], year)
    now = headline(grand, expected.people([centre.pk], year), lecturer_rows)
    check_comparison(content, now, None)  # nothing recorded the year before


def test_the_all_centres_report_adds_up_the_centres(demo):
    year = timezone.localdate().year
    centres = sorted(demo.values(), key=lambda c: c.name)
    content = yearly_all.all_centres_content(centres, year)
    assert content["final"] is False  # this year's reports are not sent
    ids = [c.pk for c in centres]
    per_centre = {
        c.pk: expected.total(expected.programs([c.pk], year, from_attendance=True).values())
        for c in centres
    }
    for key, cells in (("I", class_cells), ("III", result_cells)):
        printed = rows_of(content, key)
        for centre in centres:
            assert printed[centre.name] == cells(per_centre[centre.pk]), (key, centre.code)
        assert printed["Tổng cộng"] == cells(expected.total(per_centre.values()))
    printed = rows_of(content, "II")
    for centre in centres:
        cells = trainee_cells(per_centre[centre.pk])
        cells.insert(2, expected.people([centre.pk], year))
        assert printed[centre.name] == cells
    grand = expected.total(per_centre.values())
    all_programs = expected.programs(ids, year, from_attendance=True)
    programs = {p.pk: p for p in Program.objects.filter(pk__in=all_programs)}
    systems = {}
    for pk, figures in all_programs.items():
        systems.setdefault(programs[pk].system, []).append(figures)
    classes = rows_of(content, "I")
    for system, rows in systems.items():
        assert classes[system_label(system)] == class_cells(expected.total(rows))
    lecturer_rows = expected.lecturers(ids, year)
    by_centre = rows_of(content, "IV", 0)
    for centre in centres:
        mine = [r for r in lecturer_rows if r["centre_id"] == centre.pk]
        assert by_centre[centre.name][:4] == [
            len(mine),
            *(sum(1 for r in mine if r["kind"] == k) for k in ("full_time", "part_time", "guest")),
        ]
        assert by_centre[centre.name][4] == sum(r["periods"] for r in mine)
    people = sum(expected.people([c.pk], year) for c in centres)
    now = headline(grand, people, lecturer_rows)
    last = expected.total(expected.programs(ids, year - 1, from_attendance=True).values())
    before = headline(
        last,
        sum(expected.people([c.pk], year - 1) for c in centres),
        expected.lecturers(ids, year - 1),
    )
    check_comparison(content, now, before)


def test_last_years_all_centres_report_reads_the_snapshots_and_freezes_when_sent(demo):
    year = timezone.localdate().year - 1
    centres = list(demo.values())
    # The demo's roll-up of last year: saved, numbered and dated by the province, not yet sent.
    report = yearly_all.all_report_for(year)
    assert report.pk is not None and not report.is_sent
    content = yearly_all.all_centres_content(centres, year)
    assert content["final"] is False and content["unsent"] == []
    from lophoc.models import Enrolment

    def change_a_row():
        changed = Enrolment.objects.filter(
            course__centre__in=centres, course__start_date__year=year, classification="good"
        ).first()
        changed.classification = Classification.EXCELLENT
        changed.save()

    # Every centre's report of last year is sent: the rows come from their snapshots.
    change_a_row()
    assert yearly_all.all_centres_content(centres, year)["sections"] == content["sections"]
    yearly_all.all_report_save(
        year=year, values={"assessment_text": "Ưu điểm: tốt. Hạn chế: không có."}, user=None
    )
    yearly_all.all_report_send(year=year, centres=centres, user=None)
    first = build(yearly_all.all_centres_content(centres, year), "pdf").content
    change_a_row()
    assert build(yearly_all.all_centres_content(centres, year), "pdf").content == first

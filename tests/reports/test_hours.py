"""The lecturer hours report (trungtam/reports/hours.py): every figure recomputed here with plain
loops over the sessions the test creates, and the PDF and XLSX read back."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from giangvien.models import LecturerKind, LecturerPosition
from lophoc.models import CourseStatus, SessionKind, SessionPart
from tests import builders
from tests.lophoc.certificate_helpers import make_leader
from tests.pdf_reading import pdf_pages
from tests.xlsx_reading import find_row, xlsx_sheet
from trungtam.reports.figures import lecturer_figures
from trungtam.reports.hours import format_money, hours_report
from trungtam.reports.hours_documents import EMPTY, filename, hours_pdf, hours_xlsx

pytestmark = pytest.mark.django_db

YEAR = 2026
RATE = 175_000
# The centre keeps the defaults except discussions, which it counts at 0,75.
COEFFICIENTS = {
    SessionKind.LECTURE: Decimal("1"),
    SessionKind.DISCUSSION: Decimal("0.75"),
    SessionKind.FIELD_TRIP: Decimal("0.5"),
    SessionKind.EXAM: Decimal("0.3"),
    SessionKind.CEREMONY: Decimal("0"),
}
NORMS = {LecturerPosition.LECTURER: 120, LecturerPosition.DIRECTOR: 40}
YEAR_END = datetime.date(YEAR, 12, 31)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Without a report date the report reads the year on its last day, never the wall clock."""
    monkeypatch.setattr("trungtam.reports.hours.timezone.localdate", lambda: YEAR_END)
    return YEAR_END


class Year:
    """A centre's year of teaching, with the list of every session created (for the loops)."""

    def __init__(self, centre):
        self.centre = centre
        self.sessions = []
        self.slot = 0

    def session(self, course, lecturer, kind=SessionKind.LECTURE, periods=4, date=None):
        # One slot per session, so that no lecturer is ever booked twice at the same time.
        self.slot += 1
        day = date or course.start_date + datetime.timedelta(days=self.slot // 2)
        part = SessionPart.MORNING if self.slot % 2 else SessionPart.AFTERNOON
        session = builders.make_session(
            course, lecturer=lecturer, kind=kind, periods=periods, date=day, part=part
        )
        self.sessions.append(session)
        return session


@pytest.fixture
def year(centre, other_centre):
    centre.guest_rate_per_period = RATE
    centre.standard_hour_coefficients = {"discussion": "0,75"}
    centre.save()
    data = Year(centre)
    make = builders.make_lecturer
    data.over = make(centre, full_name="Nguyễn Văn Vượt", position=LecturerPosition.LECTURER)
    data.director = make(centre, full_name="Trần Thị Giám", position=LecturerPosition.DIRECTOR)
    data.idle = make(centre, full_name="Lê Văn Rảnh", position=LecturerPosition.LECTURER)
    data.gone = make(centre, full_name="Phạm Văn Nghỉ", active=False)
    data.retired = make(centre, full_name="Đỗ Văn Hưu", active=False)
    data.part_time = make(
        centre,
        full_name="Võ Thị Kiêm",
        kind=LecturerKind.PART_TIME,
        position=LecturerPosition.OTHER,
        workplace="Ban Tuyên giáo và Dân vận",
    )
    data.guest = make(
        centre, full_name="Hồ Văn Khách", kind=LecturerKind.GUEST, position=LecturerPosition.OTHER
    )
    data.idle_guest = make(centre, full_name="Bùi Văn Chờ", kind=LecturerKind.GUEST)
    other_lecturer = make(other_centre, full_name="Ngô Văn Khác")

    first = builders.make_course(
        centre, code="KND-01/2026", start_date=datetime.date(2026, 3, 2), status="closed"
    )
    second = builders.make_course(
        centre, code="DVM-02/2026", start_date=datetime.date(2026, 6, 1), status="in_progress"
    )
    # Started in December 2025: only its January sessions count in 2026.
    straddling = builders.make_course(
        centre, code="QLNN-05/2025", start_date=datetime.date(2025, 12, 22), status="closed"
    )
    cancelled = builders.make_course(
        centre, code="CNKT-09/2026", start_date=datetime.date(2026, 9, 7), status="cancelled"
    )
    elsewhere = builders.make_course(other_centre, start_date=datetime.date(2026, 3, 2))

    # Over the norm (120): 11 lecture sessions of 12 periods = 132, plus discussions and exams.
    for _ in range(6):
        data.session(first, data.over, periods=12)
    for _ in range(5):
        data.session(second, data.over, periods=12)
    data.session(first, data.over, SessionKind.DISCUSSION, periods=4)
    data.session(second, data.over, SessionKind.EXAM, periods=3)
    data.session(second, data.over, SessionKind.FIELD_TRIP, periods=5)
    data.session(first, data.over, SessionKind.CEREMONY, periods=1)
    data.session(cancelled, data.over, periods=12)  # a cancelled class: never counts
    data.session(straddling, data.over, periods=4, date=datetime.date(2025, 12, 23))  # 2025
    data.session(straddling, data.over, periods=4, date=datetime.date(2026, 1, 5))  # 2026
    # The director, far below the norm (40).
    data.session(first, data.director, periods=4)
    data.session(first, data.director, SessionKind.DISCUSSION, periods=8)
    data.session(straddling, data.director, SessionKind.EXAM, periods=2)
    # An inactive lecturer who still taught this year is listed.
    data.session(second, data.retired, periods=2)
    # Paid per period at the centre's rate.
    data.session(first, data.part_time, periods=3)
    data.session(second, data.part_time, SessionKind.DISCUSSION, periods=4)
    data.session(second, data.guest, periods=5)
    data.session(second, data.guest, SessionKind.CEREMONY, periods=2)
    data.session(cancelled, data.guest, periods=4)
    data.session(second, None, periods=4)  # no lecturer yet
    data.session(elsewhere, other_lecturer, periods=6)  # another centre
    data.courses = [first, second, straddling, cancelled, elsewhere]
    return data


def quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_by_lecturer(data: Year, year: int = YEAR):
    """lecturer id → course id → {"sessions": n, kind: periods}, from the sessions themselves."""
    result = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for session in data.sessions:
        course = session.course
        if session.lecturer is None or course.centre_id != data.centre.pk:
            continue
        if course.status == CourseStatus.CANCELLED or session.date.year != year:
            continue
        row = result[session.lecturer.pk][course.pk]
        row["sessions"] += 1
        row[session.kind] += session.periods
    return result


def hours_of(periods_by_kind) -> Decimal:
    total = Decimal("0")
    for kind, periods in periods_by_kind.items():
        if kind != "sessions":
            total += periods * COEFFICIENTS[kind]
    return quantize(total)


def test_it_lists_who_taught_and_every_active_full_time_lecturer(year):
    report = hours_report(year.centre, YEAR)
    listed = {row.lecturer_id for row in report.lecturers}
    assert listed == {
        year.over.pk,
        year.director.pk,
        year.idle.pk,
        year.retired.pk,
        year.part_time.pk,
        year.guest.pk,
    }
    assert [group.kind for group in report.groups] == ["full_time", "part_time", "guest"]
    full_time = [row.name for row in report.groups[0].lecturers]
    # Vietnamese name order: by given name (Giám < Hưu < Rảnh < Vượt).
    assert full_time == ["Trần Thị Giám", "Đỗ Văn Hưu", "Lê Văn Rảnh", "Nguyễn Văn Vượt"]


def test_every_figure_matches_the_sessions(year):
    report = hours_report(year.centre, YEAR)
    expected = expected_by_lecturer(year)
    for row in report.lecturers:
        classes = expected.get(row.lecturer_id, {})
        assert {c.course_id for c in row.classes} == set(classes)
        total_by_kind = defaultdict(int)
        for course in row.classes:
            wanted = classes[course.course_id]
            assert course.sessions == wanted["sessions"]
            for kind in COEFFICIENTS:
                assert course.periods_by_kind[kind] == wanted[kind], (row.name, course.code, kind)
                total_by_kind[kind] += wanted[kind]
            assert course.standard_hours == hours_of(wanted)
        assert row.sessions == sum(c["sessions"] for c in classes.values())
        assert row.periods == sum(total_by_kind.values())
        assert row.standard_hours == hours_of(total_by_kind)


def test_the_cancelled_class_other_years_and_other_centres_do_not_count(year):
    report = hours_report(year.centre, YEAR)
    codes = {course.code for row in report.lecturers for course in row.classes}
    assert codes == {"KND-01/2026", "DVM-02/2026", "QLNN-05/2025"}
    over = next(r for r in report.lecturers if r.lecturer_id == year.over.pk)
    straddling = next(c for c in over.classes if c.code == "QLNN-05/2025")
    assert (straddling.sessions, straddling.periods) == (1, 4)  # the January session only
    last_year = {row.lecturer_id: row for row in hours_report(year.centre, 2025).lecturers}
    assert [(c.code, c.periods) for c in last_year[year.over.pk].classes] == [("QLNN-05/2025", 4)]


def test_a_full_time_lecturer_over_the_norm_and_one_below_it(year):
    report = hours_report(year.centre, YEAR)
    rows = {row.lecturer_id: row for row in report.lecturers}
    over, director, idle = rows[year.over.pk], rows[year.director.pk], rows[year.idle.pk]

    # 132 lecture + 4 (the straddling class) + 4 × 0,75 + 3 × 0,3 + 5 × 0,5 + 1 × 0 = 142,4
    assert over.standard_hours == Decimal("142.4")
    assert over.norm_hours == NORMS[LecturerPosition.LECTURER]
    assert over.of_norm == quantize(Decimal("142.4") * 100 / 120)  # 118,7%
    assert over.difference == Decimal("22.4")
    assert over.overtime == Decimal("22.4") and over.shortfall == 0
    assert over.amount_due is None

    # 4 + 8 × 0,75 + 2 × 0,3 = 10,6 of 40
    assert director.standard_hours == Decimal("10.6")
    assert director.norm_hours == NORMS[LecturerPosition.DIRECTOR]
    assert director.difference == Decimal("-29.4")
    assert director.shortfall == Decimal("29.4") and director.overtime == 0

    assert (idle.sessions, idle.periods, idle.standard_hours) == (0, 0, 0)
    assert idle.of_norm == 0 and idle.shortfall == 120
    assert idle.classes == []


def test_part_time_and_guest_lecturers_are_paid_per_period_at_the_centre_rate(year):
    report = hours_report(year.centre, YEAR)
    rows = {row.lecturer_id: row for row in report.lecturers}
    expected = expected_by_lecturer(year)
    for lecturer in (year.part_time, year.guest):
        periods = sum(
            value
            for course in expected[lecturer.pk].values()
            for kind, value in course.items()
            if kind != "sessions"
        )
        row = rows[lecturer.pk]
        assert row.norm is None and row.of_norm is None and row.difference is None
        assert row.amount_due == periods * RATE
    assert rows[year.part_time.pk].amount_due == 7 * RATE == 1_225_000
    assert rows[year.guest.pk].amount_due == 7 * RATE  # the cancelled class left out
    assert rows[year.guest.pk].amount_text == "1.225.000 đ"
    assert report.totals.amount_due == 14 * RATE
    assert format_money(report.totals.amount_due) == "2.450.000 đ"
    assert rows[year.part_time.pk].detail == "Kiêm chức, Ban Tuyên giáo và Dân vận"


def test_group_and_grand_totals_add_up(year):
    report = hours_report(year.centre, YEAR)
    expected = expected_by_lecturer(year)
    sessions = sum(c["sessions"] for classes in expected.values() for c in classes.values())
    assert report.totals.sessions == sessions
    assert report.totals.lecturers == 6
    for group in report.groups:
        assert group.totals.periods == sum(r.periods for r in group.lecturers)
        assert group.totals.standard_hours == sum(r.standard_hours for r in group.lecturers)
    full_time = report.groups[0].totals
    # Every full-time lecturer listed has the norm of their position, the one who left too.
    assert full_time.norm_hours == 120 + 40 + 120 + 120
    assert full_time.shortfall_lecturers == 3
    assert report.totals.standard_hours == sum(r.standard_hours for r in report.lecturers)
    assert report.totals.overtime_lecturers == 1
    assert report.totals.overtime == Decimal("22.4")


def test_it_agrees_with_the_yearly_figures(year):
    """The dashboard and the yearly report count the same periods and standard hours."""
    report = hours_report(year.centre, YEAR)
    figures = {row.lecturer_id: row for row in lecturer_figures([year.centre.pk], YEAR).lecturers}
    for row in report.lecturers:
        assert figures[row.lecturer_id].periods == row.periods
        assert figures[row.lecturer_id].standard_hours == row.standard_hours
        assert figures[row.lecturer_id].norm == row.norm_hours


def test_a_lecturer_alone(year):
    report = hours_report(year.centre, YEAR, lecturer=year.guest)
    assert [row.lecturer_id for row in report.lecturers] == [year.guest.pk]
    assert report.totals.amount_due == 7 * RATE


def test_a_half_tenth_of_a_standard_hour_rounds_up(centre):
    centre.standard_hour_coefficients = {"discussion": "0,75"}
    centre.save()
    lecturer = builders.make_lecturer(centre, kind=LecturerKind.GUEST)
    builders.make_session(
        builders.make_course(centre), lecturer=lecturer, kind=SessionKind.DISCUSSION, periods=3
    )
    assert hours_report(centre, YEAR).lecturers[0].standard_hours == Decimal("2.3")


def _teaching(centre, count: int) -> None:
    """`count` lecturers of each kind, each teaching two kinds of session in their own class."""
    for index in range(count):
        for kind in (LecturerKind.FULL_TIME, LecturerKind.PART_TIME, LecturerKind.GUEST):
            lecturer = builders.make_lecturer(centre, kind=kind)
            course = builders.make_course(centre, start_date=datetime.date(2026, 4, 1 + index))
            builders.make_session(course, lecturer=lecturer, kind=SessionKind.LECTURE)
            builders.make_session(
                course,
                lecturer=lecturer,
                kind=SessionKind.DISCUSSION,
                part=SessionPart.AFTERNOON,
            )


def test_the_number_of_queries_does_not_grow_with_the_data(centre):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report = hours_report(centre, YEAR)
            assert report.totals.lecturers
        return len(queries)

    _teaching(centre, 2)
    small = count()
    _teaching(centre, 4)  # three times as many lecturers, classes and sessions
    assert count() == small == 2


def test_the_pdf_prints_the_table_and_the_signers(year):
    make_leader(year.centre, full_name="Trần Văn Giám Đốc")
    content = hours_pdf(
        year.centre, YEAR, maker_name="Nguyễn Thị Lập", day=datetime.date(2026, 12, 28)
    )
    text = " ".join(pdf_pages(content))
    flat = " ".join(text.split())
    assert "BẢNG TỔNG HỢP GIỜ GIẢNG NĂM 2026" in flat
    assert "-BC/" in flat and "ngày 28 tháng 12 năm 2026" in flat
    for name in ("Nguyễn Văn Vượt", "Trần Thị Giám", "Lê Văn Rảnh", "Võ Thị Kiêm", "Hồ Văn Khách"):
        assert name in flat
    assert "Phạm Văn Nghỉ" not in flat and "Bùi Văn Chờ" not in flat
    assert "CNKT-09/2026" not in flat  # the cancelled class
    assert "142,4" in flat and "+22,4" in flat and "-29,4" in flat and "118,7%" in flat
    assert "1.225.000" in flat and "2.450.000" in flat
    assert "Thảo luận (0,75)" in flat
    assert "NGƯỜI LẬP BIỂU" in flat and "Nguyễn Thị Lập" in flat
    assert "GIÁM ĐỐC" in flat and "Trần Văn Giám Đốc" in flat
    assert "DỰ THẢO" not in flat
    assert filename(year.centre, YEAR, "pdf") == "GG-2026-TTA_bang-tong-hop-gio-giang.pdf"


def test_the_xlsx_holds_the_same_table_with_numbers(year):
    sheet = xlsx_sheet(hours_xlsx(year.centre, YEAR, maker_name="Nguyễn Thị Lập"))
    assert sheet["A5"].value == "BẢNG TỔNG HỢP GIỜ GIẢNG NĂM 2026"
    header = find_row(sheet, "STT")
    assert sheet.cell(header + 1, 5).value == "Thảo luận (0,75)"
    rows = {
        row[1].split("\n")[0]: row
        for row in sheet.iter_rows(min_row=header + 2, values_only=True)
        if isinstance(row[0], int)
    }
    over = rows["Nguyễn Văn Vượt"]
    assert over[2] == 16  # sessions
    assert over[8] == 12 * 11 + 4 + 4 + 3 + 5 + 1  # periods
    assert over[9] == pytest.approx(142.4)
    assert over[10] == 120
    assert over[11] == pytest.approx(1.187)
    assert over[12] == pytest.approx(22.4)
    assert over[13] is None
    guest = rows["Hồ Văn Khách"]
    assert guest[13] == 7 * RATE and isinstance(guest[13], int)
    totals = [
        row
        for row in sheet.iter_rows(min_row=header + 2, values_only=True)
        if isinstance(row[1], str) and row[1].startswith("Tổng cộng")
    ]
    assert totals[0][13] == 14 * RATE
    assert find_row(sheet, "NGƯỜI LẬP BIỂU")


def test_a_centre_without_lecturers_prints_an_empty_table_that_says_so(centre):
    text = " ".join(" ".join(pdf_pages(hours_pdf(centre, YEAR))).split())
    assert "Chưa có giảng viên nào có buổi giảng trong năm" in text
    sheet = xlsx_sheet(hours_xlsx(centre, YEAR))
    assert find_row(sheet, EMPTY)


# --- only what was taught is paid (issue 13, item 15) ---

AS_OF = datetime.date(2026, 6, 3)


@pytest.fixture
def half_year(centre):
    """A guest and a full-time lecturer with sessions before, on and after 3 June 2026."""
    centre.guest_rate_per_period = RATE
    centre.save()
    data = Year(centre)
    data.guest = builders.make_lecturer(centre, full_name="Hồ Văn Khách", kind=LecturerKind.GUEST)
    data.full_time = builders.make_lecturer(
        centre, full_name="Nguyễn Văn Chính", position=LecturerPosition.LECTURER
    )
    data.only_later = builders.make_lecturer(
        centre, full_name="Bùi Thị Sau", kind=LecturerKind.PART_TIME
    )
    course = builders.make_course(
        centre, code="DVM-02/2026", start_date=datetime.date(2026, 6, 1), status="in_progress"
    )
    cancelled = builders.make_course(
        centre, code="CNKT-09/2026", start_date=datetime.date(2026, 5, 4), status="cancelled"
    )
    day = datetime.date
    data.session(course, data.guest, periods=4, date=day(2026, 6, 1))  # taught
    data.session(course, data.guest, periods=3, date=AS_OF)  # taught: on the report date
    data.session(course, data.guest, periods=5, date=day(2026, 6, 4))  # planned
    data.session(course, data.guest, SessionKind.EXAM, periods=2, date=day(2026, 6, 12))
    data.session(course, data.full_time, periods=4, date=day(2026, 6, 2))  # taught
    data.session(course, data.full_time, periods=4, date=day(2026, 6, 5))  # planned
    data.session(course, data.only_later, periods=6, date=day(2026, 6, 10))  # planned
    data.session(cancelled, data.guest, periods=4, date=day(2026, 5, 5))  # never
    data.session(cancelled, data.guest, periods=4, date=day(2026, 9, 5))  # never
    data.course = course
    return data


def test_only_sessions_on_or_before_the_report_date_are_counted_and_paid(half_year):
    report = hours_report(half_year.centre, YEAR, as_of=AS_OF)
    rows = {row.lecturer_id: row for row in report.lecturers}
    guest = rows[half_year.guest.pk]
    assert (guest.sessions, guest.periods) == (2, 7)
    assert guest.amount_due == 7 * RATE
    assert (guest.planned_sessions, guest.planned_periods) == (2, 7)
    (course,) = guest.classes
    assert (course.sessions, course.periods, course.planned_sessions) == (2, 7, 2)
    full_time = rows[half_year.full_time.pk]
    assert full_time.standard_hours == Decimal("4.0")
    assert full_time.shortfall == 120 - 4
    assert (full_time.planned_sessions, full_time.planned_periods) == (1, 4)
    assert report.totals.planned_sessions == 4 and report.totals.planned_periods == 17
    assert report.totals.amount_due == 7 * RATE
    assert report.counted_until == AS_OF


def test_a_lecturer_with_only_planned_sessions_is_listed_with_nothing_due(half_year):
    report = hours_report(half_year.centre, YEAR, as_of=AS_OF)
    later = next(r for r in report.lecturers if r.lecturer_id == half_year.only_later.pk)
    assert (later.sessions, later.periods, later.amount_due) == (0, 0, 0)
    assert later.planned_periods == 6


def test_the_cancelled_class_is_neither_taught_nor_planned(half_year):
    report = hours_report(half_year.centre, YEAR, as_of=AS_OF)
    codes = {course.code for row in report.lecturers for course in row.classes}
    assert codes == {"DVM-02/2026"}


def test_at_the_years_end_nothing_is_planned(half_year):
    report = hours_report(half_year.centre, YEAR, as_of=datetime.date(2027, 1, 15))
    assert not report.has_planned and report.totals.amount_due == (7 + 7 + 6) * RATE
    assert report.period_line() == "(Từ ngày 01/01/2026 đến ngày 31/12/2026)"
    before = hours_report(half_year.centre, YEAR, as_of=datetime.date(2025, 12, 1))
    assert before.totals.periods == 0 and before.totals.planned_periods == 28
    assert "chưa bắt đầu" in before.period_line()


def test_the_report_date_keeps_two_queries(half_year):
    with CaptureQueriesContext(connection) as queries:
        hours_report(half_year.centre, YEAR, as_of=AS_OF)
    assert len(queries) == 2


def test_the_documents_list_planned_periods_apart(half_year):
    content = hours_pdf(half_year.centre, YEAR, day=AS_OF)
    text = " ".join(" ".join(pdf_pages(content)).split())
    assert "(Từ ngày 01/01/2026 đến ngày 03/06/2026)" in text
    assert "Dự kiến, chưa giảng (tiết)" in text
    assert "Dự kiến sau ngày 03/06/2026: 4 buổi, 17 tiết" in text
    assert "không tính giờ chuẩn và không thanh toán" in text
    assert format_money(7 * RATE).removesuffix(" đ") in text
    assert "kể cả buổi đã xếp lịch nhưng chưa diễn ra" not in text
    sheet = xlsx_sheet(hours_xlsx(half_year.centre, YEAR, day=AS_OF))
    header = find_row(sheet, "STT")
    assert sheet.cell(header, 15).value == "Dự kiến, chưa giảng (tiết)"
    rows = {
        row[1].split("\n")[0]: row
        for row in sheet.iter_rows(min_row=header + 2, values_only=True)
        if isinstance(row[0], int)
    }
    guest = rows["Hồ Văn Khách"]
    assert guest[8] == 7 and guest[13] == 7 * RATE and guest[14] == 7

"""The nominee import fed random and malformed data (DESIGN §9 "Nominee list").

Any cell value gives a valid row or a problem that names the row and the column; any file is
imported whole or refused with reasons and nothing written — through the parser, the web
upload → preview → confirm, and `manage.py import_trainees`.
"""

import datetime
import io
import re
import unicodedata
import zipfile
from io import StringIO
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from hocvien.models import Trainee
from lophoc.models import Enrolment
from lophoc.nominee_import import parse_nominee_file
from lophoc.nominee_import.parsing import COLUMNS, MAX_LENGTHS
from lophoc.nominee_import.reading import Sheet
from lophoc.views.imports import SESSION_KEY
from tests import builders
from tests.guards import nothing_inflated
from tests.lophoc.nominee_files import HEADER, biff8, first_data_row, ole2, xlsx
from tests.property.files import BOMB_SIZES, malformed_files, zip_bomb
from tests.property.support import (
    FEWER,
    MIXED_NAME,
    PROPERTY,
    changed_tables,
    example,
    fingerprint,
    is_vietnamese,
    nasty_text,
)
from trungtam.commands import command_user

TODAY = datetime.date(2026, 3, 1)
LABELS = {column.label for column in COLUMNS}
PLACE = re.compile(r'^Dòng (\d+)(, cột "([^"]+)")?: ')
HIDDEN = ("Cc", "Cf", "Co", "Cs", "Cn")

# --- cell values ---------------------------------------------------------------------------

cell_value = st.one_of(
    st.none(),
    nasty_text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1, 1, 1), max_value=datetime.datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
)
good_value = {
    0: st.integers(1, 99),
    1: st.sampled_from(["Nguyễn Văn An", "Trần Thị Ánh", "NGUYỄN VĂN BÌNH", MIXED_NAME]),
    2: st.sampled_from([datetime.datetime(1990, 5, 17), "17/05/1990", "1985-01-02", 32874]),
    3: st.sampled_from(["Nam", "Nữ", "nu", "NAM"]),
    5: st.sampled_from([None, "001090000001", 1090000002, "0010 9000 0003"]),
}


@st.composite
def nominee_rows(draw, *, max_rows=6):
    """Rows in HEADER order: each cell a plausible value or anything at all."""
    rows = []
    for _ in range(draw(st.integers(1, max_rows))):
        row = []
        for index in range(len(HEADER)):
            plausible = good_value.get(index)
            row.append(
                draw(st.one_of(plausible, cell_value) if plausible is not None else cell_value)
            )
        rows.append(row)
    return rows


def fake_sheet(rows):
    """The parser's input as read from a first sheet: the header on row 1, the rows below."""
    numbered = [(1, tuple(HEADER))] + [(n, tuple(values)) for n, values in enumerate(rows, 2)]
    return Sheet(kind="xlsx", title="Danh sách", rows=numbered)


def assert_placed(lines, data_rows):
    """Every line says where: 'Dòng N, cột "X": …' with a real row and column, in Vietnamese."""
    for line in lines:
        assert is_vietnamese(line), line
        match = PLACE.match(line)
        if match:
            assert int(match[1]) in data_rows, line
            assert match[3] is None or match[3] in LABELS, line


def assert_clean(text: str, limit: int | None = None):
    assert text == unicodedata.normalize("NFC", text)
    assert not any(unicodedata.category(ch) in HIDDEN for ch in text), repr(text)
    assert text == text.strip()
    if limit:
        assert len(text) <= limit


@PROPERTY
@given(rows=nominee_rows())
def test_any_cells_give_valid_rows_or_problems_that_say_where(rows):
    with mock.patch("lophoc.nominee_import.parsing.read_sheet", return_value=fake_sheet(rows)):
        parsed = parse_nominee_file(b"-", "danh-sach.xlsx", today=TODAY)
    data_rows = set(range(2, len(rows) + 2))
    assert_placed([str(problem) for problem in parsed.problems], data_rows)
    with_problem = {problem.row for problem in parsed.problems}
    for row in parsed.rows:
        if row.row in with_problem:
            continue
        assert_clean(row.full_name, MAX_LENGTHS["full_name"])
        assert not any(ch.isdigit() for ch in row.full_name)
        assert isinstance(row.date_of_birth, datetime.date)
        assert row.gender in ("M", "F")
        assert row.national_id is None or re.fullmatch(r"[0-9]{12}", row.national_id)
        assert row.phone == "" or re.fullmatch(r"\+?[0-9]{8,15}", row.phone)
        for name in ("ethnicity", "position", "unit_name"):
            assert_clean(getattr(row, name), 200)
        trainee = Trainee(
            full_name=row.full_name,
            date_of_birth=row.date_of_birth,
            gender=row.gender,
            ethnicity=row.ethnicity,
            national_id=row.national_id,
            position=row.position,
            phone=row.phone,
        )
        trainee.clean_fields(exclude=["centre", "unit"])  # the model's own field checks


# --- whole files -------------------------------------------------------------------------------


def writable(value, *, limit=None):
    """A value openpyxl/BIFF can hold: text without XML-illegal characters, sane dates."""
    if isinstance(value, str):
        value = value[:limit] if limit else value
        return value
    if isinstance(value, float) and value != value:
        return None  # NaN has no cell form
    if isinstance(value, datetime.time):
        return str(value)
    return value


def as_xlsx(rows) -> bytes:
    cleaned = []
    for values in rows:
        row = []
        for value in values:
            value = writable(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if isinstance(value, float) and value in (float("inf"), float("-inf")):
                value = str(value)
            if isinstance(value, datetime.date) and value.year < 1900:
                value = value.isoformat()
            row.append(value)
        cleaned.append(row)
    return xlsx(cleaned)


def as_xls(rows) -> bytes:
    """A real .xls: BIFF text can hold anything, NUL and control characters included."""
    cleaned = []
    for values in rows:
        row = []
        for value in values:
            value = writable(value, limit=200)
            if isinstance(value, bool):
                value = str(value)
            if isinstance(value, datetime.date) and not (1900 < value.year < 9999):
                value = value.isoformat()
            if isinstance(value, int) and abs(value) > 2**52:
                value = str(value)
            row.append(value)
        cleaned.append(row)
    return ole2(biff8([HEADER, *cleaned]))


def data_rows(rows, kind) -> set[int]:
    """The row numbers Excel shows for `rows`: the xlsx helper puts titles above the header."""
    first = first_data_row() if kind == "xlsx" else 2
    return set(range(first, first + len(rows)))


def import_counts():
    return (Trainee.objects.count(), Enrolment.objects.count())


def staff_upload(client, course, content, name):
    url = reverse("lophoc:import_upload", args=[course.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def page_errors(response) -> list[str]:
    form = response.context.get("form") if response.context else None
    errors = [str(e) for e in form.errors.get("file", [])] if form is not None else []
    return errors + [str(m) for m in response.context["messages"]]


@FEWER
@given(rows=nominee_rows(max_rows=4), kind=st.sampled_from(["xlsx", "xls"]))
def test_a_file_is_imported_whole_or_refused_with_nothing_written(world, client, rows, kind):
    course = world.enrolling
    content = as_xlsx(rows) if kind == "xlsx" else as_xls(rows)
    with example():
        client.force_login(world.staff)
        before, counts = fingerprint(), import_counts()
        upload = staff_upload(client, course, content, f"danh-sach.{kind}")
        if upload.status_code == 200:  # refused at the upload: not a list at all
            assert changed_tables(before, fingerprint()) == []
            assert page_errors(upload) and all(map(is_vietnamese, page_errors(upload)))
            return
        assert upload.status_code == 302
        preview = client.get(upload["Location"])
        assert preview.status_code == 200
        plan = preview.context["plan"]
        lines = [str(problem) for problem in preview.context["problems"]]
        assert_placed(lines, data_rows(rows, kind))
        sha = builders.pending_upload_of(client, SESSION_KEY).sha256
        confirm = client.post(reverse("lophoc:import_confirm", args=[course.pk]), {"sha256": sha})
        if plan.ok:
            assert confirm.status_code == 302, "a clean preview must import"
            trainees, enrolments = import_counts()
            assert enrolments == counts[1] + len(plan.rows)
            for trainee in Trainee.objects.filter(enrolments__course=course):
                assert_clean(trainee.full_name, 100)
                assert_clean(trainee.position, 200)
            detail = client.get(reverse("lophoc:course_detail", args=[course.pk]))
            assert detail.status_code == 200
        else:
            assert confirm.status_code == 200
            assert changed_tables(before, fingerprint()) == []
            assert lines and all(map(is_vietnamese, lines))


@FEWER
@given(rows=nominee_rows(max_rows=4), kind=st.sampled_from(["xlsx", "xls"]))
def test_the_command_imports_whole_or_exits_1_with_nothing_written(world, tmp_path, rows, kind):
    course = world.enrolling
    path = tmp_path / f"danh-sach.{kind}"
    path.write_bytes(as_xlsx(rows) if kind == "xlsx" else as_xls(rows))
    with example():
        command_user(None, "import_trainees")  # the system user it records changes under
        before = fingerprint()
        out, err = StringIO(), StringIO()
        try:
            call_command(
                "import_trainees", str(path), "--course", course.code, stdout=out, stderr=err
            )
        except CommandError as error:
            assert error.returncode == 1
            assert changed_tables(before, fingerprint()) == []
            lines = str(error).splitlines()
            assert lines
            assert_placed(lines, data_rows(rows, kind))
        else:
            assert "Đã ghi danh" in out.getvalue()


# --- files that are not nominee lists ----------------------------------------------------------


@PROPERTY
@given(file=malformed_files(), name=st.sampled_from(["danh-sach.xlsx", "danh-sach.xls"]))
def test_a_file_that_is_no_list_is_refused_clearly(world, client, file, name):
    content, kind = file
    parsed = parse_nominee_file(content, name)
    if kind != "flipped":  # a flipped byte may land in a date or a name: still a list
        assert parsed.fatal and len(parsed.problems) >= 1
    for problem in parsed.problems:
        assert is_vietnamese(str(problem)), str(problem)
    with example():
        client.force_login(world.staff)
        before = fingerprint()
        response = staff_upload(client, world.enrolling, content, name)
        assert changed_tables(before, fingerprint()) == []
        if response.status_code == 200:
            errors = page_errors(response)
            assert errors and all(map(is_vietnamese, errors)), errors
            assert SESSION_KEY not in client.session
        else:
            assert kind == "flipped" and response.status_code == 302


def test_the_zip_bomb_is_a_real_one():
    archive = zipfile.ZipFile(io.BytesIO(zip_bomb(8)))
    with archive.open("xl/worksheets/sheet1.xml") as member:
        assert len(member.read()) == 8 * 1024 * 1024  # inflates, CRC checked at the end
    assert archive.testzip() is None


@pytest.mark.parametrize("mb", BOMB_SIZES)
def test_a_zip_bomb_is_refused_before_it_is_inflated(mb):
    bomb = zip_bomb(mb)
    with nothing_inflated():
        parsed = parse_nominee_file(bomb, "danh-sach.xlsx")
    assert parsed.fatal
    assert "giải nén" in str(parsed.problems[0])

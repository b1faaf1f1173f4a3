"""The grade sheet upload fed random cells, tampered sheets and files that are no sheet at all.

A sheet is applied whole (every stored score then equals the sheet) or refused with reasons that
say where, and nothing written — through the web upload → preview → confirm and
`manage.py import_grades`.
"""

import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lophoc.grade_sheet import (
    HEADER_ROW,
    MAX_FILE_BYTES,
    GradeSheetUnreadable,
    grade_sheet_plan,
    grade_sheet_xlsx,
    read_grade_sheet,
)
from lophoc.models import Course
from lophoc.views.grade_sheet import SESSION_KEY
from tests import builders
from tests.guards import nothing_inflated
from tests.lophoc.grade_sheet_helpers import (
    ESSAY_HEADER,
    MIDTERM_HEADER,
    RETAKE_HEADER,
    make_graded_course,
    stored_scores,
    to_bytes,
    workbook,
)
from tests.property.files import CSV, malformed_files, zip_bomb
from tests.property.support import (
    FEWER,
    PROPERTY,
    changed_tables,
    example,
    fingerprint,
    is_vietnamese,
    nasty_text,
    score_value,
)
from trungtam.commands import command_user

SCORE_HEADERS = [MIDTERM_HEADER, ESSAY_HEADER, RETAKE_HEADER]
PLACE = re.compile(r"^Dòng \d+[,:] ")


@st.composite
def tampered_sheets(draw):
    """(cell edits {(row offset, header): value}, a structural change or None)."""
    edits = {}
    for _ in range(draw(st.integers(1, 6))):
        edits[(draw(st.integers(0, 5)), draw(st.sampled_from(SCORE_HEADERS)))] = draw(score_value)
    change = draw(
        st.one_of(
            st.none(),
            st.none(),
            st.sampled_from(
                ["code", "name", "delete_row", "add_row", "header", "id", "extra_column"]
            ),
        )
    )
    junk = draw(nasty_text)
    return edits, change, junk


def build(course, edits, change, junk) -> bytes:
    book = workbook(grade_sheet_xlsx(course))
    sheet = book.active
    columns = {cell.value: cell.column for cell in sheet[HEADER_ROW]}
    for (offset, header), value in edits.items():
        if isinstance(value, float) and value != value:
            value = None
        cell = sheet.cell(row=HEADER_ROW + 1 + offset, column=columns[header])
        try:
            cell.value = value
        except Exception:  # openpyxl refuses XML-illegal characters: Excel cannot hold them
            cell.value = None
    last = sheet.max_row
    if change == "code":
        sheet["B3"] = junk[:200] or "KHAC-01/2026"
    elif change == "name":
        sheet.cell(row=HEADER_ROW + 1, column=2).value = "Người Khác " + junk[:50]
    elif change == "delete_row":
        sheet.delete_rows(HEADER_ROW + 2)
    elif change == "add_row":
        sheet.cell(row=last + 1, column=2).value = "Học Viên Thêm"
        sheet.cell(row=last + 1, column=5).value = 7
    elif change == "header":
        sheet.cell(row=HEADER_ROW, column=columns[MIDTERM_HEADER]).value = "Bài khác (hệ số 1)"
    elif change == "id":
        sheet.cell(row=HEADER_ROW + 1, column=columns["Mã ghi danh (không sửa)"]).value = 999999
    elif change == "extra_column":
        sheet.cell(row=HEADER_ROW, column=sheet.max_column + 1).value = "Ghi chú"
    return to_bytes(book)


def assert_placed(lines):
    for line in lines:
        assert is_vietnamese(line), line
        if line.startswith("Dòng "):
            assert PLACE.match(line), line


@pytest.fixture
def graded(world):
    return make_graded_course(world.centre)


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


@FEWER
@given(sheet=tampered_sheets())
def test_a_sheet_is_applied_whole_or_refused_with_nothing_written(world, graded, client, sheet):
    course = fresh(graded)
    content = build(course, *sheet)
    with example():
        client.force_login(world.staff)
        before = fingerprint()
        upload = client.post(
            reverse("lophoc:grade_sheet_upload", args=[course.pk]),
            {"file": SimpleUploadedFile("bang-diem.xlsx", content)},
        )
        assert upload.status_code == 302, upload.status_code
        preview = client.get(upload["Location"])
        assert preview.status_code == 200
        plan = preview.context["plan"]
        assert_placed(plan.lines)
        confirm = client.post(
            reverse("lophoc:grade_sheet_confirm", args=[course.pk]),
            {"sha256": builders.pending_upload_of(client, SESSION_KEY).sha256},
        )
        if plan.ok:
            assert confirm.status_code == 302
            # The sheet is the truth for its cells: re-read, it matches what is stored now.
            again = read_grade_sheet(content)
            assert grade_sheet_plan(course=fresh(course), sheet=again).changes == []
            assert client.get(confirm["Location"]).status_code == 200
        else:
            assert confirm.status_code == 200
            assert plan.lines
            assert changed_tables(before, fingerprint()) == []


@FEWER
@given(sheet=tampered_sheets())
def test_the_command_applies_whole_or_exits_1_with_nothing_written(graded, tmp_path, sheet):
    course = fresh(graded)
    path = tmp_path / "bang-diem.xlsx"
    path.write_bytes(build(course, *sheet))
    with example():
        command_user(None, "import_grades")
        before, scores = fingerprint(), stored_scores(course)
        out = StringIO()
        try:
            call_command(
                "import_grades", str(path), "--course", course.code, stdout=out, stderr=StringIO()
            )
        except CommandError as error:
            assert error.returncode == 1
            assert changed_tables(before, fingerprint()) == []
            assert_placed(str(error).splitlines())
        else:
            changed = [line for line in out.getvalue().splitlines() if "→" in line]
            assert_placed(changed)
            assert (stored_scores(course) != scores) == bool(changed)


@PROPERTY
@given(file=malformed_files())
def test_a_file_that_is_no_grade_sheet_is_refused_clearly(world, graded, client, file):
    content, kind = file
    try:
        read_grade_sheet(content, "bang-diem.xlsx")
    except GradeSheetUnreadable as error:
        assert is_vietnamese(str(error)), str(error)
    with example():
        client.force_login(world.staff)
        before = fingerprint()
        response = client.post(
            reverse("lophoc:grade_sheet_upload", args=[graded.pk]),
            {"file": SimpleUploadedFile("bang-diem.xlsx", content)},
        )
        assert changed_tables(before, fingerprint()) == []
        if response.status_code == 200:
            errors = [str(e) for e in response.context["form"].errors.get("file", [])]
            assert errors and all(map(is_vietnamese, errors)), errors
            assert SESSION_KEY not in client.session
            return
        # Read as a workbook after all (a flipped byte in a valid file): the preview says why not.
        assert response.status_code == 302 and kind == "flipped"
        preview = client.get(response["Location"], follow=True)
        assert preview.status_code == 200


def test_a_grade_sheet_zip_bomb_is_refused_before_it_is_inflated():
    for megabytes in (8, 60, 300):
        bomb = zip_bomb(megabytes)
        with nothing_inflated(), pytest.raises(GradeSheetUnreadable, match="giải nén"):
            read_grade_sheet(bomb, "bang-diem.xlsx")


def test_a_csv_renamed_and_a_file_over_the_limit_are_refused_by_name():
    with pytest.raises(GradeSheetUnreadable, match="không phải bảng tính Excel"):
        read_grade_sheet(CSV, "bang-diem.xlsx")
    with pytest.raises(GradeSheetUnreadable, match=r"quá lớn \(5,0 MB\); chỉ nhận file đến 5 MB"):
        read_grade_sheet(b"PK\x03\x04" + b"\x00" * MAX_FILE_BYTES, "bang-diem.xlsx")

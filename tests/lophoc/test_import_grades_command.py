"""manage.py import_grades FILE --course CODE (DESIGN §9): printed changes, stderr lines, exit codes."""

from decimal import Decimal

import pytest
from django.db import connections

from lophoc.grade_sheet import HEADER_ROW, grade_sheet_xlsx
from lophoc.management.commands.import_grades import Command
from lophoc.models import Course, CourseStatus, Score
from tests import builders
from tests.lophoc.grade_sheet_helpers import (
    ESSAY,
    ESSAY_HEADER,
    MIDTERM,
    MIDTERM_HEADER,
    RETAKE_HEADER,
    colleague_saves,
    edited,
    make_graded_course,
    stored_scores,
    to_bytes,
    workbook,
)
from trungtam.models import Role

pytestmark = pytest.mark.django_db
FIRST = HEADER_ROW + 1


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends; the test transaction needs it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def course(centre):
    return make_graded_course(centre)


def run(*args) -> int:
    """Run the command as from a shell and return its exit code."""
    # --skip-checks: the test settings' string_if_invalid (--fail-on-template-vars) trips a check.
    try:
        Command().run_from_argv(["manage.py", "import_grades", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def write(tmp_path, content: bytes, name="bang-diem.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def sheet(course) -> bytes:
    return grade_sheet_xlsx(Course.objects.get(pk=course.pk))


def test_it_prints_every_change_and_a_summary(course, tmp_path, capsys):
    content = edited(
        sheet(course),
        {
            ("Trần Văn An", MIDTERM_HEADER): 8,
            ("Trần Văn An", ESSAY_HEADER): None,
            ("Bùi Thị Ánh", RETAKE_HEADER): "6,5",
            ("Phạm Đức Đạt", ESSAY_HEADER): 7.25,
        },
    )
    code = run(write(tmp_path, content), "--course", "DVM-03/2026")
    assert code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines() == [
        f'Dòng {FIRST}, Trần Văn An, "{MIDTERM}": 7 → 8',
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": 8,5 → (trống)',
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "Thi lại – {ESSAY}": 6 → 6,5',
        f'Dòng {FIRST + 5}, Phạm Đức Đạt, "{ESSAY}": (trống) → 7,25',
        "Đã ghi 4 ô điểm thay đổi vào lớp DVM-03/2026, trong đó 1 ô xóa điểm.",
    ]
    scores = stored_scores(course)
    assert scores[("Trần Văn An", MIDTERM)][0] == Decimal("8")
    assert scores[("Trần Văn An", ESSAY)][0] is None
    assert scores[("Phạm Đức Đạt", ESSAY)][0] == Decimal("7.25")


def test_changes_are_recorded_under_the_system_user_or_the_named_one(course, staff, tmp_path):
    content = edited(sheet(course), {("Trần Văn An", ESSAY_HEADER): 9})
    assert run(write(tmp_path, content), "--course", "DVM-03/2026") == 0
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    assert score.history.first().history_user.username == "system-import_grades"
    assert score.updated_by.username == "system-import_grades"
    content = edited(sheet(course), {("Trần Văn An", ESSAY_HEADER): 9.5})
    assert run(write(tmp_path, content), "--course", "DVM-03/2026", "--user", "canbo") == 0
    score.refresh_from_db()
    assert score.history.first().history_user == staff
    assert (score.score, score.version) == (Decimal("9.5"), 2)


def test_an_unchanged_sheet_writes_nothing_and_says_so(course, tmp_path, capsys):
    assert run(write(tmp_path, sheet(course)), "--course", "DVM-03/2026") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Bảng điểm không khác điểm đang lưu của lớp DVM-03/2026; không có gì để ghi."
    ]


def test_bad_cells_exit_1_with_one_line_each_and_nothing_written(course, tmp_path, capsys):
    content = edited(
        sheet(course),
        {
            ("Trần Văn An", ESSAY_HEADER): 11,
            ("Bùi Thị Ánh", MIDTERM_HEADER): "tám",
            ("Lê Thị Huyền Diệu", MIDTERM_HEADER): 6,
        },
    )
    before = stored_scores(course)
    code = run(write(tmp_path, content), "--course", "DVM-03/2026")
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == f'Dòng {FIRST}, cột "{ESSAY_HEADER}": «11» nằm ngoài thang điểm 0–10.'
    assert lines[1].startswith(
        f'Dòng {FIRST + 1}, cột "{MIDTERM_HEADER}": «tám» không phải điểm hợp lệ'
    )
    assert lines[2] == (
        "Không ghi gì vào lớp DVM-03/2026: hãy sửa 2 lỗi trên trong bảng điểm rồi chạy lại."
    )
    assert stored_scores(course) == before


def test_a_sheet_of_another_class_exits_1(course, tmp_path, capsys):
    other = make_graded_course(course.centre, code="DVM-04/2026")
    before = stored_scores(course)
    code = run(write(tmp_path, sheet(other)), "--course", "DVM-03/2026")
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    assert "«DVM-04/2026»" in lines[0] and "«DVM-03/2026»" in lines[0]
    assert lines[-1] == "Hãy tải bảng điểm mới của lớp, nhập điểm vào đó rồi tải lên lại."
    assert stored_scores(course) == before


def test_added_removed_and_renamed_rows_exit_1_listing_each(course, tmp_path, capsys):
    book = workbook(sheet(course))
    ws = book.active
    ws.cell(row=FIRST, column=2).value = "Trần Văn Ân"
    ws.delete_rows(FIRST + 3)  # Lê Thị Huyền Diệu
    ws.cell(row=FIRST + 7, column=2).value = "Nguyễn Văn Mới"
    ws.cell(row=FIRST + 7, column=5).value = 8
    code = run(write(tmp_path, to_bytes(book)), "--course", "DVM-03/2026")
    assert code == 1
    err = capsys.readouterr().err
    assert f"Dòng {FIRST}: họ tên «Trần Văn Ân» khác với học viên của lớp «Trần Văn An»" in err
    assert f"Dòng {FIRST + 7}: «Nguyễn Văn Mới» không có trong danh sách" in err
    assert "Thiếu học viên «Lê Thị Huyền Diệu»" in err


def test_a_lecturer_named_with_user_keeps_to_their_columns(course, lecturer, tmp_path, capsys):
    builders.make_session(course, lecturer=lecturer.lecturer)
    course.assessments.filter(name=ESSAY).update(grader=lecturer.lecturer)
    course.assessments.filter(name=MIDTERM).update(
        grader=builders.make_lecturer(course.centre, full_name="Võ Minh Tâm")
    )
    content = edited(sheet(course), {("Trần Văn An", MIDTERM_HEADER): 2})
    before = stored_scores(course)
    code = run(write(tmp_path, content), "--course", "DVM-03/2026", "--user", "giangvien")
    assert code == 1
    assert "Bạn không được sửa điểm bài «Bài kiểm tra giữa khóa»" in capsys.readouterr().err
    assert stored_scores(course) == before
    content = edited(sheet(course), {("Trần Văn An", ESSAY_HEADER): 10})
    assert run(write(tmp_path, content), "--course", "DVM-03/2026", "--user", "giangvien") == 0


def test_a_user_without_the_right_or_outside_the_class_exits_1(
    course, official, lecturer, tmp_path, capsys
):
    path = write(tmp_path, sheet(course))
    assert run(path, "--course", "DVM-03/2026", "--user", "capuy") == 1
    assert "không có quyền nhập điểm" in capsys.readouterr().err
    assert run(path, "--course", "DVM-03/2026", "--user", "giangvien") == 1
    assert "không dạy lớp này" in capsys.readouterr().err


def test_a_closed_class_exits_1(course, tmp_path, capsys):
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    code = run(write(tmp_path, sheet(course)), "--course", "DVM-03/2026")
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    assert "Đã kết thúc" in lines[0]
    assert lines[-1] == "Không ghi gì vào lớp DVM-03/2026."


def test_not_an_xlsx_or_an_unknown_class_exit_1(course, tmp_path, capsys):
    assert run(write(tmp_path, b"a,b\n", "bang-diem.csv"), "--course", "DVM-03/2026") == 1
    assert "không phải bảng tính Excel (.xlsx)" in capsys.readouterr().err
    assert run(write(tmp_path, sheet(course)), "--course", "KHONG-CO") == 1
    assert "Không có lớp mã" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["--course", "DVM-03/2026"],  # no file
        ["khong-co.xlsx", "--course", "DVM-03/2026"],  # the file does not exist
        ["{file}"],  # no --course
        ["{file}", "--course", "DVM-03/2026", "--user", "khong-ai"],
    ],
)
def test_wrong_usage_exits_2(course, tmp_path, args):
    path = write(tmp_path, sheet(course))
    before = stored_scores(course)
    assert run(*(a.replace("{file}", path) for a in args)) == 2
    assert stored_scores(course) == before


# --- a sheet downloaded before a colleague's change (issue 14) --------------------------------


@pytest.fixture
def colleague(course):
    return builders.make_user(role=Role.STAFF, centre=course.centre, username="canbo_cung_tt")


def test_a_stale_sheet_keeps_the_colleagues_change(course, colleague, tmp_path, capsys):
    content = sheet(course)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    content = edited(content, {("Bùi Thị Ánh", MIDTERM_HEADER): 8})
    assert run(write(tmp_path, content), "--course", "DVM-03/2026") == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{MIDTERM}": 9,25 → 8'
    )
    assert stored_scores(course)[("Trần Văn An", ESSAY)][0] == Decimal("6")


def _conflicting(course, colleague, tmp_path) -> str:
    content = sheet(course)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    colleague_saves(course, colleague, "Bùi Thị Ánh", MIDTERM, None)
    content = edited(
        content,
        {
            ("Trần Văn An", ESSAY_HEADER): 9,
            ("Bùi Thị Ánh", MIDTERM_HEADER): 8,
            ("Lê Thị Huyền Diệu", MIDTERM_HEADER): 6,
        },
    )
    return write(tmp_path, content)


def test_conflicts_exit_1_one_line_each_and_nothing_written(course, colleague, tmp_path, capsys):
    path = _conflicting(course, colleague, tmp_path)
    before = stored_scores(course)
    assert run(path, "--course", "DVM-03/2026") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": lúc tải bảng điểm là 8,5, nay đang lưu 6 (có '
        "người sửa sau khi tải), bảng điểm ghi 9",
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{MIDTERM}": lúc tải bảng điểm là 9,25, nay đang lưu '
        "(trống) (có người sửa sau khi tải), bảng điểm ghi 8",
        "Không ghi gì vào lớp DVM-03/2026: 2 ô điểm trên đã được sửa trên phần mềm sau khi tải "
        "bảng điểm. Hãy tải bảng điểm mới, hoặc chạy lại với --on-conflict keep (giữ điểm đang "
        "lưu) hay --on-conflict sheet (ghi điểm trong bảng điểm).",
    ]
    assert stored_scores(course) == before  # not even Lê Thị Huyền Diệu's ordinary change


def test_on_conflict_keep_writes_the_rest_and_says_what_was_kept(
    course, colleague, tmp_path, capsys
):
    path = _conflicting(course, colleague, tmp_path)
    assert run(path, "--course", "DVM-03/2026", "--on-conflict", "keep") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f'Dòng {FIRST + 3}, Lê Thị Huyền Diệu, "{MIDTERM}": (trống) → 6'
    assert lines[1].endswith("bảng điểm ghi 9 → giữ điểm đang lưu")
    assert lines[-1] == (
        "Đã ghi 1 ô điểm thay đổi vào lớp DVM-03/2026; giữ nguyên 2 ô điểm người khác đã sửa "
        "sau khi tải bảng điểm."
    )
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("6")
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] is None


def test_on_conflict_sheet_writes_the_sheets_values(course, colleague, tmp_path, capsys):
    path = _conflicting(course, colleague, tmp_path)
    assert run(path, "--course", "DVM-03/2026", "--on-conflict", "sheet") == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": 6 → 9',
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{MIDTERM}": (trống) → 8',
    ]
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("9")
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("8")


def test_an_old_sheet_without_the_hidden_copies_exits_1(course, tmp_path, capsys):
    book = workbook(sheet(course))
    book.active.delete_cols(9, 3)
    before = stored_scores(course)
    assert run(write(tmp_path, to_bytes(book)), "--course", "DVM-03/2026") == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("Bảng điểm này không có các cột ẩn «Điểm lúc tải về»")
    assert lines[-1] == "Hãy tải bảng điểm mới của lớp, nhập điểm vào đó rồi tải lên lại."
    assert stored_scores(course) == before


def test_on_conflict_accepts_only_keep_or_sheet(course, tmp_path):
    assert run(write(tmp_path, sheet(course)), "--course", "DVM-03/2026", "--on-conflict", "x") == 2


def test_help_is_vietnamese(capsys):
    assert run("--help") == 0
    out = capsys.readouterr().out
    assert "Nhập điểm từ bảng điểm" in out and "--course" in out and "Mã thoát" in out

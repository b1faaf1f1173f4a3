"""The offline grade sheet service (lophoc/grade_sheet.py): export, read, compare, apply."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lophoc.grade_sheet import (
    CODE_LABEL,
    HEADER_ROW,
    ID_HEADER,
    KEEP,
    OLD_SHEET,
    ORIGINAL_PREFIX,
    TAKE,
    GradeSheetChoiceNeeded,
    GradeSheetConflict,
    GradeSheetRefused,
    GradeSheetUnreadable,
    grade_sheet_apply,
    grade_sheet_plan,
    grade_sheet_xlsx,
    read_grade_sheet,
)
from lophoc.models import Course, CourseStatus, Score
from tests import builders
from tests.lophoc.document_helpers import IN_ORDER
from tests.lophoc.grade_sheet_helpers import (
    ESSAY,
    ESSAY_HEADER,
    MIDTERM,
    MIDTERM_HEADER,
    RETAKE_HEADER,
    cell_key,
    colleague_saves,
    column,
    edited,
    make_graded_course,
    row_of,
    stored_scores,
    to_bytes,
    workbook,
)
from trungtam.models import Role

pytestmark = pytest.mark.django_db
FIRST = HEADER_ROW + 1  # the sheet row of the first trainee (Trần Văn An)


@pytest.fixture
def course(centre):
    return make_graded_course(centre)


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def plan_for(course, content, editor=None):
    return grade_sheet_plan(course=fresh(course), sheet=read_grade_sheet(content), editor=editor)


def apply(course, content, user, **options):
    return grade_sheet_apply(
        course=fresh(course), sheet=read_grade_sheet(content), user=user, **options
    )


def assessment(course, name):
    return course.assessments.get(name=name)


# --- export ----------------------------------------------------------------------------------


def test_the_sheet_holds_the_code_the_rows_and_the_current_scores(course):
    sheet = workbook(grade_sheet_xlsx(fresh(course))).active
    assert (sheet["A3"].value, sheet["B3"].value) == (CODE_LABEL, "DVM-03/2026")
    assert sheet["A2"].value == "BẢNG ĐIỂM"
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Đơn vị",
        MIDTERM_HEADER,
        ESSAY_HEADER,
        RETAKE_HEADER,
        ID_HEADER,
        f"Điểm lúc tải về (không sửa): {MIDTERM_HEADER}",
        f"Điểm lúc tải về (không sửa): {ESSAY_HEADER}",
        f"Điểm lúc tải về (không sửa): {RETAKE_HEADER}",
    ]
    names = [sheet.cell(row=r, column=2).value for r in range(FIRST, sheet.max_row + 1)]
    assert names == IN_ORDER  # withdrawn trainees are not in the sheet
    an, anh = FIRST, FIRST + 1
    assert [sheet.cell(row=an, column=c).value for c in (1, 5, 6, 7)] == [1, 7, 8.5, None]
    assert [sheet.cell(row=anh, column=c).value for c in (5, 6, 7)] == [9.25, 4, 6]
    birth = sheet.cell(row=an, column=3)
    assert birth.value.date() == datetime.date(1990, 3, 7)
    assert birth.number_format == "DD/MM/YYYY"
    assert sheet.cell(row=an, column=4).value == "Chi bộ ấp Bến Tranh"
    enrolment = course.enrolments.get(trainee__full_name="Trần Văn An")
    assert sheet.cell(row=an, column=8).value == enrolment.pk
    # Each score cell as it was at download, in the hidden columns after the id.
    assert [sheet.cell(row=anh, column=c).value for c in (9, 10, 11)] == [9.25, 4, 6]
    assert [sheet.cell(row=an, column=c).value for c in (9, 10, 11)] == [7, 8.5, None]


def test_the_id_column_is_hidden_and_only_score_cells_are_unlocked(course):
    sheet = workbook(grade_sheet_xlsx(fresh(course))).active
    for letter in "HIJK":  # the id, then each score cell at download
        assert sheet.column_dimensions[letter].hidden, letter
        assert sheet[f"{letter}{FIRST}"].protection.locked, letter
    assert sheet.protection.sheet
    assert sheet.protection.password is None
    assert not sheet.cell(row=FIRST, column=5).protection.locked
    assert not sheet.cell(row=FIRST, column=7).protection.locked
    assert sheet.cell(row=FIRST, column=2).protection.locked
    assert sheet["B3"].protection.locked
    validation = sheet.data_validations.dataValidation[0]
    assert (validation.type, validation.formula1, validation.formula2) == ("decimal", "0", "10")
    assert f"E{FIRST}:E{FIRST + 6}" in str(validation.sqref)


def test_columns_a_user_may_not_write_stay_locked(course):
    midterm = assessment(course, MIDTERM)
    sheet = workbook(grade_sheet_xlsx(fresh(course), editable={midterm.pk})).active
    assert not sheet.cell(row=FIRST, column=5).protection.locked
    assert sheet.cell(row=FIRST, column=6).protection.locked
    assert sheet.cell(row=FIRST, column=7).protection.locked
    assert "F" not in str(sheet.data_validations.dataValidation[0].sqref)


def test_an_empty_class_gives_a_sheet_that_says_so(centre):
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    builders.make_assessment(course)
    sheet = workbook(grade_sheet_xlsx(course)).active
    assert sheet.cell(row=FIRST, column=1).value == "Lớp chưa có học viên đang học nào."
    plan = plan_for(course, grade_sheet_xlsx(course))
    assert plan.ok and plan.changes == [] and plan.rows == 0


# --- the round trip --------------------------------------------------------------------------


def test_export_edit_apply_gives_the_same_scores(course, staff):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {
            ("Trần Văn An", ESSAY_HEADER): 9,
            ("Bùi Thị Ánh", MIDTERM_HEADER): None,  # a clear
            ("Bùi Thị Ánh", RETAKE_HEADER): 5.5,
            ("Lê Thị Huyền Diệu", MIDTERM_HEADER): "7,5",  # typed as text, Vietnamese comma
            ("Lê Thị Huyền Diệu", ESSAY_HEADER): " 8.25 ",
            ("Đặng Văn Hữu", MIDTERM_HEADER): 10,
        },
    )
    plan = apply(course, content, staff)
    assert len(plan.changes) == 6 and plan.clears == 1
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)] == (Decimal("9"), None, 1)
    assert scores[("Trần Văn An", MIDTERM)] == (Decimal("7"), None, 0)  # untouched
    assert scores[("Bùi Thị Ánh", MIDTERM)] == (None, None, 1)
    assert scores[("Bùi Thị Ánh", ESSAY)] == (Decimal("4"), Decimal("5.5"), 1)
    assert scores[("Lê Thị Huyền Diệu", MIDTERM)] == (Decimal("7.5"), None, 1)
    assert scores[("Lê Thị Huyền Diệu", ESSAY)] == (Decimal("8.25"), None, 1)
    assert scores[("Đặng Văn Hữu", MIDTERM)] == (Decimal("10"), None, 1)
    # The sheet exported now holds exactly what was uploaded: nothing left to change.
    again = plan_for(course, grade_sheet_xlsx(fresh(course)))
    assert again.ok and again.changes == []
    assert plan_for(course, content).changes == []


def test_every_write_keeps_who_and_the_old_value(course, staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    apply(course, content, staff)
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    assert score.updated_by == staff
    latest, previous = score.history.all()[:2]
    assert latest.history_user == staff
    assert (previous.score, latest.score) == (Decimal("8.5"), Decimal("9"))


def test_a_first_score_creates_the_row_with_history(course, staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Phạm Đức Đạt", MIDTERM_HEADER): 6.5})
    apply(course, content, staff)
    score = Score.objects.get(
        enrolment__trainee__full_name="Phạm Đức Đạt", assessment__name=MIDTERM
    )
    assert (score.score, score.version, score.updated_by) == (Decimal("6.5"), 1, staff)
    assert score.history.get().history_user == staff


def test_change_lines_name_row_trainee_column_and_values(course):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {
            ("Trần Văn An", MIDTERM_HEADER): 8.5,
            ("Trần Văn An", ESSAY_HEADER): None,
            ("Bùi Thị Ánh", RETAKE_HEADER): None,
            ("Phạm Đức Đạt", ESSAY_HEADER): 7,
        },
    )
    lines = [str(change) for change in plan_for(course, content).changes]
    assert lines == [
        f'Dòng {FIRST}, Trần Văn An, "{MIDTERM}": 7 → 8,5',
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": 8,5 → (trống)',
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "Thi lại – {ESSAY}": 6 → (trống)',
        f'Dòng {FIRST + 5}, Phạm Đức Đạt, "{ESSAY}": (trống) → 7',
    ]


def test_clears_are_applied_and_the_row_is_kept(course, staff):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {("Trần Văn An", ESSAY_HEADER): None, ("Bùi Thị Ánh", RETAKE_HEADER): ""},
    )
    plan = apply(course, content, staff)
    assert plan.clears == 2
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)] == (None, None, 1)
    assert scores[("Bùi Thị Ánh", ESSAY)] == (Decimal("4"), None, 1)


def test_rows_in_another_order_and_extra_columns_are_fine(course, staff):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.protection.sheet = False
    # Swap the first two trainees' whole rows and add a note column after the last one.
    last = sheet.max_column
    for col in range(1, last + 1):
        first, second = sheet.cell(row=FIRST, column=col), sheet.cell(row=FIRST + 1, column=col)
        first.value, second.value = second.value, first.value
    sheet.cell(row=HEADER_ROW, column=last + 1).value = "Ghi chú"
    sheet.cell(row=FIRST, column=last + 1).value = "nộp muộn"
    sheet.cell(row=FIRST, column=column(sheet, ESSAY_HEADER)).value = 3  # Bùi Thị Ánh now
    plan = apply(course, to_bytes(book), staff)
    assert [str(c) for c in plan.changes] == [f'Dòng {FIRST}, Bùi Thị Ánh, "{ESSAY}": 4 → 3']


def test_a_weight_changed_since_the_download_still_matches_by_name(course):
    content = grade_sheet_xlsx(fresh(course))
    Course.objects.get(pk=course.pk).assessments.filter(name=ESSAY).update(weight=3)
    assert plan_for(course, content).ok


# --- refusals: nothing written ---------------------------------------------------------------


def refused_lines(course, content, editor=None) -> list[str]:
    plan = plan_for(course, content, editor)
    assert not plan.ok
    return plan.lines


def assert_nothing_written(course, content, user):
    before = stored_scores(course)
    with pytest.raises(GradeSheetRefused) as refused:
        apply(course, content, user, editor=user)
    assert stored_scores(course) == before
    return refused.value.lines


@pytest.mark.parametrize(
    ("value", "shown"),
    [(11, "11"), (-1, "-1"), (7.333, "7.333"), ("tám", "tám"), ("8,555", "8,555")],
)
def test_invalid_cells_are_listed_with_row_column_value_and_reason(course, staff, value, shown):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {("Lê Thị Huyền Diệu", ESSAY_HEADER): value, ("Trần Văn An", MIDTERM_HEADER): 6},
    )
    plan = plan_for(course, content)
    assert len(plan.changes) == 1  # the valid change is still shown
    [problem] = plan.problems
    assert (problem.row, problem.header, problem.value) == (FIRST + 3, ESSAY_HEADER, shown)
    assert problem.trainee_name == "Lê Thị Huyền Diệu"
    assert str(problem).startswith(f'Dòng {FIRST + 3}, cột "{ESSAY_HEADER}": «{shown}»')
    assert_nothing_written(course, content, staff)


def test_a_sheet_for_another_class_names_both_codes(course, staff):
    other = make_graded_course(course.centre, code="DVM-04/2026")
    content = grade_sheet_xlsx(fresh(other))
    [line] = refused_lines(course, content)
    assert "«DVM-04/2026»" in line and "«DVM-03/2026»" in line
    assert_nothing_written(course, content, staff)


def test_a_changed_code_cell_is_another_class(course):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    book.active["B3"].value = "KND-01/2026"
    [line] = refused_lines(course, to_bytes(book))
    assert "«KND-01/2026»" in line


def test_an_added_row_is_refused(course, staff):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    new_row = FIRST + 7
    sheet.cell(row=new_row, column=1).value = 8
    sheet.cell(row=new_row, column=2).value = "Nguyễn Văn Mới"
    sheet.cell(row=new_row, column=5).value = 9
    content = to_bytes(book)
    lines = refused_lines(course, content)
    assert lines == [
        f"Dòng {new_row}: «Nguyễn Văn Mới» không có trong danh sách học viên đang học của lớp "
        "DVM-03/2026 (dòng thêm vào bảng điểm, hoặc học viên đã thôi học sau khi tải bảng điểm)."
    ]
    assert_nothing_written(course, content, staff)


def test_a_copied_row_is_refused(course):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    for col in range(1, 9):
        sheet.cell(row=FIRST + 7, column=col).value = sheet.cell(row=FIRST, column=col).value
    lines = refused_lines(course, to_bytes(book))
    assert lines == [
        f"Dòng {FIRST + 7}: học viên «Trần Văn An» đã có ở dòng {FIRST} (dòng bị chép trùng)."
    ]


def test_a_removed_row_is_refused(course, staff):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.delete_rows(row_of(sheet, "Lê Thị Huyền Diệu"))
    content = to_bytes(book)
    [line] = refused_lines(course, content)
    assert line.startswith("Thiếu học viên «Lê Thị Huyền Diệu» (sinh 08/04/1990)")
    assert_nothing_written(course, content, staff)


def test_a_trainee_withdrawn_since_the_download_is_a_row_too_many(course):
    content = grade_sheet_xlsx(fresh(course))
    course.enrolments.filter(trainee__full_name="Phạm Đức Đạt").update(status="withdrawn")
    [line] = refused_lines(course, content)
    assert line.startswith(f"Dòng {FIRST + 5}: «Phạm Đức Đạt» không có trong danh sách")


def test_a_changed_name_is_refused_with_row_and_both_names(course, staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", "Họ và tên"): "Trần Văn Ân"})
    [line] = refused_lines(course, content)
    assert line.startswith(
        f"Dòng {FIRST}: họ tên «Trần Văn Ân» khác với học viên của lớp «Trần Văn An»"
    )
    assert_nothing_written(course, content, staff)


def test_extra_spaces_in_a_name_are_not_a_change(course):
    content = edited(
        grade_sheet_xlsx(fresh(course)), {("Trần Văn An", "Họ và tên"): "  Trần  Văn An "}
    )
    assert plan_for(course, content).ok


def test_a_renamed_or_missing_column_is_refused(course, staff):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.cell(row=HEADER_ROW, column=column(sheet, ESSAY_HEADER)).value = "Bài tiểu luận (hệ số 2)"
    content = to_bytes(book)
    assert refused_lines(course, content) == [
        f"Thiếu cột «{ESSAY_HEADER}» (cột đã bị xóa hoặc đổi tên, hoặc bài kiểm tra được thêm "
        "sau khi tải bảng điểm).",
        "Cột «Bài tiểu luận (hệ số 2)» không khớp với bài kiểm tra nào của lớp (bài đã bị đổi "
        "tên hoặc xóa sau khi tải bảng điểm).",
    ]
    assert_nothing_written(course, content, staff)
    book = workbook(grade_sheet_xlsx(fresh(course)))
    book.active.delete_cols(column(book.active, RETAKE_HEADER))
    [line] = refused_lines(course, to_bytes(book))
    assert line.startswith(f"Thiếu cột «{RETAKE_HEADER}»")


def test_headers_match_without_case_diacritics_or_dash_kind(course):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.cell(row=HEADER_ROW, column=6).value = "BAI THU HOACH (he so 2)"
    sheet.cell(row=HEADER_ROW, column=7).value = "Thi lai - bai thu hoach"
    assert plan_for(course, to_bytes(book)).ok


def test_a_deleted_id_column_is_refused(course):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    book.active.delete_cols(8)
    [line] = refused_lines(course, to_bytes(book))
    assert line.startswith("Thiếu cột mã ghi danh")


def test_a_workbook_that_is_not_a_grade_sheet(course):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["STT", "Họ và tên"])
    [line] = refused_lines(course, to_bytes(book))
    assert line.startswith("Không thấy ô «Mã lớp:»")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "File rỗng"),
        (b"STT,Ho va ten\n1,An\n", "không phải bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel cũ (.xls)"),
        (b"PK\x03\x04garbage", "bị hỏng"),
        (b"%PDF-1.4", "không phải bảng tính Excel (.xlsx)"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_in_vietnamese(content, expected):
    with pytest.raises(GradeSheetUnreadable, match=re.escape(expected)):
        read_grade_sheet(content, "bang-diem.xlsx")


def test_a_formula_excel_never_calculated_is_an_invalid_cell(course):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): "=4+5"})
    [problem] = plan_for(course, content).problems
    assert problem.value == "(công thức)" and "công thức chưa được tính" in problem.message


def test_grading_closed_or_not_assessed_refuses_the_sheet(course, staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.CLOSED)
    [line] = refused_lines(course, content)
    assert "Đã kết thúc" in line
    assert_nothing_written(course, content, staff)
    Course.objects.filter(pk=course.pk).update(status=CourseStatus.GRADING, is_assessed=False)
    assert refused_lines(course, content) == ["Lớp chỉ xét chuyên cần, không có điểm."]


# --- who may write what ----------------------------------------------------------------------


@pytest.fixture
def graders(course, lecturer):
    """The lecturer grades the essay; a colleague grades the midterm."""
    colleague = builders.make_lecturer(course.centre, full_name="Võ Minh Tâm")
    course.assessments.filter(name=ESSAY).update(grader=lecturer.lecturer)
    course.assessments.filter(name=MIDTERM).update(grader=colleague)
    return lecturer


def test_a_lecturer_writes_the_assessments_assigned_to_them(course, graders):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {("Trần Văn An", ESSAY_HEADER): 9, ("Bùi Thị Ánh", RETAKE_HEADER): 7},
    )
    plan = apply(course, content, graders, editor=graders)
    assert len(plan.changes) == 2


def test_a_lecturer_changing_a_column_not_theirs_is_refused_listing_it(course, graders):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {
            ("Trần Văn An", ESSAY_HEADER): 9,
            ("Trần Văn An", MIDTERM_HEADER): 5,
            ("Lê Thị Huyền Diệu", MIDTERM_HEADER): 6,
        },
    )
    lines = assert_nothing_written(course, content, graders)
    assert lines == [
        f"Bạn không được sửa điểm bài «{MIDTERM}» (không phải bài bạn được giao chấm): bảng "
        f"điểm thay đổi ô của bài này ở dòng {FIRST}, {FIRST + 3}. Hãy để nguyên các ô đó như "
        "lúc tải bảng điểm về."
    ]
    # Staff may write every column of the same sheet.
    assert grade_sheet_plan(course=fresh(course), sheet=read_grade_sheet(content), editor=None).ok


def test_a_submitted_assessment_is_read_only_for_its_lecturer(course, graders):
    course.assessments.filter(name=ESSAY).update(submitted_at=timezone.now())
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    [line] = assert_nothing_written(course, content, graders)
    assert f"«{ESSAY}» (đã nộp điểm)" in line


def test_an_untouched_column_of_someone_else_is_fine(course, graders):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9.5})
    assert plan_for(course, content, graders).ok


def test_an_official_may_write_nothing(course, official):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9.5})
    [line] = refused_lines(course, content, official)
    assert line.startswith(f"Bạn không được sửa điểm bài «{ESSAY}»")
    assert official.role == Role.OFFICIAL


# --- no lost updates -------------------------------------------------------------------------


def _preview(course, content, user):
    plan = plan_for(course, content, user)
    assert plan.ok
    return plan.seen


def test_a_cell_changed_since_the_preview_is_a_conflict(course, staff, other_staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    seen = _preview(course, content, staff)
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    score.score, score.version = Decimal("6"), score.version + 1
    score.save()
    before = stored_scores(course)
    with pytest.raises(GradeSheetConflict) as conflict:
        apply(course, content, staff, editor=staff, seen=seen)
    assert stored_scores(course) == before
    assert conflict.value.lines == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": điểm đang lưu nay là 6 (có người vừa sửa), '
        "bảng điểm ghi 9"
    ]


def test_a_cell_left_as_downloaded_keeps_a_value_saved_after_the_preview(course, staff):
    """Unchanged in the sheet, changed by someone else since the preview: theirs is kept (the
    sheet holds that cell as it was at download, so it is no change of the uploader's)."""
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    seen = _preview(course, content, staff)
    Score.objects.filter(
        enrolment__trainee__full_name="Bùi Thị Ánh", assessment__name=MIDTERM
    ).update(score=Decimal("1"))
    plan = apply(course, content, staff, seen=seen)
    assert [c.trainee_name for c in plan.changes] == ["Trần Văn An"]
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("9")
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("1")


def test_someone_saving_the_same_value_is_no_conflict(course, staff):
    content = edited(
        grade_sheet_xlsx(fresh(course)),
        {("Trần Văn An", ESSAY_HEADER): 9, ("Trần Văn An", MIDTERM_HEADER): 8},
    )
    seen = _preview(course, content, staff)
    Score.objects.filter(
        enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY
    ).update(score=Decimal("9"), version=5)
    plan = apply(course, content, staff, seen=seen)
    assert [str(c) for c in plan.changes] == [f'Dòng {FIRST}, Trần Văn An, "{MIDTERM}": 7 → 8']


def test_without_a_preview_the_command_path_writes_at_once(course, staff):
    content = edited(grade_sheet_xlsx(fresh(course)), {("Trần Văn An", ESSAY_HEADER): 9})
    apply(course, content, staff)
    assert stored_scores(course)[("Trần Văn An", ESSAY)][0] == Decimal("9")


# --- a sheet downloaded before a colleague's change (issue 14) --------------------------------


@pytest.fixture
def colleague(centre):
    return builders.make_user(role=Role.STAFF, centre=centre, username="canbo_cung_tt")


def test_a_stale_sheet_never_reverts_a_colleagues_change(course, staff, colleague):
    """Download; a colleague changes a cell in the grid; the sheet changes another cell."""
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", MIDTERM, "5")
    content = edited(downloaded, {("Bùi Thị Ánh", ESSAY_HEADER): 6})
    plan = plan_for(course, content)
    assert [str(c) for c in plan.changes] == [f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{ESSAY}": 4 → 6']
    assert plan.conflicts == []
    apply(course, content, staff)
    scores = stored_scores(course)
    assert scores[("Trần Văn An", MIDTERM)][0] == Decimal("5")  # the colleague's, kept
    assert scores[("Bùi Thị Ánh", ESSAY)][0] == Decimal("6")


def test_a_cell_changed_in_the_sheet_and_in_the_app_is_a_conflict_nothing_written(
    course, staff, colleague
):
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    content = edited(
        downloaded, {("Trần Văn An", ESSAY_HEADER): 9, ("Bùi Thị Ánh", MIDTERM_HEADER): 8}
    )
    plan = plan_for(course, content)
    assert plan.ok
    assert [str(c) for c in plan.changes] == [
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{MIDTERM}": 9,25 → 8'
    ]
    [conflict] = plan.conflicts
    assert (conflict.original, conflict.old, conflict.new) == (
        Decimal("8.5"),
        Decimal("6"),
        Decimal("9"),
    )
    before = stored_scores(course)
    with pytest.raises(GradeSheetChoiceNeeded) as needed:
        apply(course, content, staff)
    assert needed.value.lines == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": lúc tải bảng điểm là 8,5, nay đang lưu 6 (có '
        "người sửa sau khi tải), bảng điểm ghi 9"
    ]
    assert stored_scores(course) == before  # not even the ordinary change


def _conflicting(course, colleague):
    """Two conflicts (An's essay, Ánh's retake) and one ordinary change (Ánh's midterm)."""
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    colleague_saves(course, colleague, "Bùi Thị Ánh", ESSAY, "7", retake=True)
    return edited(
        downloaded,
        {
            ("Trần Văn An", ESSAY_HEADER): 9,
            ("Bùi Thị Ánh", RETAKE_HEADER): 5,
            ("Bùi Thị Ánh", MIDTERM_HEADER): 8,
        },
    )


def test_keeping_the_apps_value_writes_only_the_other_changes(course, staff, colleague):
    content = _conflicting(course, colleague)
    plan = apply(course, content, staff, choice_for_all=KEEP)
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("6")
    assert scores[("Bùi Thị Ánh", ESSAY)][:2] == (Decimal("4"), Decimal("7"))
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("8")
    assert len(plan.kept) == 2
    assert plan.summary() == (
        "Đã ghi 1 ô điểm thay đổi vào lớp DVM-03/2026; giữ nguyên 2 ô điểm người khác đã sửa "
        "sau khi tải bảng điểm."
    )


def test_taking_the_sheets_value_writes_it_under_the_uploader(course, staff, colleague):
    content = _conflicting(course, colleague)
    plan = apply(course, content, staff, choice_for_all=TAKE)
    assert [str(c) for c in plan.changes] == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": 6 → 9',
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "{MIDTERM}": 9,25 → 8',
        f'Dòng {FIRST + 1}, Bùi Thị Ánh, "Thi lại – {ESSAY}": 7 → 5',
    ]
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("9")
    assert scores[("Bùi Thị Ánh", ESSAY)][1] == Decimal("5")
    score = Score.objects.get(enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY)
    assert [h.history_user for h in score.history.all()[:2]] == [staff, colleague]


def test_a_choice_per_cell_wins_and_every_conflict_needs_one(course, staff, colleague):
    content = _conflicting(course, colleague)
    an = cell_key(course, "Trần Văn An", ESSAY)
    anh = cell_key(course, "Bùi Thị Ánh", ESSAY, retake=True)
    before = stored_scores(course)
    with pytest.raises(GradeSheetChoiceNeeded) as needed:
        apply(course, content, staff, choices={an: TAKE})
    assert [c.key for c in needed.value.unresolved] == [anh]
    with pytest.raises(GradeSheetChoiceNeeded):
        apply(course, content, staff, choices={an: TAKE, anh: "khac"})
    assert stored_scores(course) == before
    apply(course, content, staff, choices={an: TAKE}, choice_for_all=KEEP)
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("9")
    assert scores[("Bùi Thị Ánh", ESSAY)][1] == Decimal("7")


def test_clears_follow_the_same_rules(course, staff, colleague):
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", MIDTERM, "5")  # the sheet clears it: conflict
    colleague_saves(course, colleague, "Bùi Thị Ánh", MIDTERM, None)  # a clear the sheet keeps
    colleague_saves(course, colleague, "Phạm Đức Đạt", ESSAY, "7")  # a first score, kept
    colleague_saves(course, colleague, "Đặng Văn Hữu", ESSAY, "6")  # the sheet types 8: conflict
    content = edited(
        downloaded,
        {
            ("Trần Văn An", MIDTERM_HEADER): None,
            ("Trần Văn An", ESSAY_HEADER): None,  # an ordinary clear
            ("Đặng Văn Hữu", ESSAY_HEADER): 8,
        },
    )
    plan = plan_for(course, content)
    assert [str(c) for c in plan.changes] == [
        f'Dòng {FIRST}, Trần Văn An, "{ESSAY}": 8,5 → (trống)'
    ]
    assert plan.conflict_lines == [
        f'Dòng {FIRST}, Trần Văn An, "{MIDTERM}": lúc tải bảng điểm là 7, nay đang lưu 5 (có '
        "người sửa sau khi tải), bảng điểm ghi (trống)",
        f'Dòng {FIRST + 6}, Đặng Văn Hữu, "{ESSAY}": lúc tải bảng điểm là (trống), nay đang lưu '
        "6 (có người sửa sau khi tải), bảng điểm ghi 8",
    ]
    apply(
        course,
        content,
        staff,
        choices={cell_key(course, "Trần Văn An", MIDTERM): TAKE},
        choice_for_all=KEEP,
    )
    scores = stored_scores(course)
    assert scores[("Trần Văn An", MIDTERM)][0] is None
    assert scores[("Trần Văn An", ESSAY)][0] is None
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] is None  # the colleague's clear, not reverted
    assert scores[("Phạm Đức Đạt", ESSAY)][0] == Decimal("7")
    assert scores[("Đặng Văn Hữu", ESSAY)][0] == Decimal("6")


def test_the_same_value_on_both_sides_is_no_conflict(course, staff, colleague):
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "9")
    plan = plan_for(course, edited(downloaded, {("Trần Văn An", ESSAY_HEADER): 9}))
    assert plan.ok and plan.changes == [] and plan.conflicts == []


def test_a_conflict_whose_app_value_moves_after_the_preview_is_asked_again(
    course, staff, colleague
):
    content = _conflicting(course, colleague)
    seen = _preview(course, content, staff)
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6.5")
    before = stored_scores(course)
    with pytest.raises(GradeSheetConflict) as moved:
        apply(course, content, staff, seen=seen, choice_for_all=TAKE)
    assert [c.trainee_name for c in moved.value.conflicts] == ["Trần Văn An"]
    assert stored_scores(course) == before


def test_a_lecturer_may_leave_a_column_a_colleague_changed(course, graders, colleague):
    downloaded = grade_sheet_xlsx(fresh(course))
    colleague_saves(course, colleague, "Trần Văn An", MIDTERM, "5")  # not the lecturer's column
    content = edited(downloaded, {("Trần Văn An", ESSAY_HEADER): 9})
    plan = apply(course, content, graders, editor=graders)
    assert len(plan.changes) == 1
    assert stored_scores(course)[("Trần Văn An", MIDTERM)][0] == Decimal("5")


# --- the hidden copy of each cell at download ------------------------------------------------


def _hidden_columns(sheet) -> dict[str, int]:
    return {
        cell.value: cell.column
        for cell in sheet[HEADER_ROW]
        if str(cell.value).startswith(ORIGINAL_PREFIX)
    }


def test_a_sheet_without_the_hidden_copies_is_refused_asking_for_a_fresh_one(course, staff):
    """An old sheet (or scores pasted into another file) cannot tell whose change is whose."""
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.delete_cols(min(_hidden_columns(sheet).values()), 3)
    sheet.cell(row=FIRST, column=column(sheet, ESSAY_HEADER)).value = 9
    content = to_bytes(book)
    plan = plan_for(course, content)
    assert plan.lines == [OLD_SHEET] and plan.needs_fresh_sheet
    assert "Hãy tải bảng điểm mới của lớp" in OLD_SHEET
    assert_nothing_written(course, content, staff)


def test_a_missing_hidden_column_is_refused_naming_it(course):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    sheet.delete_cols(_hidden_columns(sheet)[f"{ORIGINAL_PREFIX}{RETAKE_HEADER}"])
    [line] = refused_lines(course, to_bytes(book))
    assert line.startswith(f"Thiếu cột ẩn «Điểm lúc tải về (không sửa):» của cột «{RETAKE_HEADER}»")


@pytest.mark.parametrize(("value", "shown"), [("abc", "abc"), (11, "11"), ("=1+1", "(công thức)")])
def test_a_tampered_hidden_cell_is_refused_naming_it(course, staff, value, shown):
    book = workbook(grade_sheet_xlsx(fresh(course)))
    sheet = book.active
    hidden = _hidden_columns(sheet)[f"{ORIGINAL_PREFIX}{ESSAY_HEADER}"]
    sheet.cell(row=FIRST + 1, column=hidden).value = value
    content = to_bytes(book)
    plan = plan_for(course, content)
    assert plan.needs_fresh_sheet
    assert plan.lines == [
        f"Dòng {FIRST + 1}, Bùi Thị Ánh, cột ẩn «{ORIGINAL_PREFIX}{ESSAY_HEADER}»: «{shown}» "
        "không phải điểm (cột ẩn ghi điểm lúc tải về đã bị sửa, nên không biết ô nào người khác "
        "đã sửa sau khi tải)."
    ]
    assert_nothing_written(course, content, staff)


def test_the_hidden_copies_survive_a_save_by_a_spreadsheet_program(course, staff, colleague):
    """openpyxl reading and writing the whole file, as Excel does when a person saves it."""
    downloaded = grade_sheet_xlsx(fresh(course))
    book = workbook(downloaded)
    book.active.cell(row=FIRST + 1, column=column(book.active, ESSAY_HEADER)).value = 6
    saved = to_bytes(workbook(to_bytes(book)))  # saved twice, e.g. opened again the next day
    sheet = workbook(saved).active
    assert sheet.protection.sheet
    for letter in "HIJK":
        assert sheet.column_dimensions[letter].hidden, letter
    assert [sheet.cell(row=FIRST + 1, column=c).value for c in (9, 10, 11)] == [9.25, 4, 6]
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    plan = plan_for(course, saved)
    assert [c.trainee_name for c in plan.changes] == ["Bùi Thị Ánh"] and plan.conflicts == []


# --- a fixed number of queries ---------------------------------------------------------------


def _people(count):
    return [(f"Học Viên Số {n}", "M", False) for n in range(count)]


def _queries(action) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def test_export_and_compare_run_the_same_queries_at_n_and_3n(centre, staff):
    counts = []
    for size, code in ((5, "A-1"), (15, "A-2")):
        course = make_graded_course(centre, people=_people(size), code=code)
        content = grade_sheet_xlsx(fresh(course))
        rows = {f"Học Viên Số {n}": 5 + n % 5 for n in range(size)}
        content = edited(content, {(name, ESSAY_HEADER): v for name, v in rows.items()})
        sheet = read_grade_sheet(content)
        counts.append(
            (
                _queries(lambda c=course: grade_sheet_xlsx(fresh(c))),
                _queries(lambda c=course, s=sheet: grade_sheet_plan(course=c, sheet=s)),
                _queries(
                    lambda c=course, s=sheet: grade_sheet_apply(course=c, sheet=s, user=staff)
                ),
            )
        )
    assert counts[0] == counts[1]

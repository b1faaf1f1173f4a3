"""manage.py export_course: exit codes 0/1/2, atomic -o, the export log (DESIGN §9)."""

import pytest
from django.db import connections
from openpyxl import load_workbook

from lophoc.management.commands.export_course import Command
from tests import builders
from tests.lophoc.document_helpers import IN_ORDER, make_documents_course
from tests.pdf_reading import pdf_pages
from trungtam.models import ExportLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends; the test transaction needs it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def documents_course(centre):
    return make_documents_course(centre)


def run(*args) -> int:
    """Run the command as from a shell and return its exit code."""
    # --skip-checks: the test settings' string_if_invalid (--fail-on-template-vars) trips a check.
    try:
        Command().run_from_argv(["manage.py", "export_course", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_enrolment_pdf_is_written_and_logged(documents_course, tmp_path, capsys):
    target = tmp_path / "danh-sach.pdf"
    code = run(
        "--course", "DVM-03/2026", "--document", "enrolment", "--format", "pdf", "-o", str(target)
    )
    assert code == 0
    assert capsys.readouterr().out.strip() == str(target)
    text = "\n".join(pdf_pages(target.read_bytes()))
    assert "DANH SÁCH HỌC VIÊN" in text and "Trần Văn An" in text
    assert [p.name for p in tmp_path.iterdir()] == ["danh-sach.pdf"]
    log = ExportLog.objects.get()
    assert log.username == "system-export_course"
    assert log.filename == "danh-sach.pdf" and log.rows == 7
    assert log.centre == documents_course.centre


def test_attendance_xlsx_with_a_named_user(documents_course, staff, tmp_path):
    target = tmp_path / "diem-danh.xlsx"
    code = run(
        "--course", "DVM-03/2026", "--centre", "TTA", "--document", "attendance",
        "--format", "xlsx", "-o", str(target), "--user", "canbo",
    )  # fmt: skip
    assert code == 0
    sheet = load_workbook(target).active
    assert sheet["A5"].value == "BẢNG ĐIỂM DANH"
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert [n for n in names if n in IN_ORDER] == IN_ORDER
    assert ExportLog.objects.get().user == staff


def test_unknown_course_exits_1_and_writes_nothing(db, tmp_path, capsys):
    target = tmp_path / "x.pdf"
    code = run(
        "--course", "KHONG-CO", "--document", "enrolment", "--format", "pdf", "-o", str(target)
    )
    assert code == 1
    assert "Không có lớp mã" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert not ExportLog.objects.exists()


def test_ambiguous_course_exits_1_listing_the_centres(
    documents_course, other_centre, tmp_path, capsys
):
    builders.make_course(other_centre, code="DVM-03/2026")
    target = tmp_path / "x.pdf"
    code = run(
        "--course", "DVM-03/2026", "--document", "enrolment", "--format", "pdf", "-o", str(target)
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "TTA" in err and "TTB" in err
    assert not target.exists()


def test_an_existing_file_is_kept_when_the_export_fails(db, tmp_path):
    target = tmp_path / "cu.pdf"
    target.write_bytes(b"old")
    code = run(
        "--course", "KHONG-CO", "--document", "enrolment", "--format", "pdf", "-o", str(target)
    )
    assert code == 1
    assert target.read_bytes() == b"old"


def test_grades_xlsx_is_the_grade_sheet_to_fill_in(documents_course, tmp_path):
    target = tmp_path / "bang-diem.xlsx"
    code = run(
        "--course", "DVM-03/2026", "--document", "grades", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0
    sheet = load_workbook(target).active
    assert (sheet["A3"].value, sheet["B3"].value) == ("Mã lớp:", "DVM-03/2026")
    assert ExportLog.objects.get().rows == 7


@pytest.mark.parametrize("document", ["results", "notices"])
def test_results_not_computed_yet_exit_1_with_a_clear_message(
    documents_course, tmp_path, capsys, document
):
    target = tmp_path / "x.pdf"
    code = run(
        "--course", "DVM-03/2026", "--document", document, "--format", "pdf", "-o", str(target)
    )
    assert code == 1
    assert "chưa tính kết quả học tập" in capsys.readouterr().err
    assert not target.exists()
    assert not ExportLog.objects.exists()


def test_notices_are_pdf_only(documents_course, tmp_path, capsys):
    target = tmp_path / "x.xlsx"
    code = run(
        "--course", "DVM-03/2026", "--document", "notices", "--format", "xlsx", "-o", str(target)
    )
    assert code == 2
    assert "chỉ xuất được dạng pdf" in capsys.readouterr().err
    assert not target.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--course", "DVM-03/2026", "--document", "enrolment", "--format", "docx", "-o", "x"],
        ["--course", "DVM-03/2026", "--document", "bang-luong", "--format", "pdf", "-o", "x"],
        ["--course", "DVM-03/2026", "--document", "enrolment", "--format", "pdf"],
    ],
)
def test_wrong_usage_exits_2(documents_course, tmp_path, args):
    assert run(*args) == 2


def test_unknown_user_and_missing_folder_exit_2(documents_course, tmp_path):
    common = ["--course", "DVM-03/2026", "--document", "enrolment", "--format", "pdf"]
    assert run(*common, "-o", str(tmp_path / "a.pdf"), "--user", "khong-ai") == 2
    assert run(*common, "-o", str(tmp_path / "khong-co" / "a.pdf")) == 2
    assert list(tmp_path.iterdir()) == []
    assert not ExportLog.objects.exists()


def test_help_is_vietnamese(capsys):
    assert run("--help") == 0
    out = capsys.readouterr().out
    assert "Xuất tài liệu của một lớp học" in out
    assert "danh sách học viên" in out and "--course" in out


@pytest.mark.parametrize(
    "who, says",
    [
        ("other_staff", "không được xuất tài liệu của lớp DVM-03/2026"),
        ("official", "không có quyền xuất tài liệu của"),
        ("lecturer", "không có quyền xuất tài liệu của"),
    ],
)
def test_a_user_outside_the_class_or_without_the_right_exits_1_and_writes_nothing(
    documents_course, tmp_path, capsys, request, who, says
):
    # Otherwise another centre's class would print with this person as «Người lập biểu».
    user = request.getfixturevalue(who)
    target = tmp_path / "danh-sach.pdf"
    code = run(
        "--course", "DVM-03/2026", "--document", "enrolment", "--format", "pdf",
        "-o", str(target), "--user", user.username,
    )  # fmt: skip
    assert code == 1
    assert says in capsys.readouterr().err
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert not ExportLog.objects.exists()

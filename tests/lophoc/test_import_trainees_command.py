"""manage.py import_trainees FILE --course CODE (DESIGN §9): exit codes, stderr lines, summary."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hocvien.models import Trainee, Unit
from lophoc.management.commands.import_trainees import Command
from lophoc.models import Enrolment
from tests import builders
from tests.lophoc.nominee_files import (
    first_data_row,
    national_id,
    nominee,
    person_name,
    tcvn3,
    xlsx,
    xlsx_people,
)

ROW = first_data_row()
ROOT = Path(__file__).resolve().parents[2]


def counts():
    return (Trainee.objects.count(), Unit.objects.count(), Enrolment.objects.count())


def write(tmp_path, content, name="danh-sach.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_trainees", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args):
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_trainees", *args, stdout=StringIO(), stderr=err)
    return error.value.returncode, err.getvalue().splitlines()


def manage(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trungtam.settings.test"}
    return subprocess.run(
        [sys.executable, "manage.py", "import_trainees", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db
def test_it_imports_and_prints_a_summary_with_new_units(tmp_path, course, staff):
    builders.make_trainee(course.centre, national_id=national_id(2))
    rows = [nominee(1), nominee(2), nominee(3, unit="Trường THCS Phú Lợi")]
    out, err = run(write(tmp_path, xlsx(rows)), "--course", course.code, "--user", "canbo")
    assert err == ""
    assert out.splitlines()[:4] == [
        f"Đã ghi danh 3 học viên vào lớp {course.code}: 2 học viên mới, "
        "1 học viên đã có (khớp số CCCD); tạo 2 đơn vị mới.",
        "Đơn vị mới đã tạo (2):",
        "- Xã Phú Lợi",
        "- Trường THCS Phú Lợi",
    ]
    assert Enrolment.objects.filter(course=course).count() == 3
    trainee = Trainee.objects.get(national_id=national_id(1))
    assert trainee.history.get().history_user == staff


@pytest.mark.django_db
def test_without_user_changes_are_recorded_under_a_system_user(tmp_path, course):
    run(write(tmp_path, xlsx_people(1)), "--course", course.code)
    history = Trainee.objects.get().history.get()
    assert history.history_user.username == "system-import_trainees"


@pytest.mark.django_db
def test_bad_rows_exit_1_with_one_line_per_error_and_nothing_written(tmp_path, course):
    before = counts()
    rows = [nominee(1), nominee(2, dob="31/02/1990"), nominee(3, cccd="12345")]
    code, lines = run_failing(write(tmp_path, xlsx(rows)), "--course", course.code)
    assert code == 1
    assert lines[:2] == [
        f'Dòng {ROW + 1}, cột "Ngày sinh": "31/02/1990" không phải ngày hợp lệ',
        f'Dòng {ROW + 2}, cột "Số CCCD": "12345" không phải số CCCD hợp lệ: số CCCD gồm đúng '
        "12 chữ số",
    ]
    assert lines[2].startswith(f"Không ghi gì vào lớp {course.code}")
    assert counts() == before


@pytest.mark.django_db
def test_the_command_never_matches_by_name_and_birth_date(tmp_path, course):
    import datetime

    builders.make_trainee(
        course.centre, full_name=person_name(1), date_of_birth=datetime.date(1990, 2, 2)
    )
    out, _ = run(write(tmp_path, xlsx([nominee(1, cccd=None)])), "--course", course.code)
    assert "1 học viên mới" in out
    assert Trainee.objects.filter(full_name=person_name(1)).count() == 2


@pytest.mark.django_db
def test_a_trainee_already_in_the_class_and_capacity_are_bad_data(tmp_path, course):
    course.capacity = 2
    course.save()
    trainee = builders.make_trainee(course.centre, national_id=national_id(1))
    builders.make_enrolment(course, trainee)
    before = counts()
    code, lines = run_failing(write(tmp_path, xlsx_people(2)), "--course", course.code)
    assert code == 1
    assert lines[0].startswith("Lớp chỉ nhận tối đa 2 học viên")
    assert lines[1].startswith(f"Dòng {ROW}: học viên {trainee.full_name}")
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "File rỗng"),
        (b"STT,Ho va ten\n1,An\n", "CSV"),
        (xlsx([nominee(1, name=tcvn3("Nguyễn Văn An"))]), "TCVN3"),
        (xlsx([[1, "Lê Văn Tám"]], header=["STT", "Họ và tên"]), '"Ngày sinh", "Giới tính"'),
    ],
    ids=["empty", "csv", "tcvn3", "header"],
)
def test_bad_files_exit_1(tmp_path, course, content, expected):
    before = counts()
    code, lines = run_failing(write(tmp_path, content), "--course", course.code)
    assert code == 1 and expected in lines[0]
    assert counts() == before


@pytest.mark.django_db
def test_unknown_and_ambiguous_course_codes_exit_1(tmp_path, centre, other_centre):
    path = write(tmp_path, xlsx_people(1))
    assert run_failing(path, "--course", "KHONG-CO")[0] == 1
    builders.make_course(centre, code="KND-01/2026")
    mine = builders.make_course(other_centre, code="KND-01/2026")
    code, lines = run_failing(path, "--course", "KND-01/2026")
    assert code == 1 and "TTA" in lines[0] and "TTB" in lines[0]
    run(path, "--course", "KND-01/2026", "--centre", "TTB")
    assert Enrolment.objects.get().course == mine


@pytest.mark.django_db
def test_a_missing_file_or_unknown_user_is_wrong_usage(tmp_path, course):
    code, lines = run_failing(str(tmp_path / "khong-co.xlsx"), "--course", course.code)
    assert code == 2 and "Không tìm thấy file" in lines[0]
    code, lines = run_failing(
        write(tmp_path, xlsx_people(1)), "--course", course.code, "--user", "ai"
    )
    assert code == 2 and "Không có người dùng «ai»" in lines[0]


@pytest.mark.django_db
def test_from_the_command_line_errors_are_bare_lines_and_the_exit_code(
    tmp_path, course, capsys, monkeypatch
):
    # run_from_argv closes connections when done; keep the test's transaction open.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    path = write(tmp_path, xlsx([nominee(1, dob="31/02/1990")]))
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(
            ["manage.py", "import_trainees", path, "--course", course.code, "--skip-checks"]
        )
    assert exit_.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f'Dòng {ROW}, cột "Ngày sinh": "31/02/1990" không phải ngày hợp lệ'
    assert not any("BadData" in line or "CommandError" in line for line in err)


def test_missing_options_exit_2_in_vietnamese():
    result = manage("danh-sach.xlsx")
    assert result.returncode == 2
    assert "thiếu tham số bắt buộc: --course" in result.stderr
    assert manage().returncode == 2


def test_help_is_in_vietnamese():
    result = manage("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Cách dùng: ")
    for text in ("Nhập danh sách học viên", "Mã lớp", "tùy chọn", "Hiện hướng dẫn này rồi thoát"):
        assert text in result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, says",
    [
        ("other_staff", "không được nhập danh sách học viên vào lớp"),
        ("lecturer", "không có quyền nhập danh sách học viên vào"),
    ],
)
def test_a_user_outside_the_class_or_without_the_right_exits_1_and_writes_nothing(
    tmp_path, course, request, who, says
):
    user = request.getfixturevalue(who)
    path = write(tmp_path, xlsx_people(2))
    code, lines = run_failing(path, "--course", course.code, "--user", user.username)
    assert code == 1 and says in lines[0]
    assert not Enrolment.objects.exists() and not Trainee.objects.exists()

"""manage.py yearly_report: one centre or all, PDF or XLSX, exit codes 0/1/2, atomic -o."""

import datetime
from io import BytesIO

import pytest
from django.db import connections
from openpyxl import load_workbook

from tests import builders
from tests.pdf_reading import pdf_pages
from tests.reports.yearly_helpers import WRITTEN, YEAR, full_year
from trungtam.reports import yearly
from trungtam.reports.management.commands.yearly_report import Command

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    # run_from_argv closes every connection when it ends; the test transaction needs it open.
    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.fixture
def year(centre):
    return full_year(centre, classes=1)


def run(*args) -> int:
    try:
        Command().run_from_argv(["manage.py", "yearly_report", *args, "--skip-checks"])
    except SystemExit as exit:
        return exit.code
    return 0


def test_one_centres_pdf(year, centre, other_centre, tmp_path, capsys):
    target = tmp_path / "bao-cao.pdf"
    assert run(str(YEAR), "--centre", "TTA", "--format", "pdf", "-o", str(target)) == 0
    assert capsys.readouterr().out.strip() == str(target)
    pages = pdf_pages(target.read_bytes())
    assert all("DỰ THẢO" in page for page in pages)
    assert "Kết quả công tác đào tạo, bồi dưỡng năm 2026" in pages[0]
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.pdf"]


def test_a_sent_report_is_written_the_same_every_time(year, centre, tmp_path):
    report = yearly.report_save(
        report=yearly.report_for(centre, YEAR),
        values={
            "number": "3",
            "report_date": datetime.date(YEAR, 12, 1),
            **WRITTEN,
            "results_text": "a",
            "limitations_text": "b",
            "direction_text": "c",
        },
        user=None,
    )
    yearly.report_send(report=report, user=None)
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert run(str(YEAR), "--centre", "TTA", "--format", "pdf", "-o", str(first)) == 0
    year.closed_class()
    assert run(str(YEAR), "--centre", "TTA", "--format", "pdf", "-o", str(second)) == 0
    assert first.read_bytes() == second.read_bytes()
    assert not any("DỰ THẢO" in page for page in pdf_pages(first.read_bytes()))


def test_without_centre_several_centres_give_the_all_centres_report(year, centre, other_centre,
                                                                    tmp_path):  # fmt: skip
    builders.make_report_issuer()
    target = tmp_path / "tong-hop.xlsx"
    assert run(str(YEAR), "--format", "xlsx", "-o", str(target)) == 0
    book = load_workbook(BytesIO(target.read_bytes()))
    names = [row[1] for row in book["I. Lớp học"].iter_rows(values_only=True)]
    assert centre.name in names and other_centre.name in names and "Tổng cộng" in names


def test_without_centre_a_single_centre_gives_its_own_report(year, centre, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    assert run(str(YEAR), "--format", "xlsx", "-o", str(target)) == 0
    book = load_workbook(BytesIO(target.read_bytes()))
    names = [row[1] for row in book["I. Lớp học"].iter_rows(values_only=True)]
    assert "Bồi dưỡng nhận thức về Đảng" in names and centre.name not in names


def test_an_unknown_centre_exits_1_and_writes_nothing(year, tmp_path, capsys):
    target = tmp_path / "x.pdf"
    assert run(str(YEAR), "--centre", "KHONG", "--format", "pdf", "-o", str(target)) == 1
    assert "Không có trung tâm mã «KHONG»." in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_no_centre_at_all_exits_1(db, tmp_path, capsys):
    assert run(str(YEAR), "--format", "pdf", "-o", str(tmp_path / "x.pdf")) == 1
    assert "Chưa có trung tâm nào" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args, message",
    [
        (["abc", "--format", "pdf"], "không phải một năm"),
        (["1990", "--format", "pdf"], "Năm 1990 không hợp lệ"),
        (["2026", "--format", "doc"], "tham số --format"),
        (["2026"], "thiếu tham số bắt buộc"),
    ],
)
def test_wrong_usage_exits_2(year, tmp_path, capsys, args, message):
    assert run(*args, "-o", str(tmp_path / "x.pdf")) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_exits_2(year, tmp_path, capsys):
    target = tmp_path / "khong-co" / "x.pdf"
    assert run(str(YEAR), "--centre", "TTA", "--format", "pdf", "-o", str(target)) == 2
    assert "không tồn tại" in capsys.readouterr().err


def test_a_failure_while_writing_leaves_the_old_file_and_no_temporary(year, tmp_path,
                                                                       monkeypatch):  # fmt: skip
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"old")

    def failing_rename(source, destination):
        raise OSError("đĩa đầy")

    monkeypatch.setattr("trungtam.commands.os.replace", failing_rename)
    with pytest.raises(OSError):
        run(str(YEAR), "--centre", "TTA", "--format", "pdf", "-o", str(target))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.pdf"]


def test_help_is_in_vietnamese(capsys):
    assert run("--help") == 0
    out = capsys.readouterr().out
    assert "Cách dùng:" in out and "báo cáo tổng hợp" in out

"""Reading nominee files (DESIGN §9 "Nominee list", §12 old encodings): pure, no database."""

import datetime
import io
import unicodedata
import zipfile

import pytest

from lophoc.nominee_import import MAX_ROWS, nominee_template_xlsx, parse_nominee_file
from lophoc.nominee_import.reading import MAX_FILE_BYTES, OLE2_MAGIC
from tests.lophoc.nominee_files import (
    HEADER,
    TITLES,
    first_data_row,
    national_id,
    nominee,
    person_name,
    tcvn3,
    vni,
    xls,
    xlsx,
    xlsx_people,
)

TODAY = datetime.date(2026, 3, 1)
ROW = first_data_row()


def parse(content, filename="danh-sach.xlsx"):
    return parse_nominee_file(content, filename, today=TODAY)


def lines(parsed):
    return [str(problem) for problem in parsed.problems]


def only_row(content):
    parsed = parse(content)
    assert parsed.ok, lines(parsed)
    assert len(parsed.rows) == 1
    return parsed.rows[0]


def test_it_reads_rows_under_title_rows_and_merged_title_cells():
    parsed = parse(xlsx_people(3))
    assert parsed.ok, lines(parsed)
    assert parsed.header_row == len(TITLES) + 2
    assert [row.row for row in parsed.rows] == [ROW, ROW + 1, ROW + 2]
    first = parsed.rows[0]
    assert first.full_name == person_name(1)
    assert first.date_of_birth == datetime.date(1990, 2, 2)
    assert first.gender == "F"
    assert first.national_id == national_id(1)
    assert first.unit_name == "Xã Phú Lợi"
    assert first.position == "Bí thư Chi đoàn"
    assert first.phone == "0912300001"


def test_it_reads_a_header_on_the_first_row_without_titles():
    parsed = parse(xlsx([nominee(1)], titles=[]))
    assert parsed.ok and parsed.header_row == 1 and parsed.rows[0].row == 2


def test_the_header_must_be_within_the_first_15_rows():
    titles = [f"Dòng tiêu đề {n}" for n in range(15)]
    parsed = parse(xlsx([nominee(1)], titles=titles))
    assert parsed.fatal
    assert 'Không tìm thấy dòng tiêu đề có cột "Họ và tên"' in lines(parsed)[0]


@pytest.mark.parametrize(
    "header",
    [
        ["stt", "HỌ VÀ TÊN *", "Ngày sinh (ngày/tháng/năm)", "GIỚI TÍNH*", "Dân  tộc", "CCCD"],
        ["STT", "Ho va ten", "ngay sinh:", "gioi tinh", "dan toc", "Căn cước"],
        ["TT", "Họ tên", "Ngày, tháng, năm sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số căn cước công dân"],
    ],
)
def test_headers_are_matched_ignoring_case_diacritics_spaces_and_marks(header):
    row = [1, "Trần Thị Bình", "17/05/1990", "Nữ", "Tày", "001090012345"]
    parsed_row = only_row(xlsx([row], header=header))
    assert parsed_row.full_name == "Trần Thị Bình"
    assert parsed_row.national_id == "001090012345"
    assert parsed_row.ethnicity == "Tày"


def test_extra_columns_and_column_order_do_not_matter():
    header = ["Ghi chú", "Giới tính", "Họ và tên", "Quê quán", "Ngày sinh"]
    parsed_row = only_row(xlsx([["mới", "Nam", "Lê Văn Tám", "Huế", "01/02/1985"]], header=header))
    assert (parsed_row.full_name, parsed_row.gender) == ("Lê Văn Tám", "M")
    assert parsed_row.date_of_birth == datetime.date(1985, 2, 1)
    assert parsed_row.national_id is None and parsed_row.unit_name == ""


def test_missing_required_columns_give_one_error_naming_them():
    header = ["STT", "Họ và tên", "Đơn vị"]
    parsed = parse(xlsx([[1, "Lê Văn Tám", "Xã A"]], header=header))
    assert parsed.fatal and len(parsed.problems) == 1
    message = lines(parsed)[0]
    assert '"Ngày sinh", "Giới tính"' in message and f"dòng {len(TITLES) + 2}" in message


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1090012345, "001090012345"),  # numeric cell: two leading zeros lost
        (12090012345, "012090012345"),  # numeric cell: one leading zero lost
        (1203004567.0, "001203004567"),  # a float from the spreadsheet
        (301090012345, "301090012345"),
        ("001090012345", "001090012345"),
        ("01090012345", "001090012345"),  # text copied from a numeric cell: 11 digits
        ("001 090 012 345", "001090012345"),
        ("'001090012345", "001090012345"),
    ],
)
def test_national_ids_lose_no_leading_zero(cell, expected):
    assert only_row(xlsx([nominee(1, cccd=cell)])).national_id == expected


@pytest.mark.parametrize("cell", ["12345", "0010900123456", "00109001234A", 12345.5, "123456789"])
def test_bad_national_ids_are_errors(cell):
    parsed = parse(xlsx([nominee(1, cccd=cell)]))
    assert not parsed.ok
    assert lines(parsed)[0].startswith(f'Dòng {ROW}, cột "Số CCCD": ')


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime.datetime(1990, 5, 17), datetime.date(1990, 5, 17)),
        ("17/05/1990", datetime.date(1990, 5, 17)),
        ("5/3/1990", datetime.date(1990, 3, 5)),  # d/m/yyyy: 5 March, never 3 May
        ("05-03-1990", datetime.date(1990, 3, 5)),
        ("1990-03-05", datetime.date(1990, 3, 5)),
        (32939, datetime.date(1990, 3, 7)),  # a date cell that lost its format
    ],
)
def test_dates_are_excel_dates_or_day_month_year(cell, expected):
    assert only_row(xlsx([nominee(1, dob=cell)])).date_of_birth == expected


def test_an_impossible_date_names_row_column_and_value():
    parsed = parse(xlsx([nominee(1), nominee(2, dob="31/02/1990")]))
    assert lines(parsed) == [
        f'Dòng {ROW + 1}, cột "Ngày sinh": "31/02/1990" không phải ngày hợp lệ'
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1990", "không phải ngày hợp lệ; hãy ghi ngày/tháng/năm"),
        ("17/05/2030", "không được ở tương lai"),
        ("17/05/2015", "cho tuổi 10: tuổi học viên phải từ 15 đến 100"),
        ("17/05/1900", "cho tuổi 125"),
        (None, "chưa ghi ngày sinh (cột bắt buộc)"),
    ],
)
def test_bad_birth_dates_are_errors(cell, expected):
    parsed = parse(xlsx([nominee(1, dob=cell)]))
    assert len(parsed.problems) == 1 and expected in lines(parsed)[0]
    assert lines(parsed)[0].startswith(f'Dòng {ROW}, cột "Ngày sinh"')


@pytest.mark.parametrize(
    ("cell", "expected"), [("Nam", "M"), ("NAM", "M"), ("Nữ", "F"), ("nu", "F"), ("NỮ", "F")]
)
def test_gender_is_read_without_regard_to_case_or_diacritics(cell, expected):
    assert only_row(xlsx([nominee(1, gender=cell)])).gender == expected


@pytest.mark.parametrize("cell", ["M", "Khác", None])
def test_bad_gender_is_an_error(cell):
    parsed = parse(xlsx([nominee(1, gender=cell)]))
    assert lines(parsed)[0].startswith(f'Dòng {ROW}, cột "Giới tính"')


@pytest.mark.parametrize(
    ("cell", "expected"), [("x", True), ("X", True), ("có", True), ("Có", True), (None, False)]
)
def test_party_membership_is_x_or_co_or_blank(cell, expected):
    assert only_row(xlsx([nominee(1, party=cell)])).is_party_member is expected


def test_other_party_values_are_errors():
    parsed = parse(xlsx([nominee(1, party="đảng viên dự bị")]))
    assert lines(parsed)[0].startswith(f'Dòng {ROW}, cột "Đảng viên": "đảng viên dự bị" ')


def test_blank_rows_and_rows_with_only_stt_are_skipped():
    rows = [nominee(1), [None] * 10, [2] + [None] * 9, nominee(3), ["", "  ", None]]
    parsed = parse(xlsx(rows))
    assert parsed.ok, lines(parsed)
    assert [row.row for row in parsed.rows] == [ROW, ROW + 3]


def test_a_row_of_column_numbers_under_the_header_is_skipped():
    numbering = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)"]
    parsed = parse(xlsx([numbering, nominee(1)]))
    assert parsed.ok and [row.row for row in parsed.rows] == [ROW + 1]


def test_names_are_nfc_with_spaces_collapsed_and_capitals_tidied():
    decomposed = unicodedata.normalize("NFD", "Nguyễn   Thị  Lệ ")
    assert only_row(xlsx([nominee(1, name=decomposed)])).full_name == "Nguyễn Thị Lệ"
    assert only_row(xlsx([nominee(1, name="NGUYỄN VĂN AN")])).full_name == "Nguyễn Văn An"


def test_a_name_with_digits_is_an_error():
    parsed = parse(xlsx([nominee(1, name="Nguyễn Văn 3")]))
    assert lines(parsed)[0].startswith(f'Dòng {ROW}, cột "Họ và tên": "Nguyễn Văn 3"')


def test_the_same_national_id_twice_is_an_error_naming_both_rows():
    parsed = parse(xlsx([nominee(1), nominee(2, cccd=national_id(1))]))
    assert lines(parsed) == [
        f'Dòng {ROW + 1}, cột "Số CCCD": "{national_id(1)}" trùng số CCCD với dòng {ROW}'
    ]


def test_the_same_name_and_birth_date_twice_is_an_error():
    twin = nominee(1, cccd=None)
    parsed = parse(xlsx([nominee(1, cccd=None), twin]))
    assert len(parsed.problems) == 1
    assert lines(parsed)[0].startswith(f"Dòng {ROW + 1}: trùng họ tên và ngày sinh với dòng {ROW}")


def test_names_are_compared_with_their_diacritics():
    rows = [nominee(1, name="Lê Văn An", cccd=None), nominee(2, name="Lệ Văn An", cccd=None)]
    rows[1][2] = rows[0][2]
    assert parse(xlsx(rows)).ok


def test_same_name_and_birthday_with_two_different_ids_are_two_people():
    rows = [nominee(1), nominee(2, name=person_name(1))]
    rows[1][2] = rows[0][2]
    assert parse(xlsx(rows)).ok


def test_every_bad_row_is_reported():
    rows = [nominee(1, dob="31/02/1990"), nominee(2, gender="?"), nominee(3, cccd="12")]
    assert [problem.row for problem in parse(xlsx(rows)).problems] == [ROW, ROW + 1, ROW + 2]


def test_the_row_limit():
    parsed = parse(xlsx_people(MAX_ROWS + 1))
    assert parsed.fatal and f"giới hạn {MAX_ROWS} dòng" in lines(parsed)[0]


def test_the_size_limit():
    parsed = parse(b"PK\x03\x04" + b"\x00" * MAX_FILE_BYTES)
    assert parsed.fatal and "File quá lớn" in lines(parsed)[0]


def test_a_header_without_rows_is_refused():
    parsed = parse(xlsx([]))
    assert parsed.fatal and "Không có học viên nào bên dưới dòng tiêu đề" in lines(parsed)[0]


def _zip(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "danh-sach.xlsx", "File rỗng"),
        (
            "STT,Họ và tên,Ngày sinh\n1,Nguyễn Văn An,17/05/1990\n".encode(),
            "danh-sach.xlsx",
            "CSV",
        ),
        (bytes(range(256)) * 4, "danh-sach.xlsx", "không phải bảng tính Excel"),
        (_zip({"a.txt": "xin chào"}), "danh-sach.xlsx", "tệp nén (.zip)"),
        (_zip({"word/document.xml": "<w/>"}), "danh-sach.xlsx", "văn bản Word"),
        (
            _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
            "a.xlsx",
            "OpenDocument",
        ),
        (_zip({"xl/workbook.xml": "<not a workbook"}), "a.xlsx", "bị hỏng"),
        (b"PK\x03\x04 broken archive", "a.xlsx", "bị hỏng"),
        (b"<html><table><tr><td>An</td></tr></table></html>", "a.xls", "trang web (HTML)"),
        (
            OLE2_MAGIC + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 600,
            "a.xlsx",
            "đặt mật khẩu",
        ),
        (OLE2_MAGIC + b"\x00" * 1000, "a.xls", "Không đọc được file .xls"),
    ],
    ids=[
        "empty",
        "csv-renamed",
        "random-bytes",
        "zip",
        "docx",
        "ods",
        "broken-xlsx",
        "broken-zip",
        "html-as-xls",
        "password",
        "unreadable-xls",
    ],
)
def test_files_that_are_not_workbooks_are_refused_with_a_clear_message(content, filename, expected):
    parsed = parse(content, filename)
    assert parsed.fatal and not parsed.rows
    assert expected in lines(parsed)[0]


def test_an_xls_file_is_read_like_an_xlsx():
    rows = [nominee(1, cccd=1090000001), nominee(2, dob="05/03/1991"), nominee(3)]
    parsed = parse(xls(rows), "danh-sach.xls")
    assert parsed.ok, lines(parsed)
    assert parsed.kind == "xls"
    assert [row.full_name for row in parsed.rows] == [person_name(i) for i in (1, 2, 3)]
    assert parsed.rows[0].national_id == "001090000001"
    assert parsed.rows[0].date_of_birth == datetime.date(1990, 2, 2)
    assert parsed.rows[1].date_of_birth == datetime.date(1991, 3, 5)
    assert parsed.rows[0].row == ROW


def test_an_xls_with_bad_rows_reports_them():
    parsed = parse(xls([nominee(1, dob="31/02/1990")]), "a.xls")
    assert lines(parsed) == [f'Dòng {ROW}, cột "Ngày sinh": "31/02/1990" không phải ngày hợp lệ']


@pytest.mark.parametrize(("encode", "label"), [(tcvn3, "TCVN3"), (vni, "VNI")])
def test_text_in_old_font_encodings_is_refused_with_how_to_convert(encode, label):
    rows = [
        nominee(1, name=encode("Nguyễn Văn An"), unit=encode("Xã Phú Lợi")),
        nominee(2, name=encode("Trần Thị Bích Ngọc"), position=encode("Bí thư Chi bộ")),
    ]
    parsed = parse(xlsx(rows))
    assert parsed.fatal and not parsed.rows
    advice = lines(parsed)[0]
    assert label in advice and "Unicode" in advice and "Unikey" in advice
    assert f'Dòng {ROW}, cột "Họ và tên": "{encode("Nguyễn Văn An")}"' in lines(parsed)[1]
    assert any('cột "Đơn vị"' in line for line in lines(parsed))


def test_old_encodings_in_an_xls_are_refused_too():
    parsed = parse(xls([nominee(1, name=tcvn3("Lê Thị Hồng"))]), "cu.xls")
    assert parsed.fatal and "TCVN3" in lines(parsed)[0]


def test_the_template_is_read_back_and_its_example_row_is_skipped():
    content = nominee_template_xlsx()
    parsed = parse(content)
    assert parsed.header_row == 5
    assert set(parsed.columns) == {
        "seq",
        "full_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "national_id",
        "position",
        "unit",
        "party",
        "phone",
    }
    assert parsed.fatal and "Không có học viên nào" in lines(parsed)[0]


def test_a_filled_template_imports():
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(nominee_template_xlsx()))
    sheet = workbook.worksheets[0]
    for column, value in enumerate(nominee(1), start=1):
        sheet.cell(row=7, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse(buffer.getvalue())
    assert parsed.ok, lines(parsed)
    assert [row.row for row in parsed.rows] == [7]


def test_header_labels_are_those_of_the_design():
    assert HEADER[1:4] == ["Họ và tên", "Ngày sinh", "Giới tính"]

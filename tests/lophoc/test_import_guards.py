"""Guards the property tests (tests/property/) led to in the two imports: zip bombs, hidden
characters, digits of other scripts, and size messages that give the size and the limit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hocvien.models import Trainee
from lophoc.grade_sheet import GradeSheetUnreadable, read_grade_sheet
from lophoc.grade_sheet_forms import GradeSheetUploadForm
from lophoc.import_forms import NomineeUploadForm
from lophoc.models import CourseStatus
from lophoc.nominee_import import MAX_FILE_BYTES, parse_nominee_file
from lophoc.nominee_import.reading import MAX_UNCOMPRESSED_BYTES
from tests import builders
from tests.guards import nothing_inflated
from tests.lophoc.nominee_files import HEADER, biff8, first_data_row, nominee, ole2, xlsx
from tests.property.files import raw_zip, zip_bomb

ROW = first_data_row()


def xls(*rows) -> bytes:
    return ole2(biff8([HEADER, *rows]))


def lines(parsed) -> list[str]:
    return [str(problem) for problem in parsed.problems]


# --- zip bombs -------------------------------------------------------------------------------


@pytest.mark.parametrize("megabytes", [8, 60, 300])
def test_a_zip_bomb_nominee_list_is_refused_from_its_directory(megabytes):
    bomb = zip_bomb(megabytes)
    with nothing_inflated():
        parsed = parse_nominee_file(bomb, "danh-sach.xlsx")
    assert parsed.fatal
    assert "khi giải nén" in lines(parsed)[0]
    assert "không phải một bảng tính bình thường" in lines(parsed)[0]


@pytest.mark.parametrize("megabytes", [8, 60, 300])
def test_a_zip_bomb_grade_sheet_is_refused_from_its_directory(megabytes):
    bomb = zip_bomb(megabytes)
    with nothing_inflated(), pytest.raises(GradeSheetUnreadable, match="khi giải nén"):
        read_grade_sheet(bomb, "bang-diem.xlsx")


def test_the_total_inflated_size_is_limited_too():
    """Many members, each modest, adding up past the limit."""
    member = b"x" * 1024
    count = MAX_UNCOMPRESSED_BYTES // (6 * 1024 * 1024) + 1
    members = [("xl/workbook.xml", member, 0, 0, len(member))] + [
        (f"xl/media/image{n}.bin", member, 0, 0, 6 * 1024 * 1024) for n in range(count)
    ]
    parsed = parse_nominee_file(raw_zip(members), "danh-sach.xlsx")
    assert parsed.fatal and "khi giải nén" in lines(parsed)[0]


def test_a_damaged_mimetype_member_is_a_clear_refusal_not_a_crash():
    """A zip whose 'mimetype' cannot be inflated (it used to raise zlib.error: a 500)."""
    broken = raw_zip([("mimetype", b"\xff\xfe\xfd not deflate", 8, 0, 40)])
    parsed = parse_nominee_file(broken, "danh-sach.xlsx")
    assert parsed.fatal and "tệp nén (.zip)" in lines(parsed)[0]


def test_a_real_workbook_still_imports():
    parsed = parse_nominee_file(xlsx([nominee(1), nominee(2)]), "danh-sach.xlsx")
    assert parsed.ok and len(parsed.rows) == 2


# --- characters --------------------------------------------------------------------------------


def test_a_nul_in_a_name_is_refused_with_the_row_and_column():
    """PostgreSQL refuses NUL in text: an .xls name with one used to fail at the database."""
    parsed = parse_nominee_file(xls(nominee(1, name="Nguyễn Văn\x00 An")), "danh-sach.xls")
    assert parsed.rows == []
    assert lines(parsed) == [
        'Dòng 2, cột "Họ và tên": "Nguyễn Văn� An" có ký tự ẩn không in được (mã U+0000, '
        "thường do chép từ phần mềm khác); hãy xóa ô này và gõ lại"
    ]


@pytest.mark.parametrize("field", ["position", "unit", "ethnicity"])
def test_control_characters_in_other_text_cells_are_refused(field):
    parsed = parse_nominee_file(xls(nominee(1, **{field: "Bí\x07 thư"})), "danh-sach.xls")
    assert "có ký tự ẩn không in được (mã U+0007" in lines(parsed)[0]


def test_zero_width_characters_pasted_from_the_web_are_dropped():
    parsed = parse_nominee_file(xlsx([nominee(1, name="Trần\u200b Văn\ufeff An")]), "a.xlsx")
    assert parsed.ok and parsed.rows[0].full_name == "Trần Văn An"


def test_a_name_of_invisible_characters_only_is_a_missing_name():
    parsed = parse_nominee_file(xlsx([nominee(1, name="\u200b\u200b")]), "a.xlsx")
    assert lines(parsed) == [f'Dòng {ROW}, cột "Họ và tên": chưa ghi họ và tên (cột bắt buộc)']


def test_a_national_id_in_other_scripts_digits_is_refused_not_a_database_error():
    """str.isdigit() accepts ٠-٩; the database's check (0-9) did not: a misleading refusal."""
    parsed = parse_nominee_file(xlsx([nominee(1, cccd="٠٠١٠٩٠٠٠٠٠٠١")]), "a.xlsx")
    assert "không phải số CCCD hợp lệ" in lines(parsed)[0]


def test_full_width_digits_become_plain_digits_as_in_the_trainee_form():
    content = xlsx([nominee(1, cccd="００１０９００００００１", phone="０９１２３４５６７８")])
    parsed = parse_nominee_file(content, "a.xlsx")
    assert parsed.ok
    assert (parsed.rows[0].national_id, parsed.rows[0].phone) == ("001090000001", "0912345678")


def test_a_phone_in_other_scripts_digits_is_refused():
    parsed = parse_nominee_file(xlsx([nominee(1, phone="٠٩١٢٣٤٥٦٧٨")]), "a.xlsx")
    assert "không phải số điện thoại" in lines(parsed)[0]


def test_a_huge_cell_is_quoted_short_in_the_message():
    parsed = parse_nominee_file(xlsx([nominee(1, position="Bí thư " * 5000)]), "a.xlsx")
    message = lines(parsed)[0]
    assert "dài quá 200 ký tự" in message
    assert len(message) < 200


@pytest.mark.django_db
def test_a_nul_name_in_an_xls_writes_nothing_through_the_web(client, staff, centre):
    course = builders.make_course(centre, status=CourseStatus.ENROLLING)
    client.force_login(staff)
    client.post(
        reverse("lophoc:import_upload", args=[course.pk]),
        {"file": SimpleUploadedFile("danh-sach.xls", xls(nominee(1, name="An\x00 Bình")))},
    )
    preview = client.get(reverse("lophoc:import_preview", args=[course.pk]))
    assert "có ký tự ẩn không in được" in preview.content.decode()
    assert not Trainee.objects.exists()


# --- size limits ---------------------------------------------------------------------------


def test_the_nominee_upload_names_the_size_and_the_limit():
    big = SimpleUploadedFile("danh-sach.xlsx", b"PK\x03\x04" + b"\x00" * (6 * 1024 * 1024))
    form = NomineeUploadForm(data={}, files={"file": big})
    assert not form.is_valid()
    assert form.errors["file"][0].startswith(
        "File «danh-sach.xlsx» quá lớn (6,0 MB); chỉ nhận file đến 5 MB."
    )


def test_the_grade_sheet_upload_names_the_size_and_the_limit():
    big = SimpleUploadedFile("bang-diem.xlsx", b"PK\x03\x04" + b"\x00" * (MAX_FILE_BYTES + 1))
    form = GradeSheetUploadForm(data={}, files={"file": big})
    assert not form.is_valid()
    assert form.errors["file"][0].startswith(
        "File «bang-diem.xlsx» quá lớn (5,0 MB); chỉ nhận file đến 5 MB."
    )

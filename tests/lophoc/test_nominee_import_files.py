"""The old font encodings (DESIGN §12) the import must refuse, and the test files themselves.

The nominee files and the TCVN3 / VNI text are built in tests/lophoc/nominee_files.py; here they
are checked: the mapping tables give what people see, the hand-written `.xls` is a real workbook.
"""

import unicodedata

import pytest
import xlrd

from lophoc.nominee_import.legacy_fonts import MOJIBAKE, TCVN3, VNI, legacy_encoding
from tests.lophoc.nominee_files import (
    HEADER,
    first_data_row,
    header_row_number,
    nominee,
    person_name,
    tcvn3,
    vni,
    xls,
)

SAMPLE_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Long",
    "Phạm Quốc Khánh",
    "Đỗ Thị Thu Hà",
    "Hoàng Xuân Trường",
    "Võ Thị Mỹ Duyên",
    "Bùi Đức Thắng",
    "Huỳnh Ngọc Khuê",
    "Lý Tuấn",
    "Hồ Ngọc Hà",
    "Doãn Quốc Huy",
    "Ngô Thị Loan",
    "Đặng Thị Thuỷ",
    "Quách Thị Huệ",
    "Nguyễn Thị Ngoãn",
    "Lưu Quyết",
    "NGUYỄN VĂN AN",
    "HOÀNG THỊ OANH",
    "Phường Phú Lợi",
    "Xã Bình Mỹ",
    "Bí thư Chi bộ",
    "Trưởng ấp",
]
UNICODE_ONLY = [
    *SAMPLE_NAMES,
    "Kinh",
    "Khmer",
    "Ê Đê",
    "Ksor H'Hen",
    "Y Ngoan Êban",
    "Ea Kar",
    "Thoả",
    "Xoè",
    "Khoái",
    "Nhuận",
    "Hội Liên hiệp Phụ nữ xã «Phú Lợi»",
    "Phó Chủ tịch UBND xã",
    "Tạ Quang Bửu",
]


def test_the_mapping_tables_give_the_garbage_people_see():
    assert tcvn3("Nguyễn Văn An") == "NguyÔn V¨n An"
    assert vni("Nguyễn Văn An") == "Nguyeãn Vaên An"
    assert vni("Đào") == "Ñaøo"


@pytest.mark.parametrize("text", SAMPLE_NAMES)
def test_tcvn3_text_is_recognised(text):
    assert legacy_encoding(tcvn3(text)) == TCVN3


@pytest.mark.parametrize("text", SAMPLE_NAMES)
def test_vni_text_is_recognised(text):
    assert legacy_encoding(vni(text)) == VNI


@pytest.mark.parametrize("text", UNICODE_ONLY)
def test_unicode_vietnamese_is_never_taken_for_an_old_encoding(text):
    assert legacy_encoding(text) is None
    assert legacy_encoding(unicodedata.normalize("NFD", text)) is None


def test_utf8_read_as_ansi_is_recognised():
    garbled = "Nguyễn Văn An".encode().decode("cp1252")
    assert legacy_encoding(garbled) == MOJIBAKE


def test_the_hand_written_xls_is_a_real_workbook():
    content = xls([nominee(1)])
    book = xlrd.open_workbook(file_contents=content)
    sheet = book.sheet_by_index(0)
    assert sheet.row_values(header_row_number() - 1)[:3] == HEADER[:3]
    data = sheet.row(first_data_row() - 1)
    assert data[1].value == person_name(1)
    assert data[2].ctype == xlrd.XL_CELL_DATE

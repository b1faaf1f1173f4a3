import unicodedata

import pytest

from trungtam.text import fold, normalize_text, search_key, sort_key, split_name


def test_normalize_text_makes_nfc_and_collapses_spaces():
    nfd = unicodedata.normalize("NFD", "  Nguyễn   Văn\tĐức ")
    assert normalize_text(nfd) == "Nguyễn Văn Đức"
    assert unicodedata.is_normalized("NFC", normalize_text(nfd))


def test_fold_removes_tones_and_folds_d():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG THỊ ÁNH") == "dang thi anh"
    assert search_key(unicodedata.normalize("NFD", "Lê Thị Hồng")) == "le thi hong"


def test_split_name():
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_name("Ksor H'Hen") == ("Ksor", "", "H'Hen")
    assert split_name("Bình") == ("", "", "Bình")


def ordered(names):
    return sorted(names, key=sort_key)


def test_sorts_by_given_name_then_middle_then_family():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị Bình", "Phạm An"]
    assert ordered(names) == ["Phạm An", "Nguyễn Văn An", "Lê Thị Bình", "Trần Văn Bình"]


def test_vietnamese_alphabet_not_code_points():
    # a < ă < â < b … d < đ < e < ê; code points would put Đ after every Latin letter.
    names = ["Lê Văn Đức", "Lê Văn Dũng", "Lê Văn Em", "Lê Văn Ân", "Lê Văn Ăn", "Lê Văn Anh"]
    assert ordered(names) == [
        "Lê Văn Anh",
        "Lê Văn Ăn",
        "Lê Văn Ân",
        "Lê Văn Dũng",
        "Lê Văn Đức",
        "Lê Văn Em",
    ]


def test_tones_only_break_ties_in_dictionary_order():
    names = ["Lê Lệ", "Lê Lé", "Lê Lẽ", "Lê Lẻ", "Lê Lè", "Lê Le"]
    assert ordered(names) == ["Lê Le", "Lê Lè", "Lê Lẻ", "Lê Lẽ", "Lê Lé", "Lê Lệ"]
    # A tone never beats a letter difference: "Ánh" sorts with "Anh", before "Ba".
    assert ordered(["Lê Ba", "Lê Ánh", "Lê Anh"]) == ["Lê Anh", "Lê Ánh", "Lê Ba"]


def test_the_given_name_is_compared_whole_before_the_middle_names():
    # Every "Anh" before every "Ánh", as a clerk sorting by the "Tên" column expects: the tone of
    # the given name decides before the middle and family names are looked at.
    names = ["Nguyễn Văn Ánh", "Trần Thị Anh", "Lê Ánh", "Võ Văn Anh", "Đỗ Anh"]
    assert ordered(names) == [
        "Đỗ Anh",
        "Trần Thị Anh",
        "Võ Văn Anh",
        "Lê Ánh",
        "Nguyễn Văn Ánh",
    ]
    # Within the same given name the middle names compare whole too, then the family name.
    assert ordered(["Lê Ánh Bình", "Lê Anh Bình", "Ân Anh Bình"]) == [
        "Ân Anh Bình",
        "Lê Anh Bình",
        "Lê Ánh Bình",
    ]


def test_fewer_middle_names_come_first():
    assert ordered(["Nguyễn Văn Thị An", "Nguyễn Văn An"]) == ["Nguyễn Văn An", "Nguyễn Văn Thị An"]


def test_sort_key_is_case_and_normalisation_insensitive():
    name = "Đặng Thị Ánh"
    assert sort_key(name) == sort_key(name.upper()) == sort_key(unicodedata.normalize("NFD", name))


@pytest.mark.parametrize("name", ["Nguyễn Văn An", "Ksor H'Hen", "Lò Văn Pọm", "Trần 2"])
def test_sort_key_uses_only_lowercase_ascii_letters(name):
    # Any database collation orders such strings byte by byte.
    key = sort_key(name)
    assert key and all("a" <= ch <= "z" for ch in key)

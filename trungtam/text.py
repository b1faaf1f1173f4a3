"""Vietnamese text: normalisation, search keys and the sort key used by every list of people.

Neither SQLite nor PostgreSQL (under every collation) sorts or folds Vietnamese the same way,
so keys are computed here once and stored.
"""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet; f j w z only appear in foreign or ethnic-minority names.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}

# Tone marks (combining characters after NFD) in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a distinct letter: ă (breve), â ê ô (circumflex), ơ ư (horn).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

# The sort key is made of lowercase ASCII letters only, so every database collation
# (C, en_US.UTF-8, ICU) orders it byte by byte. Level separators sort below every letter code.
_PART_SEPARATOR = "a"  # between given name, middle names, family name, tones
_WORD_SEPARATOR = "b"  # between words of the middle names
_CODE_DIGITS = "cdefghijklmnopqrstuvwxyz"  # 24 digits, two per letter


def normalize_text(value: str) -> str:
    """NFC, with runs of whitespace collapsed to one space and the ends trimmed."""
    if value is None:
        return value
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def normalize_multiline(value: str) -> str:
    """NFC for free text; keeps line breaks, trims trailing spaces on each line."""
    if value is None:
        return value
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def fold(value: str) -> str:
    """Lower case without diacritics, đ as d: what a person types when searching."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value or "").lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def search_key(value: str) -> str:
    return fold(value)


def _split_letter(char: str) -> tuple[str, int]:
    """One NFC letter → (base letter of the Vietnamese alphabet, tone rank)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    letter_marks = ""
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            letter_marks += mark
    letter = unicodedata.normalize("NFC", base + letter_marks)
    return letter, tone


def _encode_word(word: str) -> tuple[str, str]:
    letters, tones = [], []
    for char in word.lower():
        letter, tone = _split_letter(char)
        rank = _LETTER_RANK.get(letter)
        if rank is None:
            if not letter.isalnum():
                continue  # hyphens, apostrophes and dots do not change the order
            rank = len(ALPHABET) + (ord(letter) % 500)  # digits and other scripts after z
        letters.append(_CODE_DIGITS[rank // 24 % 24] + _CODE_DIGITS[rank % 24])
        tones.append(_CODE_DIGITS[tone])
    return "".join(letters), "".join(tones)


def split_name(full_name: str) -> tuple[str, str, str]:
    """'Nguyễn Thị Minh Khai' → ('Nguyễn', 'Thị Minh', 'Khai')."""
    words = normalize_text(full_name).split(" ")
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def given_name(full_name: str) -> str:
    return split_name(full_name)[2]


def sort_key(full_name: str) -> str:
    """Vietnamese order, as a clerk sorts by the "Tên" column: the given name compared whole
    (its letters, then its tone), then the middle names (letters, then tones), then the family
    name — so every "Anh" comes before every "Ánh" whatever the middle and family names."""
    family, middle, given = split_name(full_name)
    parts = [[given], middle.split(" ") if middle else [], [family] if family else []]
    levels = []
    for words in parts:
        encoded = [_encode_word(word) for word in words]
        levels.append(_WORD_SEPARATOR.join(letters for letters, _ in encoded))
        levels.append(_WORD_SEPARATOR.join(tones for _, tones in encoded))
    return _PART_SEPARATOR.join(levels)


@functools.lru_cache(maxsize=4096)
def title_key(title: str) -> tuple[str, ...]:
    """Vietnamese alphabetical order of a title (program, unit), word by word from the first — not
    a person's name, which sorts by the given name first. Remembered per process: the same few
    hundred program and unit names are put in order on every report."""
    return tuple(sort_key(word) for word in normalize_text(title).split(" "))

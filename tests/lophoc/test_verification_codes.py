from lophoc.verification import (
    ALPHABET,
    CODE_LENGTH,
    is_well_formed,
    new_verification_code,
    normalize_code,
)


def test_codes_are_random_well_formed_and_without_look_alikes():
    codes = {new_verification_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == CODE_LENGTH and is_well_formed(code)
        assert not set(code) & set("01OIL")


def test_check_character_catches_a_typo_and_a_swap():
    code = new_verification_code()
    wrong = ALPHABET[(ALPHABET.index(code[0]) + 1) % len(ALPHABET)] + code[1:]
    assert not is_well_formed(wrong)
    if code[0] != code[1]:
        assert not is_well_formed(code[1] + code[0] + code[2:])


def test_typed_codes_are_normalised():
    code = new_verification_code()
    assert normalize_code(f" {code[:4].lower()}-{code[4:]} ") == code

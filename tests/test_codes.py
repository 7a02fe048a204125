"""Stamp codes: unguessable, and a mistyped one is told apart from one never issued."""
import pytest

from catalog.trace import codes


def test_codes_are_16_random_characters_and_a_check_character():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(c) == 17 and set(c) <= set(codes.ALPHABET) for c in made)


def test_reading_is_forgiving():
    code = codes.new_code()
    assert codes.normalise(code.lower()) == code
    assert codes.normalise(codes.grouped(code)) == code
    body = "0" * 8 + "1" * 8
    typed = "O" * 8 + "l" * 4 + "I" * 4 + codes.check_character(body)
    assert codes.normalise(typed) == body + codes.check_character(body)


def test_every_single_mistyped_character_is_caught():
    code = codes.new_code()
    for position in range(len(code)):
        for replacement in codes.ALPHABET:
            if replacement != code[position]:
                with pytest.raises(codes.CodeError) as caught:
                    codes.normalise(code[:position] + replacement + code[position + 1:])
                assert caught.value.reason == "check"


@pytest.mark.parametrize("text", ["", "ABC", "U" * 17, "7KQ2M9XD4HPATZ3BQ9"])
def test_not_a_code(text):
    with pytest.raises(codes.CodeError) as caught:
        codes.normalise(text)
    assert caught.value.reason == "format"

"""The OCR reference and giro numbers of a Swedish invoice."""

from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.billing.payment import giro, luhn_digit, ocr_reference, ocr_valid


def test_luhn_digit_of_known_numbers():
    # hand-computed: 7992739871 is the textbook example, check digit 3; 12345 → 5
    assert luhn_digit("7992739871") == 3
    assert luhn_digit("12345") == 5
    assert ocr_reference(12345) == "123455"


def test_the_length_digit_counts_both_control_digits():
    reference = ocr_reference(12345, with_length=True)
    assert reference[:5] == "12345" and reference[5] == "7"   # 5 digits + 2 control digits = 7
    assert ocr_valid(reference, with_length=True) and not ocr_valid(reference[:-2] + "8" + reference[-1], with_length=True)


@given(number=st.integers(min_value=0, max_value=10**20), with_length=st.booleans(), position=st.integers(min_value=0, max_value=30),
       wrong=st.integers(min_value=1, max_value=9))
def test_a_reference_round_trips_and_any_one_wrong_digit_is_caught(number, with_length, position, wrong):
    reference = ocr_reference(number, with_length)
    assert ocr_valid(reference, with_length)
    index = position % len(reference)
    typo = reference[:index] + str((int(reference[index]) + wrong) % 10) + reference[index + 1:]
    assert not ocr_valid(typo, with_length)


def test_giro_numbers_as_people_read_them():
    assert giro("1234567") == "123-4567" and giro("12345678") == "1234-5678" and giro("123-4567") == "123-4567"
    assert giro("1234567", "plusgiro") == "12 34 56-7" and giro("4711-2", "plusgiro") == "47 11-2"
    assert giro("abc") == "abc"

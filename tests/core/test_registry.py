from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from servicecenter.core.registry import (
    AgreementDates,
    AgreementState,
    SizeClass,
    agreement_active_on,
    check_agreement_dates,
    check_orgnr,
    make_orgnr,
    normalise_orgnr,
    size_class,
)


def test_real_organisation_numbers_pass():
    # Statens servicecenter and Skatteverket, as published.
    assert check_orgnr("202100-6255") == []
    assert check_orgnr("2021005448") == []
    assert normalise_orgnr("16202100-6255") == "202100-6255"


def test_wrong_check_digit_and_format_are_named():
    assert [p.code for p in check_orgnr("202100-6256")] == ["orgnr.checksum"]
    assert [p.code for p in check_orgnr("20210-6255")] == ["orgnr.format"]
    assert [p.code for p in check_orgnr("abc")] == ["orgnr.format"]


@given(st.from_regex(r"\d{9}", fullmatch=True))
def test_made_numbers_validate_and_any_changed_digit_fails(nine):
    number = make_orgnr(nine)
    assert check_orgnr(number) == []
    last = int(number[-1])
    assert check_orgnr(number[:-1] + str((last + 1) % 10)) != []


def test_size_classes_follow_tabell_8():
    assert size_class(2001) is SizeClass.OVER_2000
    assert size_class(2000) is SizeClass.FROM_501
    assert size_class(501) is SizeClass.FROM_501
    assert size_class(500) is SizeClass.FROM_151
    assert size_class(151) is SizeClass.FROM_151
    assert size_class(150) is SizeClass.UNDER_151


def test_agreement_dates_must_follow_the_pipeline():
    ok = AgreementDates(intent_date=date(2024, 1, 1), production_date=date(2024, 6, 1))
    assert check_agreement_dates(AgreementState.PRODUCTION, ok) == []
    backwards = AgreementDates(intent_date=date(2024, 9, 1), production_date=date(2024, 6, 1))
    assert [p.code for p in check_agreement_dates(AgreementState.PRODUCTION, backwards)] == ["dates.order"]
    missing = AgreementDates(intent_date=date(2024, 9, 1))
    assert [p.code for p in check_agreement_dates(AgreementState.PRODUCTION, missing)] == ["dates.state_requires"]
    premature = AgreementDates(intent_date=date(2024, 9, 1), ended_date=date(2025, 1, 1))
    assert "dates.future_state" in [p.code for p in check_agreement_dates(AgreementState.LETTER_OF_INTENT, premature)]


def test_active_window_is_half_open():
    dates = AgreementDates(production_date=date(2024, 6, 1), ended_date=date(2025, 1, 1))
    assert not agreement_active_on(AgreementState.ENDED, dates, date(2024, 5, 31))
    assert agreement_active_on(AgreementState.ENDED, dates, date(2024, 12, 31))
    assert not agreement_active_on(AgreementState.ENDED, dates, date(2025, 1, 1))

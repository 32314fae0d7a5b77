"""Registry value types and their rules: organisation numbers, size classes, the service
catalogue's tiers and units, and the agreement pipeline.

Everything here is a frozen value or a pure function; the Django models in
``servicecenter.apps.registry`` store these values and call these rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from servicecenter.core.problems import Problem

# --- organisation numbers ------------------------------------------------------------------

def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit for ``digits`` (weights 2,1,2,1... from the left for 9 digits)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char) * (2 if index % 2 == 0 else 1)
        total += number - 9 if number > 9 else number
    return (10 - total % 10) % 10


def normalise_orgnr(text: str) -> str:
    """``2021006255`` or ``16202100-6255`` → ``202100-6255``; raises ValueError if not ten digits."""
    digits = re.sub(r"[\s-]", "", text or "")
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError(text)
    return f"{digits[:6]}-{digits[6:]}"


def check_orgnr(text: str) -> list[Problem]:
    """Problems with a Swedish organisation number: format (ten digits) and Luhn check digit."""
    try:
        normalised = normalise_orgnr(text)
    except ValueError:
        return [Problem("orgnr.format", value=text)]
    digits = normalised.replace("-", "")
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        return [Problem("orgnr.checksum", value=text)]
    return []


def make_orgnr(first_nine: str) -> str:
    """A valid organisation number from its first nine digits (for generated data)."""
    if not re.fullmatch(r"\d{9}", first_nine):
        raise ValueError(f"need nine digits, got {first_nine!r}")
    digits = first_nine + str(luhn_check_digit(first_nine))
    return f"{digits[:6]}-{digits[6:]}"


# --- customers -------------------------------------------------------------------------------

class SizeClass(StrEnum):
    """Customer size by employees, as in SSC's annual report 2025, Tabell 8."""

    OVER_2000 = ">2000"
    FROM_501 = "501-2000"
    FROM_151 = "151-500"
    UNDER_151 = "<150"


SIZE_CLASS_BOUNDS: dict[SizeClass, tuple[int, int | None]] = {
    SizeClass.OVER_2000: (2001, None),
    SizeClass.FROM_501: (501, 2000),
    SizeClass.FROM_151: (151, 500),
    SizeClass.UNDER_151: (0, 150),
}


def size_class(employees: int) -> SizeClass:
    """The Tabell 8 class; the seed's ``<150`` row holds every agency of 150 or fewer."""
    if employees > 2000:
        return SizeClass.OVER_2000
    if employees > 500:
        return SizeClass.FROM_501
    if employees > 150:
        return SizeClass.FROM_151
    return SizeClass.UNDER_151


class Sector(StrEnum):
    STATE = "state"
    MUNICIPAL = "municipal"
    REGION = "region"
    COMPANY = "company"
    OTHER = "other"


# --- catalogue -------------------------------------------------------------------------------

class Tier(StrEnum):
    BASE = "base"
    ADD_ON = "add_on"
    SPECIAL = "special"


class Unit(StrEnum):
    """What a service counts. The codes are the import vocabulary."""

    PAYSLIP = "payslip"
    EMPLOYEE_MONTH = "employee_month"
    SUPPLIER_INVOICE_CODED = "supplier_invoice_coded"
    SUPPLIER_INVOICE_UNCODED = "supplier_invoice_uncoded"
    CUSTOMER_INVOICE = "customer_invoice"
    FIXED_ASSET = "fixed_asset"
    DECISION = "decision"
    CASE = "case"
    HOUR = "hour"
    PARTICIPANT = "participant"
    USER = "user"
    TERABYTE = "terabyte"
    COMPUTER = "computer"
    ORDER = "order"
    RECRUITMENT = "recruitment"
    CALL = "call"
    MONTH = "month"
    SUBSCRIPTION = "subscription"


# --- agreements ------------------------------------------------------------------------------

class AgreementState(StrEnum):
    """The pipeline of a connection: interest → letter of intent → onboarding → production → ended."""

    INTEREST = "interest"
    LETTER_OF_INTENT = "letter_of_intent"
    ONBOARDING = "onboarding"
    PRODUCTION = "production"
    ENDED = "ended"


PIPELINE: tuple[AgreementState, ...] = tuple(AgreementState)

# The date column that marks entry into each state.
STATE_DATE_FIELD: dict[AgreementState, str] = {
    AgreementState.INTEREST: "interest_date",
    AgreementState.LETTER_OF_INTENT: "intent_date",
    AgreementState.ONBOARDING: "onboarding_date",
    AgreementState.PRODUCTION: "production_date",
    AgreementState.ENDED: "ended_date",
}


@dataclass(frozen=True)
class AgreementDates:
    """The dates an agreement entered each state; None where it has not (yet)."""

    interest_date: date | None = None
    intent_date: date | None = None
    onboarding_date: date | None = None
    production_date: date | None = None
    ended_date: date | None = None

    def get(self, state: AgreementState) -> date | None:
        return getattr(self, STATE_DATE_FIELD[state])


def check_agreement_dates(state: AgreementState, dates: AgreementDates) -> list[Problem]:
    """The state's own date is required; given dates never go backwards along the pipeline;
    an agreement in production or ended needs its production date (ended needs both)."""
    problems: list[Problem] = []
    required = [state]
    if state is AgreementState.ENDED and dates.production_date is None and dates.onboarding_date is None:
        required.append(AgreementState.PRODUCTION)
    for needed in required:
        if dates.get(needed) is None:
            problems.append(Problem("dates.state_requires", {"state": needed.value, "column": STATE_DATE_FIELD[needed]}, column=STATE_DATE_FIELD[needed]))
    previous: tuple[AgreementState, date] | None = None
    for step in PIPELINE:
        when = dates.get(step)
        if when is None:
            continue
        if previous is not None and when < previous[1]:
            problems.append(Problem(
                "dates.order",
                {"later": STATE_DATE_FIELD[step], "later_date": when.isoformat(),
                 "earlier": STATE_DATE_FIELD[previous[0]], "earlier_date": previous[1].isoformat()},
                column=STATE_DATE_FIELD[step],
                value=when.isoformat(),
            ))
        previous = (step, when)
    # A date for a later stage than the state says is inconsistent (e.g. onboarding with an end date).
    later = PIPELINE[PIPELINE.index(state) + 1:]
    for step in later:
        when = dates.get(step)
        if when is not None:
            problems.append(Problem("dates.future_state", {"state": state.value, "date": when.isoformat()}, column=STATE_DATE_FIELD[step], value=when.isoformat()))
    return problems


def agreement_active_on(state: AgreementState, dates: AgreementDates, day: date) -> bool:
    """True when the agreement is in production on ``day`` (production date ≤ day < end date)."""
    start = dates.production_date
    if start is None or day < start:
        return False
    return dates.ended_date is None or day < dates.ended_date

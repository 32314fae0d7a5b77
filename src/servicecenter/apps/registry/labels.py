"""Translated labels for the core's enumerations (the core stays free of Django and gettext)."""

from django.utils.translation import gettext_lazy as _

from servicecenter.core.registry import AgreementState, Sector, SizeClass, Tier, Unit

TIER = {Tier.BASE: _("base service"), Tier.ADD_ON: _("add-on service"), Tier.SPECIAL: _("special service")}

UNIT = {
    Unit.PAYSLIP: _("payslip"),
    Unit.EMPLOYEE_MONTH: _("employee and month"),
    Unit.SUPPLIER_INVOICE_CODED: _("supplier invoice, with coding"),
    Unit.SUPPLIER_INVOICE_UNCODED: _("supplier invoice, without coding"),
    Unit.CUSTOMER_INVOICE: _("customer invoice"),
    Unit.FIXED_ASSET: _("fixed asset"),
    Unit.DECISION: _("decision"),
    Unit.CASE: _("case"),
    Unit.HOUR: _("hour"),
    Unit.PARTICIPANT: _("participant"),
    Unit.USER: _("user"),
    Unit.TERABYTE: _("terabyte"),
    Unit.COMPUTER: _("computer"),
    Unit.ORDER: _("order"),
    Unit.RECRUITMENT: _("recruitment"),
    Unit.CALL: _("call"),
    Unit.MONTH: _("month"),
    Unit.SUBSCRIPTION: _("subscription"),
}

STATE = {
    AgreementState.INTEREST: _("interest"),
    AgreementState.LETTER_OF_INTENT: _("letter of intent"),
    AgreementState.ONBOARDING: _("onboarding"),
    AgreementState.PRODUCTION: _("in production"),
    AgreementState.ENDED: _("ended"),
}

SECTOR = {
    Sector.STATE: _("state"),
    Sector.MUNICIPAL: _("municipal"),
    Sector.REGION: _("region"),
    Sector.COMPANY: _("company"),
    Sector.OTHER: _("other"),
}

SIZE = {
    SizeClass.OVER_2000: _("more than 2,000 employees"),
    SizeClass.FROM_501: _("501–2,000 employees"),
    SizeClass.FROM_151: _("151–500 employees"),
    SizeClass.UNDER_151: _("150 employees or fewer"),
}


def choices(labels: dict) -> list[tuple[str, object]]:
    return [(key.value, label) for key, label in labels.items()]

"""Pricing: every price type of the seeds as a small strategy, price lists from self-cost,
behaviour-weighted keys, recovery per process and what-if comparisons."""

from servicecenter.core.pricing.analysis import (
    BehaviourResult,
    PriceListEntry,
    RecoveryRow,
    WhatIf,
    behaviour_weighted_split,
    compare_models,
    derive_price_list,
    recovery_by_process,
)
from servicecenter.core.pricing.strategies import (
    BaseFee,
    ChargeKind,
    ChargeLine,
    ConnectionFee,
    CustomerInput,
    Discount,
    FixedKeyed,
    FixedReimbursement,
    Package,
    PassThrough,
    PerUnit,
    PriceModel,
    VolumeTiers,
    charge_all,
)

__all__ = [
    "BaseFee", "BehaviourResult", "ChargeKind", "ChargeLine", "ConnectionFee", "CustomerInput", "Discount", "FixedKeyed",
    "FixedReimbursement", "Package", "PassThrough", "PerUnit", "PriceListEntry", "PriceModel", "RecoveryRow", "VolumeTiers",
    "WhatIf", "behaviour_weighted_split", "charge_all", "compare_models", "derive_price_list", "recovery_by_process",
]

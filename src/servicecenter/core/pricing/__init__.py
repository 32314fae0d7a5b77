"""Pricing: price lists from self-cost, behaviour-weighted keys, recovery per process and
what-if comparisons; the inputs and helpers of rating (every price type's rule is in
``core.billing.rating.rate_month``)."""

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
    ChargeKind,
    ConnectionFee,
    CustomerInput,
    VolumeTiers,
)

__all__ = [
    "BehaviourResult", "ChargeKind", "ConnectionFee", "CustomerInput", "PriceListEntry", "RecoveryRow", "VolumeTiers",
    "WhatIf", "behaviour_weighted_split", "compare_models", "derive_price_list", "recovery_by_process",
]

"""Costing: spread support cost onto production by keys (direct, step-down, reciprocal),
conserving every öre and keeping the trace of where each amount came from."""

from servicecenter.core.costing.allocation import (
    AllocationError,
    AllocationResult,
    allocate_direct,
    allocate_iterative,
    allocate_reciprocal,
    allocate_step_down,
    check_shares,
)
from servicecenter.core.costing.model import (
    ModelResult,
    Step,
    StepMethod,
    StepReport,
    check_model,
    run_model,
)

__all__ = [
    "ModelResult",
    "Step",
    "StepMethod",
    "StepReport",
    "check_model",
    "run_model",
    "AllocationError",
    "AllocationResult",
    "allocate_direct",
    "allocate_iterative",
    "allocate_reciprocal",
    "allocate_step_down",
    "check_shares",
]

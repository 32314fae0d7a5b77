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

__all__ = [
    "AllocationError",
    "AllocationResult",
    "allocate_direct",
    "allocate_iterative",
    "allocate_reciprocal",
    "allocate_step_down",
    "check_shares",
]

"""Costing and pricing: ledger → cost pools → allocation → self-cost → price lists, with trace and what-if."""

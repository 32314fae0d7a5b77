"""The registry: providers, customers, partner agencies, the versioned catalogue, agreements."""

"""Explain stage: why each rule fired or did not, where each value came from, what to ask next."""

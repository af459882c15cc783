"""What the advisor knows before any case: the vocabulary of facts, computed figures, the guidance."""

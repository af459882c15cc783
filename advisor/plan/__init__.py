"""Plan stage: the budget, an offer per lender, and the letters that carry them."""

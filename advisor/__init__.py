"""advisor: a rule-based adviser for negotiating repayment of online loans (网贷协商还款)."""

__version__ = "0.1.0"

"""format.py: the one place values are shown — yuan, percentages, units, dates, terminal cell width."""
from __future__ import annotations

import datetime as dt

from advisor.format import cells, fmt, fmt_figure, pad, percent, yuan


def test_format_yuan_keeps_at_most_two_decimals_and_groups_digits():
    assert (yuan(99000), yuan(8833.3), yuan(0.5), yuan(12000.004)) == ("99,000", "8,833.3", "0.5", "12,000")


def test_format_percent_drops_trailing_zeros():
    assert (percent(0.18), percent(0.008), percent(0.154), percent(0.0085, 4)) == ("18%", "0.8%", "15.4%", "0.85%")


def test_format_values_in_each_language():
    assert fmt(12000, "cny", "zh") == "12,000 元" and fmt(12000, "cny", "en") == "¥12,000"
    assert fmt(5, "days", "zh") == "5 天" and fmt(5, "days", "en") == "5 days"
    assert fmt(None, "cny", "zh") == "未知" and fmt(True, "", "en") == "yes"
    assert fmt(dt.date(2026, 12, 5).toordinal(), "date", "zh") == "2026-12-05"


def test_format_a_bounded_figure_is_never_a_bare_number():
    assert fmt_figure(None, {"min": 8000, "max": None}, "cny", "zh") == "至少 8,000 元"
    assert fmt_figure(None, {"min": 4000, "max": 5000}, "cny", "zh") == "4,000–5,000 元"


def test_format_cells_count_wide_characters_twice():
    assert cells("月收入") == 6 and cells("income") == 6
    assert pad("月收入", 8) == "月收入  " and pad("toolong", 3) == "toolong"

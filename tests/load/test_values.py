from __future__ import annotations

import datetime as dt

import pytest

from advisor.load import values as amounts


@pytest.mark.parametrize("written, value", [
    (6000, 6000), ("5万", 50000), ("1.2万元", 12000), ("¥12,000", 12000), ("５万", 50000),
    ("12000元", 12000), ("3千", 3000), ("￥ 8,000", 8000), (0, 0), ("0.5万", 5000),
])
def test_amount_reads_what_counsellors_write(written, value):
    assert amounts.amount(written) == value


@pytest.mark.parametrize("written", [-1, "-5", "lots", float("nan"), float("inf"), True, [1], "1e400", "5万万"])
def test_amount_refuses_nonsense(written):
    with pytest.raises(amounts.Unreadable):
        amounts.amount(written)


@pytest.mark.parametrize("written, value", [(0.18, 0.18), ("18%", 0.18), ("0.8%", 0.008), ("18％", 0.18), (1, 1.0)])
def test_rate_reads_fractions_and_percentages(written, value):
    assert amounts.rate(written) == pytest.approx(value)


@pytest.mark.parametrize("written", [18, "18", -0.1, "abc", False])
def test_rate_refuses_ambiguous_or_bad_values(written):
    with pytest.raises(amounts.Unreadable):
        amounts.rate(written)


@pytest.mark.parametrize("written", ["2026-12-05", "2026/12/5", "2026年12月5日", "2026.12.05", dt.date(2026, 12, 5)])
def test_date_reads_common_notations(written):
    assert amounts.date(written) == dt.date(2026, 12, 5)


@pytest.mark.parametrize("written", ["2026-02-30", "tomorrow", 20261205, "2026-13-01"])
def test_date_refuses_impossible_dates(written):
    with pytest.raises(amounts.Unreadable):
        amounts.date(written)


def test_count_and_flag():
    assert amounts.count("12期") == 12
    assert amounts.flag("是") is True and amounts.flag("否") is False
    with pytest.raises(amounts.Unreadable):
        amounts.count(1.5)
    with pytest.raises(amounts.Unreadable):
        amounts.flag("maybe")

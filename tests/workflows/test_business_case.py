"""The business case's arithmetic, worked by hand."""

from __future__ import annotations

import pytest

from workflows.business_case import (
    Protected,
    Proxy,
    ProxyError,
    ProxyKind,
    Range,
    check_proxy,
    format_pounds,
    format_range,
    half_up,
    method,
    parse_amount,
    value,
)

JOB = Proxy(ProxyKind.JOB, low=2_000_000, high=3_000_000, source="Study A")  # £20k–£30k
USER = Proxy(ProxyKind.SERVICE_USER, low=50_000, high=90_000, central=60_000, source="Study B")


def test_a_proxy_without_a_central_figure_takes_the_midpoint_half_up():
    assert JOB.value == Range(2_000_000, 2_500_000, 3_000_000)
    # £0.01 and £0.02: the midpoint 1.5p rounds half up to 2p.
    assert Proxy(ProxyKind.JOB, 1, 2, "s").value.central == 2


def test_a_central_figure_given_is_used_as_it_is():
    assert USER.value == Range(50_000, 60_000, 90_000)


def test_notice_gained_is_days_times_annual_value_over_365_rounded_once():
    # Two cases: 30 days on £36,500 a year and 10 days on £1,000 a year.
    # 30 × 36,500 + 10 × 1,000 = 1,095,000 + 10,000 = 1,105,000 pound-days;
    # ÷ 365 = £3,027.3972… → 302,739.72… pence → 302,740 pence (half up).
    found = value(Protected(cases=2, notice_days=40, notice_pound_days=1_105_000), JOB, USER)
    assert found.notice == Range.exact(302_740)


def test_every_measure_and_the_total_worked_by_hand():
    # £45,000 funding, 2 jobs, 100 service users, 91 days on £18,250 a year.
    # Notice: 91 × 18,250 = 1,660,750 pound-days ÷ 365 = £4,550.00 exactly.
    # Jobs: 2 × £20,000 / £25,000 / £30,000 = £40,000 / £50,000 / £60,000.
    # Users: 100 × £500 / £600 / £900 = £50,000 / £60,000 / £90,000.
    # Total: 45,000 + 4,550 + jobs + users =
    #   low 139,550; central 159,550; high 199,550.
    protected = Protected(
        cases=1,
        funding_pounds=45_000,
        notice_days=91,
        notice_pound_days=91 * 18_250,
        jobs=2,
        service_users=100,
    )
    found = value(protected, JOB, USER)
    assert found.funding == Range.exact(4_500_000)
    assert found.notice == Range.exact(455_000)
    assert found.jobs == Range(4_000_000, 5_000_000, 6_000_000)
    assert found.service_users == Range(5_000_000, 6_000_000, 9_000_000)
    assert found.total == Range(13_955_000, 15_955_000, 19_955_000)
    assert format_range(found.total) == "£159,550 (range £139,550 to £199,550)"


def test_figures_of_several_compacts_add_up():
    a = Protected(cases=1, funding_pounds=10, jobs=1)
    b = Protected(cases=2, funding_pounds=5, notice_unvalued=1, service_users=3)
    assert a + b == Protected(
        cases=3, funding_pounds=15, notice_unvalued=1, jobs=1, service_users=3
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"), [(5, 2, 3), (7, 2, 4), (1, 3, 0), (2, 3, 1)]
)
def test_half_up(numerator, denominator, rounded):
    assert half_up(numerator, denominator) == rounded


def test_pounds_are_written_with_pence_only_when_there_are_some():
    assert format_pounds(123_456_700) == "£1,234,567"
    assert format_pounds(1_250) == "£12.50"
    assert format_range(Range.exact(100)) == "£1"


def test_the_method_names_each_proxy_its_source_and_how_its_central_figure_was_taken():
    words = " ".join(method(JOB, USER))
    assert "£25,000 (the midpoint of the low and high figures)" in words
    assert "£600 (the central figure given)" in words
    assert "Study A" in words and "Study B" in words
    assert "divided by 365" in words


def test_amounts_are_read_as_typed():
    assert parse_amount("£27,500", "x") == 2_750_000
    assert parse_amount("12.5", "x") == 1_250
    assert parse_amount(" ", "x") is None
    for wrong in ("-5", "12k", "1,2", "1.234"):
        with pytest.raises(ValueError):
            parse_amount(wrong, "the low figure")


def test_a_proxy_with_low_above_high_is_refused_on_the_high_figure():
    with pytest.raises(ProxyError) as refused:
        check_proxy(ProxyKind.JOB, 3_000, 2_000, None, "Study")
    assert set(refused.value.errors) == {"high"}


def test_a_negative_figure_or_no_source_is_refused_by_field():
    with pytest.raises(ProxyError) as refused:
        check_proxy(ProxyKind.JOB, -1, 2_000, 5_000, "  ")
    assert set(refused.value.errors) == {"low", "source"}
    with pytest.raises(ProxyError) as refused:
        check_proxy(ProxyKind.JOB, 1_000, 2_000, 5_000, "Study")
    assert set(refused.value.errors) == {"central"}

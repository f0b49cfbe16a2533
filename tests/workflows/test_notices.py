"""Notice rules on literal dates: verdicts on recorded notices and consultations, the deadline
each sets, and the planned-change check with the sentences a funder reads."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.deadlines import DeadlineKind
from workflows.notices import (
    check_planned_consultation,
    check_planned_funding_change,
    consultation_verdict,
    funding_change_verdict,
)
from workflows.periods import MONTHS, WEEKS, WORKING_DAYS, Period, PeriodError

THREE_MONTHS = Period(3, MONTHS)
TWELVE_WEEKS = Period(12, WEEKS)


# -- recorded funding notices ---------------------------------------------------------------------


def test_notice_on_31_january_allows_a_change_on_30_april():
    found = funding_change_verdict(date(2027, 1, 31), date(2027, 4, 30), THREE_MONTHS)
    assert found.compliant
    assert (found.shortfall_days, found.earliest_compliant_on) == (0, date(2027, 4, 30))
    assert found.required_period == "3 calendar months"
    assert found.explanation == (
        "Notice given on 31 January 2027 for a change taking effect on 30 April 2027 gives at "
        "least the 3 calendar months required (the earliest compliant effective date was "
        "30 April 2027)."
    )


def test_notice_on_31_january_for_29_april_is_a_day_short():
    found = funding_change_verdict(date(2027, 1, 31), date(2027, 4, 29), THREE_MONTHS)
    assert not found.compliant
    assert found.shortfall_days == 1
    assert found.explanation == (
        "Notice given on 31 January 2027 for a change taking effect on 29 April 2027 is 1 day "
        "short of the 3 calendar months required (the earliest compliant effective date is "
        "30 April 2027)."
    )
    # Notice for 29 April had to be given by 29 January: the deadline was missed.
    assert (found.deadline_kind, found.deadline_due_on) == (
        DeadlineKind.NOTICE_ISSUE_BY,
        date(2027, 1, 29),
    )
    assert (found.deadline_starts_on, found.deadline_closed_on) == (
        date(2027, 4, 29),
        date(2027, 1, 31),
    )
    assert not found.deadline_met


def test_notice_on_30_november_2027_reaches_29_february_2028():
    found = funding_change_verdict(date(2027, 11, 30), date(2028, 2, 29), THREE_MONTHS)
    assert found.compliant
    assert found.earliest_compliant_on == date(2028, 2, 29)
    assert found.latest_notice_on == date(2027, 11, 30)
    assert found.deadline_met


def test_unwritten_notice_with_enough_time_is_not_compliant():
    found = funding_change_verdict(date(2026, 9, 1), date(2026, 12, 1), THREE_MONTHS, written=False)
    assert not found.compliant
    assert found.shortfall_days == 0
    # The dates kept the period, so the deadline itself was met.
    assert found.deadline_met
    assert found.explanation == (
        "Notice given on 1 September 2026 for a change taking effect on 1 December 2026 is not "
        "compliant: it was not given in writing (its dates allow the 3 calendar months required)."
    )


# -- recorded consultations ------------------------------------------------------------------------


def test_a_consultation_of_exactly_84_days_meets_twelve_weeks():
    found = consultation_verdict(date(2027, 3, 1), date(2027, 5, 24), TWELVE_WEEKS)
    assert found.compliant
    assert found.shortfall_days == 0
    assert found.explanation == (
        "The consultation runs for 84 days, from 1 March 2027 to 24 May 2027, which meets the "
        "12 weeks (84 days) required."
    )
    assert (found.deadline_kind, found.deadline_due_on) == (
        DeadlineKind.CONSULTATION_CLOSES,
        date(2027, 5, 24),
    )
    assert found.deadline_met


def test_a_consultation_of_83_days_is_a_day_short():
    found = consultation_verdict(date(2027, 3, 1), date(2027, 5, 23), TWELVE_WEEKS)
    assert not found.compliant
    assert found.shortfall_days == 1
    assert found.earliest_compliant_on == date(2027, 5, 24)
    assert found.explanation == (
        "The consultation runs for 83 days, from 1 March 2027 to 23 May 2027, 1 day short of the "
        "12 weeks (84 days) required, so the reason for the shorter period must be explained."
    )
    assert not found.deadline_met


def test_a_consultation_closing_before_it_opens_cannot_be_judged():
    with pytest.raises(PeriodError):
        consultation_verdict(date(2027, 5, 24), date(2027, 3, 1), TWELVE_WEEKS)


# -- a planned funding change ----------------------------------------------------------------------


def test_latest_notice_date_for_a_change_at_the_end_of_february():
    # 28 February 2027 is the last day of its month, so notice on any day from 28 to 30
    # November reaches it: 30 November 2026 is the latest.
    found = check_planned_funding_change(THREE_MONTHS, effective_on=date(2027, 2, 28))
    assert (found.answer_label, found.answer) == (
        "Latest date to give notice",
        date(2026, 11, 30),
    )
    assert found.latest_notice_date == date(2026, 11, 30)
    assert found.compliant is None
    assert found.required_period == "3 calendar months"
    assert found.explanation == (
        "For a change taking effect on 28 February 2027, written notice with reasons must be "
        "given on or before 30 November 2026 to allow the 3 calendar months required."
    )


@pytest.mark.parametrize(
    ("effective", "latest"),
    [
        # 30 April ends its month, so notice on 31 January still reaches it.
        (date(2027, 4, 30), date(2027, 1, 31)),
        (date(2027, 4, 29), date(2027, 1, 29)),
        (date(2028, 2, 29), date(2027, 11, 30)),
    ],
)
def test_latest_notice_date_at_month_ends(effective, latest):
    found = check_planned_funding_change(THREE_MONTHS, effective_on=effective)
    assert found.answer == latest


@pytest.mark.parametrize(
    ("notice", "earliest"),
    [
        (date(2027, 1, 31), date(2027, 4, 30)),
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2026, 11, 30), date(2027, 2, 28)),
    ],
)
def test_earliest_effective_date_for_a_notice_date_at_a_month_end(notice, earliest):
    found = check_planned_funding_change(THREE_MONTHS, notice_given_on=notice)
    assert (found.answer_label, found.answer) == (
        "Earliest date the change can take effect",
        earliest,
    )
    assert found.earliest_compliant_effective_on == earliest
    assert found.latest_notice_date is None
    assert found.compliant is None


def test_planned_notice_sentence_names_both_dates_without_zero_padding():
    found = check_planned_funding_change(THREE_MONTHS, notice_given_on=date(2027, 1, 3))
    assert found.explanation == (
        "Notice given on 3 January 2027 allows the change to take effect on or after "
        "3 April 2027, 3 calendar months later."
    )


def test_both_dates_give_a_verdict():
    found = check_planned_funding_change(
        THREE_MONTHS, notice_given_on=date(2026, 9, 1), effective_on=date(2026, 10, 15)
    )
    assert found.compliant is False
    assert (found.answer_label, found.answer) == (
        "Earliest compliant effective date",
        date(2026, 12, 1),
    )
    assert found.shortfall_days == 47
    assert found.explanation == (
        "Notice given on 1 September 2026 for a change taking effect on 15 October 2026 is "
        "47 days short of the 3 calendar months required (the earliest compliant effective date "
        "is 1 December 2026)."
    )


def test_a_planned_notice_without_reasons_already_fails():
    found = check_planned_funding_change(
        THREE_MONTHS, effective_on=date(2027, 2, 28), reasons_given=False
    )
    assert found.compliant is False
    assert found.explanation == (
        "For a change taking effect on 28 February 2027, written notice with reasons must be "
        "given on or before 30 November 2026 to allow the 3 calendar months required, and the "
        "planned notice is not compliant because it would give no reasons."
    )


def test_a_planned_change_needs_a_date():
    with pytest.raises(PeriodError):
        check_planned_funding_change(THREE_MONTHS)


def test_a_working_day_rule_counts_back_over_bank_holidays():
    # 20 working days before Tuesday 5 January 2027 skip Christmas, Boxing Day's substitute
    # (Monday 28 December) and New Year's Day.
    found = check_planned_funding_change(Period(20, WORKING_DAYS), effective_on=date(2027, 1, 5))
    assert found.answer == date(2026, 12, 3)
    assert found.required_period == "20 working days"


# -- a planned consultation ------------------------------------------------------------------------


def test_a_consultation_opening_on_1_march_must_close_on_24_may():
    found = check_planned_consultation(TWELVE_WEEKS, opens_on=date(2027, 3, 1))
    assert (found.answer_label, found.answer) == ("Earliest closing date", date(2027, 5, 24))
    assert found.earliest_closes_on == date(2027, 5, 24)
    assert found.compliant is None
    assert found.explanation == (
        "A consultation opening on 1 March 2027 must close on or after 24 May 2027 to run the "
        "12 weeks required."
    )


def test_a_consultation_closing_on_24_may_must_open_by_1_march():
    found = check_planned_consultation(TWELVE_WEEKS, closes_on=date(2027, 5, 24))
    assert (found.answer_label, found.answer) == ("Latest opening date", date(2027, 3, 1))
    assert found.latest_opens_on == date(2027, 3, 1)
    assert found.explanation == (
        "To close on 24 May 2027, a consultation must open on or before 1 March 2027 to run the "
        "12 weeks required."
    )


@pytest.mark.parametrize(
    ("closes", "compliant", "shortfall"),
    [(date(2027, 5, 24), True, 0), (date(2027, 5, 23), False, 1)],
)
def test_a_planned_consultation_with_both_dates_is_judged(closes, compliant, shortfall):
    found = check_planned_consultation(TWELVE_WEEKS, opens_on=date(2027, 3, 1), closes_on=closes)
    assert (found.compliant, found.shortfall_days) == (compliant, shortfall)
    assert (found.answer_label, found.answer) == (
        "Earliest compliant closing date",
        date(2027, 5, 24),
    )


def test_a_three_month_consultation_from_30_november_2027_closes_on_29_february():
    found = check_planned_consultation(THREE_MONTHS, opens_on=date(2027, 11, 30))
    assert found.answer == date(2028, 2, 29)
    assert found.explanation == (
        "A consultation opening on 30 November 2027 must close on or after 29 February 2028 to "
        "run the 3 calendar months required."
    )


def test_a_planned_consultation_needs_a_date():
    with pytest.raises(PeriodError):
        check_planned_consultation(TWELVE_WEEKS)

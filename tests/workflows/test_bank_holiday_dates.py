"""The bank holidays written out as data agree with the holidays package they came from."""

from workflows import periods
from workflows.bank_holiday_dates import bank_holiday_dates, from_package


def test_written_out_bank_holidays_are_the_packages_own():
    assert bank_holiday_dates() == from_package()


def test_working_days_use_the_written_out_bank_holidays():
    assert periods.bank_holidays() == from_package()

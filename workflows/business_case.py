"""The business case for Compact: what the disputes settled in a period protected, in money.

Plain values only. Every sum is held in whole pence (an `int`); the one rounding rule is
*half up to the nearest penny*, applied once per figure at the end of its arithmetic, never to
a part of it. The four measures:

* **Funding protected**: the pounds recorded on the cases' outcomes, added up. Recorded, not
  estimated, so its low, central and high figures are the same.
* **Notice gained**: for each case, the days of notice gained times the annual value of the
  funding concerned, all divided by 365: that is what a year's funding is worth for the days
  the organisation gained. The annual value is that of the funding agreement the case's notice
  was given under (the largest, if several notices name agreements), else the case's money at
  stake; a case with neither adds nothing, and is counted so the page can say so. The days
  times the values are added up exactly in whole pounds and divided by 365 once.
* **Jobs safeguarded**: the jobs recorded, times a proxy value per job.
* **Service continued**: the service users whose service continued, times a proxy value per
  user.

Each proxy has a low and a high figure and its source; its central figure is the one given,
or else the midpoint of low and high (half up to the penny). A measure multiplied by a proxy
has a low, a central and a high figure; the total adds the measures figure by figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .labels import LabelledEnum

DAYS_IN_YEAR = 365
# The largest proxy an administrator may set, in pence: a million pounds per job or user.
MAX_PROXY_PENCE = 100_000_000


class ProxyKind(LabelledEnum):
    """The measures valued by a proxy, with the words a page uses for one unit of each."""

    JOB = "job", "Value of a job safeguarded"
    SERVICE_USER = "service_user", "Value of a service user's service continuing"


def half_up(numerator: int, denominator: int) -> int:
    """numerator ÷ denominator rounded half up to a whole number (both not negative)."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Range:
    """A figure in pence as low, central and high."""

    low: int
    central: int
    high: int

    @classmethod
    def exact(cls, pence: int) -> Range:
        return cls(pence, pence, pence)

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def times(self, count: int) -> Range:
        return Range(self.low * count, self.central * count, self.high * count)


@dataclass(frozen=True)
class Proxy:
    """A value per unit, in pence, with its source; `central` is None when not given."""

    kind: ProxyKind
    low: int
    high: int
    source: str
    central: int | None = None

    @property
    def central_given(self) -> bool:
        return self.central is not None

    @property
    def value(self) -> Range:
        central = self.central if self.central is not None else half_up(self.low + self.high, 2)
        return Range(self.low, central, self.high)


@dataclass(frozen=True)
class Protected:
    """What a Compact's (or the region's) settled cases recorded, before valuing."""

    cases: int = 0
    funding_pounds: int = 0
    notice_days: int = 0
    # The sum over the cases of days gained × annual value, in pound-days.
    notice_pound_days: int = 0
    # Cases with days of notice gained but no annual value to value them by.
    notice_unvalued: int = 0
    jobs: int = 0
    service_users: int = 0

    def __add__(self, other: Protected) -> Protected:
        return Protected(
            *(a + b for a, b in zip(_fields(self), _fields(other), strict=True)),
        )


def _fields(figures: Protected) -> tuple[int, ...]:
    return (
        figures.cases,
        figures.funding_pounds,
        figures.notice_days,
        figures.notice_pound_days,
        figures.notice_unvalued,
        figures.jobs,
        figures.service_users,
    )


@dataclass(frozen=True)
class Valuation:
    """The four measures valued, and their total, each a `Range` in pence."""

    protected: Protected
    funding: Range
    notice: Range
    jobs: Range
    service_users: Range

    @property
    def total(self) -> Range:
        return self.funding + self.notice + self.jobs + self.service_users


def value(protected: Protected, job: Proxy, service_user: Proxy) -> Valuation:
    """The money value of what was protected, by the rules in this module's description."""
    notice = half_up(protected.notice_pound_days * 100, DAYS_IN_YEAR)
    return Valuation(
        protected=protected,
        funding=Range.exact(protected.funding_pounds * 100),
        notice=Range.exact(notice),
        jobs=job.value.times(protected.jobs),
        service_users=service_user.value.times(protected.service_users),
    )


def pounds(pence: int) -> Decimal:
    """Pence as pounds, exactly (for a CSV or an API)."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def format_pounds(pence: int) -> str:
    """Pence as people read pounds: "£1,234" when whole, else "£1,234.56"."""
    whole, part = divmod(pence, 100)
    return f"£{whole:,}" if not part else f"£{whole:,}.{part:02d}"


def format_range(figure: Range) -> str:
    """ "£1,200 (range £1,000 to £1,400)", or one sum when low and high agree."""
    if figure.low == figure.high:
        return format_pounds(figure.central)
    return (
        f"{format_pounds(figure.central)} "
        f"(range {format_pounds(figure.low)} to {format_pounds(figure.high)})"
    )


def method(job: Proxy, service_user: Proxy) -> tuple[str, ...]:
    """How the figures were worked out, in plain words, one sentence a measure."""

    def proxy_words(proxy: Proxy, unit: str) -> str:
        central = proxy.value.central
        how = (
            "the central figure given"
            if proxy.central_given
            else "the midpoint of the low and high figures"
        )
        return (
            f"each {unit} is valued at {format_pounds(central)} ({how}), within a range of "
            f"{format_pounds(proxy.low)} to {format_pounds(proxy.high)}; source: {proxy.source}"
        )

    return (
        "Only cases resolved in the period count, with the figures recorded on their outcomes.",
        "Funding protected is the money recorded as protected, added up; it is not estimated, "
        "so it has no range.",
        "Notice gained: for each case, the days of notice gained times the annual value of the "
        "funding, divided by 365. The annual value is the funding agreement's that the case's "
        "notice was given under (the largest, if several), otherwise the money at stake on the "
        "case; a case with neither is not valued.",
        f"Jobs safeguarded: {proxy_words(job, 'job')}.",
        f"Service continued: {proxy_words(service_user, 'service user')}.",
        "The total adds the four measures: its low figure uses every proxy's low figure, its "
        "high figure every high one. Sums are rounded half up to the nearest penny, once per "
        "figure.",
    )


_AMOUNT = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]{1,2})?|[0-9]+(?:\.[0-9]{1,2})?")


class ProxyError(ValueError):
    """A proxy that cannot be taken, by the field it is about."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_amount(text: str | None, words: str) -> int | None:
    """Pounds (and pence) typed, as pence; None if blank. Raises ValueError with a message."""
    cleaned = (text or "").strip().removeprefix("£").strip()
    if not cleaned:
        return None
    if cleaned.startswith("-"):
        raise ValueError(f"Enter {words} as £0 or more")
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(f"Enter {words} in pounds, like 27,500 or 12.50")
    pence = Decimal(cleaned.replace(",", "")) * 100
    if pence > MAX_PROXY_PENCE:
        raise ValueError(f"Enter {words} of {format_pounds(MAX_PROXY_PENCE)} or less")
    return int(pence)


def check_proxy(
    kind: ProxyKind, low: int | None, high: int | None, central: int | None, source: str
) -> Proxy:
    """A proxy from checked values in pence, or ProxyError naming each field wrong."""
    errors: dict[str, str] = {}
    for name, amount in (("low", low), ("high", high), ("central", central)):
        if amount is not None and amount < 0:
            errors[name] = f"Enter the {name} figure as £0 or more"
        elif amount is not None and amount > MAX_PROXY_PENCE:
            errors[name] = f"Enter the {name} figure of {format_pounds(MAX_PROXY_PENCE)} or less"
    if low is None:
        errors.setdefault("low", "Enter the low figure")
    if high is None:
        errors.setdefault("high", "Enter the high figure")
    if not errors and low > high:
        errors["high"] = "The high figure must be the same as or more than the low figure"
    if not errors and central is not None and not low <= central <= high:
        errors["central"] = "The central figure must lie between the low and high figures"
    if not source.strip():
        errors["source"] = "Enter the source of these figures, for example the study they are from"
    elif len(source) > 1000:
        errors["source"] = "The source must be 1000 characters or fewer"
    if errors:
        raise ProxyError(errors)
    return Proxy(kind=kind, low=low, high=high, central=central, source=source.strip())

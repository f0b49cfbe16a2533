"""Compact rule sets: the national default periods, a local Compact's own overrides, and how
a rule is found along the chain (district, then its upper-tier Compact, then national)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from .periods import CALENDAR_DAYS, MONTHS, WEEKS, WORKING_DAYS, Period, PeriodError

_PERIOD_TEXT = re.compile(r"(\d+) (.+)")
_UNIT_WORDS = {
    "month": MONTHS,
    "calendar month": MONTHS,
    "week": WEEKS,
    "day": CALENDAR_DAYS,
    "calendar day": CALENDAR_DAYS,
    "working day": WORKING_DAYS,
}
_RULE_NAME = re.compile(r"[a-z][a-z0-9_]*")


def parse_period(text: str) -> Period:
    """Read "3 months", "12 weeks", "10 days", "20 working days" (any case, singular or plural).

    The inverse of ``Period.describe``; bare "days" means calendar days.
    """
    if not isinstance(text, str):
        raise PeriodError(f"a period must be text such as '3 months', not {type(text).__name__}")
    match = _PERIOD_TEXT.fullmatch(" ".join(text.lower().split()))
    # "working_days" and "working-days" are read as "working days"; the unit must be one of ours.
    words = " ".join(re.split(r"[ _-]+", match[2])).removesuffix("s") if match else ""
    if words not in _UNIT_WORDS:
        raise PeriodError(
            f"cannot read {text!r} as a period; write e.g. '3 months', '12 weeks', "
            "'10 calendar days' or '20 working days'"
        )
    return Period(int(match[1]), _UNIT_WORDS[words])


@dataclass(frozen=True, eq=False)
class RuleSet(Mapping[str, Period]):
    """A Compact's periods by rule name; values may be given as text ("6 months").

    Read-only, and compares equal to any mapping with the same rules.
    """

    rules: Mapping[str, Period | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parsed: dict[str, Period] = {}
        for name, value in dict(self.rules).items():
            if not isinstance(name, str) or not _RULE_NAME.fullmatch(name):
                raise PeriodError(f"a rule name is lower-case words joined by '_': {name!r}")
            parsed[name] = value if isinstance(value, Period) else parse_period(value)
        object.__setattr__(self, "rules", MappingProxyType(parsed))

    def __getitem__(self, name: str) -> Period:
        return self.rules[name]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)


NATIONAL_DEFAULTS = RuleSet(
    {
        "funding_notice": Period(3, MONTHS),
        "consultation": Period(12, WEEKS),
        "acknowledge": Period(5, WORKING_DAYS),
        "local_conciliation": Period(20, WORKING_DAYS),
        "regional_mediation": Period(40, WORKING_DAYS),
    }
)
# Known to the Compact but not a default: it applies only where a local rule set adopts it.
OPTIONAL_RULES = RuleSet({"invoice_payment": Period(10, CALENDAR_DAYS)})


def resolve_rule(name: str, chain: Sequence[Mapping[str, Period]] = ()) -> Period:
    """The period for rule ``name``: the first rule set in ``chain`` that has it wins.

    Pass the chain most local first (district, then upper tier); the national defaults are
    always consulted last. An optional rule not adopted anywhere in the chain, or a name no rule
    set knows, raises PeriodError.
    """
    for rules in chain:
        period = rules.get(name)
        if period is not None:
            if not isinstance(period, Period):
                raise PeriodError(f"rule {name!r} is set to {period!r}, which is not a Period")
            return period
    period = NATIONAL_DEFAULTS.get(name)
    if period is not None:
        return period
    if name in OPTIONAL_RULES:
        raise PeriodError(
            f"rule {name!r} is optional and this Compact's rule set does not adopt it "
            f"(the usual period is {OPTIONAL_RULES[name].describe()})"
        )
    known = ", ".join(sorted({*NATIONAL_DEFAULTS, *OPTIONAL_RULES}))
    raise PeriodError(f"unknown rule {name!r}; the known rules are {known}")

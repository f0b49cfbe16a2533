"""What a dispute came to: the level it reached, the outcome type, whether a breach was found,
and the figures the region counts; checked from what a person typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .labels import LabelledEnum

# Re-exported: the outcome's figures are bounded where every other figure is.
from .money import MAX_FIGURE as MAX_FIGURE
from .money import FigureError, parse_count, parse_pounds


class Level(LabelledEnum):
    """How far a dispute went before it ended."""

    BEFORE_CONCILIATION = "before_conciliation", "Before conciliation"
    LOCAL_CONCILIATION = "local_conciliation", "Local conciliation"
    REGIONAL_MEDIATION = "regional_mediation", "Regional mediation"


class OutcomeType(LabelledEnum):
    AGREEMENT_REACHED = "agreement_reached", "Agreement reached"
    FUNDING_REINSTATED = "funding_reinstated", "Funding reinstated or phased"
    NOTICE_EXTENDED = "notice_extended", "Notice extended"
    DECISION_UPHELD = "decision_upheld", "Decision upheld"
    PARTIALLY_RESOLVED = "partially_resolved", "Partially resolved"
    NO_AGREEMENT = "no_agreement", "No agreement"
    REFERRED_NATIONAL = "referred_national", "Referred for national advice"


class Breach(LabelledEnum):
    YES = "yes", "Yes"
    NO = "no", "No"
    PARTLY = "partly", "Partly"


_LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

# The longest reason, agreed actions or learning a person may type.
MAX_REASON_LENGTH = 2000


@dataclass(frozen=True)
class OutcomeDraft:
    """An outcome as typed into the form: every value the text the person entered."""

    level: str = ""
    outcome_type: str = ""
    breach_found: str = ""
    funding_protected: str = ""
    jobs_safeguarded: str = ""
    notice_days_gained: str = ""
    service_users_affected: str = ""
    agreed_actions: str = ""
    learning: str = ""
    learning_shareable: str = ""


@dataclass(frozen=True)
class OutcomeRecord:
    """A complete outcome, checked: the figures are whole numbers, None where not known."""

    level: Level
    outcome_type: OutcomeType
    breach_found: Breach
    funding_protected: int | None
    jobs_safeguarded: int | None
    notice_days_gained: int | None
    service_users_affected: int | None
    agreed_actions: str
    learning: str
    learning_shareable: bool


# The figures an outcome counts, with the words an error message uses for each.
OUTCOME_FIGURES: Mapping[str, str] = {
    "funding_protected": "the funding protected",
    "jobs_safeguarded": "jobs safeguarded",
    "notice_days_gained": "days of notice gained",
    "service_users_affected": "service users affected",
}


def check_outcome(
    draft: OutcomeDraft, reached: Level | None
) -> tuple[OutcomeRecord | None, dict[str, str]]:
    """The outcome `draft` describes for a case that has reached level `reached`, or field errors.

    A resolved case needs its level, type, whether a breach was found, what was agreed, the
    learning and whether it may be shared. The figures may be left blank where not known (0
    means none), but what is typed must be a whole number from 0 upwards. The level cannot be
    beyond the stage the case has reached.
    """
    errors: dict[str, str] = {}
    level = _choice(Level, draft.level)
    if level is None:
        errors["level"] = "Select the level the dispute reached"
    elif reached is not None and _LEVEL_ORDER.index(level) > _LEVEL_ORDER.index(reached):
        errors["level"] = f"The case has not reached {level.label.lower()}; select a lower level"
    outcome_type = _choice(OutcomeType, draft.outcome_type)
    if outcome_type is None:
        errors["outcome_type"] = "Select the type of outcome"
    breach = _choice(Breach, draft.breach_found)
    if breach is None:
        errors["breach_found"] = "Select whether a Compact breach was found"
    figures: dict[str, int | None] = {}
    for name, words in OUTCOME_FIGURES.items():
        figures[name], error = _figure(getattr(draft, name), name, words)
        if error:
            errors[name] = error
    for name, missing in (
        ("agreed_actions", "Enter the actions agreed, or what was decided"),
        ("learning", "Enter the learning from the case"),
    ):
        text = getattr(draft, name).strip()
        if not text:
            errors[name] = missing
        elif len(text) > MAX_REASON_LENGTH:
            errors[name] = f"Enter no more than {MAX_REASON_LENGTH} characters"
    if draft.learning_shareable not in ("yes", "no"):
        errors["learning_shareable"] = "Select whether the learning may be shared anonymised"
    if errors:
        return None, errors
    return (
        OutcomeRecord(
            level=level,
            outcome_type=outcome_type,
            breach_found=breach,
            agreed_actions=draft.agreed_actions.strip(),
            learning=draft.learning.strip(),
            learning_shareable=draft.learning_shareable == "yes",
            **figures,
        ),
        {},
    )


def _choice(kind, value: str):
    try:
        return kind(value)
    except ValueError:
        return None


def _figure(text: str, name: str, words: str) -> tuple[int | None, str | None]:
    """A typed figure as a whole number (None when blank), or the error to show: money by the
    money rule, the other figures as counts."""
    parse = parse_pounds if name == "funding_protected" else parse_count
    try:
        return parse(text, words), None
    except FigureError as error:
        return None, error.message

"""The annual self-assessment a local Compact files with its region, and the region's roll-up.

Plain values only. A return's answers are a frozen `Answers`: each code and structure "yes",
"no" or "" (not answered yet), three texts and two sets of themes. A draft may be incomplete;
a return is submitted only when `missing` names nothing. The roll-up counts, over the returns
submitted, the codes in place by Compact, the structures and the themes of the challenges and
the support asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .labels import LabelledEnum

MAX_TEXT = 5000


class Code(LabelledEnum):
    FUNDING = "funding", "Funding"
    COMMISSIONING = "commissioning", "Commissioning and procurement"
    VOLUNTEERING = "volunteering", "Volunteering"
    CONSULTATION = "consultation", "Consultation"
    CAPACITY_BUILDING = "capacity_building", "Capacity building"
    COMMUNITY_GROUPS = "community_groups", "Community groups"
    EQUALITIES = "equalities", "Equalities"
    CONCILIATION = "conciliation", "Conciliation and dispute resolution"


class Structure(LabelledEnum):
    STEERING_GROUP = "steering_group", "A steering or monitoring group"
    CHAMPIONS = "champions", "Compact champions"
    ANNUAL_REVIEW = "annual_review", "An annual review"


class ChallengeTheme(LabelledEnum):
    BUSINESS_CASE = "business_case", "Showing outcomes and the business case"
    FUNDING_CUTS = "funding_cuts", "Funding reductions"
    STATUTORY_ENGAGEMENT = "statutory_engagement", "Engaging statutory partners"
    AWARENESS = "awareness", "Awareness of the Compact"
    CAPACITY = "capacity", "Officer time and resources"
    COMMISSIONING = "commissioning", "Commissioning and procurement practice"
    CROSS_BOUNDARY = "cross_boundary", "Disputes beyond one locality"


class SupportTheme(LabelledEnum):
    MEDIATION = "mediation", "Regional mediation and dispute support"
    REGIONAL_FUNDERS = "regional_funders", "Work with regional funders"
    EVIDENCE = "evidence", "Evidence and the business case"
    TRAINING = "training", "Training for officers and champions"
    SHARING = "sharing", "Sharing good practice"
    POLICY = "policy", "Policy briefings"


class ReturnStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


ANSWERS = ("yes", "no")


@dataclass(frozen=True)
class Answers:
    """A return's answers as given so far; "" or an empty set where not answered."""

    codes: Mapping[Code, str] = field(default_factory=dict)
    structures: Mapping[Structure, str] = field(default_factory=dict)
    achievements: str = ""
    challenges: str = ""
    challenge_themes: frozenset[ChallengeTheme] = frozenset()
    support: str = ""
    support_themes: frozenset[SupportTheme] = frozenset()

    def to_json(self) -> dict:
        return {
            "codes": {c.value: self.codes.get(c, "") for c in Code},
            "structures": {s.value: self.structures.get(s, "") for s in Structure},
            "achievements": self.achievements,
            "challenges": self.challenges,
            "challenge_themes": sorted(t.value for t in self.challenge_themes),
            "support": self.support,
            "support_themes": sorted(t.value for t in self.support_themes),
        }

    @classmethod
    def from_json(cls, data: Mapping | None) -> Answers:
        data = data or {}
        codes, structures = data.get("codes") or {}, data.get("structures") or {}
        return cls(
            codes={c: codes.get(c.value, "") for c in Code if codes.get(c.value) in ANSWERS},
            structures={
                s: structures.get(s.value, "")
                for s in Structure
                if structures.get(s.value) in ANSWERS
            },
            achievements=data.get("achievements") or "",
            challenges=data.get("challenges") or "",
            challenge_themes=frozenset(
                ChallengeTheme(t)
                for t in data.get("challenge_themes") or ()
                if t in ChallengeTheme._value2member_map_
            ),
            support=data.get("support") or "",
            support_themes=frozenset(
                SupportTheme(t)
                for t in data.get("support_themes") or ()
                if t in SupportTheme._value2member_map_
            ),
        )


def missing(answers: Answers) -> dict[str, str]:
    """What a return still lacks before it can be submitted, by field name, each in words
    saying what to do; empty when complete."""
    found: dict[str, str] = {}
    for code in Code:
        if answers.codes.get(code) not in ANSWERS:
            found[f"code_{code.value}"] = f"Say whether the {code.label.lower()} code is in place"
    for structure in Structure:
        if answers.structures.get(structure) not in ANSWERS:
            found[f"structure_{structure.value}"] = (
                f"Say whether your Compact has {structure.label[0].lower()}{structure.label[1:]}"
            )
    if not answers.achievements.strip():
        found["achievements"] = "Describe the year's achievements"
    if not answers.challenges.strip():
        found["challenges"] = "Describe the challenges your Compact faces"
    if not answers.challenge_themes:
        found["challenge_themes"] = "Tick at least one theme of the challenges"
    if not answers.support.strip():
        found["support"] = "Describe the support you want from the region"
    if not answers.support_themes:
        found["support_themes"] = "Tick at least one theme of the support you want"
    return found


def too_long(answers: Answers) -> dict[str, str]:
    """Texts over the limit, by field name (a draft is refused these too)."""
    return {
        name: f"Keep this to {MAX_TEXT} characters or fewer"
        for name in ("achievements", "challenges", "support")
        if len(getattr(answers, name)) > MAX_TEXT
    }


def financial_year_of(day: date) -> int:
    """The first calendar year of the financial year (April to March) containing `day`."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[2:]}"


@dataclass(frozen=True)
class FiledReturn:
    """One Compact's return as the roll-up reads it."""

    compact: str
    status: ReturnStatus
    answers: Answers


@dataclass(frozen=True)
class RollUp:
    """The region's tables: a row per Compact of codes and structures in place (True, False,
    or None when not answered), and the count of Compacts in place and of each theme."""

    compacts: tuple[str, ...]
    codes: tuple[tuple[str, tuple[bool | None, ...]], ...]
    structures: tuple[tuple[str, tuple[bool | None, ...]], ...]
    codes_in_place: tuple[int, ...]
    structures_in_place: tuple[int, ...]
    challenge_themes: tuple[tuple[ChallengeTheme, int], ...]
    support_themes: tuple[tuple[SupportTheme, int], ...]
    submitted: int
    drafts: int
    not_started: tuple[str, ...]


def _in_place(answer: str | None) -> bool | None:
    return None if answer not in ANSWERS else answer == "yes"


def roll_up(returns: Iterable[FiledReturn], every_compact: Iterable[str]) -> RollUp:
    """The roll-up of the submitted returns; drafts are counted but not read, and the Compacts
    of `every_compact` without a return are listed as not started."""
    returns = sorted(returns, key=lambda r: r.compact)
    submitted = [r for r in returns if r.status is ReturnStatus.SUBMITTED]
    codes = tuple(
        (r.compact, tuple(_in_place(r.answers.codes.get(c)) for c in Code)) for r in submitted
    )
    structures = tuple(
        (r.compact, tuple(_in_place(r.answers.structures.get(s)) for s in Structure))
        for r in submitted
    )

    def count(rows, width: int) -> tuple[int, ...]:
        return tuple(sum(1 for _, row in rows if row[i]) for i in range(width))

    def themes(enum, attribute: str):
        counted = [
            (t, sum(1 for r in submitted if t in getattr(r.answers, attribute))) for t in enum
        ]
        return tuple(sorted(counted, key=lambda pair: (-pair[1], list(enum).index(pair[0]))))

    filed = {r.compact for r in returns}
    return RollUp(
        compacts=tuple(r.compact for r in submitted),
        codes=codes,
        structures=structures,
        codes_in_place=count(codes, len(Code)),
        structures_in_place=count(structures, len(Structure)),
        challenge_themes=themes(ChallengeTheme, "challenge_themes"),
        support_themes=themes(SupportTheme, "support_themes"),
        submitted=len(submitted),
        drafts=len(returns) - len(submitted),
        not_started=tuple(sorted(set(every_compact) - filed)),
    )

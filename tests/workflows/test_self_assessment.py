"""A Compact's return: what it lacks before it can be submitted, and the region's roll-up."""

from __future__ import annotations

from datetime import date

from workflows.self_assessment import (
    Answers,
    ChallengeTheme,
    Code,
    FiledReturn,
    ReturnStatus,
    Structure,
    SupportTheme,
    financial_year_of,
    missing,
    roll_up,
    year_label,
)


def complete(**overrides) -> Answers:
    values = dict(
        codes={c: "yes" for c in Code},
        structures={s: "yes" for s in Structure},
        achievements="A refreshed funding code.",
        challenges="Cuts.",
        challenge_themes=frozenset({ChallengeTheme.FUNDING_CUTS}),
        support="Mediation.",
        support_themes=frozenset({SupportTheme.MEDIATION}),
    )
    values.update(overrides)
    return Answers(**values)


def test_a_complete_return_lacks_nothing():
    assert missing(complete()) == {}


def test_an_empty_return_names_every_missing_answer():
    found = missing(Answers())
    assert len(found) == len(Code) + len(Structure) + 5
    assert found["code_funding"] == "Say whether the funding code is in place"
    assert found["structure_champions"] == "Say whether your Compact has compact champions"
    assert found["support_themes"] == "Tick at least one theme of the support you want"


def test_one_unanswered_code_is_named_alone():
    codes = {c: "no" for c in Code if c is not Code.EQUALITIES}
    assert list(missing(complete(codes=codes))) == ["code_equalities"]


def test_answers_survive_the_json_round_trip_and_ignore_unknown_values():
    answers = complete()
    assert Answers.from_json(answers.to_json()) == answers
    odd = Answers.from_json({"codes": {"funding": "maybe"}, "challenge_themes": ["nope"]})
    assert odd.codes == {} and odd.challenge_themes == frozenset()


def test_the_roll_up_of_hand_made_returns():
    # Birmingham: every code but equalities, no champions, themes cuts + business case;
    # Coventry: only funding and conciliation, every structure, theme cuts;
    # Dudley: a draft (not counted); Solihull: no return at all.
    bir = complete(
        codes={c: ("no" if c is Code.EQUALITIES else "yes") for c in Code},
        structures={s: ("no" if s is Structure.CHAMPIONS else "yes") for s in Structure},
        challenge_themes=frozenset({ChallengeTheme.FUNDING_CUTS, ChallengeTheme.BUSINESS_CASE}),
        support_themes=frozenset({SupportTheme.MEDIATION, SupportTheme.EVIDENCE}),
    )
    cov = complete(
        codes={c: ("yes" if c in (Code.FUNDING, Code.CONCILIATION) else "no") for c in Code},
        support_themes=frozenset({SupportTheme.EVIDENCE}),
    )
    found = roll_up(
        [
            FiledReturn("Coventry", ReturnStatus.SUBMITTED, cov),
            FiledReturn("Birmingham", ReturnStatus.SUBMITTED, bir),
            FiledReturn("Dudley", ReturnStatus.DRAFT, Answers()),
        ],
        ["Birmingham", "Coventry", "Dudley", "Solihull"],
    )
    assert found.compacts == ("Birmingham", "Coventry")
    assert found.submitted == 2 and found.drafts == 1 and found.not_started == ("Solihull",)
    # Funding 2, commissioning 1, volunteering 1, consultation 1, capacity 1,
    # community groups 1, equalities 0, conciliation 2.
    assert found.codes_in_place == (2, 1, 1, 1, 1, 1, 0, 2)
    assert found.structures_in_place == (2, 1, 2)
    assert found.codes[0] == ("Birmingham", (True,) * 6 + (False, True))
    assert found.challenge_themes[:2] == (
        (ChallengeTheme.FUNDING_CUTS, 2),
        (ChallengeTheme.BUSINESS_CASE, 1),
    )
    assert dict(found.support_themes)[SupportTheme.EVIDENCE] == 2
    assert dict(found.support_themes)[SupportTheme.MEDIATION] == 1
    assert dict(found.support_themes)[SupportTheme.TRAINING] == 0


def test_years_run_april_to_march():
    assert financial_year_of(date(2027, 3, 31)) == 2026
    assert financial_year_of(date(2027, 4, 1)) == 2027
    assert year_label(2026) == "2026/27"

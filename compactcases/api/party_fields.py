"""The API's case parties and affected Compacts: reading them from a body into the service's
values, and writing them out for a case or a page of cases."""

from __future__ import annotations

import sqlalchemy as sa

from ..cases.services import CaseDetails, regional_compacts_for
from ..extensions import db
from ..models import Case, CaseCompact, CaseLevel, CaseParty, Compact, Organisation, Side, User
from .problems import Problem
from .schemas import PartyIn


def other_parties(
    parties: list[PartyIn], funder_id: int, third_sector_id: int
) -> tuple[tuple[int, Side], ...]:
    """The parties beyond the two leads, in the order given: a lead listed on its own side is
    the lead; listed on the other side it stays, for the service to refuse."""
    leads = {(funder_id, Side.FUNDER), (third_sector_id, Side.THIRD_SECTOR)}
    found = [
        (p.organisation_id, p.side) for p in parties if (p.organisation_id, p.side) not in leads
    ]
    return tuple(dict.fromkeys(found)) if len(set(found)) == len(found) else tuple(found)


def compact_ids(codes: list[str], allowed: list[Compact]) -> tuple[tuple[int, ...], list[str]]:
    """The ids of the Compacts coded `codes` among `allowed`, and the codes not found there."""
    by_code = {c.code: c.id for c in allowed}
    wanted = [code.upper() for code in codes]
    return (
        tuple(dict.fromkeys(by_code[c] for c in wanted if c in by_code)),
        [c for c in wanted if c not in by_code],
    )


def lists_of(case: Case) -> dict:
    """The case's level, affected Compacts and parties, as the API shows them."""
    return {
        "level": case.level.value,
        "affected_compacts": [c.code for c in case.affected_compacts],
        "parties": [
            {"id": p.organisation_id, "name": p.organisation.name, "side": p.side.value}
            for p in case.parties
        ],
    }


def lists_by_reference(references: list[str]) -> dict[str, dict]:
    """`lists_of` for a page of cases, in two queries whatever their number."""
    if not references:
        return {}
    found = {
        r: {"level": CaseLevel.LOCAL.value, "affected_compacts": [], "parties": []}
        for r in references
    }
    compacts = db.session.execute(
        sa.select(Case.reference, Compact.code)
        .join(CaseCompact, CaseCompact.case_id == Case.id)
        .join(Compact, Compact.id == CaseCompact.compact_id)
        .where(Case.reference.in_(references))
        .order_by(CaseCompact.position)
    )
    for reference, code in compacts:
        found[reference]["level"] = CaseLevel.REGIONAL.value
        found[reference]["affected_compacts"].append(code)
    parties = db.session.execute(
        sa.select(Case.reference, Organisation.id, Organisation.name, CaseParty.side)
        .join(CaseParty, CaseParty.case_id == Case.id)
        .join(Organisation, Organisation.id == CaseParty.organisation_id)
        .where(Case.reference.in_(references))
        .order_by(CaseParty.side, CaseParty.position)
    )
    for reference, organisation_id, name, side in parties:
        found[reference]["parties"].append(
            {"id": organisation_id, "name": name, "side": side.value}
        )
    return found


def list_changes(case: Case, current: CaseDetails, changes: dict, user: User) -> dict:
    """The body's `parties` and `affected_compacts` as the service's values; a refused
    request (a local case given Compacts, a code not of the region) as 422."""
    found: dict = {}
    parties = changes.pop("parties", None)
    if parties is not None:
        leads = (
            changes.get("funder_id", current.funder_id),
            changes.get("third_sector_id", current.third_sector_id),
        )
        listed_parties = [PartyIn(**p) for p in parties]
        found["other_parties"] = other_parties(listed_parties, *leads)
    codes = changes.pop("affected_compacts", None)
    if codes is not None:
        if not case.is_regional:
            raise Problem(
                422,
                "A local case has no affected Compacts to change",
                errors={"affected_compacts": ["Refer the case to the region first"]},
            )
        affected, unknown = compact_ids(codes, regional_compacts_for(user))
        if unknown:
            raise Problem(
                422,
                "Some fields are invalid",
                errors={
                    "affected_compacts": [f"Not a Compact of your region: {', '.join(unknown)}"]
                },
            )
        found["affected_compact_ids"] = affected
    return found

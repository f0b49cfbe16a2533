"""A case's parties and affected Compacts as people give them: what is wrong with a list of
parties, and with a regional case's Compacts, by field, for the pages and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..extensions import db
from ..models import Compact, Organisation, Role, User

if TYPE_CHECKING:
    from .services import CaseDetails


def party_errors(
    funder_ids: tuple[int, ...], third_sector_ids: tuple[int, ...], region_id: int | None
) -> dict[str, str]:
    """What is wrong with these parties (each side's lead first), by field: `funder_id` and
    `third_sector_id` for the leads, `parties` for the others. With `region_id`, every party
    must belong to that region (a regional case's)."""
    errors: dict[str, str] = {}
    wanted = {*funder_ids, *third_sector_ids}
    found = {
        o.id: o
        for o in db.session.scalars(sa.select(Organisation).where(Organisation.id.in_(wanted)))
    }
    sides = (
        ("funder_id", funder_ids, True, "Select the statutory funder", "a statutory funder"),
        (
            "third_sector_id",
            third_sector_ids,
            False,
            "Select the third-sector organisation",
            "a third-sector organisation",
        ),
    )
    for lead_field, ids, statutory, missing, kind in sides:
        for position, organisation_id in enumerate(ids):
            name = lead_field if position == 0 else "parties"
            organisation = found.get(organisation_id)
            if organisation is None:
                message = missing if position == 0 else "Select each party from the list"
            elif organisation.is_statutory is not statutory:
                message = f"{organisation.name} is not {kind}"
            elif region_id is not None and organisation.region_id != region_id:
                message = f"{organisation.name} is not in the region of this case"
            else:
                continue
            errors.setdefault(name, message)
    both = set(funder_ids) & set(third_sector_ids)
    if both and "third_sector_id" not in errors:
        leads = third_sector_ids[0] == funder_ids[0]
        errors.setdefault(
            "third_sector_id" if leads else "parties",
            "The funder and the third-sector organisation must differ"
            if leads
            else "The same organisation cannot be on both sides",
        )
    if len(set(funder_ids)) < len(funder_ids) or len(set(third_sector_ids)) < len(third_sector_ids):
        errors.setdefault("parties", "Name each party once")
    return errors


def regional_errors(compact_ids: tuple[int, ...], allowed: list[Compact]) -> dict[str, str]:
    """What is wrong with a regional case's affected Compacts, chosen from `allowed` (those
    the user may open regional cases in): at least one, all of one region."""
    if not compact_ids:
        return {"affected_compacts": "Select at least one affected local Compact"}
    by_id = {c.id: c for c in allowed}
    if any(i not in by_id for i in compact_ids):
        return {"affected_compacts": "Select affected Compacts of your region"}
    if len({by_id[i].region_id for i in compact_ids}) > 1:
        return {"affected_compacts": "Select affected Compacts of one region"}
    return {}


def region_of(compact_ids: tuple[int, ...]) -> int | None:
    """The region of the first of these Compacts, or None."""
    if not compact_ids:
        return None
    return db.session.scalar(sa.select(Compact.region_id).where(Compact.id == compact_ids[0]))


def regional_compacts_for(user: User) -> list[Compact]:
    """The Compacts `user` may name as affected by a regional case: a mediator's region's,
    every one for an administrator, none for anyone else."""
    query = sa.select(Compact).order_by(Compact.name)
    if user.role is Role.MEDIATOR:
        query = query.where(Compact.region_id == user.region_id)
    elif user.role is not Role.ADMIN:
        query = query.where(sa.false())
    return list(db.session.scalars(query))


def list_changes(was: CaseDetails, details: CaseDetails) -> dict[str, list]:
    """The other parties and the affected Compacts, where the edit changes them, as names."""
    changes: dict[str, list] = {}
    if was.other_parties != details.other_parties:
        changes["other_parties"] = [
            _names(Organisation, [i for i, _ in pairs])
            for pairs in (was.other_parties, details.other_parties)
        ]
    if was.affected_compact_ids != details.affected_compact_ids:
        changes["affected_compacts"] = [
            _names(Compact, ids) for ids in (was.affected_compact_ids, details.affected_compact_ids)
        ]
    return changes


def _names(model, ids) -> str | None:
    return ", ".join(db.session.get(model, i).name for i in ids) or None

"""Organisations added by the people who meet them: a Compact officer adds a local
third-sector organisation from the case form, in a Compact they work in and its region. An
administrator manages every organisation in admin/."""

from __future__ import annotations

import sqlalchemy as sa

from .. import policy
from ..extensions import db
from ..models import (
    STATUTORY_TYPES,
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    User,
)

# The kinds of organisation an officer may add: never a statutory funder.
LOCAL_TYPES = tuple(t for t in OrganisationType if t not in STATUTORY_TYPES)
NAME_LENGTH = 160


class OrganisationRefused(Exception):
    """The organisation cannot be added as typed; `errors` says why, by field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def tidy_name(name: str) -> str:
    """The name as it is kept: spaces at the ends dropped and runs of spaces made one."""
    return " ".join((name or "").split())


def _same_name(name: str) -> Organisation | None:
    # Names are unique over every region (the column's constraint); case is not a difference.
    return db.session.scalar(
        sa.select(Organisation).where(sa.func.lower(Organisation.name) == name.lower()).limit(1)
    )


def name_errors(name: str, compact: Compact | None) -> dict[str, str]:
    """What is wrong with adding `name` in `compact`'s region; empty when it can be added."""
    name = tidy_name(name)
    if not name:
        return {"name": "Enter the name of the organisation"}
    if len(name) > NAME_LENGTH:
        return {"name": f"Name must be {NAME_LENGTH} characters or fewer"}
    existing = _same_name(name)
    if existing is None:
        return {}
    if compact is not None and existing.region_id == compact.region_id:
        return {"name": f"{existing.name} is already listed: choose it on the case form"}
    return {
        "name": f"An organisation called {existing.name} is listed in another region; add the "
        "place to the name to tell them apart"
    }


def add_local_organisation(
    name: str, kind: OrganisationType | None, compact: Compact | None, actor: User
) -> Organisation:
    """Add a third-sector organisation working in `compact`, in its region, and commit;
    OrganisationRefused (nothing written) when the name is missing or already taken, or the
    kind or Compact not given."""
    name = tidy_name(name)
    errors = name_errors(name, compact)
    if kind not in LOCAL_TYPES:
        errors["type"] = "Select what kind of organisation it is"
    if compact is None:
        errors["compact"] = "Select the local Compact it works in"
    if errors:
        raise OrganisationRefused(errors)
    organisation = Organisation(
        name=name,
        kind=OrganisationKind.THIRD_SECTOR,
        type=kind,
        region_id=compact.region_id,
        compact_id=compact.id,
    )
    db.session.add(organisation)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        # Someone added the same name a moment ago: the unique name refused the second.
        db.session.rollback()
        raise OrganisationRefused(name_errors(name, compact) or {"name": "Try again"}) from None
    policy.audit("organisation_added", user_id=actor.id, organisation_id=organisation.id, name=name)
    return organisation

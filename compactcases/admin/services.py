"""Administration: accounts, Compacts and organisations."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from ..auth import passwords, sessions
from ..extensions import db
from ..models import (
    STATUTORY_TYPES,
    Case,
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Region,
    Role,
    Tier,
    User,
)
from ..policy import PARTY_ROLES
from ..reminders import planning


class AdminError(ValueError):
    """Input an administrator can correct; `field` names where it belongs."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    role: Role
    password: str
    compact_code: str | None = None
    region_code: str | None = None
    organisation_name: str | None = None
    # A mediator who assigns the region's escalated cases (see cases.assignment).
    lead_mediator: bool = False


def check_scope(role: Role, compact, region, organisation) -> None:
    """Each role needs its scope, and only its scope."""
    if role is Role.OFFICER and compact is None:
        raise AdminError("compact", "An officer needs the Compact they work for")
    if role in (Role.MEDIATOR, Role.VIEWER) and region is None:
        raise AdminError("region", "A mediator or viewer needs their region")
    if role is Role.FUNDER:
        if organisation is None:
            raise AdminError("organisation", "A funder user needs their organisation")
        if organisation.kind is not OrganisationKind.STATUTORY:
            raise AdminError("organisation", f"{organisation.name} is not a statutory funder")
    if role is Role.ORGANISATION:
        if organisation is None:
            raise AdminError("organisation", "An organisation user needs their organisation")
        if organisation.kind is not OrganisationKind.THIRD_SECTOR:
            raise AdminError(
                "organisation", f"{organisation.name} is not a third-sector organisation"
            )


def create_user(new: NewUser) -> User:
    email = new.email.strip().lower()
    if not email or "@" not in email:
        raise AdminError("email", "Enter an email address like name@example.org")
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email)):
        raise AdminError("email", f"There is already an account for {email}")
    if not new.name.strip():
        raise AdminError("name", "Enter the person's name")
    problem = passwords.password_problem(new.password, name=new.name, email=email)
    if problem:
        raise AdminError("password", problem)
    compact = region = organisation = None
    if new.compact_code:
        compact = db.session.scalar(sa.select(Compact).filter_by(code=new.compact_code.upper()))
        if compact is None:
            raise AdminError("compact", f"There is no Compact with the code {new.compact_code}")
    if new.region_code:
        region = db.session.scalar(sa.select(Region).filter_by(code=new.region_code.upper()))
        if region is None:
            raise AdminError("region", f"There is no region with the code {new.region_code}")
    if new.organisation_name:
        organisation = db.session.scalar(
            sa.select(Organisation).filter_by(name=new.organisation_name.strip())
        )
        if organisation is None:
            raise AdminError(
                "organisation", f"There is no organisation called {new.organisation_name}"
            )
    check_scope(new.role, compact, region, organisation)
    if new.lead_mediator and new.role is not Role.MEDIATOR:
        raise AdminError("lead_mediator", "Only a mediator can be a lead mediator")
    if region is None and compact is not None:
        region = compact.region
    if region is None and organisation is not None:
        region = organisation.region
    user = User(
        email=email,
        name=new.name.strip(),
        role=new.role,
        compact=compact if new.role is Role.OFFICER else None,
        region=region,
        organisation=organisation if new.role in PARTY_ROLES else None,
        lead_mediator=new.lead_mediator,
        active=True,
    )
    user.set_password(new.password, method=current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.flush()
    planning.plan_again_for_person(user.id)
    db.session.commit()
    return user


def set_active(user: User, active: bool) -> None:
    """Deactivating also ends the account's sessions and API tokens, so reactivating it
    later brings none of them back."""
    user.active = active
    if not active:
        sessions.end_all(user, commit=False)
    db.session.flush()
    # Who is reminded changed: the next sweep plans their deadlines again.
    planning.plan_again_for_person(user.id)
    db.session.commit()


def find_user(email: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )


def list_users() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .options(
                joinedload(User.compact), joinedload(User.region), joinedload(User.organisation)
            )
            .order_by(User.active.desc(), User.name)
        )
    )


def list_compacts() -> list[Compact]:
    return list(
        db.session.scalars(
            sa.select(Compact)
            .options(joinedload(Compact.parent), joinedload(Compact.region))
            .order_by(Compact.name)
        )
    )


def list_regions() -> list[Region]:
    return list(db.session.scalars(sa.select(Region).order_by(Region.name)))


def save_region(code: str, name: str, region: Region | None = None) -> Region:
    code = code.strip().upper()
    clash = db.session.scalar(sa.select(Region).filter_by(code=code))
    if clash is not None and clash is not region:
        raise AdminError("code", f"The code {code} is already used by {clash.name}")
    if region is None:
        region = Region()
        db.session.add(region)
    region.code, region.name = code, name.strip()
    db.session.commit()
    return region


@dataclass(frozen=True)
class CompactDetails:
    code: str
    name: str
    tier: Tier
    region_id: int
    parent_id: int | None


def save_compact(details: CompactDetails, compact: Compact | None = None) -> Compact:
    code = details.code.strip().upper()
    clash = db.session.scalar(sa.select(Compact).filter_by(code=code))
    if clash is not None and clash is not compact:
        raise AdminError("code", f"The code {code} is already used by {clash.name}")
    parent = db.session.get(Compact, details.parent_id) if details.parent_id else None
    if details.tier is Tier.DISTRICT and parent is None:
        raise AdminError("parent", "A district Compact needs its upper-tier Compact")
    if details.tier is Tier.UPPER and parent is not None:
        raise AdminError("parent", "An upper-tier Compact has no parent")
    if parent is not None and (parent.tier is not Tier.UPPER or parent is compact):
        raise AdminError("parent", "The parent must be an upper-tier Compact")
    if parent is not None and parent.region_id != details.region_id:
        raise AdminError("parent", "The parent must be in the same region")
    if compact is None:
        compact = Compact()
        db.session.add(compact)
    compact.code = code
    compact.name = details.name.strip()
    compact.tier = details.tier
    compact.region_id = details.region_id
    compact.parent_id = parent.id if parent else None
    db.session.commit()
    return compact


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    type: OrganisationType
    region_id: int
    compact_id: int | None
    # The postal address letters use, one line a line; blank lines are dropped.
    address: str = ""


def save_organisation(
    details: OrganisationDetails, organisation: Organisation | None = None
) -> Organisation:
    name = details.name.strip()
    clash = db.session.scalar(sa.select(Organisation).filter_by(name=name))
    if clash is not None and clash is not organisation:
        raise AdminError("name", f"There is already an organisation called {name}")
    kind = (
        OrganisationKind.STATUTORY
        if details.type in STATUTORY_TYPES
        else OrganisationKind.THIRD_SECTOR
    )
    if organisation is not None and organisation.kind is not kind and _is_a_party(organisation):
        raise AdminError(
            "type",
            f"{organisation.name} is a party to cases as a {organisation.kind.label.lower()}; "
            "its kind cannot change",
        )
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    organisation.name = name
    organisation.type = details.type
    organisation.kind = kind
    organisation.region_id = details.region_id
    organisation.compact_id = details.compact_id or None
    lines = [line.strip() for line in details.address.splitlines() if line.strip()]
    organisation.address = "\n".join(lines) or None
    db.session.commit()
    return organisation


def _is_a_party(organisation: Organisation) -> bool:
    return bool(
        db.session.scalar(
            sa.select(
                sa.exists().where(
                    sa.or_(
                        Case.funder_id == organisation.id,
                        Case.third_sector_id == organisation.id,
                    )
                )
            )
        )
    )


def list_organisations(page: int, per_page: int = 50):
    query = (
        sa.select(Organisation)
        .options(joinedload(Organisation.compact))
        .order_by(Organisation.kind, Organisation.name)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)

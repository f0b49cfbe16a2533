"""The demo's reference rows: adds the region, Compacts, organisations, users and local rules
that are missing (looked up by code, name or email), and says which organisations can be
parties to a case in each Compact."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.rule_sets import parse_period

from ..extensions import db
from ..models import (
    Compact,
    CompactRule,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    OrganisationType,
    Region,
    Role,
    Tier,
    User,
)
from .data.organisations import (
    ADDRESSES,
    ALIASES,
    AREA_BODIES,
    COUNCILS,
    REGIONAL_BODIES,
    THIRD_SECTOR,
)
from .data.people import MEDIATOR_EMAIL, USERS, officer_email
from .data.places import (
    DISTRICT_COMPACTS,
    REGION_CODE,
    REGION_NAME,
    RULE_OVERRIDES,
    UPPER_COMPACTS,
)
from .data.regional import REGIONAL_FUNDERS


@dataclass
class Reference:
    """The reference rows the case generators need, keyed by code, name and email."""

    region: Region
    compacts: dict[str, Compact]
    organisations: dict[str, Organisation]
    users: dict[str, User]

    def officer(self, code: str) -> User | None:
        """The demo officer of the Compact with this code, if it has one."""
        user = self.users.get(officer_email(code))
        return user if user and user.role is Role.OFFICER else None

    def officer_id(self, code: str) -> int | None:
        user = self.officer(code)
        return user.id if user else None

    @property
    def mediator(self) -> User | None:
        return self.users.get(MEDIATOR_EMAIL)

    @property
    def mediator_id(self) -> int | None:
        return self.mediator.id if self.mediator else None


def ensure_reference_data() -> Reference:
    """Add the region, Compacts, organisations, users and rules that are not there yet;
    flushed, not committed."""
    region = db.session.scalar(sa.select(Region).filter_by(code=REGION_CODE))
    if region is None:
        region = Region(code=REGION_CODE, name=REGION_NAME)
        db.session.add(region)
        db.session.flush()
    compacts = _ensure_compacts(region)
    organisations = _ensure_organisations(region, compacts)
    users = _ensure_users(region, compacts, organisations)
    _ensure_rules(compacts)
    _ensure_aliases(organisations)
    return Reference(region, compacts, organisations, users)


def _ensure_aliases(organisations: dict[str, Organisation]) -> None:
    have = set(db.session.scalars(sa.select(OrganisationAlias.alias)))
    for name, aliases in ALIASES.items():
        for alias in aliases:
            if name in organisations and alias not in have:
                db.session.add(OrganisationAlias(organisation=organisations[name], alias=alias))
    db.session.flush()


def _ensure_compacts(region: Region) -> dict[str, Compact]:
    compacts = {c.code: c for c in db.session.scalars(sa.select(Compact))}
    for code, name in UPPER_COMPACTS:
        if code not in compacts:
            compacts[code] = Compact(code=code, name=name, tier=Tier.UPPER, region=region)
            db.session.add(compacts[code])
    for code, name, parent in DISTRICT_COMPACTS:
        if code not in compacts:
            compacts[code] = Compact(
                code=code, name=name, tier=Tier.DISTRICT, region=region, parent=compacts[parent]
            )
            db.session.add(compacts[code])
    db.session.flush()
    return compacts


def _ensure_organisations(region: Region, compacts: dict[str, Compact]) -> dict[str, Organisation]:
    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}

    def add(name: str, kind: OrganisationKind, type_: OrganisationType, code: str | None):
        if name in organisations:
            return
        organisations[name] = Organisation(
            name=name,
            kind=kind,
            type=type_,
            region_id=region.id,
            compact_id=compacts[code].id if code else None,
            address=ADDRESSES.get(name),
        )
        db.session.add(organisations[name])

    statutory, third_sector = OrganisationKind.STATUTORY, OrganisationKind.THIRD_SECTOR
    for code, name in COUNCILS.items():
        add(name, statutory, OrganisationType.COUNCIL, code)
    for name, type_, covers in AREA_BODIES:
        add(name, statutory, type_, covers[0])
    for name in REGIONAL_BODIES:
        add(name, statutory, OrganisationType.GOVERNMENT, None)
    for name, type_ in REGIONAL_FUNDERS:
        add(name, statutory, type_, None)
    for code, orgs in THIRD_SECTOR.items():
        for name, type_ in orgs:
            add(name, third_sector, type_, code)
    db.session.flush()
    return organisations


def _ensure_users(
    region: Region, compacts: dict[str, Compact], organisations: dict[str, Organisation]
) -> dict[str, User]:
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    for email, name, role, code, organisation in USERS:
        if email in users:
            continue
        users[email] = User(
            email=email,
            name=name,
            role=role,
            compact_id=compacts[code].id if code else None,
            region_id=None if role is Role.ADMIN else region.id,
            organisation_id=organisations[organisation].id if organisation else None,
            # The region's one mediator leads, so the demo shows assigning a case too.
            lead_mediator=email == MEDIATOR_EMAIL,
            active=True,
        )
        db.session.add(users[email])
    db.session.flush()
    return users


def _ensure_rules(compacts: dict[str, Compact]) -> None:
    have = {(row.compact_id, row.name) for row in db.session.scalars(sa.select(CompactRule))}
    for code, name, text in RULE_OVERRIDES:
        if (compacts[code].id, name) not in have:
            period = parse_period(text)
            db.session.add(
                CompactRule(
                    compact_id=compacts[code].id, name=name, count=period.count, unit=period.unit
                )
            )
    db.session.flush()


@dataclass(frozen=True)
class Parties:
    """The organisations that can be parties to a case in one Compact, by kind of funder."""

    councils: tuple[int, ...]
    by_type: dict[OrganisationType, tuple[int, ...]]
    regional: tuple[int, ...]
    third_sector: tuple[int, ...]
    own_third_sector: tuple[int, ...]  # those based in the Compact itself

    @property
    def funders(self) -> tuple[int, ...]:
        return self.councils + tuple(i for ids in self.by_type.values() for i in ids)


def parties(ref: Reference) -> dict[str, Parties]:
    """For each demo Compact, the funders and third-sector organisations a case can involve.

    A district Compact's cases may involve the county's bodies and groups as well as its own.
    """
    orgs = ref.organisations
    parents = {code: parent for code, _, parent in DISTRICT_COMPACTS}
    result: dict[str, Parties] = {}
    for code in COUNCILS:
        area = (code, parents[code]) if code in parents else (code,)
        by_type: dict[OrganisationType, tuple[int, ...]] = {}
        for name, type_, covers in AREA_BODIES:
            if any(c in covers for c in area):
                by_type[type_] = (*by_type.get(type_, ()), orgs[name].id)
        third = [orgs[name].id for c in area for name, _ in THIRD_SECTOR.get(c, ())]
        result[code] = Parties(
            councils=(orgs[COUNCILS[code]].id,),
            by_type=by_type,
            regional=tuple(orgs[name].id for name in REGIONAL_BODIES),
            third_sector=tuple(third),
            own_third_sector=tuple(orgs[name].id for name, _ in THIRD_SECTOR.get(code, ())),
        )
    return result

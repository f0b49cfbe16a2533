"""Demo data for the West Midlands region: Compacts, organisations, users and dispute cases.

`seed()` is called inside an application context. It adds whatever reference data is missing
(looked up by code, name or email, so running it again adds nothing), including a few Compact
rule overrides, and then either the standard demo set of about 60 cases with their deadlines
and a dozen funders' notices, once, or a given number of generated cases in bulk for
benchmarks (generated cases have no deadlines: they exist to measure lists and reports).
Dates are fixed relative to `ANCHOR` and all randomness comes from one seeded
generator, so the standard set is the same on every run.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflows import deadlines, dispute
from workflows.deadlines import DeadlineStatus
from workflows.dispute import CLOSED_STATES, LEVEL_OF_STATE, Event, State
from workflows.outcomes import Breach, Level, OutcomeType
from workflows.periods import working_days_between
from workflows.rule_sets import parse_period

from . import rules
from .extensions import db
from .models import (
    Area,
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    Compact,
    CompactRule,
    Deadline,
    Notice,
    NoticeKind,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Outcome,
    OutcomeKind,
    ReferenceCounter,
    Region,
    Role,
    Side,
    Tier,
    User,
)
from .notices.services import apply_verdict

# Every demo date is counted back from this day, not from today, so the data never drifts.
ANCHOR = date(2026, 11, 1)
RANDOM_SEED = 2026
BATCH_SIZE = 5_000

REGION_CODE = "WM"
REGION_NAME = "West Midlands"


@dataclass(frozen=True)
class SeedReport:
    """What the database holds after seeding, and how many cases this run added.

    `regions`, `compacts`, `organisations` and `users` are totals for the demo region (users:
    all users); `cases_added` counts only the cases this call inserted.
    """

    regions: int
    compacts: int
    organisations: int
    users: int
    cases_added: int


# --- Reference data -------------------------------------------------------------------------

# (code, name) of the 14 upper-tier Compacts.
UPPER_COMPACTS: tuple[tuple[str, str], ...] = (
    ("BIR", "Birmingham"),
    ("COV", "Coventry"),
    ("DUD", "Dudley"),
    ("HEF", "Herefordshire"),
    ("SAW", "Sandwell"),
    ("SHR", "Shropshire"),
    ("SOL", "Solihull"),
    ("STS", "Staffordshire"),
    ("STE", "Stoke-on-Trent"),
    ("TFW", "Telford and Wrekin"),
    ("WLL", "Walsall"),
    ("WAR", "Warwickshire"),
    ("WLV", "Wolverhampton"),
    ("WOR", "Worcestershire"),
)

# (code, name, parent code) of the district Compacts beneath the county ones.
DISTRICT_COMPACTS: tuple[tuple[str, str, str], ...] = (
    ("CAN", "Cannock Chase", "STS"),
    ("LIC", "Lichfield", "STS"),
    ("TAM", "Tamworth", "STS"),
    ("EST", "East Staffordshire", "STS"),
    ("RUG", "Rugby", "WAR"),
    ("WAW", "Warwick", "WAR"),
    ("NUN", "Nuneaton and Bedworth", "WAR"),
    ("STR", "Stratford-on-Avon", "WAR"),
    ("RED", "Redditch", "WOR"),
    ("WYF", "Wyre Forest", "WOR"),
    ("WCS", "Worcester", "WOR"),
    ("MAL", "Malvern Hills", "WOR"),
)

COUNCILS: dict[str, str] = {
    "BIR": "Birmingham City Council",
    "COV": "Coventry City Council",
    "DUD": "Dudley Metropolitan Borough Council",
    "HEF": "Herefordshire Council",
    "SAW": "Sandwell Metropolitan Borough Council",
    "SHR": "Shropshire Council",
    "SOL": "Solihull Metropolitan Borough Council",
    "STS": "Staffordshire County Council",
    "STE": "Stoke-on-Trent City Council",
    "TFW": "Telford & Wrekin Council",
    "WLL": "Walsall Council",
    "WAR": "Warwickshire County Council",
    "WLV": "City of Wolverhampton Council",
    "WOR": "Worcestershire County Council",
    "CAN": "Cannock Chase District Council",
    "LIC": "Lichfield District Council",
    "TAM": "Tamworth Borough Council",
    "EST": "East Staffordshire Borough Council",
    "RUG": "Rugby Borough Council",
    "WAW": "Warwick District Council",
    "NUN": "Nuneaton and Bedworth Borough Council",
    "STR": "Stratford-on-Avon District Council",
    "RED": "Redditch Borough Council",
    "WYF": "Wyre Forest District Council",
    "WCS": "Worcester City Council",
    "MAL": "Malvern Hills District Council",
}

# Statutory bodies working across several Compacts: (name, type, the Compacts they cover).
# The first Compact covered is the one recorded as where the body mainly works.
AREA_BODIES: tuple[tuple[str, OrganisationType, tuple[str, ...]], ...] = (
    ("NHS Birmingham and Solihull Integrated Care Board", OrganisationType.NHS, ("BIR", "SOL")),
    ("NHS Coventry and Warwickshire Integrated Care Board", OrganisationType.NHS, ("COV", "WAR")),
    (
        "NHS Black Country Integrated Care Board",
        OrganisationType.NHS,
        ("WLV", "DUD", "SAW", "WLL"),
    ),
    (
        "NHS Herefordshire and Worcestershire Integrated Care Board",
        OrganisationType.NHS,
        ("WOR", "HEF"),
    ),
    (
        "NHS Shropshire, Telford and Wrekin Integrated Care Board",
        OrganisationType.NHS,
        ("SHR", "TFW"),
    ),
    (
        "NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
        OrganisationType.NHS,
        ("STS", "STE"),
    ),
    (
        "West Midlands Police",
        OrganisationType.POLICE,
        ("BIR", "COV", "DUD", "SAW", "SOL", "WLL", "WLV"),
    ),
    ("Warwickshire Police", OrganisationType.POLICE, ("WAR",)),
    ("Staffordshire Police", OrganisationType.POLICE, ("STS", "STE")),
    ("West Mercia Police", OrganisationType.POLICE, ("WOR", "HEF", "SHR", "TFW")),
    (
        "West Midlands Fire Service",
        OrganisationType.FIRE_RESCUE,
        ("BIR", "COV", "DUD", "SAW", "SOL", "WLL", "WLV"),
    ),
    ("Warwickshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("WAR",)),
    ("Staffordshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("STS", "STE")),
    ("Hereford & Worcester Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("WOR", "HEF")),
    ("Shropshire Fire and Rescue Service", OrganisationType.FIRE_RESCUE, ("SHR", "TFW")),
)

# Funders working across the whole region: no Compact of their own.
REGIONAL_BODIES: tuple[str, ...] = (
    "West Midlands Combined Authority",
    "Arts Council England, Midlands",
)

_C = OrganisationType.CHARITY
_G = OrganisationType.COMMUNITY_GROUP
_S = OrganisationType.SOCIAL_ENTERPRISE
_V = OrganisationType.CVS

# Third-sector organisations by Compact: the CVS (upper tier) and local charities and groups.
THIRD_SECTOR: dict[str, tuple[tuple[str, OrganisationType], ...]] = {
    "BIR": (
        ("Birmingham Voluntary Service Council", _V),
        ("Sparkbrook Youth Project", _C),
        ("Ladywood Community Food Bank", _G),
        ("Handsworth Elders Lunch Club", _G),
        ("Kings Norton Community Transport", _S),
        ("Small Heath Women's Advice Centre", _C),
    ),
    "COV": (
        ("Voluntary Action Coventry", _V),
        ("Foleshill Women's Training", _C),
        ("Hillfields Community Kitchen", _S),
        ("Tile Hill Carers Network", _G),
        ("Wood End Family Support Project", _C),
    ),
    "DUD": (
        ("Dudley CVS", _V),
        ("Netherton Family Centre", _C),
        ("Brierley Hill Men's Shed", _G),
        ("Stourbridge Dementia Café", _G),
        ("Black Country Advocacy Partnership", _C),
    ),
    "HEF": (
        ("Herefordshire Voluntary Action", _V),
        ("Golden Valley Rural Transport", _C),
        ("Leominster Community Shop", _S),
        ("Ross-on-Wye Young Carers", _C),
    ),
    "SAW": (
        ("Sandwell Council of Voluntary Organisations", _V),
        ("Smethwick Asian Elders Association", _G),
        ("West Bromwich Homeless Outreach", _C),
        ("Oldbury Play Association", _C),
        ("Wednesbury Food Co-operative", _S),
    ),
    "SHR": (
        ("Shropshire Voluntary Community Sector Assembly", _V),
        ("Oswestry Rural Carers", _C),
        ("Ludlow Community Hub", _G),
        ("Bishop's Castle Community Transport", _S),
    ),
    "SOL": (
        ("Solihull Action Through Volunteering", _V),
        ("North Solihull Youth Partnership", _C),
        ("Kingshurst Community Garden", _G),
        ("Shirley Bereavement Support", _C),
    ),
    "STS": (
        ("Support Staffordshire", _V),
        ("Leek Moorlands Carers", _C),
        ("Stafford Domestic Abuse Project", _C),
        ("Stone Community Hub", _G),
    ),
    "STE": (
        ("Voluntary Action Stoke-on-Trent", _V),
        ("Hanley Drop-in Centre", _C),
        ("Burslem Arts Collective", _S),
        ("Longton Refugee Support", _C),
        ("Fenton Over-60s Club", _G),
    ),
    "TFW": (
        ("Telford & Wrekin CVS", _V),
        ("Wellington Youth Forum", _G),
        ("Madeley Community Pantry", _G),
        ("Dawley Disability Access Group", _C),
    ),
    "WLL": (
        ("Walsall Voluntary Action", _V),
        ("Palfrey Women's Circle", _G),
        ("Bloxwich Community Larder", _G),
        ("Darlaston Young People's Trust", _C),
    ),
    "WAR": (
        ("Warwickshire Community and Voluntary Action", _V),
        ("Kenilworth Carers Support", _C),
        ("Atherstone Rural Transport", _S),
        ("Leamington Refugee Drop-in", _C),
        ("Bedworth Men's Mental Health Group", _G),
    ),
    "WLV": (
        ("Wolverhampton Voluntary Sector Council", _V),
        ("Whitmore Reans Community Pantry", _G),
        ("Heath Town Youth Project", _C),
        ("Low Hill Elders Forum", _G),
        ("Wolverhampton Deaf Community Centre", _C),
    ),
    "WOR": (
        ("Worcestershire Voluntary Action", _V),
        ("Evesham Migrant Workers Advice", _C),
        ("Droitwich Spa Community Transport", _S),
        ("Pershore Youth Theatre", _G),
        ("Bromsgrove Domestic Abuse Support", _C),
    ),
    "CAN": (("Hednesford Community Larder", _G),),
    "LIC": (("Lichfield Rural Carers", _C),),
    "TAM": (("Tamworth Young Carers", _C),),
    "EST": (("Burton Asian Women's Network", _G),),
    "RUG": (("Rugby Youth Counselling", _C),),
    "WAW": (("Warwick Day Centre Trust", _C),),
    "NUN": (("Nuneaton Food Share", _G),),
    "STR": (("Shipston Community Transport", _S),),
    "RED": (("Redditch Recovery Network", _C),),
    "WYF": (("Kidderminster Furniture Reuse", _S),),
    "WCS": (("Worcester Homeless Breakfast Club", _G),),
    "MAL": (("Malvern Hills Volunteer Wardens", _G),),
}

# (email, name, role, Compact code, organisation name)
USERS: tuple[tuple[str, str, Role, str | None, str | None], ...] = (
    ("officer.bir@example.org", "Priya Shah", Role.OFFICER, "BIR", None),
    ("officer.war@example.org", "Helen Carter", Role.OFFICER, "WAR", None),
    ("officer.cov@example.org", "Daniel Okafor", Role.OFFICER, "COV", None),
    ("officer.dud@example.org", "Sarah Whitehouse", Role.OFFICER, "DUD", None),
    ("officer.saw@example.org", "Imran Hussain", Role.OFFICER, "SAW", None),
    ("officer.sts@example.org", "Rachel Evans", Role.OFFICER, "STS", None),
    ("officer.wlv@example.org", "Gurpreet Sandhu", Role.OFFICER, "WLV", None),
    ("officer.wor@example.org", "Tom Harris", Role.OFFICER, "WOR", None),
    ("officer.shr@example.org", "Megan Lloyd", Role.OFFICER, "SHR", None),
    ("mediator.wm@example.org", "Margaret O'Neill", Role.MEDIATOR, None, None),
    ("viewer.wm@example.org", "James Whitfield", Role.VIEWER, None, None),
    ("funder.bcc@example.org", "Andrew Collins", Role.FUNDER, "BIR", "Birmingham City Council"),
    ("admin@example.org", "Claire Bennett", Role.ADMIN, None, None),
)
MEDIATOR_EMAIL = "mediator.wm@example.org"

# Local rules stricter than the national defaults: (Compact, rule, period). Staffordshire's
# districts inherit its six months' notice; Coventry's funding code pays invoices in 14 days.
RULE_OVERRIDES: tuple[tuple[str, str, str], ...] = (
    ("STS", "funding_notice", "6 months"),
    ("COV", "invoice_payment", "14 days"),
)

_END, _CUT, _CONSULT = NoticeKind.FUNDING_END, NoticeKind.FUNDING_REDUCTION, NoticeKind.CONSULTATION


@dataclass(frozen=True)
class _DemoNotice:
    compact: str
    kind: NoticeKind
    funder: str
    recipient: str | None
    title: str
    first: date  # notice given, or consultation opens
    second: date  # change takes effect, or consultation closes
    amounts: tuple[int, int] | None = None
    written: bool = True
    reasons_given: bool = True


# A mix of kept and broken undertakings, as funders record them.
DEMO_NOTICES: tuple[_DemoNotice, ...] = (
    _DemoNotice(
        "BIR",
        _END,
        "Birmingham City Council",
        "Sparkbrook Youth Project",
        "Detached youth work grant ends",
        date(2026, 9, 1),
        date(2026, 10, 15),
        (45_000, 0),
    ),
    _DemoNotice(
        "BIR",
        _CUT,
        "Birmingham City Council",
        "Small Heath Women's Advice Centre",
        "Advice grant cut by a quarter",
        date(2026, 6, 30),
        date(2026, 10, 1),
        (60_000, 45_000),
    ),
    _DemoNotice(
        "BIR",
        _CONSULT,
        "Birmingham City Council",
        None,
        "Future of day services for older people",
        date(2026, 9, 7),
        date(2026, 10, 5),
    ),
    _DemoNotice(
        "BIR",
        _CONSULT,
        "Birmingham City Council",
        None,
        "Community libraries review",
        date(2026, 7, 6),
        date(2026, 9, 28),
    ),
    _DemoNotice(
        "BIR",
        _END,
        "NHS Birmingham and Solihull Integrated Care Board",
        "Handsworth Elders Lunch Club",
        "Befriending contract not renewed",
        date(2026, 8, 3),
        date(2026, 11, 3),
        (28_000, 0),
        reasons_given=False,
    ),
    _DemoNotice(
        "BIR",
        _CUT,
        "West Midlands Police",
        "Ladywood Community Food Bank",
        "Crime prevention grant cut with six weeks' notice",
        date(2026, 8, 17),
        date(2026, 10, 1),
        (20_000, 12_000),
    ),
    _DemoNotice(
        "COV",
        _CUT,
        "Coventry City Council",
        "Foleshill Women's Training",
        "ESOL grant reduced",
        date(2026, 7, 15),
        date(2026, 10, 15),
        (52_000, 40_000),
    ),
    _DemoNotice(
        "STS",
        _END,
        "Staffordshire County Council",
        "Leek Moorlands Carers",
        "Carers' breaks grant ends",
        date(2026, 6, 1),
        date(2026, 10, 1),
        (34_000, 0),
    ),
    _DemoNotice(
        "CAN",
        _CUT,
        "Cannock Chase District Council",
        "Hednesford Community Larder",
        "Community grants halved",
        date(2026, 3, 2),
        date(2026, 9, 2),
        (8_000, 4_000),
    ),
    _DemoNotice(
        "WAR",
        _CONSULT,
        "Warwickshire County Council",
        None,
        "Early help strategy consultation",
        date(2026, 9, 14),
        date(2026, 12, 7),
    ),
    _DemoNotice(
        "WAR",
        _END,
        "Warwickshire County Council",
        "Atherstone Rural Transport",
        "Rural transport grant ends",
        date(2026, 7, 1),
        date(2026, 10, 1),
        (36_000, 0),
    ),
    _DemoNotice(
        "SOL",
        _CUT,
        "Solihull Metropolitan Borough Council",
        "North Solihull Youth Partnership",
        "Youth grant reduced after a phone call",
        date(2026, 8, 20),
        date(2026, 12, 1),
        (30_000, 18_000),
        written=False,
    ),
)


@dataclass
class _Ref:
    """The reference rows the case generators need, keyed by code, name and email."""

    region: Region
    compacts: dict[str, Compact]
    organisations: dict[str, Organisation]
    users: dict[str, User]
    chains: dict[str, rules.RuleChain] = field(default_factory=dict)

    def rule_chain(self, code: str) -> rules.RuleChain:
        """The Compact's rule chain, loaded once per seeding."""
        if code not in self.chains:
            self.chains[code] = rules.rule_chain(self.compacts[code])
        return self.chains[code]

    def officer_id(self, code: str) -> int | None:
        user = self.users.get(f"officer.{code.lower()}@example.org")
        return user.id if user and user.role is Role.OFFICER else None

    @property
    def mediator_id(self) -> int | None:
        user = self.users.get(MEDIATOR_EMAIL)
        return user.id if user else None


def _ensure_reference_data() -> _Ref:
    """Add the region, Compacts, organisations and users that are not there yet."""
    region = db.session.scalar(sa.select(Region).filter_by(code=REGION_CODE))
    if region is None:
        region = Region(code=REGION_CODE, name=REGION_NAME)
        db.session.add(region)
        db.session.flush()

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

    organisations = {o.name: o for o in db.session.scalars(sa.select(Organisation))}

    def add_org(name: str, kind: OrganisationKind, type_: OrganisationType, code: str | None):
        if name in organisations:
            return
        organisations[name] = Organisation(
            name=name,
            kind=kind,
            type=type_,
            region_id=region.id,
            compact_id=compacts[code].id if code else None,
        )
        db.session.add(organisations[name])

    statutory, third_sector = OrganisationKind.STATUTORY, OrganisationKind.THIRD_SECTOR
    for code, name in COUNCILS.items():
        add_org(name, statutory, OrganisationType.COUNCIL, code)
    for name, type_, covers in AREA_BODIES:
        add_org(name, statutory, type_, covers[0])
    for name in REGIONAL_BODIES:
        add_org(name, statutory, OrganisationType.GOVERNMENT, None)
    for code, orgs in THIRD_SECTOR.items():
        for name, type_ in orgs:
            add_org(name, third_sector, type_, code)
    db.session.flush()

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
            active=True,
        )
        db.session.add(users[email])
    db.session.flush()

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
    return _Ref(region, compacts, organisations, users)


# --- Parties for a case ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Parties:
    """The organisations that can be parties to a case in one Compact, by kind of funder."""

    councils: tuple[int, ...]
    by_type: dict[OrganisationType, tuple[int, ...]]
    regional: tuple[int, ...]
    third_sector: tuple[int, ...]
    own_third_sector: tuple[int, ...]  # those based in the Compact itself

    @property
    def funders(self) -> tuple[int, ...]:
        return self.councils + tuple(i for ids in self.by_type.values() for i in ids)


def _parties(ref: _Ref) -> dict[str, _Parties]:
    """For each demo Compact, the funders and third-sector organisations a case can involve.

    A district Compact's cases may involve the county's bodies and groups as well as its own.
    """
    orgs = ref.organisations
    parents = {code: parent for code, _, parent in DISTRICT_COMPACTS}
    result: dict[str, _Parties] = {}
    for code in COUNCILS:
        area = (code, parents[code]) if code in parents else (code,)
        by_type: dict[OrganisationType, tuple[int, ...]] = {}
        for name, type_, covers in AREA_BODIES:
            if any(c in covers for c in area):
                by_type[type_] = (*by_type.get(type_, ()), orgs[name].id)
        third = [orgs[name].id for c in area for name, _ in THIRD_SECTOR.get(c, ())]
        result[code] = _Parties(
            councils=(orgs[COUNCILS[code]].id,),
            by_type=by_type,
            regional=tuple(orgs[name].id for name in REGIONAL_BODIES),
            third_sector=tuple(third),
            own_third_sector=tuple(orgs[name].id for name, _ in THIRD_SECTOR.get(code, ())),
        )
    return result


# --- Timelines ------------------------------------------------------------------------------

# The ways through the workflow a demo case has taken so far: the events fired, in order.
ROUTES: dict[State, tuple[tuple[Event, ...], ...]] = {
    State.RAISED: ((),),
    State.LOCAL_CONCILIATION: ((Event.START_CONCILIATION,),),
    State.REGIONAL_MEDIATION: (
        (Event.START_CONCILIATION, Event.ESCALATE),
        (Event.ESCALATE,),
    ),
    State.RESOLVED: (
        (Event.RESOLVE,),
        (Event.START_CONCILIATION, Event.RESOLVE),
        (Event.START_CONCILIATION, Event.ESCALATE, Event.RESOLVE),
        (Event.ESCALATE, Event.RESOLVE),
    ),
    State.WITHDRAWN: (
        (Event.WITHDRAW,),
        (Event.START_CONCILIATION, Event.WITHDRAW),
        (Event.START_CONCILIATION, Event.ESCALATE, Event.WITHDRAW),
    ),
}

_DESTINATION = {
    Event.START_CONCILIATION: State.LOCAL_CONCILIATION,
    Event.ESCALATE: State.REGIONAL_MEDIATION,
    Event.RESOLVE: State.RESOLVED,
    Event.WITHDRAW: State.WITHDRAWN,
}

# How many days before ANCHOR a case on each route may have been raised, so that its whole
# timeline fits before ANCHOR: (earliest, latest).
_RAISED_DAYS_AGO: dict[State, tuple[int, int]] = {
    State.RAISED: (3, 28),
    State.LOCAL_CONCILIATION: (14, 60),
    State.REGIONAL_MEDIATION: (60, 160),
    State.RESOLVED: (100, 545),
    State.WITHDRAWN: (100, 545),
}

# Days from the previous step to each event: (fewest, most).
_GAPS: dict[tuple[Event, State], tuple[int, int]] = {
    (Event.START_CONCILIATION, State.RAISED): (2, 7),
    (Event.ESCALATE, State.RAISED): (3, 10),
    (Event.ESCALATE, State.LOCAL_CONCILIATION): (20, 35),
    (Event.RESOLVE, State.RAISED): (5, 20),
    (Event.RESOLVE, State.LOCAL_CONCILIATION): (10, 30),
    (Event.RESOLVE, State.REGIONAL_MEDIATION): (25, 45),
    (Event.WITHDRAW, State.RAISED): (5, 20),
    (Event.WITHDRAW, State.LOCAL_CONCILIATION): (10, 30),
    (Event.WITHDRAW, State.REGIONAL_MEDIATION): (25, 45),
}


def _working_day(day: date) -> date:
    """The day itself, or the Monday after if it falls at a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def _at(day: date, rng: random.Random) -> datetime:
    """A time in office hours (UTC) on `day`."""
    return datetime.combine(day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), UTC)


def _raised_on(rng: random.Random, state: State) -> date:
    earliest, latest = _RAISED_DAYS_AGO[state]
    return _working_day(ANCHOR - timedelta(days=rng.randint(earliest, latest)))


def _steps(
    rng: random.Random, raised_on: date, route: tuple[Event, ...]
) -> list[tuple[Event, State, State, date]]:
    """The dated transitions of `route`: (event, from state, to state, day)."""
    steps = []
    state, day = State.RAISED, raised_on
    for event in route:
        fewest, most = _GAPS[(event, state)]
        day = _working_day(day + timedelta(days=rng.randint(fewest, most)))
        steps.append((event, state, _DESTINATION[event], day))
        state = _DESTINATION[event]
    return steps


def _pick_route(rng: random.Random, state: State) -> tuple[Event, ...]:
    routes = ROUTES[state]
    if state is State.RESOLVED:
        # Most disputes end at local conciliation, or before.
        return rng.choices(routes, weights=(15, 60, 15, 10))[0]
    if state is State.WITHDRAWN:
        return rng.choices(routes, weights=(40, 45, 15))[0]
    if state is State.REGIONAL_MEDIATION:
        return rng.choices(routes, weights=(70, 30))[0]
    return routes[0]


# --- Standard demo set ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Scenario:
    """A kind of dispute: what the case says, the outcomes it can reach, and its funder."""

    funder: str  # "council", "nhs", "police", "fire" or "regional"
    areas: tuple[Area, ...]
    amount: tuple[int, int] | None
    title: str
    summary: str
    outcomes: tuple[str, ...]
    body: str | None = None  # the regional funder, for regional disputes


SERVICES = (
    "carers' support",
    "advice and advocacy",
    "young people's mental health",
    "domestic abuse outreach",
    "community transport",
    "older people's befriending",
)

SCENARIOS: tuple[_Scenario, ...] = (
    _Scenario(
        "council",
        (Area.FUNDING,),
        (20_000, 120_000),
        "Less than three months' notice of a cut to {ts}'s core grant",
        "On {notice} {funder} wrote to {ts} to say that its core grant would be reduced by "
        "{pct}% from {effective}, {weeks} weeks later. The local Compact requires at least three "
        "months' written notice, with reasons, before funding is reduced. {ts} asks for the "
        "notice period to be honoured and the reduction phased.",
        (
            "Council agreed to extend notice to three months and phase the reduction over two "
            "years.",
            "Grant reinstated at the full level to the end of the financial year; any reduction "
            "will be discussed at the funding review with three months' written notice.",
            "Council accepted that notice was short and paid the grant for a further three "
            "months while the organisation restructured.",
        ),
    ),
    _Scenario(
        "council",
        (Area.CONSULTATION, Area.EQUALITY),
        (60_000, 250_000),
        "{cweeks}-week consultation on closing day centres",
        "{funder} opened a public consultation on {notice} on closing three day centres for "
        "older people, including the one run by {ts}, to close after only {cweeks} weeks. The "
        "Compact expects 12 weeks for a formal written consultation and no reason was given for "
        "the shorter period. No equality impact assessment has been published.",
        (
            "Council extended the consultation to the full 12 weeks and will publish its equality "
            "impact assessment before the cabinet decision.",
            "Consultation re-run for 12 weeks; one day centre will stay open under a community "
            "asset transfer to {ts}.",
        ),
    ),
    _Scenario(
        "council",
        (Area.FUNDING,),
        (15_000, 90_000),
        "Invoices to {funder_short} unpaid for over {days} days",
        "{ts} delivers a commissioned service for {funder} and invoices quarterly in arrears. "
        "Invoices for the last two quarters have been outstanding for over {days} days. The "
        "local Compact asks funders to pay within 10 days of receipt; the organisation has used "
        "its reserves to pay staff.",
        (
            "All outstanding invoices paid within five working days; the funder will pay a "
            "quarter in advance from next year.",
            "Arrears paid and a named contact set up in the funder's finance team; late payments "
            "will be reported to the Compact steering group.",
        ),
    ),
    _Scenario(
        "nhs",
        (Area.FUNDING,),
        (15_000, 90_000),
        "Invoices to {funder_short} unpaid for over {days} days",
        "{ts} runs a hospital discharge support service for {funder}. Invoices for the last two "
        "quarters have been outstanding for over {days} days despite reminders. The local "
        "Compact asks funders to pay within 10 days of receipt.",
        (
            "ICB paid the arrears and moved the contract to monthly payment in advance.",
            "Outstanding invoices paid; the ICB apologised and changed its purchase order process "
            "for voluntary sector contracts.",
        ),
    ),
    _Scenario(
        "council",
        (Area.COMMISSIONING,),
        (80_000, 250_000),
        "{service_title} contract re-tendered without involving the sector",
        "{funder} published a tender for the {service} service currently delivered by {ts} "
        "without any market engagement or discussion with local voluntary organisations. The "
        "specification puts the service into one large lot that no local organisation can bid "
        "for alone.",
        (
            "Tender withdrawn; the funder will hold two market engagement events with the sector "
            "and reissue it in smaller lots.",
            "Funder agreed to extend the current contract by six months and to co-design the new "
            "specification with {ts} and the CVS.",
        ),
    ),
    _Scenario(
        "nhs",
        (Area.COMMISSIONING, Area.FUNDING),
        (60_000, 220_000),
        "Social prescribing contract ended with {weeks} weeks' notice",
        "{funder} told {ts} on {notice} that its social prescribing link worker contract would "
        "end on {effective}. Four staff face redundancy and over 400 patients are on the "
        "caseload. No reasons were given and there was no chance to respond before the decision.",
        (
            "ICB extended the contract by three months to give full notice and agreed a handover "
            "plan for patients.",
            "Contract extended to the end of the financial year while the ICB re-procures with a "
            "lot for local voluntary providers.",
        ),
    ),
    _Scenario(
        "council",
        (Area.VOLUNTEERING, Area.FUNDING),
        (5_000, 18_000),
        "Volunteer expenses ruled ineligible under {ts}'s grant",
        "After the grant agreement was signed, {funder} told {ts} that volunteer travel and "
        "out-of-pocket expenses are not an eligible cost. The Compact's volunteering code "
        "recognises that involving volunteers is not cost-free; the organisation relies on "
        "about 40 volunteers and asks for expenses to be reinstated.",
        (
            "Funder agreed that reasonable volunteer expenses are an eligible cost and amended "
            "the grant agreement.",
            "Expenses reinstated for this year; the funder's grant guidance will be revised with "
            "the CVS.",
        ),
    ),
    _Scenario(
        "council",
        (Area.EQUALITY, Area.BME, Area.FUNDING),
        (25_000, 80_000),
        "Advice grant to {ts} ended without an equality impact assessment",
        "{funder} decided to end its grant for the advice service run by {ts}, used mainly by "
        "South Asian and Eastern European residents, without assessing the impact on those "
        "communities. The organisation was told at a monitoring meeting rather than in writing.",
        (
            "Decision paused; the council carried out an equality impact assessment with {ts} "
            "and agreed transitional funding for six months.",
            "Decision upheld after an equality impact assessment, with six months' notice and "
            "help to find other funding.",
        ),
    ),
    _Scenario(
        "council",
        (Area.COMMISSIONING, Area.FUNDING),
        (30_000, 150_000),
        "Contract renewal for {ts} excludes overheads",
        "{funder} has offered to renew {ts}'s contract at the same price for a third year while "
        "asking for more monitoring, and will not include a share of management and premises "
        "costs. The Compact supports full cost recovery.",
        (
            "Funder agreed a 6% uplift to cover a fair share of overheads and reduced monitoring "
            "to quarterly.",
            "Full costs recovered after two lower offers; the new contract price includes "
            "premises and management costs.",
        ),
    ),
    _Scenario(
        "police",
        (Area.FUNDING,),
        (15_000, 60_000),
        "Community safety grant to {ts} ended by email without reasons",
        "{ts} was told by email that its community safety grant from {funder} would not "
        "continue from April. No reasons were given in writing and the organisation had no "
        "chance to respond before the decision was final.",
        (
            "The police and crime commissioner's office set out its reasons in writing, met "
            "{ts} and agreed a three-month tapered grant.",
            "Decision reconsidered after the organisation's response; funding continued for a "
            "further year with revised outcomes.",
        ),
    ),
    _Scenario(
        "council",
        (Area.FUNDING,),
        (8_000, 40_000),
        "Clawback of underspend from {ts} without discussion",
        "{funder} has asked {ts} to repay grant it says was underspent, although carrying the "
        "underspend forward was agreed at a monitoring meeting. The Compact expects changes to "
        "be discussed early and in writing.",
        (
            "Funder agreed the underspend can be carried forward; no repayment required.",
            "Repayment halved and spread over twelve months.",
        ),
    ),
    _Scenario(
        "council",
        (Area.COMMUNITY_GROUPS, Area.FUNDING),
        None,
        "Disproportionate monitoring for small community grants",
        "Community groups receiving grants under £5,000 from {funder} are now asked for "
        "quarterly outcome reports and independently examined accounts. {ts} and other groups "
        "say this is disproportionate and will stop small groups applying.",
        (
            "Council agreed a single light-touch annual return for grants under £10,000.",
            "Monitoring reduced for grants under £5,000; the change was agreed at the Compact "
            "steering group.",
        ),
    ),
    _Scenario(
        "council",
        (Area.CONSULTATION, Area.FUNDING),
        (40_000, 200_000),
        "Decision to stop {service} funding taken before consultation closed",
        "{funder}'s cabinet agreed on {notice} to stop funding the {service} service run by "
        "{ts}, a week before its own consultation was due to close. {ts} says responses were "
        "not considered.",
        (
            "Council rescinded the decision and will take it again after considering all "
            "consultation responses.",
            "Council reversed its decision; funding continues while the service is redesigned "
            "with the sector.",
        ),
    ),
    _Scenario(
        "council",
        (Area.COMMUNITY_GROUPS, Area.FUNDING),
        (10_000, 35_000),
        "Community centre rent doubled with one month's notice",
        "{funder} told {ts} that the rent on the council-owned community centre it manages "
        "will double from next month, with no discussion. Over twenty community groups use the "
        "centre.",
        (
            "Rent increase deferred for a year and then phased in; the council will consider a "
            "community asset transfer.",
            "Council agreed a peppercorn lease in return for the centre staying open to community "
            "groups.",
        ),
    ),
    _Scenario(
        "council",
        (Area.FUNDING,),
        (45_000, 180_000),
        "One-year funding offered for {ts}'s three-year programme",
        "{funder} will only commit funding one year at a time to the three-year {service} "
        "programme it asked {ts} to run, so staff can only be offered one-year contracts. The "
        "Compact encourages longer-term funding where it gives better value.",
        (
            "Funder agreed a three-year grant agreement with an annual review and three months' "
            "notice of any change.",
            "Two-year agreement offered with a break clause; partially resolved.",
        ),
    ),
    _Scenario(
        "fire",
        (Area.VOLUNTEERING, Area.COMMISSIONING),
        (8_000, 25_000),
        "Home safety referral partnership ended without consultation",
        "{funder} ended the partnership under which {ts} volunteers referred older residents "
        "for home fire safety visits, including the small grant covering volunteer travel, "
        "without consulting the organisation.",
        (
            "Fire service agreed to continue the referral partnership and the grant for a "
            "further year.",
            "Partnership ended by agreement with three months' notice and a jointly written "
            "evaluation.",
        ),
    ),
)

# Disputes with funders working across the region, which go straight to regional mediation.
REGIONAL_SCENARIOS: tuple[_Scenario, ...] = (
    _Scenario(
        "regional",
        (Area.FUNDING,),
        (40_000, 250_000),
        "Combined authority skills payments withheld from {ts}",
        "{funder} has withheld two quarterly payments to {ts} under its adult skills programme "
        "while it reviews eligibility evidence. The programme runs across several Compact areas "
        "and the organisation has had to give staff notice of redundancy.",
        (
            "Combined authority released the withheld payments and agreed a simpler evidence "
            "check for the final year.",
            "Payments partly released; the remaining claims will be checked jointly within 20 "
            "working days.",
        ),
        body="West Midlands Combined Authority",
    ),
    _Scenario(
        "regional",
        (Area.FUNDING,),
        (20_000, 90_000),
        "Regional arts grant ended halfway through a three-year programme",
        "{funder} told {ts} on {notice} that its grant would not continue beyond {effective}, "
        "halfway through a three-year community arts programme, giving {weeks} weeks' notice.",
        (
            "Grant continued for a further six months and the funder will give three months' "
            "written notice of any future change.",
            "Decision upheld; funder agreed to fund an exit plan and help the organisation apply "
            "to its open programme.",
        ),
        body="Arts Council England, Midlands",
    ),
)

ESCALATE_FROM_LOCAL = (
    "Local conciliation did not reach agreement within 20 working days; both parties agreed "
    "to regional mediation.",
    "{funder} declined to revisit the decision at local level; referred for regional mediation.",
    "The parties could not agree a way forward at the steering group meeting; the officer "
    "referred the case to the regional mediator.",
)
ESCALATE_HOST = (
    "{funder} hosts the local Compact and is a party to the dispute, so it cannot be "
    "conciliated locally."
)
ESCALATE_REGIONAL = (
    "{funder} funds across the region, so the dispute cannot be conciliated by one local Compact."
)
WITHDRAW_REASONS = (
    "{ts} withdrew the complaint after the funder confirmed the grant would continue to the "
    "end of the financial year.",
    "The organisation has decided to use the funder's corporate complaints procedure instead.",
    "Withdrawn at the organisation's request: its trustees accepted the revised offer.",
    "Withdrawn: the decision was reversed at cabinet before conciliation began.",
)
CONCILIATION_NOTES = (
    "Meeting held with both parties on {day}; {funder_short} to set out its reasons in writing "
    "within 10 working days.",
    "Joint meeting on {day} chaired by the Compact officer with a steering group member from "
    "each sector; draft agreement circulated.",
    "Call with {ts} on {day} to agree what a good outcome would look like.",
)
MEDIATION_NOTES = (
    "Mediation session held on {day}; both parties agreed to share the financial information.",
    "Regional mediator met the funder's commissioning lead on {day}.",
)
ACKNOWLEDGEMENT_NOTE = (
    "Acknowledged to {ts} on {day}; asked for the grant agreement and the notice letter."
)

# (Compact code, number of cases) for the standard set: 60 cases.
STANDARD_COMPACTS: tuple[tuple[str, int], ...] = (
    ("BIR", 10),
    ("WAR", 8),
    ("COV", 6),
    ("STS", 5),
    ("WOR", 5),
    ("WLV", 4),
    ("DUD", 3),
    ("SAW", 3),
    ("SHR", 3),
    ("SOL", 2),
    ("STE", 2),
    ("HEF", 2),
    ("TFW", 2),
    ("WLL", 2),
    ("RUG", 1),
    ("LIC", 1),
    ("RED", 1),
)

# The routes of the standard set: 8 raised, 9 in conciliation, 9 in mediation, 26 resolved
# (most at local level), 8 withdrawn.
STANDARD_ROUTES: tuple[tuple[tuple[Event, ...], int], ...] = (
    ((), 8),
    ((Event.START_CONCILIATION,), 9),
    ((Event.START_CONCILIATION, Event.ESCALATE), 6),
    ((Event.ESCALATE,), 3),
    ((Event.RESOLVE,), 4),
    ((Event.START_CONCILIATION, Event.RESOLVE), 16),
    ((Event.START_CONCILIATION, Event.ESCALATE, Event.RESOLVE), 4),
    ((Event.ESCALATE, Event.RESOLVE), 2),
    ((Event.WITHDRAW,), 3),
    ((Event.START_CONCILIATION, Event.WITHDRAW), 4),
    ((Event.START_CONCILIATION, Event.ESCALATE, Event.WITHDRAW), 1),
)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _short_name(name: str) -> str:
    """A funder's name as a title would shorten it."""
    if name.startswith("NHS ") and name.endswith(" Integrated Care Board"):
        return name[4 : -len(" Integrated Care Board")] + " ICB"
    return name


def _state_after(route: tuple[Event, ...]) -> State:
    return _DESTINATION[route[-1]] if route else State.RAISED


_FUNDER_TYPES = {
    "nhs": OrganisationType.NHS,
    "police": OrganisationType.POLICE,
    "fire": OrganisationType.FIRE_RESCUE,
}

# Birmingham's and Warwickshire's cases come first in the plan; these are the states their
# first ten cases reach, so that both show every state.
_FIRST_STATES = (
    State.RAISED,
    State.LOCAL_CONCILIATION,
    State.REGIONAL_MEDIATION,
    State.RESOLVED,
    State.WITHDRAWN,
    State.RESOLVED,
    State.RESOLVED,
)


# --- Outcomes -------------------------------------------------------------------------------

# Learning as an officer would write it for other Compacts: no names, no figures.
LEARNINGS = (
    "Agree the notice period in writing at the start of every grant, and note the date by "
    "which notice of any change must be given.",
    "Ask for the equality impact assessment before the decision, not after: it was the "
    "quickest route to a longer consultation.",
    "A joint meeting with the funder's finance staff, not only its commissioners, settled the "
    "late payments within a week.",
    "Regional funders need a named Compact contact in each locality; without one, notice "
    "letters went to the wrong team.",
    "Early market engagement with the sector avoids tenders that no local organisation can "
    "bid for.",
    "Phasing a reduction over two years kept the service running while the organisation "
    "found other income.",
    "Writing the Compact's three-month notice rule into the grant agreement made the breach "
    "plain to both sides.",
    "Mediation moved once both sides agreed the facts in a shared timeline before the first "
    "meeting.",
    "A consultation shorter than 12 weeks must say why; asking for the reason in writing led "
    "to an extension.",
)
NO_AGREEMENT_TEXTS = (
    (
        OutcomeType.NO_AGREEMENT,
        "No agreement at mediation; the decision stands and both parties have the mediator's "
        "note of the points that remain in dispute.",
    ),
    (
        OutcomeType.REFERRED_NATIONAL,
        "Referred for national Compact advice on whether the funder's regional programme is "
        "covered by each local Compact.",
    ),
)


def _outcome_type(text: str) -> OutcomeType:
    """The outcome type a demo outcome's words describe."""
    words = text.lower()
    if "partially" in words:
        return OutcomeType.PARTIALLY_RESOLVED
    if "upheld" in words:
        return OutcomeType.DECISION_UPHELD
    if any(w in words for w in ("reinstated", "phase", "paid", "arrears", "further three")):
        return OutcomeType.FUNDING_REINSTATED
    if "notice" in words or "extend" in words:
        return OutcomeType.NOTICE_EXTENDED
    return OutcomeType.AGREEMENT_REACHED


def _outcome_values(
    rng: random.Random, text: str, left: State, amount: int | None
) -> tuple[str, dict]:
    """A believable resolved outcome: the agreed actions (possibly replaced) and its columns."""
    level = LEVEL_OF_STATE[left]
    kind = _outcome_type(text)
    if level is Level.REGIONAL_MEDIATION and rng.random() < 0.3:
        kind, text = rng.choice(NO_AGREEMENT_TEXTS)
    share = {
        OutcomeType.FUNDING_REINSTATED: 1.0,
        OutcomeType.PARTIALLY_RESOLVED: 0.5,
        OutcomeType.NOTICE_EXTENDED: 0.25,
        OutcomeType.AGREEMENT_REACHED: rng.choice((0.0, 0.3, 0.6)),
    }.get(kind, 0.0)
    funding = None if amount is None else round(amount * share, -3)
    jobs = {
        OutcomeType.FUNDING_REINSTATED: rng.randint(1, 6),
        OutcomeType.PARTIALLY_RESOLVED: rng.randint(0, 3),
        OutcomeType.NOTICE_EXTENDED: rng.randint(0, 2),
        OutcomeType.AGREEMENT_REACHED: rng.randint(0, 2),
    }.get(kind, 0)
    notice_days = {
        OutcomeType.NOTICE_EXTENDED: rng.choice((28, 42, 61, 92)),
        OutcomeType.FUNDING_REINSTATED: rng.choice((0, 30, 61)),
        OutcomeType.PARTIALLY_RESOLVED: rng.choice((30, 45)),
    }.get(kind, 0)
    if kind in (OutcomeType.DECISION_UPHELD, OutcomeType.NO_AGREEMENT):
        breach = rng.choice((Breach.NO, Breach.PARTLY))
    else:
        breach = Breach.YES if rng.random() < 0.7 else Breach.PARTLY
    return text, {
        "kind": OutcomeKind.RESOLVED,
        "level": level,
        "outcome_type": kind,
        "breach_found": breach,
        "funding_protected": funding,
        "jobs_safeguarded": jobs,
        "notice_days_gained": notice_days,
        "service_users_affected": None if rng.random() < 0.1 else rng.randint(4, 60) * 10,
        "agreed_actions": text,
        "learning": rng.choice(LEARNINGS),
        "learning_shareable": rng.random() < 0.65,
    }


def _withdrawal_values(reason: str, left: State) -> dict:
    return {
        "kind": OutcomeKind.WITHDRAWN,
        "level": LEVEL_OF_STATE[left],
        "withdrawal_reason": reason,
        "learning_shareable": False,
    }


def _standard_cases(ref: _Ref, rng: random.Random) -> list[Case]:
    """The standard demo cases, with their timelines, not yet numbered."""
    parties = _parties(ref)
    names = {o.id: o.name for o in ref.organisations.values()}
    routes = [route for route, count in STANDARD_ROUTES for _ in range(count)]
    rng.shuffle(routes)
    codes = [code for code, count in STANDARD_COMPACTS for _ in range(count)]
    wanted = [*_FIRST_STATES, *([State.RESOLVED] * 3), *_FIRST_STATES]
    for position, state in enumerate(wanted):
        found = next(i for i in range(position, len(routes)) if _state_after(routes[i]) is state)
        routes[position], routes[found] = routes[found], routes[position]

    local = list(SCENARIOS)
    rng.shuffle(local)
    turn = 0
    # Outcomes draw from a generator of their own, so adding them left the cases unchanged.
    outcome_rng = random.Random(RANDOM_SEED + 1)

    def next_local(fits: Callable[[_Scenario], bool]) -> _Scenario:
        nonlocal turn
        while True:
            scenario = local[turn % len(local)]
            turn += 1
            if fits(scenario):
                return scenario

    cases = []
    straight_to_region = 0
    for code, route in zip(codes, routes, strict=True):
        if route and route[0] is Event.ESCALATE:
            # Straight to the region: a regional funder, or the council hosting the Compact.
            if straight_to_region % 2 == 0:
                scenario = REGIONAL_SCENARIOS[(straight_to_region // 2) % len(REGIONAL_SCENARIOS)]
            else:
                scenario = next_local(lambda s: s.funder == "council")
            straight_to_region += 1
        else:
            by_type = parties[code].by_type
            scenario = next_local(
                lambda s, by_type=by_type: (
                    s.funder == "council" or _FUNDER_TYPES[s.funder] in by_type
                )
            )
        cases.append(
            _standard_case(ref, rng, outcome_rng, parties[code], names, code, route, scenario)
        )
    return cases


def _between(rng: random.Random, after: date, before: date) -> date | None:
    """A working day strictly between two days, early in the gap, or None if there is none."""
    days = [
        after + timedelta(days=n)
        for n in range(1, (before - after).days)
        if (after + timedelta(days=n)).weekday() < 5
    ]
    return rng.choice(days[: max(1, len(days) // 2)]) if days else None


def _standard_case(
    ref: _Ref,
    rng: random.Random,
    outcome_rng: random.Random,
    parties: _Parties,
    names: dict[int, str],
    code: str,
    route: tuple[Event, ...],
    scenario: _Scenario,
) -> Case:
    state = _state_after(route)
    if scenario.body:
        funder_id = ref.organisations[scenario.body].id
    elif scenario.funder == "council":
        funder_id = parties.councils[0]
    else:
        funder_id = rng.choice(parties.by_type[_FUNDER_TYPES[scenario.funder]])
    ts_id = rng.choice(parties.own_third_sector if rng.random() < 0.75 else parties.third_sector)
    raised_on = _raised_on(rng, state)
    notice = _working_day(raised_on - timedelta(days=rng.randint(6, 20)))
    weeks = rng.randint(4, 9)
    service = rng.choice(SERVICES)
    words = {
        "ts": names[ts_id],
        "funder": names[funder_id],
        "funder_short": _short_name(names[funder_id]),
        "notice": _long_date(notice),
        "effective": _long_date(notice + timedelta(weeks=weeks)),
        "weeks": weeks,
        "cweeks": rng.choice((4, 6, 6, 8)),
        "pct": rng.choice((15, 20, 25, 30, 40, 50)),
        "days": rng.choice((45, 60, 75, 90)),
        "service": service,
        "service_title": service[0].upper() + service[1:],
    }
    amount = None
    if scenario.amount and rng.random() > 0.1:
        amount = round(rng.randint(*scenario.amount), -3)

    officer_id = ref.officer_id(code)
    mediator_id = ref.mediator_id if Event.ESCALATE in route else None
    case = Case(
        compact_id=ref.compacts[code].id,
        title=scenario.title.format(**words),
        summary=scenario.summary.format(**words),
        funder_id=funder_id,
        third_sector_id=ts_id,
        raised_by=Side.FUNDER if rng.random() < 0.08 else Side.THIRD_SECTOR,
        amount_at_stake=amount,
        state=state,
        officer_id=officer_id,
        mediator_id=mediator_id,
        raised_on=raised_on,
    )
    case.areas = list(scenario.areas)

    events = [
        CaseEvent(
            kind=CaseEventKind.CREATED,
            to_state=State.RAISED,
            actor_id=officer_id,
            occurred_at=_at(raised_on, rng),
        )
    ]
    steps = _steps(rng, raised_on, route)
    # A note in the gap after the case was logged and after each step that opens a stage.
    ends = [day for *_, day in steps] + [ANCHOR]
    gaps = [(raised_on, ends[0], State.RAISED)]
    gaps += [(day, end, to) for (_, _, to, day), end in zip(steps, ends[1:], strict=True)]
    notes = {}
    for start, end, stage in gaps:
        if stage is State.RAISED and rng.random() < 0.4:
            text, actor_id = ACKNOWLEDGEMENT_NOTE, officer_id
        elif stage is State.LOCAL_CONCILIATION:
            text, actor_id = rng.choice(CONCILIATION_NOTES), officer_id
        elif stage is State.REGIONAL_MEDIATION:
            text, actor_id = rng.choice(MEDIATION_NOTES), mediator_id
        else:
            continue
        day = _between(rng, start, end)
        if day:
            notes[start] = CaseEvent(
                kind=CaseEventKind.NOTE,
                reason=text.format(day=_long_date(day), **words),
                actor_id=actor_id,
                occurred_at=_at(day, rng),
            )
    if raised_on in notes:
        events.append(notes[raised_on])
    outcome = None
    for event, from_state, to_state, day in steps:
        if event is Event.RESOLVE:
            reason = rng.choice(scenario.outcomes).format(**words)
            reason, values = _outcome_values(outcome_rng, reason, from_state, amount)
            outcome = Outcome(**values)
        elif event is Event.WITHDRAW:
            reason = rng.choice(WITHDRAW_REASONS)
        elif event is Event.ESCALATE and from_state is State.RAISED:
            reason = ESCALATE_REGIONAL if scenario.body else ESCALATE_HOST
        elif event is Event.ESCALATE:
            reason = rng.choice(ESCALATE_FROM_LOCAL)
        else:
            reason = None
        transition = CaseEvent(
            kind=CaseEventKind.TRANSITION,
            event=event.value,
            from_state=from_state,
            to_state=to_state,
            reason=reason.format(**words) if reason else None,
            actor_id=mediator_id if from_state is State.REGIONAL_MEDIATION else officer_id,
            occurred_at=_at(day, rng),
        )
        events.append(transition)
        if day in notes:
            events.append(notes[day])
        if event is Event.ESCALATE:
            case.escalated_on = day
        if to_state in CLOSED_STATES:
            case.previous_state = from_state
            case.closed_on = day
            case.working_days_to_close = working_days_between(raised_on, day)
            if outcome is None:
                outcome = Outcome(**_withdrawal_values(transition.reason, from_state))
            outcome.recorded_by_id = transition.actor_id
            outcome.recorded_at = transition.occurred_at
    case.outcome = outcome
    case.events = events
    case.deadlines = _case_deadlines(ref, code, raised_on, steps)
    case.created_at = events[0].occurred_at
    case.updated_at = events[-1].occurred_at
    return case


def _case_deadlines(
    ref: _Ref, code: str, raised_on: date, steps: list[tuple[Event, State, State, date]]
) -> list[Deadline]:
    """The deadlines a case's steps opened and closed, as the workflow would have set them."""

    def opened(kind: deadlines.DeadlineKind, day: date) -> Deadline:
        period = ref.rule_chain(code).period(kind.rule)
        return Deadline(
            kind=kind,
            rule=kind.rule,
            starts_on=day,
            period_count=period.count,
            period_unit=period.unit,
            extended_by=0,
            due_on=deadlines.deadline_due(day, period),
            status=DeadlineStatus.OPEN,
        )

    current: Deadline | None = opened(dispute.on_create(), raised_on)
    rows = [current]
    for event, from_state, to_state, day in steps:
        changes = dispute.on_transition(event, from_state, to_state)
        if changes.close and current is not None:
            current.status = deadlines.closing_status(changes.close[1], day, current.due_on)
            current.closed_on = day
        current = opened(changes.open, day) if changes.open else None
        if current is not None:
            rows.append(current)
    return rows


def _add_notices(ref: _Ref) -> int:
    """The demo notices, with their verdicts under their Compacts' rules; once per database."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Notice)):
        return 0
    officer = ref.users.get("officer.bir@example.org")
    for item in DEMO_NOTICES:
        chain = ref.rule_chain(item.compact)
        funding = item.kind is not NoticeKind.CONSULTATION
        notice = Notice(
            kind=item.kind,
            compact_id=ref.compacts[item.compact].id,
            funder_id=ref.organisations[item.funder].id,
            recipient_id=ref.organisations[item.recipient].id if item.recipient else None,
            title=item.title,
            notice_given_on=item.first if funding else None,
            effective_on=item.second if funding else None,
            opens_on=None if funding else item.first,
            closes_on=None if funding else item.second,
            written=item.written,
            reasons_given=item.reasons_given,
            amount_before=item.amounts[0] if item.amounts else None,
            amount_after=item.amounts[1] if item.amounts else None,
            created_by_id=officer.id if officer else None,
            created_at=_at(item.first, random.Random(item.title)),
        )
        apply_verdict(notice, chain.period("funding_notice" if funding else "consultation"))
        db.session.add(notice)
    db.session.flush()
    return len(DEMO_NOTICES)


# --- References -----------------------------------------------------------------------------


class _Counters:
    """The reference counters, read once and written back for the Compact-years used."""

    def __init__(self) -> None:
        self.last = {
            (row.compact_id, row.year): row.last
            for row in db.session.scalars(sa.select(ReferenceCounter))
        }
        self.touched: set[tuple[int, int]] = set()

    def next(self, compact_id: int, year: int) -> int:
        key = (compact_id, year)
        self.last[key] = self.last.get(key, 0) + 1
        self.touched.add(key)
        return self.last[key]

    def save(self) -> None:
        if not self.touched:
            return
        dialect = db.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(ReferenceCounter.__table__)
        statement = statement.on_conflict_do_update(
            index_elements=["compact_id", "year"], set_={"last": statement.excluded["last"]}
        )
        db.session.execute(
            statement,
            [
                {"compact_id": c, "year": y, "last": self.last[(c, y)]}
                for c, y in sorted(self.touched)
            ],
        )
        self.touched.clear()


# --- Generated cases ------------------------------------------------------------------------

GENERATED_TITLES: tuple[tuple[str, tuple[Area, ...]], ...] = (
    ("Less than three months' notice of a grant cut to {ts}", (Area.FUNDING,)),
    ("Grant to {ts} ended without written reasons", (Area.FUNDING,)),
    ("Invoices from {ts} paid late", (Area.FUNDING,)),
    ("Short consultation on the future of {ts}'s service", (Area.CONSULTATION,)),
    ("Contract re-tendered without involving {ts}", (Area.COMMISSIONING,)),
    ("Overheads excluded from {ts}'s contract price", (Area.COMMISSIONING, Area.FUNDING)),
    ("Volunteer expenses disallowed for {ts}", (Area.VOLUNTEERING, Area.FUNDING)),
    ("No equality impact assessment before cutting {ts}'s grant", (Area.EQUALITY, Area.FUNDING)),
    ("Disproportionate monitoring asked of {ts}", (Area.COMMUNITY_GROUPS,)),
    ("Clawback of underspend from {ts}", (Area.FUNDING,)),
    ("BME advice funding for {ts} withdrawn", (Area.BME, Area.FUNDING)),
)
GENERATED_OUTCOMES = (
    "Funder agreed to give three months' written notice and phase the change.",
    "Funding reinstated to the end of the financial year.",
    "Agreement reached at conciliation; the funder will involve the sector earlier.",
    "Decision upheld after the organisation's response was considered.",
    "Outstanding invoices paid and payment terms agreed.",
    "Partially resolved: notice extended but the reduction stands.",
)
GENERATED_WITHDRAWALS = (
    "Withdrawn at the organisation's request.",
    "The funder reversed its decision before conciliation.",
    "The organisation chose the funder's complaints procedure instead.",
)
GENERATED_ESCALATIONS = (
    "Local conciliation did not reach agreement.",
    "The funder works across the region.",
    "The funder hosts the local Compact and is a party.",
)
# Of every 100 generated cases, how many are in each state.
GENERATED_STATES: tuple[tuple[State, int], ...] = (
    (State.RAISED, 10),
    (State.LOCAL_CONCILIATION, 14),
    (State.REGIONAL_MEDIATION, 8),
    (State.RESOLVED, 56),
    (State.WITHDRAWN, 12),
)


def _generate_cases(ref: _Ref, count: int, progress: Callable[[int, int], None] | None) -> int:
    """Insert `count` generated cases in batches with Core executemany; returns the count."""
    rng = random.Random(RANDOM_SEED + count)
    parties = _parties(ref)
    names = {o.id: o.name for o in ref.organisations.values()}
    codes = list(COUNCILS)
    compact_ids = {code: ref.compacts[code].id for code in codes}
    officers = {code: ref.officer_id(code) for code in codes}
    mediator_id = ref.mediator_id
    states = [s for s, _ in GENERATED_STATES]
    weights = [w for _, w in GENERATED_STATES]

    plan = []
    for state in rng.choices(states, weights=weights, k=count):
        plan.append((_raised_on(rng, state), rng.choice(codes), state))
    plan.sort(key=lambda item: item[0])

    counters = _Counters()
    outcome_rng = random.Random(RANDOM_SEED + count + 1)
    case_id = db.session.scalar(sa.select(sa.func.max(Case.id))) or 0
    event_id = db.session.scalar(sa.select(sa.func.max(CaseEvent.id))) or 0
    cases_table, areas_table, events_table, outcomes_table = (
        Case.__table__,
        CaseArea.__table__,
        CaseEvent.__table__,
        Outcome.__table__,
    )
    # Every outcome row carries every column: executemany needs the same keys in each row.
    blank_outcome = {
        column.name: None
        for column in outcomes_table.columns
        if column.name not in ("id", "learning_shareable")
    }
    done = 0
    for start in range(0, count, BATCH_SIZE):
        case_rows, area_rows, event_rows, outcome_rows = [], [], [], []
        for raised_on, code, state in plan[start : start + BATCH_SIZE]:
            case_id += 1
            pool = parties[code]
            roll = rng.random()
            if roll < 0.05:
                funder_id = rng.choice(pool.regional)
            elif roll < 0.7:
                funder_id = pool.councils[0]
            else:
                funder_id = rng.choice(pool.funders)
            ts_id = rng.choice(pool.third_sector)
            title, areas = rng.choice(GENERATED_TITLES)
            route = _pick_route(rng, state)
            officer_id = officers[code]
            escalated = Event.ESCALATE in route
            created_at = _at(raised_on, rng)
            event_id += 1
            event_rows.append(
                {
                    "id": event_id,
                    "case_id": case_id,
                    "kind": CaseEventKind.CREATED,
                    "event": None,
                    "from_state": None,
                    "to_state": State.RAISED,
                    "reason": None,
                    "actor_id": officer_id,
                    "occurred_at": created_at,
                }
            )
            updated_at, previous_state, closed_on, escalated_on = created_at, None, None, None
            amount = None if rng.random() < 0.15 else rng.randint(15, 250) * 1_000
            outcome = None
            for event, from_state, to_state, day in _steps(rng, raised_on, route):
                if event is Event.RESOLVE:
                    reason = rng.choice(GENERATED_OUTCOMES)
                    reason, outcome = _outcome_values(outcome_rng, reason, from_state, amount)
                elif event is Event.WITHDRAW:
                    reason = rng.choice(GENERATED_WITHDRAWALS)
                    outcome = _withdrawal_values(reason, from_state)
                elif event is Event.ESCALATE:
                    reason = rng.choice(GENERATED_ESCALATIONS)
                else:
                    reason = None
                if to_state in CLOSED_STATES:
                    previous_state, closed_on = from_state, day
                if event is Event.ESCALATE:
                    escalated_on = day
                updated_at = _at(day, rng)
                actor_id = mediator_id if from_state is State.REGIONAL_MEDIATION else officer_id
                if to_state in CLOSED_STATES and outcome is not None:
                    outcome_rows.append(
                        {
                            **blank_outcome,
                            **outcome,
                            "case_id": case_id,
                            "recorded_at": updated_at,
                            "recorded_by_id": actor_id,
                        }
                    )
                event_id += 1
                event_rows.append(
                    {
                        "id": event_id,
                        "case_id": case_id,
                        "kind": CaseEventKind.TRANSITION,
                        "event": event.value,
                        "from_state": from_state,
                        "to_state": to_state,
                        "reason": reason,
                        "actor_id": actor_id,
                        "occurred_at": updated_at,
                    }
                )
            compact_id = compact_ids[code]
            number = counters.next(compact_id, raised_on.year)
            case_rows.append(
                {
                    "id": case_id,
                    "reference": f"{code}-{raised_on.year}-{number:04d}",
                    "compact_id": compact_id,
                    "title": title.format(ts=names[ts_id]),
                    "summary": (
                        f"{names[ts_id]} says that {names[funder_id]} did not keep the local "
                        "Compact. Generated case for load testing."
                    ),
                    "funder_id": funder_id,
                    "third_sector_id": ts_id,
                    "raised_by": Side.FUNDER if roll > 0.97 else Side.THIRD_SECTOR,
                    "amount_at_stake": amount,
                    "state": state,
                    "previous_state": previous_state,
                    "officer_id": officer_id,
                    "mediator_id": mediator_id if escalated else None,
                    "raised_on": raised_on,
                    "escalated_on": escalated_on,
                    "closed_on": closed_on,
                    "working_days_to_close": (
                        working_days_between(raised_on, closed_on) if closed_on else None
                    ),
                    "created_at": created_at,
                    "updated_at": updated_at,
                    "version": 1,
                }
            )
            area_rows.extend({"case_id": case_id, "area": area} for area in areas)
        db.session.execute(sa.insert(cases_table), case_rows)
        db.session.execute(sa.insert(areas_table), area_rows)
        db.session.execute(sa.insert(events_table), event_rows)
        if outcome_rows:
            db.session.execute(sa.insert(outcomes_table), outcome_rows)
        counters.save()
        _reset_sequences(("cases", "case_events"))
        db.session.commit()
        done += len(case_rows)
        if progress:
            progress(done, count)
    return done


def _reset_sequences(tables: Iterable[str]) -> None:
    """Move PostgreSQL's id sequences past ids that were set explicitly."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
        )


# --- Entry point ----------------------------------------------------------------------------


def seed(
    cases: int | None = None, *, progress: Callable[[int, int], None] | None = None
) -> SeedReport:
    """Load the demo data; safe to run again.

    With `cases=None` the standard set of 60 cases is added if the region has no cases yet.
    With `cases=N`, N generated cases are added on every call (for benchmarks), in batches,
    calling `progress(done, total)` after each one.
    """
    ref = _ensure_reference_data()
    added = 0
    if cases is None:
        has_cases = db.session.scalar(
            sa.select(
                sa.exists()
                .where(Case.compact_id == Compact.id)
                .where(Compact.region_id == ref.region.id)
            )
        )
        if not has_cases:
            added = _add_standard_set(ref)
        _add_notices(ref)
        db.session.commit()
    else:
        db.session.commit()
        if cases > 0:
            added = _generate_cases(ref, cases, progress)
    return _report(ref.region, added)


def _add_standard_set(ref: _Ref) -> int:
    rng = random.Random(RANDOM_SEED)
    new_cases = _standard_cases(ref, rng)
    counters = _Counters()
    codes = {c.id: c.code for c in ref.compacts.values()}
    for case in sorted(new_cases, key=lambda c: c.raised_on):
        number = counters.next(case.compact_id, case.raised_on.year)
        case.reference = f"{codes[case.compact_id]}-{case.raised_on.year}-{number:04d}"
    db.session.add_all(new_cases)
    db.session.flush()
    counters.save()
    return len(new_cases)


def _report(region: Region, added: int) -> SeedReport:
    def count(statement: sa.Select) -> int:
        return db.session.scalar(statement) or 0

    return SeedReport(
        regions=count(sa.select(sa.func.count()).select_from(Region)),
        compacts=count(
            sa.select(sa.func.count()).select_from(Compact).where(Compact.region_id == region.id)
        ),
        organisations=count(
            sa.select(sa.func.count())
            .select_from(Organisation)
            .where(Organisation.region_id == region.id)
        ),
        users=count(sa.select(sa.func.count()).select_from(User)),
        cases_added=added,
    )


# --- Demo accounts --------------------------------------------------------------------------

# One account for each role, as the run command lists them.
DEMO_ACCOUNTS: tuple[str, ...] = (
    "officer.bir@example.org",
    "officer.war@example.org",
    "mediator.wm@example.org",
    "viewer.wm@example.org",
    "funder.bcc@example.org",
    "admin@example.org",
)


def demo_password(path: Path) -> str:
    """The demo accounts' password: made once per installation and kept beside the database."""
    if path.exists():
        return path.read_text().strip()
    password = "-".join(secrets.token_hex(3) for _ in range(3))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def set_demo_passwords(password: str, method: str) -> int:
    """Give the demo users without a password this one; returns how many were set."""
    emails = [email for email, *_ in USERS]
    users = db.session.scalars(
        sa.select(User).where(User.email.in_(emails), User.password_hash.is_(None))
    ).all()
    for user in users:
        user.set_password(password, method=method)
    db.session.commit()
    return len(users)


def demo_accounts() -> list[User]:
    users = {
        u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(DEMO_ACCOUNTS)))
    }
    return [users[email] for email in DEMO_ACCOUNTS if email in users]

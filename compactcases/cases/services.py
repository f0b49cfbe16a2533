"""The case record: log a dispute, edit it, read it with its timeline, add notes and
meetings, assign its mediator, and the choices the case forms offer.

Each function runs one unit of work (`history.changing`) and every change to a case writes
its CaseEvent in the same transaction. Finding cases is in `search`, moving them through the
workflow in `workflow`, their deadlines and clock in `deadlines`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from workflows import dispute
from workflows import meetings as meeting_rules
from workflows.dispute import State
from workflows.periods import MIN_DATE
from workflows.webhooks import WebhookEventType

from .. import localtime, policy
from ..extensions import db
from ..history import StaleCase, changing, record_event
from ..models import (
    Area,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseLevel,
    Compact,
    DeadlinePause,
    Organisation,
    ReferenceCounter,
    Role,
    Side,
    User,
)
from ..reminders.planning import replan_case
from ..webhooks import outbox
from . import parties as party_rules
from .deadlines import open_deadline
from .parties import regional_compacts_for

# The longest summary a case may have, from the form, the API or a concern raised online.
MAX_SUMMARY = 10_000


@dataclass(frozen=True)
class CaseDetails:
    """The fields a person types in when logging or editing a case."""

    compact_id: int
    title: str
    summary: str
    funder_id: int
    third_sector_id: int
    raised_by: Side
    areas: tuple[Area, ...]
    amount_at_stake: int | None
    raised_on: date
    officer_id: int | None = None
    # The parties beyond the two leads (funder_id, third_sector_id), each with its side.
    other_parties: tuple[tuple[int, Side], ...] = ()
    # A regional case's affected Compacts, its lead first; none for a local case.
    affected_compact_ids: tuple[int, ...] = ()
    level: CaseLevel = CaseLevel.LOCAL

    @property
    def funder_ids(self) -> tuple[int, ...]:
        return (self.funder_id, *(i for i, side in self.other_parties if side is Side.FUNDER))

    @property
    def third_sector_ids(self) -> tuple[int, ...]:
        others = (i for i, side in self.other_parties if side is Side.THIRD_SECTOR)
        return (self.third_sector_id, *others)

    def normalised(self) -> CaseDetails:
        """A regional case's home for numbering and tallies is its first affected Compact."""
        if self.level is CaseLevel.REGIONAL and self.affected_compact_ids:
            return replace(self, compact_id=self.affected_compact_ids[0])
        if self.level is CaseLevel.LOCAL:
            return replace(self, affected_compact_ids=())
        return self


# What an edit may change, with the label the timeline shows for it.
EDITABLE_FIELDS: dict[str, str] = {
    "title": "Title",
    "summary": "Summary",
    "compact_id": "Compact",
    "funder_id": "Funder",
    "third_sector_id": "Third-sector organisation",
    "raised_by": "Raised by",
    "areas": "Areas of the Compact",
    "amount_at_stake": "Money at stake",
    "raised_on": "Date raised",
}


def detail_errors(details: CaseDetails, user: User) -> dict[str, str]:
    """What is wrong with `details` for `user`, by field; empty when they can be saved.

    The pages and the API both ask this, so a case is held to the same rules either way.
    """
    errors: dict[str, str] = {}
    region_id = None
    if details.level is CaseLevel.REGIONAL:
        affected = details.affected_compact_ids
        errors.update(party_rules.regional_errors(affected, regional_compacts_for(user)))
        region_id = party_rules.region_of(affected) if not errors else None
    elif details.compact_id not in {c.id for c in compacts_for(user)}:
        errors["compact_id"] = "Select the local Compact"
    found = party_rules.party_errors(details.funder_ids, details.third_sector_ids, region_id)
    errors.update({k: v for k, v in found.items() if k not in errors})
    if details.raised_on < MIN_DATE:
        errors["raised_on"] = "Date raised must be in 2000 or later"
    elif details.raised_on > localtime.today():
        errors["raised_on"] = "Date raised must be today or in the past"
    return errors


def details_of(case: Case) -> CaseDetails:
    """The case's editable fields as they are now."""
    return CaseDetails(
        compact_id=case.compact_id,
        title=case.title,
        summary=case.summary,
        funder_id=case.funder_id,
        third_sector_id=case.third_sector_id,
        raised_by=case.raised_by,
        areas=tuple(case.areas),
        amount_at_stake=case.amount_at_stake,
        raised_on=case.raised_on,
        other_parties=tuple(
            (p.organisation_id, p.side)
            for p in case.parties
            if p.organisation_id not in (case.funder_id, case.third_sector_id)
        ),
        affected_compact_ids=tuple(row.compact_id for row in case.compact_rows),
        level=case.level,
    )


def get_case(reference: str) -> Case | None:
    """The case with its parties, deadlines and clock loaded, or None.

    The timeline is not loaded here: `timeline` reads one page of it, however long it is.
    """
    return db.session.scalar(
        sa.select(Case)
        .where(Case.reference == reference.upper())
        .options(
            joinedload(Case.compact),
            joinedload(Case.funder),
            joinedload(Case.third_sector),
            joinedload(Case.officer),
            joinedload(Case.mediator),
            selectinload(Case.area_rows),
            selectinload(Case.deadlines),
            selectinload(Case.pauses).joinedload(DeadlinePause.by),
            selectinload(Case.notices),
            selectinload(Case.outcome),
            selectinload(Case.party_rows),
            selectinload(Case.compact_rows),
        )
    )


def allocate_reference(compact: Compact, year: int) -> str:
    """The next reference for the Compact and year, e.g. BIR-2026-0007.

    The counter row is bumped with one UPDATE ... RETURNING inside the caller's transaction:
    PostgreSQL holds that row's lock until commit, and SQLite has a single writer, so two
    cases can never be given the same number.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(
        insert(ReferenceCounter)
        .values(compact_id=compact.id, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["compact_id", "year"])
    )
    number = db.session.execute(
        sa.update(ReferenceCounter)
        .where(ReferenceCounter.compact_id == compact.id, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return f"{compact.code}-{year}-{number:04d}"


def create_case(details: CaseDetails, actor: User | None, *, today: date | None = None) -> Case:
    case = build_case(details, actor, today=today)
    db.session.commit()
    return case


def build_case(
    details: CaseDetails,
    actor: User | None,
    *,
    note: str | None = None,
    today: date | None = None,
) -> Case:
    """A new case in `raised`, with its timeline's first entry and its acknowledge deadline
    counted from the day it was raised; added to the session, not committed.

    `today` (default: today's date) is the day the case is logged, from which its reminders
    are planned; the demo data passes the day it replays.
    """
    today = today or localtime.today()
    details = details.normalised()
    compact = db.session.get(Compact, details.compact_id)
    case = Case(
        reference=allocate_reference(compact, details.raised_on.year),
        compact=compact,
        title=details.title,
        summary=details.summary,
        funder_id=details.funder_id,
        third_sector_id=details.third_sector_id,
        raised_by=details.raised_by,
        amount_at_stake=details.amount_at_stake,
        raised_on=details.raised_on,
        officer_id=details.officer_id or (actor.id if _may_hold(actor) else None),
        state=State.RAISED,
    )
    case.areas = list(details.areas)
    case.set_parties(list(details.funder_ids), list(details.third_sector_ids))
    case.set_affected_compacts(list(details.affected_compact_ids))
    db.session.add(case)
    record_event(case, CaseEventKind.CREATED, actor, to_state=State.RAISED, reason=note)
    open_deadline(case, dispute.on_create(), details.raised_on, today)
    replan_case(case, today)
    outbox.announce(WebhookEventType.CASE_CREATED, case)
    return case


def _may_hold(actor: User | None) -> bool:
    """Whether the person logging a case becomes its officer: not a party's own user, who
    raises a concern for the Compact's officers to take up."""
    return actor is not None and actor.role not in policy.PARTY_ROLES


def update_case(
    case: Case, details: CaseDetails, expected_version: int, actor: User | None
) -> dict[str, list]:
    """Apply an edit made on version `expected_version`; returns the changed fields.

    A form opened before someone else saved is refused with `StaleCase`, whether the other
    save landed before this request started or while it ran.
    """
    if case.version != expected_version:
        raise StaleCase(case)
    details = details.normalised()
    changes = party_rules.list_changes(details_of(case), details)
    for name in EDITABLE_FIELDS:
        old, new = getattr(case, name), getattr(details, name)
        if name == "areas":
            old, new = sorted(old), sorted(new)
        if old != new:
            changes[name] = [_shown(name, old), _shown(name, new)]
            setattr(case, name, list(new) if name == "areas" else new)
    if not changes:
        return changes
    with changing(case):
        case.set_parties(list(details.funder_ids), list(details.third_sector_ids))
        case.set_affected_compacts(list(details.affected_compact_ids))
        record_event(case, CaseEventKind.EDIT, actor, changes=changes)
    return changes


def _shown(name: str, value) -> str | None:
    """A field value as the timeline shows it."""
    if value is None:
        return None
    if name == "compact_id":
        return db.session.get(Compact, value).name
    if name in ("funder_id", "third_sector_id"):
        return db.session.get(Organisation, value).name
    if name == "areas":
        return ", ".join(Area(a).label for a in value)
    if name == "raised_by":
        return Side(value).label
    if name == "amount_at_stake":
        return f"£{value:,}"
    if name == "raised_on":
        return value.isoformat()
    return str(value)


class NoteRefused(Exception):
    """A note that cannot be added as asked; nothing was written."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


# A note backdated to an earlier day sits at midday of that day (London) on the timeline.
BACKDATED_HOUR = time(12, 0)


def add_note(
    case: Case,
    text: str,
    *,
    meeting: bool,
    private: bool,
    actor: User | None,
    occurred_on: date | None = None,
    today: date | None = None,
) -> CaseEvent:
    """Add a note (or a meeting's note) to the timeline, dated by the day of the call it
    records when `occurred_on` is given: never in the future, never before the case was raised.
    """
    kind = CaseEventKind.MEETING if meeting else CaseEventKind.NOTE
    today = today or localtime.today()
    occurred_at = None
    if occurred_on is not None and occurred_on != today:
        problem = meeting_rules.call_date_error(occurred_on, case.raised_on, today)
        if problem:
            raise NoteRefused({"occurred_on": problem})
        occurred_at = datetime.combine(occurred_on, BACKDATED_HOUR, tzinfo=localtime.LONDON)
    with changing(case):
        entry = record_event(case, kind, actor, reason=text.strip(), occurred_at=occurred_at)
        entry.private = private
    return entry


# How many timeline entries a case page (and the API's case detail) shows at once.
TIMELINE_PER_PAGE = 50


@dataclass(frozen=True)
class TimelineEntry:
    """One timeline entry as pages and the API show it: the actor by name only."""

    kind: CaseEventKind
    event: str | None
    from_state: State | None
    to_state: State | None
    reason: str | None
    changes: dict | None
    private: bool
    actor_name: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class TimelinePage:
    """One page of a case's timeline, newest first: page 1 is the latest entries."""

    entries: list[TimelineEntry]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_older(self) -> bool:
        return self.page < self.pages

    @property
    def has_newer(self) -> bool:
        return self.page > 1

    @property
    def first_shown(self) -> int:
        """The position (1 = newest) of the first entry on this page."""
        return (self.page - 1) * self.per_page + 1 if self.entries else 0

    @property
    def last_shown(self) -> int:
        return (self.page - 1) * self.per_page + len(self.entries)


def timeline(
    case: Case, user: User, page: int = 1, per_page: int = TIMELINE_PER_PAGE
) -> TimelinePage:
    """One page of the case's timeline as `user` may read it (`policy.scope_timeline`), newest
    first. A page past the oldest gives the oldest page.

    Two statements whatever the timeline's length: a count, and the page's rows with only the
    actor's name joined (never the whole user row).
    """
    counted = policy.scope_timeline(
        sa.select(sa.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id), user
    )
    total = db.session.scalar(counted)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    readable = policy.scope_timeline(
        sa.select(
            CaseEvent.kind,
            CaseEvent.event,
            CaseEvent.from_state,
            CaseEvent.to_state,
            CaseEvent.reason,
            CaseEvent.changes,
            CaseEvent.private,
            User.name.label("actor_name"),
            CaseEvent.occurred_at,
        )
        .select_from(CaseEvent)
        .outerjoin(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id),
        user,
    )
    rows = db.session.execute(
        readable.order_by(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return TimelinePage(
        entries=[TimelineEntry(**row._asdict()) for row in rows],
        page=page,
        per_page=per_page,
        total=total,
    )


@dataclass
class FormChoices:
    """The options the case forms offer, loaded in two queries."""

    compacts: list[Compact] = field(default_factory=list)
    funders: list[Organisation] = field(default_factory=list)
    third_sector: list[Organisation] = field(default_factory=list)


def compacts_for(user: User) -> list[Compact]:
    """The Compacts `user` may log cases in (all of them for an administrator)."""
    query = sa.select(Compact).order_by(Compact.name)
    if user.role is not Role.ADMIN:
        query = query.where(Compact.id.in_(policy.officer_compact_ids(user)))
    return list(db.session.scalars(query))


def filter_compacts(user: User) -> list[Compact]:
    """The Compacts offered as a filter on the case list."""
    if user.role is Role.OFFICER:
        return compacts_for(user)
    return list(db.session.scalars(sa.select(Compact).order_by(Compact.name)))


def parties() -> tuple[list[Organisation], list[Organisation]]:
    """Every statutory funder and every third-sector organisation, by name, in one query."""
    organisations = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return (
        [o for o in organisations if o.is_statutory],
        [o for o in organisations if not o.is_statutory],
    )


def form_choices(user: User, compact_id: int | None = None) -> FormChoices:
    """What the case forms offer; the parties of the case's Compact (`compact_id`, else the
    user's own) come first, then the rest of its region, then the others, each by name."""
    funders, third_sector = parties()
    compact = db.session.get(Compact, compact_id or user.compact_id or 0)
    if compact is not None:
        funders, third_sector = local_first(funders, compact), local_first(third_sector, compact)
    return FormChoices(compacts=compacts_for(user), funders=funders, third_sector=third_sector)


def local_first(organisations: list[Organisation], compact: Compact) -> list[Organisation]:
    """`organisations` with `compact`'s own first, then its region's, keeping their order."""
    return sorted(
        organisations,
        key=lambda o: (o.compact_id != compact.id, o.region_id != compact.region_id),
    )

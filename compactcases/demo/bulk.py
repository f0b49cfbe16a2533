"""Generated cases in bulk, for benchmarks and tests at scale (`flask demo seed --cases N`).

Speed matters more than fidelity here, so rows are written directly in batches with Core
executemany rather than through the case services: each case gets its timeline and, when
closed, its outcome, but no deadlines (generated cases exist to measure lists and reports).
The places, organisations, routes and outcomes are the standard set's.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from workflows.dispute import CLOSED_STATES, Event, State
from workflows.periods import working_days_between

from ..extensions import db
from ..models import (
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    CaseParty,
    Outcome,
    ReferenceCounter,
    Side,
)
from ..models.search import index_cases_after, stop_indexing
from ..models.tallies import create_tally_triggers, drop_tally_triggers, rebuild_tallies
from .data.generated import (
    GENERATED_ESCALATIONS,
    GENERATED_OUTCOMES,
    GENERATED_STATES,
    GENERATED_TITLES,
    GENERATED_WITHDRAWALS,
)
from .data.organisations import COUNCILS
from .data.timing import RANDOM_SEED
from .reference import Reference, parties
from .timelines import at, outcome_values, pick_route, raised_on, steps, withdrawal_values


class Counters:
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


@dataclass
class _Batch:
    """The rows of one batch of generated cases, inserted together."""

    cases: list[dict] = field(default_factory=list)
    areas: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    outcomes: list[dict] = field(default_factory=list)

    def insert(self) -> None:
        db.session.execute(sa.insert(Case.__table__), self.cases)
        # Every case lists its two parties, as the case services keep them.
        db.session.execute(sa.insert(CaseParty.__table__), self.parties())
        db.session.execute(sa.insert(CaseArea.__table__), self.areas)
        db.session.execute(sa.insert(CaseEvent.__table__), self.events)
        if self.outcomes:
            db.session.execute(sa.insert(Outcome.__table__), self.outcomes)

    def parties(self) -> list[dict]:
        return [
            {"case_id": c["id"], "organisation_id": c[column], "side": side, "position": position}
            for c in self.cases
            for position, (column, side) in enumerate(
                (("funder_id", Side.FUNDER), ("third_sector_id", Side.THIRD_SECTOR))
            )
        ]


def generate_cases(
    ref: Reference,
    count: int,
    batch_size: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `count` generated cases, `batch_size` at a time, committing and calling
    `progress(done, count)` after each batch; returns the count."""
    generator = _Generator(ref, count)
    plan = generator.plan()
    done = 0
    with indexed_and_counted_at_the_end():
        for start in range(0, count, batch_size):
            batch = _Batch()
            for raised, code, state in plan[start : start + batch_size]:
                generator.add_case(batch, raised, code, state)
            batch.insert()
            generator.counters.save()
            reset_sequences(("cases", "case_events"))
            db.session.commit()
            done += len(batch.cases)
            if progress:
                progress(done, count)
    return done


@contextmanager
def indexed_and_counted_at_the_end() -> Iterator[None]:
    """Load without the triggers of the search index and the report tallies, then index the
    new cases and count every tally afresh, once each: one statement costs far less than a
    trigger per row. Whatever else was written in the meantime is counted too, since the
    count reads every case; the indexing, the count and the triggers' return are one
    transaction."""
    connection = db.session.connection()
    last_indexed = stop_indexing(connection)
    drop_tally_triggers(connection)
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        connection = db.session.connection()
        index_cases_after(connection, last_indexed)
        rebuild_tallies(connection)
        create_tally_triggers(connection)
        db.session.commit()


class _Generator:
    """Makes the rows of generated cases, numbering them after the cases already stored."""

    def __init__(self, ref: Reference, count: int) -> None:
        self.count = count
        self.rng = random.Random(RANDOM_SEED + count)
        self.outcome_rng = random.Random(RANDOM_SEED + count + 1)
        self.pools = parties(ref)
        self.names = {o.id: o.name for o in ref.organisations.values()}
        self.codes = list(COUNCILS)
        self.compact_ids = {code: ref.compacts[code].id for code in self.codes}
        self.officers = {code: ref.officer_id(code) for code in self.codes}
        self.mediator_id = ref.mediator_id
        self.counters = Counters()
        self.case_id = db.session.scalar(sa.select(sa.func.max(Case.id))) or 0
        self.event_id = db.session.scalar(sa.select(sa.func.max(CaseEvent.id))) or 0
        # Every outcome row carries every column: executemany needs the same keys in each row.
        self.blank_outcome = {
            column.name: None
            for column in Outcome.__table__.columns
            if column.name not in ("id", "learning_shareable")
        }

    def plan(self) -> list[tuple[date, str, State]]:
        """(raised on, Compact code, state) of each case, in the order they were raised."""
        states = [s for s, _ in GENERATED_STATES]
        weights = [w for _, w in GENERATED_STATES]
        found = []
        for state in self.rng.choices(states, weights=weights, k=self.count):
            found.append((raised_on(self.rng, state), self.rng.choice(self.codes), state))
        found.sort(key=lambda item: item[0])
        return found

    def add_case(self, batch: _Batch, raised: date, code: str, state: State) -> None:
        rng = self.rng
        self.case_id += 1
        pool = self.pools[code]
        roll = rng.random()
        if roll < 0.05:
            funder_id = rng.choice(pool.regional)
        elif roll < 0.7:
            funder_id = pool.councils[0]
        else:
            funder_id = rng.choice(pool.funders)
        ts_id = rng.choice(pool.third_sector)
        title, areas = rng.choice(GENERATED_TITLES)
        route = pick_route(rng, state)
        created_at = at(raised, rng)
        self._event(batch, self.officers[code], created_at, CaseEventKind.CREATED, None)
        amount = None if rng.random() < 0.15 else rng.randint(15, 250) * 1_000
        columns = self._history(batch, raised, code, route, amount)
        number = self.counters.next(self.compact_ids[code], raised.year)
        closed_on = columns["closed_on"]
        batch.cases.append(
            {
                "id": self.case_id,
                "reference": f"{code}-{raised.year}-{number:04d}",
                "compact_id": self.compact_ids[code],
                "title": title.format(ts=self.names[ts_id]),
                "summary": (
                    f"{self.names[ts_id]} says that {self.names[funder_id]} did not keep the "
                    "local Compact. Generated case for load testing."
                ),
                "funder_id": funder_id,
                "third_sector_id": ts_id,
                "raised_by": Side.FUNDER if roll > 0.97 else Side.THIRD_SECTOR,
                "amount_at_stake": amount,
                "state": state,
                "officer_id": self.officers[code],
                "mediator_id": self.mediator_id if Event.ESCALATE in route else None,
                "raised_on": raised,
                "working_days_to_close": (
                    working_days_between(raised, closed_on) if closed_on else None
                ),
                "created_at": created_at,
                "version": 1,
                **columns,
            }
        )
        batch.areas.extend({"case_id": self.case_id, "area": area} for area in areas)

    def _history(
        self, batch: _Batch, raised: date, code: str, route: tuple[Event, ...], amount: int | None
    ) -> dict:
        """The route's transitions (and closing outcome) as rows; returns the case columns
        they set: previous state, escalation and closing days, last update."""
        rng = self.rng
        columns = {"previous_state": None, "closed_on": None, "escalated_on": None}
        columns["updated_at"] = batch.events[-1]["occurred_at"]
        outcome = None
        for event, from_state, to_state, day in steps(rng, raised, route):
            if event is Event.RESOLVE:
                reason = rng.choice(GENERATED_OUTCOMES)
                reason, outcome = outcome_values(self.outcome_rng, reason, from_state, amount)
            elif event is Event.WITHDRAW:
                reason = rng.choice(GENERATED_WITHDRAWALS)
                outcome = withdrawal_values(reason, from_state)
            elif event is Event.ESCALATE:
                reason = rng.choice(GENERATED_ESCALATIONS)
            else:
                reason = None
            if to_state in CLOSED_STATES:
                columns["previous_state"], columns["closed_on"] = from_state, day
            if event is Event.ESCALATE:
                columns["escalated_on"] = day
            moment = columns["updated_at"] = at(day, rng)
            actor_id = (
                self.mediator_id if from_state is State.REGIONAL_MEDIATION else self.officers[code]
            )
            if to_state in CLOSED_STATES and outcome is not None:
                batch.outcomes.append(
                    {
                        **self.blank_outcome,
                        **outcome,
                        "case_id": self.case_id,
                        "recorded_at": moment,
                        "recorded_by_id": actor_id,
                    }
                )
            transition = (event.value, from_state, to_state, reason)
            self._event(batch, actor_id, moment, CaseEventKind.TRANSITION, transition)
        return columns

    def _event(
        self,
        batch: _Batch,
        actor_id: int | None,
        moment: datetime,
        kind: CaseEventKind,
        transition: tuple[str, State, State, str | None] | None,
    ) -> None:
        """One timeline row: the creation (`transition` None) or a transition's
        (event, from state, to state, reason)."""
        event, from_state, to_state, reason = transition or (None, None, State.RAISED, None)
        self.event_id += 1
        batch.events.append(
            {
                "id": self.event_id,
                "case_id": self.case_id,
                "kind": kind,
                "event": event,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason,
                "actor_id": actor_id,
                "occurred_at": moment,
            }
        )


def reset_sequences(tables: Iterable[str]) -> None:
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

"""Each imported row checked into plain values, or its errors by row, column and message.

Organisations are found by their exact name or a declared alias, never by a guess; Compacts
by code, and only those the importing person may import into.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from workflows.dispute import CLOSED_STATES, State
from workflows.outcomes import MAX_REASON_LENGTH, Breach, Level, OutcomeType
from workflows.periods import format_date
from workflows.spreadsheet import (
    CellError,
    first_duplicates,
    parse_choice,
    parse_count,
    parse_day,
    parse_money,
    parse_yes_no,
    plain_text,
    split_list,
    text,
)

from .. import localtime
from ..extensions import db
from ..models import (
    Area,
    Compact,
    ImportKind,
    NoticeKind,
    Organisation,
    OrganisationAlias,
    OrganisationType,
    Region,
    Side,
)
from .reading import FORMULA


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ValidRow:
    """A row that can be imported: its number, scope (Compact code, or "" for organisations),
    the source's reference, its values and their hash."""

    row: int
    scope: str
    reference: str
    values: dict

    @property
    def row_hash(self) -> str:
        encoded = json.dumps(self.values, sort_keys=True, default=str).encode()
        return hashlib.sha256(encoded).hexdigest()


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    statutory: bool


@dataclass
class Directory:
    """What rows are matched against: Compacts the importer may use, regions, and every
    organisation by its name and aliases (case-insensitive, exact)."""

    compacts: dict[str, Compact]
    allowed: set[str] | None  # Compact codes the importer may import into; None: any
    regions: dict[str, int]
    parties: dict[str, Party] = field(default_factory=dict)

    @classmethod
    def load(cls, allowed: set[str] | None) -> Directory:
        compacts = {c.code.upper(): c for c in db.session.scalars(sa.select(Compact))}
        regions = {
            code.upper(): rid for rid, code in db.session.execute(sa.select(Region.id, Region.code))
        }
        directory = cls(compacts, allowed, regions)
        rows = db.session.execute(sa.select(Organisation.id, Organisation.name, Organisation.kind))
        for oid, name, kind in rows:
            directory.parties[name.casefold()] = Party(oid, name, kind == "statutory")
        by_id = {p.id: p for p in directory.parties.values()}
        for oid, alias in db.session.execute(
            sa.select(OrganisationAlias.organisation_id, OrganisationAlias.alias)
        ):
            directory.parties.setdefault(alias.casefold(), by_id[oid])
        return directory


class Cells:
    """One row's cells, read column by column; every failure is kept as a RowError."""

    def __init__(self, number: int, cells: dict[str, object]) -> None:
        self.number = number
        self.cells = cells
        self.errors: list[RowError] = []

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def read(self, column: str, parse: Callable, *args):
        if self.cells.get(column) is FORMULA:
            self.fail(
                column,
                "This cell is a formula: formulas are not imported or run; enter the value itself",
            )
            return None
        try:
            return parse(self.cells.get(column), *args)
        except CellError as error:
            self.fail(column, error.message)
            return None

    def text(self, column: str, max_length: int = 200, required: bool = False) -> str:
        found = self.read(column, plain_text, max_length) or ""
        if required and not found and not self._failed(column):
            self.fail(column, "Enter a value: this column is required")
        return found

    def day(self, column: str, required: bool = False) -> date | None:
        found = self.read(column, parse_day)
        if required and found is None and not self._failed(column):
            self.fail(column, "Enter a date: this column is required")
        return found

    def _failed(self, column: str) -> bool:
        return any(e.column == column for e in self.errors)

    def party(self, directory: Directory, column: str, statutory: bool | None) -> int | None:
        name = self.text(column, 160, required=statutory is not None)
        if not name:
            return None
        party = directory.parties.get(name.casefold())
        if party is None:
            self.fail(
                column,
                f"No organisation is named “{name}”: import it first (organisations import) "
                "or declare that name as one of its aliases",
            )
        elif statutory is True and not party.statutory:
            self.fail(column, f"{party.name} is not a statutory funder")
        elif statutory is False and party.statutory:
            self.fail(column, f"{party.name} is not a third-sector organisation")
        else:
            return party.id
        return None

    def compact(self, directory: Directory, given: str | None) -> Compact | None:
        code = self.text("compact", 8).upper() or (given or "").upper()
        if not code:
            self.fail("compact", "Enter the local Compact's code, like BIR")
            return None
        if given and code != given.upper():
            self.fail("compact", f"This import is for the Compact {given.upper()}, not {code}")
            return None
        compact = directory.compacts.get(code)
        if compact is None or (directory.allowed is not None and code not in directory.allowed):
            self.fail("compact", f"{code} is not a Compact you can import into")
            return None
        return compact


def check_rows(
    kind: ImportKind,
    rows: list[tuple[int, dict[str, object]]],
    directory: Directory,
    compact: str | None,
) -> tuple[list[ValidRow], list[RowError]]:
    """The rows that can be imported and the errors of those that cannot."""
    checker = CHECKERS[kind]
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    references = [(number, text(cells.get("source_reference"))) for number, cells in rows]
    repeats = first_duplicates((n, r) for n, r in references if r)
    for number, cells in rows:
        row = Cells(number, cells)
        reference = row.text("source_reference", 60, required=True)
        if number in repeats:
            row.fail(
                "source_reference",
                f"The reference “{reference}” is also on row {repeats[number]}: each row "
                "needs its own",
            )
        values = checker(row, directory, compact)
        if row.errors:
            errors.extend(row.errors)
        else:
            scope = values.pop("_scope", "")
            valid.append(ValidRow(number, scope, reference, values))
    return valid, errors


def _organisation(row: Cells, directory: Directory, _compact: str | None) -> dict:
    name = row.text("name", 160, required=True)
    type_ = row.read("type", parse_choice, OrganisationType)
    region = row.text("region", 8, required=True).upper()
    region_id = directory.regions.get(region) if region else None
    if region and region_id is None:
        row.fail("region", f"No region has the code {region}")
    code = row.text("compact", 8).upper()
    compact = directory.compacts.get(code) if code else None
    if code and compact is None:
        row.fail("compact", f"No Compact has the code {code}")
    aliases = row.read("aliases", split_list) or []
    for alias in aliases:
        if len(alias) > 160:
            row.fail("aliases", "Each alias may have at most 160 characters")
        party = directory.parties.get(alias.casefold())
        if party is not None and party.name.casefold() != name.casefold():
            row.fail("aliases", f"“{alias}” already names {party.name}")
    return {
        "name": name,
        "type": type_,
        "region_id": region_id,
        "compact_id": compact.id if compact else None,
        "aliases": sorted(set(aliases), key=str.casefold),
    }


def _case(row: Cells, directory: Directory, given: str | None) -> dict:
    compact = row.compact(directory, given)
    values = {
        "_scope": compact.code if compact else "",
        "compact_id": compact.id if compact else None,
        "title": row.text("title", 200, required=True),
        "summary": row.text("summary", 5000, required=True),
        "funder_id": row.party(directory, "funder", True),
        "third_sector_id": row.party(directory, "third_sector_organisation", False),
        "raised_by": row.read("raised_by", parse_choice, Side, False) or Side.THIRD_SECTOR,
        "areas": [],
        "amount_at_stake": row.read("amount_at_stake", parse_money),
        "raised_on": row.day("raised_on", required=True),
        "state": row.read("state", parse_choice, State),
        "escalated_on": row.day("escalated_on"),
        "closed_on": row.day("closed_on"),
        "level": row.read("level_reached", parse_choice, Level, False),
    }
    for area in row.read("areas", split_list) or []:
        try:
            values["areas"].append(parse_choice(area, Area))
        except CellError as error:
            row.fail("areas", error.message)
    values["areas"] = sorted(set(values["areas"]), key=list(Area).index) or [Area.FUNDING]
    _check_case_dates(row, values)
    values["outcome"] = _outcome(row, values)
    return values


def _check_case_dates(row: Cells, values: dict) -> None:
    state, raised = values["state"], values["raised_on"]
    escalated, closed = values["escalated_on"], values["closed_on"]
    if state is None or raised is None:
        return
    if state in CLOSED_STATES and closed is None and "closed_on" not in _columns(row):
        row.fail("closed_on", f"Enter the date the case was {state.value}")
    if state not in CLOSED_STATES and closed is not None:
        row.fail("closed_on", f"An open case ({state.value}) has no closing date")
    if (
        state is State.REGIONAL_MEDIATION
        and escalated is None
        and "escalated_on" not in _columns(row)
    ):
        row.fail("escalated_on", "Enter the date the case went to regional mediation")
    if state in (State.RAISED, State.LOCAL_CONCILIATION) and escalated is not None:
        row.fail("escalated_on", f"A case in {state.value} has not been escalated")
    for column, day in (("escalated_on", escalated), ("closed_on", closed)):
        if day is not None and day < raised:
            row.fail(column, f"Enter a date on or after the date raised, {format_date(raised)}")
    if escalated and closed and closed < escalated >= raised:
        row.fail("closed_on", f"Enter a date on or after the escalation, {format_date(escalated)}")
    if raised > localtime.today():
        row.fail("raised_on", "Enter a date that is today or in the past")


def _columns(row: Cells) -> set[str]:
    return {e.column for e in row.errors}


def _outcome(row: Cells, values: dict) -> dict | None:
    state = values["state"]
    if state not in CLOSED_STATES:
        return None
    level = values.pop("level") or (
        Level.REGIONAL_MEDIATION if values["escalated_on"] else Level.LOCAL_CONCILIATION
    )
    if values["escalated_on"] and level is not Level.REGIONAL_MEDIATION:
        row.fail("level_reached", "An escalated case reached regional mediation")
    if state is State.WITHDRAWN:
        reason = row.text("withdrawal_reason", MAX_REASON_LENGTH)
        if not reason:
            row.fail("withdrawal_reason", "Enter why the case was withdrawn")
        return {"kind": "withdrawn", "level": level, "withdrawal_reason": reason}
    return {
        "kind": "resolved",
        "level": level,
        "outcome_type": row.read("outcome_type", parse_choice, OutcomeType),
        "breach_found": row.read("breach_found", parse_choice, Breach),
        "funding_protected": row.read("funding_protected", parse_money),
        "jobs_safeguarded": row.read("jobs_safeguarded", parse_count),
        "notice_days_gained": row.read("notice_days_gained", parse_count),
        "service_users_affected": row.read("service_users_affected", parse_count),
        "agreed_actions": row.text("agreed_actions", MAX_REASON_LENGTH),
        "learning": row.text("learning", MAX_REASON_LENGTH),
    }


def _notice(row: Cells, directory: Directory, given: str | None) -> dict:
    compact = row.compact(directory, given)
    kind = row.read("kind", parse_choice, NoticeKind)
    values = {
        "_scope": compact.code if compact else "",
        "compact_id": compact.id if compact else None,
        "kind": kind,
        "title": row.text("title", 200, required=True),
        "funder_id": row.party(directory, "funder", True),
        "recipient_id": row.party(directory, "recipient", None),
        "notice_given_on": row.day("notice_given_on"),
        "effective_on": row.day("effective_on"),
        "written": row.read("written", parse_yes_no, True),
        "reasons_given": row.read("reasons_given", parse_yes_no, True),
        "amount_before": row.read("amount_before", parse_money),
        "amount_after": row.read("amount_after", parse_money),
        "opens_on": row.day("opens_on"),
        "closes_on": row.day("closes_on"),
    }
    if kind is None:
        return values
    if kind.is_funding:
        needed = {"recipient": "recipient_id", "notice_given_on": None, "effective_on": None}
        pair = ("notice_given_on", "effective_on")
    else:
        needed = {"opens_on": None, "closes_on": None}
        pair = ("opens_on", "closes_on")
    for column, key in needed.items():
        if values[key or column] is None and column not in _columns(row):
            row.fail(column, f"Enter this for a {kind.label.lower()} notice")
    first, second = values[pair[0]], values[pair[1]]
    if first and second and second < first:
        row.fail(pair[1], f"Enter a date on or after the {_LABELS[pair[0]]}, {format_date(first)}")
    before, after = values["amount_before"], values["amount_after"]
    reduction = kind is NoticeKind.FUNDING_REDUCTION
    if reduction and before is not None and after is not None and after >= before:
        row.fail("amount_after", "For a reduction, enter less than the amount before")
    return values


_LABELS = {"notice_given_on": "notice date", "opens_on": "opening date"}


def _agreement(row: Cells, directory: Directory, given: str | None) -> dict:
    compact = row.compact(directory, given)
    values = {
        "_scope": compact.code if compact else "",
        "compact_id": compact.id if compact else None,
        "funder_id": row.party(directory, "funder", True),
        "organisation_id": row.party(directory, "organisation", False),
        "title": row.text("title", 200, required=True),
        "funder_reference": row.text("funder_reference", 60, required=True),
        "annual_value": row.read("annual_value", parse_money),
        "starts_on": row.day("starts_on", required=True),
        "ends_on": row.day("ends_on", required=True),
        "break_on": row.day("break_on"),
        "review_on": row.day("review_on"),
    }
    if values["annual_value"] is None and "annual_value" not in _columns(row):
        row.fail("annual_value", "Enter the annual value in whole pounds")
    starts, ends = values["starts_on"], values["ends_on"]
    if starts and ends and ends < starts:
        row.fail("ends_on", f"Enter a date on or after the start date, {format_date(starts)}")
    return values


CHECKERS: dict[ImportKind, Callable[[Cells, Directory, str | None], dict]] = {
    ImportKind.ORGANISATIONS: _organisation,
    ImportKind.CASES: _case,
    ImportKind.NOTICES: _notice,
    ImportKind.AGREEMENTS: _agreement,
}

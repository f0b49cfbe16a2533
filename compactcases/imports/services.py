"""Import a CSV or XLSX file of cases, notices, funding agreements or organisations: the one
service behind both the `flask import` command and the import pages.

A file is read, every row checked, and then either nothing is written (a dry run, or errors
without "import the valid rows") or every good row is written in one transaction. Each row's
source reference is claimed in `imported_records` first (INSERT ... ON CONFLICT DO NOTHING on
a unique key), so a file imported twice, or by two people at once, creates each record once;
a row whose values changed since its last import updates its record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .. import policy
from ..extensions import db
from ..models import Case, FundingAgreement, ImportedRecord, ImportKind, Role, User, utcnow
from ..models.search import index_cases_after, stop_indexing
from ..models.tallies import create_tally_triggers, drop_tally_triggers, rebuild_tallies
from .case_rows import CaseWriter, frozen_fields
from .columns import headers, required
from .reading import FileProblem, read_sheet
from .records import AgreementWriter, NoticeWriter, OrganisationWriter
from .rows import Directory, RowError, ValidRow, check_rows

WRITERS = {
    ImportKind.CASES: CaseWriter,
    ImportKind.NOTICES: NoticeWriter,
    ImportKind.AGREEMENTS: AgreementWriter,
    ImportKind.ORGANISATIONS: OrganisationWriter,
}
BATCH = 500
# From this many new cases on, the search index and the report tallies are brought up to date
# once at the end instead of by a trigger per row (see `_counted_at_the_end`).
BULK_CASES = 1000

# Called with (rows done, rows in the file) as the writing goes.
Progress = Callable[[int, int], None]


@dataclass
class Summary:
    """What an import did, or would do: counts by outcome and every error."""

    kind: ImportKind
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None
    written: bool = False
    # The rows that would be (or were) created or updated, for the preview.
    valid: list[ValidRow] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)
    new_rows: set[int] = field(default_factory=set)


def importable_compacts(user: User | None) -> set[str] | None:
    """The Compact codes `user` may import into (None: any, for the command line and
    administrators); an officer only their own Compact's."""
    if user is None or user.role is Role.ADMIN:
        return None
    if user.role is Role.OFFICER:
        return {user.compact.code.upper()} if user.compact else set()
    return set()


def may_import(user: User) -> bool:
    return policy.can(user, policy.Action.IMPORT_RECORDS)


def run_import(
    kind: ImportKind,
    filename: str,
    content: bytes,
    actor: User | None,
    *,
    compact: str | None = None,
    dry_run: bool = False,
    valid_rows: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Read, check and (unless a dry run, or errors stop it) write the file's rows."""
    summary = Summary(kind, filename)
    if kind is ImportKind.ORGANISATIONS and actor is not None and actor.role is not Role.ADMIN:
        summary.file_error = "Only an administrator imports organisations"
        return summary
    try:
        sheet = read_sheet(filename, content, headers(kind), required(kind, bool(compact)))
    except FileProblem as problem:
        summary.file_error = problem.message
        return summary
    summary.rows = len(sheet.rows)
    directory = Directory.load(importable_compacts(actor))
    valid, errors = check_rows(kind, sheet.rows, directory, compact)
    valid, conflicts = _conflicts(kind, valid)
    summary.errors = sorted(errors + conflicts, key=lambda e: (e.row, e.column))
    existing = _existing(kind, valid)
    new = [r for r in valid if (r.scope, r.reference) not in existing]
    changed = [
        r
        for r in valid
        if (r.scope, r.reference) in existing and existing[(r.scope, r.reference)][1] != r.row_hash
    ]
    summary.valid, summary.changed = valid, {r.row for r in changed}
    summary.new_rows = {r.row for r in new}
    summary.created, summary.updated = len(new), len(changed)
    summary.unchanged = len(valid) - len(new) - len(changed)
    if dry_run or (summary.errors and not valid_rows):
        return summary
    _write(kind, filename, actor, new, changed, existing, summary, progress)
    return summary


def _conflicts(kind: ImportKind, valid: list[ValidRow]) -> tuple[list[ValidRow], list[RowError]]:
    """Rows that clash with a record not made by this source: an agreement whose funder
    already holds that reference, an organisation named twice in the file."""
    errors: list[RowError] = []
    if kind is ImportKind.AGREEMENTS:
        mine = _record_ids(kind, valid)
        pairs = {(r.values["funder_id"], r.values["funder_reference"].casefold()) for r in valid}
        taken = {
            (funder, reference.casefold()): aid
            for aid, funder, reference in db.session.execute(
                sa.select(
                    FundingAgreement.id,
                    FundingAgreement.funder_id,
                    FundingAgreement.funder_reference,
                ).where(FundingAgreement.funder_id.in_({f for f, _ in pairs}))
            )
        }
        seen: dict[tuple[int, str], int] = {}
        for row in valid:
            key = (row.values["funder_id"], row.values["funder_reference"].casefold())
            owner = taken.get(key)
            if owner is not None and owner != mine.get((row.scope, row.reference)):
                errors.append(
                    RowError(
                        row.row,
                        "funder_reference",
                        "The funder already has an agreement with this reference",
                    )
                )
            elif key in seen:
                errors.append(
                    RowError(
                        row.row,
                        "funder_reference",
                        f"The funder's reference is also on row {seen[key]}",
                    )
                )
            seen.setdefault(key, row.row)
    if kind is ImportKind.ORGANISATIONS:
        names: dict[str, int] = {}
        for row in valid:
            name = row.values["name"].casefold()
            if name in names:
                errors.append(RowError(row.row, "name", f"This name is also on row {names[name]}"))
            names.setdefault(name, row.row)
    bad = {e.row for e in errors}
    return [r for r in valid if r.row not in bad], errors


def _existing(kind: ImportKind, rows: list[ValidRow]) -> dict[tuple[str, str], tuple[int, str]]:
    """(scope, reference) -> (record id, row hash) of the rows imported before."""
    found: dict[tuple[str, str], tuple[int, str]] = {}
    references = sorted({r.reference for r in rows})
    for start in range(0, len(references), BATCH):
        for scope, reference, record_id, row_hash in db.session.execute(
            sa.select(
                ImportedRecord.scope,
                ImportedRecord.source_reference,
                ImportedRecord.record_id,
                ImportedRecord.row_hash,
            ).where(
                ImportedRecord.kind == kind,
                ImportedRecord.source_reference.in_(references[start : start + BATCH]),
            )
        ):
            found[(scope, reference)] = (record_id, row_hash)
    return found


def _record_ids(kind: ImportKind, rows: list[ValidRow]) -> dict[tuple[str, str], int]:
    return {key: record_id for key, (record_id, _) in _existing(kind, rows).items()}


def _claim(kind: ImportKind, rows: list[ValidRow]) -> set[tuple[str, str]]:
    """Claim the rows' references; returns those this import won. A concurrent import of
    the same rows waits for this one's transaction, then finds them taken."""
    if not rows:
        return set()
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = (
        insert(ImportedRecord)
        .on_conflict_do_nothing(index_elements=["kind", "scope", "source_reference"])
        .returning(ImportedRecord.scope, ImportedRecord.source_reference)
    )
    rows_claimed = [
        {
            "kind": kind,
            "scope": r.scope,
            "source_reference": r.reference,
            "row_hash": r.row_hash,
            "imported_at": now,
        }
        for r in rows
    ]
    return {(scope, ref) for scope, ref in db.session.execute(statement, rows_claimed).all()}


def _write(
    kind: ImportKind,
    filename: str,
    actor: User | None,
    new: list[ValidRow],
    changed: list[ValidRow],
    existing: dict,
    summary: Summary,
    progress: Progress | None,
) -> None:
    writer = WRITERS[kind](filename, actor)
    done = 0
    bulk = kind is ImportKind.CASES and len(new) >= BULK_CASES
    try:
        last_indexed = _triggers_off() if bulk else None
        for start in range(0, len(new), BATCH):
            batch = new[start : start + BATCH]
            won = _claim(kind, batch)
            ours = [r for r in batch if (r.scope, r.reference) in won]
            summary.created -= len(batch) - len(ours)
            summary.unchanged += len(batch) - len(ours)
            ids = writer.create(ours)
            if ids:
                _set_record_ids(kind, ids)
            done += len(batch)
            if progress:
                progress(done, summary.rows)
        for row in changed:
            record_id = existing[(row.scope, row.reference)][0]
            _update(kind, writer, record_id, row, actor, summary)
            done += 1
            if progress and done % BATCH == 0:
                progress(done, summary.rows)
        if bulk:
            _counted_at_the_end(last_indexed)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if progress:
        progress(summary.rows, summary.rows)
    summary.written = True


def _triggers_off() -> int:
    """Turn off the search index's and the tallies' triggers inside this transaction (both
    databases change their schema transactionally: a failed import brings them back with
    everything else). Other writers to the case tables wait until the import commits, so
    nothing they write escapes the count. Returns the last case id indexed."""
    connection = db.session.connection()
    last_indexed = stop_indexing(connection)
    drop_tally_triggers(connection)
    return last_indexed


def _counted_at_the_end(last_indexed: int) -> None:
    """Index the new cases and count every tally afresh, in one statement each, and turn the
    triggers back on: far cheaper than a trigger per row."""
    connection = db.session.connection()
    index_cases_after(connection, last_indexed)
    rebuild_tallies(connection)
    create_tally_triggers(connection)


def _update(kind, writer, record_id: int, row: ValidRow, actor: User | None, summary) -> None:
    if kind is ImportKind.CASES:
        case = db.session.get(Case, record_id)
        frozen = list(frozen_fields(case, row))
        if frozen:
            summary.updated -= 1
            summary.errors.append(
                RowError(
                    row.row,
                    frozen[0],
                    "An imported case's Compact, parties, state and "
                    f"dates change on its own page: {case.reference} was left as it is",
                )
            )
            return
        writer.update(case, row, actor)
    else:
        writer.update(record_id, row, actor)
    db.session.execute(
        sa.update(ImportedRecord)
        .where(
            ImportedRecord.kind == kind,
            ImportedRecord.scope == row.scope,
            ImportedRecord.source_reference == row.reference,
        )
        .values(row_hash=row.row_hash, imported_at=utcnow())
    )


def _set_record_ids(kind: ImportKind, ids: dict[tuple[str, str], int]) -> None:
    table = ImportedRecord.__table__
    db.session.execute(
        sa.update(table)
        .where(
            table.c.kind == kind.value,
            table.c.scope == sa.bindparam("b_scope"),
            table.c.source_reference == sa.bindparam("b_reference"),
        )
        .values(record_id=sa.bindparam("b_id")),
        [
            {"b_scope": scope, "b_reference": reference, "b_id": record_id}
            for (scope, reference), record_id in ids.items()
        ],
    )

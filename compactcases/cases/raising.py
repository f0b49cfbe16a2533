"""A third-sector organisation's user raises a concern online: a new case in `raised`, raised
by the third sector, against a statutory funder of its region, under its organisation's Compact.

The case is made by `services.build_case`, as an officer's is, so its reference, acknowledge
deadline, reminders and webhook come the same way. In the same transaction the Compact's
officers are told (an inbox entry and an e-mail each) and the raiser is sent a receipt: rows of
the case-update outbox, sent by the reminder sweep (`reminders.moves.send_due`), which asks
`reminders.raised.describe_raised` for their words.

The answers given on the question pages are kept on the server as the account's draft
(`draft_of`, `save_draft`), so they survive signing out, and the draft goes in the transaction
that makes the case.

Each account may raise `RAISE_LIMIT_PER_DAY` concerns in 24 hours. The same answers sent twice
within `DUPLICATE_SECONDS` make one case: the raiser's user row is locked while the case is made,
so a second request waits for the first and then finds its case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from workflows.periods import MIN_DATE, format_date

from .. import localtime
from ..documents import services as documents
from ..documents import storage
from ..extensions import db
from ..models import (
    Area,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseUpdate,
    Compact,
    ConcernDraft,
    DocumentVisibility,
    Organisation,
    ReminderChannel,
    Role,
    Side,
    User,
    utcnow,
)
from ..reminders import recipients
from ..reminders.planning import channels
from .services import CaseDetails, build_case

# Both go into the case's summary with the date between them (`summary_of`), which stays
# within MAX_SUMMARY however long each is.
MAX_WHAT_HAPPENED = 7000
MAX_OUTCOME = 2500
MAX_TITLE = 200
# Answers sent again this soon by the same account are the same concern, not a second one.
DUPLICATE_SECONDS = 60
RATE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Concern:
    """What an organisation's user tells us when raising a concern."""

    funder_id: int | None
    what_happened: str
    happened_on: date | None
    areas: tuple[Area, ...]
    outcome_wanted: str
    # A short name for the case; made from the parties when left empty.
    title: str = ""
    amount_at_stake: int | None = None


class ConcernRefused(Exception):
    """The concern cannot be raised as given; nothing was written. `field_errors` by field."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


class RaiseLimitReached(Exception):
    """The account has raised as many concerns as it may in 24 hours."""

    def __init__(self, limit: int, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        hours = max(1, -(-retry_after // 3600))
        super().__init__(
            f"You have raised {limit} concerns in the last 24 hours, the most one account may. "
            f"Try again in {hours} hour{'s' if hours != 1 else ''}, or contact your Compact "
            "officer."
        )


def organisation_of(user: User) -> Organisation | None:
    return db.session.get(Organisation, user.organisation_id) if user.organisation_id else None


def compact_error(user: User) -> str | None:
    """Why `user` cannot raise a concern online at all, or None."""
    organisation = organisation_of(user)
    if user.role is not Role.ORGANISATION or organisation is None:
        return "Only a third-sector organisation's user can raise a concern"
    if organisation.compact_id is None:
        return (
            f"{organisation.name} is not linked to a local Compact, so a concern cannot be "
            "raised online: contact your Compact officer"
        )
    return None


def funders_for(user: User) -> list[Organisation]:
    """The statutory organisations of the user's organisation's region, by name."""
    organisation = organisation_of(user)
    if organisation is None:
        return []
    found = db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.region_id == organisation.region_id)
        .order_by(Organisation.name)
    )
    return [o for o in found if o.is_statutory]


def funder_error(funder_id: int | None, user: User) -> str | None:
    if not funder_id:
        return "Select the funder your concern is about"
    if funder_id not in {o.id for o in funders_for(user)}:
        return "Select a statutory funder of your region from the list"
    return None


def happened_on_error(happened_on: date | None, today: date) -> str | None:
    if happened_on is None:
        return "Enter the date it happened"
    if happened_on < MIN_DATE:
        return "The date it happened must be in 2000 or later"
    if happened_on > today:
        return "The date it happened must be today or in the past"
    return None


def text_error(value: str, *, missing: str, limit: int, name: str) -> str | None:
    if not value.strip():
        return missing
    if len(value) > limit:
        return f"{name} must be {limit:,} characters or fewer"
    return None


def concern_errors(concern: Concern, user: User, today: date | None = None) -> dict[str, str]:
    """What is wrong with `concern` from `user`, by field; empty when it can be raised. The
    pages (one question each) and the API ask this."""
    today = today or localtime.today()
    found = {
        "compact": compact_error(user),
        "funder_id": funder_error(concern.funder_id, user),
        "what_happened": text_error(
            concern.what_happened,
            missing="Enter what happened",
            limit=MAX_WHAT_HAPPENED,
            name="What happened",
        ),
        "happened_on": happened_on_error(concern.happened_on, today),
        "areas": None if concern.areas else "Select at least one Compact commitment",
        "outcome_wanted": text_error(
            concern.outcome_wanted,
            missing="Enter the outcome you want",
            limit=MAX_OUTCOME,
            name="The outcome you want",
        ),
        "title": (
            f"Title must be {MAX_TITLE} characters or fewer"
            if len(concern.title) > MAX_TITLE
            else None
        ),
    }
    return {name: message for name, message in found.items() if message}


def summary_of(concern: Concern) -> str:
    """The case's summary: what happened, when, and the outcome wanted, under headings."""
    when = format_date(concern.happened_on) if concern.happened_on else "not given"
    return (
        f"{concern.what_happened.strip()}\n\n"
        f"When it happened: {when}\n\n"
        f"Outcome wanted:\n{concern.outcome_wanted.strip()}"
    )


def title_of(concern: Concern, organisation: Organisation, funder: Organisation) -> str:
    if concern.title.strip():
        return concern.title.strip()
    return f"Concern raised by {organisation.name} about {funder.name}"[:MAX_TITLE]


def _lock_account(user: User) -> None:
    """Hold the raiser's row until commit: the account's concerns are counted and made one at
    a time (PostgreSQL; SQLite has a single writer)."""
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())


def _raised_by(user: User, since) -> sa.Select:
    return sa.select(CaseEvent).where(
        CaseEvent.kind == CaseEventKind.CREATED,
        CaseEvent.actor_id == user.id,
        CaseEvent.occurred_at >= since,
    )


def max_files() -> int:
    return int(current_app.config["DOCUMENT_MAX_FILES"])


def limit_per_day() -> int:
    return int(current_app.config["RAISE_LIMIT_PER_DAY"])


def check_rate(user: User) -> None:
    """Raise RaiseLimitReached when `user` has raised its day's concerns already."""
    now = utcnow()
    limit = limit_per_day()
    times = db.session.scalars(
        _raised_by(user, now - RATE_WINDOW)
        .with_only_columns(CaseEvent.occurred_at)
        .order_by(CaseEvent.occurred_at)
    ).all()
    if len(times) >= limit:
        frees_at = times[len(times) - limit] + RATE_WINDOW
        raise RaiseLimitReached(limit, max(1, int((frees_at - now).total_seconds())))


def _same_concern_just_raised(user: User, funder_id: int, summary: str) -> Case | None:
    since = utcnow() - timedelta(seconds=DUPLICATE_SECONDS)
    return db.session.scalar(
        sa.select(Case)
        .join(CaseEvent, CaseEvent.case_id == Case.id)
        .where(
            CaseEvent.id.in_(_raised_by(user, since).with_only_columns(CaseEvent.id)),
            Case.funder_id == funder_id,
            Case.summary == summary,
        )
        .order_by(Case.id.desc())
        .limit(1)
    )


def raise_concern(
    concern: Concern,
    user: User,
    *,
    uploads: Sequence[documents.Upload] = (),
    today: date | None = None,
    from_draft: bool = False,
) -> Case:
    """Make the case for `concern`, add its documents (shared with the parties) and plan the
    messages telling its officers and the raiser; commit, with the raiser's draft dropped when
    the concern came from it (the pages). The same answers sent again within `DUPLICATE_SECONDS`
    give back the case already made. Raises ConcernRefused (with the documents' errors under
    "documents"), RaiseLimitReached."""
    today = today or localtime.today()
    errors = concern_errors(concern, user, today)
    for upload in uploads:
        try:
            documents.check_file(upload.filename, upload.data)
        except documents.DocumentRefused as refused:
            errors.setdefault("documents", refused.message)
    if len(uploads) > max_files():
        errors.setdefault("documents", f"Add {max_files()} files or fewer")
    if errors:
        raise ConcernRefused(errors)
    organisation = organisation_of(user)
    funder = db.session.get(Organisation, concern.funder_id)
    summary = summary_of(concern)
    try:
        _lock_account(user)
        already = _same_concern_just_raised(user, funder.id, summary)
        if already is not None:
            db.session.rollback()
            if from_draft:
                drop_draft(user)
                db.session.commit()
            return already
        check_rate(user)
        case = build_case(
            CaseDetails(
                compact_id=organisation.compact_id,
                title=title_of(concern, organisation, funder),
                summary=summary,
                funder_id=funder.id,
                third_sector_id=organisation.id,
                raised_by=Side.THIRD_SECTOR,
                areas=tuple(dict.fromkeys(concern.areas)),
                amount_at_stake=concern.amount_at_stake,
                raised_on=today,
            ),
            user,
            today=today,
        )
        for upload in uploads:
            documents.add_document(
                owner=case,
                filename=upload.filename,
                data=upload.data,
                visibility=DocumentVisibility.PARTIES,
                actor=user,
                # The concern's own messages tell of it; the files add no more.
                announced=False,
            )
        created = next(e for e in case.events if e.kind is CaseEventKind.CREATED)
        plan_messages(case, created, user)
        if from_draft:
            drop_draft(user)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return case


# -- telling the officers and the raiser ---------------------------------------------------------


def compact_officers(compact: Compact) -> list[User]:
    """The active officers of `compact` and of its upper tier, who read its cases."""
    return recipients.compact_officers([compact.id])


def plan_messages(case: Case, entry: CaseEvent, raiser: User) -> None:
    """The officers' messages and the raiser's receipt, each in the inbox and (for those who
    take case e-mails) by e-mail, as outbox rows in the caller's transaction."""
    planned = channels()
    for person in [*compact_officers(case.compact), raiser]:
        for channel in planned:
            if channel is ReminderChannel.EMAIL and not person.case_emails:
                continue
            db.session.add(CaseUpdate(case_event=entry, recipient_id=person.id, channel=channel))


# -- the answers kept between the pages ----------------------------------------------------------


def draft_of(user: User) -> dict:
    """The answers `user` has given so far, or an empty dict."""
    kept = db.session.scalar(sa.select(ConcernDraft.answers).where(ConcernDraft.user_id == user.id))
    return dict(kept or {})


def _update_draft(user_id: int, answers: dict) -> int:
    return db.session.execute(
        sa.update(ConcernDraft)
        .where(ConcernDraft.user_id == user_id)
        .values(answers=answers, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def save_draft(user: User, answers: dict) -> None:
    """Keep `answers` as `user`'s draft in place of the one kept, and commit. Two tabs saving
    the first answers at once both try to insert: the second is refused by the primary key
    and updates the row the first made."""
    user_id = user.id
    try:
        if not _update_draft(user_id, answers):
            db.session.execute(
                sa.insert(ConcernDraft).values(
                    user_id=user_id, answers=answers, updated_at=utcnow()
                )
            )
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        _update_draft(user_id, answers)
        db.session.commit()


def drop_draft(user: User) -> None:
    """Forget `user`'s answers, in the caller's transaction."""
    db.session.execute(
        sa.delete(ConcernDraft)
        .where(ConcernDraft.user_id == user.id)
        .execution_options(synchronize_session=False)
    )


# -- documents chosen before the concern is sent -------------------------------------------------


def stash_upload(upload: documents.Upload) -> dict[str, str]:
    """Check a file chosen on the documents page and keep its bytes until the concern is sent
    (storage is keyed by content, so a file sent twice is kept once); returns what the answers
    remember of it. Raises DocumentRefused."""
    name, _kind = documents.check_file(upload.filename, upload.data)
    sha256 = hashlib.sha256(upload.data).hexdigest()
    storage.backend().put(sha256, upload.data)
    db.session.commit()
    return {"filename": name, "sha256": sha256}


def fresh_uploads(
    kept: Sequence[dict], uploads: Sequence[documents.Upload]
) -> list[documents.Upload]:
    """The files of `uploads` not kept already, each content once (the same file chosen twice,
    or chosen again under another name, is kept once)."""
    seen = {item.get("sha256") for item in kept}
    found = []
    for upload in uploads:
        sha256 = hashlib.sha256(upload.data).hexdigest()
        if sha256 not in seen:
            seen.add(sha256)
            found.append(upload)
    return found


def stashed_uploads(kept: Sequence[dict]) -> list[documents.Upload]:
    """The files the answers remember, read back; one whose bytes are gone is left out."""
    found = []
    for item in kept:
        try:
            found.append(documents.Upload(item["filename"], storage.read(item["sha256"])))
        except (storage.MissingContent, KeyError, TypeError):
            continue
    return found

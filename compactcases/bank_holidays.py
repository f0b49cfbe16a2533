"""The bank holidays this process counts working days with: England's published days changed
by the overrides stored in the database, brought up to date whenever any process changes them.

Each request (and each reminder sweep) compares the latest row of the change log with the
one this process last applied: one indexed query for the newest row. Only when it differs are
the overrides read and the working-day table rebuilt (a few milliseconds), so a day an
administrator adds through one web worker or host is counted by all of them from their next
request.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask, request

from workflows import bank_holidays
from workflows.bank_holidays import Override

from .extensions import db
from .models import BankHolidayChange, BankHolidayOverride

# What this process applied: the newest change's (id, time), None for no change ever, or
# _NOTHING before the first look.
_NOTHING = object()
_applied: object = _NOTHING

# Held while this process changes its table: a change counts its deadlines with the table it
# installed, which another thread of the process must not swap under it.
_lock = threading.RLock()

# Requests that never count working days: served files, the health checks, and signing in
# and out and the account's own pages.
_SKIPPED_ENDPOINTS = frozenset({"static", "main.health", "main.ready"})
_SKIPPED_BLUEPRINTS = frozenset({"auth"})


def stored_version() -> tuple | None:
    """The newest change: its id and time (the time tells apart two databases whose logs
    have the same length)."""
    row = db.session.execute(
        sa.select(BankHolidayChange.id, BankHolidayChange.created_at)
        .order_by(BankHolidayChange.id.desc())
        .limit(1)
    ).first()
    return tuple(row) if row else None


def stored_overrides() -> tuple[frozenset, frozenset]:
    """The (added, removed) days stored now."""
    rows = db.session.execute(sa.select(BankHolidayOverride.day, BankHolidayOverride.change))
    added, removed = set(), set()
    for day, change in rows:
        (added if change is Override.ADDED else removed).add(day)
    return frozenset(added), frozenset(removed)


def bring_up_to_date() -> None:
    """Count working days with the stored overrides, reading them only if they changed."""
    global _applied
    with _lock:
        version = stored_version()
        if version == _applied:
            return
        # Read after the version: should another change land in between, the next look reads
        # the overrides again, so nothing newer is ever taken for older.
        bank_holidays.use_overrides(*stored_overrides())
        _applied = version


def forget() -> None:
    """Read the overrides again at the next look."""
    global _applied
    _applied = _NOTHING


@contextmanager
def changing() -> Iterator[None]:
    """The block changes the stored overrides and counts with them: no other thread of the
    process brings the table up to date meanwhile, and the next look reads them again."""
    with _lock:
        try:
            yield
        finally:
            forget()


def _before_request() -> None:
    if request.endpoint in _SKIPPED_ENDPOINTS or request.blueprint in _SKIPPED_BLUEPRINTS:
        return
    bring_up_to_date()


def register(app: Flask) -> None:
    app.before_request(_before_request)

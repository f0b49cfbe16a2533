"""The proxies the business case values jobs and service users by: reading and setting them.

An administrator sets each with its source and a low and a high figure (and, if they choose,
a central one); a stale edit (another administrator changed it since the form was read) is
refused, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows.business_case import Proxy, ProxyError, ProxyKind, check_proxy, parse_amount

from ..extensions import db
from ..models import User, ValueProxy

UNSET_SOURCE = "Not set yet: an administrator sets it on the proxies page"


class StaleProxy(Exception):
    """The proxy changed since the form was read."""


def current_proxies() -> tuple[dict[ProxyKind, Proxy], tuple[ProxyKind, ...]]:
    """Every proxy by kind, and the kinds not yet set (valued at nothing until they are)."""
    rows = {row.kind: row.proxy for row in db.session.scalars(sa.select(ValueProxy))}
    unset = tuple(kind for kind in ProxyKind if kind not in rows)
    for kind in unset:
        rows[kind] = Proxy(kind, 0, 0, UNSET_SOURCE)
    return rows, unset


def proxy_row(kind: ProxyKind) -> ValueProxy | None:
    return db.session.scalar(sa.select(ValueProxy).where(ValueProxy.kind == kind))


@dataclass(frozen=True)
class ProxyForm:
    """A proxy as typed: pounds as text, the source, and the version the form was read at."""

    low: str
    high: str
    central: str
    source: str
    version: int | None = None


def read_proxy(kind: ProxyKind, typed: ProxyForm) -> Proxy:
    """The proxy typed, checked; ProxyError names each field that is wrong."""
    errors: dict[str, str] = {}
    amounts: dict[str, int | None] = {}
    for name in ("low", "high", "central"):
        try:
            amounts[name] = parse_amount(getattr(typed, name), f"the {name} figure")
        except ValueError as error:
            errors[name] = str(error)
            amounts[name] = None
    try:
        proxy = check_proxy(kind, amounts["low"], amounts["high"], amounts["central"], typed.source)
    except ProxyError as error:
        errors = {**error.errors, **errors}
        raise ProxyError(errors) from None
    if errors:
        raise ProxyError(errors)
    return proxy


def set_proxy(kind: ProxyKind, typed: ProxyForm, user: User) -> ValueProxy:
    """Check and save a proxy; raises ProxyError (nothing saved) or StaleProxy (409)."""
    proxy = read_proxy(kind, typed)
    row = proxy_row(kind)
    if row is not None and typed.version is not None and typed.version != row.version:
        raise StaleProxy
    values = {
        "low_pence": proxy.low,
        "high_pence": proxy.high,
        "central_pence": proxy.central,
        "source": proxy.source,
        "updated_by_id": user.id,
    }
    if row is None:
        row = ValueProxy(kind=kind, **values)
        db.session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # Another administrator saved it in the meantime.
        db.session.rollback()
        raise StaleProxy from None
    return row

"""Imported organisations, notices and funding agreements written through their own services'
rules: a notice gets its verdict, an agreement its notice window, as on their pages."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from .. import localtime
from ..agreements import services as agreements
from ..extensions import db
from ..models import (
    STATUTORY_TYPES,
    AgreementEventKind,
    Compact,
    Deadline,
    FundingAgreement,
    Notice,
    NoticeEvent,
    NoticeEventKind,
    Organisation,
    OrganisationAlias,
    OrganisationKind,
    User,
)
from ..notices import services as notices
from .rows import ValidRow

Key = tuple[str, str]


def _note(verb: str, filename: str, row: ValidRow) -> str:
    return f"{verb} from {filename}, row {row.row}"


def _unplanned_if_past(agreements_made, today: date) -> None:
    """Windows already past when imported are never planned: no reminder about them."""
    ids = [
        d.id
        for agreement in agreements_made
        for d in agreement.deadlines
        if d.is_open and d.due_on < today
    ]
    if ids:
        db.session.execute(sa.update(Deadline).where(Deadline.id.in_(ids)).values(plan_on=None))


class OrganisationWriter:
    def __init__(self, filename: str, actor: User | None) -> None:
        self.filename = filename

    def create(self, rows: list[ValidRow]) -> dict[Key, int]:
        """New organisations; one whose exact name is already known is linked, not doubled."""
        names = [r.values["name"] for r in rows]
        known = {
            o.name.casefold(): o
            for o in db.session.scalars(sa.select(Organisation).where(Organisation.name.in_(names)))
        }
        found: dict[Key, int] = {}
        for row in rows:
            organisation = known.get(row.values["name"].casefold())
            if organisation is None:
                organisation = Organisation(name=row.values["name"])
                self._apply(organisation, row)
                db.session.add(organisation)
            self._aliases(organisation, row)
            found[(row.scope, row.reference)] = organisation
        db.session.flush()
        return {key: organisation.id for key, organisation in found.items()}

    def _apply(self, organisation: Organisation, row: ValidRow) -> None:
        values = row.values
        organisation.type = values["type"]
        organisation.kind = (
            OrganisationKind.STATUTORY
            if values["type"] in STATUTORY_TYPES
            else OrganisationKind.THIRD_SECTOR
        )
        organisation.region_id = values["region_id"]
        organisation.compact_id = values["compact_id"]

    def _aliases(self, organisation: Organisation, row: ValidRow) -> None:
        db.session.flush()
        have = {
            a.casefold()
            for a in db.session.scalars(
                sa.select(OrganisationAlias.alias).where(
                    OrganisationAlias.organisation_id == organisation.id
                )
            )
        }
        for alias in row.values["aliases"]:
            if alias.casefold() not in have and alias.casefold() != organisation.name.casefold():
                db.session.add(OrganisationAlias(organisation_id=organisation.id, alias=alias))

    def update(self, organisation_id: int, row: ValidRow, actor: User | None) -> None:
        organisation = db.session.get(Organisation, organisation_id)
        organisation.name = row.values["name"]
        self._apply(organisation, row)
        self._aliases(organisation, row)


def _notice_details(values: dict) -> notices.NoticeDetails:
    return notices.NoticeDetails(**{k: v for k, v in values.items()})


class NoticeWriter:
    def __init__(self, filename: str, actor: User | None) -> None:
        self.filename = filename
        self.actor = actor

    def create(self, rows: list[ValidRow]) -> dict[Key, int]:
        made = []
        for row in rows:
            notice = Notice(created_by=self.actor)
            notices.apply_details(notice, _notice_details(row.values))
            db.session.add(notice)
            made.append(((row.scope, row.reference), notice))
        db.session.flush()
        return {key: notice.id for key, notice in made}

    def update(self, notice_id: int, row: ValidRow, actor: User | None) -> None:
        notice = db.session.get(Notice, notice_id)
        notices.apply_details(notice, _notice_details(row.values))
        db.session.add(
            NoticeEvent(
                notice=notice,
                kind=NoticeEventKind.EDIT,
                reason=_note("Updated", self.filename, row),
                actor=actor,
            )
        )


class AgreementWriter:
    def __init__(self, filename: str, actor: User | None) -> None:
        self.filename = filename
        self.actor = actor
        self.today = localtime.today()

    def create(self, rows: list[ValidRow]) -> dict[Key, int]:
        made = []
        for row in rows:
            agreement = FundingAgreement(created_by=self.actor)
            self._apply(agreement, row)
            db.session.add(agreement)
            note = _note("Imported", self.filename, row)
            agreements.record(agreement, AgreementEventKind.RECORDED, self.actor, reason=note)
            made.append(((row.scope, row.reference), agreement))
        db.session.flush()
        _unplanned_if_past([agreement for _, agreement in made], self.today)
        return {key: agreement.id for key, agreement in made}

    def _apply(self, agreement: FundingAgreement, row: ValidRow) -> None:
        for name, value in row.values.items():
            setattr(agreement, name, value)
        compact = db.session.get(Compact, row.values["compact_id"])
        agreements.apply_window(agreement, agreements.window_for(compact, agreement.ends_on))

    def update(self, agreement_id: int, row: ValidRow, actor: User | None) -> None:
        agreement = db.session.get(FundingAgreement, agreement_id)
        self._apply(agreement, row)
        agreements.record(
            agreement,
            AgreementEventKind.EDITED,
            actor,
            reason=_note("Updated", self.filename, row),
        )
        db.session.flush()
        _unplanned_if_past([agreement], self.today)

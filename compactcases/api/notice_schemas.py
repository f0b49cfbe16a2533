"""The API's notice bodies: the notice check, recorded notices and their changes, validated
on the way in and documented in OpenAPI."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from .schemas import (
    Code,
    CompactRef,
    Day,
    Figure,
    Id,
    Named,
    Request,
    Response,
    Title,
    Written,
)


class NoticeCheck(Request):
    kind: Literal["funding_end", "funding_reduction", "consultation"]
    compact: Code
    notice_given_on: Day | None = None
    effective_on: Day | None = None
    opens_on: Day | None = None
    closes_on: Day | None = None
    written: bool = True
    reasons_given: bool = True

    @model_validator(mode="after")
    def _dates_for_the_kind(self):
        if self.kind == "consultation":
            if self.notice_given_on or self.effective_on:
                raise ValueError("A consultation takes opens_on and closes_on")
            if not (self.opens_on or self.closes_on):
                raise ValueError("Give opens_on, closes_on or both")
        else:
            if self.opens_on or self.closes_on:
                raise ValueError("A funding change takes notice_given_on and effective_on")
            if not (self.notice_given_on or self.effective_on):
                raise ValueError("Give notice_given_on, effective_on or both")
        return self


class PeriodOut(Response):
    count: int
    unit: str


class NoticeCheckResult(Response):
    compliant: bool
    required_period: PeriodOut
    earliest_compliant_effective_on: date | None = Field(
        description="Funding changes: the earliest effective date the notice allows"
    )
    latest_notice_date: date | None = Field(
        description="Funding changes: the last day notice can be given for the effective date"
    )
    earliest_closes_on: date | None = Field(
        description="Consultations: the earliest compliant closing date"
    )
    latest_opens_on: date | None = Field(
        description="Consultations: the last day it can open to close on closes_on"
    )
    shortfall_days: int
    explanation: str


# -- notices -------------------------------------------------------------------------------------


class NoticeCreate(Request):
    kind: Literal["funding_end", "funding_reduction", "consultation"]
    compact: Code = Field(description="Compact code")
    funder_id: Id
    recipient_id: Id | None = Field(
        default=None, description="The organisation whose funding changes (funding changes)"
    )
    title: Title
    notice_given_on: Day | None = None
    effective_on: Day | None = None
    written: bool = True
    reasons_given: bool = True
    amount_before: Figure | None = None
    amount_after: Figure | None = None
    opens_on: Day | None = None
    closes_on: Day | None = None
    agreement_id: Id | None = Field(
        default=None,
        description="The funder's funding agreement this notice ends or cuts: closes its window",
    )


class NoticeUpdate(Request):
    """The answers to change; those left out stay as they are."""

    kind: Literal["funding_end", "funding_reduction", "consultation"] | None = None
    funder_id: Id | None = None
    recipient_id: Id | None = Field(
        default=None, description="The organisation whose funding changes; null for none"
    )
    title: Title | None = None
    notice_given_on: Day | None = None
    effective_on: Day | None = None
    written: bool | None = None
    reasons_given: bool | None = None
    amount_before: Figure | None = Field(default=None, description="Whole pounds; null clears it")
    amount_after: Figure | None = Field(default=None, description="Whole pounds; null clears it")
    opens_on: Day | None = None
    closes_on: Day | None = None
    version: Id | None = Field(
        default=None, description="The version being changed, if no If-Match header is sent"
    )


class NoticeWithdrawal(Request):
    reason: Written = Field(description="Why the notice is withdrawn")
    version: Id | None = Field(
        default=None, description="The version being withdrawn, if no If-Match header is sent"
    )


class NoticeOut(Response):
    id: int
    kind: str
    title: str
    compact: CompactRef
    funder: Named
    recipient: Named | None
    notice_given_on: date | None
    effective_on: date | None
    written: bool
    reasons_given: bool
    amount_before: int | None
    amount_after: int | None
    opens_on: date | None
    closes_on: date | None
    compliant: bool
    required_period: str
    shortfall_days: int
    earliest_compliant_on: date = Field(
        description="Funding: earliest compliant effective date; consultation: earliest close"
    )
    latest_notice_on: date | None
    explanation: str
    case: str | None = Field(description="The reference of the case about this notice")
    agreement_id: int | None = Field(description="The funding agreement it was given against")
    withdrawn: bool = Field(description="A withdrawn notice is not counted in compliance")
    withdrawn_reason: str | None
    version: int = Field(description="For If-Match when changing or withdrawing the notice")
    url: str


class NoticePage(Response):
    items: list[NoticeOut]
    total: int
    page: int
    per_page: int


# -- lookups -------------------------------------------------------------------------------------

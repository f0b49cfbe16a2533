"""The API's funding agreement bodies: validated on the way in, documented in OpenAPI."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from .schemas import (
    SAYS_SOMETHING,
    Code,
    CompactRef,
    Day,
    Figure,
    Id,
    Named,
    Request,
    Response,
    Text,
    Title,
)

Reference = Annotated[str, Field(min_length=1, max_length=60, pattern=SAYS_SOMETHING)]


class AgreementCreate(Request):
    funder_id: Id = Field(description="The statutory funder holding the agreement")
    organisation_id: Id = Field(description="The third-sector organisation it funds")
    compact: Code = Field(description="Compact code, e.g. BIR")
    title: Title
    funder_reference: Reference = Field(description="The funder's own reference, unique to it")
    annual_value: Figure = Field(description="Whole pounds a year")
    starts_on: Day
    ends_on: Day
    break_on: Day | None = None
    review_on: Day | None = None


class AgreementUpdate(Request):
    funder_id: Id | None = Field(
        default=None, description="An agreement stays with its funder: the same id, if sent"
    )
    organisation_id: Id | None = None
    compact: Code | None = None
    title: Title | None = None
    funder_reference: Reference | None = None
    annual_value: Figure | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    break_on: Day | None = None
    review_on: Day | None = None
    version: Id | None = Field(
        default=None, description="The version being changed, if no If-Match header is sent"
    )


class DecisionIn(Request):
    kind: Literal["renew", "end"] = Field(
        description="renew: a renewal or extension to new_ends_on; end: the agreement ends"
    )
    decided_on: Day
    new_ends_on: Day | None = Field(default=None, description="For a renewal or extension")
    reason: Text = ""
    version: Id | None = Field(
        default=None, description="The version being changed, if no If-Match header is sent"
    )


WindowStatus = Literal["open", "notice_given", "renewed", "ended", "missed"]


class AgreementOut(Response):
    id: int
    funder: Named
    organisation: Named
    compact: CompactRef
    title: str
    funder_reference: str
    annual_value: int
    starts_on: date
    ends_on: date
    break_on: date | None
    review_on: date | None
    latest_notice_date: date = Field(description="The last day notice of ending may be given")
    latest_consultation_start: date = Field(
        description="The last day a consultation may open and still close by then"
    )
    window_status: WindowStatus
    days_left: int = Field(description="Days from today to the latest notice date")
    required_period: str
    notice_given_on: date | None
    ended_on: date | None
    renewed_on: date | None
    version: int
    url: str


class AgreementPage(Response):
    items: list[AgreementOut]
    total: int
    page: int
    per_page: int

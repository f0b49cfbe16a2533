"""The API's request and response bodies: validated on the way in, documented in OpenAPI."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from workflows.dispute import Event, State
from workflows.outcomes import MAX_FIGURE, MAX_REASON_LENGTH, Breach, Level, OutcomeType
from workflows.periods import MAX_COUNT, MAX_DATE, MIN_DATE

from ..bounds import MAX_ID
from ..cases.raising import MAX_OUTCOME, MAX_WHAT_HAPPENED
from ..cases.services import MAX_SUMMARY
from ..models import Area, Side


def _in_range(day: date) -> date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"Dates must be from {MIN_DATE.year} to {MAX_DATE.year}")
    return day


Day = Annotated[date, AfterValidator(_in_range)]
# A row id or version: the databases' integer columns hold up to 2³¹ − 1.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A sum of money or an outcome count: BIGINT columns, capped where the forms cap them.
Figure = Annotated[int, Field(ge=0, le=MAX_FIGURE)]
Text = Annotated[str, Field(max_length=MAX_REASON_LENGTH)]
# Text that must say something: the server strips white space (str.strip's, which includes the
# separators U+001C to U+001F) and refuses what is left blank.
SAYS_SOMETHING = r"[^\s\x1c-\x1f]"
Title = Annotated[str, Field(min_length=1, max_length=200, pattern=SAYS_SOMETHING)]
Summary = Annotated[str, Field(min_length=1, max_length=MAX_SUMMARY, pattern=SAYS_SOMETHING)]
Written = Annotated[str, Field(min_length=1, max_length=MAX_REASON_LENGTH, pattern=SAYS_SOMETHING)]
# Compact and region codes are at most 8 characters, as the admin forms allow.
COMPACT_CODE_LENGTH = 8
Code = Annotated[str, Field(min_length=1, max_length=COMPACT_CODE_LENGTH)]


class Request(BaseModel):
    """A request body: unknown fields are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# -- tokens ------------------------------------------------------------------------------------


class TokenRequest(Request):
    email: Annotated[str, Field(min_length=1, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class TokenResponse(Response):
    token: str
    expires_at: datetime


# -- cases -------------------------------------------------------------------------------------


class Named(Response):
    id: int
    name: str


class CompactRef(Response):
    code: str
    name: str


class PartyOut(Response):
    id: int = Field(description="The organisation's id")
    name: str
    side: Side


class CaseSummary(Response):
    reference: str
    title: str
    state: State
    compact: CompactRef = Field(description="The case's Compact; a regional case's lead Compact")
    funder: Named = Field(description="The lead funder")
    third_sector: Named = Field(description="The lead third-sector organisation")
    level: Literal["local", "regional"]
    affected_compacts: list[str] = Field(
        description="The codes of the Compacts the case affects: a local case's own"
    )
    parties: list[PartyOut] = Field(description="Every party, the two leads first on each side")
    raised_on: date
    closed_on: date | None
    url: str


class CasePage(Response):
    items: list[CaseSummary]
    total: int = Field(
        description="How many cases match, counted up to 10,000 (1,000 when searching by q);"
        " see total_is_exact"
    )
    total_is_exact: bool = Field(
        description="False when more cases match than total: counting stops at 10,000"
        " (1,000 when searching by q, where only the 1,000 most recently logged matches are"
        " ranked and older ones follow newest raised first)"
    )
    page: int
    per_page: int


class DeadlineOut(Response):
    id: int
    kind: str
    label: str
    period: str
    due_on: date
    status: str
    closed_on: date | None
    days_left: int | None = Field(
        description="Days left, negative when overdue; null when closed or the clock is stopped"
    )
    days_are_working_days: bool | None
    paused: bool


class TimelineEntry(Response):
    kind: str
    event: str | None
    from_state: State | None
    to_state: State | None
    reason: str | None
    changes: dict[str, list[str | None]] | None
    private: bool
    actor: str | None
    occurred_at: datetime


class CaseDetail(CaseSummary):
    summary: str
    raised_by: Side
    areas: list[Area]
    amount_at_stake: int | None
    escalated_on: date | None
    officer: str | None
    mediator: str | None
    version: int
    next_move: str = Field(
        description="What the case is waiting for, in a sentence: the next deadline the caller "
        "may see and whose move it is (saying so when it is overdue), or how it ended"
    )
    allowed_events: list[Event]
    deadlines: list[DeadlineOut]
    events: list[TimelineEntry] = Field(
        description="One page of the timeline, newest first (see `events_page`)"
    )
    events_page: int = Field(description="Which page of the timeline `events` is; 1 is the latest")
    events_per_page: int = Field(description="How many entries a page of the timeline holds")
    events_total: int = Field(description="How many timeline entries you can read in all")
    older_events: str | None = Field(
        description="The URL of the next older page of the timeline; null on the oldest page"
    )


class PartyIn(Request):
    organisation_id: Id
    side: Side


# A regional case spans at most this many Compacts, and a case has at most this many parties.
MAX_AFFECTED = 50
MAX_PARTIES = 50
Parties = Annotated[
    list[PartyIn],
    Field(
        max_length=MAX_PARTIES,
        description="Every party; the lead funder and third-sector organisation (funder_id,"
        " third_sector_id) are added first if not listed",
    ),
]
AffectedCompacts = Annotated[
    list[Code],
    Field(max_length=MAX_AFFECTED, description="Codes of the affected Compacts, the lead first"),
]


class CaseCreate(Request):
    """A dispute logged by a Compact's officer or the region's mediator, or a concern raised by
    a third-sector organisation's user: its own organisation is the third-sector party and its
    organisation's Compact the case's, so `third_sector_id` and `compact` may be left out (if
    given, they must be those); the case is raised today, by the third sector, and counts
    against the account's limit of concerns a day (429 with Retry-After past it)."""

    compact: Code | None = Field(
        default=None,
        description="Compact code, e.g. BIR (a local case's; needed for one, except from an "
        "organisation's user, whose organisation's Compact it is)",
    )
    level: Literal["local", "regional"] = "local"
    affected_compacts: AffectedCompacts = []
    parties: Parties = []
    starts_in: Literal["regional_mediation", "raised"] = Field(
        default="regional_mediation",
        description="Where a regional case starts: in mediation, or raised while the facts"
        " are gathered",
    )
    title: Title
    summary: Summary = Field(
        description="What happened (from an organisation's user: at most "
        f"{MAX_WHAT_HAPPENED:,} characters)"
    )
    funder_id: Id
    third_sector_id: Id | None = Field(
        default=None,
        description="Needed, except from an organisation's user: its own organisation",
    )
    raised_by: Side = Side.THIRD_SECTOR
    areas: Annotated[list[Area], Field(min_length=1)]
    amount_at_stake: Figure | None = None
    raised_on: Day | None = Field(
        default=None, description="Defaults to today (and is today for an organisation's user)"
    )
    happened_on: Day | None = Field(
        default=None,
        description="Organisation users: the day what the concern is about happened, today or "
        "earlier (defaults to today); kept in the case's summary",
    )
    outcome_wanted: Annotated[str, Field(max_length=MAX_OUTCOME)] | None = Field(
        default=None,
        description="Organisation users (needed from them): the outcome the organisation wants; "
        "kept in the case's summary",
    )


class CaseUpdate(Request):
    title: Title | None = None
    summary: Summary | None = None
    funder_id: Id | None = None
    third_sector_id: Id | None = None
    parties: Parties | None = None
    affected_compacts: AffectedCompacts | None = Field(
        default=None, description="A regional case's affected Compacts (not for a local case)"
    )
    raised_by: Side | None = None
    areas: Annotated[list[Area], Field(min_length=1)] | None = None
    amount_at_stake: Figure | None = None
    raised_on: Day | None = None
    version: Id | None = Field(
        default=None, description="The version being changed, if no If-Match header is sent"
    )


class ReferralIn(Request):
    affected_compacts: AffectedCompacts = Field(
        description="Codes of the Compacts to add; the case's own stays its lead"
    )
    reason: Text = ""
    version: Id | None = Field(
        default=None, description="The version being changed, if no If-Match header is sent"
    )


class OutcomeIn(Request):
    """How a case ended. A figure not known is null; 0 means none."""

    level: Level
    outcome_type: OutcomeType
    breach_found: Breach
    funding_protected: Figure | None = Field(description="Whole pounds")
    jobs_safeguarded: Figure | None
    notice_days_gained: Figure | None
    service_users_affected: Figure | None
    agreed_actions: Written
    learning: Written
    learning_shareable: bool


class OutcomeOut(Response):
    kind: Literal["resolved", "withdrawn"]
    level: Level
    outcome_type: OutcomeType | None
    breach_found: Breach | None
    funding_protected: int | None
    jobs_safeguarded: int | None
    notice_days_gained: int | None
    service_users_affected: int | None
    agreed_actions: str | None
    learning: str | None
    learning_shareable: bool
    withdrawal_reason: str | None
    recorded_at: datetime
    working_days_to_close: int | None


class EventRequest(Request):
    event: Annotated[str, Field(min_length=1, max_length=40)]
    reason: Text = ""
    outcome: OutcomeIn | None = Field(
        default=None, description="Needed by `resolve`; or POST the outcome instead"
    )


class ResponseIn(Request):
    text: Annotated[str, Field(min_length=1, max_length=10_000, pattern=SAYS_SOMETHING)]
    officers_only: bool = Field(
        default=False,
        description="Only the Compact's officers and mediators (and your own organisation) may "
        "read it; the other party is not told of it",
    )
    version: Id | None = Field(
        default=None,
        description="The case's version the response was written on, if no If-Match header is "
        "sent: with either, a retried request is refused (409) rather than added twice",
    )


class ResponseOut(TimelineEntry):
    case_version: int = Field(description="The case's version after the response")


class AssignmentIn(Request):
    mediator_id: Id | None = Field(
        default=None,
        description=(
            "The mediator to hold the case (in regional mediation): a mediator's own id takes an "
            "unassigned case; a lead mediator or administrator may name any mediator of the "
            "case's region"
        ),
    )
    officer_id: Id | None = Field(
        default=None,
        description="The case's officer (administrators only): an officer of its Compact",
    )
    version: Id | None = Field(
        default=None, description="The version being changed; a case saved since answers 409"
    )


# -- calculations -------------------------------------------------------------------------------


class PauseIn(Request):
    start: Day
    end: Day | None = None


class DeadlineCalculation(Request):
    start: Day
    count: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    unit: Literal["working_days", "calendar_days", "weeks", "months"]
    pauses: list[PauseIn] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _pauses_in_order(self):
        for pause in self.pauses:
            if pause.end is not None and pause.end < pause.start:
                raise ValueError("A pause cannot end before it starts")
        return self


class DueDate(Response):
    due_on: date


class RuleOut(Response):
    name: str = Field(description="The rule's name, e.g. funding_notice")
    label: str
    count: int
    unit: str = Field(description="months, weeks, calendar_days or working_days")
    period: str = Field(description="In words, e.g. 3 calendar months")
    source: str = Field(
        description="Where the period comes from: own, the upper-tier Compact's name, or "
        "national default"
    )


class CompactOut(Response):
    code: str
    name: str
    tier: Literal["upper", "district"]
    region: CompactRef
    parent: CompactRef | None = Field(description="A district's upper-tier Compact")
    rules: list[RuleOut] = Field(description="The rules in force in the Compact")


class CompactList(Response):
    items: list[CompactOut]


class OrganisationOut(Response):
    id: int
    name: str
    kind: Literal["funder", "third_sector"]
    type: str
    compact: str | None = Field(description="The code of the Compact it mainly works in")
    region: str = Field(description="The code of its region")


class OrganisationPage(Response):
    items: list[OrganisationOut]
    total: int
    page: int
    per_page: int


# -- reports -------------------------------------------------------------------------------------


class ReportOut(Response):
    name: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    total: list[str | int | float | None] | None


class ReportSummary(Response):
    start: date
    end: date
    region: str | None
    compact: str | None
    reports: list[ReportOut]


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    allowed_events: list[str] | None = None
    # On a 409 for a change that lost to someone else's: what the case is now.
    state: State | None = Field(
        None, description="The case's state now, when someone else changed it first (409)"
    )
    current_version: int | None = Field(
        None,
        description="The case's or agreement's version now, to send as If-Match after "
        "re-reading (409)",
    )


class AcknowledgementIn(Request):
    acknowledged_on: Day | None = Field(
        default=None,
        description="The day the dispute was acknowledged: today if left out, never in the future",
    )
    letter: bool = Field(
        default=False,
        description="Also generate the acknowledgement letter, kept on the case as a document",
    )

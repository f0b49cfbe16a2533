"""The API's meeting bodies: validated on the way in, documented in OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from workflows import meetings as rules

from .schemas import SAYS_SOMETHING, Id, Request, Response

Name = Annotated[str, Field(min_length=1, max_length=rules.MAX_NAME_LENGTH, pattern=SAYS_SOMETHING)]


class MeetingCreate(Request):
    starts_at: AwareDatetime = Field(description="When it starts, with its UTC offset")
    ends_at: AwareDatetime = Field(description="When it ends, after it starts")
    place: Annotated[str, Field(max_length=rules.MAX_PLACE_LENGTH)] = ""
    link: Annotated[str, Field(max_length=rules.MAX_LINK_LENGTH)] = Field(
        default="", description="An https:// or http:// address to join online"
    )
    agenda: Annotated[str, Field(max_length=rules.MAX_AGENDA_LENGTH)] = ""
    attendee_ids: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="Users to invite: the parties' users, the case's officer and mediator",
    )
    guests: list[Name] = Field(
        default_factory=list, max_length=rules.MAX_GUESTS, description="Others, by name"
    )


class AttendeeOut(Response):
    name: str
    user_id: int | None
    attended: bool | None


class MeetingOut(Response):
    id: int
    uid: str = Field(description="The iCalendar UID of its invitations")
    status: Literal["scheduled", "held", "cancelled"]
    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    agenda: str
    sequence: int = Field(description="The iCalendar SEQUENCE of its latest invitation")
    version: int
    attendees: list[AttendeeOut]
    note: str | None = Field(description="Once recorded; only for officers and mediators")


class MeetingList(Response):
    items: list[MeetingOut]

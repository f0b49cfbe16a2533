"""Meetings on a case over the API: list them, and arrange one through the same service and
with the same refusals as the page."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from .. import history, policy
from ..meetings import services as meetings
from ..models import Meeting, utcnow
from ..policy import Action
from .case_views import case_for, stale_problem
from .common import AUTH_ERRORS, REFERENCE, V1, WRITE_ERRORS, bp, listed, parse
from .meeting_schemas import AttendeeOut, MeetingCreate, MeetingList, MeetingOut
from .openapi import Operation, register
from .problems import Problem
from .schemas import ProblemOut

# The service's field names where the API's differ.
API_NAMES = {"starts_on": "starts_at", "attendees": "attendee_ids"}

register(
    Operation(
        "GET",
        f"{V1}/cases/{{reference}}/meetings",
        "A case's meetings, past and coming, in order of their start",
        "Meetings",
        path_params=(REFERENCE,),
        responses={200: MeetingList, 404: ProblemOut, **AUTH_ERRORS},
    )
)
register(
    Operation(
        "POST",
        f"{V1}/cases/{{reference}}/meetings",
        "Arrange a meeting on a case and e-mail its invitations",
        "Meetings",
        body=MeetingCreate,
        path_params=(REFERENCE,),
        responses={
            201: MeetingOut,
            **WRITE_ERRORS,
        },
        description=(
            "A meeting that does not start in the future, ends before it starts, invites "
            "no one, or has neither place nor a valid link answers 422 with `errors`."
        ),
    )
)


def _body(meeting: Meeting, read_note: bool) -> dict:
    return MeetingOut(
        id=meeting.id,
        uid=meeting.uid,
        status=meeting.status.value,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        link=meeting.link,
        agenda=meeting.agenda,
        sequence=meeting.sequence,
        version=meeting.version,
        attendees=[
            AttendeeOut(name=a.name, user_id=a.user_id, attended=a.attended)
            for a in meeting.attendees
        ],
        note=meeting.note if read_note else None,
    ).model_dump(mode="json")


@bp.route(f"{V1}/cases/<reference>/meetings", methods=["GET", "POST"])
def case_meetings(reference: str):
    if request.method == "POST":
        return _arrange(reference)
    case = case_for(reference)
    read_note = policy.can(g.api_user, Action.READ_PRIVATE_NOTES, case)
    upcoming, past = meetings.meetings_of(case, utcnow(), g.api_user)
    found = sorted([*upcoming, *past], key=lambda m: (m.starts_at, m.id))
    return jsonify(MeetingList(items=[_body(m, read_note) for m in found]).model_dump(mode="json"))


def _arrange(reference: str):
    case = case_for(reference, Action.MANAGE_MEETINGS)
    body = parse(MeetingCreate)
    draft = meetings.MeetingDraft(
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        place=body.place.strip(),
        link=body.link.strip(),
        agenda=body.agenda,
        user_ids=tuple(body.attendee_ids),
        guests=tuple(name.strip() for name in body.guests),
    )
    try:
        meeting = meetings.schedule_meeting(case, draft, g.api_user, utcnow())
    except history.StaleCase as stale:
        raise stale_problem(stale) from None
    except meetings.MeetingRefused as refused:
        errors = {API_NAMES.get(k, k): v for k, v in refused.field_errors.items()}
        raise Problem(422, "Some fields are invalid", errors=listed(errors)) from None
    response = jsonify(_body(meeting, True))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "meetings.show_meeting", reference=case.reference, meeting_id=meeting.id
    )
    return response

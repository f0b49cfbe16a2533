"""Forms for arranging, changing, cancelling and recording a meeting on a case."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from workflows import meetings as rules

from ..cases.forms import explain_bad_date
from ..documents import types
from ..documents.services import uploads_from
from ..localtime import LONDON
from ..models import Meeting, User
from ..widgets import CheckboxesInput, DateInput, Select, TextArea, TextInput
from .services import ActionDraft, MeetingDraft, MeetingRecord

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
# Action rows offered when recording a meeting.
ACTION_ROWS = 3


def parse_time(text: str | None) -> time | None:
    """'10:30', '9.15' or '14:00' as a time; None when it is not one."""
    match = _TIME.match(text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]))


def _version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


class MeetingForm(FlaskForm):
    starts_on = DateField(
        "Date",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 8 12 2026",
        validators=[InputRequired(message="Enter the date of the meeting")],
    )
    start_time = StringField(
        "Start time",
        widget=TextInput(),
        description="UK time, 24-hour clock, for example 10:00",
        validators=[InputRequired(message="Enter the start time, for example 10:00")],
    )
    end_time = StringField(
        "End time",
        widget=TextInput(),
        description="For example 11:30",
        validators=[InputRequired(message="Enter the end time, for example 11:30")],
    )
    place = StringField(
        "Place",
        widget=TextInput(),
        description="Where people meet, if in person",
        validators=[Length(max=rules.MAX_PLACE_LENGTH)],
    )
    link = StringField(
        "Online link",
        widget=TextInput(),
        description="The address to join online, if there is one",
        validators=[Length(max=rules.MAX_LINK_LENGTH)],
    )
    attendees = SelectMultipleField(
        "Who is invited",
        widget=CheckboxesInput(),
        coerce=int,
        validate_choice=False,
        description="People with an account get an e-mail with a calendar invitation",
    )
    guests = TextAreaField(
        "Other people (optional)",
        widget=TextArea(),
        description="Names of people without an account, one a line",
        validators=[Length(max=rules.MAX_GUESTS * (rules.MAX_NAME_LENGTH + 1))],
    )
    agenda = TextAreaField(
        "Agenda (optional)",
        widget=TextArea(),
        validators=[Length(max=rules.MAX_AGENDA_LENGTH)],
    )
    version = HiddenField()

    def set_people(self, people: list[User]) -> None:
        self.attendees.choices = [(u.id, f"{u.name} ({_who(u)})") for u in people]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.starts_on, "The date of the meeting")
        for field in (self.start_time, self.end_time):
            if field.data and parse_time(field.data) is None:
                field.errors = [*field.errors, "Enter a time like 10:00 or 14:30"]
                valid = False
        return valid

    def draft(self) -> MeetingDraft:
        day = self.starts_on.data
        start, end = parse_time(self.start_time.data), parse_time(self.end_time.data)
        return MeetingDraft(
            starts_at=datetime.combine(day, start, tzinfo=LONDON),
            ends_at=datetime.combine(day, end, tzinfo=LONDON),
            place=(self.place.data or "").strip(),
            link=(self.link.data or "").strip(),
            agenda=self.agenda.data or "",
            user_ids=tuple(self.attendees.data or ()),
            guests=tuple(n.strip() for n in (self.guests.data or "").splitlines() if n.strip()),
        )

    def fill(self, meeting: Meeting) -> None:
        start, end = meeting.starts_at.astimezone(LONDON), meeting.ends_at.astimezone(LONDON)
        self.starts_on.data = start.date()
        self.start_time.data, self.end_time.data = f"{start:%H:%M}", f"{end:%H:%M}"
        self.place.data, self.link.data, self.agenda.data = (
            meeting.place,
            meeting.link,
            meeting.agenda,
        )
        self.attendees.data = [a.user_id for a in meeting.attendees if a.user_id]
        self.guests.data = "\n".join(a.name for a in meeting.attendees if a.user_id is None)
        self.version.data = str(meeting.version)

    @property
    def expected_version(self) -> int | None:
        return _version(self)


def _who(user: User) -> str:
    if user.organisation is not None:
        return user.organisation.name
    return user.role.label


class CancelMeetingForm(FlaskForm):
    reason = TextAreaField(
        "Why is it cancelled? (optional)",
        widget=TextArea(),
        description="Everyone invited is told",
        validators=[Length(max=rules.MAX_AGENDA_LENGTH)],
    )
    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        return _version(self)


class RecordMeetingForm(FlaskForm):
    attended = SelectMultipleField(
        "Who attended", widget=CheckboxesInput(), coerce=int, validate_choice=False
    )
    note = TextAreaField(
        "Note of the meeting",
        widget=TextArea(),
        description="What was discussed and agreed. Only Compact officers and mediators read it.",
        validators=[Length(max=rules.MAX_NOTE_LENGTH)],
    )
    documents = MultipleFileField(
        "Documents (optional)",
        widget=GovFileInput(multiple=True),
        description=(
            f"Papers of the meeting ({types.ALLOWED_LIST}): kept as private documents of the "
            "case, linked to the meeting. You can choose several files at once."
        ),
    )
    version = HiddenField()

    def set_choices(self, meeting: Meeting, people: list[User]) -> None:
        self.attended.choices = [(a.id, a.name) for a in meeting.attendees]
        owners = [("", "Nobody with an account")] + [(str(u.id), u.name) for u in people]
        for n in range(1, ACTION_ROWS + 1):
            getattr(self, f"action_{n}_owner").choices = owners

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for n in range(1, ACTION_ROWS + 1):
            explain_bad_date(getattr(self, f"action_{n}_due_on"), f"The due date of action {n}")
        return valid

    def record(self) -> MeetingRecord:
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            text = getattr(self, f"action_{n}").data or ""
            owner = getattr(self, f"action_{n}_owner").data or ""
            name = getattr(self, f"action_{n}_owner_name").data or ""
            due_on = getattr(self, f"action_{n}_due_on").data
            if not (text.strip() or name.strip() or owner or due_on):
                continue
            actions.append(
                ActionDraft(
                    text=text,
                    owner_id=int(owner) if owner.isdigit() else None,
                    owner_name=name,
                    due_on=due_on,
                )
            )
        return MeetingRecord(
            attended=tuple(self.attended.data or ()),
            note=self.note.data or "",
            actions=tuple(actions),
            uploads=tuple(uploads_from(self.documents.data)),
        )

    @property
    def expected_version(self) -> int | None:
        return _version(self)


for _n in range(1, ACTION_ROWS + 1):
    setattr(
        RecordMeetingForm,
        f"action_{_n}",
        TextAreaField(
            f"Action {_n}",
            widget=TextArea(),
            validators=[Optional(), Length(max=rules.MAX_AGENDA_LENGTH)],
        ),
    )
    setattr(
        RecordMeetingForm,
        f"action_{_n}_owner",
        SelectField(f"Owner of action {_n}", widget=Select(), validate_choice=False, default=""),
    )
    setattr(
        RecordMeetingForm,
        f"action_{_n}_owner_name",
        StringField(
            f"Or the owner's name, for action {_n}",
            widget=TextInput(),
            validators=[Length(max=rules.MAX_NAME_LENGTH)],
        ),
    )
    setattr(
        RecordMeetingForm,
        f"action_{_n}_due_on",
        DateField(
            f"Due date of action {_n} (optional)",
            widget=DateInput(),
            format="%d %m %Y",
            description="For example, 15 1 2027",
            validators=[Optional()],
        ),
    )

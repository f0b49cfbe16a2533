"""The form an administrator registers a webhook endpoint with."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional

from workflows.webhooks import MAX_URL_LENGTH, SUBSCRIBABLE

from ..widgets import CheckboxesInput, Select, SubmitInput, TextInput
from .endpoints import EndpointDetails


class EndpointForm(FlaskForm):
    organisation = SelectField(
        "Organisation",
        widget=Select(),
        coerce=int,
        description="The statutory funder whose systems receive the events: they hear only of "
        "its own cases, notices and funding agreements",
        validate_choice=False,
    )
    url = StringField(
        "Address to send events to",
        widget=TextInput(),
        description="The receiving system's address, starting with https://",
        validators=[Length(max=MAX_URL_LENGTH)],
    )
    event_types = SelectMultipleField(
        "Events to send",
        widget=CheckboxesInput(),
        choices=[(t.value, f"{t.label} ({t.value})") for t in SUBSCRIBABLE],
        description="Select all that apply",
        validate_choice=False,
    )
    description = StringField(
        "Description (optional)",
        widget=TextInput(),
        description="For example, the name of the system that receives them",
        validators=[Optional(), Length(max=200)],
    )
    submit = SubmitField("Register endpoint", widget=SubmitInput())

    def details(self) -> EndpointDetails:
        return EndpointDetails(
            organisation_id=self.organisation.data or None,
            url=(self.url.data or "").strip(),
            event_types=tuple(self.event_types.data or ()),
            description=(self.description.data or "").strip(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        names = {"organisation_id": "organisation"}
        for name, message in errors.items():
            field = getattr(self, names.get(name, name))
            field.errors = [*field.errors, message]

"""Forms for the case list: its filters, and assigning a case to an officer or a mediator."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import (
    Length,
    Optional,
)

from workflows.dispute import State

from ..models import Area
from ..widgets import (
    Select,
    SubmitInput,
    TextInput,
)
from .queues import ASSIGNED_CHOICES, DUE_CHOICES, UNACKNOWLEDGED


class CaseFilterForm(FlaskForm):
    """The case list's filters: read from the query string, no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    q = StringField("Search", widget=TextInput(), validators=[Optional(), Length(max=100)])
    state = SelectField("State", widget=Select(), validators=[Optional()])
    compact = SelectField("Compact", widget=Select(), validators=[Optional()])
    area = SelectField("Area of the Compact", widget=Select(), validators=[Optional()])
    sort = SelectField(
        "Sort by",
        widget=Select(),
        choices=[
            ("newest", "Newest raised first"),
            ("oldest", "Oldest raised first"),
            ("deadline", "Next deadline first"),
        ],
        validators=[Optional()],
    )
    due = SelectField(
        "Deadlines",
        widget=Select(),
        choices=[("", "Any"), *DUE_CHOICES.items()],
        validators=[Optional()],
    )
    assigned = SelectField(
        "Assigned",
        widget=Select(),
        choices=[("", "Anyone or no one"), *ASSIGNED_CHOICES.items()],
        validators=[Optional()],
    )
    person = SelectField("Officer or mediator", widget=Select(), validators=[Optional()])
    submit = SubmitField("Apply filters", widget=SubmitInput())

    def set_choices(self, compacts, people=()) -> None:
        self.state.choices = [
            ("", "Any state"),
            ("open", "Any open state"),
            (UNACKNOWLEDGED, "Raised, not yet acknowledged"),
        ] + [(s.value, s.label) for s in State]
        self.person.choices = [("", "Anyone")] + [(str(p.id), p.name) for p in people]
        self.compact.choices = [("", "Any Compact")] + [(c.code, c.name) for c in compacts]
        self.area.choices = [("", "Any area"), *Area.choices()]


class AssignForm(FlaskForm):
    """Who holds a case: its mediator and (for an administrator) its officer. The version the
    form was opened at comes back, so a case changed meanwhile is refused, not overwritten."""

    mediator = SelectField("Regional mediator", widget=Select(), validators=[Optional()])
    officer = SelectField("Compact officer", widget=Select(), validators=[Optional()])
    version = HiddenField()
    submit = SubmitField("Save assignment", widget=SubmitInput())

    def __init__(self, *args, choices, officers: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mediator.choices = [("", "Not assigned")] + [
            (str(u.id), u.name) for u in choices.mediators
        ]
        self.officer.choices = [("", "Leave as it is")] + [
            (str(u.id), u.name) for u in choices.officers
        ]
        if not officers:
            del self.officer

    def fill(self, case) -> None:
        self.mediator.data = str(case.mediator_id or "")
        if "officer" in self:
            self.officer.data = str(case.officer_id or "")
        self.version.data = str(case.version)

    def assignment(self) -> dict:
        """The service's arguments: the people chosen (None: left as it is) and the version."""
        officer = self.officer.data if "officer" in self else ""
        version = self.version.data or ""
        return {
            "mediator_id": int(self.mediator.data) if self.mediator.data else None,
            "officer_id": int(officer) if officer else None,
            "version": int(version) if version.isdigit() else None,
        }

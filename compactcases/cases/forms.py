"""Forms for finding, logging, editing and moving cases."""

from __future__ import annotations

from dataclasses import replace

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from workflows.outcomes import (
    MAX_REASON_LENGTH,
    Breach,
    Level,
    OutcomeDraft,
    OutcomeType,
)

from .. import localtime
from ..documents import types as document_types
from ..fields import MoneyField
from ..models import Area, Side
from ..widgets import (
    CheckboxesInput,
    CheckboxInput,
    DateInput,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)
from . import services
from .responses import text_error
from .services import CaseDetails, FormChoices


def explain_bad_date(field, label: str) -> None:
    """Replace WTForms' parse error, which does not say how to put things right."""
    if field.errors and "Not a valid date value." in field.errors:
        field.errors = [f"{label} must be a real date, for example 27 3 2026"]


class CaseForm(FlaskForm):
    compact = SelectField(
        "Local Compact",
        widget=Select(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the local Compact")],
    )
    title = StringField(
        "Title",
        widget=TextInput(),
        description="A short name for the dispute, for example ‘Youth service grant cut’",
        validators=[
            InputRequired(message="Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "What happened",
        widget=TextArea(),
        description="Which undertaking was not kept, by whom, what happened, what is wanted",
        validators=[
            InputRequired(message="Enter what happened"),
            Length(
                max=services.MAX_SUMMARY,
                message=f"What happened must be {services.MAX_SUMMARY:,} characters or fewer",
            ),
        ],
    )
    funder = SelectField(
        "Statutory funder",
        widget=Select(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the statutory funder")],
    )
    third_sector = SelectField(
        "Third-sector organisation",
        widget=Select(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the third-sector organisation")],
    )
    # The other parties, one select each; blank ones are left out. A case listing more has as
    # many selects as it needs, and one spare.
    other_funders = FieldList(
        SelectField(widget=Select(), coerce=int, validate_choice=False), min_entries=1
    )
    other_third_sector = FieldList(
        SelectField(widget=Select(), coerce=int, validate_choice=False), min_entries=3
    )
    raised_by = RadioField(
        "Who raised the dispute?",
        widget=RadioInput(),
        choices=Side.choices(),
        default=Side.THIRD_SECTOR.value,
        validators=[InputRequired(message="Select who raised the dispute")],
    )
    areas = SelectMultipleField(
        "Areas of the Compact concerned",
        widget=CheckboxesInput(),
        choices=Area.choices(),
        description="Select all that apply",
        validators=[DataRequired(message="Select at least one area of the Compact")],
    )
    amount_at_stake = MoneyField(
        "Money at stake (£, optional)",
        words="the money at stake",
        description="Whole pounds, for example 45,000",
    )
    raised_on = DateField(
        "Date raised",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date the dispute was raised")],
    )
    version = HiddenField()
    submit = SubmitField("Save case", widget=SubmitInput())

    def __init__(self, *args, choices: FormChoices, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        if self.compact:
            self.compact.choices = [(0, "Select a Compact")] + [
                (c.id, c.name) for c in choices.compacts
            ]
        self.funder.choices = [(0, "Select a funder")] + [(o.id, o.name) for o in choices.funders]
        self.third_sector.choices = [(0, "Select an organisation")] + [
            (o.id, o.name) for o in choices.third_sector
        ]
        self._choices = choices
        self.label_other_parties()

    def label_other_parties(self) -> None:
        """Give each other-party select its choices and its own label."""
        for entries, options, label in (
            (self.other_funders, self._choices.funders, "Another statutory funder"),
            (self.other_third_sector, self._choices.third_sector, "Another third-sector party"),
        ):
            for n, entry in enumerate(entries, start=1):
                entry.choices = [(0, "None")] + [(o.id, o.name) for o in options]
                entry.label.text = f"{label} ({n}, optional)"

    def fill_other_parties(self, details: CaseDetails) -> None:
        """Show the case's other parties, with a spare select on each side."""
        for entries, side in (
            (self.other_funders, Side.FUNDER),
            (self.other_third_sector, Side.THIRD_SECTOR),
        ):
            ids = [i for i, s in details.other_parties if s is side]
            while len(entries) < len(ids) + 1:
                entries.append_entry()
            for entry, value in zip(entries, [*ids, *[0] * len(entries)], strict=False):
                entry.data = value
        self.label_other_parties()

    def other_parties(self) -> tuple[tuple[int, Side], ...]:
        return tuple(
            (entry.data, side)
            for entries, side in (
                (self.other_funders, Side.FUNDER),
                (self.other_third_sector, Side.THIRD_SECTOR),
            )
            for entry in entries
            if entry.data
        )

    def validate_title(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter a title")

    def validate_summary(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter what happened")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # WTForms' own parse errors do not say how to put things right.
        if self.raised_on.errors and "Not a valid date value." in self.raised_on.errors:
            self.raised_on.errors = ["Date raised must be a real date, for example 27 3 2026"]
        # The rules a case is held to, whether it comes from this form or the API.
        for name, message in services.detail_errors(self._checkable(), self._user).items():
            field = self.field_for(name)
            if not field.errors:
                field.errors = [message]
                valid = False
        for entries in (self.other_funders, self.other_third_sector):
            # A list's errors are its entries': the error summary and status read them there.
            entries.errors = [message for entry in entries for message in entry.errors]
        return valid

    def field_for(self, name: str):
        """The field beside which the service's error about `name` shows."""
        if name == "parties":
            chosen = [e for e in [*self.other_funders, *self.other_third_sector] if e.data]
            return chosen[-1] if chosen else self.other_third_sector[0]
        return {
            "compact_id": self.compact,
            "funder_id": self.funder,
            "third_sector_id": self.third_sector,
            "raised_on": self.raised_on,
        }[name]

    def _checkable(self) -> CaseDetails:
        """The details as typed, with a harmless stand-in where a field could not be read
        (that field already shows its own error)."""
        return replace(
            self.details(),
            title="",
            summary="",
            raised_on=self.raised_on.data or localtime.today(),
            areas=(),
        )

    def details(self) -> CaseDetails:
        return CaseDetails(
            compact_id=self.compact.data if self.compact else 0,
            title=(self.title.data or "").strip(),
            summary=(self.summary.data or "").strip(),
            funder_id=self.funder.data,
            third_sector_id=self.third_sector.data,
            raised_by=Side(self.raised_by.data or Side.THIRD_SECTOR.value),
            areas=tuple(Area(a) for a in self.areas.data or ()),
            amount_at_stake=self.amount_at_stake.data,
            raised_on=self.raised_on.data,
            other_parties=self.other_parties(),
        )


class EventForm(FlaskForm):
    """One workflow button, with room for the reason it needs."""

    reason = TextAreaField(
        "Reason",
        widget=TextArea(),
        validators=[Length(max=MAX_REASON_LENGTH)],
    )


def _text(field) -> str:
    return (field.data or "") if isinstance(field.data, str) else ""


class OutcomeForm(FlaskForm):
    """The outcome that resolving a case records.

    The fields carry no validators of their own: whether the outcome is complete is the
    workflow's rule (`workflows.dispute.check_outcome`), whose errors are shown beside them.
    """

    level = RadioField(
        "What level did the dispute reach?",
        widget=RadioInput(),
        choices=Level.choices(),
        validate_choice=False,
    )
    outcome_type = RadioField(
        "What was the outcome?",
        widget=RadioInput(),
        choices=OutcomeType.choices(),
        validate_choice=False,
    )
    breach_found = RadioField(
        "Was a breach of the Compact found?",
        widget=RadioInput(),
        choices=Breach.choices(),
        validate_choice=False,
    )
    funding_protected = StringField(
        "Funding protected (£)",
        widget=TextInput(),
        description="Whole pounds, for example 67,000. Enter 0 for none; leave blank if not known.",
    )
    jobs_safeguarded = StringField(
        "Jobs safeguarded",
        widget=TextInput(),
        description="Enter 0 for none; leave blank if not known.",
    )
    notice_days_gained = StringField(
        "Days of notice gained",
        widget=TextInput(),
        description="Calendar days added to the notice period. Leave blank if not known.",
    )
    service_users_affected = StringField(
        "Service users affected",
        widget=TextInput(),
        description="People using the services concerned. Leave blank if not known.",
    )
    agreed_actions = TextAreaField(
        "Agreed actions",
        widget=TextArea(),
        description="What the parties agreed to do, or what was decided.",
    )
    learning = TextAreaField(
        "Learning",
        widget=TextArea(),
        description="What others could learn from this case. Write it so that it can be shared: "
        "no names of organisations or people.",
    )
    learning_shareable = RadioField(
        "May the learning be shared, anonymised, with other Compacts?",
        widget=RadioInput(),
        choices=[("yes", "Yes"), ("no", "No")],
        validate_choice=False,
    )

    def draft(self) -> OutcomeDraft:
        return OutcomeDraft(
            **{name: _text(getattr(self, name)) for name in OutcomeDraft.__dataclass_fields__}
        )


class NoteForm(FlaskForm):
    """A note or a meeting on the case's timeline."""

    kind = RadioField(
        "What are you recording?",
        widget=RadioInput(),
        choices=[("note", "A note"), ("meeting", "A meeting with the parties")],
        default="note",
        validators=[InputRequired(message="Select a note or a meeting")],
    )
    text = TextAreaField(
        "Note",
        widget=TextArea(),
        validators=[
            InputRequired(message="Enter the note"),
            Length(max=MAX_REASON_LENGTH, message="Enter no more than 2000 characters"),
        ],
    )
    occurred_on = DateField(
        "Date of the call or meeting",
        widget=DateInput(),
        format="%d %m %Y",
        description="Today, or the earlier day it took place. For example, 27 3 2026",
        validators=[Optional()],
    )
    private = BooleanField(
        "Private: only Compact officers and mediators can read it",
        widget=CheckboxInput(),
        default=True,
    )

    def validate_text(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter the note")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.occurred_on, "The date of the call")
        return valid


class PauseForm(FlaskForm):
    """Stop the case's clock while waiting on a party."""

    started_on = DateField(
        "Date the clock stopped",
        widget=DateInput(),
        format="%d %m %Y",
        description="This day is not counted. For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date the clock stopped")],
    )
    reason = TextAreaField(
        "Why the clock is stopped",
        widget=TextArea(),
        validators=[
            InputRequired(message="Enter why the clock is stopped"),
            Length(max=MAX_REASON_LENGTH),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.started_on, "The date the clock stopped")
        if valid and not self.reason.data.strip():
            self.reason.errors = ["Enter why the clock is stopped"]
            return False
        return valid


class ResumeForm(FlaskForm):
    """Restart the case's clock."""

    ended_on = DateField(
        "Date the clock restarts",
        widget=DateInput(),
        format="%d %m %Y",
        description="Counting starts again on this day. For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date the clock restarts")],
    )
    reason = TextAreaField(
        "Note (optional)", widget=TextArea(), validators=[Length(max=MAX_REASON_LENGTH)]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.ended_on, "The date the clock restarts")
        return valid


class ExtendForm(FlaskForm):
    """Extend an open deadline by agreement."""

    days = IntegerField(
        "Extend by",
        widget=TextInput(),
        validators=[
            InputRequired(message="Enter how many days the deadline is extended by"),
            NumberRange(min=1, max=999, message="Enter a whole number of days from 1 to 999"),
        ],
    )
    reason = TextAreaField(
        "What was agreed",
        widget=TextArea(),
        validators=[
            InputRequired(message="Enter what was agreed, and with whom"),
            Length(max=MAX_REASON_LENGTH),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.days.errors and "Not a valid integer value." in self.days.errors:
            self.days.errors = ["Enter a whole number of days, like 5"]
        if valid and not self.reason.data.strip():
            self.reason.errors = ["Enter what was agreed, and with whom"]
            return False
        return valid


class ResponseForm(FlaskForm):
    """A party's statement or response on its case."""

    text = TextAreaField(
        "Your response",
        widget=TextArea(),
        description="What you want to say about the case. Officers, mediators and the other "
        "party can read it, unless you keep it for the Compact officer only.",
    )
    officers_only = BooleanField(
        "For the Compact officer only: the other party will not see it",
        widget=CheckboxInput(),
        default=False,
    )
    files = MultipleFileField(
        "Documents (optional)",
        widget=GovFileInput(multiple=True),
        description=f"{document_types.ALLOWED_LIST}. You can choose several files at once.",
    )
    # The case's version when the form was shown: a second press of the button is refused.
    version = HiddenField()

    def validate_text(self, field) -> None:
        problem = text_error(field.data or "")
        if problem:
            raise ValidationError(problem)

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

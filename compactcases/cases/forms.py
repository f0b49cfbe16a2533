"""Forms for finding, logging, editing and moving cases."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
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

from workflows.dispute import (
    BREACH_LABELS,
    LEVEL_LABELS,
    MAX_REASON_LENGTH,
    OUTCOME_TYPE_LABELS,
    OutcomeDraft,
    State,
)

from ..models import Area, Side
from .services import CaseDetails, FormChoices

EARLIEST_DATE = date(2000, 1, 1)


class DateInput(GovDateInput):
    """Day, month and year boxes that survive a request missing some of them."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)


class CaseFilterForm(FlaskForm):
    """The case list's filters: read from the query string, no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    q = StringField("Search", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    state = SelectField("State", widget=GovSelect(), validators=[Optional()])
    compact = SelectField("Compact", widget=GovSelect(), validators=[Optional()])
    area = SelectField("Area of the Compact", widget=GovSelect(), validators=[Optional()])
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices=[("newest", "Newest raised first"), ("oldest", "Oldest raised first")],
        validators=[Optional()],
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def set_choices(self, compacts) -> None:
        self.state.choices = [("", "Any state")] + [(s.value, s.label) for s in State]
        self.compact.choices = [("", "Any Compact")] + [(c.code, c.name) for c in compacts]
        self.area.choices = [("", "Any area"), *Area.choices()]


class CaseForm(FlaskForm):
    compact = SelectField(
        "Local Compact",
        widget=GovSelect(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the local Compact")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="A short name for the dispute, for example ‘Youth service grant cut’",
        validators=[
            InputRequired(message="Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "What happened",
        widget=GovTextArea(),
        description="Which undertaking was not kept, by whom, what happened, what is wanted",
        validators=[
            InputRequired(message="Enter what happened"),
            Length(max=10000, message="What happened must be 10,000 characters or fewer"),
        ],
    )
    funder = SelectField(
        "Statutory funder",
        widget=GovSelect(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the statutory funder")],
    )
    third_sector = SelectField(
        "Third-sector organisation",
        widget=GovSelect(),
        coerce=int,
        # Checked by the validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message="Select the third-sector organisation")],
    )
    raised_by = RadioField(
        "Who raised the dispute?",
        widget=GovRadioInput(),
        choices=Side.choices(),
        default=Side.THIRD_SECTOR.value,
        validators=[InputRequired(message="Select who raised the dispute")],
    )
    areas = SelectMultipleField(
        "Areas of the Compact concerned",
        widget=GovCheckboxesInput(),
        choices=Area.choices(),
        description="Select all that apply",
        validators=[DataRequired(message="Select at least one area of the Compact")],
    )
    amount_at_stake = IntegerField(
        "Money at stake (£, optional)",
        widget=GovTextInput(),
        description="Whole pounds, for example 45000",
        validators=[
            Optional(),
            NumberRange(min=0, max=10_000_000_000, message="Enter an amount from £0 upwards"),
        ],
    )
    raised_on = DateField(
        "Date raised",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date the dispute was raised")],
    )
    version = HiddenField()
    submit = SubmitField("Save case", widget=GovSubmitInput())

    def __init__(self, *args, choices: FormChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compact.choices = [(0, "Select a Compact")] + [
            (c.id, c.name) for c in choices.compacts
        ]
        self._organisations = {o.id: o for o in choices.funders + choices.third_sector}
        self.funder.choices = [(0, "Select a funder")] + [(o.id, o.name) for o in choices.funders]
        self.third_sector.choices = [(0, "Select an organisation")] + [
            (o.id, o.name) for o in choices.third_sector
        ]

    def validate_title(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter a title")

    def validate_summary(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter what happened")

    def validate_compact(self, field) -> None:
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError("Select the local Compact")

    def validate_funder(self, field) -> None:
        organisation = self._organisations.get(field.data)
        if organisation is None:
            raise ValidationError("Select the statutory funder")
        if not organisation.is_statutory:
            raise ValidationError(f"{organisation.name} is not a statutory funder")

    def validate_third_sector(self, field) -> None:
        organisation = self._organisations.get(field.data)
        if organisation is None:
            raise ValidationError("Select the third-sector organisation")
        if organisation.is_statutory:
            raise ValidationError(f"{organisation.name} is not a third-sector organisation")
        if field.data == self.funder.data:
            raise ValidationError("The funder and the third-sector organisation must differ")

    def validate_raised_on(self, field) -> None:
        from ..clock import today

        if field.data and field.data < EARLIEST_DATE:
            raise ValidationError("Date raised must be in 2000 or later")
        if field.data and field.data > today():
            raise ValidationError("Date raised must be today or in the past")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # WTForms' own parse errors do not say how to put things right.
        if self.raised_on.errors and "Not a valid date value." in self.raised_on.errors:
            self.raised_on.errors = ["Date raised must be a real date, for example 27 3 2026"]
        if self.amount_at_stake.errors and "Not a valid integer value." in (
            self.amount_at_stake.errors
        ):
            self.amount_at_stake.errors = ["Enter the money at stake in whole pounds, like 45000"]
        return valid

    def details(self) -> CaseDetails:
        return CaseDetails(
            compact_id=self.compact.data,
            title=self.title.data.strip(),
            summary=self.summary.data.strip(),
            funder_id=self.funder.data,
            third_sector_id=self.third_sector.data,
            raised_by=Side(self.raised_by.data),
            areas=tuple(Area(a) for a in self.areas.data),
            amount_at_stake=self.amount_at_stake.data,
            raised_on=self.raised_on.data,
        )


class EventForm(FlaskForm):
    """One workflow button, with room for the reason it needs."""

    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
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
        widget=GovRadioInput(),
        choices=list((k.value, v) for k, v in LEVEL_LABELS.items()),
        validate_choice=False,
    )
    outcome_type = RadioField(
        "What was the outcome?",
        widget=GovRadioInput(),
        choices=list((k.value, v) for k, v in OUTCOME_TYPE_LABELS.items()),
        validate_choice=False,
    )
    breach_found = RadioField(
        "Was a breach of the Compact found?",
        widget=GovRadioInput(),
        choices=list((k.value, v) for k, v in BREACH_LABELS.items()),
        validate_choice=False,
    )
    funding_protected = StringField(
        "Funding protected (£)",
        widget=GovTextInput(),
        description="Whole pounds, for example 67000. Enter 0 for none; leave blank if not known.",
    )
    jobs_safeguarded = StringField(
        "Jobs safeguarded",
        widget=GovTextInput(),
        description="Enter 0 for none; leave blank if not known.",
    )
    notice_days_gained = StringField(
        "Days of notice gained",
        widget=GovTextInput(),
        description="Calendar days added to the notice period. Leave blank if not known.",
    )
    service_users_affected = StringField(
        "Service users affected",
        widget=GovTextInput(),
        description="People using the services concerned. Leave blank if not known.",
    )
    agreed_actions = TextAreaField(
        "Agreed actions",
        widget=GovTextArea(),
        description="What the parties agreed to do, or what was decided.",
    )
    learning = TextAreaField(
        "Learning",
        widget=GovTextArea(),
        description="What others could learn from this case. Write it so that it can be shared: "
        "no names of organisations or people.",
    )
    learning_shareable = RadioField(
        "May the learning be shared, anonymised, with other Compacts?",
        widget=GovRadioInput(),
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
        widget=GovRadioInput(),
        choices=[("note", "A note"), ("meeting", "A meeting with the parties")],
        default="note",
        validators=[InputRequired(message="Select a note or a meeting")],
    )
    text = TextAreaField(
        "Note",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter the note"),
            Length(max=MAX_REASON_LENGTH, message="Enter no more than 2000 characters"),
        ],
    )
    private = BooleanField(
        "Private: only Compact officers and mediators can read it",
        widget=GovCheckboxInput(),
        default=True,
    )

    def validate_text(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter the note")

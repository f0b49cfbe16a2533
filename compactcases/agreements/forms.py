"""Forms for recording and changing funding agreements and recording a decision about one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from ..cases.forms import explain_bad_date
from ..models import Compact, Organisation, User
from ..widgets import DateInput, RadioInput
from .decisions import Decision, DecisionKind, decision_errors
from .services import AgreementDetails, agreement_errors

# The service's field names by the names the form gives them.
FIELD_OF = {"compact_id": "compact", "funder_id": "funder", "organisation_id": "organisation"}


class OptionalDate:
    """Skip a date that was left wholly blank; a part-filled one is still checked."""

    def __call__(self, form, field) -> None:
        if not any((part or "").strip() for part in field.raw_data or []):
            field.errors[:] = []
            field.data = None
            raise StopValidation()


def _date(label: str, hint: str) -> DateField:
    return DateField(
        label, widget=DateInput(), format="%d %m %Y", description=hint, validators=[OptionalDate()]
    )


def _select(label: str) -> SelectField:
    # Checked by the service, which says what is wrong.
    return SelectField(label, widget=GovSelect(), coerce=int, validate_choice=False)


class AgreementForm(FlaskForm):
    compact = _select("Local Compact")
    funder = _select("Statutory funder")
    organisation = _select("Third-sector organisation")
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="For example, ‘Youth work in Sparkbrook’",
        validators=[Length(max=200, message="Title must be 200 characters or fewer")],
    )
    funder_reference = StringField(
        "Your reference",
        widget=GovTextInput(),
        description="The funder's own reference for the grant or contract",
        validators=[Length(max=60, message="Reference must be 60 characters or fewer")],
    )
    annual_value = StringField(
        "Annual value (£)",
        widget=GovTextInput(),
        description="Whole pounds a year, for example 45000",
    )
    starts_on = _date("Start date", "For example, 1 4 2024")
    ends_on = _date("End date", "For example, 31 3 2027")
    break_on = _date("Break date (optional)", "A date either side may end the agreement early")
    review_on = _date("Review date (optional)", "For example, 1 10 2026")
    version = HiddenField()
    submit = SubmitField("Save agreement", widget=GovSubmitInput())

    def __init__(
        self,
        *args,
        compacts: list[Compact],
        funders: list[Organisation],
        organisations: list[Organisation],
        user: User,
        agreement_id: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        self._agreement_id = agreement_id
        self.compact.choices = [(0, "Select a Compact")] + [(c.id, c.name) for c in compacts]
        self.funder.choices = [(0, "Select a funder")] + [(o.id, o.name) for o in funders]
        self.organisation.choices = [(0, "Select an organisation")] + [
            (o.id, o.name) for o in organisations
        ]

    def _value(self) -> int | None:
        text = (self.annual_value.data or "").strip().replace(",", "").removeprefix("£")
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return -1 if text.startswith("-") else None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, label in (
            ("starts_on", "Start date"),
            ("ends_on", "End date"),
            ("break_on", "Break date"),
            ("review_on", "Review date"),
        ):
            explain_bad_date(getattr(self, name), label)
        text = (self.annual_value.data or "").strip()
        if text and self._value() is None:
            self.annual_value.errors = ["The annual value must be a whole number of pounds"]
        # The rules an agreement is held to, whether it comes from this form or the API; a
        # field that could not be read already says so, and keeps that message alone.
        errors = agreement_errors(self.details(), self._user, agreement_id=self._agreement_id)
        for name, message in errors.items():
            field = self[FIELD_OF.get(name, name)]
            if not field.errors:
                field.errors = [message]
        return valid and not any(f.errors for f in self)

    def details(self) -> AgreementDetails:
        return AgreementDetails(
            funder_id=self.funder.data or None,
            organisation_id=self.organisation.data or None,
            compact_id=self.compact.data or None,
            title=(self.title.data or "").strip(),
            funder_reference=(self.funder_reference.data or "").strip(),
            annual_value=self._value(),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            break_on=self.break_on.data,
            review_on=self.review_on.data,
        )

    def fill(self, agreement) -> None:
        self.compact.data = agreement.compact_id
        self.funder.data = agreement.funder_id
        self.organisation.data = agreement.organisation_id
        self.title.data = agreement.title
        self.funder_reference.data = agreement.funder_reference
        self.annual_value.data = str(agreement.annual_value)
        self.starts_on.data = agreement.starts_on
        self.ends_on.data = agreement.ends_on
        self.break_on.data = agreement.break_on
        self.review_on.data = agreement.review_on
        self.version.data = str(agreement.version)


class DecisionForm(FlaskForm):
    kind = RadioField(
        "What was decided?",
        widget=RadioInput(),
        choices=DecisionKind.choices(),
        validators=[InputRequired(message="Select what was decided")],
    )
    decided_on = _date("Date of the decision", "For example, 1 11 2026")
    new_ends_on = _date("New end date (for a renewal or extension)", "For example, 31 3 2028")
    reason = TextAreaField(
        "Note (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message="Note must be 2,000 characters or fewer")],
    )
    version = HiddenField()
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def __init__(self, *args, agreement, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._agreement = agreement

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.decided_on, "Date of the decision")
        explain_bad_date(self.new_ends_on, "New end date")
        if not valid or self.kind.errors:
            return False
        for name, message in decision_errors(self.decision(), self._agreement).items():
            if not self[name].errors:
                self[name].errors = [message]
        return not any(f.errors for f in self)

    def decision(self) -> Decision:
        return Decision(
            kind=DecisionKind(self.kind.data),
            decided_on=self.decided_on.data,
            new_ends_on=self.new_ends_on.data,
            reason=(self.reason.data or "").strip(),
        )

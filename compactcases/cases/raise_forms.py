"""The question pages of raising a concern: one form a page, each checked by the rules
`raising.concern_errors` holds the whole concern to."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (
    DateField,
    HiddenField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import ValidationError

from .. import localtime
from ..documents import types
from ..models import Area
from ..widgets import CheckboxesInput, DateInput, Select, SubmitInput, TextArea
from . import raising
from .forms import explain_bad_date

CONTINUE = "Continue"


class FunderForm(FlaskForm):
    funder = SelectField(
        "Which funder is your concern about?",
        widget=Select(),
        coerce=int,
        validate_choice=False,
        description="The statutory body (council, NHS body, police, ...) that funds you",
    )
    submit = SubmitField(CONTINUE, widget=SubmitInput())

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        self.funder.choices = [(0, "Select a funder")] + [
            (o.id, o.name) for o in raising.funders_for(user)
        ]

    def validate_funder(self, field) -> None:
        problem = raising.funder_error(field.data, self._user)
        if problem:
            raise ValidationError(problem)


class WhatHappenedForm(FlaskForm):
    what_happened = TextAreaField(
        "What happened?",
        widget=TextArea(),
        description="Which undertaking of the Compact was not kept, by whom, and how",
    )
    happened_on = DateField(
        "When did it happen?",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 27 3 2026",
    )
    submit = SubmitField(CONTINUE, widget=SubmitInput())

    def validate_what_happened(self, field) -> None:
        problem = raising.text_error(
            field.data or "",
            missing="Enter what happened",
            limit=raising.MAX_WHAT_HAPPENED,
            name="What happened",
        )
        if problem:
            raise ValidationError(problem)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.happened_on, "The date it happened")
        if not self.happened_on.errors:
            problem = raising.happened_on_error(self.happened_on.data, localtime.today())
            if problem:
                self.happened_on.errors = [problem]
                valid = False
        return valid and not self.happened_on.errors


class CommitmentsForm(FlaskForm):
    areas = SelectMultipleField(
        "Which Compact commitments do you think were broken?",
        widget=CheckboxesInput(),
        choices=Area.choices(),
        description="Select all that apply",
    )
    submit = SubmitField(CONTINUE, widget=SubmitInput())

    def validate_areas(self, field) -> None:
        if not field.data:
            raise ValidationError("Select at least one Compact commitment")


class OutcomeForm(FlaskForm):
    outcome_wanted = TextAreaField(
        "What outcome do you want?",
        widget=TextArea(),
        description="For example, the grant continued until a consultation is held",
    )
    submit = SubmitField(CONTINUE, widget=SubmitInput())

    def validate_outcome_wanted(self, field) -> None:
        problem = raising.text_error(
            field.data or "",
            missing="Enter the outcome you want",
            limit=raising.MAX_OUTCOME,
            name="The outcome you want",
        )
        if problem:
            raise ValidationError(problem)


class DocumentsForm(FlaskForm):
    file = MultipleFileField(
        "Add documents (optional)",
        widget=GovFileInput(multiple=True),
        description=(
            f"Letters, notices or e-mails that show what happened: {types.ALLOWED_LIST}. "
            "You can choose several files at once. The parties to the case can see them."
        ),
    )
    submit = SubmitField(CONTINUE, widget=SubmitInput())


class SendForm(FlaskForm):
    # The one-time token the check page was shown with: a second press sends nothing more.
    token = HiddenField()
    submit = SubmitField("Send your concern", widget=SubmitInput())

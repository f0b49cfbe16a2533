"""Forms for regional cases: opening one over several Compacts, and referring a local case
up to the region."""

from __future__ import annotations

from dataclasses import replace

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length

from workflows.dispute import State
from workflows.outcomes import MAX_REASON_LENGTH

from ..models import CaseLevel, Compact
from ..widgets import CheckboxesInput, RadioInput, SubmitInput, TextArea
from .forms import CaseForm
from .services import CaseDetails


class RegionalCaseForm(CaseForm):
    """The case form for a regional case: the affected Compacts instead of one Compact."""

    compact = None
    affected_compacts = SelectMultipleField(
        "Affected local Compacts",
        widget=CheckboxesInput(),
        coerce=int,
        description="Select each Compact the dispute reaches; the first is its lead",
        # Checked by the service, which says what is wrong.
        validate_choice=False,
    )
    starts_in = RadioField(
        "Where does the case start?",
        widget=RadioInput(),
        choices=[
            (State.REGIONAL_MEDIATION.value, "In regional mediation"),
            (State.RAISED.value, "Raised, while the facts are gathered"),
        ],
        default=State.REGIONAL_MEDIATION.value,
        validate_choice=False,
    )
    submit = SubmitField("Save regional case", widget=SubmitInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.affected_compacts.choices = [(c.id, c.name) for c in self._choices.compacts]

    def field_for(self, name: str):
        if name == "affected_compacts":
            return self.affected_compacts
        return super().field_for(name)

    @property
    def in_mediation(self) -> bool:
        return self.starts_in.data != State.RAISED.value

    def details(self) -> CaseDetails:
        affected = tuple(dict.fromkeys(self.affected_compacts.data or ()))
        return replace(
            super().details(),
            compact_id=affected[0] if affected else 0,
            affected_compact_ids=affected,
            level=CaseLevel.REGIONAL,
        )


class ReferralForm(FlaskForm):
    affected_compacts = SelectMultipleField(
        "Which other Compacts does the dispute affect?",
        widget=CheckboxesInput(),
        coerce=int,
        description="The case's own Compact stays its lead. Select all that apply.",
        validate_choice=False,
    )
    reason = TextAreaField(
        "Why is it going to the region? (optional)",
        widget=TextArea(),
        validators=[Length(max=MAX_REASON_LENGTH)],
    )
    version = HiddenField()
    submit = SubmitField("Refer to the region", widget=SubmitInput())

    def set_choices(self, compacts: list[Compact], own_id: int) -> None:
        self.affected_compacts.choices = [(c.id, c.name) for c in compacts if c.id != own_id]

"""The rule-set form: one count and unit per rule, blank to inherit."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from workflows.agreements import parse_ladder
from workflows.periods import MAX_COUNT, Period, PeriodError, Unit

from .rule_set_rows import RuleRow

UNIT_CHOICES = [
    (Unit.MONTHS.value, "calendar months"),
    (Unit.WEEKS.value, "weeks"),
    (Unit.CALENDAR_DAYS.value, "calendar days"),
    (Unit.WORKING_DAYS.value, "working days"),
]
COUNT_MESSAGE = f"Enter a whole number from 1 to {MAX_COUNT}, or leave it blank to inherit"


class _RuleSetForm(FlaskForm):
    agreement_reminders = StringField(
        "Reminders before a funding agreement's latest notice date",
        widget=GovTextInput(),
        description="Days before, separated by commas, for example 56, 28, 14, 7, 0. "
        "Leave blank to inherit.",
        validators=[Optional(), Length(max=60, message="Enter at most 60 characters")],
    )
    submit = SubmitField("Save rules", widget=GovSubmitInput())

    def validate_agreement_reminders(self, field) -> None:
        try:
            parse_ladder(field.data)
        except PeriodError as error:
            text = str(error)
            raise ValidationError(text[:1].upper() + text[1:]) from None

    def ladder(self) -> str | None:
        """The ladder as it is stored ("56, 28, 14, 7, 0"), or None to inherit."""
        text = (self.agreement_reminders.data or "").strip()
        return ", ".join(str(n) for n in parse_ladder(text)) if text else None

    names: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name in self.names:
            field = self[f"{name}_count"]
            if "Not a valid integer value." in field.errors:
                field.errors = [COUNT_MESSAGE]
        return valid

    def wanted(self) -> dict[str, Period | None]:
        return {
            name: (
                Period(self[f"{name}_count"].data, self[f"{name}_unit"].data)
                if self[f"{name}_count"].data is not None
                else None
            )
            for name in self.names
        }


def rule_set_form(rows: list[RuleRow], formdata=None, ladder: str | None = None) -> _RuleSetForm:
    """A form with a count and a unit field for each rule, filled with the Compact's own."""

    class RuleSetForm(_RuleSetForm):
        names = tuple(row.name for row in rows)

    for row in rows:
        setattr(
            RuleSetForm,
            f"{row.name}_count",
            IntegerField(
                row.label,
                widget=GovTextInput(),
                validators=[Optional(), NumberRange(min=1, max=MAX_COUNT, message=COUNT_MESSAGE)],
            ),
        )
        setattr(
            RuleSetForm,
            f"{row.name}_unit",
            SelectField(
                f"{row.label}: unit",
                widget=GovSelect(),
                choices=UNIT_CHOICES,
                default=(row.inherited or Period(1, Unit.WORKING_DAYS)).unit.value,
            ),
        )
    form = RuleSetForm(formdata=formdata)
    if formdata is None:
        form.agreement_reminders.data = ladder or ""
        for row in rows:
            if row.own is not None:
                form[f"{row.name}_count"].data = row.own.count
                form[f"{row.name}_unit"].data = row.own.unit.value
    return form

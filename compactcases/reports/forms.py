"""The report filters: a period, a region, a Compact and an area, read from the query string."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import Optional, ValidationError

from .. import localtime
from ..models import Area
from ..widgets import DateInput
from .bounds import period_errors
from .coverage import ReportFilters, financial_year


class ReportFilterForm(FlaskForm):
    """Nothing changes on a report, so there is no CSRF token; a blank date takes the default."""

    class Meta:
        csrf = False

    start = DateField(
        "From",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 1 4 2026",
        validators=[Optional()],
    )
    end = DateField(
        "To",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 31 3 2027",
        validators=[Optional()],
    )
    region = SelectField("Region", widget=GovSelect(), validators=[Optional()])
    compact = SelectField("Compact", widget=GovSelect(), validators=[Optional()])
    area = SelectField("Area of the Compact", widget=GovSelect(), validators=[Optional()])
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def set_choices(self, regions, compacts) -> None:
        self.region.choices = [("", "Any region")] + [(str(r.id), r.name) for r in regions]
        self.compact.choices = [("", "Any Compact")] + [(c.code, c.name) for c in compacts]
        self.area.choices = [("", "Any area"), *Area.choices()]

    def validate_start(self, field) -> None:
        message = period_errors(field.data, None).get("start")
        if message:
            raise ValidationError(message)

    def validate_end(self, field) -> None:
        if not field.data:
            return
        if self.start.data and field.data < self.start.data:
            raise ValidationError("The end of the period must be on or after its start")
        # A blank start is the financial year's, so an end alone is bounded from there.
        start = self.start.data or financial_year(localtime.today())[0]
        message = period_errors(start, field.data).get("end")
        if message:
            raise ValidationError(message)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # WTForms' own messages do not say how to put things right.
        for field, words in ((self.start, "start"), (self.end, "end")):
            if "Not a valid date value." in field.errors:
                field.errors = [
                    f"The {words} of the period must be a real date, for example 1 4 2026"
                ]
        for field, words in (
            (self.region, "a region"),
            (self.compact, "a Compact"),
            (self.area, "an area of the Compact"),
        ):
            if "Not a valid choice." in field.errors:
                field.errors = [f"Select {words} from the list"]
        return valid

    def filters(self, default: tuple[date, date]) -> ReportFilters:
        """The filters chosen, taking the default period for a date left blank."""
        start = self.start.data or default[0]
        end = self.end.data or default[1]
        if end < start:
            start, end = default
        return ReportFilters(
            start=start,
            end=end,
            region_id=int(self.region.data) if self.region.data else None,
            compact=self.compact.data or None,
            area=Area(self.area.data) if self.area.data else None,
        )

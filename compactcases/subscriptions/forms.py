"""The report e-mail subscription form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from workflows.report_periods import Frequency

from ..widgets import RadioInput, SubmitInput


class SubscriptionForm(FlaskForm):
    frequency = RadioField(
        "How often do you want the regional summary?",
        widget=RadioInput(),
        choices=[
            (Frequency.MONTHLY.value, "Monthly, on the first working day of each month"),
            (Frequency.QUARTERLY.value, "Quarterly, on the first working day after each quarter"),
        ],
        validators=[InputRequired(message="Select monthly or quarterly")],
    )
    submit = SubmitField("Save", widget=SubmitInput())

"""The proxy form: a value per unit with its source, a low, a high and (optional) central figure."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from ..widgets import SubmitInput, TextArea, TextInput


class ProxyForm(FlaskForm):
    low = StringField(
        "Low figure (£)",
        widget=TextInput(),
        description="The lowest value the source supports, for example 18,000",
        validators=[Optional()],
    )
    high = StringField(
        "High figure (£)",
        widget=TextInput(),
        description="The highest value the source supports",
        validators=[Optional()],
    )
    central = StringField(
        "Central figure (£), optional",
        widget=TextInput(),
        description="Leave blank to use the midpoint of the low and high figures",
        validators=[Optional()],
    )
    source = TextAreaField(
        "Source",
        widget=TextArea(),
        description="Where the figures come from: the study, its publisher and year",
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save the proxy", widget=SubmitInput())

"""The form for adding a local third-sector organisation from the case form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField

from ..widgets import RadioInput, Select, SubmitInput, TextInput
from .services import LOCAL_TYPES, NAME_LENGTH


class LocalOrganisationForm(FlaskForm):
    """Its fields carry a prefix, so the case form's answers can travel with it unchanged. The
    CSRF token is the case form's own (checked for every form by CSRFProtect)."""

    class Meta:
        csrf = False

    name = StringField(
        "Name of the organisation",
        widget=TextInput(),
        description="Its name in full, as it writes it",
    )
    type = RadioField(
        "What kind of organisation is it?",
        widget=RadioInput(),
        choices=[(t.value, t.label) for t in LOCAL_TYPES],
        validate_choice=False,
    )
    compact = SelectField(
        "Local Compact it works in",
        widget=Select(),
        coerce=int,
        validate_choice=False,
    )
    submit = SubmitField("Add and return to the case", widget=SubmitInput())

    def __init__(self, *args, compacts, **kwargs) -> None:
        super().__init__(*args, prefix="organisation", **kwargs)
        self.compact.choices = [(0, "Select a Compact")] + [(c.id, c.name) for c in compacts]
        self.name.flags.maxlength = NAME_LENGTH

"""Forms for adding documents to a case, notice or agreement, and removing or erasing one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import MultipleFileField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from workflows.outcomes import MAX_REASON_LENGTH

from ..models import DocumentVisibility
from ..widgets import RadioInput, SubmitInput, TextArea
from . import types


class UploadForm(FlaskForm):
    file = MultipleFileField(
        "Files",
        widget=GovFileInput(multiple=True),
        description=f"{types.ALLOWED_LIST}. You can choose several files at once.",
    )
    visibility = RadioField(
        "Who can see them?",
        widget=RadioInput(),
        choices=[
            (DocumentVisibility.PRIVATE.value, "Only Compact officers and mediators"),
            (DocumentVisibility.PARTIES.value, "Shared with the parties to the case as well"),
        ],
        default=DocumentVisibility.PRIVATE.value,
        validators=[
            InputRequired(message="Choose who can see the documents"),
        ],
    )
    submit = SubmitField("Upload", widget=SubmitInput())


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Why?",
        widget=TextArea(),
        validators=[
            InputRequired(message="Say why"),
            Length(max=MAX_REASON_LENGTH, message="Enter no more than 2000 characters"),
        ],
    )
    submit = SubmitField("Remove", widget=SubmitInput())

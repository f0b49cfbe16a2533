"""The import page's form: what kind of records, the file, and (for an administrator) the
Compact every row goes into."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import FileField, RadioField, SubmitField

from ..models import ImportKind
from ..widgets import RadioInput, SubmitInput


class UploadForm(FlaskForm):
    kind = RadioField(
        "What does the file hold?",
        widget=RadioInput(),
        validate_choice=False,
    )
    file = FileField(
        "The file",
        widget=GovFileInput(),
        description="A CSV or Excel workbook (.xlsx) with the template's headers",
    )
    submit = SubmitField("Upload and check", widget=SubmitInput())

    def __init__(self, *args, kinds: list[ImportKind], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in kinds]


class ConfirmForm(FlaskForm):
    submit = SubmitField("Import", widget=SubmitInput())

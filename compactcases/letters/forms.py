"""Forms for letters: choosing and previewing a letter, recording an acknowledgement, and an
administrator's upload of a Compact's own template."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from workflows.letters import LetterKind

from ..cases.forms import explain_bad_date
from ..widgets import CheckboxInput, DateInput, RadioInput, Select, TextInput
from .services import Meeting


class LetterForm(FlaskForm):
    kind = RadioField(
        "Which letter?",
        widget=RadioInput(),
        validate_choice=False,
        validators=[InputRequired(message="Select the letter to write")],
    )
    meeting_on = DateField(
        "Date of the meeting",
        widget=DateInput(),
        format="%d %m %Y",
        description="For an invitation. For example, 10 3 2026",
        validators=[Optional()],
    )
    meeting_time = StringField(
        "Start time",
        widget=TextInput(),
        description="For an invitation. For example, 10:30 or 2pm",
    )
    meeting_place = StringField(
        "Place, or the link to join online",
        widget=TextInput(),
        description="For an invitation",
    )
    # The case's version the letter was asked for at: a second press of "Generate" is refused.
    version = HiddenField()

    def case_version(self) -> int | None:
        """The version the letter was asked for at, if the page sent one."""
        data = (self.version.data or "").strip()
        return int(data) if data.isdigit() and len(data) <= 9 else None

    def __init__(self, *args, kinds: tuple[LetterKind, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, k.label) for k in kinds]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.meeting_on, "The date of the meeting")
        return valid

    def letter_kind(self) -> LetterKind | None:
        value = self.kind.data
        return LetterKind(value) if value in LetterKind._value2member_map_ else None

    def meeting(self) -> Meeting:
        return Meeting(
            on=self.meeting_on.data,
            time=(self.meeting_time.data or "").strip(),
            place=(self.meeting_place.data or "").strip(),
        )


class AcknowledgementForm(FlaskForm):
    acknowledged_on = DateField(
        "Date the dispute was acknowledged",
        widget=DateInput(),
        format="%d %m %Y",
        description="Today, or the day the acknowledgement was sent. For example, 27 3 2026",
        validators=[InputRequired(message="Enter the date the dispute was acknowledged")],
    )
    letter = BooleanField(
        "Also generate the acknowledgement letter to both parties", widget=CheckboxInput()
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.acknowledged_on, "The date of the acknowledgement")
        return valid


class TemplateUploadForm(FlaskForm):
    compact = SelectField(
        "Compact",
        widget=Select(),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message="Select the Compact")],
    )
    kind = RadioField(
        "Letter",
        widget=RadioInput(),
        choices=LetterKind.choices(),
        validators=[InputRequired(message="Select the letter this template is for")],
    )
    file = FileField(
        "Word template (.docx)",
        widget=GovFileInput(),
        description="It is checked against sample data now: a field that does not exist is "
        "refused with the reason",
    )

    def __init__(self, *args, compacts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compact.choices = [(0, "Select a Compact")] + [(c.id, c.name) for c in compacts]

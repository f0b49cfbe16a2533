"""Administration forms."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ..models import OrganisationType, Role, Tier
from ..widgets import CheckboxInput, DateInput, RadioInput, TextArea


class UserForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the person's name"), Length(max=120)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter an email address"), Length(max=254)],
    )
    role = RadioField(
        "Role",
        widget=RadioInput(),
        choices=Role.choices(),
        validators=[InputRequired(message="Select a role")],
    )
    compact = SelectField(
        "Compact (officers)", widget=GovSelect(), validators=[Optional()], validate_choice=False
    )
    region = SelectField(
        "Region (mediators and viewers)",
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,
    )
    organisation = SelectField(
        "Organisation (funder and organisation users)",
        widget=GovSelect(),
        validators=[Optional()],
        validate_choice=False,
    )
    lead_mediator = BooleanField(
        "Lead mediator: assigns and reassigns the region's escalated cases",
        widget=CheckboxInput(),
        description="Mediators only. Other mediators take unassigned cases themselves.",
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        description=(
            "At least 12 characters, not a common password and not the person's name or "
            "email address. Give it to the person by a separate channel."
        ),
        validators=[InputRequired(message="Enter a password"), Length(max=200)],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())


class CompactForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="Up to 8 letters, for example BIR; case references start with it",
        validators=[
            InputRequired(message="Enter a code"),
            Length(max=8, message="The code must be 8 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a name"), Length(max=120)],
    )
    tier = RadioField(
        "Tier",
        widget=RadioInput(),
        choices=Tier.choices(),
        validators=[InputRequired(message="Select a tier")],
    )
    region = SelectField(
        "Region",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired()],
        validate_choice=False,
    )
    parent = SelectField(
        "Upper-tier Compact (districts only)",
        widget=GovSelect(),
        coerce=int,
        validators=[Optional()],
        validate_choice=False,
    )
    submit = SubmitField("Save Compact", widget=GovSubmitInput())


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a name"), Length(max=160)],
    )
    type = RadioField(
        "Type",
        widget=RadioInput(),
        choices=OrganisationType.choices(),
        validators=[InputRequired(message="Select a type")],
    )
    region = SelectField(
        "Region",
        widget=GovSelect(),
        coerce=int,
        validators=[InputRequired()],
        validate_choice=False,
    )
    compact = SelectField(
        "Main Compact",
        widget=GovSelect(),
        coerce=int,
        description="Leave as none for bodies that work across the region",
        validators=[Optional()],
        validate_choice=False,
    )
    address = TextAreaField(
        "Postal address (optional)",
        widget=TextArea(),
        description="One line a line, as letters to it are addressed",
        validators=[Optional(), Length(max=500, message="Enter no more than 500 characters")],
    )
    submit = SubmitField("Save organisation", widget=GovSubmitInput())


class RegionForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="Up to 8 letters, for example WM",
        validators=[
            InputRequired(message="Enter a code"),
            Length(max=8, message="The code must be 8 characters or fewer"),
        ],
    )
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a name"), Length(max=100)],
    )
    submit = SubmitField("Save region", widget=GovSubmitInput())


class BankHolidayForm(FlaskForm):
    """Add a one-off bank holiday, or take a published (moved) one out, with the reason."""

    change = RadioField(
        "What do you want to do?",
        widget=RadioInput(),
        choices=[
            ("added", "Add a bank holiday (a one-off day, or the new date of a moved one)"),
            (
                "removed",
                "Remove a bank holiday (the old date of a moved one, or a day added by mistake)",
            ),
        ],
        validators=[InputRequired(message="Select whether to add or remove the day")],
    )
    day = DateField(
        "Date",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 8 5 2027",
        validators=[InputRequired(message="Enter the date as day, month and year")],
    )
    reason = TextAreaField(
        "Reason",
        widget=TextArea(),
        description="For example, the announcement of a one-off bank holiday",
        validators=[
            InputRequired(message="Enter the reason for the change"),
            Length(max=500, message="The reason must be 500 characters or fewer"),
        ],
    )
    submit = SubmitField("Save the change", widget=GovSubmitInput())

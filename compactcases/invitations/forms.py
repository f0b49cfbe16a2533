"""The forms of inviting a person, making an account from an invitation, and asking for a
new link."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the person's name"), Length(max=120)],
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="We send the link to make their account here. It works once.",
        validators=[InputRequired(message="Enter their email address"), Length(max=254)],
    )
    submit = SubmitField("Send the invitation", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "Choose a password",
        widget=GovPasswordInput(),
        description=(
            "At least 12 characters, not a common password and not your name or email "
            "address. A few unrelated words make a good one."
        ),
        validators=[InputRequired(message="Enter a password"), Length(max=200)],
    )
    confirm = PasswordField(
        "Type the password again",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Type the password again"), Length(max=200)],
    )
    submit = SubmitField("Make my account", widget=GovSubmitInput())


class AskForLinkForm(FlaskForm):
    email = StringField(
        "Your email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
    )
    submit = SubmitField("Ask for a new link", widget=GovSubmitInput())

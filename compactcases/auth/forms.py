"""The sign-in form and the forms of a person's own account."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..widgets import RadioInput


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password"), Length(max=200)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Your current password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your current password"), Length(max=200)],
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=(
            "At least 12 characters, not a common password and not your name or email "
            "address. A few unrelated words make a good one."
        ),
        validators=[InputRequired(message="Enter a new password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Sign out everywhere", widget=GovSubmitInput())


class CaseEmailsForm(FlaskForm):
    """Whether the person is e-mailed what happens on their cases (the inbox has it either
    way)."""

    case_emails = RadioField(
        "Case e-mails",
        widget=RadioInput(),
        description="What happens on your cases is always in your inbox.",
        choices=[
            ("on", "E-mail me what happens on my cases"),
            ("off", "Do not e-mail me: I will read them in my inbox"),
        ],
        validators=[InputRequired(message="Select whether you want case e-mails")],
    )
    submit = SubmitField("Save case e-mails", widget=GovSubmitInput())

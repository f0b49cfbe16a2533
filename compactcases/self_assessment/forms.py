"""The self-assessment return form (a yes/no question per code and structure, three texts and
two sets of themes), the form reopening a return, and the region's deadline for a year."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from workflows.self_assessment import (
    Answers,
    ChallengeTheme,
    Code,
    Structure,
    SupportTheme,
)

from ..widgets import CheckboxesInput, DateInput, RadioInput, Select, SubmitInput, TextArea

YES_NO = [("yes", "Yes"), ("no", "No")]


class _ReturnFields(FlaskForm):
    achievements = TextAreaField(
        "Achievements this year", widget=TextArea(), validators=[Optional()]
    )
    challenges = TextAreaField(
        "Challenges your Compact faces", widget=TextArea(), validators=[Optional()]
    )
    challenge_themes = SelectMultipleField(
        "Themes of the challenges",
        widget=CheckboxesInput(),
        choices=ChallengeTheme.choices(),
        description="Tick every theme that applies, so the region can count them",
        validators=[Optional()],
    )
    support = TextAreaField(
        "Support you want from the region", widget=TextArea(), validators=[Optional()]
    )
    support_themes = SelectMultipleField(
        "Themes of the support you want",
        widget=CheckboxesInput(),
        choices=SupportTheme.choices(),
        description="Tick every theme that applies",
        validators=[Optional()],
    )
    version = HiddenField()
    save = SubmitField("Save as draft", widget=SubmitInput())
    submit = SubmitField("Submit the return", widget=SubmitInput())


def _radio(label: str) -> RadioField:
    return RadioField(
        label, widget=RadioInput(), choices=YES_NO, validators=[Optional()], validate_choice=True
    )


ReturnForm = type(
    "ReturnForm",
    (_ReturnFields,),
    {
        **{f"code_{c.value}": _radio(f"{c.label} code in place?") for c in Code},
        **{f"structure_{s.value}": _radio(f"{s.label}?") for s in Structure},
    },
)
ReturnForm.__doc__ = "A Compact's return, as typed; every answer may be left blank in a draft."

CODE_FIELDS = tuple(f"code_{c.value}" for c in Code)
STRUCTURE_FIELDS = tuple(f"structure_{s.value}" for s in Structure)


def answers_from(form) -> Answers:
    """The answers the form holds (choices already checked by the form)."""
    return Answers(
        codes={c: form[f"code_{c.value}"].data or "" for c in Code},
        structures={s: form[f"structure_{s.value}"].data or "" for s in Structure},
        achievements=form.achievements.data or "",
        challenges=form.challenges.data or "",
        challenge_themes=frozenset(ChallengeTheme(t) for t in form.challenge_themes.data or ()),
        support=form.support.data or "",
        support_themes=frozenset(SupportTheme(t) for t in form.support_themes.data or ()),
    )


def fill(form, answers: Answers, version: int) -> None:
    for c in Code:
        form[f"code_{c.value}"].data = answers.codes.get(c) or None
    for s in Structure:
        form[f"structure_{s.value}"].data = answers.structures.get(s) or None
    form.achievements.data = answers.achievements
    form.challenges.data = answers.challenges
    form.challenge_themes.data = sorted(t.value for t in answers.challenge_themes)
    form.support.data = answers.support
    form.support_themes.data = sorted(t.value for t in answers.support_themes)
    form.version.data = str(version)


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Why is the return reopened?",
        widget=TextArea(),
        validators=[InputRequired(message="Enter why the return is reopened")],
    )
    version = HiddenField()
    submit = SubmitField("Reopen the return", widget=SubmitInput())


class DeadlineForm(FlaskForm):
    region = SelectField("Region", widget=Select(), validators=[InputRequired("Select a region")])
    year = SelectField(
        "Year (April to March)", widget=Select(), validators=[InputRequired("Select a year")]
    )
    due_on = DateField(
        "Returns are due by",
        widget=DateInput(),
        format="%d %m %Y",
        description="For example, 30 6 2027",
        validators=[InputRequired(message="Enter the date returns are due by")],
    )
    version = HiddenField()
    submit = SubmitField("Set the deadline", widget=SubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field, words in ((self.region, "a region"), (self.year, "a year")):
            if "Not a valid choice." in field.errors:
                field.errors = [f"Select {words} from the list"]
        if "Not a valid date value." in self.due_on.errors:
            self.due_on.errors = ["The date returns are due by must be a real date, like 30 6 2027"]
        return valid

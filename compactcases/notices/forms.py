"""Forms for recording notices, checking a planned change and filtering the notice list."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from workflows.outcomes import MAX_REASON_LENGTH
from workflows.periods import PeriodError, validate_date

from ..cases.forms import explain_bad_date
from ..cases.services import FormChoices
from ..fields import MoneyField
from ..models import NoticeKind
from ..widgets import DateInput, RadioInput
from . import services
from .lists import NoticeFilters
from .services import NoticeDetails

YES_NO = [("yes", "Yes"), ("no", "No")]


class OptionalDate:
    """Skip a date that was left wholly blank; a part-filled one is still checked."""

    def __call__(self, form, field) -> None:
        parts = field.raw_data or []
        if not any((part or "").strip() for part in parts):
            field.errors[:] = []
            field.data = None
            raise StopValidation()


def _in_range(field, name: str) -> None:
    """The Compact rules work with dates from 2000 to 2100; say so in their words."""
    if field.data is None:
        return
    try:
        validate_date(field.data, name)
    except PeriodError as error:
        text = str(error)
        raise ValidationError(text[:1].upper() + text[1:]) from None


def _date_field(label: str, hint: str) -> DateField:
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        description=hint,
        validators=[OptionalDate()],
    )


def _organisation_field(label: str, message: str) -> SelectField:
    return SelectField(
        label,
        widget=GovSelect(),
        coerce=int,
        # Checked by the form's validate_ methods, which say what is wrong.
        validate_choice=False,
        validators=[DataRequired(message=message)],
    )


class NoticeForm(FlaskForm):
    kind = RadioField(
        "What is the notice about?",
        widget=RadioInput(),
        choices=NoticeKind.choices(),
        validators=[InputRequired(message="Select what the notice is about")],
    )
    compact = _organisation_field("Local Compact", "Select the local Compact")
    title = StringField(
        "Title",
        widget=GovTextInput(),
        description="For example, ‘Youth work grant ends’",
        validators=[
            InputRequired(message="Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    funder = _organisation_field("Statutory funder", "Select the statutory funder")
    recipient = SelectField(
        "Organisation whose funding changes",
        widget=GovSelect(),
        coerce=int,
        validate_choice=False,
        description="Optional for a consultation",
    )
    notice_given_on = _date_field("Date notice was given", "For example, 1 9 2026")
    effective_on = _date_field("Date the change takes effect", "For example, 1 12 2026")
    # Nothing is pre-ticked: a notice is only judged on what the funder says of it.
    written = RadioField(
        "Was the notice given in writing?",
        widget=RadioInput(),
        choices=YES_NO,
        validate_choice=False,
    )
    reasons_given = RadioField(
        "Did the notice give the reasons for the change?",
        widget=RadioInput(),
        choices=YES_NO,
        validate_choice=False,
    )
    amount_before = MoneyField(
        "Funding before the change (£ a year, optional)",
        words="the funding before the change",
        description="Whole pounds, for example 18,000",
    )
    amount_after = MoneyField(
        "Funding after the change (£ a year, optional)",
        words="the funding after the change",
        description="Whole pounds, for example 12,000",
    )
    agreement = SelectField(
        "Funding agreement (optional)",
        widget=GovSelect(),
        coerce=int,
        validate_choice=False,
        description="Notice of ending or cutting an agreement closes its notice window",
    )
    opens_on = _date_field("Date the consultation opens", "For example, 1 9 2026")
    closes_on = _date_field("Date the consultation closes", "For example, 24 11 2026")
    version = HiddenField()
    submit = SubmitField("Record and check", widget=GovSubmitInput())

    def __init__(self, *args, choices: FormChoices, user=None, agreements=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._user = user
        self.agreement.choices = [(0, "None")] + [(a.id, str(a)) for a in agreements]
        self.compact.choices = [(0, "Select a Compact")] + [
            (c.id, c.name) for c in choices.compacts
        ]
        self._compact_ids = {c.id for c in choices.compacts}
        self._organisations = {o.id: o for o in choices.funders + choices.third_sector}
        self.funder.choices = [(0, "Select a funder")] + [(o.id, o.name) for o in choices.funders]
        self.recipient.choices = [(0, "Select an organisation")] + [
            (o.id, o.name) for o in choices.third_sector
        ]

    def validate_title(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter a title")

    def validate_compact(self, field) -> None:
        if field.data not in self._compact_ids:
            raise ValidationError("Select the local Compact")

    def validate_funder(self, field) -> None:
        organisation = self._organisations.get(field.data)
        if organisation is None:
            raise ValidationError("Select the statutory funder")
        if not organisation.is_statutory:
            raise ValidationError(f"{organisation.name} is not a statutory funder")

    def validate_recipient(self, field) -> None:
        if not field.data:
            return
        organisation = self._organisations.get(field.data)
        if organisation is None or organisation.is_statutory:
            raise ValidationError("Select a third-sector organisation")

    def validate_notice_given_on(self, field) -> None:
        _in_range(field, "notice date")

    def validate_effective_on(self, field) -> None:
        _in_range(field, "effective date")

    def validate_opens_on(self, field) -> None:
        _in_range(field, "opening date")

    def validate_closes_on(self, field) -> None:
        _in_range(field, "closing date")

    @property
    def notice_kind(self) -> NoticeKind | None:
        try:
            return NoticeKind(self.kind.data)
        except ValueError:
            return None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        labels = {
            "notice_given_on": "Date notice was given",
            "effective_on": "Date the change takes effect",
            "opens_on": "Date the consultation opens",
            "closes_on": "Date the consultation closes",
        }
        for name, label in labels.items():
            explain_bad_date(getattr(self, name), label)
        kind = self.notice_kind
        if kind is None:
            return False
        # Without JavaScript both sections show; only the chosen kind's answers count.
        for name in OTHER_SECTION[kind.is_funding]:
            self[name].errors = []
        valid = not any(field.errors for field in self)
        # The rules a notice is held to, whether it comes from this form or the API; a field
        # that could not be read already says so, and keeps that message alone.
        errors = {
            FIELD_OF.get(name, name): message
            for name, message in services.notice_errors(self.details(), self._user).items()
        }
        errors = {name: message for name, message in errors.items() if not self[name].errors}
        for name, message in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
        return valid and not errors

    def details(self) -> NoticeDetails:
        funding = self.notice_kind is None or self.notice_kind.is_funding
        return NoticeDetails(
            kind=NoticeKind(self.kind.data),
            compact_id=self.compact.data,
            funder_id=self.funder.data,
            recipient_id=self.recipient.data or None,
            title=(self.title.data or "").strip(),
            notice_given_on=self.notice_given_on.data if funding else None,
            effective_on=self.effective_on.data if funding else None,
            written=ANSWERS.get(self.written.data) if funding else None,
            reasons_given=ANSWERS.get(self.reasons_given.data) if funding else None,
            amount_before=self.amount_before.data if funding else None,
            amount_after=self.amount_after.data if funding else None,
            opens_on=None if funding else self.opens_on.data,
            closes_on=None if funding else self.closes_on.data,
            agreement_id=self.agreement.data or None,
        )

    def fill_from(self, notice) -> None:
        """Show a recorded notice's answers (a GET of the edit page)."""
        for name in (
            "title",
            "notice_given_on",
            "effective_on",
            "amount_before",
            "amount_after",
            "opens_on",
            "closes_on",
            "version",
        ):
            self[name].data = getattr(notice, name)
        self.kind.data = notice.kind.value
        self.compact.data = notice.compact_id
        self.funder.data = notice.funder_id
        self.recipient.data = notice.recipient_id or 0
        if notice.kind.is_funding:
            self.written.data = "yes" if notice.written else "no"
            self.reasons_given.data = "yes" if notice.reasons_given else "no"


ANSWERS = {"yes": True, "no": False}
# The fields of the section that does not apply, by whether the notice is a funding change.
OTHER_SECTION = {
    True: ("opens_on", "closes_on"),
    False: (
        "notice_given_on",
        "effective_on",
        "written",
        "reasons_given",
        "amount_before",
        "amount_after",
    ),
}


class WithdrawNoticeForm(FlaskForm):
    """Withdraw a notice: it stays on record, marked withdrawn, out of the compliance figures."""

    reason = TextAreaField(
        "Why is the notice being withdrawn?",
        widget=GovTextArea(),
        validators=[
            InputRequired(message="Enter why the notice is being withdrawn"),
            Length(max=MAX_REASON_LENGTH, message="Enter no more than 2000 characters"),
        ],
    )
    version = HiddenField()
    submit = SubmitField("Withdraw the notice", widget=GovSubmitInput())

    def validate_reason(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Enter why the notice is being withdrawn")


# The notice's fields by the names the form gives them.
FIELD_OF = {
    "compact_id": "compact",
    "funder_id": "funder",
    "recipient_id": "recipient",
    "agreement_id": "agreement",
}


class PlannedCheckForm(FlaskForm):
    """A planned change to check against a Compact's rules: nothing is saved."""

    compact = _organisation_field("Local Compact", "Select the local Compact")
    kind = RadioField(
        "What is planned?",
        widget=RadioInput(),
        choices=NoticeKind.choices(),
        validators=[InputRequired(message="Select what is planned")],
    )
    effective_on = _date_field(
        "Date the change would take effect, or the consultation would close",
        "Leave blank to find the earliest date. For example, 28 2 2027",
    )
    notice_on = _date_field(
        "Date notice can be given, or the consultation can open",
        "Leave blank to find the latest date. For example, 1 12 2026",
    )
    submit = SubmitField("Check", widget=GovSubmitInput())

    def __init__(self, *args, compacts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compact.choices = [(0, "Select a Compact")] + [(c.id, c.name) for c in compacts]
        self._compact_ids = {c.id for c in compacts}

    def validate_compact(self, field) -> None:
        if field.data not in self._compact_ids:
            raise ValidationError("Select the local Compact")

    def validate_effective_on(self, field) -> None:
        _in_range(field, "date")

    def validate_notice_on(self, field) -> None:
        _in_range(field, "date")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        explain_bad_date(self.effective_on, "The date the change would take effect")
        explain_bad_date(self.notice_on, "The date notice can be given")
        if self.effective_on.errors or self.notice_on.errors:
            return False
        later, earlier = self.effective_on.data, self.notice_on.data
        if later is None and earlier is None:
            self.effective_on.errors = [
                "Enter the date the change would take effect, or the date notice can be given"
            ]
            return False
        if later and earlier and later < earlier:
            self.effective_on.errors = [
                "The date the change would take effect must be the same as or after the date "
                "notice is given"
            ]
            return False
        return valid


class NoticeFilterForm(FlaskForm):
    """The notice list's filters: read from the query string, no CSRF (nothing changes)."""

    class Meta:
        csrf = False

    funder = SelectField("Funder", widget=GovSelect(), validators=[Optional()])
    compact = SelectField("Compact", widget=GovSelect(), validators=[Optional()])
    verdict = SelectField(
        "Verdict",
        widget=GovSelect(),
        choices=[("", "Any"), ("compliant", "Compliant"), ("not_compliant", "Not compliant")],
        validators=[Optional()],
    )
    kind = SelectField("Kind", widget=GovSelect(), validators=[Optional()])
    case = SelectField(
        "Case",
        widget=GovSelect(),
        choices=[("", "Any"), ("none", "No case opened yet")],
        validators=[Optional()],
    )
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def set_choices(self, choices: FormChoices) -> None:
        self.funder.choices = [("", "Any funder")] + [(str(o.id), o.name) for o in choices.funders]
        self.compact.choices = [("", "Any Compact")] + [(c.code, c.name) for c in choices.compacts]
        self.kind.choices = [("", "Any kind"), *NoticeKind.choices()]

    def filters(self) -> NoticeFilters:
        if not self.validate():
            return NoticeFilters()
        return NoticeFilters(
            funder_id=int(self.funder.data) if self.funder.data else None,
            compact=self.compact.data or None,
            compliant={"compliant": True, "not_compliant": False}.get(self.verdict.data),
            kind=NoticeKind(self.kind.data) if self.kind.data else None,
            without_case=self.case.data == "none",
        )

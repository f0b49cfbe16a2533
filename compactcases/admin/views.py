"""Administration pages: accounts, Compacts, organisations and bank holidays. Administrators
only."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.bank_holidays import Override
from workflows.reminders import MAX_ATTEMPTS

from .. import localtime
from ..bounds import page_arg
from ..extensions import db
from ..models import (
    Compact,
    Organisation,
    OrganisationType,
    Region,
    Role,
    Tier,
    User,
)
from ..policy import Action, audit, authorize
from ..reminders import inbox as reminder_inbox
from . import bank_holidays, rule_set_rows, services
from .forms import BankHolidayForm, CompactForm, OrganisationForm, RegionForm, UserForm
from .rule_set_forms import rule_set_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def administrators_only():
    authorize(current_user, Action.ADMINISTER)


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=services.list_users())


def _user_choices(form: UserForm) -> None:
    form.compact.choices = [("", "None")] + [(c.code, c.name) for c in services.list_compacts()]
    form.region.choices = [("", "None")] + [(r.code, r.name) for r in services.list_regions()]
    # Funder users belong to a statutory organisation, organisation users to a third-sector
    # one: both kinds are offered, statutory first (admin.services.check_scope holds the rule).
    organisations = db.session.scalars(
        sa.select(Organisation).order_by(Organisation.kind, Organisation.name)
    )
    form.organisation.choices = [("", "None")] + [(o.name, o.name) for o in organisations]


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    _user_choices(form)
    if form.validate_on_submit():
        try:
            user = services.create_user(
                services.NewUser(
                    email=form.email.data,
                    name=form.name.data,
                    role=Role(form.role.data),
                    password=form.password.data,
                    compact_code=form.compact.data or None,
                    region_code=form.region.data or None,
                    organisation_name=form.organisation.data or None,
                    lead_mediator=bool(form.lead_mediator.data),
                )
            )
        except services.AdminError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            audit("user_created", by=current_user.id, user_id=user.id, role=user.role.value)
            flash(f"Account created for {user.name} ({user.email})", "success")
            return redirect(url_for("admin.users"))
    form.password.data = ""
    status = 422 if form.errors else 200
    return render_template("admin/user_new.html", form=form), status


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int):
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash("You cannot deactivate your own account")
        return redirect(url_for("admin.users"))
    services.set_active(user, False)
    audit("user_deactivated", by=current_user.id, user_id=user.id)
    flash(f"{user.name} can no longer sign in", "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/activate")
def activate_user(user_id: int):
    user = _user_or_404(user_id)
    services.set_active(user, True)
    audit("user_activated", by=current_user.id, user_id=user.id)
    flash(f"{user.name} can sign in again", "success")
    return redirect(url_for("admin.users"))


@bp.get("/compacts")
def compacts():
    return render_template("admin/compacts.html", compacts=services.list_compacts())


def _compact_choices(form: CompactForm, editing: Compact | None = None) -> None:
    form.region.choices = [(r.id, r.name) for r in services.list_regions()]
    form.parent.choices = [(0, "None")] + [
        (c.id, c.name)
        for c in services.list_compacts()
        if c.tier is Tier.UPPER and c is not editing
    ]


@bp.route("/compacts/new", methods=["GET", "POST"])
@bp.route("/compacts/<code>/edit", methods=["GET", "POST"])
def edit_compact(code: str | None = None):
    compact = None
    if code is not None:
        compact = db.session.scalar(sa.select(Compact).filter_by(code=code.upper()))
        if compact is None:
            abort(404)
    form = CompactForm(obj=None)
    _compact_choices(form, compact)
    if request.method == "GET" and compact is not None:
        form.code.data, form.name.data = compact.code, compact.name
        form.tier.data = compact.tier.value
        form.region.data, form.parent.data = compact.region_id, compact.parent_id or 0
    if form.validate_on_submit():
        try:
            saved = services.save_compact(
                services.CompactDetails(
                    code=form.code.data,
                    name=form.name.data,
                    tier=Tier(form.tier.data),
                    region_id=form.region.data,
                    parent_id=form.parent.data or None,
                ),
                compact,
            )
        except services.AdminError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(f"{saved.name} saved", "success")
            return redirect(url_for("admin.compacts"))
    status = 422 if form.errors else 200
    return render_template("admin/compact_form.html", form=form, compact=compact), status


@bp.get("/organisations")
def organisations():
    page = page_arg()
    return render_template("admin/organisations.html", pagination=services.list_organisations(page))


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit_organisation(organisation_id: int | None = None):
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            abort(404)
    form = OrganisationForm()
    form.region.choices = [(r.id, r.name) for r in services.list_regions()]
    form.compact.choices = [(0, "None")] + [(c.id, c.name) for c in services.list_compacts()]
    if request.method == "GET" and organisation is not None:
        form.name.data, form.type.data = organisation.name, organisation.type.value
        form.region.data = organisation.region_id
        form.compact.data = organisation.compact_id or 0
        form.address.data = organisation.address or ""
    if form.validate_on_submit():
        try:
            saved = services.save_organisation(
                services.OrganisationDetails(
                    name=form.name.data,
                    type=OrganisationType(form.type.data),
                    region_id=form.region.data,
                    compact_id=form.compact.data or None,
                    address=form.address.data or "",
                ),
                organisation,
            )
        except services.AdminError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(f"{saved.name} saved", "success")
            return redirect(url_for("admin.organisations"))
    status = 422 if form.errors else 200
    return (
        render_template("admin/organisation_form.html", form=form, organisation=organisation),
        status,
    )


@bp.route("/compacts/<code>/rules", methods=["GET", "POST"])
def compact_rules(code: str):
    compact = rule_set_rows.get_compact(code)
    if compact is None:
        abort(404)
    rows = rule_set_rows.rule_rows(compact)
    form = rule_set_form(
        rows, request.form if request.method == "POST" else None, compact.agreement_reminders
    )
    if request.method == "POST" and form.validate():
        changed = rule_set_rows.save_rules(compact, form.wanted(), form.ladder())
        if changed:
            audit("rules_changed", by=current_user.id, compact=compact.code, rules=changed)
        flash(
            f"{compact.name}'s rules saved" if changed else "Nothing was changed",
            "success" if changed else "info",
        )
        return redirect(url_for("admin.compact_rules", code=compact.code))
    status = 422 if form.errors else 200
    return render_template(
        "admin/rules.html",
        compact=compact,
        rows=rows,
        form=form,
        inherited_ladder=rule_set_rows.inherited_ladder(compact),
    ), status


@bp.get("/reminders")
def failed_reminders():
    page = page_arg()
    return render_template(
        "admin/reminders.html",
        pagination=reminder_inbox.failed_reminders(page),
        max_attempts=MAX_ATTEMPTS,
    )


@bp.post("/reminders/<int:reminder_id>/retry")
def retry_reminder(reminder_id: int):
    if not reminder_inbox.retry_failed(reminder_id):
        abort(404)
    audit("reminder_retried", by=current_user.id, reminder_id=reminder_id)
    flash("The reminder will be sent at the next sweep", "success")
    return redirect(url_for("admin.failed_reminders"))


@bp.get("/regions")
def regions():
    return render_template("admin/regions.html", regions=services.list_regions())


@bp.route("/regions/new", methods=["GET", "POST"])
@bp.route("/regions/<code>/edit", methods=["GET", "POST"])
def edit_region(code: str | None = None):
    region = None
    if code is not None:
        region = db.session.scalar(sa.select(Region).filter_by(code=code.upper()))
        if region is None:
            abort(404)
    form = RegionForm()
    if request.method == "GET" and region is not None:
        form.code.data, form.name.data = region.code, region.name
    if form.validate_on_submit():
        try:
            saved = services.save_region(form.code.data, form.name.data, region)
        except services.AdminError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            audit("region_saved", by=current_user.id, region=saved.code)
            flash(f"{saved.name} saved", "success")
            return redirect(url_for("admin.regions"))
    status = 422 if form.errors else 200
    return render_template("admin/region_form.html", form=form, region=region), status


def _year_arg(default: int) -> int:
    raw = request.args.get("year")
    if raw is None:
        return default
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        abort(404)
    return int(raw)


@bp.route("/bank-holidays", methods=["GET", "POST"])
def bank_holidays_page():
    today = localtime.today()
    form = BankHolidayForm()
    if form.validate_on_submit():
        try:
            change = bank_holidays.change_day(
                form.day.data, Override(form.change.data), form.reason.data, current_user, today
            )
        except bank_holidays.HolidayRefused as error:
            for name, message in error.field_errors.items():
                getattr(form, name).errors = [message]
        else:
            audit(
                "bank_holiday_changed",
                by=current_user.id,
                day=change.day.isoformat(),
                change=change.change.value,
                deadlines_moved=change.deadlines_moved,
            )
            flash(_changed_message(change), "success")
            return redirect(url_for("admin.bank_holidays_page", year=change.day.year))
    year = _year_arg(today.year)
    status = 422 if form.errors else 200
    return (
        render_template(
            "admin/bank_holidays.html",
            form=form,
            year=year,
            rows=bank_holidays.year_rows(year),
            changes=bank_holidays.recent_changes(),
        ),
        status,
    )


def _changed_message(change) -> str:
    day = f"{change.day.day} {change.day:%B} {change.day.year}"
    what = (
        "is now a bank holiday"
        if change.change is Override.ADDED
        else "is no longer a bank holiday"
    )
    moved = change.deadlines_moved
    deadlines = "1 open deadline" if moved == 1 else f"{moved} open deadlines"
    return f"{day} {what}; {deadlines} moved"

"""The report e-mails page: subscribe to the regional summary, change how often, stop it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from workflows.report_periods import Frequency

from ..policy import Action, authorize
from . import services
from .forms import SubscriptionForm

bp = Blueprint("subscriptions", __name__)


@bp.route("/report-emails", methods=["GET", "POST"])
def report_emails():
    authorize(current_user, Action.SUBSCRIBE_REPORTS)
    subscription = services.subscription_for(current_user)
    form = SubscriptionForm()
    if subscription is not None and not form.is_submitted():
        form.frequency.data = subscription.frequency.value
    if form.validate_on_submit():
        frequency = Frequency(form.frequency.data)
        services.subscribe(current_user, frequency)
        flash(f"You will get the regional summary {frequency.label.lower()} by e-mail", "success")
        return redirect(url_for("subscriptions.report_emails"))
    upcoming = services.next_summary(subscription) if subscription else None
    status = 422 if form.errors else 200
    return (
        render_template(
            "subscriptions/report_emails.html",
            form=form,
            subscription=subscription,
            upcoming=upcoming,
        ),
        status,
    )


@bp.post("/report-emails/stop")
def stop_report_emails():
    authorize(current_user, Action.SUBSCRIBE_REPORTS)
    if services.unsubscribe(current_user):
        flash("You will get no more report e-mails", "success")
    return redirect(url_for("subscriptions.report_emails"))

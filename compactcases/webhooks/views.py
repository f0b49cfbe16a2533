"""Webhook endpoint pages: the list, registering one (its secret shown once), its delivery
log with "send again", a test ping, turning it off and on. Administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.webhooks import DeliveryStatus

from ..bounds import page_arg
from ..policy import Action, audit, authorize
from . import endpoints
from .forms import EndpointForm

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@bp.before_request
def administrators_only():
    authorize(current_user, Action.ADMINISTER)


@bp.get("")
def index():
    return render_template("webhooks/index.html", endpoints=endpoints.list_endpoints())


@bp.route("/new", methods=["GET", "POST"])
def new_endpoint():
    form = EndpointForm()
    form.organisation.choices = [(0, "Select an organisation")] + [
        (o.id, o.name) for o in endpoints.funders()
    ]
    if request.method == "POST":
        # Every error at once: the form's own and the address and event rules.
        form.validate()
        details = form.details()
        form.show_errors(endpoints.endpoint_errors(details))
        if not any(field.errors for field in form):
            endpoint, secret = endpoints.create_endpoint(details, current_user)
            audit("webhook_endpoint_created", user_id=current_user.id, endpoint_id=endpoint.id)
            # Shown once, on this page, never again: not in a redirect's flash or a log.
            return render_template("webhooks/created.html", endpoint=endpoint, secret=secret)
    status = 422 if any(field.errors for field in form) else 200
    return render_template("webhooks/new.html", form=form), status


def _endpoint(endpoint_id: int):
    endpoint = endpoints.get_endpoint(endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/<int:endpoint_id>")
def show_endpoint(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    return render_template(
        "webhooks/show.html",
        endpoint=endpoint,
        pagination=endpoints.deliveries(endpoint, page_arg()),
        again=(DeliveryStatus.DELIVERED, DeliveryStatus.FAILED),
    )


@bp.post("/<int:endpoint_id>/ping")
def ping(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    endpoints.ping(endpoint, current_user)
    flash("Test ping queued: it is sent within a few minutes, by the next sweep", "success")
    return redirect(url_for("webhooks.show_endpoint", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/deliveries/<int:delivery_id>/again")
def send_again(endpoint_id: int, delivery_id: int):
    endpoint = _endpoint(endpoint_id)
    if endpoints.send_again(endpoint, delivery_id):
        flash("Delivery queued to be sent again by the next sweep", "success")
    else:
        flash("That delivery is already waiting to be sent", "info")
    return redirect(url_for("webhooks.show_endpoint", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/active")
def set_active(endpoint_id: int):
    endpoint = _endpoint(endpoint_id)
    active = request.form.get("active") == "on"
    endpoints.set_active(endpoint, active)
    audit("webhook_endpoint_active", user_id=current_user.id, endpoint_id=endpoint.id, on=active)
    flash("Endpoint turned on" if active else "Endpoint turned off: it is sent nothing", "success")
    return redirect(url_for("webhooks.show_endpoint", endpoint_id=endpoint.id))

"""Webhooks' rules: the event types, where an endpoint may point, and when a failed delivery
is tried again. Plain values only (the standard library's `ipaddress` and `urllib.parse`).
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from .labels import LabelledEnum

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URL_LENGTH = 2000


class WebhookEventType(LabelledEnum):
    CASE_CREATED = "case.created", "A case is logged"
    CASE_STATE_CHANGED = "case.state_changed", "A case moves to another state"
    CASE_OUTCOME_RECORDED = "case.outcome_recorded", "A case's outcome is recorded"
    NOTICE_RECORDED = "notice.recorded", "A notice is recorded"
    NOTICE_NON_COMPLIANT = "notice.non_compliant", "A notice is found not to keep the Compact"
    AGREEMENT_WINDOW_CLOSING = (
        "agreement.window_closing",
        "A funding agreement's notice window is closing",
    )
    AGREEMENT_WINDOW_MISSED = (
        "agreement.window_missed",
        "A funding agreement's notice window was missed",
    )
    # Sent only when an administrator asks for a test ping; never subscribed to.
    PING = "webhook.ping", "A test ping"


SUBSCRIBABLE = tuple(t for t in WebhookEventType if t is not WebhookEventType.PING)


class DeliveryStatus(LabelledEnum):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


def _is_loopback_host(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_refusal(address: str, allow_loopback: bool) -> str | None:
    """Why a receiver at the IP ``address`` may not be called, or None: loopback only when
    allowed; never a private, link-local, multicast, reserved or unspecified address."""
    ip = ipaddress.ip_address(address)
    if ip.is_loopback:
        return None if allow_loopback else f"{address} is this machine (loopback)"
    if ip.is_private or ip.is_link_local or ip.is_multicast or ip.is_reserved:
        return f"{address} is a private or internal address"
    if ip.is_unspecified:
        return f"{address} is not an address a receiver can have"
    return None


def url_refusal(url: str, allow_loopback: bool) -> str | None:
    """Why ``url`` may not be an endpoint, or None: it must be https (plain http only to this
    machine, when ``allow_loopback``), carry no user name or password, and name a host that is
    not a private address written as an IP. Host names are resolved when delivering."""
    if len(url) > MAX_URL_LENGTH:
        return f"Enter an address of at most {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "Enter a full web address, such as https://grants.example.org/hooks"
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return "Enter a full web address starting with https://"
    if parts.username is not None or parts.password is not None:
        return "The address must not contain a user name or password"
    if port == 0:
        return "Enter a port between 1 and 65535"
    loopback = _is_loopback_host(host)
    if parts.scheme == "http" and not (loopback and allow_loopback):
        return "The address must start with https://"
    if loopback:
        return None if allow_loopback else "The address must not point at this server"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    refusal = address_refusal(host, allow_loopback)
    return f"The address must not point inside a network: {refusal}" if refusal else None


# Waits after the 1st, 2nd, ... failed attempt: a minute, then doubling, at most six hours.
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def retry_after(attempts: int, max_attempts: int) -> timedelta | None:
    """How long to wait after ``attempts`` failed attempts before the next; None once
    ``max_attempts`` have failed (the delivery has failed for good)."""
    if attempts >= max_attempts:
        return None
    return min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)

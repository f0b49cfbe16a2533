"""Signing in under attack: guessing slowed down without locking the owner out, the client's
address read from trusted proxies only, and the same work for known and unknown accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine

from compactcases import create_app
from compactcases.auth import passwords
from compactcases.config import TestConfig
from tests.app.test_case_pages import field_error
from tests.conftest import PASSWORD, Browser

NOW = datetime(2026, 11, 28, 10, 0)


def from_address(app, address: str) -> Browser:
    browser = Browser(app, app.test_client())
    browser.client.environ_base["REMOTE_ADDR"] = address
    return browser


def try_sign_in(browser: Browser, email: str, password: str):
    return browser.submit("/sign-in", "/sign-in", {"email": email, "password": password})


def test_the_wait_doubles_with_each_failure_up_to_the_cap(app, world):
    attacker = from_address(app, "198.51.100.7")
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            assert try_sign_in(attacker, world.officer.email, "guess").status_code == 401
        waits = []
        for _ in range(14):
            refused = try_sign_in(attacker, world.officer.email, "guess")
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            clock.shift(timedelta(seconds=waits[-1]))
            assert try_sign_in(attacker, world.officer.email, "guess").status_code == 401
    assert waits[:5] == [1, 2, 4, 8, 16]
    assert max(waits) == app.config["SIGN_IN_THROTTLE_MINUTES"] * 60
    assert "Wait 15 minutes" in field_error(refused, "email")


def test_guesses_at_an_account_do_not_lock_its_owner_out(app, world):
    owner = from_address(app, "203.0.113.10")
    with time_machine.travel(NOW, tick=False):
        owner.sign_in(world.officer)
        owner.sign_out()
        attacker = from_address(app, "198.51.100.7")
        for _ in range(5):
            try_sign_in(attacker, world.officer.email, "guess")
        # The attacker, even with the right password, and a new address are made to wait...
        assert try_sign_in(attacker, world.officer.email, PASSWORD).status_code == 429
        assert (
            try_sign_in(from_address(app, "192.0.2.1"), world.officer.email, PASSWORD).status_code
            == 429
        )
        # ...but the owner, from where they signed in before, is not.
        assert try_sign_in(owner, world.officer.email, PASSWORD).status_code == 302


def test_many_failures_from_a_shared_address_do_not_lock_out_its_regular_users(app, world):
    """An office behind one address: someone spraying guesses from it does not stop the
    administrator who signs in from there."""
    office = "203.0.113.20"
    with time_machine.travel(NOW, tick=False):
        from_address(app, office).sign_in(world.admin)
        sprayer = from_address(app, office)
        for n in range(20):
            try_sign_in(sprayer, f"guess{n}@example.org", "guess")
        assert try_sign_in(sprayer, "another@example.org", "guess").status_code == 429
        # A newcomer at that address waits; the administrator does not.
        assert (
            try_sign_in(from_address(app, office), world.officer.email, PASSWORD).status_code == 429
        )
        assert (
            try_sign_in(from_address(app, office), world.admin.email, PASSWORD).status_code == 302
        )


def test_a_success_starts_the_count_again(app, world):
    browser = from_address(app, "203.0.113.30")
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            try_sign_in(browser, world.officer.email, "guess")
        browser.sign_in(world.officer)
        browser.sign_out()
        for _ in range(4):
            assert try_sign_in(browser, world.officer.email, "guess").status_code == 401
        assert try_sign_in(browser, world.officer.email, PASSWORD).status_code == 302


def test_the_client_address_comes_from_trusted_proxies_only(app, world, db):
    """Behind one proxy, the address it saw is the client's; without trusted proxies, a
    client's own X-Forwarded-For changes nothing."""

    class BehindOneProxy(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        TRUSTED_PROXY_COUNT = 1

    seen = {}

    def remember_address():
        from flask import request

        seen["address"] = request.remote_addr

    for config, expected in ((BehindOneProxy, "198.51.100.9"), (None, "127.0.0.1")):
        instance = create_app(config) if config else app
        instance.before_request_funcs.setdefault(None, []).insert(0, remember_address)
        try:
            instance.test_client().get("/healthz", headers={"X-Forwarded-For": "198.51.100.9"})
        finally:
            instance.before_request_funcs[None].remove(remember_address)
        assert seen["address"] == expected


def test_an_unknown_email_costs_the_same_password_check_as_a_known_one(
    anonymous, world, monkeypatch
):
    checks = []
    real_check = passwords.check_password_hash

    def counted(password_hash: str, password: str) -> bool:
        checks.append(password_hash.split("$", 1)[0])
        return real_check(password_hash, password)

    monkeypatch.setattr(passwords, "check_password_hash", counted)
    try_sign_in(anonymous, world.officer.email, "not the password")
    try_sign_in(anonymous, "nobody@example.org", "not the password")
    world.viewer.active = False
    try_sign_in(anonymous, world.viewer.email, PASSWORD)
    # Each attempt hashed once, with the same method and cost as a real account's hash.
    method = anonymous.app.config["PASSWORD_HASH_METHOD"]
    assert checks == [method, method, method]

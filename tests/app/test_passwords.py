"""The password rule: long, not common, not one character repeated, not the account's own
name or e-mail address; the reason is shown beside the field wherever a password is set."""

from __future__ import annotations

import html

import pytest

from compactcases.auth.passwords import common_passwords, password_problem
from tests.app.test_case_pages import field_error

NAME, EMAIL = "Ruth Ellis", "ruth.ellis@example.org"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 12 characters"),
        ("aaaaaaaaaaaa", "one character repeated"),
        (" " * 12, "one character repeated"),
        ("password1234", "most common passwords"),
        ("Password1234!", "most common passwords"),
        ("qwertyuiop12", "most common passwords"),
        ("123456789012", "characters in order"),
        ("zyxwvutsrqpo", "characters in order"),
        ("1234iloveyou", "most common passwords"),
        ("ruthellis2026", "name or email address"),
        ("Ruth Ellis is great", "name or email address"),
        ("ruth.ellis@example.org", "name or email address"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    assert reason in password_problem(password, name=NAME, email=EMAIL)


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "lantern orchard velvet 42", "Tq7#vz-2mWp9x"]
)
def test_good_passwords_are_accepted(password):
    assert password_problem(password, name=NAME, email=EMAIL) is None


def test_the_shipped_list_holds_ten_thousand_common_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"password", "123456", "qwerty", "iloveyou", "qwertyuiop"} <= common


def test_the_admin_form_shows_the_reason_beside_the_password(anonymous, world):
    anonymous.sign_in(world.admin)
    form = {
        "name": NAME,
        "email": EMAIL,
        "role": "officer",
        "compact": "BIR",
        "region": "",
        "organisation": "",
    }
    for password, reason in [
        ("aaaaaaaaaaaa", "The password must not be one character repeated"),
        ("password1234", "The password is one of the most common passwords"),
        ("ruthellis1234", "The password must not contain the account's name or email address"),
    ]:
        refused = anonymous.submit(
            "/admin/users/new", "/admin/users/new", {**form, "password": password}
        )
        assert refused.status_code == 422
        assert html.unescape(field_error(refused, "password")).startswith(reason)


def test_the_users_command_refuses_a_common_password(app, world):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "jo@example.org",
            "--name",
            "Jo Price",
            "--role",
            "mediator",
            "--region",
            "WM",
            "--password-stdin",
        ],
        input="password1234\n",
    )
    assert result.exit_code == 2
    assert "--password: The password is one of the most common passwords" in result.output

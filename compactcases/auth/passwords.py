"""The password rule and password checking, the same for every way a password is set or tried.

The rule follows the NCSC's and NIST SP 800-63B's advice: length over composition, and no
password that is on a list of the most common ones (also with digits or symbols added at
either end, the usual way people stretch a short password), one character repeated, or the
account's own name or e-mail address.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")
# Characters people add around a word to meet a length or composition rule.
_PADDING = "0123456789!@#$%^&*()_+-=.,?~ "


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _is_run(text: str) -> bool:
    """Whether each character follows the one before it, all up or all down: 123456789012
    (digits wrap round), fedcba."""

    def step(before: str, after: str) -> int | None:
        if before.isdigit() and after.isdigit():
            return (int(after) - int(before)) % 10
        return {1: 1, -1: 9}.get(ord(after) - ord(before))

    return {step(before, after) for before, after in pairwise(text)} in ({1}, {9})


def password_problem(password: str, *, name: str = "", email: str = "") -> str | None:
    """Why the password may not be used, as a sentence for beside the field; None if it may."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"The password must be {MAX_LENGTH} characters or fewer"
    if len(set(password)) == 1:
        return "The password must not be one character repeated"
    if _is_run(password.casefold()):
        return "The password must not be characters in order, like 123456 or abcdef"
    lowered = password.casefold()
    unpadded = {lowered.strip(_PADDING), lowered.rstrip(_PADDING), lowered.lstrip(_PADDING)}
    if {lowered, *unpadded} & common_passwords():
        return "The password is one of the most common passwords: choose one harder to guess"
    plain = _letters_and_digits(password)
    own = [_letters_and_digits(name), _letters_and_digits(email.split("@")[0])]
    if (email and email.casefold() in lowered) or any(len(p) >= 4 and p in plain for p in own):
        return "The password must not contain the account's name or email address"
    return None


def hash_password(password: str, method: str) -> str:
    return generate_password_hash(password, method=method)


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("not anybody's password", method=method)


def verify(password_hash: str | None, password: str, method: str) -> bool:
    """Whether the password matches the hash. Without a hash (no such account, or none set)
    the same work is done against a dummy hash, so the answer takes as long either way."""
    if password_hash is None:
        check_password_hash(_dummy_hash(method), password)
        return False
    return check_password_hash(password_hash, password)

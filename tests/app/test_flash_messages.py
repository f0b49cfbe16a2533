"""Every message the app can flash shows as words in its banner, never as escaped markup.

The messages are found in the source (every `flash(` call in compactcases/), so a new one is
covered the day it is written.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "compactcases"
# What a value interpolated into a message stands for here: a name with an apostrophe, as
# real names have, which autoescape turns into an entity once (and only once).
SAMPLE_VALUE = "Margaret O'Neill"


def _texts(node: ast.expr) -> list[str]:
    """Every message (or category) a flash argument can be, with each interpolated value as
    SAMPLE_VALUE: both branches of a conditional."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(
                part.value if isinstance(part, ast.Constant) else SAMPLE_VALUE
                for part in node.values
            )
        ]
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return [SAMPLE_VALUE]


def flash_calls() -> list[tuple[str, str, str]]:
    """(where, message, category) for every message a flash() call in the package can show."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "flash"
            ):
                continue
            messages = _texts(node.args[0])
            categories = _texts(node.args[1]) if len(node.args) > 1 else ["message"]
            if len(categories) == 1:
                categories = categories * len(messages)
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            for n, (message, category) in enumerate(zip(messages, categories, strict=True)):
                found.append((f"{where}:{n}" if len(messages) > 1 else where, message, category))
    return found


FLASHES = flash_calls()


def test_every_flash_call_is_found():
    # Guards the search itself: the app flashes on logging, editing, notes, clocks, admin...
    assert len(FLASHES) >= 25
    assert {category for _, _, category in FLASHES} >= {"success", "message"}


def _banner_headings(page: str) -> list[str]:
    return re.findall(r'<p class="govuk-notification-banner__heading">(.*?)</p>', page, flags=re.S)


@pytest.mark.parametrize(("where", "message", "category"), FLASHES, ids=[f[0] for f in FLASHES])
def test_flash_message_shows_as_words(browser, where, message, category):
    with browser.client.session_transaction() as session:
        session["_flashes"] = [(category, message)]
    page = browser.get("/account").get_data(as_text=True)

    assert "&lt;" not in page
    headings = _banner_headings(page)
    assert [html.unescape(h).strip() for h in headings] == [message]
    banner = page[page.index("govuk-notification-banner") :]
    if category == "success":
        assert banner.startswith("govuk-notification-banner govuk-notification-banner--success")


def test_markup_typed_by_a_person_is_shown_as_typed(browser):
    """A flashed value a person typed (a case title, a name) is escaped once: its angle
    brackets show as characters, not as tags, and not as doubly escaped entities."""
    with browser.client.session_transaction() as session:
        session["_flashes"] = [("success", "Case <b>BIR-2026-0001</b> saved")]
    page = browser.get("/account").get_data(as_text=True)

    assert _banner_headings(page) == ["Case &lt;b&gt;BIR-2026-0001&lt;/b&gt; saved"]
    assert "&amp;lt;" not in page

"""Form widgets remember their HTML only for exactly the parameters it was rendered from: a
remembered page is the same page, errors and typed values are never served from another
request, and the memory stays bounded."""

from __future__ import annotations

import re

from markupsafe import Markup

from compactcases import widgets
from tests.conftest import csrf_token


def _without_tokens(html: str) -> str:
    # A CSRF token is signed with the time, so two renders a second apart differ there.
    return re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", html)


def test_a_page_from_remembered_widgets_is_the_page_rendered_afresh(browser):
    widgets.rendered.clear()
    fresh = browser.get("/cases?state=raised&q=youth").get_data(as_text=True)
    assert widgets.rendered.entries
    remembered = browser.get("/cases?state=raised&q=youth").get_data(as_text=True)
    assert _without_tokens(remembered) == _without_tokens(fresh)
    other = browser.get("/cases?state=resolved&q=grant").get_data(as_text=True)
    assert 'value="grant"' in other
    assert 'value="resolved" selected' in other
    assert 'value="youth"' not in other


def test_an_error_shown_once_is_not_shown_again(browser, make_case):
    case = make_case()
    page = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    refused = browser.post(
        f"/cases/{case.reference}/notes", data={"csrf_token": csrf_token(page), "text": ""}
    )
    assert refused.status_code == 422
    assert "govuk-error-message" in refused.get_data(as_text=True)
    again = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "govuk-error-message" not in again


def test_markup_and_plain_text_are_remembered_apart():
    assert widgets._frozen({"html": Markup("<b>x</b>")}) != widgets._frozen({"html": "<b>x</b>"})
    assert widgets._frozen({"a": 1, "b": 2}) != widgets._frozen({"b": 2, "a": 1})
    assert widgets._frozen([True]) != widgets._frozen([1])


def test_long_text_and_unknown_values_are_rendered_afresh():
    for params in ({"value": "x" * (widgets.LONGEST_TEXT + 1)}, {"value": object()}):
        try:
            widgets._frozen(params)
        except widgets._Uncacheable:
            continue
        raise AssertionError(f"{params!r} would be remembered")


def test_the_memory_is_bounded():
    memory = widgets._RenderedHTML(size=3)
    for n in range(5):
        memory.put((n,), Markup(str(n)))
    assert list(memory.entries) == [(2,), (3,), (4,)]
    assert memory.get((0,)) is None
    assert memory.get((2,)) == "2"
    memory.put((5,), Markup("5"))
    assert list(memory.entries) == [(4,), (2,), (5,)]

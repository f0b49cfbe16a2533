"""Every group of radios, checkboxes or date boxes on a form asks its question in a legend."""

from __future__ import annotations

import re

import pytest

PAGES = {
    "officer": ["/cases/new", "/cases/{reference}/resolve", "/notices/check", "/cases/{reference}"],
    "admin": [
        "/notices/new",
        "/admin/users/new",
        "/admin/compacts/new",
        "/reports",
        "/admin/bank-holidays",
        "/admin/webhooks/new",
    ],
    "viewer": ["/report-emails"],
}


@pytest.mark.parametrize(
    ("role", "url"), [(role, url) for role, urls in PAGES.items() for url in urls]
)
def test_every_fieldset_has_its_question_as_legend(anonymous, world, make_case, role, url):
    case = make_case()
    anonymous.sign_in(getattr(world, role))
    html = anonymous.get(url.format(reference=case.reference)).get_data(as_text=True)
    fieldsets = re.findall(r"<fieldset\b.*?</fieldset>", html, flags=re.S)
    assert fieldsets, f"no fieldset on {url}"
    for fieldset in fieldsets:
        legend = re.search(r"<legend\b[^>]*>(.*?)</legend>", fieldset, flags=re.S)
        assert legend, f"a fieldset on {url} has no legend"
        words = re.sub(r"<[^>]+>", "", legend.group(1)).strip()
        assert words, f"a legend on {url} is empty"

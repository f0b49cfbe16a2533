"""The rule-set page: overrides validated, inheritance shown, and notices rechecked."""

from __future__ import annotations

from datetime import date

import pytest

from compactcases.models import CompactRule, Notice
from tests.app.test_case_pages import field_error, text
from tests.app.test_notice_pages import answer, check, make_notice

BLANK = {
    f"{name}_{part}": ""
    for name in (
        "funding_notice",
        "consultation",
        "acknowledge",
        "local_conciliation",
        "regional_mediation",
        "invoice_payment",
    )
    for part in ("count",)
}


def save_rules(browser, code: str, **fields):
    url = f"/admin/compacts/{code}/rules"
    return browser.submit(url, url, {**BLANK, **fields})


def test_rule_page_shows_what_each_rule_inherits_and_from_where(browser, world):
    page = text(browser.get("/admin/compacts/BIR/rules"))
    assert "Inherits 3 calendar months (national default)" in page
    assert "Inherits 12 weeks (national default)" in page
    assert "Not adopted unless set here" in page


def test_a_zero_or_negative_period_is_refused_and_nothing_saved(browser, world, db):
    for bad in ("0", "-3", "2.5"):
        response = save_rules(
            browser, "BIR", funding_notice_count=bad, funding_notice_unit="months"
        )
        assert response.status_code == 422
        assert field_error(response, "funding_notice_count") == (
            "Enter a whole number from 1 to 9999, or leave it blank to inherit"
        )
    assert db.session.scalar(db.select(db.func.count(CompactRule.id))) == 0


def test_an_override_changes_the_check_and_rechecks_recorded_notices(browser, world, db):
    notice = make_notice(world, effective_on=date(2026, 12, 1))  # 3 months from 1 September
    assert notice.compliant

    saved = save_rules(browser, "BIR", funding_notice_count="6", funding_notice_unit="months")
    assert saved.status_code == 302
    assert "Birmingham's rules saved" in text(browser.get("/admin/compacts/BIR/rules"))

    # Six months back from 28 February 2027 is the last day of August.
    assert answer(check(browser, world, effective_on=["28", "2", "2027"])) == "31 August 2026"
    db.session.expire_all()
    rechecked = db.session.get(Notice, notice.id)
    assert (rechecked.compliant, rechecked.required_period, rechecked.shortfall_days) == (
        False,
        "6 calendar months",
        90,
    )
    assert "Not compliant" in text(browser.get(f"/notices/{notice.id}"))

    # Blank again: back to the national default.
    save_rules(browser, "BIR")
    assert answer(check(browser, world, effective_on=["28", "2", "2027"])) == "30 November 2026"
    db.session.expire_all()
    assert db.session.get(Notice, notice.id).compliant


def test_a_district_inherits_its_county_rules(browser, world):
    save_rules(browser, "WAR", acknowledge_count="10", acknowledge_unit="working_days")
    page = text(browser.get("/admin/compacts/RUG/rules"))
    assert "Inherits 10 working days (Warwickshire)" in page


def test_unknown_compact_is_a_404(browser, world):
    assert browser.get("/admin/compacts/XYZ/rules").status_code == 404


@pytest.fixture
def browser(anonymous, world):
    """Rule sets are the administrator's: these pages are used signed in as one."""
    anonymous.sign_in(world.admin, stay=True)
    return anonymous


def test_the_compacts_list_links_to_each_rule_set(browser, world):
    html = browser.get("/admin/compacts").get_data(as_text=True)
    assert 'href="/admin/compacts/BIR/rules"' in html
    assert 'href="/admin/compacts/RUG/rules"' in html

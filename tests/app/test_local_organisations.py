"""An officer adds a local third-sector organisation from the case form, as a person would:
what was typed on the case form is kept throughout, and the case form comes back with the new
organisation chosen. Organisation pickers list the case's Compact's organisations first."""

from __future__ import annotations

import re
from html import unescape

import pytest

from compactcases.models import Case, Organisation, OrganisationKind
from tests.app.test_case_pages import NEW_CASE, field_error, new_case_form, text
from tests.conftest import csrf_token


def options(html: str, name: str) -> list[str]:
    """The option labels of the select named `name`, in order."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select[1])]


def selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    found = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', select[1])
    return found[1] if found else None


def press_add(browser, page: str, data: dict, url: str = "/organisations/new"):
    """Press "Not listed? Add a local organisation" on the case form at `page`."""
    token = csrf_token(browser.get(page).get_data(as_text=True))
    return browser.post(url, data={"csrf_token": token, "add_organisation": "1", **data})


def carried(response) -> dict:
    """The hidden fields of the add page (the case form's answers travelling on)."""
    html = response.get_data(as_text=True)
    fields: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html):
        if name != "csrf_token":
            # As a browser sends it: the page's character references read back.
            fields.setdefault(name, []).append(unescape(value))
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


def add(browser, response, url="/organisations/new", **fields):
    data = {
        **carried(response),
        "organisation-name": "",
        "organisation-type": "community_group",
        "organisation-compact": "",
        **{f"organisation-{k}": v for k, v in fields.items()},
    }
    token = csrf_token(response.get_data(as_text=True))
    return browser.post(url, data={"csrf_token": token, **data})


def test_an_officer_adds_a_group_and_returns_to_the_case_form_with_it_chosen(browser, world, db):
    typed = new_case_form(world, third_sector="0", amount_at_stake="£18,000")
    page = press_add(browser, "/cases/new", typed)
    assert page.status_code == 200
    assert "Add a local organisation" in text(page)
    # The Compact chosen on the case form is the one offered.
    assert selected(page.get_data(as_text=True), "organisation-compact") == str(world.bir.id)

    blank = add(browser, page, name="  ", compact=str(world.bir.id))
    assert blank.status_code == 422
    assert field_error(blank, "organisation-name") == "Enter the name of the organisation"
    taken = add(browser, blank, name="sparkbrook youth project", compact=str(world.bir.id))
    assert taken.status_code == 422
    assert field_error(taken, "organisation-name") == (
        "Sparkbrook Youth Project is already listed: choose it on the case form"
    )
    untyped = add(browser, taken, name="Balsall Heath Lunch Club", type="", compact="0")
    assert untyped.status_code == 422
    assert field_error(untyped, "organisation-type") == "Select what kind of organisation it is"

    back = add(browser, untyped, name=" Balsall Heath  Lunch Club ", compact=str(world.bir.id))
    assert back.status_code == 200
    html = back.get_data(as_text=True)
    added = db.session.scalar(db.select(Organisation).filter_by(name="Balsall Heath Lunch Club"))
    assert added.kind is OrganisationKind.THIRD_SECTOR
    assert (added.compact_id, added.region_id) == (world.bir.id, world.region.id)
    assert "Balsall Heath Lunch Club added to the list" in text(back)
    # The case form as it was left, with the new organisation chosen.
    assert selected(html, "third_sector") == str(added.id)
    assert f'value="{NEW_CASE["title"]}"' in unescape(html)
    assert 'value="£18,000"' in html
    assert 'action="/cases/new"' in html

    token = csrf_token(html)
    saved = browser.post(
        "/cases/new", data={**typed, "third_sector": str(added.id), "csrf_token": token}
    )
    assert saved.status_code == 302
    case = db.session.scalar(db.select(Case))
    assert (case.third_sector_id, case.amount_at_stake) == (added.id, 18000)


def test_a_name_taken_in_another_region_asks_for_the_place(browser, world, db):
    page = press_add(browser, "/cases/new", new_case_form(world))
    other = Organisation(
        name="Lunch Club",
        kind=OrganisationKind.THIRD_SECTOR,
        type=world.youth.type,
        region=world.other_region,
    )
    db.session.add(other)
    db.session.commit()
    taken = add(browser, page, name="Lunch club", compact=str(world.bir.id))
    assert field_error(taken, "organisation-name") == (
        "An organisation called Lunch Club is listed in another region; add the place to the "
        "name to tell them apart"
    )


def test_returning_without_adding_keeps_the_case_form(browser, world, db):
    page = press_add(browser, "/cases/new", new_case_form(world, title="Kept as typed"))
    back = add(browser, page, name="", cancel="1")
    assert back.status_code == 200
    assert 'value="Kept as typed"' in back.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Organisation.id))) == len(world.organisations)


def test_an_organisation_added_while_editing_a_case_returns_to_its_edit_form(
    browser, world, make_case, db
):
    case = make_case()
    page_url = f"/cases/{case.reference}/edit"
    url = f"/organisations/new?case={case.reference}"
    form = new_case_form(world, title="Edited title", version=str(case.version))
    page = press_add(browser, page_url, form, url)
    assert page.status_code == 200
    back = add(browser, page, url, name="Handsworth Elders", compact=str(world.bir.id))
    html = back.get_data(as_text=True)
    assert back.status_code == 200
    assert f'action="/cases/{case.reference}/edit"' in html
    assert 'value="Edited title"' in html
    assert re.search(rf'name="version"[^>]*value="{case.version}"', html)


@pytest.mark.parametrize("role", ["funder", "viewer", "mediator"])
def test_only_officers_and_administrators_add_organisations(anonymous, world, role):
    anonymous.sign_in(getattr(world, role))
    token = csrf_token(anonymous.get("/notices").get_data(as_text=True))
    refused = anonymous.post(
        "/organisations/new", data={"csrf_token": token, "organisation-name": "Sneaky"}
    )
    assert refused.status_code == 403


def test_the_case_form_offers_the_button_and_lists_local_organisations_first(anonymous, world):
    anonymous.sign_in(world.officer_war)
    html = anonymous.get("/cases/new").get_data(as_text=True)
    assert "Not listed? Add a local organisation" in html
    assert 'data-module="app-autocomplete"' in html
    assert options(html, "third_sector")[1:] == [
        "Rugby Voluntary Action",
        "Ladywood Community Food Bank",
        "Sparkbrook Youth Project",
    ]


def test_a_birmingham_case_lists_birmingham_organisations_first(browser, world):
    html = browser.get("/cases/new").get_data(as_text=True)
    assert options(html, "third_sector")[1:] == [
        "Ladywood Community Food Bank",
        "Sparkbrook Youth Project",
        "Rugby Voluntary Action",
    ]

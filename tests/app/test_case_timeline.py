"""A long timeline: the case page and the API show the latest 50 entries and page to older ones."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from compactcases.models import CaseEvent, CaseEventKind
from tests.conftest import counting_statements

from .test_api import assert_problem, bearer, token_for
from .test_case_pages import text


def add_notes(db, case, count: int, *, private_every: int = 0, actors=()) -> None:
    """`count` notes after the case was logged, one a minute, "Note 1" the oldest."""
    start = db.session.scalar(
        sa.select(sa.func.max(CaseEvent.occurred_at)).where(CaseEvent.case_id == case.id)
    )
    db.session.add_all(
        CaseEvent(
            case_id=case.id,
            kind=CaseEventKind.NOTE,
            reason=f"Note {n}",
            private=bool(private_every) and n % private_every == 0,
            occurred_at=start + timedelta(minutes=n),
            actor_id=actors[n % len(actors)].id if actors else None,
        )
        for n in range(1, count + 1)
    )
    db.session.commit()


def shown_notes(response) -> list[str]:
    """The notes the page's timeline shows, in the order shown."""
    html = response.get_data(as_text=True)
    timeline = html[html.index('id="timeline"') : html.index("</main>")]
    return re.findall(r"Note \d+", timeline)


def link(response, text_shown: str) -> str | None:
    """The href of the link with `text_shown`, or None."""
    html = response.get_data(as_text=True)
    match = re.search(
        rf'<a [^>]*href="([^"]+)"[^>]*>\s*<span[^>]*>{re.escape(text_shown)}</span>', html
    )
    return match.group(1).replace("&amp;", "&") if match else None


def test_a_long_timeline_shows_the_latest_50_and_links_to_older_entries(browser, make_case, db):
    case = make_case()
    add_notes(db, case, 119)  # with "Case logged", 120 entries

    latest = browser.get(f"/cases/{case.reference}")
    assert shown_notes(latest) == [f"Note {n}" for n in range(119, 69, -1)]
    assert "Latest entries: 1 to 50 of 120, newest first." in text(latest)
    assert link(latest, "Show newer entries") is None
    older = link(latest, "Show older entries")
    assert older == f"/cases/{case.reference}?events_page=2#timeline-heading"

    second = browser.get(older)
    assert second.status_code == 200
    assert shown_notes(second) == [f"Note {n}" for n in range(69, 19, -1)]
    assert "Older entries: 51 to 100 of 120, newest first." in text(second)
    assert link(second, "Show newer entries") == f"/cases/{case.reference}#timeline-heading"

    oldest = browser.get(link(second, "Show older entries"))
    assert shown_notes(oldest) == [f"Note {n}" for n in range(19, 0, -1)]
    assert "Case logged" in text(oldest)[text(oldest).index("Timeline") :]
    assert link(oldest, "Show older entries") is None
    assert link(oldest, "Show newer entries").endswith("?events_page=2#timeline-heading")


def test_the_timeline_links_are_a_labelled_navigation_landmark(browser, make_case, db):
    case = make_case()
    add_notes(db, case, 60)
    html = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert '<nav class="govuk-pagination govuk-pagination--block" aria-label="Timeline pages"' in (
        html
    )
    assert 'rel="next"' in html


def test_a_short_timeline_has_no_paging(browser, make_case, db):
    case = make_case()
    add_notes(db, case, 49)
    page = browser.get(f"/cases/{case.reference}")
    assert len(shown_notes(page)) == 49
    assert "Timeline pages" not in page.get_data(as_text=True)
    assert "Latest entries" not in text(page)


@pytest.mark.parametrize("asked", ["99", "0", "-3", "two", ""])
def test_a_page_number_out_of_range_or_not_a_number_still_shows_a_page(
    browser, make_case, db, asked
):
    case = make_case()
    add_notes(db, case, 60)
    page = browser.get(f"/cases/{case.reference}?events_page={asked}")
    assert page.status_code == 200
    notes = shown_notes(page)
    # 99 is past the oldest page, so the oldest page shows; anything else shows the latest.
    expected = [f"Note {n}" for n in range(10, 0, -1)] if asked == "99" else notes[:50]
    assert notes == expected and notes


def test_parties_do_not_see_private_notes_or_count_them(anonymous, world, make_case, db):
    case = make_case()
    add_notes(db, case, 120, private_every=2)  # 60 shared notes, 60 private
    anonymous.sign_in(world.funder)
    page = anonymous.get(f"/cases/{case.reference}")
    assert page.status_code == 200
    assert "Latest entries: 1 to 50 of 61, newest first." in text(page)
    assert all(int(note.split()[1]) % 2 for note in shown_notes(page))


def test_the_case_page_query_count_does_not_grow_with_its_timeline(browser, world, make_case, db):
    short, long = make_case(), make_case()
    add_notes(db, long, 300, actors=(world.officer, world.mediator, world.admin))
    browser.get(f"/cases/{short.reference}")  # warm caches that only the first request fills
    with counting_statements(db.engine) as few:
        browser.get(f"/cases/{short.reference}")
    with counting_statements(db.engine) as many:
        browser.get(f"/cases/{long.reference}")
    assert len(many) == len(few)


def test_the_timeline_never_loads_a_password_hash(browser, world, make_case, db):
    case = make_case()
    add_notes(db, case, 3, actors=(world.officer,))
    with counting_statements(db.engine) as statements:
        browser.get(f"/cases/{case.reference}")
    timeline_reads = [s for s in statements if "case_events" in s]
    assert timeline_reads
    assert not [s for s in timeline_reads if "password" in s]


# -- the API -------------------------------------------------------------------------------------


def test_the_api_pages_a_long_timeline_the_same_way(app, world, make_case, db):
    case = make_case()
    add_notes(db, case, 119)
    api = app.test_client()
    headers = bearer(token_for(api, world.officer))

    latest = api.get(f"/api/v1/cases/{case.reference}", headers=headers).json
    assert [e["reason"] for e in latest["events"]] == [f"Note {n}" for n in range(119, 69, -1)]
    assert (latest["events_page"], latest["events_per_page"], latest["events_total"]) == (
        1,
        50,
        120,
    )
    assert latest["older_events"] == f"/api/v1/cases/{case.reference}?events_page=2"

    oldest = api.get(f"/api/v1/cases/{case.reference}?events_page=3", headers=headers).json
    assert [e["kind"] for e in oldest["events"]][-1] == "created"
    assert len(oldest["events"]) == 20
    assert oldest["events_page"] == 3 and oldest["older_events"] is None


@pytest.mark.parametrize("asked", ["0", "x", "100001"])
def test_the_api_refuses_a_timeline_page_that_is_not_one(app, world, make_case, db, asked):
    case = make_case()
    api = app.test_client()
    headers = bearer(token_for(api, world.officer))
    response = api.get(f"/api/v1/cases/{case.reference}?events_page={asked}", headers=headers)
    assert "events_page" in assert_problem(response, 422)["errors"]

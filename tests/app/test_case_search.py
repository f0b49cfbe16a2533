"""Case search from the database's text index: what it matches, how it ranks, the capped count
a person sees on the list page, and the download that shares the same search."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from compactcases.api.schemas import CasePage
from compactcases.cases import search as case_search
from compactcases.models import Area
from tests.app.test_api import bearer, token_for
from tests.app.test_case_pages import text
from tests.conftest import counting_statements


def _references(page) -> list[str]:
    return [item.reference for item in page.items]


def _search(world, q: str, **filters) -> case_search.CaseListPage:
    return case_search.search_cases(
        case_search.CaseFilters(q=q, **filters), world.admin, page=1, per_page=25
    )


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_summary(world, make_case):
    only_summary = make_case(
        title="Grant ended early",
        summary="The council's library outreach grant ended early.",
        third_sector_id=world.foodbank.id,
        raised_on=date(2026, 10, 9),
    )
    in_title = make_case(
        title="Library outreach grant cut",
        summary="A cut with six weeks' notice.",
        third_sector_id=world.foodbank.id,
        raised_on=date(2026, 10, 1),
    )
    make_case(title="Unrelated", summary="Nothing to see.", third_sector_id=world.foodbank.id)
    found = _search(world, "library")
    assert _references(found) == [in_title.reference, only_summary.reference]
    # Without words the list is newest first again.
    assert _references(_search(world, ""))[-1] == in_title.reference


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("outreach", "Outreach"),  # a word of the title
        ("hostel", "Outreach"),  # a word of the summary only
        ("outr", "Outreach"),  # the start of a word
        ("hostels outreach", "Outreach"),  # every word, stemmed: "hostels" finds "hostel"
        ("food bank", "Outreach"),  # the third-sector organisation's name
        ("west midlands police", "Outreach"),  # the funder's name
        ("sparkbrook", "Youth"),
    ],
)
def test_search_matches_words_of_the_title_summary_and_party_names(world, make_case, query, title):
    make_case(title="Youth service grant cut", summary="Six weeks' notice.")
    make_case(
        title="Outreach contract re-tendered",
        summary="The night hostel was left out.",
        funder_id=world.police.id,
        third_sector_id=world.foodbank.id,
    )
    found = _search(world, query)
    assert [item.title.split()[0] for item in found.items] == [title]
    assert (found.total, found.total_is_exact) == (1, True)


def test_search_finds_a_reference_in_full_or_by_its_number(world, make_case):
    cases = [make_case(title=f"Dispute {n}") for n in range(3)]
    wanted = cases[2]
    number = wanted.reference.rsplit("-", 1)[1]
    assert _references(_search(world, wanted.reference)) == [wanted.reference]
    assert _references(_search(world, wanted.reference.lower())) == [wanted.reference]
    assert _references(_search(world, number)) == [wanted.reference]
    assert _references(_search(world, str(int(number)))) == [wanted.reference]


def test_search_with_no_match_or_only_punctuation_finds_nothing(world, make_case):
    make_case()
    assert _search(world, "zebra").items == []
    assert (_search(world, "--- !!").total, _search(world, "zebra").total) == (0, 0)


def test_search_follows_an_edited_case_and_a_renamed_organisation(world, make_case, db):
    case = make_case(title="Grant cut", third_sector_id=world.foodbank.id)
    case.title = "Hostel grant cut"
    world.foodbank.name = "Ladywood Pantry"
    db.session.commit()
    assert _references(_search(world, "hostel")) == [case.reference]
    assert _references(_search(world, "pantry")) == [case.reference]
    assert _search(world, "food bank").items == []
    db.session.delete(case)
    db.session.commit()
    assert _search(world, "hostel").items == []


def test_search_keeps_to_the_users_scope_and_the_other_filters(world, make_case):
    make_case(title="Hostel grant cut", areas=(Area.FUNDING,))
    make_case(
        title="Hostel contract",
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
        areas=(Area.COMMISSIONING,),
    )
    officer = case_search.search_cases(
        case_search.CaseFilters(q="hostel"), world.officer_war, page=1, per_page=25
    )
    assert [item.title for item in officer.items] == ["Hostel contract"]
    by_area = _search(world, "hostel", area=Area.FUNDING)
    assert [item.title for item in by_area.items] == ["Hostel grant cut"]


def test_a_page_of_the_list_takes_two_queries_whatever_its_size(world, make_case, db):
    for n in range(30):
        make_case(title=f"Hostel dispute {n}")
    db.session.refresh(world.admin)  # loaded before counting: the test's session, not the search
    with counting_statements(db.engine) as statements:
        found = _search(world, "hostel")
        [(item.compact_name, item.funder_name, item.third_sector_name) for item in found.items]
    assert len(found.items) == 25
    assert len(statements) == 2  # the page, and its capped count


def test_the_list_says_more_than_the_cap_when_it_stops_counting(
    browser, make_case, app, monkeypatch
):
    monkeypatch.setattr(case_search, "COUNT_CAP", 3)
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 2)
    for n in range(5):
        make_case(title=f"Dispute number {n}", raised_on=date(2026, 1, 1 + n))
    first = text(browser.get("/cases"))
    assert "More than 3 cases, showing 1 to 2" in first
    second = browser.get("/cases?page=2").get_data(as_text=True)
    assert "More than 3 cases, showing 3 to 4" in text(browser.get("/cases?page=2"))
    # The pager offers the page beyond the counted ones.
    assert "page=3" in second
    assert "More than 3 cases, showing 5 to 5" in text(browser.get("/cases?page=3"))
    monkeypatch.setattr(case_search, "COUNT_CAP", 10)
    assert "5 cases, showing 1 to 2" in text(browser.get("/cases"))


@pytest.fixture
def api(app, db):
    return app.test_client()


def test_the_api_list_says_whether_its_total_is_exact(api, world, make_case, monkeypatch):
    monkeypatch.setattr(case_search, "COUNT_CAP", 1)
    make_case(title="Hostel one")
    make_case(title="Hostel two")
    headers = bearer(token_for(api, world.admin))
    body = api.get("/api/v1/cases?q=hostel&per_page=1", headers=headers).json
    searched = api.get("/api/v1/cases?q=one", headers=headers).json
    assert (body["total"], body["total_is_exact"], len(body["items"])) == (1, False, 1)
    assert (searched["total"], searched["total_is_exact"]) == (1, True)
    assert searched["items"][0]["third_sector"]["name"] == "Sparkbrook Youth Project"


def test_the_download_streams_the_same_search_with_areas_in_the_compacts_order(browser, make_case):
    make_case(title="Hostel grant cut", areas=(Area.VOLUNTEERING, Area.FUNDING))
    make_case(title="Unrelated")
    make_case(title="Night hostel", areas=())
    response = browser.get("/cases.csv?q=hostel")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_title = {row["Title"]: row for row in rows}
    assert set(by_title) == {"Night hostel", "Hostel grant cut"}
    assert by_title["Hostel grant cut"]["Areas of the Compact"] == "Funding; Volunteering"
    assert by_title["Night hostel"]["Areas of the Compact"] == ""
    assert by_title["Hostel grant cut"]["Third-sector organisation"] == "Sparkbrook Youth Project"
    assert by_title["Hostel grant cut"]["Compact"] == "Birmingham"


def test_the_api_list_body_is_what_its_described_schema_gives(api, world, make_case, db):
    closed = make_case(title="Hostel one", raised_on=date(2026, 3, 2))
    closed.closed_on = date(2026, 4, 1)
    db.session.commit()
    make_case(title="Hostel two", raised_on=date(2026, 3, 3))
    body = api.get("/api/v1/cases", headers=bearer(token_for(api, world.admin))).json
    # Built as plain values for speed, it must still read exactly as the model would write it.
    assert body == CasePage.model_validate(body).model_dump(mode="json")
    by_title = {item["title"]: item for item in body["items"]}
    assert by_title["Hostel one"]["closed_on"] == "2026-04-01"
    assert by_title["Hostel two"]["closed_on"] is None
    assert by_title["Hostel two"]["url"] == f"/api/v1/cases/{by_title['Hostel two']['reference']}"
    assert by_title["Hostel two"]["state"] == "raised"


def test_a_search_with_many_matches_ranks_the_newest_and_lists_the_rest_by_date(
    browser, world, make_case, monkeypatch
):
    monkeypatch.setattr(case_search, "RANKED_MATCHES", 3)
    summary = "The council's hostel grant ended early."
    oldest_logged = make_case(title="Hostel contract", summary="Ended.", raised_on=date(2026, 9, 1))
    older = make_case(title="Grant ended", summary=summary, raised_on=date(2026, 9, 2))
    ranked_third = make_case(title="Grant ended", summary=summary, raised_on=date(2026, 9, 3))
    best = make_case(title="Hostel grant cut", summary="Ended.", raised_on=date(2026, 8, 1))
    ranked_second = make_case(title="Grant ended", summary=summary, raised_on=date(2026, 9, 4))
    make_case(title="Unrelated", summary="Nothing to see.")
    # The three most recently logged matches are ranked, a title match first; the older
    # matches follow newest raised first, however well they match.
    expected = [best, ranked_second, ranked_third, older, oldest_logged]
    whole = _search(world, "hostel")
    assert _references(whole) == [case.reference for case in expected]
    # A search counts only as far as it ranks.
    assert (whole.total, whole.total_is_exact, whole.ranked_newest) == (3, False, 3)
    pages = [
        case_search.search_cases(
            case_search.CaseFilters(q="hostel"), world.admin, page=page, per_page=2
        )
        for page in (1, 2, 3)
    ]
    assert [ref for page in pages for ref in _references(page)] == _references(whole)
    rows = list(csv.DictReader(io.StringIO(browser.get("/cases.csv?q=hostel").get_data(True))))
    assert [row["Title"] for row in rows] == [case.title for case in expected]
    assert "The 3 most recently logged matches come first" in text(browser.get("/cases?q=hostel"))
    # A search with fewer matches than are ranked ranks them all, and says nothing of it.
    assert _search(world, "contract").ranked_newest is None
    assert "most recently logged" not in text(browser.get("/cases?q=contract"))

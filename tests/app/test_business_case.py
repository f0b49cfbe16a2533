"""The business case, figure by figure against a small region worked out by hand, on the
page, the printable summary, the CSV and the API; and the proxies an administrator sets."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.agreements import services as agreements
from compactcases.business_case import figures
from compactcases.models import Area, Notice, NoticeKind, ValueProxy
from compactcases.notices import services as notices
from compactcases.reports.coverage import ReportFilters
from tests.app.test_api import bearer, token_for
from tests.app.test_case_pages import field_error, text
from tests.app.test_reports import LC, LOCAL, RESOLVED, WITHDRAWN, Closed, add_case
from tests.conftest import csrf_token
from workflows.business_case import ProxyKind, Range
from workflows.outcomes import OutcomeType

YEAR = ReportFilters(start=date(2026, 4, 1), end=date(2027, 3, 31))
QUERY = "start=1&start=4&start=2026&end=31&end=3&end=2027"
DEAL = OutcomeType.AGREEMENT_REACHED


@pytest.fixture
def protected(db, world):
    """Worked by hand. Proxies: a job £20,000 to £30,000, no central figure given, so
    central £25,000 (the midpoint); a service user £500 to £900, central £600 given.

    | case     | funding | jobs | notice days × annual value            | users |
    | BIR-0001 | 45,000  | 2    | 91 × 18,250 (the agreement's, not the | 100   |
    |          |         |      | case's 50,000: its notice names it)   |       |
    | BIR-0002 | –       | 1    | 30 × 36,500 (money at stake)          | –     |
    | BIR-0003 | –       | –    | 14 × none: not valued                 | –     |
    | WAR-0001 | 5,000   | –    | 10 × 1,000 (money at stake)           | 20    |
    | BIR-0004 withdrawn, BIR-0005 resolved in March 2026: not counted.              |

    Birmingham: notice 91 × 18,250 + 30 × 36,500 = 1,660,750 + 1,095,000 = 2,755,750
    pound-days ÷ 365 = £7,550.00; jobs 3 × £20k/£25k/£30k = £60,000/£75,000/£90,000;
    users 100 × £500/£600/£900 = £50,000/£60,000/£90,000. Total low 45,000 + 7,550 + 60,000
    + 50,000 = £162,550; central 45,000 + 7,550 + 75,000 + 60,000 = £187,550; high 45,000 +
    7,550 + 90,000 + 90,000 = £232,550.
    Warwickshire: notice 10,000 ÷ 365 = £27.3972… = £27.40 (half up to the penny); users
    20 × £500/£600/£900 = £10,000/£12,000/£18,000; total £15,027.40 / £17,027.40 / £23,027.40.
    Region: notice (2,755,750 + 10,000) ÷ 365 = £7,577.3972… = £7,577.40; jobs 3 as above;
    users 120 × £500/£600/£900 = £60,000/£72,000/£108,000; funding £50,000. Total low
    50,000 + 7,577.40 + 60,000 + 60,000 = £177,577.40; central 50,000 + 7,577.40 + 75,000 +
    72,000 = £204,577.40; high 50,000 + 7,577.40 + 90,000 + 108,000 = £255,577.40.
    """
    w = world
    db.session.add_all(
        [
            ValueProxy(
                kind=ProxyKind.JOB, low_pence=2_000_000, high_pence=3_000_000, source="Study A"
            ),
            ValueProxy(
                kind=ProxyKind.SERVICE_USER,
                low_pence=50_000,
                high_pence=90_000,
                central_pence=60_000,
                source="Study B",
            ),
        ]
    )

    def add(reference, compact, figures_, at_stake, closed_on=date(2026, 6, 1), state=RESOLVED):
        outcome = None if state is WITHDRAWN else DEAL
        case = add_case(
            db,
            w,
            reference,
            compact,
            w.council if compact is w.bir else w.wcc,
            w.youth if compact is w.bir else w.rugby_cvs,
            [Area.FUNDING],
            date(2026, 3, 2),
            state,
            Closed(closed_on, 20, LOCAL, LC, outcome, figures_),
        )
        case.amount_at_stake = at_stake
        return case

    first = add("BIR-2026-0001", w.bir, (45_000, 2, 91, 100), 50_000)
    add("BIR-2026-0002", w.bir, (None, 1, 30, None), 36_500)
    add("BIR-2026-0003", w.bir, (None, None, 14, None), None)
    add("WAR-2026-0001", w.war, (5_000, None, 10, 20), 1_000)
    add("BIR-2026-0004", w.bir, (None, None, None, None), 9_000, state=WITHDRAWN)
    add("BIR-2026-0005", w.bir, (99_000, 9, 9, 9), 9_000, closed_on=date(2026, 3, 20))
    db.session.commit()
    agreement = agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=w.council.id,
            organisation_id=w.youth.id,
            compact_id=w.bir.id,
            title="Youth work",
            funder_reference="BCC-YW-1",
            annual_value=18_250,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        w.admin,
    )
    notice = notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=w.bir.id,
            funder_id=w.council.id,
            recipient_id=w.youth.id,
            title="Youth work grant ends",
            notice_given_on=date(2026, 3, 1),
            effective_on=date(2026, 4, 15),
        ),
        w.admin,
    )
    db.session.execute(
        sa.update(Notice)
        .where(Notice.id == notice.id)
        .values(case_id=first.id, agreement_id=agreement.id)
    )
    db.session.commit()
    return first


def test_the_region_s_figures_are_those_worked_by_hand(protected, world):
    found = figures.business_case(YEAR, world.admin)
    bir, war = found.compacts
    assert (bir.code, war.code) == ("BIR", "WAR")
    assert bir.valuation.notice == Range.exact(755_000)
    assert bir.valuation.protected.notice_unvalued == 1
    assert bir.valuation.total == Range(16_255_000, 18_755_000, 23_255_000)
    assert war.valuation.notice == Range.exact(2_740)
    assert war.valuation.total == Range(1_502_740, 1_702_740, 2_302_740)
    region = found.region
    assert region.protected.cases == 4
    assert region.funding == Range.exact(5_000_000)
    assert region.notice == Range.exact(757_740)
    assert region.jobs == Range(6_000_000, 7_500_000, 9_000_000)
    assert region.service_users == Range(6_000_000, 7_200_000, 10_800_000)
    assert region.total == Range(17_757_740, 20_457_740, 25_557_740)


def test_an_officer_s_business_case_covers_their_compact_alone(protected, world):
    found = figures.business_case(YEAR, world.officer_war)
    assert [c.code for c in found.compacts] == ["WAR"]
    assert found.region.total == Range(1_502_740, 1_702_740, 2_302_740)


def test_the_page_shows_the_central_figure_its_range_and_the_method(protected, anonymous, world):
    anonymous.sign_in(world.viewer)
    page = text(anonymous.get(f"/reports/business-case?{QUERY}"))
    assert "Value protected: £204,577.40" in page
    assert "range £177,577.40 to £255,577.40" in page
    assert "each job is valued at £25,000 (the midpoint of the low and high figures)" in page
    assert "£600 (the central figure given)" in page
    assert "source: Study A" in page
    assert "1 case gained notice but had no annual value" in page


def test_the_csv_has_a_line_per_compact_and_the_region(protected, anonymous, world):
    anonymous.sign_in(world.admin)
    response = anonymous.get(f"/reports/business-case.csv?{QUERY}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Compact" and rows[0][-2] == "Total central (£)"
    assert rows[-1] == [
        "All Compacts", "4", "50000.00", "145", "7577.40", "1", "3",
        "60000.00", "75000.00", "90000.00", "120",
        "60000.00", "72000.00", "108000.00",
        "177577.40", "204577.40", "255577.40",
    ]  # fmt: skip
    assert [r[0] for r in rows[1:-1]] == ["Birmingham", "Warwickshire"]


def test_the_summary_has_no_navigation_and_the_headline_settled_levels_and_learning(
    protected, anonymous, world
):
    anonymous.sign_in(world.mediator)
    response = anonymous.get(f"/reports/business-case/summary?{QUERY}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-service-navigation" not in html and "@page { size: A4" in html
    page = text(response)
    assert "Value protected: £204,577.40" in page
    assert "Local conciliation 4 resolved, 1 withdrawn" in page
    assert "<svg" in html


def test_the_api_gives_the_figures_in_pence_with_the_method(protected, app, world):
    api = app.test_client()
    token = token_for(api, world.viewer)
    response = api.get(
        "/api/v1/reports/business-case?from=2026-04-01&to=2027-03-31", headers=bearer(token)
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["all_compacts"]["total"] == {
        "low": 17_757_740,
        "central": 20_457_740,
        "high": 25_557_740,
    }
    assert [p["central"] for p in body["proxies"]] == [2_500_000, 60_000]
    assert body["proxies"][0]["central_given"] is False
    assert any("divided by 365" in sentence for sentence in body["method"])
    only = api.get(
        "/api/v1/reports/business-case?compact=WAR&from=2026-04-01", headers=bearer(token)
    )
    assert [c["compact"] for c in only.json["compacts"]] == ["WAR"]


def test_a_funder_has_no_business_case(protected, app, anonymous, world):
    anonymous.sign_in(world.funder)
    assert anonymous.get("/reports/business-case").status_code == 403
    api = app.test_client()
    response = api.get(
        "/api/v1/reports/business-case", headers=bearer(token_for(api, world.funder))
    )
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


def test_a_proxy_with_low_above_high_is_refused_beside_the_field_and_nothing_saved(
    anonymous, world, db
):
    anonymous.sign_in(world.admin)
    response = anonymous.submit(
        "/admin/value-proxies/job",
        "/admin/value-proxies/job",
        {"low": "30,000", "high": "20,000", "central": "", "source": "Study A"},
    )
    assert response.status_code == 422
    assert field_error(response, "high") == (
        "The high figure must be the same as or more than the low figure"
    )
    assert 'value="30,000"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ValueProxy)) == 0


def test_a_negative_proxy_is_refused(anonymous, world, db):
    anonymous.sign_in(world.admin)
    response = anonymous.submit(
        "/admin/value-proxies/service_user",
        "/admin/value-proxies/service_user",
        {"low": "-5", "high": "20", "central": "", "source": "Study B"},
    )
    assert response.status_code == 422
    assert field_error(response, "low") == "Enter the low figure as £0 or more"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ValueProxy)) == 0


def test_a_proxy_is_saved_and_a_stale_edit_is_refused(anonymous, world, db):
    anonymous.sign_in(world.admin)
    form = {"low": "20,000", "high": "30,000", "central": "24,000", "source": "Study A"}
    saved = anonymous.submit("/admin/value-proxies/job", "/admin/value-proxies/job", form)
    assert saved.status_code == 302
    page = text(anonymous.get("/admin/value-proxies"))
    assert "£24,000 (given)" in page and "Study A" in page
    stale = anonymous.post(
        "/admin/value-proxies/job",
        data={
            **form,
            "version": "0",
            "csrf_token": csrf_token(
                anonymous.get("/admin/value-proxies/job").get_data(as_text=True)
            ),
        },
    )
    assert stale.status_code == 409
    assert db.session.scalar(sa.select(ValueProxy.low_pence)) == 2_000_000

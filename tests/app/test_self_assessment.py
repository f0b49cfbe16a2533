"""The annual self-assessment: a return drafted, refused when incomplete, submitted, reopened;
who may see and change it; the region's roll-up of hand-made returns; reminders of a late
return sent exactly once and stopped by submitting."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.extensions import db as _db
from compactcases.models import Reminder, ReminderChannel, ReminderStatus, SelfAssessment
from compactcases.reminders.sending import sweep
from compactcases.self_assessment import rollup, services
from tests.app.test_case_pages import field_error, text
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.conftest import ON_POSTGRES, csrf_token
from workflows.self_assessment import (
    Answers,
    ChallengeTheme,
    Code,
    ReturnStatus,
    Structure,
    SupportTheme,
)

YEAR = 2026
URL = f"/self-assessments/{YEAR}/BIR"


def complete(**overrides) -> Answers:
    values = dict(
        codes={c: "yes" for c in Code},
        structures={s: "yes" for s in Structure},
        achievements="Refreshed the funding code with the council.",
        challenges="Cuts across the county.",
        challenge_themes=frozenset({ChallengeTheme.FUNDING_CUTS}),
        support="Mediation with regional funders.",
        support_themes=frozenset({SupportTheme.MEDIATION}),
    )
    values.update(overrides)
    return Answers(**values)


def as_form(answers: Answers, **extra) -> dict:
    data = {f"code_{c.value}": v for c, v in answers.codes.items() if v}
    data |= {f"structure_{s.value}": v for s, v in answers.structures.items() if v}
    data |= {
        "achievements": answers.achievements,
        "challenges": answers.challenges,
        "challenge_themes": [t.value for t in answers.challenge_themes],
        "support": answers.support,
        "support_themes": [t.value for t in answers.support_themes],
    }
    return data | extra


def stored(compact) -> SelfAssessment | None:
    _db.session.expire_all()
    return services.return_of(compact, YEAR)


def test_a_draft_is_saved_incomplete_and_shown_again(anonymous, world):
    anonymous.sign_in(world.officer)
    typed = Answers(codes={Code.FUNDING: "yes"}, achievements="A new volunteering code.")
    response = anonymous.submit(URL, URL, as_form(typed, save="Save as draft"))
    assert response.status_code == 302
    filed = stored(world.bir)
    assert filed.status is ReturnStatus.DRAFT and filed.answers == typed
    page = anonymous.get(URL).get_data(as_text=True)
    assert "A new volunteering code." in page and "Draft" in page


def test_an_incomplete_return_is_refused_naming_each_missing_answer(anonymous, world):
    anonymous.sign_in(world.officer)
    typed = Answers(codes={c: "yes" for c in Code}, achievements="Kept")
    response = anonymous.submit(URL, URL, as_form(typed, submit="Submit the return"))
    assert response.status_code == 422
    assert field_error(response, "structure_champions") == (
        "Say whether your Compact has compact champions"
    )
    assert field_error(response, "challenges") == "Describe the challenges your Compact faces"
    assert field_error(response, "support_themes") == (
        "Tick at least one theme of the support you want"
    )
    page = text(response)
    assert "There is a problem" in page and "Kept" in page
    assert stored(world.bir) is None or stored(world.bir).status is ReturnStatus.DRAFT


def test_a_complete_return_is_submitted_and_then_read_only(anonymous, world):
    anonymous.sign_in(world.officer)
    response = anonymous.submit(URL, URL, as_form(complete(), submit="Submit the return"))
    assert response.status_code == 302
    assert stored(world.bir).status is ReturnStatus.SUBMITTED
    page = anonymous.get(URL).get_data(as_text=True)
    assert "Submit the return" not in page and "Mediation with regional funders." in page
    again = anonymous.post(URL, data=as_form(complete(), save="x"))
    assert again.status_code in (400, 409)


def test_a_stale_edit_is_refused_with_409(anonymous, world):
    services.save_draft(world.bir, YEAR, Answers(achievements="First"), None, world.officer)
    anonymous.sign_in(world.officer)
    read_at = stored(world.bir).version
    page = anonymous.get(URL)
    assert f'name="version" type="hidden" value="{read_at}"' in page.get_data(as_text=True)
    services.save_draft(world.bir, YEAR, Answers(achievements="Second"), read_at, world.officer)
    token = csrf_token(page.get_data(as_text=True))
    response = anonymous.post(
        URL, data=as_form(Answers(achievements="Mine"), version=str(read_at), csrf_token=token)
    )
    assert response.status_code == 409
    assert stored(world.bir).answers.achievements == "Second"


def test_an_officer_cannot_see_or_change_another_compact_s_return(anonymous, world):
    anonymous.sign_in(world.officer_war)
    assert anonymous.get(URL).status_code == 404
    assert anonymous.post(URL, data=as_form(complete())).status_code in (400, 404)
    assert stored(world.bir) is None


def test_the_region_reopens_a_return_until_the_year_closes(anonymous, world):
    services.submit(world.bir, YEAR, complete(), None, world.officer, date(2027, 5, 1))
    reason = services.Reopening("The equalities answer is wrong", None)
    services.reopen(world.bir, YEAR, reason, world.mediator)
    assert stored(world.bir).status is ReturnStatus.DRAFT
    services.submit(world.bir, YEAR, complete(), None, world.officer, date(2027, 5, 2))
    services.set_deadline(
        world.region.id, YEAR, date(2027, 6, 30), None, world.admin, date(2027, 5, 2)
    )
    services.close_year(world.region.id, YEAR, world.admin)
    with pytest.raises(services.ReturnRefused, match="closed"):
        services.reopen(world.bir, YEAR, reason, world.mediator)


@pytest.fixture
def returns(world):
    """Birmingham submitted every code but equalities and no champions, themes cuts and the
    business case, support mediation and evidence; Warwickshire submitted funding and
    conciliation only, every structure, theme cuts, support evidence; Rugby has a draft."""
    bir = complete(
        codes={c: ("no" if c is Code.EQUALITIES else "yes") for c in Code},
        structures={s: ("no" if s is Structure.CHAMPIONS else "yes") for s in Structure},
        challenge_themes=frozenset({ChallengeTheme.FUNDING_CUTS, ChallengeTheme.BUSINESS_CASE}),
        support_themes=frozenset({SupportTheme.MEDIATION, SupportTheme.EVIDENCE}),
    )
    war = complete(
        codes={c: ("yes" if c in (Code.FUNDING, Code.CONCILIATION) else "no") for c in Code},
        support_themes=frozenset({SupportTheme.EVIDENCE}),
    )
    day = date(2027, 5, 1)
    services.submit(world.bir, YEAR, bir, None, world.officer, day)
    services.submit(world.war, YEAR, war, None, world.officer_war, day)
    services.save_draft(world.rug, YEAR, Answers(achievements="Started"), None, world.admin)


def test_the_roll_up_of_hand_made_returns(returns, world):
    found = rollup.region_roll_up(YEAR, world.viewer, date(2027, 5, 2))
    assert found.returns.compacts == ("Birmingham", "Warwickshire")
    assert found.returns.codes_in_place == (2, 1, 1, 1, 1, 1, 0, 2)
    assert found.returns.structures_in_place == (2, 1, 2)
    assert dict(found.returns.challenge_themes)[ChallengeTheme.FUNDING_CUTS] == 2
    assert dict(found.returns.support_themes)[SupportTheme.EVIDENCE] == 2
    assert found.statuses == (
        ("Birmingham", "Submitted"),
        ("Rugby", "Draft"),
        ("Warwickshire", "Submitted"),
    )


def test_the_roll_up_page_and_its_csv(returns, anonymous, world):
    anonymous.sign_in(world.viewer)
    page = text(anonymous.get(f"/self-assessments/{YEAR}/roll-up"))
    assert "2 returns submitted, 1 in draft, 0 not started" in page
    assert "Compacts with it 2 1 1 1 1 1 0 2" in page
    assert "Showing outcomes and the business case 1" in page
    rows = list(
        csv.reader(
            io.StringIO(anonymous.get(f"/self-assessments/{YEAR}/roll-up.csv").get_data(True))
        )
    )
    assert ["Compacts with the code", "2", "1", "1", "1", "1", "1", "0", "2"] in rows
    assert ["Evidence and the business case", "2"] in rows
    anonymous.submit("/self-assessments", "/sign-out", {})
    anonymous.sign_in(world.officer)
    assert anonymous.get(f"/self-assessments/{YEAR}/roll-up").status_code == 403


def test_a_late_return_is_reminded_exactly_once_and_submitting_stops_it(
    db,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(date(2027, 6, 1))
    services.set_deadline(
        world.region.id, YEAR, date(2027, 6, 30), None, world.admin, date(2027, 6, 1)
    )
    # Warwickshire files in time: its reminders are cancelled.
    services.submit(world.war, YEAR, complete(), None, world.officer_war, date(2027, 6, 2))
    # Birmingham is late: swept twice on each day a reminder falls due, up to the first
    # reminder once overdue (5 working days after 30 June: 7 July).
    days = sorted(
        {
            r.send_on
            for r in db.session.scalars(
                sa.select(Reminder).where(Reminder.status == ReminderStatus.PLANNED)
            )
            if r.send_on <= date(2027, 7, 7)
        }
    )
    assert days[-1] == date(2027, 7, 7) and len(days) == 4
    for day in days:
        travel(day)
        first, second = sweep(), sweep()
        assert (first.sent_email, first.sent_inbox, second.sent) == (1, 1, 0)
    assert {m["To"] for m in smtp.messages} == {"Priya Shah <officer.bir@example.org>"}
    subjects = [m["Subject"] for m in smtp.messages]
    assert len(subjects) == len(set(subjects)) == 4
    assert all(
        s.startswith("Self-assessment BIR: File the annual self-assessment") for s in subjects
    )
    assert subjects[-1] == (
        "Self-assessment BIR: File the annual self-assessment, due 30 June 2027 (7 days overdue)"
    )
    body = smtp.messages[-1].get_body(("plain",)).get_content()
    assert f"/self-assessments/{YEAR}/BIR" in body
    inbox = db.session.scalars(
        sa.select(Reminder).where(
            Reminder.status == ReminderStatus.SENT, Reminder.channel == ReminderChannel.INBOX
        )
    ).all()
    assert {r.recipient_id for r in inbox} == {world.officer.id} and len(inbox) == 4
    # Submitting the late return closes its deadline and cancels what is still planned.
    services.submit(world.bir, YEAR, complete(), None, world.officer, date(2027, 7, 1))
    db.session.expire_all()
    assert not db.session.scalars(
        sa.select(Reminder).where(Reminder.status == ReminderStatus.PLANNED)
    ).all()
    travel(date(2027, 7, 20))
    assert sweep().sent == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent first saves need PostgreSQL")
def test_two_first_saves_at_once_make_one_return(app, world):
    compact_id, officer_id = world.bir.id, world.officer.id
    _db.session.commit()
    barrier, errors = threading.Barrier(2), []

    def save(text_: str) -> None:
        with app.app_context():
            from compactcases.models import Compact, User

            compact, officer = (
                _db.session.get(Compact, compact_id),
                _db.session.get(User, officer_id),
            )
            barrier.wait()
            try:
                services.save_draft(compact, YEAR, Answers(achievements=text_), None, officer)
            except services.StaleReturn:
                errors.append("stale")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("One", "Two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    count = _db.session.scalar(
        sa.select(sa.func.count())
        .select_from(SelfAssessment)
        .where(SelfAssessment.compact_id == compact_id)
    )
    assert count == 1
    assert stored(world.bir).answers.achievements in ("One", "Two")

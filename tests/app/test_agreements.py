"""Funding agreements through their services: the window under the Compact's rules, what
closes it, its history, bad input refused with nothing saved, stale changes refused."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from compactcases import rule_sets
from compactcases.admin import rule_set_rows
from compactcases.agreements import decisions, services
from compactcases.models import (
    AgreementEventKind,
    Compact,
    CompactRule,
    FundingAgreement,
    NoticeKind,
    Tier,
)
from compactcases.notices import changes as notice_changes
from compactcases.notices import services as notices
from workflows.agreements import WindowStatus
from workflows.deadlines import DeadlineStatus
from workflows.periods import MONTHS, Period

RECORDED = date(2026, 6, 1)


def details(world, **overrides) -> services.AgreementDetails:
    values = dict(
        funder_id=world.council.id,
        organisation_id=world.youth.id,
        compact_id=world.bir.id,
        title="Youth work in Sparkbrook",
        funder_reference="BCC-YW-001",
        annual_value=45000,
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    values.update(overrides)
    return services.AgreementDetails(**values)


@pytest.fixture
def make_agreement(world, db):
    def make(**overrides) -> FundingAgreement:
        return services.create_agreement(details(world, **overrides), world.funder, today=RECORDED)

    return make


def test_an_agreement_ending_31_march_2027_must_be_given_notice_by_31_december(
    make_agreement,
):
    agreement = make_agreement()
    assert agreement.latest_notice_on == date(2026, 12, 31)
    assert agreement.latest_consultation_start == date(2026, 10, 8)
    assert agreement.required_period == "3 calendar months"
    assert agreement.status(date(2026, 12, 31)) is WindowStatus.OPEN
    assert agreement.status(date(2027, 1, 1)) is WindowStatus.MISSED
    [window] = agreement.deadlines
    assert (window.due_on, window.status) == (date(2026, 12, 31), DeadlineStatus.OPEN)
    assert [e.kind for e in agreement.events] == [AgreementEventKind.RECORDED]


def test_a_district_inherits_its_county_s_six_months(db, world, make_agreement):
    db.session.add(
        CompactRule(compact_id=world.war.id, name="funding_notice", count=6, unit=MONTHS)
    )
    db.session.commit()
    agreement = make_agreement(
        compact_id=world.rug.id, organisation_id=world.rugby_cvs.id, ends_on=date(2027, 8, 31)
    )
    # 31 August less 6 months, month end to month end: 28 February 2027.
    assert agreement.latest_notice_on == date(2027, 2, 28)


def test_when_the_end_date_changes_the_window_moves(db, world, make_agreement):
    agreement = make_agreement()
    services.update_agreement(
        agreement, details(world, ends_on=date(2027, 6, 30)), agreement.version, world.funder
    )
    db.session.expire_all()
    assert agreement.latest_notice_on == date(2027, 3, 31)
    assert agreement.deadlines[0].due_on == date(2027, 3, 31)
    assert agreement.events[-1].changes == {"End date": ["31 March 2027", "30 June 2027"]}


def test_a_stale_edit_is_refused_and_nothing_is_saved(db, world, make_agreement):
    agreement = make_agreement()
    seen = agreement.version
    services.update_agreement(agreement, details(world, title="Renamed"), seen, world.funder)
    with pytest.raises(services.StaleAgreement) as refused:
        services.update_agreement(agreement, details(world, title="Mine"), seen, world.funder)
    assert "version 2" in refused.value.message
    db.session.expire_all()
    assert agreement.title == "Renamed"


def test_a_renewal_closes_the_window_and_opens_the_next(db, world, make_agreement):
    agreement = make_agreement()
    decision = decisions.Decision(
        decisions.DecisionKind.RENEW, date(2026, 11, 2), date(2028, 3, 31), "Renewed for a year"
    )
    decisions.record_decision(agreement, decision, agreement.version, world.funder)
    db.session.expire_all()
    assert agreement.ends_on == date(2028, 3, 31)
    assert agreement.latest_notice_on == date(2027, 12, 31)
    assert agreement.status(date(2027, 1, 5)) is WindowStatus.RENEWED
    old, new = agreement.deadlines
    assert (old.status, old.closed_on) == (DeadlineStatus.MET, date(2026, 11, 2))
    assert (new.status, new.due_on) == (DeadlineStatus.OPEN, date(2027, 12, 31))
    assert agreement.events[-1].kind is AgreementEventKind.RENEWED


def test_notice_recorded_against_the_agreement_closes_the_window_with_its_verdict(
    db, world, make_agreement
):
    agreement = make_agreement()
    notice = notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Ending youth work",
            notice_given_on=date(2026, 12, 1),
            effective_on=date(2027, 3, 31),
            agreement_id=agreement.id,
        ),
        world.funder,
        today=date(2026, 12, 1),
    )
    db.session.expire_all()
    assert notice.compliant and notice.agreement_id == agreement.id
    assert agreement.notice_given_on == date(2026, 12, 1)
    assert agreement.status(date(2027, 1, 5)) is WindowStatus.NOTICE_GIVEN
    assert agreement.status(date(2027, 4, 1)) is WindowStatus.ENDED
    assert agreement.deadlines[0].status is DeadlineStatus.MET
    assert "kept the Compact" in agreement.events[-1].reason


def test_withdrawing_the_notice_opens_the_window_again(db, world, make_agreement):
    agreement = make_agreement()
    notice = notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Ending youth work",
            notice_given_on=date(2026, 12, 1),
            effective_on=date(2027, 3, 31),
            agreement_id=agreement.id,
        ),
        world.funder,
        today=date(2026, 12, 1),
    )
    notice_changes.withdraw_notice(notice, "Sent in error", notice.version, world.funder)
    db.session.expire_all()
    assert agreement.notice_given_on is None
    # Open again until 31 December 2026, then missed; a new deadline carries its reminders.
    assert agreement.status(date(2026, 12, 2)) is WindowStatus.OPEN
    assert agreement.status(date(2027, 1, 1)) is WindowStatus.MISSED
    assert [(d.status, d.due_on) for d in agreement.deadlines] == [
        (DeadlineStatus.MET, date(2026, 12, 31)),
        (DeadlineStatus.OPEN, date(2026, 12, 31)),
    ]
    assert "was withdrawn: Sent in error" in agreement.events[-1].reason


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": date(2024, 3, 31)}, "ends_on", "must be the same as or after the start"),
        ({"annual_value": -1}, "annual_value", "whole number of pounds"),
        ({"starts_on": date(1999, 12, 31)}, "starts_on", "2000"),
        ({"ends_on": date(2101, 1, 1)}, "ends_on", "2100"),
        ({"funder_id": "youth"}, "funder_id", "is not a statutory funder"),
        ({"organisation_id": "police"}, "organisation_id", "is not a third-sector organisation"),
        ({"compact_id": "outside"}, "compact_id", "Select a local Compact you work under"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(db, world, overrides, field, message):
    named = {"youth": world.youth.id, "police": world.police.id}
    if overrides.get("compact_id") == "outside":
        far = Compact(code="LEI", name="Leicester", tier=Tier.UPPER, region=world.other_region)
        db.session.add(far)
        db.session.commit()
        overrides = {"compact_id": far.id}
    overrides = {k: named.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    with pytest.raises(services.AgreementInvalid) as refused:
        services.create_agreement(details(world, **overrides), world.funder, today=RECORDED)
    assert message in refused.value.field_errors[field]
    assert db.session.scalar(sa.select(sa.func.count(FundingAgreement.id))) == 0


def test_a_duplicate_funder_reference_is_refused(db, world, make_agreement):
    make_agreement()
    with pytest.raises(services.AgreementInvalid) as refused:
        make_agreement(title="Another")
    assert "already has an agreement" in refused.value.field_errors["funder_reference"]
    # Another funder may use the same reference.
    other = services.create_agreement(
        details(world, funder_id=world.police.id), world.admin, today=RECORDED
    )
    assert other.funder_reference == "BCC-YW-001"


def test_when_the_compact_s_notice_period_changes_the_window_moves(db, world, make_agreement):
    agreement = make_agreement()
    rule_set_rows.save_rules(world.bir, {"funding_notice": Period(6, MONTHS)})
    db.session.expire_all()
    # 31 March 2027 less 6 months: 30 September 2026 is that month's last day.
    assert agreement.latest_notice_on == date(2026, 9, 30)
    assert agreement.required_period == "6 calendar months"
    assert agreement.deadlines[0].due_on == date(2026, 9, 30)


def test_a_compact_sets_its_own_reminder_ladder_and_its_districts_inherit_it(db, world):
    rule_set_rows.save_rules(world.war, {}, "28, 7")
    db.session.expire_all()
    assert rule_sets.agreement_ladder(world.rug) == (28, 7)
    assert rule_sets.agreement_ladder(world.bir) == (56, 28, 14, 7, 0)
    assert "28 and 7 days before (Warwickshire)" in rule_set_rows.inherited_ladder(world.rug)

"""Report tallies: cases per Compact and month, kept by triggers, that the reports read

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:00:00.000000

Four tables of figures added up per Compact and calendar month (cases raised by funder, cases
closed by how they ended, resolution days, areas), kept exact by triggers on `cases`,
`outcomes` and `case_areas`, and counted here for the cases already stored. Also an index on
`cases.closed_on` for the days of a report period outside whole months.

The statements are frozen copies of what compactcases/models/tallies.py generated for this
revision. On SQLite a later batch migration that rebuilds `cases`, `outcomes` or `case_areas`
drops their triggers and must create them again (tests/test_migrations.py checks the tallies
follow a case added after upgrading).
"""

# ruff: noqa: E501  (frozen generated SQL, kept verbatim)
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

KEY = sa.String(32)

# (name, CREATE TRIGGER) on SQLite.
SQLITE_TRIGGERS = [
    (
        "tally_cases_insert",
        "CREATE TRIGGER tally_cases_insert AFTER INSERT ON cases FOR EACH ROW BEGIN INSERT INTO "
        "tally_opened (compact_id, month, funder_id, cases, resolved) SELECT NEW.compact_id, "
        "date(NEW.raised_on, 'start of month'), NEW.funder_id, 1, 1 * CASE WHEN NEW.state = "
        "'resolved' THEN 1 ELSE 0 END WHERE NEW.id IS NOT NULL ON CONFLICT (compact_id, month, "
        "funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT NEW.compact_id, date(NEW.closed_on, "
        "'start of month'), NEW.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), 1, 1 * coalesce(o.funding_protected, 0), 1 * "
        "coalesce(o.jobs_safeguarded, 0), 1 * coalesce(o.notice_days_gained, 0), 1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = NEW.id WHERE NEW.closed_on IS NOT NULL AND NEW.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT NEW.compact_id, "
        "date(NEW.closed_on, 'start of month'), o.level, NEW.working_days_to_close, 1 FROM outcomes "
        "o WHERE o.case_id = NEW.id AND NEW.state = 'resolved' AND NEW.closed_on IS NOT NULL AND "
        "NEW.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO "
        "UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas (compact_id, "
        "month, area, cases) SELECT NEW.compact_id, date(NEW.raised_on, 'start of month'), a.area, 1 "
        "FROM case_areas a WHERE a.case_id = NEW.id ON CONFLICT (compact_id, month, area) DO UPDATE "
        "SET cases = tally_areas.cases + excluded.cases; END",
    ),
    (
        "tally_cases_update",
        "CREATE TRIGGER tally_cases_update AFTER UPDATE OF compact_id, raised_on, funder_id, state, "
        "closed_on, working_days_to_close ON cases FOR EACH ROW BEGIN INSERT INTO tally_opened "
        "(compact_id, month, funder_id, cases, resolved) SELECT OLD.compact_id, date(OLD.raised_on, "
        "'start of month'), OLD.funder_id, -1, -1 * CASE WHEN OLD.state = 'resolved' THEN 1 ELSE 0 "
        "END WHERE OLD.id IS NOT NULL ON CONFLICT (compact_id, month, funder_id) DO UPDATE SET cases "
        "= tally_opened.cases + excluded.cases, resolved = tally_opened.resolved + "
        "excluded.resolved; INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, "
        "outcome_kind, cases, funding_protected, jobs_safeguarded, notice_days_gained, "
        "service_users_affected) SELECT OLD.compact_id, date(OLD.closed_on, 'start of month'), "
        "OLD.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), coalesce(o.kind, ''), -1, "
        "-1 * coalesce(o.funding_protected, 0), -1 * coalesce(o.jobs_safeguarded, 0), -1 * "
        "coalesce(o.notice_days_gained, 0), -1 * coalesce(o.service_users_affected, 0) FROM (SELECT "
        "1 AS one) AS one LEFT JOIN outcomes o ON o.case_id = OLD.id WHERE OLD.closed_on IS NOT NULL "
        "AND OLD.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, month, state, level, "
        "outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + excluded.cases, "
        "funding_protected = tally_closed.funding_protected + excluded.funding_protected, "
        "jobs_safeguarded = tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, "
        "notice_days_gained = tally_closed.notice_days_gained + excluded.notice_days_gained, "
        "service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT OLD.compact_id, date(OLD.closed_on, 'start of month'), o.level, "
        "OLD.working_days_to_close, -1 FROM outcomes o WHERE o.case_id = OLD.id AND OLD.state = "
        "'resolved' AND OLD.closed_on IS NOT NULL AND OLD.working_days_to_close IS NOT NULL ON "
        "CONFLICT (compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + "
        "excluded.cases; INSERT INTO tally_areas (compact_id, month, area, cases) SELECT "
        "OLD.compact_id, date(OLD.raised_on, 'start of month'), a.area, -1 FROM case_areas a WHERE "
        "a.case_id = OLD.id ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = "
        "tally_areas.cases + excluded.cases; INSERT INTO tally_opened (compact_id, month, funder_id, "
        "cases, resolved) SELECT NEW.compact_id, date(NEW.raised_on, 'start of month'), "
        "NEW.funder_id, 1, 1 * CASE WHEN NEW.state = 'resolved' THEN 1 ELSE 0 END WHERE NEW.id IS "
        "NOT NULL ON CONFLICT (compact_id, month, funder_id) DO UPDATE SET cases = "
        "tally_opened.cases + excluded.cases, resolved = tally_opened.resolved + excluded.resolved; "
        "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, "
        "cases, funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) "
        "SELECT NEW.compact_id, date(NEW.closed_on, 'start of month'), NEW.state, coalesce(o.level, "
        "''), coalesce(o.outcome_type, ''), coalesce(o.kind, ''), 1, 1 * "
        "coalesce(o.funding_protected, 0), 1 * coalesce(o.jobs_safeguarded, 0), 1 * "
        "coalesce(o.notice_days_gained, 0), 1 * coalesce(o.service_users_affected, 0) FROM (SELECT 1 "
        "AS one) AS one LEFT JOIN outcomes o ON o.case_id = NEW.id WHERE NEW.closed_on IS NOT NULL "
        "AND NEW.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, month, state, level, "
        "outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + excluded.cases, "
        "funding_protected = tally_closed.funding_protected + excluded.funding_protected, "
        "jobs_safeguarded = tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, "
        "notice_days_gained = tally_closed.notice_days_gained + excluded.notice_days_gained, "
        "service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT NEW.compact_id, date(NEW.closed_on, 'start of month'), o.level, "
        "NEW.working_days_to_close, 1 FROM outcomes o WHERE o.case_id = NEW.id AND NEW.state = "
        "'resolved' AND NEW.closed_on IS NOT NULL AND NEW.working_days_to_close IS NOT NULL ON "
        "CONFLICT (compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + "
        "excluded.cases; INSERT INTO tally_areas (compact_id, month, area, cases) SELECT "
        "NEW.compact_id, date(NEW.raised_on, 'start of month'), a.area, 1 FROM case_areas a WHERE "
        "a.case_id = NEW.id ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = "
        "tally_areas.cases + excluded.cases; END",
    ),
    (
        "tally_cases_delete",
        "CREATE TRIGGER tally_cases_delete BEFORE DELETE ON cases FOR EACH ROW BEGIN INSERT INTO "
        "tally_opened (compact_id, month, funder_id, cases, resolved) SELECT OLD.compact_id, "
        "date(OLD.raised_on, 'start of month'), OLD.funder_id, -1, -1 * CASE WHEN OLD.state = "
        "'resolved' THEN 1 ELSE 0 END WHERE OLD.id IS NOT NULL ON CONFLICT (compact_id, month, "
        "funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT OLD.compact_id, date(OLD.closed_on, "
        "'start of month'), OLD.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), -1, -1 * coalesce(o.funding_protected, 0), -1 * "
        "coalesce(o.jobs_safeguarded, 0), -1 * coalesce(o.notice_days_gained, 0), -1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = OLD.id WHERE OLD.closed_on IS NOT NULL AND OLD.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT OLD.compact_id, "
        "date(OLD.closed_on, 'start of month'), o.level, OLD.working_days_to_close, -1 FROM outcomes "
        "o WHERE o.case_id = OLD.id AND OLD.state = 'resolved' AND OLD.closed_on IS NOT NULL AND "
        "OLD.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO "
        "UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas (compact_id, "
        "month, area, cases) SELECT OLD.compact_id, date(OLD.raised_on, 'start of month'), a.area, "
        "-1 FROM case_areas a WHERE a.case_id = OLD.id ON CONFLICT (compact_id, month, area) DO "
        "UPDATE SET cases = tally_areas.cases + excluded.cases; END",
    ),
    (
        "tally_outcomes_insert",
        "CREATE TRIGGER tally_outcomes_insert AFTER INSERT ON outcomes FOR EACH ROW BEGIN INSERT "
        "INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, cases, "
        "funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) SELECT "
        "c.compact_id, date(c.closed_on, 'start of month'), c.state, '', '', '', -1, 0, 0, 0, 0 FROM "
        "cases c WHERE c.id = NEW.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, cases, "
        "funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) SELECT "
        "c.compact_id, date(c.closed_on, 'start of month'), c.state, NEW.level, "
        "coalesce(NEW.outcome_type, ''), NEW.kind, 1, 1 * coalesce(NEW.funding_protected, 0), 1 * "
        "coalesce(NEW.jobs_safeguarded, 0), 1 * coalesce(NEW.notice_days_gained, 0), 1 * "
        "coalesce(NEW.service_users_affected, 0) FROM cases c WHERE c.id = NEW.case_id AND "
        "c.closed_on IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, "
        "month, state, level, outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + "
        "excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT c.compact_id, date(c.closed_on, 'start of month'), NEW.level, "
        "c.working_days_to_close, 1 FROM cases c WHERE c.id = NEW.case_id AND c.state = 'resolved' "
        "AND c.closed_on IS NOT NULL AND c.working_days_to_close IS NOT NULL ON CONFLICT "
        "(compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + excluded.cases; "
        "END",
    ),
    (
        "tally_outcomes_update",
        "CREATE TRIGGER tally_outcomes_update AFTER UPDATE ON outcomes FOR EACH ROW BEGIN INSERT "
        "INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, cases, "
        "funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) SELECT "
        "c.compact_id, date(c.closed_on, 'start of month'), c.state, OLD.level, "
        "coalesce(OLD.outcome_type, ''), OLD.kind, -1, -1 * coalesce(OLD.funding_protected, 0), -1 * "
        "coalesce(OLD.jobs_safeguarded, 0), -1 * coalesce(OLD.notice_days_gained, 0), -1 * "
        "coalesce(OLD.service_users_affected, 0) FROM cases c WHERE c.id = OLD.case_id AND "
        "c.closed_on IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, "
        "month, state, level, outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + "
        "excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT c.compact_id, date(c.closed_on, 'start of month'), OLD.level, "
        "c.working_days_to_close, -1 FROM cases c WHERE c.id = OLD.case_id AND c.state = 'resolved' "
        "AND c.closed_on IS NOT NULL AND c.working_days_to_close IS NOT NULL ON CONFLICT "
        "(compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + excluded.cases; "
        "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, "
        "cases, funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) "
        "SELECT c.compact_id, date(c.closed_on, 'start of month'), c.state, NEW.level, "
        "coalesce(NEW.outcome_type, ''), NEW.kind, 1, 1 * coalesce(NEW.funding_protected, 0), 1 * "
        "coalesce(NEW.jobs_safeguarded, 0), 1 * coalesce(NEW.notice_days_gained, 0), 1 * "
        "coalesce(NEW.service_users_affected, 0) FROM cases c WHERE c.id = NEW.case_id AND "
        "c.closed_on IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, "
        "month, state, level, outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + "
        "excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT c.compact_id, date(c.closed_on, 'start of month'), NEW.level, "
        "c.working_days_to_close, 1 FROM cases c WHERE c.id = NEW.case_id AND c.state = 'resolved' "
        "AND c.closed_on IS NOT NULL AND c.working_days_to_close IS NOT NULL ON CONFLICT "
        "(compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + excluded.cases; "
        "END",
    ),
    (
        "tally_outcomes_delete",
        "CREATE TRIGGER tally_outcomes_delete AFTER DELETE ON outcomes FOR EACH ROW BEGIN INSERT "
        "INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, cases, "
        "funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) SELECT "
        "c.compact_id, date(c.closed_on, 'start of month'), c.state, OLD.level, "
        "coalesce(OLD.outcome_type, ''), OLD.kind, -1, -1 * coalesce(OLD.funding_protected, 0), -1 * "
        "coalesce(OLD.jobs_safeguarded, 0), -1 * coalesce(OLD.notice_days_gained, 0), -1 * "
        "coalesce(OLD.service_users_affected, 0) FROM cases c WHERE c.id = OLD.case_id AND "
        "c.closed_on IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, "
        "month, state, level, outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + "
        "excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_days (compact_id, month, level, days, "
        "cases) SELECT c.compact_id, date(c.closed_on, 'start of month'), OLD.level, "
        "c.working_days_to_close, -1 FROM cases c WHERE c.id = OLD.case_id AND c.state = 'resolved' "
        "AND c.closed_on IS NOT NULL AND c.working_days_to_close IS NOT NULL ON CONFLICT "
        "(compact_id, month, level, days) DO UPDATE SET cases = tally_days.cases + excluded.cases; "
        "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, "
        "cases, funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) "
        "SELECT c.compact_id, date(c.closed_on, 'start of month'), c.state, '', '', '', 1, 0, 0, 0, "
        "0 FROM cases c WHERE c.id = OLD.case_id AND c.closed_on IS NOT NULL AND c.state IN "
        "('resolved', 'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, "
        "outcome_kind) DO UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected "
        "= tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; END",
    ),
    (
        "tally_case_areas_insert",
        "CREATE TRIGGER tally_case_areas_insert AFTER INSERT ON case_areas FOR EACH ROW BEGIN INSERT "
        "INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, date(c.raised_on, "
        "'start of month'), NEW.area, 1 FROM cases c WHERE c.id = NEW.case_id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; END",
    ),
    (
        "tally_case_areas_update",
        "CREATE TRIGGER tally_case_areas_update AFTER UPDATE ON case_areas FOR EACH ROW BEGIN INSERT "
        "INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, date(c.raised_on, "
        "'start of month'), OLD.area, -1 FROM cases c WHERE c.id = OLD.case_id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; INSERT "
        "INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, date(c.raised_on, "
        "'start of month'), NEW.area, 1 FROM cases c WHERE c.id = NEW.case_id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; END",
    ),
    (
        "tally_case_areas_delete",
        "CREATE TRIGGER tally_case_areas_delete AFTER DELETE ON case_areas FOR EACH ROW BEGIN INSERT "
        "INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, date(c.raised_on, "
        "'start of month'), OLD.area, -1 FROM cases c WHERE c.id = OLD.case_id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; END",
    ),
]

# (table, name, CREATE FUNCTION, CREATE TRIGGER) on PostgreSQL.
POSTGRES_TRIGGERS = [
    (
        "cases",
        "tally_cases_insert",
        "CREATE OR REPLACE FUNCTION tally_cases_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT "
        "NEW.compact_id, date_trunc('month', NEW.raised_on)::date, NEW.funder_id, 1, 1 * CASE WHEN "
        "NEW.state = 'resolved' THEN 1 ELSE 0 END WHERE NEW.id IS NOT NULL ON CONFLICT (compact_id, "
        "month, funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT NEW.compact_id, date_trunc('month', "
        "NEW.closed_on)::date, NEW.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), 1, 1 * coalesce(o.funding_protected, 0), 1 * "
        "coalesce(o.jobs_safeguarded, 0), 1 * coalesce(o.notice_days_gained, 0), 1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = NEW.id WHERE NEW.closed_on IS NOT NULL AND NEW.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT NEW.compact_id, "
        "date_trunc('month', NEW.closed_on)::date, o.level, NEW.working_days_to_close, 1 FROM "
        "outcomes o WHERE o.case_id = NEW.id AND NEW.state = 'resolved' AND NEW.closed_on IS NOT "
        "NULL AND NEW.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) "
        "DO UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas "
        "(compact_id, month, area, cases) SELECT NEW.compact_id, date_trunc('month', "
        "NEW.raised_on)::date, a.area, 1 FROM case_areas a WHERE a.case_id = NEW.id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; RETURN "
        "NULL; END $$",
        "CREATE TRIGGER tally_cases_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION "
        "tally_cases_insert()",
    ),
    (
        "cases",
        "tally_cases_update",
        "CREATE OR REPLACE FUNCTION tally_cases_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT "
        "OLD.compact_id, date_trunc('month', OLD.raised_on)::date, OLD.funder_id, -1, -1 * CASE WHEN "
        "OLD.state = 'resolved' THEN 1 ELSE 0 END WHERE OLD.id IS NOT NULL ON CONFLICT (compact_id, "
        "month, funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT OLD.compact_id, date_trunc('month', "
        "OLD.closed_on)::date, OLD.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), -1, -1 * coalesce(o.funding_protected, 0), -1 * "
        "coalesce(o.jobs_safeguarded, 0), -1 * coalesce(o.notice_days_gained, 0), -1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = OLD.id WHERE OLD.closed_on IS NOT NULL AND OLD.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT OLD.compact_id, "
        "date_trunc('month', OLD.closed_on)::date, o.level, OLD.working_days_to_close, -1 FROM "
        "outcomes o WHERE o.case_id = OLD.id AND OLD.state = 'resolved' AND OLD.closed_on IS NOT "
        "NULL AND OLD.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) "
        "DO UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas "
        "(compact_id, month, area, cases) SELECT OLD.compact_id, date_trunc('month', "
        "OLD.raised_on)::date, a.area, -1 FROM case_areas a WHERE a.case_id = OLD.id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; INSERT "
        "INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT NEW.compact_id, "
        "date_trunc('month', NEW.raised_on)::date, NEW.funder_id, 1, 1 * CASE WHEN NEW.state = "
        "'resolved' THEN 1 ELSE 0 END WHERE NEW.id IS NOT NULL ON CONFLICT (compact_id, month, "
        "funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT NEW.compact_id, date_trunc('month', "
        "NEW.closed_on)::date, NEW.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), 1, 1 * coalesce(o.funding_protected, 0), 1 * "
        "coalesce(o.jobs_safeguarded, 0), 1 * coalesce(o.notice_days_gained, 0), 1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = NEW.id WHERE NEW.closed_on IS NOT NULL AND NEW.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT NEW.compact_id, "
        "date_trunc('month', NEW.closed_on)::date, o.level, NEW.working_days_to_close, 1 FROM "
        "outcomes o WHERE o.case_id = NEW.id AND NEW.state = 'resolved' AND NEW.closed_on IS NOT "
        "NULL AND NEW.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) "
        "DO UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas "
        "(compact_id, month, area, cases) SELECT NEW.compact_id, date_trunc('month', "
        "NEW.raised_on)::date, a.area, 1 FROM case_areas a WHERE a.case_id = NEW.id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; RETURN "
        "NULL; END $$",
        "CREATE TRIGGER tally_cases_update AFTER UPDATE OF compact_id, raised_on, funder_id, state, "
        "closed_on, working_days_to_close ON cases FOR EACH ROW EXECUTE FUNCTION "
        "tally_cases_update()",
    ),
    (
        "cases",
        "tally_cases_delete",
        "CREATE OR REPLACE FUNCTION tally_cases_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT "
        "OLD.compact_id, date_trunc('month', OLD.raised_on)::date, OLD.funder_id, -1, -1 * CASE WHEN "
        "OLD.state = 'resolved' THEN 1 ELSE 0 END WHERE OLD.id IS NOT NULL ON CONFLICT (compact_id, "
        "month, funder_id) DO UPDATE SET cases = tally_opened.cases + excluded.cases, resolved = "
        "tally_opened.resolved + excluded.resolved; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT OLD.compact_id, date_trunc('month', "
        "OLD.closed_on)::date, OLD.state, coalesce(o.level, ''), coalesce(o.outcome_type, ''), "
        "coalesce(o.kind, ''), -1, -1 * coalesce(o.funding_protected, 0), -1 * "
        "coalesce(o.jobs_safeguarded, 0), -1 * coalesce(o.notice_days_gained, 0), -1 * "
        "coalesce(o.service_users_affected, 0) FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON "
        "o.case_id = OLD.id WHERE OLD.closed_on IS NOT NULL AND OLD.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT OLD.compact_id, "
        "date_trunc('month', OLD.closed_on)::date, o.level, OLD.working_days_to_close, -1 FROM "
        "outcomes o WHERE o.case_id = OLD.id AND OLD.state = 'resolved' AND OLD.closed_on IS NOT "
        "NULL AND OLD.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) "
        "DO UPDATE SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_areas "
        "(compact_id, month, area, cases) SELECT OLD.compact_id, date_trunc('month', "
        "OLD.raised_on)::date, a.area, -1 FROM case_areas a WHERE a.case_id = OLD.id ON CONFLICT "
        "(compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + excluded.cases; RETURN "
        "OLD; END $$",
        "CREATE TRIGGER tally_cases_delete BEFORE DELETE ON cases FOR EACH ROW EXECUTE FUNCTION "
        "tally_cases_delete()",
    ),
    (
        "outcomes",
        "tally_outcomes_insert",
        "CREATE OR REPLACE FUNCTION tally_outcomes_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, "
        "outcome_kind, cases, funding_protected, jobs_safeguarded, notice_days_gained, "
        "service_users_affected) SELECT c.compact_id, date_trunc('month', c.closed_on)::date, "
        "c.state, '', '', '', -1, 0, 0, 0, 0 FROM cases c WHERE c.id = NEW.case_id AND c.closed_on "
        "IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON CONFLICT (compact_id, month, state, "
        "level, outcome_type, outcome_kind) DO UPDATE SET cases = tally_closed.cases + "
        "excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; INSERT INTO tally_closed (compact_id, month, state, level, "
        "outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, notice_days_gained, "
        "service_users_affected) SELECT c.compact_id, date_trunc('month', c.closed_on)::date, "
        "c.state, NEW.level, coalesce(NEW.outcome_type, ''), NEW.kind, 1, 1 * "
        "coalesce(NEW.funding_protected, 0), 1 * coalesce(NEW.jobs_safeguarded, 0), 1 * "
        "coalesce(NEW.notice_days_gained, 0), 1 * coalesce(NEW.service_users_affected, 0) FROM cases "
        "c WHERE c.id = NEW.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, NEW.level, c.working_days_to_close, 1 FROM cases c WHERE c.id = "
        "NEW.case_id AND c.state = 'resolved' AND c.closed_on IS NOT NULL AND "
        "c.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO UPDATE "
        "SET cases = tally_days.cases + excluded.cases; RETURN NULL; END $$",
        "CREATE TRIGGER tally_outcomes_insert AFTER INSERT ON outcomes FOR EACH ROW EXECUTE FUNCTION "
        "tally_outcomes_insert()",
    ),
    (
        "outcomes",
        "tally_outcomes_update",
        "CREATE OR REPLACE FUNCTION tally_outcomes_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, "
        "outcome_kind, cases, funding_protected, jobs_safeguarded, notice_days_gained, "
        "service_users_affected) SELECT c.compact_id, date_trunc('month', c.closed_on)::date, "
        "c.state, OLD.level, coalesce(OLD.outcome_type, ''), OLD.kind, -1, -1 * "
        "coalesce(OLD.funding_protected, 0), -1 * coalesce(OLD.jobs_safeguarded, 0), -1 * "
        "coalesce(OLD.notice_days_gained, 0), -1 * coalesce(OLD.service_users_affected, 0) FROM "
        "cases c WHERE c.id = OLD.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, OLD.level, c.working_days_to_close, -1 FROM cases c WHERE c.id = "
        "OLD.case_id AND c.state = 'resolved' AND c.closed_on IS NOT NULL AND "
        "c.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO UPDATE "
        "SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, c.state, NEW.level, coalesce(NEW.outcome_type, ''), NEW.kind, 1, 1 * "
        "coalesce(NEW.funding_protected, 0), 1 * coalesce(NEW.jobs_safeguarded, 0), 1 * "
        "coalesce(NEW.notice_days_gained, 0), 1 * coalesce(NEW.service_users_affected, 0) FROM cases "
        "c WHERE c.id = NEW.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, NEW.level, c.working_days_to_close, 1 FROM cases c WHERE c.id = "
        "NEW.case_id AND c.state = 'resolved' AND c.closed_on IS NOT NULL AND "
        "c.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO UPDATE "
        "SET cases = tally_days.cases + excluded.cases; RETURN NULL; END $$",
        "CREATE TRIGGER tally_outcomes_update AFTER UPDATE ON outcomes FOR EACH ROW EXECUTE FUNCTION "
        "tally_outcomes_update()",
    ),
    (
        "outcomes",
        "tally_outcomes_delete",
        "CREATE OR REPLACE FUNCTION tally_outcomes_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, "
        "outcome_kind, cases, funding_protected, jobs_safeguarded, notice_days_gained, "
        "service_users_affected) SELECT c.compact_id, date_trunc('month', c.closed_on)::date, "
        "c.state, OLD.level, coalesce(OLD.outcome_type, ''), OLD.kind, -1, -1 * "
        "coalesce(OLD.funding_protected, 0), -1 * coalesce(OLD.jobs_safeguarded, 0), -1 * "
        "coalesce(OLD.notice_days_gained, 0), -1 * coalesce(OLD.service_users_affected, 0) FROM "
        "cases c WHERE c.id = OLD.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', "
        "'withdrawn') ON CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO "
        "UPDATE SET cases = tally_closed.cases + excluded.cases, funding_protected = "
        "tally_closed.funding_protected + excluded.funding_protected, jobs_safeguarded = "
        "tally_closed.jobs_safeguarded + excluded.jobs_safeguarded, notice_days_gained = "
        "tally_closed.notice_days_gained + excluded.notice_days_gained, service_users_affected = "
        "tally_closed.service_users_affected + excluded.service_users_affected; INSERT INTO "
        "tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, OLD.level, c.working_days_to_close, -1 FROM cases c WHERE c.id = "
        "OLD.case_id AND c.state = 'resolved' AND c.closed_on IS NOT NULL AND "
        "c.working_days_to_close IS NOT NULL ON CONFLICT (compact_id, month, level, days) DO UPDATE "
        "SET cases = tally_days.cases + excluded.cases; INSERT INTO tally_closed (compact_id, month, "
        "state, level, outcome_type, outcome_kind, cases, funding_protected, jobs_safeguarded, "
        "notice_days_gained, service_users_affected) SELECT c.compact_id, date_trunc('month', "
        "c.closed_on)::date, c.state, '', '', '', 1, 0, 0, 0, 0 FROM cases c WHERE c.id = "
        "OLD.case_id AND c.closed_on IS NOT NULL AND c.state IN ('resolved', 'withdrawn') ON "
        "CONFLICT (compact_id, month, state, level, outcome_type, outcome_kind) DO UPDATE SET cases "
        "= tally_closed.cases + excluded.cases, funding_protected = tally_closed.funding_protected + "
        "excluded.funding_protected, jobs_safeguarded = tally_closed.jobs_safeguarded + "
        "excluded.jobs_safeguarded, notice_days_gained = tally_closed.notice_days_gained + "
        "excluded.notice_days_gained, service_users_affected = tally_closed.service_users_affected + "
        "excluded.service_users_affected; RETURN NULL; END $$",
        "CREATE TRIGGER tally_outcomes_delete AFTER DELETE ON outcomes FOR EACH ROW EXECUTE FUNCTION "
        "tally_outcomes_delete()",
    ),
    (
        "case_areas",
        "tally_case_areas_insert",
        "CREATE OR REPLACE FUNCTION tally_case_areas_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, "
        "date_trunc('month', c.raised_on)::date, NEW.area, 1 FROM cases c WHERE c.id = NEW.case_id "
        "ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + "
        "excluded.cases; RETURN NULL; END $$",
        "CREATE TRIGGER tally_case_areas_insert AFTER INSERT ON case_areas FOR EACH ROW EXECUTE "
        "FUNCTION tally_case_areas_insert()",
    ),
    (
        "case_areas",
        "tally_case_areas_update",
        "CREATE OR REPLACE FUNCTION tally_case_areas_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, "
        "date_trunc('month', c.raised_on)::date, OLD.area, -1 FROM cases c WHERE c.id = OLD.case_id "
        "ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + "
        "excluded.cases; INSERT INTO tally_areas (compact_id, month, area, cases) SELECT "
        "c.compact_id, date_trunc('month', c.raised_on)::date, NEW.area, 1 FROM cases c WHERE c.id = "
        "NEW.case_id ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + "
        "excluded.cases; RETURN NULL; END $$",
        "CREATE TRIGGER tally_case_areas_update AFTER UPDATE ON case_areas FOR EACH ROW EXECUTE "
        "FUNCTION tally_case_areas_update()",
    ),
    (
        "case_areas",
        "tally_case_areas_delete",
        "CREATE OR REPLACE FUNCTION tally_case_areas_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$ "
        "BEGIN INSERT INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, "
        "date_trunc('month', c.raised_on)::date, OLD.area, -1 FROM cases c WHERE c.id = OLD.case_id "
        "ON CONFLICT (compact_id, month, area) DO UPDATE SET cases = tally_areas.cases + "
        "excluded.cases; RETURN NULL; END $$",
        "CREATE TRIGGER tally_case_areas_delete AFTER DELETE ON case_areas FOR EACH ROW EXECUTE "
        "FUNCTION tally_case_areas_delete()",
    ),
]

SQLITE_COUNT = [
    "INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT compact_id, "
    "date(raised_on, 'start of month'), funder_id, count(*), sum(CASE WHEN state = 'resolved' "
    "THEN 1 ELSE 0 END) FROM cases GROUP BY 1, 2, 3",
    "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, "
    "cases, funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) "
    "SELECT c.compact_id, date(c.closed_on, 'start of month'), c.state, coalesce(o.level, ''), "
    "coalesce(o.outcome_type, ''), coalesce(o.kind, ''), count(*), "
    "sum(coalesce(o.funding_protected, 0)), sum(coalesce(o.jobs_safeguarded, 0)), "
    "sum(coalesce(o.notice_days_gained, 0)), sum(coalesce(o.service_users_affected, 0)) FROM "
    "cases c LEFT JOIN outcomes o ON o.case_id = c.id WHERE c.closed_on IS NOT NULL AND c.state "
    "IN ('resolved', 'withdrawn') GROUP BY 1, 2, 3, 4, 5, 6",
    "INSERT INTO tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, "
    "date(c.closed_on, 'start of month'), o.level, c.working_days_to_close, count(*) FROM cases c "
    "JOIN outcomes o ON o.case_id = c.id WHERE c.state = 'resolved' AND c.closed_on IS NOT NULL "
    "AND c.working_days_to_close IS NOT NULL GROUP BY 1, 2, 3, 4",
    "INSERT INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, "
    "date(c.raised_on, 'start of month'), a.area, count(*) FROM cases c JOIN case_areas a ON "
    "a.case_id = c.id GROUP BY 1, 2, 3",
]

POSTGRES_COUNT = [
    "INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved) SELECT compact_id, "
    "date_trunc('month', raised_on)::date, funder_id, count(*), sum(CASE WHEN state = 'resolved' "
    "THEN 1 ELSE 0 END) FROM cases GROUP BY 1, 2, 3",
    "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind, "
    "cases, funding_protected, jobs_safeguarded, notice_days_gained, service_users_affected) "
    "SELECT c.compact_id, date_trunc('month', c.closed_on)::date, c.state, coalesce(o.level, ''), "
    "coalesce(o.outcome_type, ''), coalesce(o.kind, ''), count(*), "
    "sum(coalesce(o.funding_protected, 0)), sum(coalesce(o.jobs_safeguarded, 0)), "
    "sum(coalesce(o.notice_days_gained, 0)), sum(coalesce(o.service_users_affected, 0)) FROM "
    "cases c LEFT JOIN outcomes o ON o.case_id = c.id WHERE c.closed_on IS NOT NULL AND c.state "
    "IN ('resolved', 'withdrawn') GROUP BY 1, 2, 3, 4, 5, 6",
    "INSERT INTO tally_days (compact_id, month, level, days, cases) SELECT c.compact_id, "
    "date_trunc('month', c.closed_on)::date, o.level, c.working_days_to_close, count(*) FROM "
    "cases c JOIN outcomes o ON o.case_id = c.id WHERE c.state = 'resolved' AND c.closed_on IS "
    "NOT NULL AND c.working_days_to_close IS NOT NULL GROUP BY 1, 2, 3, 4",
    "INSERT INTO tally_areas (compact_id, month, area, cases) SELECT c.compact_id, "
    "date_trunc('month', c.raised_on)::date, a.area, count(*) FROM cases c JOIN case_areas a ON "
    "a.case_id = c.id GROUP BY 1, 2, 3",
]


def _keyed(name, *keys, figures=("cases",), big=()):
    op.create_table(
        name,
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *keys,
        *(sa.Column(f, sa.Integer(), nullable=False) for f in figures),
        *(sa.Column(f, sa.BigInteger(), nullable=False) for f in big),
        sa.PrimaryKeyConstraint("compact_id", "month", *(k.name for k in keys)),
    )


def upgrade():
    op.create_index("ix_cases_closed_on", "cases", ["closed_on"])
    _keyed(
        "tally_opened",
        sa.Column("funder_id", sa.Integer(), nullable=False),
        figures=("cases", "resolved"),
    )
    _keyed(
        "tally_closed",
        sa.Column("state", KEY, nullable=False),
        sa.Column("level", KEY, nullable=False),
        sa.Column("outcome_type", KEY, nullable=False),
        sa.Column("outcome_kind", KEY, nullable=False),
        big=(
            "funding_protected",
            "jobs_safeguarded",
            "notice_days_gained",
            "service_users_affected",
        ),
    )
    _keyed(
        "tally_days",
        sa.Column("level", KEY, nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
    )
    _keyed("tally_areas", sa.Column("area", KEY, nullable=False))
    if op.get_bind().dialect.name == "postgresql":
        for _table, _name, function, trigger in POSTGRES_TRIGGERS:
            op.execute(function)
            op.execute(trigger)
        counting = POSTGRES_COUNT
    else:
        for _name, trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        counting = SQLITE_COUNT
    for statement in counting:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table, name, _function, _trigger in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name, _trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("tally_areas", "tally_days", "tally_closed", "tally_opened"):
        op.drop_table(table)
    op.drop_index("ix_cases_closed_on", table_name="cases")

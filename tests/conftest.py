"""Fixtures: an app on the test database, a browser-like client, and a small region to work in.

The database is SQLite in memory unless TEST_DATABASE_URL names another (PostgreSQL in CI).
When TEST_DATABASE_URL is set but the server cannot be reached, every test that needs the
database is skipped with the reason, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases import bank_holidays as bank_holiday_overrides
from compactcases import create_app
from compactcases.config import TestConfig, database_url
from compactcases.extensions import db as _db
from compactcases.models import (
    TALLIES,
    Area,
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Region,
    Role,
    Side,
    Tier,
    User,
)
from workflows import bank_holidays

PASSWORD = "correct horse battery staple"
GIVEN_DATABASE_URL = database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
ON_POSTGRES = GIVEN_DATABASE_URL.startswith("postgresql")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# Under `pytest -n`, each worker ("gw0", "gw1", …) has a PostgreSQL database of its own, named
# after the given one (test_gw0, …) and made on first use; SQLite in memory is each process's.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_url(url: str) -> str:
    if not (url.startswith("postgresql") and WORKER):
        return url
    given = sa.engine.make_url(url)
    return given.set(database=f"{given.database}_{WORKER}").render_as_string(False)


TEST_DATABASE_URL = _worker_url(GIVEN_DATABASE_URL)


def _unreachable_reason(url: str) -> str | None:
    if not url.startswith("postgresql"):
        return None
    engine = sa.create_engine(
        url, connect_args={"connect_timeout": 3}, isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            if url != TEST_DATABASE_URL:
                _ensure_database(connection, sa.engine.make_url(TEST_DATABASE_URL).database)
    except sa.exc.OperationalError as error:
        return f"PostgreSQL at {engine.url.render_as_string()} cannot be reached: {error.orig}"
    finally:
        engine.dispose()
    return None


def _ensure_database(connection: sa.Connection, name: str) -> None:
    """Make the worker's database unless it is there already."""
    found = connection.execute(
        sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
    ).first()
    if found is None:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))


def pytest_report_header(config) -> str:
    return f"database: {sa.engine.make_url(TEST_DATABASE_URL).render_as_string()}"


@pytest.fixture(scope="session")
def database_reason() -> None:
    reason = _unreachable_reason(GIVEN_DATABASE_URL)
    if reason and IN_CI:
        pytest.exit(f"CI needs PostgreSQL: {reason}", returncode=3)
    if reason:
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def published_bank_holidays():
    """Each test starts counting with the published bank holidays, whatever one before it
    added or removed."""
    yield
    bank_holidays.use_overrides()
    bank_holiday_overrides.forget()


@pytest.fixture(scope="session")
def app(database_reason, tmp_path_factory):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = TEST_DATABASE_URL
        DOCUMENT_DIR = str(tmp_path_factory.mktemp("documents"))

    app = create_app(Config)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.session.remove()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, emptied after each test."""
    with app.app_context():
        yield _db
        empty_database()


def empty_database() -> None:
    """Forget the session's objects and delete every row (in an application context)."""
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())
        # Deleting the cases' outcomes and areas moved the report tallies after some of
        # them were emptied: empty them last.
        for tally in TALLIES:
            connection.execute(sa.delete(tally))


class Browser:
    """A test client that fills in forms as a person would: it reads the page first.

    Each request runs in an application context of its own, as it would in a server: its
    own `g` and database session. The test's session is committed before each request and
    expired after it, so what the test reads afterwards comes from the database.
    """

    def __init__(self, app, client) -> None:
        self.app = app
        self.client = client
        self.stay_signed_in: tuple | None = None
        self.last_request_at: float | None = None

    def _request(self, method: str, url: str, **kwargs):
        self._sign_in_again_if_the_clock_moved()
        self.last_request_at = time.time()
        _db.session.commit()
        with self.app.app_context():
            # Buffered: a streamed response (a CSV download) is read while its request runs.
            response = getattr(self.client, method)(url, buffered=True, **kwargs)
        _db.session.expire_all()
        return response

    def get(self, url: str, **kwargs):
        return self._request("get", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self._request("post", url, **kwargs)

    def request(self, method: str, url: str, **kwargs):
        return self._request(method.lower(), url, **kwargs)

    def sign_in(self, user, password: str = PASSWORD, *, stay: bool = False):
        """Sign in through the form. With `stay`, sign in again whenever a test moves the
        clock back (the session cookie would be dated in the future) or past the idle limit,
        as a person coming back to the page would."""
        self.stay_signed_in = None
        response = self.submit("/sign-in", "/sign-in", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[-500:]
        if stay:
            self.stay_signed_in = (user, password, time.time())
        return response

    def _sign_in_again_if_the_clock_moved(self) -> None:
        if self.stay_signed_in is None:
            return
        user, password, signed_at = self.stay_signed_in
        now = time.time()
        idle_limit = self.app.config["IDLE_TIMEOUT_MINUTES"] * 60
        if now < signed_at or now - (self.last_request_at or now) > idle_limit - 60:
            self.sign_in(user, password, stay=True)

    def sign_out(self):
        return self.submit("/cases", "/sign-out", {})

    def submit(self, page_url: str, action_url: str, data: dict, token_field: str = "csrf_token"):
        page = self.get(page_url)
        assert page.status_code == 200, page.status_code
        token = csrf_token(page.get_data(as_text=True), token_field)
        return self.post(action_url, data={token_field: token, **data})


@contextmanager
def counting_statements(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements sent on `engine` while the block runs, in order."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def csrf_token(html: str, field: str = "csrf_token") -> str:
    """The page's CSRF token: the session's, so any form's token on the page will do."""
    match = re.search(rf'<input[^>]*name="{re.escape(field)}"[^>]*value="([^"]+)"', html)
    match = match or re.search(r'<input[^>]*name="[a-z_-]*csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no {field} on the page"
    return match.group(1)


@pytest.fixture
def anonymous(app, db):
    """A browser that has not signed in."""
    # No `with`: a client used as a context manager keeps request contexts alive between
    # requests, and each request here must start and end its own.
    return Browser(app, app.test_client())


@pytest.fixture
def browser(anonymous, world):
    """A browser signed in as the Birmingham Compact officer."""
    anonymous.sign_in(world.officer, stay=True)
    return anonymous


class World:
    """A small West Midlands: two Compacts, their funders and voluntary organisations."""

    def __init__(self, db) -> None:
        self.organisations: list[Organisation] = []
        self.users: list[User] = []
        self.region = Region(code="WM", name="West Midlands")
        self.bir = Compact(code="BIR", name="Birmingham", tier=Tier.UPPER, region=self.region)
        self.war = Compact(code="WAR", name="Warwickshire", tier=Tier.UPPER, region=self.region)
        self.rug = Compact(
            code="RUG", name="Rugby", tier=Tier.DISTRICT, region=self.region, parent=self.war
        )
        self.council = self._org("Birmingham City Council", OrganisationType.COUNCIL, self.bir)
        self.wcc = self._org("Warwickshire County Council", OrganisationType.COUNCIL, self.war)
        self.police = self._org("West Midlands Police", OrganisationType.POLICE, self.bir)
        self.youth = self._org("Sparkbrook Youth Project", OrganisationType.CHARITY, self.bir)
        self.foodbank = self._org(
            "Ladywood Community Food Bank", OrganisationType.COMMUNITY_GROUP, self.bir
        )
        self.rugby_cvs = self._org("Rugby Voluntary Action", OrganisationType.CVS, self.war)
        self.officer = self._user("officer.bir@example.org", "Priya Shah", Role.OFFICER, self.bir)
        self.officer_war = self._user(
            "officer.war@example.org", "Helen Carter", Role.OFFICER, self.war
        )
        self.mediator = self._user("mediator.wm@example.org", "Margaret O'Neill", Role.MEDIATOR)
        self.viewer = self._user("viewer.wm@example.org", "James Whitfield", Role.VIEWER)
        self.funder = self._user(
            "funder.bcc@example.org", "Andrew Collins", Role.FUNDER, organisation=self.council
        )
        self.admin = self._user("admin@example.org", "Claire Bennett", Role.ADMIN)
        # A person acting for a voluntary organisation: a party to Sparkbrook's cases.
        self.organisation_user = self._user(
            "team@sparkbrook.example.org",
            "Tom Baker",
            Role.ORGANISATION,
            organisation=self.youth,
        )
        self.other_region = Region(code="EM", name="East Midlands")
        self.mediator_em = self._user(
            "mediator.em@example.org", "Joan Fisher", Role.MEDIATOR, region=self.other_region
        )
        db.session.add_all([self.region, *self.users, *self.organisations])
        db.session.commit()

    def _user(self, email, name, role, compact=None, organisation=None, region=None) -> User:
        user = User(
            email=email,
            name=name,
            role=role,
            compact=compact,
            organisation=organisation,
            region=region or self.region,
            active=True,
        )
        user.set_password(PASSWORD, method="pbkdf2:sha256:1000")
        self.users.append(user)
        return user

    def _org(self, name: str, type_: OrganisationType, compact: Compact) -> Organisation:
        kind = (
            OrganisationKind.STATUTORY
            if type_ in (OrganisationType.COUNCIL, OrganisationType.POLICE)
            else OrganisationKind.THIRD_SECTOR
        )
        organisation = Organisation(
            name=name, kind=kind, type=type_, region=self.region, compact=compact
        )
        self.organisations.append(organisation)
        return organisation


@pytest.fixture
def world(db) -> World:
    return World(db)


@pytest.fixture
def make_case(world, db):
    """Log a case through the service, as the new-case form does."""
    from compactcases.cases import services

    def make(**overrides):
        values = dict(
            compact_id=world.bir.id,
            title="Youth service grant cut with six weeks' notice",
            summary="The council ended the youth work grant giving six weeks' notice.",
            funder_id=world.council.id,
            third_sector_id=world.youth.id,
            raised_by=Side.THIRD_SECTOR,
            areas=(Area.FUNDING,),
            amount_at_stake=45000,
            raised_on=date(2026, 10, 5),
        )
        values.update(overrides)
        return services.create_case(services.CaseDetails(**values), world.officer)

    return make


def pytest_terminal_summary(terminalreporter) -> None:
    from tests.app.test_api_schema import SENT

    if SENT:
        terminalreporter.write_line(
            f"schemathesis: {sum(SENT.values())} generated requests across "
            f"{len(SENT)} API operations"
        )

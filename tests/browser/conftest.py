"""Browser fixtures: the app served on loopback, driven by Debian's Chromium through Playwright,
and `checked(page)`, the checks every page a browser test visits must pass.

Without Chromium (or Playwright) these tests skip with the reason, except under CI=true,
where that is a failure: `make test` installs both.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import IN_CI, PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        if IN_CI:
            pytest.exit(f"CI needs Playwright: {error}", returncode=3)
        pytest.skip(f"Playwright is not installed: {error}")
    if not shutil.which("chromium"):
        if IN_CI:
            pytest.exit("CI needs Debian's Chromium (apt-get install chromium)", returncode=3)
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app, db):
    """The app served on a free loopback port for the length of one test."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# axe-core, from the npm package (read from disk: the tests never reach the network). Run
# through Playwright's evaluate, which the page's Content-Security-Policy does not govern.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Violations of these impacts fail a page; "minor" ones do not.
FAILING_IMPACTS = ("moderate", "serious", "critical")
DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 375, "height": 800}
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""
# How far the page reaches past the viewport's right edge, after layout has settled.
OVERFLOW = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
  () => done(document.documentElement.scrollWidth - window.innerWidth))))"""
# Markup shown as text: a tag a person can read on the page (an escaped template string).
VISIBLE_TAG = re.compile(r"</?[a-z][a-z0-9-]*(\s[^<>]*)?>")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed ({AXE}): run npm ci"
        if IN_CI:
            pytest.exit(message, returncode=3)
        pytest.skip(message)
    return AXE.read_text()


def run_axe(page, axe_source: str) -> list:
    """axe-core's findings on the page once it has loaded. A click that navigates returns
    when the navigation starts, so the document may still be being replaced: wait for it
    to load, and if the page changed under axe, wait again and check the new page."""
    from playwright.sync_api import Error

    tries = 3
    while True:
        tries -= 1
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(axe_source + "\n;0")
            return page.evaluate(RUN_AXE)
        except Error as error:
            if tries == 0 or not NAVIGATED.search(str(error)):
                raise


NAVIGATED = re.compile(
    r"Execution context was destroyed|reading 'documentElement'|navigat|Target closed"
)


def check_page(page, axe_source: str) -> None:
    """Fail unless the page as it stands passes: no axe-core violation of moderate impact or
    worse, nothing wider than a 375 px viewport, and no markup shown as text. Leaves the page
    as it found it (desktop width)."""
    results = run_axe(page, axe_source)
    where = page.url
    violations = [v for v in results if v["impact"] in FAILING_IMPACTS]
    assert violations == [], f"{where}: axe-core found " + "; ".join(
        f"{v['id']} ({v['impact']}: {v['help']}) at {', '.join(v['targets'])}" for v in violations
    )
    # A stacked table labels each cell with its column's heading for narrow screens.
    unlabelled = page.locator(
        ".app-table--stacked tbody td:not([data-label]), "
        ".app-table--stacked tbody th:not([data-label])"
    ).count()
    assert unlabelled == 0, f"{where}: {unlabelled} cells of a stacked table have no data-label"
    text = page.locator("body").inner_text()
    shown = VISIBLE_TAG.search(text)
    assert shown is None, f"{where}: markup shown as text: {shown.group(0)!r}"
    page.set_viewport_size(NARROW)
    try:
        overflow = page.evaluate(OVERFLOW)
    finally:
        page.set_viewport_size(DESKTOP)
    assert overflow <= 0, f"{where}: {overflow}px wider than a 375px screen"


@pytest.fixture
def checked(axe_source):
    """`checked(page)`: the page passes axe-core, fits 375 px and shows no markup as text.
    Call it after every page a test visits."""

    def check(page) -> None:
        check_page(page, axe_source)

    return check


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

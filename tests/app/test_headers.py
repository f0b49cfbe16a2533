"""Security headers on every response: every route in the URL map, signed in as an
administrator, whatever each answers; and no inline script that the policy would not allow."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from compactcases import create_app
from compactcases.config import ProductionConfig, TestConfig
from compactcases.headers import CONTENT_SECURITY_POLICY, SHARED_FILES
from tests.app.test_access_matrix import MATRIX, records  # noqa: F401  (a fixture)
from tests.app.test_reports import YEAR_QUERY

GET_ROUTES = sorted(
    rule.rule
    for rule in create_app(TestConfig).url_map.iter_rules()
    if "GET" in rule.methods and rule.endpoint not in SHARED_FILES
)


def assert_security_headers(response, url: str, signed_in: bool = True) -> None:
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert headers["X-Frame-Options"] == "DENY", url
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] == "same-origin", url
    assert not re.search(r"\d", headers.get("Server", "")), f"{url}: {headers['Server']}"
    assert "Strict-Transport-Security" not in headers, url
    if signed_in and url.endswith(("/download", "/content")):
        assert headers["Cache-Control"] == "private, no-store", url
    elif signed_in:
        assert headers["Cache-Control"] == "no-store", url


def inline_scripts(html: str) -> list[str]:
    return [
        body
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attributes
    ]


def allowed_by_hash(script: str) -> bool:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"'sha256-{digest}'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("rule", GET_ROUTES)
def test_every_page_carries_the_security_headers(anonymous, world, records, rule):  # noqa: F811
    build_url, _, _ = MATRIX[(rule, "GET")]
    url = build_url(world, records["admin"][0])
    anonymous.sign_in(world.admin)
    response = anonymous.get(url)
    assert_security_headers(response, url)
    if response.mimetype == "text/html":
        for script in inline_scripts(response.get_data(as_text=True)):
            assert allowed_by_hash(script), f"{url}: inline script {script[:80]!r}"


def test_pages_before_signing_in_errors_and_static_files_carry_them_too(anonymous, world):
    assert_security_headers(anonymous.get("/sign-in"), "/sign-in", signed_in=False)
    assert_security_headers(anonymous.get("/no-such-page"), "/no-such-page", signed_in=False)
    assert_security_headers(anonymous.post("/sign-in"), "POST /sign-in", signed_in=False)
    static = anonymous.get("/static/application.css")
    assert_security_headers(static, "/static/application.css", signed_in=False)
    # Shared files may be cached; pages may not.
    assert static.headers.get("Cache-Control") != "no-store"
    icon = anonymous.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert_security_headers(icon, "/favicon.ico", signed_in=False)
    assert icon.headers.get("Cache-Control") != "no-store"


def test_the_report_chart_carries_no_script(anonymous, world, make_case):
    make_case()
    anonymous.sign_in(world.admin)
    page = anonymous.get(f"/reports/cases?{YEAR_QUERY}")
    html = page.get_data(as_text=True)
    assert '<figure class="app-chart" id="chart"><svg' in html
    assert "<rect" in html
    assert inline_scripts(html) == [s for s in inline_scripts(html) if allowed_by_hash(s)]
    assert "window.pygal" not in html


def test_hsts_only_in_production():
    class Config(ProductionConfig):
        SECRET_KEY = "x" * 32
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    response = create_app(Config).test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")

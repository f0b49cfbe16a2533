"""Where a webhook endpoint may point, and when a failed delivery is tried again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workflows.webhooks import address_refusal, retry_after, url_refusal


@pytest.mark.parametrize(
    "url",
    [
        "https://grants.example.org/hooks",
        "https://grants.example.org:8443/hooks?system=1",
        "https://93.184.215.14/hooks",
        "https://[2a00:1450:4009:81f::200e]/hooks",
    ],
)
def test_public_https_addresses_are_accepted(url):
    assert url_refusal(url, allow_loopback=False) is None


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("http://grants.example.org/hooks", "must start with https://"),
        ("ftp://grants.example.org/", "starting with https://"),
        ("grants.example.org/hooks", "starting with https://"),
        ("https://user:secret@grants.example.org/", "user name or password"),
        ("https://grants.example.org:99999/", "full web address"),
        ("https://10.0.0.5/hooks", "private or internal"),
        ("https://192.168.1.20/hooks", "private or internal"),
        ("https://169.254.169.254/latest/meta-data", "private or internal"),
        ("https://[fe80::1]/hooks", "private or internal"),
        ("https://0.0.0.0/hooks", "private or internal"),
        ("https://127.0.0.1/hooks", "must not point at this server"),
        ("http://localhost:8000/hooks", "must start with https://"),
        ("https://" + "a" * 2000 + ".org/", "at most 2000 characters"),
    ],
)
def test_addresses_that_are_refused_and_why(url, refusal):
    assert refusal in url_refusal(url, allow_loopback=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/hooks",
        "http://localhost/hooks",
        "http://[::1]:9000/",
        "https://127.0.0.1/",
    ],
)
def test_plain_http_to_this_machine_only_when_development_allows_it(url):
    assert url_refusal(url, allow_loopback=True) is None
    assert url_refusal(url, allow_loopback=False) is not None
    # Never to another machine on the network, even then.
    assert url_refusal("http://10.0.0.5/hooks", allow_loopback=True) is not None


def test_resolved_addresses_are_checked_the_same_way():
    assert address_refusal("93.184.215.14", allow_loopback=False) is None
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert "loopback" in address_refusal("127.0.0.1", allow_loopback=False)
    assert "private" in address_refusal("172.16.0.3", allow_loopback=True)
    assert "private" in address_refusal("fd00::7", allow_loopback=True)


def test_the_back_off_doubles_from_a_minute_up_to_six_hours_then_gives_up():
    waits = [retry_after(n, max_attempts=12) for n in range(1, 13)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[9] == timedelta(hours=6)
    assert waits[-1] is None
    assert retry_after(8, max_attempts=8) is None
    assert retry_after(7, max_attempts=8) == timedelta(minutes=64)

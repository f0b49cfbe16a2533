"""Benchmark: the app served as production serves it (gunicorn, 4 workers, PostgreSQL), under a
bounded load of concurrent signed-in clients on loopback.

Builds a fresh PostgreSQL database with the migrations, seeds the demo region plus N generated
cases, starts gunicorn with gunicorn.conf.py on a free loopback port, signs every client in as a
demo user, then loads each page in turn for a fixed time and prints one table: requests/s and
p50/p95/p99 latency and errors per page. Gunicorn is always stopped before the script ends.

Run: make bench-http, or
  PYTHONPATH=. .venv/bin/python bench/bench_http.py [--cases 100000] [--seconds 30]
      [--clients 8] [--database-url postgresql://postgres@127.0.0.1:5432/bench_http] [--reuse]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/bench_http"
PASSWORD = "bench http password"
# The administrator sees every case, so the list and reports cover all of them.
EMAIL = "admin@example.org"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_database(url: str, cases: int) -> None:
    """Drop and recreate the database, upgrade it and seed it, in a child process so this one
    never imports the app (and never starts a scheduler)."""
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_ENABLED": "false"}
    env["COMPACTCASES_ENV"] = "development"
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True)
    seeding = (
        "import time\n"
        "from compactcases import create_app\n"
        "from compactcases.demo import seed\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    started = time.perf_counter()\n"
        "    seed()\n"
        f"    report = seed(cases={cases})\n"
        "    took = time.perf_counter() - started\n"
        "    print(f'seeded {report.cases_added:,} cases in {took:.0f}s')\n"
    )
    subprocess.run([sys.executable, "-c", seeding], cwd=ROOT, env=env, check=True)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
    engine.dispose()


def set_password(url: str) -> str:
    """Give every demo account a password this script knows (a cheap hash keeps sign-in quick);
    answer a case reference to load."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE users SET password_hash = :hash"),
            {"hash": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")},
        )
        reference = connection.scalar(
            sa.text("SELECT reference FROM cases ORDER BY raised_on DESC, id DESC LIMIT 1")
        )
    engine.dispose()
    return reference


class Server:
    """gunicorn with gunicorn.conf.py, as production runs it, on a loopback port."""

    def __init__(self, url: str, workers: int, log: Path) -> None:
        self.port = _free_port()
        self.log = log.open("w")
        env = {
            **os.environ,
            "COMPACTCASES_ENV": "production",
            "SECRET_KEY": "bench-http-secret",
            "SESSION_COOKIE_SECURE": "false",
            "DATABASE_URL": url,
            "SCHEDULER_ENABLED": "false",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/readyz")
                if connection.getresponse().status == 200:
                    connection.close()
                    return
            except OSError:
                time.sleep(0.3)
        self.log.flush()
        raise RuntimeError(f"gunicorn did not become ready; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Client:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                data = answer.read()
                break
            except (http.client.HTTPException, ConnectionError):
                # The server closed an idle keep-alive connection (or a worker restarted).
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        for value in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer.status, data

    def sign_in(self, email: str) -> None:
        status, page = self.request("GET", "/sign-in")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
        status, _ = self.request(
            "POST",
            "/sign-in",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise RuntimeError(f"sign-in answered {status}")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def load(clients: list[Client], path: str, headers: dict, seconds: float) -> tuple[Result, float]:
    """Every client requests `path` back to back until the time is up; answer the latencies
    of the 200s, the count of anything else, and the elapsed time."""
    result = Result()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(client: Client) -> None:
        latencies, errors = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", path, headers=headers)
            except (OSError, http.client.HTTPException):
                status = 0  # counted as an error; the next request opens a new connection
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    started = time.monotonic()
    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, time.monotonic() - started


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30, help="per page, at most 60")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    args = parser.parse_args()
    seconds = min(args.seconds, 60)

    if not args.reuse:
        build_database(args.database_url, args.cases)
    reference = set_password(args.database_url)

    with tempfile.TemporaryDirectory() as folder:
        server = Server(args.database_url, args.workers, Path(folder) / "gunicorn.log")
        try:
            server.wait_ready()
            clients = [Client(server.port) for _ in range(args.clients)]
            for client in clients:
                client.sign_in(EMAIL)
            status, body = clients[0].request(
                "POST",
                "/api/v1/tokens",
                json.dumps({"email": EMAIL, "password": PASSWORD}).encode(),
                {"Content-Type": "application/json"},
            )
            if status != 201:
                raise RuntimeError(f"token request answered {status}: {body[:200]!r}")
            bearer = {"Authorization": f"Bearer {json.loads(body)['token']}"}
            pages = [
                ("case list /cases", "/cases", {}),
                ("case page", f"/cases/{reference}", {}),
                ("reports overview", "/reports", {}),
                ("API list /api/v1/cases", "/api/v1/cases", bearer),
            ]
            print(
                f"{args.clients} clients, {args.workers} gunicorn workers, "
                f"{seconds:.0f} s a page, signed in as {EMAIL}",
                flush=True,
            )
            print(
                f"| {'page':<24} | {'requests':>8} | {'req/s':>6} | {'p50 ms':>7} "
                f"| {'p95 ms':>7} | {'p99 ms':>7} | {'errors':>6} |"
            )
            print(
                "| "
                + "-" * 24
                + " |"
                + "|".join("-" * (w + 1) + ":" for w in (8, 6, 7, 7, 7, 6))
                + "|"
            )
            for label, path, headers in pages:
                # A few requests first, so each worker has compiled its queries and templates.
                load(clients, path, headers, min(2.0, seconds))
                result, elapsed = load(clients, path, headers, seconds)
                done = len(result.latencies)
                ms = [value * 1000 for value in result.latencies]
                print(
                    f"| {label:<24} | {done + result.errors:>8} | {done / elapsed:>6.1f} "
                    f"| {statistics.median(ms) if ms else float('nan'):>7.1f} "
                    f"| {_percentile(ms, 95):>7.1f} | {_percentile(ms, 99):>7.1f} "
                    f"| {result.errors:>6} |",
                    flush=True,
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()

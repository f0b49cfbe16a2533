"""Gunicorn settings for Compact Cases: `gunicorn -c gunicorn.conf.py app:app`.

Every value can be set from the environment; the defaults suit a small host. Each worker
starts its own reminder timer after it has loaded the app (unless SCHEDULER_ENABLED=false,
when one `flask --app app reminders serve` process does the sweeping instead): sweeps in
several workers and hosts are safe, because each reminder row is claimed before it is sent.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Two workers a core is plenty for a database-bound app; WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart a worker now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"


def post_worker_init(worker) -> None:
    from compactcases.reminders import jobs

    jobs.start_if_enabled(worker.wsgi)

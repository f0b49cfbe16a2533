"""Entry point: `flask --app app ...` and `gunicorn app:app`."""

from compactcases import create_app

app = create_app()

"""WSGI entry point for gunicorn: `gunicorn webapp.wsgi:app`."""

from . import create_app

app = create_app()

"""WSGI entry point: `gunicorn wsgi:app` (production) or `flask --app wsgi run`."""

import click

from elearn import create_app

# A web server needs no migration commands; `flask --app wsgi db …` (a command line) does.
app = create_app(migrations=click.get_current_context(silent=True) is not None)

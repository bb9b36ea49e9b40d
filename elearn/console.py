"""Entry point of the `elearn` console script: the app's Flask CLI."""

import sys

import click
from flask.cli import FlaskGroup

from elearn import create_app
from elearn.errors import ConfigError


def main() -> None:
    """Run the Flask CLI of the elearn app (same commands as `flask --app wsgi`)."""
    try:
        FlaskGroup(create_app=create_app, help="elearn: digital-skills courses.")(
            prog_name="elearn"
        )
    except ConfigError as error:  # a wrong setting: its message, not a traceback
        click.echo(f"FAIL  settings: {error}", err=True)
        sys.exit(1)

"""Entry point of the `elearn` console script: the app's Flask CLI."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from elearn import create_app
from elearn.config import environment_setting
from elearn.errors import ConfigError


def _create_app(*_args: Any, **_kwargs: Any) -> Flask:
    """Build the app; a wrong setting ends the command with one line naming the variable."""
    try:
        return create_app()
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None


def main() -> None:
    """Run the Flask CLI of the elearn app (same commands as `flask --app wsgi`)."""
    FlaskGroup(create_app=_create_app, help="elearn: digital-skills courses.")(prog_name="elearn")


def server_settings() -> None:
    """Print gunicorn's settings as JSON, each checked as at the app's start; a wrong one ends
    with one line naming it and status 2. deploy/gunicorn.conf.py runs this in a child."""
    try:
        settings = {"bind": environment_setting("BIND"), "workers": environment_setting("WORKERS")}
    except ConfigError as error:
        click.echo(f"Error: {error}", err=True)
        raise SystemExit(2) from None
    click.echo(json.dumps(settings))

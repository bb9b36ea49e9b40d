"""Entry point of the `elearn` console script: the app's Flask CLI."""

from flask.cli import FlaskGroup

from elearn import create_app


def main() -> None:
    """Run the Flask CLI of the elearn app (same commands as `flask --app wsgi`)."""
    FlaskGroup(create_app=create_app, help="elearn: digital-skills courses.")(prog_name="elearn")

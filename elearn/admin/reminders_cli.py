"""The `elearn reminders` command group."""

from __future__ import annotations

import sys
from contextlib import nullcontext

import click
from flask import current_app
from flask.cli import AppGroup

from elearn.admin.reminders import Mailer, ReminderCounts, send_reminders
from elearn.errors import ElearnError
from elearn.extensions import db

reminders_cli = AppGroup("reminders", help="Remind officials of due and overdue courses.")


@reminders_cli.command("send")
def reminders_send() -> None:
    """Remind officials of courses due within 7 days or overdue (e-mail, else in-app notice).

    E-mail goes out when ELEARN_SMTP_URL is set and the person has an address. Each reminder
    is sent at most once per assignment and period, so running the command again sends
    nothing new; each batch is committed as it is done.
    """
    url = current_app.config.get("SMTP_URL")
    total = ReminderCounts()
    try:
        with Mailer(url) if url else nullcontext() as mailer:
            for counts in send_reminders(mailer=mailer):
                db.session.commit()
                total.add(counts)
    except ElearnError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(
        f"Reminded {total.people} person(s): {total.emails} e-mail(s), "
        f"{total.notices} in-app notice(s)."
    )
    if total.email_failures:
        click.echo(
            f"{total.email_failures} e-mail(s) were refused by the server; "
            "those people got in-app notices instead."
        )

"""The `elearn reminders` command group."""

from __future__ import annotations

from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Remind officials of due and overdue courses.")

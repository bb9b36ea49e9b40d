"""Log lines as an operator reads them: plain text, or one JSON object per line."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Flask

# Fields a request's log line carries besides the message (see elearn.web).
REQUEST_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in REQUEST_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`time level logger message [id=…] [user=…]`, for a person reading the journal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        if hasattr(record, "request_id"):
            line += f" id={record.request_id}"
            if getattr(record, "user_id", None) is not None:
                line += f" user={record.user_id}"
        return line


class _OwnHandler(logging.StreamHandler):
    """The handler elearn installs, told apart so a second app replaces it, never doubles it."""


# Loggers whose INFO lines an operator wants: requests, and the rate-limit storage recovering.
INFO_LOGGERS = ("elearn", "flask-limiter")


def configure_logging(app: Flask) -> None:
    """Send warnings, and INFO from elearn itself, to standard error in the chosen format,
    unless the host process (a test runner, a logging config given to gunicorn) already set
    up logging."""
    root = logging.getLogger()
    own = [h for h in root.handlers if isinstance(h, _OwnHandler)]
    if root.handlers and not own:
        return
    for handler in own:
        root.removeHandler(handler)
    handler = _OwnHandler()
    handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter())
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for name in INFO_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)

"""Domain exceptions, and the handlers that turn errors into Vietnamese pages or JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import (
    Flask,
    current_app,
    g,
    has_request_context,
    jsonify,
    render_template,
    request,
    session,
)
from flask.sessions import NullSession
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from sqlalchemy import event
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from elearn import metrics
from elearn.extensions import db, login_manager

log = logging.getLogger(__name__)

RETRY_AFTER = "10"  # seconds: a restarting database or a held lock is back within that
# Failures that say "the database cannot answer now", not "this request is wrong": the server
# went away or is restarting, the pool is exhausted, SQLite is locked, the disk is full or
# read-only. They are a 503 with Retry-After, never a 500.
DATABASE_DOWN = (
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PoolTimeout,
    PendingRollbackError,
)
# Substrings of SQLite's and PostgreSQL's messages that name the kind of failure (for the log
# and the database-errors metric).
_KINDS = (
    ("locked", ("database is locked", "database table is locked")),
    ("disk-full", ("disk is full", "no space left on device")),
    ("read-only", ("readonly database", "read-only file system", "read-only transaction")),
)


class ElearnError(Exception):
    """Base class of problems a person can act on (bad file, bad setting, bad request)."""


class ConfigError(ElearnError):
    """A setting is missing or wrong; the message names the environment variable."""


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file, where it is and what it is (in the reader's language).

    `str()` is the contract's frame, `row N, column X: problem`, which the command line prints
    and scripts may read; `localised()` puts the same frame in the reader's language for pages.
    """

    message: str
    row: int | None = None  # None: the file as a whole
    column: str | None = None

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, column {self.column}: {self.message}"

    def localised(self) -> str:
        """The problem with its place in the reader's language: "dòng 3, cột email: …"."""
        if self.row is None:
            return self.message
        if self.column is None:
            return gettext("dòng %(row)s: %(problem)s", row=self.row, problem=self.message)
        return gettext(
            "dòng %(row)s, cột %(column)s: %(problem)s",
            row=self.row,
            column=self.column,
            problem=self.message,
        )


class ImportProblem(ElearnError):
    """A file to import has bad rows; `problems` lists every one of them."""

    def __init__(self, problems: list[str | RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def localised(self) -> list[str]:
        """Every problem for a page, its place in the reader's language."""
        return [p.localised() if isinstance(p, RowProblem) else str(p) for p in self.problems]


class NotFound(ElearnError):
    """A named object (unit, user, course) does not exist."""


class Forbidden(ElearnError):
    """The caller may not act on this object."""


_MESSAGES = {
    400: (
        _l("Yêu cầu không hợp lệ"),
        _l("Trang đã cũ hoặc dữ liệu gửi lên không đúng. Anh/chị hãy tải lại trang và thử lại."),
    ),
    403: (_l("Không có quyền truy cập"), _l("Tài khoản của anh/chị không được xem trang này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang anh/chị tìm không có hoặc đã được chuyển đi.")),
    405: (_l("Thao tác không hợp lệ"), _l("Trang này không nhận thao tác đó.")),
    413: (_l("Dữ liệu quá lớn"), _l("Tệp hoặc nội dung gửi lên quá lớn.")),
    429: (
        _l("Thử lại quá nhiều lần"),
        _l("Anh/chị đã thử quá nhiều lần. Hãy đợi vài phút rồi thử lại."),
    ),
    500: (_l("Có lỗi xảy ra"), _l("Hệ thống gặp sự cố. Anh/chị hãy thử lại sau ít phút.")),
    503: (
        _l("Hệ thống đang bận"),
        _l("Hệ thống đang bận hoặc bảo trì. Anh/chị hãy thử lại sau ít phút."),
    ),
}


def error_message(code: int) -> tuple[str, str]:
    """Return the translated title and explanation shown for an HTTP status."""
    title, text = _MESSAGES.get(code, _MESSAGES[500])
    return str(title), str(text)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(code: int, description: str | None = None, *, page_text: str | None = None):
    """The error as JSON (`description` or the title) or as a page; `page_text`, a message
    already in the reader's language, replaces the page's general explanation."""
    title, text = error_message(code)
    text = page_text or text
    if _wants_json():
        return jsonify(error=description or title), code
    request_id = g.get("request_id")
    if isinstance(session, NullSession):  # a missing static file: no session to build a page
        return _bare_page(code, title, text), code
    try:
        page = render_template(
            "errors/error.html", code=code, title=title, text=text, request_id=request_id
        )
    except Exception:  # the error path itself must not fail: answer a page with no template
        log.exception("the error page for %s could not be rendered", code)
        page = _bare_page(code, title, text)
    return page, code


def _bare_page(code: int, title: str, text: str) -> str:
    """The error page without templates, user or database: what is left when all else fails."""
    return (
        f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p><p>{code}</p></html>"
    )


def database_failure_kind(error: BaseException) -> str:
    """Name what went wrong with the database: locked, disk-full, read-only or unavailable."""
    message = str(getattr(error, "orig", None) or error).lower()
    for kind, phrases in _KINDS:
        if any(phrase in message for phrase in phrases):
            return kind
    return "unavailable"


def _forget_database_state() -> None:
    """Drop the failed transaction and the loaded user, so nothing on the error page reads
    the database again (rolling back a dead connection may itself fail)."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rolling back after a database failure failed too", exc_info=True)
        try:
            db.session().invalidate()
        except Exception:
            log.warning("the database session could not be reset", exc_info=True)
    g._login_user = login_manager.anonymous_user()  # the page header shows no account


def database_failure_reason(error: Exception) -> str:
    """The first line of the driver's own message (e.g. "connection refused"), for logs and
    for `elearn doctor`; the rest of it is the failed statement and its parameters."""
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _may_retry(error: Exception) -> bool:
    """A request whose connection turned out dead (the database restarted since it was
    pooled) is tried once more when that cannot do anything twice: a GET or HEAD, which
    changes nothing, or any request whose very first statement failed, so that the database
    holds nothing of it yet (the usual case: a stale pooled connection fails at once, on the
    signed-in user's lookup). SQLAlchemy has already emptied the pool of the connections made
    before the restart. This replaces a test query (`pool_pre_ping`) before every request, a
    round trip each on PostgreSQL."""
    return (
        isinstance(error, DBAPIError)
        and error.connection_invalidated
        and not g.get("_database_retried")
        and (request.method in ("GET", "HEAD") or not g.get("_database_answered"))
    )


def _note_answered(*_args: object) -> None:
    """Remember that the database answered a statement of this request (see `_may_retry`)."""
    if has_request_context():
        g._database_answered = True


def _retry_on_a_new_connection():
    """Run the request's hooks and view again, once, on a fresh session and connection."""
    g._database_retried = True
    log.warning("database connection lost on %s %s; trying once more", request.method, request.path)
    _forget_database_state()
    g.pop("_login_user", None)  # load the user again through the new connection
    app = current_app._get_current_object()
    try:
        return app.preprocess_request() or app.dispatch_request()
    except Exception as again:  # answered as any error is (a 404, or this time a 503)
        return app.handle_user_exception(again)


def register_error_handlers(app: Flask) -> None:
    """Map HTTP errors, database outages and crashes to small Vietnamese pages (or JSON)."""
    with app.app_context():
        event.listen(db.engine, "after_cursor_execute", _note_answered)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        described = error.description if error.description != type(error).description else None
        response = _respond(error.code or 500, described)
        if error.code == 429:
            return response[0], 429, {"Retry-After": "600"}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            return response[0], 405, {"Allow": ", ".join(sorted(error.valid_methods))}
        return response

    @app.errorhandler(NotFound)
    def missing_object(_error: NotFound):
        """A service found no such unit, course or record: the same 404 as a wrong URL."""
        return _respond(404)

    @app.errorhandler(Forbidden)
    def object_out_of_scope(error: Forbidden):
        """A service refused an object outside the caller's units: the 403 page, saying
        which unit in the scope rule's own words."""
        return _respond(403, page_text=str(error) or None)

    @app.errorhandler(DataError)
    def bad_value(error: DataError):
        db.session.rollback()
        log.info("value refused by the database: %s", error.orig)
        return _respond(400)

    def database_unavailable(error: Exception):
        """The database cannot answer now: "try again" with Retry-After, never a crash page;
        a request that met a dropped connection before the database answered any of it (or
        a read) is answered on a new one (`_may_retry`)."""
        if _may_retry(error):
            return _retry_on_a_new_connection()
        kind = database_failure_kind(error)
        _forget_database_state()
        reason = database_failure_reason(error)
        log.error("database %s on %s %s: %s", kind, request.method, request.path, reason)
        metrics.database_errors.labels(kind).inc()
        body, code = _respond(503)
        return body, code, {"Retry-After": RETRY_AFTER}

    for error_class in DATABASE_DOWN:
        app.register_error_handler(error_class, database_unavailable)

    @app.errorhandler(Exception)
    def crash(error: Exception):
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return database_unavailable(error)  # a lost connection, whatever the driver said
        _forget_database_state()
        log.exception("unhandled error on %s", request.path)
        return _respond(500)

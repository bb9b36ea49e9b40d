"""Domain exceptions, and the handlers that turn errors into Vietnamese pages or JSON."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from elearn.extensions import db

log = logging.getLogger(__name__)


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


def _respond(code: int, description: str | None = None):
    title, text = error_message(code)
    if _wants_json():
        return jsonify(error=description or title), code
    return render_template("errors/error.html", code=code, title=title, text=text), code


def register_error_handlers(app: Flask) -> None:
    """Map HTTP errors, database outages and crashes to small Vietnamese pages (or JSON)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        described = error.description if error.description != type(error).description else None
        response = _respond(error.code or 500, described)
        if error.code == 429:
            return response[0], 429, {"Retry-After": "600"}
        return response

    @app.errorhandler(NotFound)
    def missing_object(_error: NotFound):
        """A service found no such unit, course or record: the same 404 as a wrong URL."""
        return _respond(404)

    @app.errorhandler(Forbidden)
    def object_out_of_scope(_error: Forbidden):
        """A service refused an object outside the caller's units: the plain 403 page."""
        return _respond(403)

    @app.errorhandler(DataError)
    def bad_value(error: DataError):
        db.session.rollback()
        log.info("value refused by the database: %s", error.orig)
        return _respond(400)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        db.session.rollback()
        log.error("database unavailable: %s", error)
        body, code = _respond(503)
        return body, code, {"Retry-After": "30"}

    @app.errorhandler(Exception)
    def crash(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s", request.path)
        return _respond(500)

"""Request-wide behaviour: the session loader, forced password change, security headers,
request ids, the request log and metrics, template helpers and SQLite connection settings."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import time
import uuid
from functools import lru_cache
from pathlib import Path

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from flask_login import current_user
from limits import parse
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.routing import IntegerConverter

from elearn import audit, formatting, metrics
from elearn.auth.service import load_session_user
from elearn.auth.tokens import user_for_token
from elearn.extensions import db, login_manager
from elearn.models import User
from elearn.progress.status import status_label, via_label

log = logging.getLogger(__name__)

ONE_YEAR = 365 * 24 * 3600
DENIED_LIMIT = parse("30 per hour")  # audited 403s per actor (account, else address)
FIRST_SCREEN_CSS = "first.css"  # inlined in every page; style.css follows at the page's end
# Pages a user who must change their password may still open.
ALLOWED_BEFORE_PASSWORD_CHANGE = {
    "media.image",
    "auth.change_password",
    "auth.logout",
    "static",
    "site.healthz",
    "site.set_language",
    "site.favicon",
    "ops.metrics_page",
}
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")  # what a proxy's id may look like to be kept
request_log = logging.getLogger("elearn.request")


class RowIdConverter(IntegerConverter):
    """`<id:name>`: a database row id; larger numbers are a 404, not an overflow (500)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.max = 2**31 - 1


SESSIONLESS = ("/static/", "/healthz")  # paths that need no session


class _SessionInterface(SecureCookieSessionInterface):
    """The signed cookie session, not opened for static files and the health check: they
    need no user, so their requests skip checking the cookie's signature."""

    def open_session(self, app: Flask, request):
        if request.path.startswith(SESSIONLESS):
            return self.null_session_class()
        return super().open_session(app, request)


def register(app: Flask) -> None:
    """Install the per-request hooks on the app."""
    app.session_interface = _SessionInterface()
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions are checked on the server instead
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_bearer_user)
    app.before_request(_start_request)
    app.before_request(_refuse_nul_bytes)
    app.before_request(_force_password_change)
    app.after_request(_security_headers)
    app.after_request(_audit_denied)
    app.after_request(_log_request)
    app.teardown_appcontext(_end_transaction)
    app.url_defaults(_fingerprint_static)
    first_css = first_screen_css(app.static_folder or "")
    app.config["CONTENT_SECURITY_POLICY"] = content_security_policy(first_css)
    app.jinja_env.globals["first_screen_css"] = first_css
    app.jinja_env.globals["url_for"] = template_url_for
    app.context_processor(lambda: {"current_locale": str(get_locale())})
    register_template_filters(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            busy_timeout = int(app.config["SQLITE_BUSY_TIMEOUT"])
            event.listen(
                db.engine,
                "connect",
                lambda connection, _record: _sqlite_pragmas(connection, busy_timeout),
            )


# Links built for templates, by (script root, endpoint, arguments), kept per app: a page
# builds 10–20, each a walk of the URL map; the map and the static files' fingerprints do not
# change while a worker runs. A link names no one's data but what its arguments say, so it
# may be shared.
_LINKS_MAX = 4096


def template_url_for(endpoint: str, **values) -> str:
    """`url_for` for templates, each distinct link built once per worker."""
    if (
        endpoint.startswith(".")
        or any(name.startswith("_") for name in values)
        or not has_request_context()
    ):  # relative to the blueprint, external…, or a page made outside a request (e-mail)
        return url_for(endpoint, **values)
    links: dict[tuple, str] = current_app.extensions.setdefault("elearn.links", {})
    try:
        key = (request.script_root, endpoint, *sorted(values.items()))
        return links[key]
    except KeyError:
        if len(links) >= _LINKS_MAX:
            links.clear()
        links[key] = link = url_for(endpoint, **values)
        return link
    except TypeError:  # an argument that cannot be a key (a list): build it each time
        return url_for(endpoint, **values)


def first_screen_css(folder: str) -> Markup:
    """The few rules the top of every page needs, sent inside the page: the text shows after
    one round trip instead of waiting for the stylesheet (which then comes from cache)."""
    return Markup((Path(folder) / FIRST_SCREEN_CSS).read_text(encoding="utf-8"))


def content_security_policy(inline_css: str) -> str:
    """The CSP of every page: nothing inline but the first-screen rules, allowed by hash."""
    digest = base64.b64encode(hashlib.sha256(inline_css.encode()).digest()).decode()
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{digest}'; "
        "img-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def register_template_filters(app: Flask) -> None:
    """Every template filter, in one place: display formats and status words."""
    app.add_template_filter(formatting.format_date, "date")
    app.add_template_filter(formatting.format_datetime, "datetime")
    app.add_template_filter(formatting.format_number, "number")
    app.add_template_filter(formatting.format_percent, "percent")
    app.add_template_filter(formatting.format_time_date, "time_date")
    app.add_template_filter(formatting.scroll_tables, "scroll_tables")
    app.add_template_filter(audit.action_label, "action_label")
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(via_label, "via_label")


def _load_user(token: str) -> User | None:
    """Resolve the session token kept in the cookie to a live session and an active user."""
    user = load_session_user(token)
    g.user_id = user.id if user else None  # for the request log, without another query
    return user


def bearer_token(header: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header (the scheme in any case)."""
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _load_bearer_user(req) -> User | None:
    """`Authorization: Bearer <token>` signs in API requests (and only those); the API notes
    the token's use after its response (no write happens while loading the user)."""
    raw = bearer_token(req.headers.get("Authorization", ""))
    if not req.path.startswith("/api/") or raw is None:
        return None
    found = user_for_token(raw)
    if found is None:
        return None
    user, g.api_token = found
    g.user_id = user.id
    return user


def _start_request() -> None:
    """Give the request an id (the proxy's, when it sent a sane one) and start its clock."""
    g.started = time.perf_counter()
    sent = request.headers.get("X-Request-ID", "")
    g.request_id = sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def _log_request(response: Response) -> Response:
    """Write one log line per request, count it for /metrics and return its id."""
    started = g.get("started")
    seconds = time.perf_counter() - started if started is not None else 0.0
    route = request.url_rule.rule if request.url_rule else "<unmatched>"
    metrics.requests.labels(route, request.method, str(response.status_code)).inc()
    metrics.latency.labels(route, request.method).observe(seconds)
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers["X-Request-ID"] = request_id
    request_log.info(
        "%s %s %s %.1f ms",
        request.method,
        route,
        response.status_code,
        seconds * 1000,
        extra={
            "request_id": request_id,
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": g.get("user_id"),
        },
    )
    return response


def _refuse_nul_bytes() -> None:
    """No field or parameter may hold a NUL byte (PostgreSQL refuses them in text)."""
    values = [*request.args.values(), *(request.view_args or {}).values()]
    if request.method == "POST":
        values += [v for key in request.form for v in request.form.getlist(key)]
    if any("\x00" in str(v) for v in values) or "\x00" in request.path:
        abort(400)


def _force_password_change():
    """Send users with a one-time password to the change form before anything else."""
    # Test the endpoint first: static files and the health check need no user loaded.
    if (
        request.endpoint not in ALLOWED_BEFORE_PASSWORD_CHANGE
        and current_user.is_authenticated
        and current_user.must_change_password
    ):
        return redirect(url_for("auth.change_password"))
    return None


def _end_transaction(_error: BaseException | None) -> None:
    """Close the session (rolling back what is left open); a connection the database dropped
    meanwhile (a restart between the page's last query and here) is discarded, not a 500."""
    try:
        db.session.close()
    except SQLAlchemyError:
        db.session().invalidate()


def _security_headers(response: Response) -> Response:
    """Add the headers every response carries; keep personal pages out of every cache."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if (current_app.config["PUBLIC_URL"] or "").startswith("https://"):
        headers.setdefault("Strict-Transport-Security", f"max-age={ONE_YEAR}")
    if request.endpoint == "static":
        # Buffer the (small) file so compression works on bytes and the file is closed.
        response.direct_passthrough = False
        response.make_sequence()
        if request.args.get("v"):  # the URL changes whenever the file does
            headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    elif "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response


def _audit_denied(response: Response) -> Response:
    """Audit and log a 403 (who, which path, which unit), at most DENIED_LIMIT times per actor
    and hour, counted in the rate-limit storage: a scan of the admin pages costs the log
    thirty lines an hour, the thirtieth saying that the rest go unrecorded."""
    if response.status_code != 403:
        return response
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    key = f"user:{actor.id}" if actor else f"address:{request.remote_addr}"
    try:
        counter = next(iter(current_app.extensions["limiter"])).limiter
        if not counter.hit(DENIED_LIMIT, "access-denied", key):
            return response
        last = counter.get_window_stats(DENIED_LIMIT, "access-denied", key).remaining == 0
    except Exception as error:  # the storage is down: the 403 still goes out
        log.warning("denied request not counted (%s): %s", error, request.path)
        return response
    path = request.full_path.rstrip("?")[:200]
    try:
        db.session.rollback()  # nothing of a refused request is kept but its record
        who, unit = (actor.username, actor.unit.code) if actor else ("anonymous", None)
    except SQLAlchemyError:
        db.session.rollback()
        who, unit = f"account {actor.id}" if actor else "anonymous", None
    log.warning(
        "access denied: %s %s by %s (unit %s) from %s%s",
        request.method,
        path,
        who,
        unit,
        request.remote_addr,
        "; further denials this hour are not recorded" if last else "",
    )
    detail = {"unit": unit, "method": request.method} | ({"more": "not recorded"} if last else {})
    try:
        audit.record("access.denied", actor=actor, target=path, ip=request.remote_addr, **detail)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("denied request not audited: %s", error)
    return response


def _fingerprint_static(endpoint: str, values: dict) -> None:
    """Add a content hash to static URLs so browsers may keep the files for a year."""
    if endpoint == "static" and "filename" in values:
        values.setdefault("v", static_hash(current_app.static_folder or "", values["filename"]))


@lru_cache(maxsize=256)
def static_hash(folder: str, filename: str) -> str:
    """First 12 hex digits of the file's SHA-256 (files do not change while the app runs)."""
    path = Path(folder) / filename
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "0"


def _sqlite_pragmas(connection, busy_timeout: int) -> None:
    """SQLite needs WAL, a busy timeout and foreign keys switched on for every connection."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout:d}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; no fsync per commit
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()

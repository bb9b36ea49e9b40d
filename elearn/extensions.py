"""Flask extensions, created unbound and attached to the app in `create_app`."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_translations
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraint names are stable across SQLite and PostgreSQL."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def select_locale() -> str:
    """Use the language the person chose (cookie), else Vietnamese (also on the command
    line, where messages are translated with no request behind them)."""
    if not has_request_context():
        return "vi"
    chosen = request.cookies.get("lang")
    return chosen if chosen in ("vi", "en") else "vi"


def _request_translations():
    """The request's translations, looked up once: Flask-Babel's own lookup per string
    costs about as much as the rest of a lesson page's template."""
    try:
        return g._elearn_translations
    except AttributeError:
        g._elearn_translations = translations = get_translations()
        return translations


def install_template_gettext(app: Flask) -> None:
    """Make `_()` in templates resolve the catalogue once per request."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def make_limiter(app: Flask) -> Limiter:
    """Give the app its own rate limiter: its limits and storage belong to this app alone, so
    two apps in one process (tests, or two sites) never share counters or settings."""
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    return limiter


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()

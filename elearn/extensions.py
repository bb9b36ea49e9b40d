"""Flask extensions, created unbound and attached to the app in `create_app`."""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations
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


class _Catalogue(dict):
    """One locale's translated template strings, each looked up in the catalogue once."""

    def __init__(self, translations) -> None:
        super().__init__()
        self.translations = translations

    def __missing__(self, message: str) -> str:
        self[message] = translated = self.translations.ugettext(message)
        return translated


# Per locale, for the life of the worker: catalogues are compiled files that do not change
# while it runs. Flask-Babel's own lookup per string costs about as much as the rest of a
# lesson page's template.
_CATALOGUES: dict[str, _Catalogue] = {}


def _request_translations():
    """The request's translations (its locale's), found once per request."""
    try:
        return g._elearn_translations
    except AttributeError:
        locale = str(get_locale())
        catalogue = _CATALOGUES.get(locale)
        if catalogue is None:
            catalogue = _CATALOGUES[locale] = _Catalogue(get_translations())
        g._elearn_translations = catalogue
        return catalogue


def install_template_gettext(app: Flask) -> None:
    """Make `_()` in templates read the locale's memo of translated strings."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations()[s],
        ngettext=lambda s, p, n: _request_translations().translations.ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().translations.upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().translations.unpgettext(c, s, p, n),
        newstyle=True,
    )


def make_limiter(app: Flask) -> Limiter:
    """Give the app its own rate limiter: its limits and storage belong to this app alone, so
    two apps in one process (tests, or two sites) never share counters or settings."""
    limiter = Limiter(key_func=get_remote_address)
    limiter.init_app(app)
    if not (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        # Only posts are limited (sign-in, password change) unless an operator sets limits
        # for every page: the other requests skip the limiter's lookup of their route's.
        limiter.request_filter(lambda: request.method != "POST")
    return limiter


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
compress = Compress()

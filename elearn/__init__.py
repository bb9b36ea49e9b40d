"""elearn: digital-skills micro-courses for commune-level officials."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_limiter import Limiter
from werkzeug.middleware.proxy_fix import ProxyFix

from elearn import cli, web
from elearn.admin.plans_views import bp as plans_bp
from elearn.admin.views import bp as admin_bp
from elearn.api.views import bp as api_bp
from elearn.auth.views import bp as auth_bp
from elearn.auth.views import limit_sign_in, signed_out
from elearn.authoring.views import bp as authoring_bp
from elearn.certificates.views import bp as certificates_bp
from elearn.config import load_config
from elearn.errors import register_error_handlers
from elearn.extensions import (
    babel,
    compress,
    csrf,
    db,
    install_template_gettext,
    login_manager,
    make_limiter,
    select_locale,
)
from elearn.learn.media import bp as media_bp
from elearn.learn.offline import bp as offline_bp
from elearn.learn.views import bp as learn_bp
from elearn.ops.logs import configure_logging
from elearn.ops.views import bp as ops_bp
from elearn.paths import MIGRATIONS_DIR
from elearn.reports.honours_views import bp as honours_bp
from elearn.reports.person_views import bp as officials_bp
from elearn.reports.views import bp as reports_bp
from elearn.site.views import bp as site_bp


def create_app(test_config: dict[str, Any] | None = None, *, migrations: bool = True) -> Flask:
    """Assemble the application: config, extensions, blueprints, CLI, error handlers.

    `migrations=False` leaves out the `db` commands, whose Alembic machinery would cost
    every web worker about 10 MB of memory.
    """
    instance_path = (test_config or {}).get("INSTANCE_PATH")  # tests keep files out of instance/
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    load_config(app, test_config)
    configure_logging(app)
    limiter = _init_extensions(app)
    if migrations:
        from flask_migrate import Migrate  # imports Alembic

        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    app.url_map.converters["id"] = web.RowIdConverter
    blueprints = (
        site_bp,
        auth_bp,
        learn_bp,
        media_bp,
        offline_bp,
        certificates_bp,
        authoring_bp,
        reports_bp,
        officials_bp,
        honours_bp,
        plans_bp,
        admin_bp,
        api_bp,
        ops_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    limit_sign_in(app, limiter)
    login_manager.unauthorized_handler(signed_out)
    cli.register(app)
    web.register(app)
    register_error_handlers(app)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app


def _init_extensions(app: Flask) -> Limiter:
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    login_manager.init_app(app)
    compress.init_app(app)
    return make_limiter(app)

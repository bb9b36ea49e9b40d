"""Sign-in, sign-out and password change pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_login import current_user, login_required, login_url, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from elearn.auth import service, tokens
from elearn.auth.forms import ChangePasswordForm, LoginForm
from elearn.auth.passwords import password_problem, verify_password
from elearn.extensions import db, login_manager
from elearn.params import safe_next, small_int

bp = Blueprint("auth", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _failed(response: Response) -> bool:
    """Only failed attempts count against an address's limit (a success redirects; a 503,
    the database away, is not the person's failure: an office behind one address must not
    be locked out by an outage)."""
    return response.status_code != 302 and response.status_code < 500


LANDING_PAGES = {"manager": "reports.index", "admin": "admin.index", "author": "authoring.status"}


def landing_url(user) -> str:
    """Each role's own home page: managers their reports, authors the content status."""
    return url_for(LANDING_PAGES.get(user.role, "learn.home"))


def _sign_in(user) -> None:
    """Mark the session signed in, and keep its cookie small: Flask-Login's `_id` (a hash of
    address and browser, 128 hex digits) and `_fresh` serve its session protection and
    fresh-login checks, neither used here (sessions are checked on the server)."""
    login_user(user)
    session.pop("_id", None)
    session.pop("_fresh", None)


def _sign_in_page(form: LoginForm, next_url: str | None):
    """The sign-in form, posting to /login (and on to `next_url` afterwards)."""
    action = url_for("auth.login", next=next_url) if next_url else url_for("auth.login")
    return render_template("auth/login.html", form=form, action=action)


def signed_out():
    """Answer a signed-out visitor: the home page shows the sign-in form itself (one round
    trip on a slow link, not a redirect and then the form); any other page sends them to
    the form and back to the page afterwards."""
    if request.endpoint == "learn.home":
        return _sign_in_page(LoginForm(), None)
    flash(_("Anh/chị hãy đăng nhập để tiếp tục."), "info")
    return redirect(login_url(login_manager.login_view, request.url))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form; on success start a fresh session and go where asked."""
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        config = current_app.config
        result = service.authenticate(
            form.username.data or "",
            form.password.data or "",
            ip=request.remote_addr,
            max_failures=config["LOGIN_MAX_FAILURES"],
            lock_minutes=config["LOGIN_LOCK_MINUTES"],
        )
        if result.locked:
            db.session.commit()
            raise TooManyRequests()
        if result.user is None:
            db.session.commit()
            if result.inactive:
                flash(
                    _(
                        "Tài khoản này đã ngừng hoạt động. Anh/chị hãy liên hệ quản trị viên "
                        "của xã hoặc huyện."
                    ),
                    "error",
                )
            else:
                flash(
                    _(
                        "Tên đăng nhập hoặc mật khẩu chưa đúng. Anh/chị hãy thử lại; nếu quên "
                        "mật khẩu, hãy nhờ quản trị viên của xã hoặc huyện đặt lại."
                    ),
                    "error",
                )
            return _sign_in_page(form, next_url), 200
        session.clear()  # nothing from before sign-in survives into the new session
        service.start_session(
            result.user, ip=request.remote_addr, user_agent=request.user_agent.string
        )
        _sign_in(result.user)
        db.session.commit()
        if result.user.must_change_password:
            return redirect(url_for("auth.change_password"))
        return redirect(next_url or landing_url(result.user))
    return _sign_in_page(form, next_url)


@bp.post("/logout")
def logout():
    """End this session on the server and in the browser."""
    if current_user.is_authenticated:
        service.end_session(current_user.session_id)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Anh/chị đã đăng xuất."), "info")
    response = redirect(url_for("auth.login"))
    # Saved courses and queued progress stay on no shared phone (the offline script first
    # tries to send the queue); browsers without this header are emptied by that script.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a signed-in user choose a new password (forced after a one-time password)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        new_password = form.new_password.data or ""
        problem = password_problem(new_password, user.username)
        if not verify_password(user.password_hash, form.current_password.data or ""):
            form.current_password.errors.append(_("Mật khẩu hiện tại chưa đúng."))
        elif problem:
            form.new_password.errors.append(problem)
        elif new_password == form.current_password.data:
            form.new_password.errors.append(_("Mật khẩu mới phải khác mật khẩu hiện tại."))
        else:
            service.change_password(
                user, new_password, ip=request.remote_addr, user_agent=request.user_agent.string
            )
            session.clear()  # a new session id, and nothing carried over from the old one
            _sign_in(user)
            db.session.commit()
            flash(_("Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất."), "success")
            return redirect(landing_url(user))
    return render_template(
        "auth/change_password.html", form=form, forced=current_user.must_change_password
    )


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Let a manager or admin create (shown once) and revoke their API tokens."""
    if current_user.role not in tokens.TOKEN_ROLES:
        abort(403)
    user = current_user._get_current_object()
    new_token = None
    if request.method == "POST":
        if "revoke" in request.form:
            token_id = small_int(request.form["revoke"])
            if token_id is None:
                abort(400)
            if tokens.revoke_token(user, token_id):
                flash(_("Đã thu hồi mã truy cập."), "success")
        else:
            new_token = tokens.create_token(user, request.form.get("label", "").strip())
            flash(_("Đã tạo mã truy cập. Hãy sao chép ngay: mã chỉ hiện một lần."), "success")
        db.session.commit()
    return render_template("auth/tokens.html", tokens=tokens.tokens_of(user), new_token=new_token)


def limit_sign_in(app: Flask, limiter: Limiter) -> None:
    """Count failed sign-ins and password changes per client address, with the app's own
    limiter (ELEARN_LOGIN_RATE_LIMIT); a success does not count."""
    limit = limiter.limit(_login_rate_limit, methods=["POST"], deduct_when=_failed)
    for view in (login, change_password):
        endpoint = f"{bp.name}.{view.__name__}"
        app.view_functions[endpoint] = limit(app.view_functions[endpoint])

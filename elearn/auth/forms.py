"""Sign-in and password forms (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Anh/chị hãy nhập tên đăng nhập.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Mật khẩu"),
        validators=[DataRequired(_l("Anh/chị hãy nhập mật khẩu.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(FlaskForm):
    """Current password and the new one twice."""

    current_password = PasswordField(
        _l("Mật khẩu hiện tại"),
        validators=[DataRequired(_l("Anh/chị hãy nhập mật khẩu hiện tại.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[DataRequired(_l("Anh/chị hãy nhập mật khẩu mới.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            DataRequired(_l("Anh/chị hãy nhập lại mật khẩu mới.")),
            EqualTo("new_password", _l("Hai lần nhập mật khẩu mới không giống nhau.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

"""People, their sign-in sessions, and per-account sign-in failure counts."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models.base import UTCDateTime, binary_string
from elearn.models.org import Unit

# role → Vietnamese label. Every role can learn.
ROLES = {
    "official": _l("cán bộ, công chức"),
    "manager": _l("quản lý"),
    "author": _l("biên soạn nội dung"),
    "admin": _l("quản trị"),
}
CATEGORIES: dict[str, str] = {"can_bo": "cán bộ", "cong_chuc": "công chức", "khac": "khác"}
# The people training is for, whatever their role. Accounts of category "khác" (system
# administrators, authors, provincial or district staff) may learn, but reports never count,
# list or export them as officials.
OFFICIAL_CATEGORIES = ("can_bo", "cong_chuc")


class User(UserMixin, db.Model):
    """An official, manager, author or admin, attached to one unit."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # indexed with sort_key
    role: Mapped[str] = mapped_column(String(20), default="official")
    category: Mapped[str] = mapped_column(String(20), default="khac")
    position: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    education_level: Mapped[str | None] = mapped_column(String(100))
    it_level: Mapped[str | None] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    # Diacritic-free lower-case name for search, and a Vietnamese collation key for sorting.
    search_name: Mapped[str] = mapped_column(String(200), default="")
    sort_key: Mapped[str] = mapped_column(binary_string(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        Index("ix_user_account_unit_id_sort_key", "unit_id", "sort_key"),
        Index("ix_user_account_sort_key_id", "sort_key", "id"),  # lists of a whole province
    )

    # Set by the session loader: the id of the sign-in session this request belongs to.
    session_id = None  # str | None, per instance

    @property
    def is_active(self) -> bool:  # Flask-Login asks this on every request
        return self.active

    def get_id(self) -> str | None:
        """Identify the sign-in session, not the user, so one session can be ended alone."""
        return self.session_id

    @property
    def is_counted_official(self) -> bool:
        """Whether reports count this person as an official (see `counted_officials`)."""
        return self.active and self.category in OFFICIAL_CATEGORIES

    @property
    def role_label(self) -> str:
        """The Vietnamese name of the role."""
        return str(ROLES.get(self.role, self.role))

    def __repr__(self) -> str:
        return f"<User {self.username}>"


def counted_officials(user=None) -> ColumnElement[bool]:
    """SQL for the officials every report counts: active, and cán bộ or công chức.

    The one definition: rollups, dashboards, lists, exports, the API, reminders and overdue
    counts all filter people through it (`user` is an aliased User when the query has one).
    """
    user = User if user is None else user
    return and_(user.active.is_(True), user.category.in_(OFFICIAL_CATEGORIES))


class UserSession(db.Model):
    """A signed-in browser; deleting the row signs that browser out at its next request."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random id kept in the session cookie, so a copy of the table is useless.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()


class LoginThrottle(db.Model):
    """Failed sign-ins per username, shared by every worker and server through the database.

    Kept by username, not by user row, so unknown names are throttled exactly like real ones.
    """

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored, so it is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

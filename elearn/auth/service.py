"""Sign-in decisions and server-side sessions; no Flask request objects in here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from elearn import audit, metrics
from elearn.auth.passwords import hash_password, verify_password
from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import LoginThrottle, User, UserSession
from elearn.models.base import dialect_insert
from elearn.text import normalise_username


@dataclass(frozen=True)
class SignInResult:
    """What a sign-in attempt came to: a user, or a reason it failed."""

    user: User | None = None
    locked: bool = False  # too many failures for this account: answer 429
    inactive: bool = False  # right password, but the account was deactivated


def authenticate(
    username: str,
    password: str,
    *,
    ip: str | None,
    max_failures: int,
    lock_minutes: int,
    now: datetime | None = None,
) -> SignInResult:
    """Check a username and password, counting failures per account in the database."""
    now = now or utcnow()
    name = normalise_username(username)[:80]  # longer names exist nowhere
    throttle = db.session.get(LoginThrottle, name)
    user = db.session.scalar(select(User).where(User.username == name)) if name else None
    # Always hash, so unknown users, locked accounts and wrong passwords take the same time.
    password_ok = verify_password(user.password_hash if user else None, password)
    if throttle and throttle.locked_until and throttle.locked_until > now:
        audit.record("login.locked", target=name, ip=ip)
        metrics.failed_sign_ins.labels("locked").inc()
        return SignInResult(locked=True)
    if user is None or not password_ok:
        _count_failure(name, now, max_failures, lock_minutes)
        audit.record("login.failed", target=name, ip=ip)
        metrics.failed_sign_ins.labels("wrong-password").inc()
        return SignInResult()
    if not user.active:
        audit.record("login.inactive", actor=user, target=name, ip=ip)
        return SignInResult(inactive=True)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.username == name))
    user.last_login_at = now
    audit.record("login.succeeded", actor=user, target=name, ip=ip)
    return SignInResult(user=user)


def _count_failure(name: str, now: datetime, max_failures: int, lock_minutes: int) -> None:
    """Add one failure atomically (several workers may count at once) and lock at the limit."""
    statement = dialect_insert(LoginThrottle).values(username=name, failures=1, last_failure_at=now)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[LoginThrottle.username],
            set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now},
        )
    )
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.username == name, LoginThrottle.failures >= max_failures)
        .values(failures=0, locked_until=now + timedelta(minutes=lock_minutes))
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, *, ip: str | None, user_agent: str | None) -> str:
    """Create a server-side session and return the random token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            ip=ip,
            user_agent=(user_agent or "")[:200],
        )
    )
    user.session_id = token
    return token


# Built once: this query runs on every request of a signed-in user.
_SESSION_USER = (
    select(User)
    .join(UserSession, UserSession.user_id == User.id)
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def load_session_user(token: str) -> User | None:
    """Return the active user of a live session, or None (signed out, deactivated, unknown)."""
    user = db.session.scalar(_SESSION_USER, {"token_hash": _token_hash(token)})
    if user is None or not user.active:
        return None
    user.session_id = token
    return user


def end_session(token: str | None) -> None:
    """Delete one session row, so its cookie no longer signs anyone in."""
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def end_other_sessions(user: User, keep_token: str | None) -> int:
    """Sign the user out everywhere except the session in `keep_token`."""
    statement = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        statement = statement.where(UserSession.token_hash != _token_hash(keep_token))
    return db.session.execute(statement).rowcount or 0


def change_password(
    user: User, new_password: str, *, ip: str | None, user_agent: str | None
) -> str:
    """Set a new password, end every session of the user (this one included: a copy of its
    cookie taken before the change must not outlive it), start a fresh one and record it.

    Returns the new session's token for the caller's cookie.
    """
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    end_other_sessions(user, None)
    audit.record("password.changed", actor=user, target=user.username, ip=ip)
    return start_session(user, ip=ip, user_agent=user_agent)

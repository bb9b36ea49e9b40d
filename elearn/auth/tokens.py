"""API tokens: created for managers and admins, shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from elearn import audit
from elearn.clock import utcnow
from elearn.errors import ElearnError
from elearn.extensions import db
from elearn.models import ApiToken, User

TOKEN_ROLES = ("manager", "admin")
PREFIX = "el_"
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, label: str = "", *, actor: User | None = None) -> str:
    """Make a token for a manager or admin and return it (the only time it is visible)."""
    if user.role not in TOKEN_ROLES:
        raise ElearnError(
            f"{user.username} is a {user.role}; API tokens are for managers and admins"
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_hash(raw), label=label[:100]))
    audit.record("token.created", actor=actor or user, target=user.username, label=label[:100])
    db.session.flush()
    return raw


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active owner of a live token, and the token; None for anything else."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    user = token.user
    if not user.active or user.role not in TOKEN_ROLES:
        return None
    return user, token


def note_use(token: ApiToken) -> bool:
    """Note that a token was used now, to the minute (a script polling the API writes rarely);
    return whether anything was written."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at <= LAST_USED_PRECISION:
        return False
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return True


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if it is not theirs."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("token.revoked", actor=user, target=user.username, token_id=token_id)
    return True

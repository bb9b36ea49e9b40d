"""Read-only queries behind the authors' pages."""

from __future__ import annotations

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import ContentSync, Course


def last_runs() -> tuple[ContentSync | None, ContentSync | None]:
    """Return the last successful sync, and the last run if it failed (its errors are news)."""
    last_sync = db.session.scalar(
        select(ContentSync)
        .where(ContentSync.ok.is_(True), ContentSync.action == "sync")
        .order_by(ContentSync.id.desc())
        .limit(1)
    )
    last_run = db.session.scalar(select(ContentSync).order_by(ContentSync.id.desc()).limit(1))
    return last_sync, (last_run if last_run is not None and not last_run.ok else None)


def all_courses() -> list[Course]:
    """Every course ever published, drafts and retired ones included, by status then title."""
    order = {"draft": 0, "published": 1, "retired": 2}
    courses = list(db.session.scalars(select(Course)))
    return sorted(courses, key=lambda c: (order.get(c.status, 3), c.title))

"""The honour board ("thi đua"): units whose officials have all completed every required
course, the officials who have, the units that moved most in the last 30 days, and where a
unit stands among its siblings. Read from the rollups and the required-completion record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models import PeopleRollup, RequiredCompletion, Unit, User, counted_officials
from elearn.models.rollup import TOTAL
from elearn.progress.figures import UnitInfo
from elearn.progress.required import required_course_ids
from elearn.text import vi_key
from elearn.units import child_code, subtree_of

RECENT_DAYS = 30


@dataclass(frozen=True)
class UnitDone:
    """A unit all of whose officials completed every required course, and since when."""

    unit: UnitInfo
    officials: int
    done_at: datetime


@dataclass(frozen=True)
class PersonDone:
    username: str
    full_name: str
    unit_name: str
    completed_at: datetime


@dataclass(frozen=True)
class Improvement:
    """A unit's gain in the share of officials done with every required course."""

    unit: UnitInfo
    officials: int
    gained: int  # officials who finished in the period
    rate: float  # share done now

    @property
    def gain(self) -> float:
        return self.gained / self.officials if self.officials else 0.0


@dataclass(frozen=True)
class Standing:
    """A unit's share of officials done with every required course, and its place."""

    unit_name: str
    rate: float
    rank: int
    siblings: int
    parent: Unit | None


def has_required_courses() -> bool:
    return bool(required_course_ids())


def units_done(root: Unit, limit: int = 200) -> list[UnitDone]:
    """Units at or below `root` whose officials (at least one) have all completed every
    required course, earliest first."""
    rows = db.session.execute(
        select(Unit.id, func.sum(PeopleRollup.officials), func.sum(PeopleRollup.required_done))
        .join(Unit, Unit.id == PeopleRollup.unit_id)
        .where(subtree_of(root.path), PeopleRollup.category == TOTAL)
        .group_by(Unit.id)
    ).all()
    done = {uid: int(n) for uid, n, finished in rows if n and n == finished}
    if not done:
        return []
    when = dict(
        db.session.execute(
            select(User.unit_id, func.max(RequiredCompletion.completed_at))
            .join(RequiredCompletion, RequiredCompletion.user_id == User.id)
            .where(User.unit_id.in_(done), counted_officials())
            .group_by(User.unit_id)
        ).all()
    )
    infos = {
        u.id: u
        for u in (
            UnitInfo(*row)
            for row in db.session.execute(
                select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.closed_at).where(
                    Unit.id.in_(done)
                )
            )
        )
    }
    result = [UnitDone(infos[uid], n, when[uid]) for uid, n in done.items() if uid in when]
    return sorted(result, key=lambda r: (r.done_at, vi_key(r.unit.name)))[:limit]


def people_done(root: Unit, *, page: int = 1, per_page: int = 50) -> tuple[list[PersonDone], int]:
    """Officials at or below `root` who completed every required course, first to finish
    first, one page at a time."""
    query = (
        select(User.username, User.full_name, Unit.name, RequiredCompletion.completed_at)
        .join(User, User.id == RequiredCompletion.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(subtree_of(root.path), counted_officials())
    )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(RequiredCompletion.completed_at, User.sort_key)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return [PersonDone(*row) for row in rows], total


def most_improved(root: Unit, *, days: int = RECENT_DAYS, limit: int = 10) -> list[Improvement]:
    """Direct children of `root` by the share of their officials who finished every required
    course in the last `days` days, largest first."""
    code = child_code(root)
    below = Unit.path != root.path
    officials = {c: (int(n or 0), int(d or 0)) for c, n, d in _people_rows(root, code, below)}
    since = utcnow() - timedelta(days=days)
    gained = dict(
        db.session.execute(
            select(code, func.count())
            .select_from(RequiredCompletion)
            .join(User, User.id == RequiredCompletion.user_id)
            .join(Unit, Unit.id == User.unit_id)
            .where(
                subtree_of(root.path),
                below,
                counted_officials(),
                RequiredCompletion.completed_at >= since,
            )
            .group_by(code)
        ).all()
    )
    children = {
        u.code: u
        for u in (
            UnitInfo(*row)
            for row in db.session.execute(
                select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.closed_at).where(
                    Unit.parent_id == root.id
                )
            )
        )
    }
    rows = [
        Improvement(children[c], n, int(gained.get(c, 0)), d / n if n else 0.0)
        for c, (n, d) in officials.items()
        if c in children and n and gained.get(c)
    ]
    return sorted(rows, key=lambda r: (-r.gain, vi_key(r.unit.name)))[:limit]


def _people_rows(root: Unit, code, below):
    return db.session.execute(
        select(code, func.sum(PeopleRollup.officials), func.sum(PeopleRollup.required_done))
        .join(Unit, Unit.id == PeopleRollup.unit_id)
        .where(subtree_of(root.path), below, PeopleRollup.category == TOTAL)
        .group_by(code)
    ).all()


def standing_among_siblings(unit: Unit) -> Standing | None:
    """Where a unit stands among the units under the same parent, by the share of officials
    done with every required course; None without a parent or required courses."""
    parent = unit.parent
    if parent is None or not has_required_courses():
        return None
    code = child_code(parent)
    rates = {c: d / n for c, n, d in _people_rows(parent, code, Unit.path != parent.path) if n}
    if unit.code not in rates:
        return None
    ordered = sorted(rates.values(), reverse=True)
    rank = ordered.index(rates[unit.code]) + 1  # ties share the better place
    return Standing(unit.name, rates[unit.code], rank, len(rates), parent)

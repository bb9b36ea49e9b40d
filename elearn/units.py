"""The unit tree as every feature sees it: a unit by its code, subtrees, and the scope rule.

The scope rule is the one authorisation rule of reports and administration: a manager or an
admin acts on their own unit and everything below it, never beside or above it. Every view,
service, export and API endpoint that takes a unit code resolves it through
`require_unit_in_scope`, so an unknown code is always NotFound and a code outside the caller's
units is always Forbidden.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.sql.elements import ColumnElement

from elearn.errors import Forbidden, NotFound
from elearn.extensions import db
from elearn.models import Unit, User


def subtree_of(path: str, column=None) -> ColumnElement[bool]:
    """Filter units whose path starts with `path` (the unit itself included); `column` is
    the path column to test when the units table is aliased.

    Written as a range rather than LIKE so that both SQLite and PostgreSQL use the index:
    '0' is the character right after '/', the path separator.
    """
    column = Unit.path if column is None else column
    return and_(column >= path, column < path[:-1] + "0")


def within_path(path_column, ancestor_path_column) -> ColumnElement[bool]:
    """SQL: the path in `path_column` is the one in `ancestor_path_column` or lies below it.

    For a join, where both paths are columns; a subtree known by its path is `subtree_of`,
    which the path index serves.
    """
    prefix = func.substr(path_column, 1, func.length(ancestor_path_column))
    return prefix == ancestor_path_column


def holds_every_unit(unit: Unit) -> bool:
    """Whether the unit's subtree is the whole tree (it is the only root). A sum over such a
    subtree needs no filter on units at all: a province's or a country's dashboard then reads
    its rollups without joining the unit table."""
    if unit.parent_id is not None:
        return False
    known = db.session.info.setdefault("elearn.whole_tree", {})  # asked once per session
    if unit.id not in known:
        roots = select(func.count()).select_from(Unit).where(Unit.parent_id.is_(None))
        known[unit.id] = db.session.scalar(roots) == 1
    return known[unit.id]


def path_prefixes(path: str) -> list[str]:
    """The paths of a unit and all its ancestors: "/27/256/" → ["/27/", "/27/256/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes) + 1)]


def child_code(unit: Unit, path_column=None):
    """SQL for the code of the direct child of `unit` that a path lies under.

    "/27/256/09163/" under "/27/" is in "256": one grouped scan replaces a join per child.
    """
    path_column = Unit.path if path_column is None else path_column
    start = len(unit.path) + 1
    rest = func.substr(path_column, start)
    slash = (
        func.strpos(rest, "/") if db.engine.dialect.name == "postgresql" else func.instr(rest, "/")
    )
    return func.substr(path_column, start, slash - 1)


def unit_by_code(code: str) -> Unit | None:
    """Find a unit by its code (open or closed)."""
    return db.session.scalar(select(Unit).where(Unit.code == code))


def is_within(unit: Unit, ancestor: Unit) -> bool:
    """Whether `unit` is `ancestor` or lies below it in the tree."""
    return unit.path.startswith(ancestor.path)


def in_scope(actor: User, unit: Unit) -> bool:
    """Whether `unit` is the actor's own unit or lies below it."""
    return is_within(unit, actor.unit)


def path_in_scope(actor: User, path: str) -> bool:
    """The scope rule for a unit known only by its path (bulk checks read paths, not rows)."""
    return path.startswith(actor.unit.path)


def require_unit_in_scope(actor: User | None, code: str | None, *, open_only: bool = False) -> Unit:
    """The unit with this code if the actor may act on it; no code means the actor's own.

    Raises NotFound for an unknown code (or a closed unit when `open_only`), Forbidden for a
    unit outside the actor's subtree; both carry a message in the reader's language. No actor
    is the system itself (the command line), for which every unit is in scope.
    """
    if not code and actor is not None:
        return actor.unit
    unit = unit_by_code(code) if code else None
    if unit is None or (open_only and not unit.is_open):
        raise NotFound(_("Không có đơn vị đang hoạt động mang mã %(code)s.", code=code or ""))
    if actor is not None and not in_scope(actor, unit):
        raise Forbidden(_("Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.", code=code))
    return unit


def require_in_scope(actor: User, unit: Unit) -> None:
    """Refuse (Forbidden) an object attached to a unit outside the actor's subtree."""
    if not in_scope(actor, unit):
        raise Forbidden(
            _("Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.", code=unit.code)
        )


def units_in_subtree(unit: Unit) -> list[Unit]:
    """Return the unit and every unit below it, in tree order."""
    return list(db.session.scalars(select(Unit).where(subtree_of(unit.path)).order_by(Unit.path)))


def children_of(unit: Unit) -> list[Unit]:
    """The direct children of a unit (open and closed)."""
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)))

"""Import the administrative tree from CSV/XLSX, all or nothing, and query it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn import audit
from elearn.clock import utcnow
from elearn.errors import ImportProblem
from elearn.extensions import db
from elearn.models import UNIT_KINDS, Unit, User
from elearn.progress import rollup
from elearn.spreadsheets import Row, read_table
from elearn.text import fold
from elearn.units import in_scope, is_within, unit_by_code

UNIT_COLUMNS = ("code", "name", "kind", "parent_code")
OPTIONAL_COLUMNS = ("merged_from",)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
# "thành phố", "thanh pho", "City" … all name the same kind.
KIND_NAMES = {fold(k): k for k in UNIT_KINDS} | {fold(v): k for k, v in UNIT_KINDS.items()}


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    merged: list[str] = field(default_factory=list)  # "old → new" for `merged_from` rows
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"
        )
        return text + (f", {len(self.merged)} merged" if self.merged else "")


@dataclass(frozen=True)
class UnitRow:
    number: int
    code: str
    name: str
    kind: str
    parent_code: str
    merged_from: tuple[str, ...] = ()


def import_units(path: Path, *, actor: User | None = None, dry_run: bool = False) -> ImportReport:
    """Create or update units from a file; raise ImportProblem listing every bad row.

    Nothing is written unless every row is good; the caller commits.
    """
    rows, problems = _parse(read_table(path, UNIT_COLUMNS, OPTIONAL_COLUMNS))
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    problems += _check_parents(rows, existing)
    if problems:
        raise ImportProblem(problems)
    report = ImportReport()
    if dry_run:
        for row in rows:
            (report.updated if row.code in existing else report.created).append(row.code)
        return report
    for row in _parents_first(rows, existing):
        _upsert(row, existing, report)
    _refresh_paths(existing)
    db.session.flush()
    _merge_predecessors(rows, report, actor)
    audit.record(
        "units.imported",
        actor=actor,
        target=path.name,
        created=len(report.created),
        updated=len(report.updated),
    )
    db.session.flush()
    return report


def _merge_predecessors(rows: list[UnitRow], report: ImportReport, actor: User | None) -> None:
    """Close the units a new unit absorbed (`merged_from` names them) into it.

    Names are matched among open units that the file does not list; a name that matches no
    unit (e.g. a unit of another province that was never imported) or several is reported.
    """
    listed = {row.code for row in rows}
    for row in rows:
        for name in row.merged_from:
            candidates = [
                u
                for u in db.session.scalars(
                    select(Unit).where(Unit.name == name, Unit.closed_at.is_(None))
                )
                if u.code not in listed
            ]
            if not candidates:
                if name != row.name:
                    report.warnings.append(
                        f"row {row.number}, column merged_from: no open unit named {name!r} "
                        "outside this file; skipped"
                    )
                continue
            if len(candidates) > 1:
                codes = ", ".join(u.code for u in candidates)
                report.warnings.append(
                    f"row {row.number}, column merged_from: {name!r} matches several units "
                    f"({codes}); merge the right one with `elearn units merge CODE --into "
                    f"{row.code}`"
                )
                continue
            merge_units([candidates[0].code], row.code, actor=actor)
            report.merged.append(f"{candidates[0].code} → {row.code}")


def _parse(table) -> tuple[list[UnitRow], list[str]]:
    rows: list[UnitRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in table:
        row_problems = _row_problems(row)
        problems += row_problems
        code = row.cells["code"]
        if code in seen:
            problems.append(f"row {row.number}, column code: {code} is already on row {seen[code]}")
        seen.setdefault(code, row.number)
        if not row_problems:
            rows.append(
                UnitRow(
                    row.number,
                    code,
                    row.cells["name"],
                    KIND_NAMES[fold(row.cells["kind"])],
                    row.cells["parent_code"],
                    tuple(
                        name.strip()
                        for name in row.cells.get("merged_from", "").split(";")
                        if name.strip()
                    ),
                )
            )
    if not rows and not problems:
        problems.append("the file has a header but no units")
    return rows, problems


def _row_problems(row: Row) -> list[str]:
    cells, n = row.cells, row.number
    problems = []
    if not cells["code"]:
        problems.append(f"row {n}, column code: empty; every unit needs its code")
    elif not CODE_PATTERN.match(cells["code"]):
        problems.append(
            f"row {n}, column code: {cells['code']!r} may only contain letters, digits, - and _"
        )
    if not cells["name"]:
        problems.append(f"row {n}, column name: empty; every unit needs its name")
    elif len(cells["name"]) > 200:
        problems.append(f"row {n}, column name: longer than 200 characters")
    if fold(cells["kind"]) not in KIND_NAMES:
        allowed = ", ".join(f"{k} ({v})" for k, v in UNIT_KINDS.items())
        problems.append(f"row {n}, column kind: {cells['kind']!r} is not one of {allowed}")
    if cells["parent_code"] and cells["parent_code"] == cells["code"]:
        problems.append(f"row {n}, column parent_code: a unit cannot be its own parent")
    return problems


def _check_parents(rows: list[UnitRow], existing: dict[str, Unit]) -> list[str]:
    """Every parent must exist (in the file or the database) and no chain may loop."""
    problems = []
    parent_of = {code: (u.parent.code if u.parent else "") for code, u in existing.items()}
    parent_of.update({row.code: row.parent_code for row in rows})
    for row in rows:
        if row.parent_code and row.parent_code not in parent_of:
            problems.append(
                f"row {row.number}, column parent_code: unknown unit {row.parent_code}; "
                "add it to the file above this row or import it first"
            )
            continue
        seen = {row.code}
        parent = row.parent_code
        while parent:
            if parent in seen:
                problems.append(
                    f"row {row.number}, column parent_code: {row.code} would be inside itself "
                    f"(the chain of parents loops through {parent})"
                )
                break
            seen.add(parent)
            parent = parent_of.get(parent, "")
    return problems


def _parents_first(rows: list[UnitRow], existing: dict[str, Unit]) -> list[UnitRow]:
    """Order rows so that a parent in the file is written before its children."""
    by_code = {row.code: row for row in rows}
    ordered: list[UnitRow] = []
    done: set[str] = set()

    def place(row: UnitRow) -> None:
        if row.code in done:
            return
        done.add(row.code)  # cycles were refused earlier, so this terminates
        if row.parent_code in by_code:
            place(by_code[row.parent_code])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def _upsert(row: UnitRow, existing: dict[str, Unit], report: ImportReport) -> None:
    parent = existing.get(row.parent_code) if row.parent_code else None
    unit = existing.get(row.code)
    if unit is None:
        unit = Unit(code=row.code, name=row.name, kind=row.kind, parent=parent, path="")
        db.session.add(unit)
        existing[row.code] = unit
        report.created.append(row.code)
        return
    if (unit.name, unit.kind, unit.parent) == (row.name, row.kind, parent):
        report.unchanged += 1
        return
    unit.name, unit.kind, unit.parent = row.name, row.kind, parent
    report.updated.append(row.code)


def _refresh_paths(units: dict[str, Unit]) -> None:
    """Recompute every materialised path from the parent links (cheap: units are few)."""

    def path_of(unit: Unit) -> str:
        return (path_of(unit.parent) if unit.parent else "/") + unit.code + "/"

    for unit in units.values():
        unit.path = path_of(unit)
        unit.depth = unit.path.count("/") - 2


@dataclass
class MergeReport:
    """What a merge did."""

    closed: list[str] = field(default_factory=list)
    people_moved: int = 0


def merge_units(codes: list[str], into_code: str, *, actor: User | None = None) -> MergeReport:
    """Close units into a successor (the 2025 reform): their people move to it, the closed
    units keep their place in the tree, and their learners' progress goes with them. An
    actor (an admin) merges only units of their own subtree; without one (the command line)
    any unit may be merged.

    Raises ImportProblem listing every reason the merge cannot happen; the caller commits.
    """
    into = unit_by_code(into_code)
    problems = []
    if into is None:
        problems.append(_("Không có đơn vị mang mã %(code)s.", code=into_code))
    elif not into.is_open:
        problems.append(_("Đơn vị %(code)s đã sáp nhập vào đơn vị khác.", code=into_code))
    units = []
    for code in dict.fromkeys(codes):
        unit = unit_by_code(code)
        if unit is None:
            problems.append(_("Không có đơn vị mang mã %(code)s.", code=code))
        elif code == into_code:
            problems.append(_("Không thể sáp nhập đơn vị %(code)s vào chính nó.", code=code))
        elif not unit.is_open:
            problems.append(_("Đơn vị %(code)s đã được sáp nhập trước đó.", code=code))
        elif into is not None and is_within(into, unit):
            problems.append(
                _(
                    "Không thể sáp nhập %(code)s vào %(into)s, vì %(into)s nằm bên trong %(code)s.",
                    code=code,
                    into=into_code,
                )
            )
        elif db.session.scalar(
            select(Unit.id).where(Unit.parent_id == unit.id, Unit.closed_at.is_(None)).limit(1)
        ):
            problems.append(
                _(
                    "Đơn vị %(code)s vẫn còn đơn vị trực thuộc đang hoạt động; hãy sáp nhập hoặc "
                    "chuyển các đơn vị đó trước.",
                    code=code,
                )
            )
        else:
            units.append(unit)
        if unit is not None and actor is not None and not in_scope(actor, unit):
            problems.append(
                _("Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.", code=code)
            )
    if into is not None and actor is not None and not in_scope(actor, into):
        problems.append(
            _("Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.", code=into_code)
        )
    if not codes:
        problems.append(_("Hãy chọn ít nhất một đơn vị để sáp nhập."))
    if problems:
        raise ImportProblem(problems)
    report = MergeReport()
    now = utcnow()
    for unit in units:
        moved = db.session.execute(
            update(User).where(User.unit_id == unit.id).values(unit_id=into.id)
        ).rowcount
        unit.closed_at, unit.successor_id = now, into.id
        report.closed.append(unit.code)
        report.people_moved += moved or 0
        audit.record(
            "unit.merged", actor=actor, target=unit.code, into=into.code, people_moved=moved or 0
        )
    db.session.flush()
    rollup.rebuild([u.id for u in units] + [into.id])
    return report

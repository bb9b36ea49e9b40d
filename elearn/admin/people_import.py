"""Import people from CSV/XLSX: preview every change and problem, then apply all or nothing.

Existing accounts are matched by username and updated; new ones get one-time passwords that
must be changed at first sign-in. Rows are validated as they stream in; the writes are bulk
statements, so 50,000 people take seconds, not hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from elearn import audit
from elearn.auth.passwords import hash_one_time_password, one_time_password
from elearn.clock import utcnow
from elearn.errors import ImportProblem, RowProblem
from elearn.extensions import db
from elearn.models import AuditEvent, Unit, User
from elearn.people.accounts import management_problem
from elearn.people.fields import EDITABLE_COLUMNS, PersonFields, check_person, name_columns
from elearn.progress import rollup
from elearn.spreadsheets import Column, Row, read_table, to_csv
from elearn.text import normalise_username
from elearn.units import path_in_scope

REQUIRED = ("username", "full_name", "unit_code")
OPTIONAL = ("role", "category", "position", "email", "phone", "education_level", "it_level")
UPDATABLE = EDITABLE_COLUMNS
BATCH = 2_000


@dataclass(frozen=True)
class Person:
    """One valid row, normalised."""

    row: int
    username: str
    values: dict[str, object]  # column → value, as stored on User
    previous_unit_id: int | None = None  # for a changed account


@dataclass
class ImportPlan:
    """What applying a file would do."""

    new: list[Person] = field(default_factory=list)
    changed: list[tuple[Person, list[str]]] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.new)} new, {len(self.changed)} changed, {self.unchanged} unchanged"


@dataclass(frozen=True)
class NewAccount:
    """A created account and its one-time password (given out once)."""

    username: str
    full_name: str
    unit_code: str
    password: str


def plan_import(path: Path, *, actor: User | None = None) -> ImportPlan:
    """Read and check the whole file; raise ImportProblem listing every bad row.

    With an actor (an admin), every unit named and every existing account touched must be one
    the actor may manage (`management_problem`), and the actor's own account may not be in the
    file; without one (the command line) any unit and account may be.
    """
    units = {
        code: (uid, upath)
        for code, uid, upath in db.session.execute(
            select(Unit.code, Unit.id, Unit.path).where(Unit.closed_at.is_(None))
        )
    }
    existing = {
        u.username: u
        for u in db.session.execute(
            select(
                User.username,
                User.id,
                User.unit_id,
                *[getattr(User, c) for c in UPDATABLE if c != "unit_id"],
            )
        )
    }
    unit_paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
    plan, problems, seen = ImportPlan(), [], {}
    for row in read_table(path, REQUIRED, OPTIONAL):
        current = existing.get(normalise_username(row.cells["username"]))
        person, row_problems = _person(row, units, actor, current, unit_paths)
        if person and person.username in seen:
            row_problems.append(
                RowProblem(
                    _(
                        "%(name)s đã có ở dòng %(row)s.",
                        name=person.username,
                        row=seen[person.username],
                    ),
                    row.number,
                    "username",
                )
            )
        if person:
            seen.setdefault(person.username, row.number)
        problems += row_problems
        if row_problems or person is None:
            continue
        if current is None:
            plan.new.append(person)
            continue
        changes = [c for c in UPDATABLE if person.values.get(c) != getattr(current, c)]
        if changes:
            plan.changed.append((replace(person, previous_unit_id=current.unit_id), changes))
        else:
            plan.unchanged += 1
    if not problems and not (plan.new or plan.changed or plan.unchanged):
        problems.append(RowProblem(_("Tệp có dòng tiêu đề nhưng không có người nào.")))
    if problems:
        raise ImportProblem(problems)
    return plan


def _person(
    row: Row,
    units: dict[str, tuple[int, str]],
    actor: User | None,
    current,
    unit_paths: dict[int, str],
) -> tuple[Person | None, list[RowProblem]]:
    """Check one row with the rules every path applies (`check_person`, the unit's scope,
    who may manage whom); problems come as `row N, column X: …`."""
    n = row.number
    fields = PersonFields(**{name: row.cells.get(name, "") for name in REQUIRED + OPTIONAL})
    checked, field_problems = check_person(fields)
    problems = [RowProblem(p.message, n, p.field) for p in field_problems]
    if current is not None and actor is not None:
        if current.id == actor.id:
            problems.append(
                RowProblem(
                    _("Đây là tài khoản của chính anh/chị; hãy nhờ một quản trị viên khác sửa."),
                    n,
                    "username",
                )
            )
        elif problem := management_problem(
            actor,
            unit_id=current.unit_id,
            unit_path=unit_paths[current.unit_id],
            role=current.role,
            person_id=current.id,
        ):
            problems.append(RowProblem(problem, n, "username"))
    if checked is None:
        return None, problems
    unit = units.get(checked.unit_code)
    if unit is None:
        problems.append(
            RowProblem(
                _("Không có đơn vị đang hoạt động mang mã %(code)s.", code=checked.unit_code),
                n,
                "unit_code",
            )
        )
    elif actor is not None and not path_in_scope(actor, unit[1]):
        problems.append(
            RowProblem(
                _(
                    "Đơn vị %(code)s không thuộc phạm vi quản lý của anh/chị.",
                    code=checked.unit_code,
                ),
                n,
                "unit_code",
            )
        )
    elif problem := management_problem(
        actor,
        unit_id=unit[0],
        unit_path=unit[1],
        role=checked.role,
        person_id=current.id if current else None,
    ):
        problems.append(RowProblem(problem, n, "role"))
    if problems:
        return None, problems
    values: dict[str, object] = {"unit_id": unit[0], **checked.stored()}  # type: ignore[index]
    return Person(n, checked.username, values), []


def apply_import(
    plan: ImportPlan,
    *,
    actor: User | None = None,
    source: str = "",
    on_progress: Callable[[int], None] | None = None,
) -> list[NewAccount]:
    """Write the plan in bulk (the caller commits) and return the new accounts' passwords."""
    now = utcnow()
    codes = dict(db.session.execute(select(Unit.id, Unit.code)).all())
    accounts: list[NewAccount] = []
    rows = []
    for person in plan.new:
        password = one_time_password()
        name = str(person.values["full_name"])
        rows.append(
            {
                "username": person.username,
                **person.values,
                **name_columns(name),
                "active": True,
                "must_change_password": True,
                "password_hash": hash_one_time_password(password),
                "created_at": now,
            }
        )
        accounts.append(
            NewAccount(person.username, name, codes[person.values["unit_id"]], password)
        )
        if len(rows) >= BATCH:
            db.session.execute(insert(User), rows)
            _progress(on_progress, len(rows))
            rows = []
    if rows:
        db.session.execute(insert(User), rows)
        _progress(on_progress, len(rows))
    events = []
    for person, changes in plan.changed:
        name = str(person.values["full_name"])
        db.session.execute(
            update(User)
            .where(User.username == person.username)
            .values(**person.values | name_columns(name))
        )
        events.append(
            {  # who changed whom, one event per person (not only a count)
                "at": now,
                "actor_id": actor.id if actor else None,
                "action": "user.updated",
                "target": person.username,
                "ip": None,
                "detail": {
                    "fields": changes,
                    "role": person.values["role"],
                    "unit": codes[person.values["unit_id"]],
                    "source": source[:100],
                },
            }
        )
    for start in range(0, len(events), BATCH):
        db.session.execute(insert(AuditEvent), events[start : start + BATCH])
    _progress(on_progress, len(plan.changed))
    db.session.flush()
    rollup.rebuild(
        [p.values["unit_id"] for p in plan.new]
        + [u for p, _ in plan.changed for u in (p.values["unit_id"], p.previous_unit_id)]
    )
    audit.record(
        "users.imported",
        actor=actor,
        target=source[:200],
        created=len(plan.new),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
    )
    db.session.flush()
    return accounts


def _progress(callback: Callable[[int], None] | None, amount: int) -> None:
    if callback:
        callback(amount)


PASSWORD_COLUMNS = (  # headers in the reader's language: the file is handed to people
    Column(_l("Tên đăng nhập"), lambda a: a.username),
    Column(_l("Họ và tên"), lambda a: a.full_name),
    Column(_l("Mã đơn vị"), lambda a: a.unit_code),
    Column(_l("Mật khẩu dùng một lần"), lambda a: a.password),
)


def passwords_csv(accounts: Iterable[NewAccount]) -> bytes:
    """The one-time passwords as a CSV that Excel opens (UTF-8 with BOM, formulas defused)."""
    columns = [Column(str(c.header), c.value) for c in PASSWORD_COLUMNS]  # the reader's words
    return to_csv(columns, accounts)

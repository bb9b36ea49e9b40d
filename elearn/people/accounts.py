"""Create and change accounts: the only code that does, for the admin pages, the CLI and demo.

Who may act on whom is one rule (`management_problem`): an admin acts on people of their own
unit's subtree, but a fellow admin of their own unit — as that person is, or would become —
is for an admin above both, so no admin can take another's account over or make a peer.
Changes apply at the person's next request: the session loader reads the account afresh.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn import audit
from elearn.auth.passwords import (
    hash_one_time_password,
    hash_password,
    one_time_password,
    password_problem,
)
from elearn.auth.service import end_other_sessions
from elearn.errors import ElearnError, Forbidden
from elearn.extensions import db
from elearn.models import Unit, User
from elearn.people.fields import (
    EDITABLE_COLUMNS,
    Person,
    PersonFields,
    Problem,
    check_person,
    name_columns,
)
from elearn.progress import rollup
from elearn.text import fold
from elearn.units import path_in_scope, require_unit_in_scope, subtree_of


class PersonProblems(ElearnError):
    """Fields that cannot be accepted; `problems` says which and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(p.message for p in problems))
        self.problems = problems


def management_problem(
    actor: User | None, *, unit_id: int, unit_path: str, role: str, person_id: int | None
) -> str | None:
    """Why `actor` may not act on a person with this unit and role (None: they may).

    No actor is the system itself (the command line), which may act on anyone.
    """
    if actor is None:
        return None
    if not path_in_scope(actor, unit_path):
        return _("Người này không thuộc đơn vị anh/chị quản lý.")
    if role == "admin" and unit_id == actor.unit_id and person_id != actor.id:
        return _(
            "Quản trị viên cùng đơn vị với anh/chị chỉ do quản trị viên cấp trên tạo hoặc sửa."
        )
    return None


def check_may_manage(actor: User, person: User) -> None:
    """Refuse (Forbidden) an actor who may not act on this person as they are now."""
    problem = management_problem(
        actor,
        unit_id=person.unit_id,
        unit_path=person.unit.path,
        role=person.role,
        person_id=person.id,
    )
    if problem:
        raise Forbidden(problem)


def _checked(fields: PersonFields, *, with_username: bool = True) -> Person:
    person, problems = check_person(fields, with_username=with_username)
    if person is None:
        raise PersonProblems(problems)
    return person


def _target_unit(actor: User | None, person: Person, person_id: int | None) -> Unit:
    """The open unit the person goes to, in the actor's scope, under the management rule."""
    unit = require_unit_in_scope(actor, person.unit_code, open_only=True)
    problem = management_problem(
        actor, unit_id=unit.id, unit_path=unit.path, role=person.role, person_id=person_id
    )
    if problem:
        raise Forbidden(problem)
    return unit


def set_name(user: User, full_name: str) -> None:
    """Store the name with its search and Vietnamese sort keys."""
    for column, value in name_columns(full_name).items():
        setattr(user, column, value)


def create_person(
    actor: User | None, fields: PersonFields, *, password: str | None = None
) -> tuple[User, str | None]:
    """Create an account; without a password, return a one-time password to hand over.

    Raises PersonProblems for bad fields, NotFound/Forbidden for the unit, ElearnError for a
    taken username or a weak password; the caller commits.
    """
    person = _checked(fields)
    if db.session.scalar(select(User.id).where(User.username == person.username)):
        raise PersonProblems(
            [
                Problem(
                    "username", _("Tên đăng nhập %(name)s đã có người dùng.", name=person.username)
                )
            ]
        )
    unit = _target_unit(actor, person, None)
    temporary = None
    if password is None:
        temporary = one_time_password()
    elif problem := password_problem(password, person.username):
        raise ElearnError(_("Mật khẩu không được chấp nhận: %(problem)s", problem=problem))
    user = User(
        username=person.username,
        unit=unit,
        password_hash=hash_password(password) if password else hash_one_time_password(temporary),
        must_change_password=password is None,
        **person.stored(),
    )
    set_name(user, person.full_name)
    db.session.add(user)
    db.session.flush()
    rollup.rebuild([unit.id])
    audit.record(
        "user.created", actor=actor, target=person.username, role=person.role, unit=unit.code
    )
    return user, temporary


def update_person(actor: User, person: User, fields: PersonFields) -> list[str]:
    """Apply an edit (name, unit, role, …); return the names of the columns that changed."""
    check_may_manage(actor, person)
    changed_to = _checked(fields, with_username=False)
    unit = _target_unit(actor, changed_to, person.id)
    if person.id == actor.id and (changed_to.role != actor.role or unit.id != actor.unit_id):
        raise ElearnError(
            _(
                "Anh/chị không thể tự đổi vai trò hay đơn vị của mình; hãy nhờ một quản trị "
                "viên khác."
            )
        )
    before = {column: getattr(person, column) for column in EDITABLE_COLUMNS}
    person.unit_id = unit.id
    for column, value in changed_to.stored().items():
        setattr(person, column, value)
    set_name(person, changed_to.full_name)
    changed = [column for column, value in before.items() if getattr(person, column) != value]
    if {"unit_id", "category", "it_level"} & set(changed):
        db.session.flush()
        rollup.rebuild([before["unit_id"], person.unit_id])
    if changed:
        audit.record(
            "user.updated",
            actor=actor,
            target=person.username,
            fields=changed,
            role=person.role,
            unit=unit.code,
        )
    db.session.flush()
    return changed


def set_active(actor: User, person: User, active: bool) -> None:
    """Deactivate (signs them out at their next request) or reactivate an account."""
    check_may_manage(actor, person)
    if person.id == actor.id:
        raise ElearnError(_("Anh/chị không thể tự khoá tài khoản của mình."))
    if person.active != active:
        person.active = active
        audit.record(
            "user.activated" if active else "user.deactivated", actor=actor, target=person.username
        )
        if not active:
            end_other_sessions(person, None)
        db.session.flush()
        rollup.rebuild([person.unit_id])
    db.session.flush()


def reset_password(actor: User, person: User) -> str:
    """Give the person a one-time password (to change at next sign-in) and end their sessions."""
    check_may_manage(actor, person)
    password = one_time_password()
    person.password_hash = hash_one_time_password(password)
    person.must_change_password = True
    end_other_sessions(person, None)
    audit.record("user.password_reset", actor=actor, target=person.username)
    db.session.flush()
    return password


def people_in_scope(
    actor: User, *, search: str = "", page: int = 1, per_page: int = 50
) -> tuple[list[User], int]:
    """People of the admin's subtree, in Vietnamese name order, one page at a time."""
    query = select(User).join(Unit, Unit.id == User.unit_id).where(subtree_of(actor.unit.path))
    if search:
        term = fold(search)
        query = query.where(
            User.search_name.contains(term, autoescape=True)
            | User.username.contains(search.strip().casefold(), autoescape=True)
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = db.session.scalars(
        query.order_by(User.sort_key, User.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(people), total


def person_fields(person: User) -> PersonFields:
    """An account's current values as the form shows them."""
    values = {name: getattr(person, name, None) or "" for name in PersonFields.names()}
    return PersonFields(**{**values, "unit_code": person.unit.code})

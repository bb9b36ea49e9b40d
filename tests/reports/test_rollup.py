"""The report rollups always equal a plain count made from the definitions."""

from __future__ import annotations

from sqlalchemy import select

from elearn.admin.units import merge_units
from elearn.demo.generate import populate
from elearn.extensions import db
from elearn.models import Course, CourseProgress, CourseRollup, PeopleRollup, Unit, User
from elearn.people import accounts
from elearn.people.fields import PersonFields
from elearn.progress import figures, rollup


def _plain(unit: Unit, course: Course) -> tuple[int, int, int]:
    """(officials, completed, started) counted straight from users and progress rows."""
    people = [
        u
        for u in db.session.scalars(select(User))
        if u.is_counted_official and u.unit.path.startswith(unit.path)
    ]
    ids = {u.id for u in people}
    progress = [
        p
        for p in db.session.scalars(
            select(CourseProgress).where(CourseProgress.course_id == course.id)
        )
        if p.user_id in ids
    ]
    return len(people), sum(1 for p in progress if p.completed_at), len(progress)


def _check_everywhere() -> None:
    course = db.session.scalars(select(Course)).first()
    for unit in db.session.scalars(select(Unit)):
        (row,) = figures.course_counts(unit, [course])
        counts = row.counts
        assert (counts.officials, counts.completed, counts.completed + counts.in_progress) == (
            _plain(unit, course)
        ), unit.code
        children = {r.unit.code: r.counts for r in figures.child_counts(unit, course)}
        for child in db.session.scalars(select(Unit).where(Unit.parent_id == unit.id)):
            if child.code in children:
                c = children[child.code]
                assert (c.officials, c.completed, c.completed + c.in_progress) == _plain(
                    child, course
                ), child.code


def _snapshot() -> tuple[list, list]:
    people = sorted(
        db.session.execute(
            select(
                PeopleRollup.unit_id,
                PeopleRollup.category,
                PeopleRollup.it_level,
                PeopleRollup.officials,
            ).where(PeopleRollup.officials > 0)
        ).all()
    )
    courses = sorted(
        db.session.execute(
            select(
                CourseRollup.unit_id,
                CourseRollup.course_id,
                CourseRollup.category,
                CourseRollup.it_level,
                CourseRollup.started,
                CourseRollup.completed,
            ).where(CourseRollup.started > 0)
        ).all()
    )
    return people, courses


def test_rollups_follow_every_kind_of_change(app, province, make_user):
    admin = make_user("tinh", role="admin", unit="27")
    with app.app_context():
        _check_everywhere()
        actor = db.session.get(User, admin.id)
        dn1 = db.session.scalar(select(User).where(User.username == "dn1"))
        accounts.update_person(
            actor,
            dn1,
            PersonFields(
                full_name=dn1.full_name,
                unit_code="09163",
                role="official",
                category="cong_chuc",
                it_level="Đại học CNTT",
            ),
        )
        vn1 = db.session.scalar(select(User).where(User.username == "vn1"))
        accounts.set_active(actor, vn1, False)
        db.session.commit()
        _check_everywhere()
        merge_units(["09370"], "09367", actor=actor)
        units = list(db.session.scalars(select(Unit).where(Unit.code.in_(["09373", "09163"]))))
        courses = list(db.session.scalars(select(Course)))
        populate(units, courses, 40, seed=7)
        db.session.commit()
        _check_everywhere()
        incremental = _snapshot()
        rollup.rebuild()
        db.session.commit()
        assert _snapshot() == incremental

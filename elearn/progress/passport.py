"""The digital-skills passport: which domains of the competency framework an official has
covered, what to take next, and the share of a unit's officials covering each domain.

The rule, in one place: an official covers a domain once they have completed at least one
published course tagged with it (`competencies:`), whichever way they completed it (lessons
or test out). Domains are the framework's published ones, in its order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from elearn.extensions import db
from elearn.models import (
    Competency,
    Course,
    CourseCompetency,
    CourseProgress,
    Unit,
    User,
    counted_officials,
)
from elearn.progress.figures import UnitInfo, child_officials, count_officials
from elearn.text import vi_key
from elearn.units import child_code, subtree_of


@dataclass(frozen=True)
class DomainCover:
    """One domain for one official: covered or not, by which courses, and what to take."""

    slug: str
    name: str
    courses_done: tuple[Course, ...]
    suggestion: Course | None  # a course not completed that covers it (None when covered)

    @property
    def covered(self) -> bool:
        return bool(self.courses_done)


@dataclass(frozen=True)
class Passport:
    """An official's domains in the framework's order, and the one course to take next."""

    domains: tuple[DomainCover, ...]
    next_course: Course | None

    @property
    def covered(self) -> int:
        return sum(1 for d in self.domains if d.covered)

    @property
    def total(self) -> int:
        return len(self.domains)


def published_domains() -> list[Competency]:
    """The framework's domains learners and managers see, in its order."""
    return list(
        db.session.scalars(
            select(Competency)
            .where(Competency.status == "published")
            .order_by(Competency.position, Competency.id)
        )
    )


def passport(user: User) -> Passport:
    """The user's passport, in three queries.

    What to take next: among courses not completed that cover an uncovered domain, a course
    already begun first, then the one covering the most uncovered domains, then a required
    one, then by title.
    """
    domains = published_domains()
    links = db.session.execute(
        select(CourseCompetency.competency_id, Course)
        .join(Course, Course.id == CourseCompetency.course_id)
        .where(Course.status == "published")
    ).all()
    progress = dict(
        db.session.execute(
            select(CourseProgress.course_id, CourseProgress.completed_at).where(
                CourseProgress.user_id == user.id
            )
        ).all()
    )
    done = {course_id for course_id, at in progress.items() if at is not None}
    courses_of: dict[int, list[Course]] = {}
    for competency_id, course in links:
        courses_of.setdefault(competency_id, []).append(course)
    uncovered = {d.id for d in domains if not any(c.id in done for c in courses_of.get(d.id, []))}
    gain: dict[int, int] = {}
    for competency_id, course in links:
        if competency_id in uncovered and course.id not in done:
            gain[course.id] = gain.get(course.id, 0) + 1

    def rank(course: Course):
        return (
            course.id not in progress,
            -gain[course.id],
            not course.required,
            vi_key(course.title),
        )

    covers = []
    for domain in domains:
        courses = sorted(courses_of.get(domain.id, []), key=lambda c: vi_key(c.title))
        finished = tuple(c for c in courses if c.id in done)
        options = [c for c in courses if c.id not in done]
        covers.append(
            DomainCover(
                slug=domain.slug,
                name=domain.name,
                courses_done=finished,
                suggestion=None if finished or not options else min(options, key=rank),
            )
        )
    candidates = {c.id: c for _, c in links if c.id in gain}
    next_course = min(candidates.values(), key=rank) if candidates else None
    return Passport(tuple(covers), next_course)


@dataclass(frozen=True)
class DomainShare:
    """How many of a unit's officials cover one domain."""

    slug: str
    name: str
    officials: int
    covered: int

    @property
    def rate(self) -> float:
        return self.covered / self.officials if self.officials else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.slug,
            "name": self.name,
            "officials": self.officials,
            "covered": self.covered,
            "rate": round(self.rate, 4),
        }


def _covered_by(unit: Unit, *group) -> list[tuple]:
    """(group…, competency id, officials covering it) for the officials in scope of `unit`."""
    return db.session.execute(
        select(*group, CourseCompetency.competency_id, func.count(distinct(CourseProgress.user_id)))
        .join(Course, Course.id == CourseCompetency.course_id)
        .join(CourseProgress, CourseProgress.course_id == CourseCompetency.course_id)
        .join(User, User.id == CourseProgress.user_id)
        .join(Unit, Unit.id == User.unit_id)
        .where(
            Course.status == "published",
            CourseProgress.completed_at.is_not(None),
            subtree_of(unit.path),
            counted_officials(),
        )
        .group_by(*group, CourseCompetency.competency_id)
    ).all()


@dataclass(frozen=True)
class ChildDomains:
    """A direct child unit and the share of its officials covering each domain."""

    unit: UnitInfo
    officials: int
    shares: list[DomainShare]


def child_domain_shares(unit: Unit) -> list[ChildDomains]:
    """Per direct child unit of `unit`, in name order, its officials covering each domain:
    one grouped query (a row per child and domain) and two for the children's officials."""
    code = child_code(unit)
    covered = {
        (child, competency_id): int(n)
        for child, competency_id, n in _covered_by(unit, code)
        if child  # officials of `unit` itself belong to no child
    }
    domains = published_domains()
    return [
        ChildDomains(
            info,
            officials,
            [
                DomainShare(d.slug, d.name, officials, covered.get((info.code, d.id), 0))
                for d in domains
            ],
        )
        for info, officials in child_officials(unit)
    ]


def domain_shares(unit: Unit, officials: int | None = None) -> list[DomainShare]:
    """Per domain, the officials in scope of `unit` (the one definition every report uses)
    who cover it: one grouped query, a row per domain, plus the officials' count from the
    rollups unless the caller has it."""
    if officials is None:
        officials = count_officials(unit)
    covered = dict(_covered_by(unit))
    return [
        DomainShare(d.slug, d.name, officials, int(covered.get(d.id, 0)))
        for d in published_domains()
    ]


@dataclass(frozen=True)
class UnitDomain:
    """One row of the domains export: a unit and its officials covering one domain."""

    unit_code: str
    unit_name: str
    share: DomainShare


def unit_domain_rows(unit: Unit) -> list[UnitDomain]:
    """The unit's own figures per domain, then each direct child's, as the export lists them."""
    rows = [UnitDomain(unit.code, unit.name, share) for share in domain_shares(unit)]
    for child in child_domain_shares(unit):
        rows += [UnitDomain(child.unit.code, child.unit.name, share) for share in child.shares]
    return rows

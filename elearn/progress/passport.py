"""The digital-skills passport: which domains of the competency framework an official has
covered, what to take next, and the share of a unit's officials covering each domain.

The rule, in one place: an official covers a domain once they have completed at least one
published course tagged with it (`competencies:`), whichever way they completed it (lessons
or test out). Domains are the framework's published ones, in its order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, literal, select

from elearn.extensions import db
from elearn.models import (
    Competency,
    Course,
    CourseCompetency,
    CourseProgress,
    DomainRollup,
    Unit,
    User,
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


def _covered_by_child(unit: Unit) -> dict[tuple[str, int], int]:
    """(direct child's code, competency id) → officials of that child covering the domain,
    summed from the rollup; the officials of `unit` itself under the code "". Every official
    belongs to one child (or to `unit`), so the unit's figure is the sum of these."""
    child = case((Unit.path == unit.path, literal("")), else_=child_code(unit))
    rows = db.session.execute(
        select(child, DomainRollup.competency_id, func.sum(DomainRollup.covered))
        .join(Unit, Unit.id == DomainRollup.unit_id)
        .where(subtree_of(unit.path))
        .group_by(child, DomainRollup.competency_id)
    ).all()
    return {(code, competency_id): int(n or 0) for code, competency_id, n in rows}


@dataclass(frozen=True)
class ChildDomains:
    """A direct child unit and the share of its officials covering each domain."""

    unit: UnitInfo
    officials: int
    shares: list[DomainShare]


@dataclass(frozen=True)
class UnitDomains:
    """A unit's officials covering each domain, and the same for each direct child."""

    shares: list[DomainShare]
    children: list[ChildDomains]


def unit_domains(
    unit: Unit,
    officials: int | None = None,
    *,
    children: bool = True,
    child_rows: list[tuple[UnitInfo, int]] | None = None,
) -> UnitDomains:
    """Per domain, the officials in scope of `unit` (the one definition every report uses)
    who cover it, and with `children` the same per direct child unit (in name order), or
    for `child_rows` ((unit, officials) a caller already counted, e.g. a dashboard's page).

    Read from the rollups (kept by `elearn.progress.rollup` equal to a plain count of
    `counted_officials`), a bounded number of queries whatever the unit's size: the grouped
    sum (a row per child and domain), the domains, and the officials' counts (the unit's
    unless the caller has it, the children's)."""
    if officials is None:
        officials = count_officials(unit)
    covered = _covered_by_child(unit)
    totals: dict[int, int] = {}
    for (_code, competency_id), n in covered.items():
        totals[competency_id] = totals.get(competency_id, 0) + n
    domains = published_domains()
    shares = [DomainShare(d.slug, d.name, officials, totals.get(d.id, 0)) for d in domains]
    rows = [
        ChildDomains(
            info,
            people,
            [
                DomainShare(d.slug, d.name, people, covered.get((info.code, d.id), 0))
                for d in domains
            ],
        )
        for info, people in (
            child_rows if child_rows is not None else child_officials(unit) if children else []
        )
    ]
    return UnitDomains(shares, rows)


@dataclass(frozen=True)
class UnitDomain:
    """One row of the domains export: a unit and its officials covering one domain."""

    unit_code: str
    unit_name: str
    share: DomainShare


def unit_domain_rows(unit: Unit) -> list[UnitDomain]:
    """The unit's own figures per domain, then each direct child's, as the export lists them."""
    found = unit_domains(unit)
    rows = [UnitDomain(unit.code, unit.name, share) for share in found.shares]
    for child in found.children:
        rows += [UnitDomain(child.unit.code, child.unit.name, share) for share in child.shares]
    return rows

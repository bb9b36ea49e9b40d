"""Publish the competency framework and each course's domains, inside the sync transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select

from elearn.content.model import Framework
from elearn.extensions import db
from elearn.models import Competency, Course, CourseCompetency


def publish_framework(
    framework: Framework, now: datetime, changes: dict[str, list[str]]
) -> dict[str, Competency]:
    """Add, rename, reorder and retire domains to match the file; return them by slug.

    `changes` receives the slugs `added`, `updated` and `retired`.
    """
    existing = {row.slug: row for row in db.session.scalars(select(Competency))}
    changes.update(added=[], updated=[], retired=[])
    for domain in framework.domains:
        row = existing.get(domain.id)
        wanted = {"name": domain.name, "position": domain.position, "status": "published"}
        if row is None:
            row = Competency(slug=domain.id, updated_at=now, **wanted)
            db.session.add(row)
            existing[domain.id] = row
            changes["added"].append(domain.id)
        elif any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.updated_at = now
            changes["updated"].append(domain.id)
    present = set(framework.ids)
    for slug, row in existing.items():
        if slug not in present and row.status != "retired":
            row.status, row.updated_at = "retired", now
            changes["retired"].append(slug)
    return existing


def link_domains(
    courses: Iterable[tuple[Course, tuple[str, ...]]], domains: dict[str, Competency]
) -> None:
    """Make each course's links to domains exactly its `competencies:` line."""
    pairs = list(courses)
    course_ids = [row.id for row, _ in pairs]
    current: dict[int, set[int]] = {}
    for link in db.session.scalars(
        select(CourseCompetency).where(CourseCompetency.course_id.in_(course_ids))
    ):
        current.setdefault(link.course_id, set()).add(link.competency_id)
    for row, slugs in pairs:
        wanted = {domains[slug].id for slug in slugs}
        have = current.get(row.id, set())
        for competency_id in wanted - have:
            db.session.add(CourseCompetency(course_id=row.id, competency_id=competency_id))
        if have - wanted:
            db.session.execute(
                delete(CourseCompetency).where(
                    CourseCompetency.course_id == row.id,
                    CourseCompetency.competency_id.in_(have - wanted),
                )
            )

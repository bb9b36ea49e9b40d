"""Publish a validated course collection to the database, all or nothing.

Rows are matched by the authors' ids, so edits, renames and reordering keep every learner's
progress; content that leaves the files is retired, never deleted. The caller owns the
transaction: it commits after `publish` returns and rolls back if anything raised.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from elearn import audit
from elearn.clock import utcnow
from elearn.content import model
from elearn.errors import ElearnError
from elearn.extensions import db
from elearn.models import ContentSync, Course, CourseItem, MediaFile, Question, User

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
}


class ContentInvalid(ElearnError):
    """The collection has errors; nothing may be published."""

    def __init__(self, problems: tuple[model.Problem, ...]) -> None:
        super().__init__(f"{len(problems)} error(s) in the courses")
        self.problems = problems


@dataclass
class SyncReport:
    """What a sync changed, as `course` or `course/item` ids."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def placeholder_image_url(course_id: str, rel_path: str) -> str:
    """The URL the renderer writes for an image before its content hash is known."""
    return f"/media/{course_id}/{rel_path}"


def media_url(sha256: str, rel_path: str) -> str:
    """The long-cached URL an image is served from: it changes whenever the image does."""
    return f"/media/{sha256}/{PurePosixPath(rel_path).name}"


def publish(
    result: model.LoadResult,
    root: Path,
    *,
    actor: User | None = None,
    on_course: Callable[[model.Course], None] | None = None,
) -> SyncReport:
    """Write every course of a valid collection; retire what is gone. Raises ContentInvalid."""
    if not result.ok:
        raise ContentInvalid(result.errors)
    report = SyncReport()
    existing = {c.slug: c for c in db.session.scalars(select(Course))}
    now = utcnow()
    for course in result.courses:
        _publish_course(course, existing.get(course.id), root, report, now)
        if on_course:
            on_course(course)
    present = {c.id for c in result.courses}
    for slug, row in existing.items():
        if slug not in present and row.status != "retired":
            row.status, row.retired_at = "retired", now
            report.retired.append(slug)
    db.session.add(ContentSync(action="sync", ok=True, summary=asdict(report), problems=[]))
    audit.record("courses.synced", actor=actor, target=str(root), **_counts(report))
    db.session.flush()
    return report


def record_validation(result: model.LoadResult) -> None:
    """Remember a validation run (its problems, if any) for the authors' status page."""
    db.session.add(
        ContentSync(
            action="validate",
            ok=result.ok,
            summary={"courses": len(result.courses), "warnings": len(result.warnings)},
            problems=[str(p) for p in result.errors],
        )
    )


def record_failure(action: str, problems: tuple[model.Problem, ...]) -> None:
    """Remember the problems of a failed run for the authors' status page."""
    db.session.add(
        ContentSync(action=action, ok=False, summary={}, problems=[str(p) for p in problems])
    )


def _counts(report: SyncReport) -> dict[str, int]:
    return {name: len(values) for name, values in asdict(report).items()}


def _publish_course(
    course: model.Course, row: Course | None, root: Path, report: SyncReport, now
) -> None:
    if row is not None and row.content_hash == course.content_hash and row.status == course.status:
        report.unchanged.append(course.id)
        return
    images = _store_images(course, root)
    fields = {
        "title": course.title,
        "description": course.description,
        "minutes": course.minutes,
        "required": course.required,
        "status": course.status,
        "competencies": ", ".join(course.competencies),
        "language": course.language,
        "intro_html": _with_media_urls(course.intro_html, course.id, images),
        "folder": course.folder,
        "content_hash": course.content_hash,
        "retired_at": None,
        "updated_at": now,
    }
    if row is None:
        row = Course(slug=course.id, version=1, **fields)
        db.session.add(row)
        report.added.append(course.id)
    else:
        if row.content_hash != course.content_hash:
            row.version += 1
        for name, value in fields.items():
            setattr(row, name, value)
        report.updated.append(course.id)
    _publish_items(row, course, images, report, now)


def _publish_items(
    row: Course, course: model.Course, images: dict[str, str], report: SyncReport, now
) -> None:
    existing = {item.slug: item for item in row.items}
    for item in course.items:
        item_row = existing.get(item.id)
        label = f"{course.id}/{item.id}"
        fields = _item_fields(item, course.id, images)
        if item_row is None:
            item_row = CourseItem(course=row, slug=item.id, first_published_at=now, **fields)
            db.session.add(item_row)
            report.added.append(label)
        elif item_row.content_hash != item.content_hash or item_row.status != "published":
            for name, value in fields.items():
                setattr(item_row, name, value)
            item_row.retired_at, item_row.updated_at = None, now
            report.updated.append(label)
        elif item_row.position != item.position or item_row.source_path != item.source_path:
            item_row.position, item_row.source_path = item.position, item.source_path
        if isinstance(item, model.Quiz):
            _publish_questions(item_row, item, course.id, images)
    present = {item.id for item in course.items}
    for slug, item_row in existing.items():
        if slug not in present and item_row.status != "retired":
            item_row.status, item_row.retired_at = "retired", now
            report.retired.append(f"{course.id}/{slug}")


def _item_fields(item: model.Item, course_id: str, images: dict[str, str]) -> dict:
    common = {
        "kind": item.kind,
        "title": item.title,
        "position": item.position,
        "source_path": item.source_path,
        "content_hash": item.content_hash,
        "status": "published",
    }
    if isinstance(item, model.Quiz):
        return common | {
            "minutes": None,
            "html": _with_media_urls(item.intro_html, course_id, images),
            "pass_mark": item.pass_mark,
            "max_attempts": item.max_attempts,
            "shuffle": item.shuffle,
        }
    return common | {
        "minutes": item.minutes,
        "html": _with_media_urls(item.html, course_id, images),
        "pass_mark": None,
        "max_attempts": None,
        "shuffle": False,
    }


def _publish_questions(
    quiz_row: CourseItem, quiz: model.Quiz, course_id: str, images: dict[str, str]
) -> None:
    existing = {q.slug: q for q in quiz_row.questions}
    for position, question in enumerate(quiz.questions, start=1):
        row = existing.get(question.id)
        if row is None:
            row = Question(quiz=quiz_row, slug=question.id)
            db.session.add(row)
        elif row.content_hash == question.content_hash and row.status == "published":
            row.position = position
            continue
        row.position = position
        row.kind = question.kind
        row.text_html = _with_media_urls(question.text_html, course_id, images)
        row.points = question.points
        row.answer_key = _answer_key(question)
        row.explanation_html = question.explanation_html
        row.content_hash = question.content_hash
        row.status = "published"
    present = {q.id for q in quiz.questions}
    for slug, row in existing.items():
        if slug not in present:
            row.status = "retired"


def _answer_key(question: model.Question) -> dict:
    return {
        "choices": [
            {
                "key": c.key,
                "text": c.text,
                "html": c.html,
                "correct": c.correct,
                "feedback_html": c.feedback_html,
            }
            for c in question.choices
        ],
        "short_answers": list(question.short_answers),
        "numeric_answers": [
            {"value": a.value, "tolerance": a.tolerance} for a in question.numeric_answers
        ],
    }


def _store_images(course: model.Course, root: Path) -> dict[str, str]:
    """Save each image once by content hash; return rel_path → served URL."""
    urls = {}
    for image in course.images:
        urls[image.rel_path] = media_url(image.sha256, image.rel_path)
        if db.session.get(MediaFile, image.sha256) is not None:
            continue
        path = root / course.folder / image.rel_path
        mime = IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        db.session.add(
            MediaFile(
                sha256=image.sha256,
                mime_type=mime or "application/octet-stream",
                size=image.size,
                data=path.read_bytes(),
            )
        )
    return urls


def _with_media_urls(html: str, course_id: str, images: dict[str, str]) -> str:
    for rel_path, url in images.items():
        html = html.replace(f'src="{placeholder_image_url(course_id, rel_path)}"', f'src="{url}"')
    return html

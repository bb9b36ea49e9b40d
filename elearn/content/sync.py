"""Publish a validated course collection to the database, all or nothing.

Rows are matched by the authors' ids, so edits, renames and reordering keep every learner's
progress; content that leaves the files is retired, never deleted. The caller owns the
transaction: it commits after `publish` returns and rolls back if anything raised.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path, PurePosixPath

from sqlalchemy import select

from elearn import audit
from elearn.clock import utcnow
from elearn.content import model
from elearn.content.files import media_url as _media_url
from elearn.content.framework_sync import link_domains, publish_framework
from elearn.content.loader import collection_base
from elearn.content.report import SyncReport
from elearn.content.sourcefile import read_bytes_no_symlink
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
MSG_MEDIA_CHANGED = (
    "tệp đã thay đổi trong lúc xuất bản nên không xuất bản gì cả; hãy chạy lại lệnh "
    "elearn courses sync"
)


class ContentInvalid(ElearnError):
    """The collection has errors; nothing may be published."""

    def __init__(self, problems: tuple[model.Problem, ...]) -> None:
        super().__init__(f"{len(problems)} error(s) in the courses")
        self.problems = problems


def placeholder_image_url(course_id: str, rel_path: str) -> str:
    """The URL the renderer writes for an image before its content hash is known."""
    return f"/media/{course_id}/{rel_path}"


def media_url(sha256: str, rel_path: str) -> str:
    """The long-cached URL an image is served from: it changes whenever the image does."""
    return _media_url(sha256, PurePosixPath(rel_path).name)


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
    rows: dict[str, Course] = {}
    for course in result.courses:
        rows[course.id] = _publish_course(course, existing.get(course.id), root, report, now)
        if on_course:
            on_course(course)
    present = {c.id for c in result.courses}
    for slug, row in existing.items():
        if slug not in present and row.status != "retired":
            row.status, row.retired_at = "retired", now
            report.retired.append(slug)
    if result.framework is not None:
        domains = publish_framework(result.framework, now, report.domains)
        db.session.flush()  # new courses need their ids before they are linked
        link_domains([(rows[c.id], c.competencies) for c in result.courses], domains)
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
            summary={
                "folders": result.folders,
                "courses": len(result.courses),
                "warnings": len(result.warnings),
            },
            problems=[str(p) for p in result.errors],
        )
    )


def record_failure(action: str, problems: tuple[model.Problem, ...]) -> None:
    """Remember the problems of a failed run for the authors' status page."""
    db.session.add(
        ContentSync(action=action, ok=False, summary={}, problems=[str(p) for p in problems])
    )


def _counts(report: SyncReport) -> dict[str, int]:
    return {name: len(values) for name, values in asdict(report).items() if name != "domains"}


def _publish_course(
    course: model.Course, row: Course | None, root: Path, report: SyncReport, now
) -> Course:
    """Add or update one course and its items; an unchanged course is only counted."""
    if (
        row is not None
        and row.content_hash == course.content_hash
        and row.status == course.status
        and row.test_out == course.test_out
    ):
        report.unchanged.append(course.id)
        report.unchanged.extend(f"{course.id}/{item.id}" for item in course.items)
        return row
    media = _store_media(course, root)
    fields = {
        "title": course.title,
        "description": course.description,
        "minutes": course.minutes,
        "required": course.required,
        "status": course.status,
        "competencies": ", ".join(course.competencies),
        "language": course.language,
        "test_out": course.test_out,
        "intro_html": _with_media_urls(course.intro_html, course.id, media),
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
    _publish_items(row, course, media, report, now)
    return row


def _publish_items(
    row: Course, course: model.Course, media: dict[str, str], report: SyncReport, now
) -> None:
    existing = {item.slug: item for item in row.items}
    for item in course.items:
        item_row = existing.get(item.id)
        label = f"{course.id}/{item.id}"
        fields = _item_fields(item, course.id, media)
        if item_row is None:
            item_row = CourseItem(course=row, slug=item.id, first_published_at=now, **fields)
            db.session.add(item_row)
            report.added.append(label)
        elif (
            item_row.content_hash != item.content_hash
            or item_row.status != "published"
            or item_row.html != fields["html"]  # an image or file it uses changed
        ):
            for name, value in fields.items():
                setattr(item_row, name, value)
            item_row.retired_at, item_row.updated_at = None, now
            report.updated.append(label)
        else:
            item_row.position, item_row.source_path = item.position, item.source_path
            report.unchanged.append(label)
        if isinstance(item, model.Quiz):
            _publish_questions(item_row, item, course.id, media)
    present = {item.id for item in course.items}
    for slug, item_row in existing.items():
        if slug not in present and item_row.status != "retired":
            item_row.status, item_row.retired_at = "retired", now
            report.retired.append(f"{course.id}/{slug}")


def _item_fields(item: model.Item, course_id: str, media: dict[str, str]) -> dict:
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
            "html": _with_media_urls(item.intro_html, course_id, media),
            "pass_mark": item.pass_mark,
            "max_attempts": item.max_attempts,
            "shuffle": item.shuffle,
        }
    return common | {
        "minutes": item.minutes,
        "html": _with_media_urls(item.html, course_id, media),
        "pass_mark": None,
        "max_attempts": None,
        "shuffle": False,
    }


def _publish_questions(
    quiz_row: CourseItem, quiz: model.Quiz, course_id: str, media: dict[str, str]
) -> None:
    existing = {q.slug: q for q in quiz_row.questions}
    for position, question in enumerate(quiz.questions, start=1):
        row = existing.get(question.id)
        fields = {
            "position": position,
            "kind": question.kind,
            "text_html": _with_media_urls(question.text_html, course_id, media),
            "points": question.points,
            "answer_key": _answer_key(question, course_id, media),
            "explanation_html": _with_media_urls(question.explanation_html, course_id, media),
            "content_hash": question.content_hash,
            "status": "published",
            "lesson_slug": question.lesson,
        }
        if row is None:
            row = Question(quiz=quiz_row, slug=question.id)
            db.session.add(row)
        elif all(getattr(row, name) == value for name, value in fields.items()):
            continue
        for name, value in fields.items():
            setattr(row, name, value)
    present = {q.id for q in quiz.questions}
    for slug, row in existing.items():
        if slug not in present:
            row.status = "retired"


def _answer_key(question: model.Question, course_id: str, media: dict[str, str]) -> dict:
    return {
        "choices": [
            {
                "key": c.key,
                "text": c.text,
                "html": _with_media_urls(c.html, course_id, media),
                "correct": c.correct,
                "feedback_html": _with_media_urls(c.feedback_html, course_id, media),
            }
            for c in question.choices
        ],
        "short_answers": list(question.short_answers),
        "numeric_answers": [
            {"value": a.value, "tolerance": a.tolerance} for a in question.numeric_answers
        ],
    }


class MediaChanged(ContentInvalid):
    """An image or file changed between validation and publishing; nothing is published."""


def _store_media(course: model.Course, root: Path) -> dict[str, str]:
    """Save each image and file once by content hash; return rel_path → served URL.

    The bytes are read again (never through a symlink) and must still have the hash that was
    validated, so what is published is exactly what was checked.
    """
    urls = {}
    media: list[tuple[str, str, int, str | None]] = [
        (image.rel_path, image.sha256, image.size, None) for image in course.images
    ]
    media += [(f.rel_path, f.sha256, f.size, f.mime_type) for f in course.files]
    for rel_path, sha256, size, mime in media:
        urls[rel_path] = media_url(sha256, rel_path)
        if db.session.get(MediaFile, sha256) is not None:
            continue
        path = collection_base(root) / course.folder / rel_path
        try:
            data = read_bytes_no_symlink(path, size)
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() != sha256:
            rel = f"{course.folder}/{rel_path}"
            raise MediaChanged((model.Problem(rel, 1, "error", MSG_MEDIA_CHANGED),))
        mime = mime or IMAGE_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        db.session.add(
            MediaFile(
                sha256=sha256, mime_type=mime or "application/octet-stream", size=size, data=data
            )
        )
    return urls


def _with_media_urls(html: str | None, course_id: str, media: dict[str, str]) -> str | None:
    if not html:
        return html
    for rel_path, url in media.items():
        html = html.replace(f'src="{placeholder_image_url(course_id, rel_path)}"', f'src="{url}"')
    return html

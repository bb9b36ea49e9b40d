"""What a course saved on a phone holds: a content-only copy of each page, its images, and
how much room that takes.

The copies carry course content only (no name, no progress, no form token), so the device
may keep them; personal pages are never stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app, url_for
from flask_babel import get_locale
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.models import Course, MediaFile
from elearn.progress.queries import ItemInfo, outline

MEDIA_URL = re.compile(r'/media/([0-9a-f]{64})/[^"\'\s<>?#]+')
# A copy's page around the lesson text (header, navigation, scripts' tags): 1.4-2.3 KB on the
# shipped courses, median 1.8 KB; the browser test checks the estimate against what is stored.
PAGE_OVERHEAD = 1800
SCRIPTS = ("queue.js", "offline.js")  # the page script and the queue it shares with the worker
ASSETS = ("style.css", *SCRIPTS)


@dataclass(frozen=True)
class CopyPage:
    """One lesson or quiz of a saved course, with its place and neighbours."""

    item: ItemInfo
    number: int
    total: int
    before: ItemInfo | None
    after: ItemInfo | None


@dataclass(frozen=True)
class SavedCourse:
    """Everything a device stores for a course, and its size in bytes (before the assets)."""

    items: tuple[ItemInfo, ...]
    images: tuple[str, ...]  # image URLs, in order of first use
    size: int


_SAVED: dict[tuple[int, str], SavedCourse] = {}
_SAVED_MAX = 256


def published_items(course: Course) -> tuple[ItemInfo, ...]:
    """The course's lessons and quizzes as learners see them, in order."""
    return tuple(i for i in outline(course) if i.status == "published")


def copy_page(course: Course, item_slug: str) -> CopyPage | None:
    """A published item of the course with its number and neighbours, or None."""
    items = published_items(course)
    for index, item in enumerate(items):
        if item.slug == item_slug:
            return CopyPage(
                item=item,
                number=index + 1,
                total=len(items),
                before=items[index - 1] if index else None,
                after=items[index + 1] if index + 1 < len(items) else None,
            )
    return None


def saved_course(course: Course) -> SavedCourse:
    """The pages and images of a course to store, and their size; kept per course version."""
    key = (course.id, course.content_hash)
    found = _SAVED.get(key)
    if found is None:
        items = published_items(course)
        html = [course.intro_html, *(i.html for i in items)]
        images = tuple(dict.fromkeys(m.group(0) for text in html for m in MEDIA_URL.finditer(text)))
        shas = {MEDIA_URL.fullmatch(url).group(1) for url in images}  # type: ignore[union-attr]
        image_bytes = 0
        if shas:
            image_bytes = db.session.scalar(
                select(func.coalesce(func.sum(MediaFile.size), 0)).where(MediaFile.sha256.in_(shas))
            )
        text_bytes = sum(len(text.encode()) for text in html)
        size = text_bytes + PAGE_OVERHEAD * (len(items) + 1) + image_bytes
        found = SavedCourse(items=items, images=images, size=size)
        if len(_SAVED) >= _SAVED_MAX:
            _SAVED.clear()
        _SAVED[key] = found
    return found


def asset_urls() -> list[str]:
    """The stylesheet and scripts every saved page needs, at their fingerprinted URLs."""
    return [url_for("static", filename=name) for name in ASSETS]


@lru_cache(maxsize=8)
def _asset_bytes(folder: str) -> int:
    return sum((Path(folder) / name).stat().st_size for name in ASSETS)


def saved_size(course: Course) -> int:
    """About how many bytes saving the course takes on the device (shown before saving)."""
    return saved_course(course).size + _asset_bytes(current_app.static_folder or "")


def copy_version(course: Course) -> str:
    """Changes with the course's content, the language and the assets a copy links to."""
    parts = [course.content_hash, str(get_locale()), *asset_urls()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]

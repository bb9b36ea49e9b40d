"""Progress events a device queued while it had no connection: check a batch, apply each once.

A phone that loses its connection keeps "lesson completed" events, each with an id it made
itself, and sends them when the connection returns: perhaps twice, late, or out of order.
A malformed batch applies nothing; a well-formed one gets an answer for every event.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from elearn import audit
from elearn.errors import ElearnError
from elearn.extensions import db
from elearn.models import Course, CourseItem, User
from elearn.progress import recording
from elearn.text import storable

log = logging.getLogger(__name__)

MAX_EVENTS = 100  # a day offline is a few dozen lessons at most
LESSON_COMPLETED = "lesson_completed"
EVENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_NAME = 100


class BadBatch(ElearnError):
    """The body is not a list of well-formed events; nothing of it is applied."""


@dataclass(frozen=True)
class Event:
    """One event as the device sent it."""

    id: str
    type: str
    course: str
    item: str
    at: datetime
    account: str | None  # the account the device says made it; None: the caller's


@dataclass(frozen=True)
class EventResult:
    """The answer for one event: applied, duplicate or refused, and why."""

    id: str
    status: str
    reason: str | None = None
    recorded_at: datetime | None = None

    def as_dict(self) -> dict:
        """The JSON form of the answer."""
        answer: dict = {"id": self.id, "status": self.status}
        if self.reason:
            answer["reason"] = self.reason
        if self.recorded_at:
            answer["recorded_at"] = self.recorded_at.isoformat(timespec="seconds")
        return answer


def parse_batch(raw: object) -> list[Event]:
    """Read a decoded JSON body into events; raise BadBatch naming the first problem."""
    if not isinstance(raw, list):
        raise BadBatch("the body must be a JSON list of events")
    if len(raw) > MAX_EVENTS:
        raise BadBatch(f"at most {MAX_EVENTS} events per request; send the rest afterwards")
    return [_event(number, entry) for number, entry in enumerate(raw)]


def _event(number: int, raw: object) -> Event:
    where = f"event {number}"
    if not isinstance(raw, dict):
        raise BadBatch(f"{where}: must be an object")
    event_id = raw.get("id")
    if not isinstance(event_id, str) or not EVENT_ID.fullmatch(event_id):
        raise BadBatch(f"{where}: id must be 8 to 64 letters, digits, '-' or '_'")
    names = {}
    for field in ("type", "course", "item"):
        value = raw.get(field)
        if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME or not storable(value):
            raise BadBatch(f"{where}: {field} must be a text of 1 to {MAX_NAME} characters")
        names[field] = value
    account = raw.get("account")
    if account is not None and (
        not isinstance(account, str) or len(account) > MAX_NAME or not storable(account)
    ):
        raise BadBatch(f"{where}: account must be a username")
    return Event(
        id=event_id,
        type=names["type"],
        course=names["course"],
        item=names["item"],
        at=_time(where, raw.get("at")),
        account=account,
    )


def _time(where: str, raw: object) -> datetime:
    """An ISO 8601 time with its offset (a time without one could be any time zone)."""
    if not isinstance(raw, str) or len(raw) > 40:
        raise BadBatch(f"{where}: at must be an ISO 8601 time such as 2026-01-05T08:30:00+07:00")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BadBatch(f"{where}: at is not an ISO 8601 time: {raw}") from None
    if value.tzinfo is None:
        raise BadBatch(f"{where}: at must give its time zone (Z or +07:00)")
    return value


def apply_batch(user: User, events: list[Event], *, ip: str | None = None) -> list[EventResult]:
    """Apply each event once, through the progress writer; refuse, and log, events that
    belong to another account. The caller commits."""
    lessons = _lessons(events)
    results = []
    foreign: dict[str, int] = {}
    for event in events:
        if event.account is not None and event.account != user.username:
            foreign[event.account] = foreign.get(event.account, 0) + 1
            results.append(EventResult(event.id, "refused", "other_account"))
            continue
        if event.type != LESSON_COMPLETED:
            results.append(EventResult(event.id, "refused", "unknown_type"))
            continue
        lesson = lessons.get((event.course, event.item))
        if lesson is None:
            results.append(EventResult(event.id, "refused", "unknown_lesson"))
            continue
        results.append(_apply(user, event, lesson))
    for account, count in foreign.items():
        log.warning(
            "refused %d progress event(s) for account %r sent by %r", count, account, user.username
        )
        audit.record("progress.events_refused", actor=user, target=account, ip=ip, events=count)
    return results


def _apply(user: User, event: Event, lesson: CourseItem) -> EventResult:
    retired = lesson.status == "retired" or lesson.course.status == "retired"
    outcome = recording.apply_lesson_event(user, event.id, lesson, event.at)
    if outcome.replayed:
        return EventResult(event.id, "duplicate", "replayed")
    if not outcome.recorded:
        return EventResult(event.id, "duplicate", "already_completed")
    return EventResult(event.id, "applied", "retired_lesson" if retired else None, outcome.at)


def _lessons(events: list[Event]) -> dict[tuple[str, str], CourseItem]:
    """The lessons the events name, published or retired (history), in one query."""
    wanted = {(e.course, e.item) for e in events if e.type == LESSON_COMPLETED}
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(CourseItem)
        .join(CourseItem.course)
        .options(contains_eager(CourseItem.course))
        .where(
            Course.slug.in_({course for course, _ in wanted}),
            CourseItem.slug.in_({item for _, item in wanted}),
            Course.status.in_(("published", "retired")),
            CourseItem.kind == "lesson",
        )
    )
    found = {(row.course.slug, row.slug): row for row in rows}
    return {key: row for key, row in found.items() if key in wanted}

"""Column types and helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String, TypeDecorator
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from elearn.extensions import db


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back time-zone aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use elearn.clock.utcnow()")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def binary_string(length: int) -> String:
    """A string compared byte by byte on every database, so range scans on paths and sort
    keys use the index and sort the same everywhere."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def dialect_insert(model: type) -> Any:
    """An INSERT that supports ON CONFLICT on both databases (for idempotent writes)."""
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    return insert(model)

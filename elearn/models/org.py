"""The administrative tree: province → (district →) commune, of any depth, never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.clock import utcnow
from elearn.extensions import db
from elearn.models.base import UTCDateTime, binary_string

# kind → Vietnamese label; the label is what people see and may type in imports.
UNIT_KINDS: dict[str, str] = {
    "province": "tỉnh",
    "city": "thành phố",
    "town": "thị xã",
    "district": "huyện",
    "ward": "phường",
    "commune": "xã",
    "township": "thị trấn",
}
COMMUNE_KINDS = frozenset({"ward", "commune", "township"})


class Unit(db.Model):
    """A node of the administrative tree; `path` (codes from the root) makes subtrees fast."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    # "/27/256/09163/": every ancestor's code; a subtree is a range scan on this index.
    path: Mapped[str] = mapped_column(binary_string(400), index=True)
    depth: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped[Unit | None] = relationship(remote_side=[id], foreign_keys=[successor_id])

    __table_args__ = (Index("ix_unit_parent_id_name", "parent_id", "name"),)

    @property
    def kind_label(self) -> str:
        """The Vietnamese name of this unit's kind."""
        return UNIT_KINDS.get(self.kind, self.kind)

    @property
    def is_open(self) -> bool:
        """Whether the unit still exists (not merged into another)."""
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"

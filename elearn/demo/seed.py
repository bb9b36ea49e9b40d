"""Demo data: the Bắc Ninh 2023–2024 unit tree and one account of each role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from elearn.admin.units import import_units
from elearn.demo.generate import populate
from elearn.extensions import db
from elearn.models import Course, Unit, User
from elearn.models.org import COMMUNE_KINDS
from elearn.paths import DATA_DIR, private_dir, write_private
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields

UNITS_FILE = DATA_DIR / "bac-ninh-units-2024.csv"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit_code: str
    role: str
    category: str = "khac"


DEMO_ACCOUNTS = (
    DemoAccount("quantri", "Nguyễn Thị Hồng Nhung", "27", "admin"),
    DemoAccount("sonoivu", "Trần Văn Quang", "27", "manager"),
    DemoAccount("noivu.tuson", "Lê Thị Thu Hà", "261", "manager"),
    DemoAccount("biensoan", "Phạm Minh Đức", "27", "author"),
    DemoAccount("canbo.canhhung", "Nguyễn Văn An", "09364", "official", "can_bo"),
    DemoAccount("congchuc.canhhung", "Đỗ Thị Ánh", "09364", "official", "cong_chuc"),
    DemoAccount("congchuc.dongngan", "Hoàng Văn Bình", "09367", "official", "cong_chuc"),
    DemoAccount("canbo.vuninh", "Vũ Thị Lan", "09163", "official", "can_bo"),
)


def seed(instance_path: Path) -> tuple[bool, list[tuple[str, str, str]]]:
    """Load the demo tree and accounts once; return (created now?, sign-ins to print).

    The passwords are kept in the instance folder so that a second run can print them again.
    """
    logins_file = instance_path / "demo-logins.txt"
    if db.session.scalar(select(User.id).where(User.username == DEMO_ACCOUNTS[0].username)):
        return False, _read_logins(logins_file)
    import_units(UNITS_FILE)
    logins = []
    for account in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        create_person(
            None,
            PersonFields(
                account.username,
                account.full_name,
                account.unit_code,
                role=account.role,
                category=account.category,
            ),
            password=password,
        )
        logins.append((account.username, password, account.role))
    _write_logins(logins_file, logins)
    _sample_activity()
    return True, logins


SAMPLE_OFFICIALS = 250


def _sample_activity() -> None:
    """Give the province a couple of hundred officials with varied progress, so the reports
    have something to show (their passwords are random: nobody signs in as them)."""
    communes = list(
        db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS)).order_by(Unit.code))
    )
    courses = list(db.session.scalars(select(Course).where(Course.status == "published")))
    if communes and courses:
        populate(communes, courses, SAMPLE_OFFICIALS)


def _write_logins(path: Path, logins: list[tuple[str, str, str]]) -> None:
    private_dir(path.parent)
    write_private(path, "".join(f"{u}\t{p}\t{r}\n" for u, p, r in logins).encode("utf-8"))


def _read_logins(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.count("\t") == 2]  # type: ignore[misc]

"""Demo data that tells the true story of Bắc Ninh.

By default: the 2023–2024 tree (province → 8 district-level units → 126 communes, 2,366
officials as in the source article), a year of learning in the past, then the reform of
1 July 2025 from `bac-ninh-units-2025.csv` (99 communes and wards, no district level): old
units close into their successors and people move with their history, so the current
province has reportable history. `before_2025=True` stops before the reform and keeps the
article's picture (with a district manager).
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from elearn.admin.units import import_units, merge_units
from elearn.clock import local_today
from elearn.demo.generate import populate
from elearn.extensions import db
from elearn.models import Course, Unit, User
from elearn.models.org import COMMUNE_KINDS
from elearn.paths import DATA_DIR, private_dir, write_private
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields
from elearn.plans.assignments import create_assignment
from elearn.progress import required, rollup
from elearn.units import subtree_of, unit_by_code

UNITS_2024 = DATA_DIR / "bac-ninh-units-2024.csv"
UNITS_2025 = DATA_DIR / "bac-ninh-units-2025.csv"
OLD_PROVINCE, NEW_PROVINCE = "27", "24"
OFFICIALS_2024 = 2366  # cán bộ and công chức of the 126 communes (31/12/2023)
OFFICIALS_PER_NEW_COMMUNE = 20  # communes that came from Bắc Giang in 2025


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit_code: str
    role: str
    category: str = "khac"
    before_2025_only: bool = False
    after_2025_only: bool = False


# Unit codes of 2023–2024; the reform moves the people with their units. Commune managers
# (a commune chair) are cán bộ and train like everyone; provincial and district staff are not.
DEMO_ACCOUNTS = (
    DemoAccount("quantri", "Nguyễn Thị Hồng Nhung", OLD_PROVINCE, "admin"),
    DemoAccount("sonoivu", "Trần Văn Quang", OLD_PROVINCE, "manager"),
    DemoAccount("biensoan", "Phạm Minh Đức", OLD_PROVINCE, "author"),
    DemoAccount("noivu.tuson", "Lê Thị Thu Hà", "261", "manager", before_2025_only=True),
    DemoAccount("quanly.tuson", "Ngô Văn Hải", "09367", "manager", "can_bo", after_2025_only=True),
    DemoAccount(
        "quanly.phattich", "Dương Thị Mai", "09349", "manager", "can_bo", after_2025_only=True
    ),
    DemoAccount("canbo.canhhung", "Nguyễn Văn An", "09364", "official", "can_bo"),
    DemoAccount("congchuc.canhhung", "Đỗ Thị Ánh", "09364", "official", "cong_chuc"),
    DemoAccount("congchuc.dongngan", "Hoàng Văn Bình", "09367", "official", "cong_chuc"),
    DemoAccount("canbo.vuninh", "Vũ Thị Lan", "09163", "official", "can_bo"),
)


def seed(
    instance_path: Path, *, before_2025: bool = False
) -> tuple[bool, list[tuple[str, str, str]]]:
    """Load the demo once; return (created now?, sign-ins to print).

    The passwords are kept in the instance folder so that a second run can print them again.
    """
    logins_file = instance_path / "demo-logins.txt"
    if db.session.scalar(select(User.id).where(User.username == DEMO_ACCOUNTS[0].username)):
        return False, _read_logins(logins_file)
    import_units(UNITS_2024)
    logins = []
    for account in DEMO_ACCOUNTS:
        if account.after_2025_only if before_2025 else account.before_2025_only:
            continue
        password = secrets.token_urlsafe(9)
        fields = PersonFields(
            account.username,
            account.full_name,
            account.unit_code,
            role=account.role,
            category=account.category,
        )
        create_person(None, fields, password=password)
        logins.append((account.username, password, account.role))
    courses = list(db.session.scalars(select(Course).where(Course.status == "published")))
    populate(_open_communes(OLD_PROVINCE), courses, OFFICIALS_2024, detail=True, seed=2366)
    if not before_2025:
        _reform_of_2025()
        populate(
            _communes_without_people(),
            courses,
            0,
            per_unit=OFFICIALS_PER_NEW_COMMUNE,
            detail=True,
            seed=2025,
        )
    _assign_required_courses(before_2025)
    required.recount()
    rollup.rebuild()
    _write_logins(logins_file, logins)
    return True, logins


def _open_communes(province_code: str) -> list[Unit]:
    province = unit_by_code(province_code)
    return list(
        db.session.scalars(
            select(Unit)
            .where(
                subtree_of(province.path),
                Unit.kind.in_(COMMUNE_KINDS),
                Unit.closed_at.is_(None),
            )
            .order_by(Unit.code)
        )
    )


def _reform_of_2025() -> None:
    """Apply the 2025 file, then close what it leaves of the old tree into the new province.

    The file names most predecessors; a few old communes are named differently there. For the
    demo, each of those goes to the new unit that took most of its former neighbours.
    """
    import_units(UNITS_2025)
    old = unit_by_code(OLD_PROVINCE)
    successors: dict[int, Counter] = {}
    for unit in db.session.scalars(select(Unit).where(subtree_of(old.path))):
        if unit.successor_id is not None and unit.parent_id is not None:
            successors.setdefault(unit.parent_id, Counter())[unit.successor_id] += 1
    for commune in _open_communes(OLD_PROVINCE):
        votes = successors.get(commune.parent_id)
        if votes:
            successor = db.session.get(Unit, votes.most_common(1)[0][0])
            merge_units([commune.code], successor.code)
    districts = [u.code for u in db.session.scalars(select(Unit).where(Unit.parent_id == old.id))]
    merge_units(districts, NEW_PROVINCE)
    merge_units([OLD_PROVINCE], NEW_PROVINCE)


def _communes_without_people() -> list[Unit]:
    with_people = select(User.unit_id).distinct()
    return [
        u for u in _open_communes(NEW_PROVINCE) if u.id not in set(db.session.scalars(with_people))
    ]


def _assign_required_courses(before_2025: bool) -> None:
    """A deadline to watch: the first optional course is due in six weeks for the province,
    and one was due a fortnight ago for one district-level unit (or one commune)."""
    province = unit_by_code(OLD_PROVINCE if before_2025 else NEW_PROVINCE)
    admin = db.session.scalar(select(User).where(User.username == "quantri"))
    optional = list(
        db.session.scalars(
            select(Course)
            .where(Course.status == "published", Course.required.is_(False))
            .order_by(Course.slug)
        )
    )
    if not optional or admin is None:
        return
    today = local_today()
    create_assignment(admin, optional[0].slug, province.code, due_date=today + timedelta(weeks=6))
    if len(optional) > 1:
        late = unit_by_code("261" if before_2025 else "09367")
        assignment = create_assignment(
            admin, optional[1].slug, late.code, due_date=today + timedelta(days=1)
        )
        assignment.due_date = today - timedelta(days=14)  # set in the past, as time went by


def _write_logins(path: Path, logins: list[tuple[str, str, str]]) -> None:
    private_dir(path.parent)
    write_private(path, "".join(f"{u}\t{p}\t{r}\n" for u, p, r in logins).encode("utf-8"))


def _read_logins(path: Path) -> list[tuple[str, str, str]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.count("\t") == 2]  # type: ignore[misc]

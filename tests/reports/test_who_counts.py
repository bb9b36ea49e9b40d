"""One definition of who counts: active cán bộ and công chức. Managers, authors and admins of
category "khác" may learn, but no figure, list, export or API answer counts them."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from elearn.extensions import db
from elearn.models import User
from elearn.people import accounts
from elearn.people.fields import PersonFields
from elearn.progress import rollup
from tests.webkit import login


def _figures(client) -> tuple[int, int]:
    (row,) = client.get("/api/v1/reports/courses").json["courses"]
    return row["officials"], row["completed"]


def _listed(client) -> set[str]:
    data = client.get("/api/v1/reports/officials?course=an-toan&per_page=500").json
    return {o["username"] for o in data["officials"]}


def _set_category(app, username: str, category: str) -> None:
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "quantri"))
        person = db.session.scalar(select(User).where(User.username == username))
        fields = PersonFields(
            full_name=person.full_name,
            unit_code=person.unit.code,
            role=person.role,
            category=category,
        )
        accounts.update_person(actor, person, fields)
        db.session.commit()


def test_managers_and_staff_are_not_officials(app, province):
    client = app.test_client()
    login(client, "ql-province")
    assert _figures(client) == (9, 3)
    listed = _listed(client)
    assert "dn1" in listed and not {"ql-province", "ql-district", "ql-author"} & listed
    page = client.get("/reports/units/09367/officials?course=an-toan").get_data(as_text=True)
    assert "Quản Lý commune" not in page  # a commune manager is not on her own list
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/reports/units/27/officials.csv?course=an-toan").get_data(as_text=True)
            )
        )
    )
    assert {r[1] for r in rows[1:]} == listed


def test_a_change_of_category_moves_a_person_in_or_out_of_every_figure(app, province, make_user):
    make_user("quantri", role="admin", unit="27")
    client = app.test_client()
    login(client, "ql-province")
    _set_category(app, "dn1", "khac")  # dn1 had completed the course
    assert _figures(client) == (8, 2)
    assert "dn1" not in _listed(client)
    with app.app_context():
        rollup.rebuild()  # the counters kept on the way equal a recount
        db.session.commit()
    assert _figures(client) == (8, 2)
    _set_category(app, "dn1", "cong_chuc")
    assert _figures(client) == (9, 3) and "dn1" in _listed(client)

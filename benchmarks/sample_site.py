"""The site the page benchmarks measure: the shipped courses, Bắc Ninh's 2024 units, 500
officials, a signed-in official and a province manager, and the pages they open."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import select

from benchmarks.load import prepare as load_officials
from elearn import create_app
from elearn.extensions import db
from elearn.models import Course, CourseItem
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields

SECRET = "benchmark-secret-0123456789abcdefghijkl"
PASSWORD = "hoa-sen-no-ven-ho-2026"
COURSE = "an-toan-thong-tin"
LESSON = f"/courses/{COURSE}/mat-khau-va-xac-thuc-hai-lop"
PROVINCE = "27"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@dataclass(frozen=True)
class Site:
    """Where the pages are and the session cookies that open them."""

    official_cookie: str  # "session=…", as a browser holds it after its first page
    manager_cookie: str
    pages: dict[str, tuple[str, str | None]]  # name → (path, cookie or None)


def build(url: str, officials: int = 500) -> Site:
    """Migrate an empty database at `url`, fill it and sign the two people in."""
    app = create_app({"ENV": "development", "DATABASE_URL": url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
    load_officials(app, officials)  # units, the shipped courses, officials
    with app.app_context():
        create_person(None, PersonFields("bench", "Nguyễn Văn An", "09163"), password=PASSWORD)
        create_person(
            None,
            PersonFields("sonoivu", "Trần Thị Bình", PROVINCE, role="manager"),
            password=PASSWORD,
        )
        db.session.commit()
        course = db.session.scalar(select(Course).where(Course.slug == COURSE))
        quiz = db.session.scalar(
            select(CourseItem).where(CourseItem.course_id == course.id, CourseItem.kind == "quiz")
        )
        quiz_path = f"/courses/{COURSE}/{quiz.slug}"
    official = signed_in(app, "bench", LESSON)
    manager = signed_in(app, "sonoivu", f"/reports/units/{PROVINCE}")
    return Site(
        official_cookie=official,
        manager_cookie=manager,
        pages={
            "sign-in": ("/", None),
            "home": ("/", official),
            "lesson": (LESSON, official),
            "quiz": (quiz_path, official),
            "dashboard": (f"/reports/units/{PROVINCE}", manager),
        },
    )


def signed_in(app: Flask, username: str, page: str) -> str:
    """Sign in through the form; return the cookie a browser holds after its next page."""
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, f"{username} could not sign in"
    assert client.get(page).status_code == 200, page
    assert "Set-Cookie" not in client.get(page).headers, "the session should be stable by now"
    return f"session={client.get_cookie('session').value}"

"""A small province with known progress, and managers at each level."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from elearn.extensions import db
from elearn.models import CourseItem, User
from elearn.progress import recording
from tests.coursekit import right_answers, sync, write_course

# code → (unit, full name, category, it level, progress) ; progress: done | started | None
OFFICIALS = [
    ("dn1", "09367", "Nguyễn Văn An", "can_bo", "Chứng chỉ cơ bản", "done"),
    ("dn2", "09367", "Trần Thị Ánh", "cong_chuc", "Chứng chỉ cơ bản", "started"),
    ("dn3", "09367", '=HYPERLINK("http://x","y")', "cong_chuc", None, None),
    ("dn4", "09367", '"><script>alert(1)</script>', "can_bo", None, None),
    ("ch1", "09370", "Lê Văn Bình", "can_bo", "Đại học CNTT", "done"),
    ("vn1", "09163", "Phạm Thị Dung", "cong_chuc", None, "done"),
    ("vn2", "09163", "+1 Hoàng Văn Đạt", "can_bo", None, None),
    ("vn3", "09163", "@SUM(A1)", "can_bo", None, "started"),
]
MANAGERS = {
    "province": ("27", "manager"),
    "district": ("261", "manager"),
    "commune": ("09367", "manager"),
    "official": ("09367", "official"),
    "author": ("27", "author"),
}


@pytest.fixture
def province(app, make_user, tmp_path):
    """Publish one course, create the officials above with their progress, and managers."""
    write_course(tmp_path / "courses", lessons=(("mat-khau", "Mật khẩu"),))
    with app.app_context():
        sync(tmp_path / "courses")
    for username, unit, name, category, it_level, _ in OFFICIALS:
        make_user(username, unit=unit, full_name=name, category=category, it_level=it_level)
    for role_name, (unit, role) in MANAGERS.items():
        make_user(f"ql-{role_name}", unit=unit, role=role, full_name=f"Quản Lý {role_name}")
    with app.app_context():
        lesson = db.session.scalar(select(CourseItem).where(CourseItem.kind == "lesson"))
        quiz = db.session.scalar(select(CourseItem).where(CourseItem.kind == "quiz"))
        for username, *_rest, progress in OFFICIALS:
            user = db.session.scalar(select(User).where(User.username == username))
            if progress:
                recording.complete_lesson(user, lesson)
            if progress == "done":
                attempt = recording.start_attempt(user, quiz)
                recording.submit_attempt(user, attempt, quiz, right_answers(attempt, quiz))
        db.session.commit()
    return "an-toan"

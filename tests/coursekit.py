"""Write small course folders for tests, and publish them through the real pipeline."""

from __future__ import annotations

from pathlib import Path

from elearn.content.framework import FRAMEWORK_FILE, default_text
from elearn.content.loader import load_collection
from elearn.content.sync import SyncReport, placeholder_image_url, publish
from elearn.extensions import db
from elearn.progress import recording, required, rollup

COURSE_MD = """---
id: {id}
title: {title}
description: Khoá học thử.
minutes: 20
required: {required}
status: {status}
{extra}---

Khoá học gồm hai bài học và một bài kiểm tra.
"""

LESSON_MD = """---
id: {id}
title: {title}
minutes: 5
---

# {title}

Nội dung của bài {title}.
"""

QUIZ_MD = """---
id: kiem-tra
type: quiz
title: Bài kiểm tra cuối khoá
pass_mark: 80
max_attempts: {max_attempts}
shuffle: {shuffle}
---

Hãy trả lời các câu hỏi sau.

## Khi có người gọi điện xin mã OTP, anh/chị làm gì? {{#otp}}

- [ ] Đọc mã OTP
  > Chưa đúng. Không ai được hỏi mã OTP của anh/chị.
- [x] Từ chối và báo công an
- [ ] Gửi mã qua tin nhắn

## Dấu hiệu nào cho thấy email lừa đảo? {{#dau-hieu}}

- [x] Đòi mật khẩu hoặc mã OTP
- [x] Doạ khoá tài khoản
- [ ] Gửi từ đồng nghiệp như thường lệ

Giải thích: Kẻ gian tạo áp lực thời gian.

## Mật khẩu dài thì an toàn hơn. {{#mat-khau-dai}}

- [x] Đúng
- [ ] Sai

## Ứng dụng định danh điện tử quốc gia tên là gì? {{#ten-ung-dung}}

Đáp án: VNeID

## Mật khẩu nên có ít nhất bao nhiêu ký tự? {{#do-dai}}

Đáp án: 15
"""

OPTIONAL = "an-toan"  # a course assigned only through assignments
REQUIRED = "dich-vu-cong"  # a course with `required: yes`
RIGHT_ANSWERS_TEXT = {"ten-ung-dung": "vneid", "do-dai": "15"}


def write_course(
    root: Path,
    course_id: str = "an-toan",
    *,
    title: str = "An toàn thông tin",
    lessons: tuple[tuple[str, str], ...] = (("mat-khau", "Mật khẩu mạnh"), ("otp", "Mã OTP")),
    required: str = "yes",
    status: str = "published",
    max_attempts: int = 0,
    shuffle: str = "no",
    folder: str | None = None,
    test_out: str | None = None,
    competencies: str | None = None,
    question_lessons: dict[str, str] | None = None,
) -> Path:
    """Write a course with the given lessons and a five-question quiz; return its folder.

    `question_lessons` (question id → lesson id) writes `lesson=` into those questions."""
    path = root / (folder or course_id)
    path.mkdir(parents=True, exist_ok=True)
    if not (root / FRAMEWORK_FILE).exists():
        (root / FRAMEWORK_FILE).write_text(default_text(), encoding="utf-8")
    for old in path.glob("*.md"):
        old.unlink()
    (path / "course.md").write_text(
        COURSE_MD.format(
            id=course_id,
            title=title,
            required=required,
            status=status,
            extra=(f"test_out: {test_out}\n" if test_out else "")
            + (f"competencies: {competencies}\n" if competencies else ""),
        ),
        encoding="utf-8",
    )
    for number, (lesson_id, lesson_title) in enumerate(lessons, start=1):
        (path / f"{number:02d}-{lesson_id}.md").write_text(
            LESSON_MD.format(id=lesson_id, title=lesson_title), encoding="utf-8"
        )
    quiz = QUIZ_MD.format(max_attempts=max_attempts, shuffle=shuffle)
    for question_id, lesson_id in (question_lessons or {}).items():
        quiz = quiz.replace(f"{{#{question_id}}}", f"{{#{question_id} lesson={lesson_id}}}")
    (path / f"{len(lessons) + 1:02d}-kiem-tra.md").write_text(quiz, encoding="utf-8")
    return path


def sync(root: Path) -> SyncReport:
    """Validate and publish a collection inside the current app context, then commit."""
    result = load_collection(root, image_url=placeholder_image_url)
    assert result.ok, [str(p) for p in result.errors]
    required_before = required.required_course_ids()
    report = publish(result, root)
    required.recount(required_before)
    rollup.rebuild_domains()
    db.session.commit()
    return report


def right_answers(attempt, quiz) -> recording.Submission:
    """A submission with every answer right, read from the server-side answer key."""
    responses: dict = {}
    for question in recording.published_questions(quiz):
        key = question.answer_key
        if question.kind in ("short", "numeric"):
            accepted = key["short_answers"] or [f"{key['numeric_answers'][0]['value']:g}"]
            responses[question.slug] = accepted[0]
        else:
            responses[question.slug] = tuple(c["key"] for c in key["choices"] if c["correct"])
    return recording.Submission(token=attempt.token, responses=responses)

"""Benchmark: validate and publish 50 generated courses of 8 lessons, then re-sync unchanged.

    .venv/bin/python benchmarks/content_sync.py [--database-url URL]

Targets on a 2-core machine: first sync ≤ 5 s, unchanged re-sync ≤ 1 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from elearn import create_app
from elearn.content.framework import FRAMEWORK_FILE, default_text
from elearn.content.loader import load_collection
from elearn.content.sync import placeholder_image_url, publish
from elearn.extensions import db

LESSON = """---
id: bai-{n}
title: Bài {n}: Nội dung thử nghiệm số {n}
minutes: 5
---

# Phần mở đầu

Đây là đoạn văn thứ nhất của bài {n}, nói về **an toàn thông tin** và cách giữ mật khẩu.
Cán bộ xã cần biết cách nhận diện lừa đảo, không chia sẻ mã OTP cho bất kỳ ai.

| Việc nên làm | Việc không nên làm |
|---|---|
| Dùng mật khẩu dài | Dùng chung một mật khẩu |
| Bật xác thực hai lớp | Đọc mã OTP qua điện thoại |

> [!TIP]
> Hãy ghi nhớ: cơ quan công an không gọi điện yêu cầu chuyển tiền.

- Ý thứ nhất
- Ý thứ hai
  - Ý con
"""

QUIZ = """---
id: kiem-tra
type: quiz
title: Bài kiểm tra
---

""" + "\n".join(
    f"""## Câu hỏi số {n} về mật khẩu? {{#cau-{n}}}

- [x] Đúng là như vậy
- [ ] Không phải vậy
  > Chưa đúng.
- [ ] Còn tuỳ

Giải thích: Vì đó là quy định.
"""
    for n in range(1, 9)
)


def generate(root: Path, courses: int = 50, lessons: int = 8) -> None:
    """Write the framework and `courses` course folders of `lessons` lessons and one quiz each."""
    root.mkdir(parents=True)
    (root / FRAMEWORK_FILE).write_text(default_text(), encoding="utf-8")
    for c in range(1, courses + 1):
        folder = root / f"khoa-{c:02d}"
        folder.mkdir(parents=True)
        (folder / "course.md").write_text(
            f"---\nid: khoa-{c}\ntitle: Khoá học số {c}\ncompetencies: an-toan, giai-quyet-van-de\n"
            "---\n\nGiới thiệu.\n",
            encoding="utf-8",
        )
        for n in range(1, lessons + 1):
            (folder / f"{n:02d}-bai.md").write_text(LESSON.format(n=n), encoding="utf-8")
        (folder / f"{lessons + 1:02d}-kiem-tra.md").write_text(QUIZ, encoding="utf-8")


def timed_sync(root: Path) -> tuple[float, float, str]:
    """Return (validate seconds, total seconds, summary) of one `courses sync`."""
    start = time.perf_counter()
    result = load_collection(root, image_url=placeholder_image_url)
    loaded = time.perf_counter()
    assert result.ok, [str(p) for p in result.errors[:5]]
    report = publish(result, root)
    db.session.commit()
    done = time.perf_counter()
    summary = f"added {len(report.added)}, unchanged {len(report.unchanged)}"
    return loaded - start, done - start, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        generate(root)
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app(
            {
                "ENV": "development",
                "DATABASE_URL": url,
                "SECRET_KEY": "benchmark-secret-0123456789abcdefghijkl",
            }
        )
        with app.app_context():
            upgrade()
            for label in ("first sync", "unchanged re-sync", "unchanged re-sync"):
                validate_s, total_s, summary = timed_sync(root)
                print(
                    f"{label:<18} validate {validate_s:6.2f} s   total {total_s:6.2f} s   "
                    f"({summary})"
                )


if __name__ == "__main__":
    main()

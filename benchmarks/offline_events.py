"""Benchmark: phones sending queued progress to POST /api/v1/me/events, through the whole app.

    .venv/bin/python benchmarks/offline_events.py [--learners 30] [--database-url URL]

Each learner sends one full batch (100 lessons done offline), then the same batch again (a
replay: every event a duplicate). Prints per-batch times: median, fastest and slowest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from elearn import create_app
from elearn.admin.units import import_units
from elearn.content.loader import load_collection
from elearn.content.sync import placeholder_image_url, publish
from elearn.extensions import db
from elearn.people.accounts import create_person
from elearn.people.fields import PersonFields

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_sync import generate  # noqa: E402  (a sibling script, not a package)

UNITS = Path(__file__).resolve().parents[1] / "elearn" / "data" / "bac-ninh-units-2024.csv"
PASSWORD = "hoa-sen-no-ven-ho-2026"
LESSONS = 100


def _setup(app, learners: int, root: Path) -> None:
    generate(root, courses=1, lessons=LESSONS)
    with app.app_context():
        upgrade()
        import_units(UNITS)
        result = load_collection(root, image_url=placeholder_image_url)
        publish(result, root)
        for n in range(learners):
            create_person(None, PersonFields(f"hv{n}", "Nguyễn Văn An", "09163"), password=PASSWORD)
        db.session.commit()


def _client(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client


def _batch(username: str) -> list[dict]:
    return [
        {
            "id": f"{username}-event-{n:04d}",
            "type": "lesson_completed",
            "course": "khoa-1",
            "item": f"bai-{n}",
            "at": "2026-01-05T08:30:00+07:00",
            "account": username,
        }
        for n in range(1, LESSONS + 1)
    ]


def _send(client, batch: list[dict]) -> float:
    token = client.get("/api/v1/me/events").json["csrf_token"]
    start = time.perf_counter()
    response = client.post("/api/v1/me/events", json=batch, headers={"X-CSRFToken": token})
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.get_data(as_text=True)[:200]
    return elapsed


def _report(label: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"{label:<28} median {statistics.median(ms):7.1f} ms   "
        f"fastest {min(ms):7.1f} ms   slowest {max(ms):7.1f} ms   ({len(ms)} batches)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--database-url", help="default: a new SQLite file (an empty database)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app(
            {
                "ENV": "development",
                "DATABASE_URL": url,
                "SECRET_KEY": "benchmark-secret-0123456789abcdefghijkl",
                "INSTANCE_PATH": str(Path(tmp) / "instance"),
            }
        )
        _setup(app, args.learners, Path(tmp) / "courses")
        clients = {f"hv{n}": _client(app, f"hv{n}") for n in range(args.learners)}
        first = [_send(client, _batch(name)) for name, client in clients.items()]
        replay = [_send(client, _batch(name)) for name, client in clients.items()]
        _report(f"first delivery, {LESSONS} events", first)
        _report(f"replay, {LESSONS} duplicates", replay)


if __name__ == "__main__":
    main()

"""Officials learning at once against gunicorn with 4 workers lose nothing (the short version
of benchmarks/load.py, on this run's database): no answer ≥ 500, every acknowledged
completion and attempt stored exactly once, rollups equal to a plain recount."""

from __future__ import annotations

from benchmarks import load
from tests.opskit import crashes_in


def test_officials_learning_at_once_lose_nothing(make_app, tmp_path):
    app = make_app()
    usernames = load.prepare(app, 8)
    port = load.free_port()
    log = tmp_path / "gunicorn.log"
    server = load.serve(app.config["SQLALCHEMY_DATABASE_URI"], port, workers=4, log=log)
    try:
        results = load.drive(
            f"http://127.0.0.1:{port}",
            usernames,
            load.published_courses(app),
            seconds=2,
            think=0.02,
            at_least=1,  # every official finishes a course, quiz included
        )
    finally:
        load.stop(server, graceful=False)  # every request has its answer by now
    assert results.failures == []
    assert len({user for user, _ in results.completions}) == len(usernames)
    assert len(set(results.attempts.values())) == len(usernames)
    assert load.check_database(app, results) == []
    assert crashes_in(log) == []

"""Backups while the site serves: SQLite through its online backup API, PostgreSQL through
pg_dump; and restoring a SQLite backup into an instance."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from elearn.errors import ElearnError
from elearn.paths import write_private

PG_DUMP_HINT = (
    "pg_dump was not found. Install the PostgreSQL client of the server's version "
    "(Debian: apt-get install postgresql-client), or run on the database server: "
    "pg_dump --format=custom --file=FILE DATABASE"
)


class BackupProblem(ElearnError):
    """A backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupReport:
    """What was written: the file, its size, and the schema revision it carries."""

    path: Path
    size: int
    revision: str | None


def sqlite_path(url: URL) -> Path:
    """The database file of a SQLite URL (an in-memory database cannot be backed up)."""
    if not url.database or url.database == ":memory:":
        raise BackupProblem("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def backup(database_url: str, target: Path) -> BackupReport:
    """Write a consistent copy of the database to `target` while the application serves."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return backup_sqlite(sqlite_path(url), target)
    return backup_postgresql(url, target)


def backup_sqlite(source: Path, target: Path) -> BackupReport:
    """Copy the live database page by page in one read transaction: in WAL mode writers go on
    meanwhile, and the copy is the database as of the moment the copy began."""
    if not source.exists():
        raise BackupProblem(f"there is no database at {source}")
    partial = _private_partial(target)
    live = sqlite3.connect(source, timeout=30)  # read only in practice; WAL needs write access
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)  # all pages in one step: stepping would restart on every write
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        problem = _check_sqlite(copy)
    finally:
        copy.close()
        live.close()
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupProblem(f"the copy failed its integrity check: {problem}")
    _fsync(partial)
    os.replace(partial, target)
    return BackupReport(target, target.stat().st_size, sqlite_revision(target))


def backup_postgresql(url: URL, target: Path) -> BackupReport:
    """Run pg_dump in its custom format (compressed; pg_restore can pick tables from it)."""
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupProblem(PG_DUMP_HINT)
    partial = _private_partial(target)
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        [program, "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={libpq}"],
        capture_output=True,
        text=True,
        check=False,
        umask=0o077,  # whatever pg_dump creates beside the file is private too
    )
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupProblem(f"pg_dump failed: {done.stderr.strip() or done.returncode}")
    _fsync(partial)
    os.replace(partial, target)
    return BackupReport(target, target.stat().st_size, None)


def _private_partial(target: Path) -> Path:
    """The empty file a backup is written into before it takes the target's name: 0600 from
    the start, whatever the umask, since a backup holds password hashes and personal data."""
    partial = target.with_name(target.name + ".partial")
    write_private(partial, b"")  # SQLite and pg_dump both write into a file that exists
    return partial


def restore_sqlite(source: Path, database_url: str) -> BackupReport:
    """Copy a SQLite backup into the instance's database through the backup API (which takes
    the database's write lock and handles its WAL), after checking that it is one of ours."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupProblem(
            "restore reads SQLite backups; for PostgreSQL use pg_restore as the README's "
            "production section shows"
        )
    if not source.is_file():
        raise BackupProblem(f"there is no file at {source}")
    if not _is_sqlite(source):
        raise BackupProblem(f"{source} is not a SQLite database (a pg_dump file? see README)")
    backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        problem = _check_sqlite(backup_file)
        revision = _revision(backup_file)
        if problem or revision is None:
            raise BackupProblem(
                f"{source} is not an elearn backup in good order: {problem or 'no schema revision'}"
            )
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        live = sqlite3.connect(target, timeout=30)
        try:
            backup_file.backup(live)
        finally:
            live.close()
    finally:
        backup_file.close()
    return BackupReport(target, target.stat().st_size, revision)


def sqlite_revision(path: Path) -> str | None:
    """The Alembic revision a SQLite file is at, or None."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _revision(connection)
    finally:
        connection.close()


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def _check_sqlite(connection: sqlite3.Connection) -> str | None:
    """None when the file is sound and its foreign keys hold, else the first problem."""
    (result,) = connection.execute("PRAGMA quick_check").fetchone()
    if result != "ok":
        return result
    broken = connection.execute("PRAGMA foreign_key_check").fetchone()
    return f"a row of {broken[0]} points to a missing {broken[2]}" if broken else None


def _is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())

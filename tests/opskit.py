"""Helpers for operations tests: a throwaway PostgreSQL or Redis server of the test's own,
a small tmpfs disk, and the gunicorn log checks. Plain functions and classes; fixtures that
use them live in tests/ops/conftest.py."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
CRASH_MARKS = ("Error handling request", "Traceback")


def free_port() -> int:
    """A TCP port nobody listens on now, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> None:
    """Wait until something accepts connections on a loopback port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing answers on port {port}")


def crashes_in(log: Path) -> list[str]:
    """Lines of a gunicorn log that show a request failing outside the app's error handlers."""
    if not log.exists():
        return []
    text = log.read_text(errors="replace")
    return [line for line in text.splitlines() if any(mark in line for mark in CRASH_MARKS)]


class OwnPostgres:
    """A PostgreSQL server of this test alone (initdb in a temporary folder, a free port), so
    the test may stop and restart it without touching the machine's shared cluster."""

    def __init__(self) -> None:
        if PG_BIN is None:
            raise FileNotFoundError("no PostgreSQL binaries under /usr/lib/postgresql")
        self.folder = Path(tempfile.mkdtemp(prefix="elearn-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        self.start()

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self._as_owner, str(PG_BIN / program), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c max_connections=60"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", "server.log", "-w", "start")

    def stop(self) -> None:
        """Stop as an operator's restart does: sessions are cut, in-flight queries fail."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    """A Redis server of this test alone, on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        if shutil.which("redis-server") is None:
            raise FileNotFoundError("redis-server is not installed")
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Tmpfs:
    """A small RAM disk of the test's own, to fill up or to see read-only (needs root)."""

    def __init__(self, size: str = "8m") -> None:
        self.path = Path(tempfile.mkdtemp(prefix="elearn-disk-"))
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.path)],
            check=True,
            capture_output=True,
        )
        self.readonly = self.path.with_name(self.path.name + "-ro")

    def read_only_view(self) -> Path:
        """The same files through a read-only bind mount (an open file stays writable at the
        first path, as a disk remounted read-only under a running service looks)."""
        self.readonly.mkdir()
        subprocess.run(["mount", "--bind", str(self.path), str(self.readonly)], check=True)
        subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(self.readonly)], check=True, capture_output=True
        )
        return self.readonly

    def fill(self) -> Path:
        """Write a file until the disk has no byte left; return it (delete it to free space)."""
        filler = self.path / "filler"
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(descriptor, b"\0" * 4096):
                pass
        except OSError:
            pass  # ENOSPC: full
        finally:
            os.close(descriptor)
        return filler

    def close(self) -> None:
        """Unmount (lazily, should a file still be open) and remove the mount points."""
        for mount_point in (self.readonly, self.path):
            if mount_point.exists():
                subprocess.run(["umount", "--lazy", str(mount_point)], check=False)
                mount_point.rmdir()

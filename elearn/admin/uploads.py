"""Uploaded people files between preview and apply: private, bounded and never left behind."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path
from typing import BinaryIO

from elearn.errors import ImportProblem
from elearn.paths import private_dir
from elearn.spreadsheets import MAX_FILE_BYTES, file_too_large

UPLOAD_SUFFIXES = (".csv", ".xlsx")
PASSWORDS_SUFFIX = ".passwords"  # one-time passwords of an applied import, in plain text
STALE_AFTER = 3600  # seconds: a preview or password list left alone for an hour is removed
_CHUNK = 1 << 16


def upload_dir(instance_path: str) -> Path:
    """The folder (0700) holding uploads and one-time password files."""
    return private_dir(Path(instance_path) / "uploads")


def save_upload(stream: BinaryIO, folder: Path, suffix: str) -> tuple[str, Path]:
    """Copy an upload into a new private file (0600) under a random token.

    Raises ImportProblem, keeping nothing, past MAX_FILE_BYTES.
    """
    token = secrets.token_hex(16)
    path = folder / f"{token}{suffix}"
    written = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            while chunk := stream.read(_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise ImportProblem([file_too_large()])
                file.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return token, path


def find_upload(folder: Path, token: str) -> Path | None:
    """The upload saved under `token`, if it is still there."""
    for suffix in UPLOAD_SUFFIXES:
        path = folder / f"{token}{suffix}"
        if path.is_file():
            return path
    return None


def passwords_file(folder: Path, token: str) -> Path:
    """Where the one-time passwords of the import under `token` wait for their download."""
    return folder / f"{token}{PASSWORDS_SUFFIX}"


def remove_stale(folder: Path, now: float | None = None) -> int:
    """Delete uploads (previews never applied) and one-time password lists (never downloaded)
    older than STALE_AFTER; return how many. Plain-text passwords must not wait for ever."""
    limit = (now or time.time()) - STALE_AFTER
    removed = 0
    for path in folder.iterdir():
        stale_kind = path.suffix in UPLOAD_SUFFIXES or path.suffix == PASSWORDS_SUFFIX
        if stale_kind and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed

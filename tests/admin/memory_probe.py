"""Run by test_import_limits in a fresh Python process: upload files to the admin import page
and report how far each one raised the process's peak memory (RSS), in KB, as JSON.

Usage: python -m tests.admin.memory_probe CONFIG_JSON USERNAME FILE…
"""

from __future__ import annotations

import gc
import io
import json
import sys
from pathlib import Path

from elearn import create_app
from tests.webkit import csrf_token, login


def _status_kb(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in KB. Not getrusage's ru_maxrss: Linux
    carries the parent's peak (pytest's) into it across fork and exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _reset_peak() -> None:
    """Bring the peak (VmHWM) down to the current RSS, so each file is measured alone."""
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def _upload(client, token: str, name: str, body: bytes) -> int:
    data = {"csrf_token": token, "file": (io.BytesIO(body), name)}
    return client.post("/admin/import", data=data, content_type="multipart/form-data").status_code


def main() -> None:
    config, username, files = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3:]
    app = create_app(config, migrations=False)  # as a web worker is built
    client = app.test_client()
    assert login(client, username).status_code == 302
    token = csrf_token(client, "/admin/import")
    # Warm up: the first CSV and XLSX previews import openpyxl and fill every cache.
    for warm in files[:2]:
        _upload(client, token, Path(warm).name, Path(warm).read_bytes())
    report = {}
    for name in files[2:]:
        body = Path(name).read_bytes()
        gc.collect()
        _reset_peak()
        before = _status_kb("VmRSS")
        status = _upload(client, token, Path(name).name, body)
        report[Path(name).name] = {"status": status, "growth_kb": _status_kb("VmHWM") - before}
        del body
    print(json.dumps(report))


if __name__ == "__main__":
    main()

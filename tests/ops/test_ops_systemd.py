"""The shipped systemd units, as an operator installs them, are ones systemd accepts: no
unknown key, no bad value, every command present (pointed at this checkout's environment)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from elearn.paths import PROJECT_DIR

UNITS = PROJECT_DIR / "deploy" / "systemd"
INSTALLED_BIN = "/opt/elearn/venv/bin/"


@pytest.fixture
def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("systemd-analyze is missing: .ci/run installs systemd")
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    return found


def test_every_shipped_unit_passes_systemd_analyze_verify(systemd_analyze, tmp_path):
    names = sorted(path.name for path in UNITS.iterdir())
    assert {"elearn@.service", "elearn-backup.timer", "elearn-reminders.timer"} <= set(names)
    bin_dir = f"{Path(sys.executable).parent}/"
    for name in names:
        text = (UNITS / name).read_text(encoding="utf-8")
        (tmp_path / name.replace("@.", "@8001.")).write_text(
            text.replace(INSTALLED_BIN, bin_dir), encoding="utf-8"
        )
    units = sorted(str(path) for path in tmp_path.iterdir())
    checked = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *units], capture_output=True, text=True
    )
    assert (checked.returncode, checked.stderr.strip()) == (0, ""), checked.stderr

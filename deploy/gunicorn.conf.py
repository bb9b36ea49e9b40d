"""gunicorn settings for elearn: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Command-line options override these (the systemd unit sets ELEARN_BIND). Sync workers: nginx in
front buffers slow phones, so a worker is never held by a weak connection.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

from prometheus_client import multiprocess


def _server_settings() -> dict:
    """ELEARN_BIND and ELEARN_WORKERS, checked by elearn's settings table in a child process:
    this master must not import elearn, or a reload would start workers on the old code. A
    wrong value stops gunicorn with the one line `elearn` commands print, not a traceback."""
    environment = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    checked = subprocess.run(
        [sys.executable, "-c", "from elearn.console import server_settings; server_settings()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if checked.returncode != 0:
        sys.stderr.write(checked.stderr)
        raise SystemExit(checked.returncode)
    return json.loads(checked.stdout)


_settings = _server_settings()
bind = _settings["bind"]
workers = _settings["workers"]
worker_class = "sync"
timeout = 30  # a request running longer than this is a bug; the worker is replaced
graceful_timeout = 20  # on stop or reload, finish the requests in hand first
max_requests = 5000  # replace workers now and then, so no slow leak grows for weeks
max_requests_jitter = 500
accesslog = None  # elearn writes one line per request itself (ELEARN_LOG_FORMAT)
errorlog = "-"
loglevel = "info"

# /metrics adds up every worker's figures from files in this folder (prometheus-client's
# multiprocess mode); the variable must be set before a worker imports the app.
metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(
    prefix="elearn-metrics-"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # workers inherit the master's environment


def on_starting(server):
    """Start from empty counters: files left by an earlier run would be added in."""
    os.makedirs(metrics_dir, exist_ok=True)
    for path in glob.glob(os.path.join(metrics_dir, "*.db")):
        os.remove(path)


def child_exit(server, worker):
    """A worker that ended keeps its counts, but its live gauges go."""
    multiprocess.mark_process_dead(worker.pid, metrics_dir)

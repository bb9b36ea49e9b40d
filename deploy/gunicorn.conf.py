"""gunicorn settings for elearn: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Command-line options override these (the systemd unit passes --bind). Sync workers: nginx in
front buffers slow phones, so a worker is never held by a weak connection.
"""

import glob
import os
import tempfile

from prometheus_client import multiprocess

bind = os.environ.get("ELEARN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("ELEARN_WORKERS", "4"))  # about two per core
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

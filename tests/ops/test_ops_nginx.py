"""Two app servers behind Debian's nginx with the deployment's own location block: one server
stops during a load and no request fails (nginx sends new ones to the other); static files
come from nginx with a year's cache and gzip; failed sign-ins are limited per real client
address, shared by both servers through Redis."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from benchmarks import load, officials
from elearn.paths import PACKAGE_DIR, PROJECT_DIR
from tests.opskit import crashes_in, free_port, wait_for_port

LOCATIONS = PROJECT_DIR / "deploy" / "nginx" / "elearn-locations.conf"
NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream elearn {{
        server 127.0.0.1:{first} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{second} max_fails=1 fail_timeout=10s;
    }}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        include {locations};
    }}
}}
"""


@pytest.fixture
def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is missing: .ci/run installs it")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


@pytest.fixture
def site(postgresql_only, make_app, own_redis, nginx_binary, tmp_path):
    """Two gunicorn servers on this run's PostgreSQL and the test's Redis, behind nginx."""
    app = make_app()
    usernames = load.prepare(app, 10)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    settings = {
        "ELEARN_TRUSTED_PROXIES": "1",
        "ELEARN_RATELIMIT_STORAGE_URL": own_redis.url,
        "ELEARN_LOGIN_RATE_LIMIT": "3 per 10 minutes",
    }
    ports = free_port(), free_port()
    logs = [tmp_path / f"gunicorn-{n}.log" for n in (1, 2)]
    servers = [
        load.serve(url, port, workers=2, log=log, **settings)
        for port, log in zip(ports, logs, strict=True)
    ]
    folder = Path(tempfile.mkdtemp(prefix="elearn-nginx-"))
    port = free_port()
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "",
            folder=folder,
            first=ports[0],
            second=ports[1],
            port=port,
            root=PACKAGE_DIR,
            locations=LOCATIONS,
        )
    )
    nginx = subprocess.Popen([nginx_binary, "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    wait_for_port(port)
    yield app, usernames, f"http://127.0.0.1:{port}", servers, logs
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in servers:
        load.stop(server, graceful=False)
    shutil.rmtree(folder, ignore_errors=True)


def _from(address: str, base: str) -> httpx.Client:
    """A client whose connections come from another loopback address, as another office."""
    return httpx.Client(
        base_url=base, transport=httpx.HTTPTransport(local_address=address), timeout=30
    )


def test_nginx_serves_static_files_and_limits_sign_ins_per_real_client_address(site):
    """Static files come from nginx, cached and compressed; the app's answers carry their
    request id; failed sign-ins are counted per client address, across both servers."""
    _app, _users, base, _servers, _logs = site
    answer = httpx.get(
        f"{base}/static/style.css?v=0123456789ab", headers={"Accept-Encoding": "gzip"}
    )
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    assert "X-Request-ID" not in answer.headers, "nginx answered, not the app"
    assert httpx.get(f"{base}/metrics").status_code == 404
    assert answer.headers.get_list("Cache-Control") == ["public, max-age=31536000, immutable"]
    page = httpx.get(f"{base}/login")
    assert page.status_code == 200 and page.headers["X-Request-ID"]
    strangers = (f"khach{n}" for n in itertools.count())

    def fail(client: httpx.Client, **headers: str) -> int:
        token = officials.CSRF.search(client.get("/login").text).group(1)
        form = {"username": next(strangers), "password": "sai-mat-khau-1", "csrf_token": token}
        return client.post("/login", data=form, headers=headers).status_code

    with _from("127.0.0.2", base) as office, _from("127.0.0.3", base) as other:
        # Round robin spreads these over both servers: the count is shared through Redis.
        assert [fail(office) for _ in range(3)] == [200, 200, 200]
        assert fail(office) == 429
        assert fail(office, **{"X-Forwarded-For": "203.0.113.9"}) == 429, "no way around it"
        assert fail(other) == 200, "another address has its own count"


def test_one_app_server_stops_during_a_load_and_no_request_fails(site):
    app, usernames, base, servers, logs = site
    results = officials.Results()
    learners = threading.Thread(
        target=officials.drive,
        args=(base, usernames, load.published_courses(app), 8),
        kwargs={"think": 0.05, "results": results},
    )
    learners.start()
    deadline = time.monotonic() + 60
    while len(results.completions) < 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    before = results.requests
    load.stop(servers[0])  # as `systemctl stop elearn@8001`: requests in hand finish first
    learners.join(timeout=120)
    assert results.failures == [], results.failures
    assert results.requests > before + 20, "the other server went on answering"
    assert load.check_database(app, results) == []
    assert [crashes_in(log) for log in logs] == [[], []]


def test_the_shipped_site_file_is_a_valid_nginx_configuration(nginx_binary, tmp_path):
    """`deploy/nginx/elearn-site.conf` as an operator installs it (HTTPS, the redirect from
    port 80, the upstream, the locations), with only its paths pointed at this checkout and a
    throwaway certificate: `nginx -t` accepts it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is missing: .ci/run installs it")
        pytest.skip("openssl is not installed (apt-get install openssl)")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=hoc.bacninh.gov.vn", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (PROJECT_DIR / "deploy" / "nginx" / "elearn-site.conf").read_text(encoding="utf-8")
    live = "/etc/letsencrypt/live/hoc.bacninh.gov.vn/"
    assert live in site and "/opt/elearn/app/" in site  # what the README tells one to change
    site = (
        site.replace(live + "fullchain.pem", str(cert))
        .replace(live + "privkey.pem", str(key))
        .replace("/opt/elearn/app/deploy/", f"{PROJECT_DIR}/deploy/")
        .replace("/opt/elearn/app/elearn", str(PACKAGE_DIR))
    )
    (tmp_path / "elearn-site.conf").write_text(site, encoding="utf-8")
    main = (
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log {tmp_path}/access.log;\n"
        f"    include {tmp_path}/elearn-site.conf;\n}}\n"
    )
    (tmp_path / "nginx.conf").write_text(main, encoding="utf-8")
    checked = subprocess.run(
        [nginx_binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr

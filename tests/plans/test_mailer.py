"""The mailer never sends a password in clear text unless the URL says smtp+insecure://:
smtp:// requires STARTTLS once there are credentials, smtps:// is TLS from the start. Each
case runs against a real SMTP server (aiosmtpd) with a certificate made for the test."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from elearn.errors import ElearnError
from elearn.plans.mailer import Mailer

USER, PASSWORD = "nhac-hoc", "mat-khau-bi-mat"


class Server:
    """Keeps what it receives and every login attempt, with whether it came over TLS."""

    def __init__(self) -> None:
        self.logins: list[tuple[str, bool]] = []
        self.messages: list[bytes] = []

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        encrypted = session.ssl is not None  # after STARTTLS
        encrypted |= server.transport.get_extra_info("ssl_object") is not None  # smtps
        self.logins.append((auth_data.password.decode(), encrypted))
        return AuthResult(success=auth_data.password == PASSWORD.encode())

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (made with openssl): (cert, key) paths."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture
def trust(certificate, monkeypatch):
    """Make the client trust the test certificate, as a real one would be trusted."""
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])


def _server_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def serve(certificate):
    """Start a server: `serve(starttls=…, implicit_tls=…)` → (port, Server)."""
    controllers = []

    def start(*, starttls: bool = False, implicit_tls: bool = False):
        server, port = Server(), _free_port()
        options = {}
        if starttls:
            options["tls_context"] = _server_context(certificate)
        if implicit_tls:
            options["ssl_context"] = _server_context(certificate)
        controller = Controller(
            server,
            hostname="127.0.0.1",
            port=port,
            authenticator=server.authenticate,
            auth_require_tls=False,  # the server would take a password in clear: we must not
            **options,
        )
        controller.start()
        controllers.append(controller)
        return port, server

    yield start
    for controller in controllers:
        controller.stop()


def _send(url: str) -> None:
    message = EmailMessage()
    message["To"] = "an@bacninh.gov.vn"
    message["Subject"] = "Nhắc học"
    message.set_content("Xin chào")
    with Mailer(url, "Học kỹ năng số") as mailer:
        assert mailer.send(message)


def test_smtp_with_credentials_refuses_a_server_without_starttls(serve):
    port, server = serve()
    with pytest.raises(ElearnError, match="does not offer STARTTLS"):
        _send(f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}")
    assert server.logins == [] and server.messages == []  # the password never left


def test_smtp_with_credentials_upgrades_with_starttls(serve, trust):
    port, server = serve(starttls=True)
    _send(f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}")
    assert server.logins == [(PASSWORD, True)] and len(server.messages) == 1


def test_smtps_is_tls_from_the_start(serve, trust):
    port, server = serve(implicit_tls=True)
    _send(f"smtps://{USER}:{PASSWORD}@127.0.0.1:{port}")
    assert server.logins == [(PASSWORD, True)] and len(server.messages) == 1


def test_an_untrusted_certificate_is_refused(serve):
    port, server = serve(starttls=True)  # the client does not trust the test certificate
    with pytest.raises(ElearnError, match="cannot send e-mail"):
        _send(f"smtp://{USER}:{PASSWORD}@127.0.0.1:{port}")
    assert server.logins == []


def test_only_smtp_insecure_sends_credentials_in_clear(serve):
    port, server = serve()
    _send(f"smtp+insecure://{USER}:{PASSWORD}@127.0.0.1:{port}")
    assert server.logins == [(PASSWORD, False)] and len(server.messages) == 1


def test_smtp_without_credentials_still_sends_to_a_plain_relay(serve):
    port, server = serve()
    _send(f"smtp://127.0.0.1:{port}")
    assert server.logins == [] and len(server.messages) == 1

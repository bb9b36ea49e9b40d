"""Send e-mail through the SMTP server named by ELEARN_SMTP_URL, one connection per run."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from elearn.errors import ElearnError

SMTP_TIMEOUT = 30  # seconds


class Mailer:
    """One SMTP connection for a run, from a URL smtp://user:pass@host:port.

    - `smtps://`: TLS from the first byte (port 465 by default);
    - `smtp://`: upgraded with STARTTLS when the server offers it; with a user name, STARTTLS
      is required and the run fails before the password is sent if the server lacks it;
    - `smtp+insecure://`: never encrypted, credentials included: only for a relay on the
      same machine or network that cannot do TLS, and only when written out like this.

    The sender is the URL's `?from=` parameter, else the user name if it is an address, else
    no-reply@host.
    """

    def __init__(self, url: str, sender_name: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps", "smtp+insecure") or not parts.hostname:
            raise ElearnError("ELEARN_SMTP_URL must look like smtp://user:pass@host:port")
        self.tls = parts.scheme == "smtps"
        self.insecure = parts.scheme == "smtp+insecure"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        sender = parse_qs(parts.query).get("from", [None])[0]
        if not sender:
            sender = self.username if self.username and "@" in self.username else None
        self.sender = sender or f"no-reply@{self.host}"
        self.sender_name = sender_name
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        context = ssl.create_default_context()
        try:
            if self.tls:
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
                smtp.ehlo()
                if not self.insecure and smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif self.username and not self.insecure:
                    smtp.close()
                    raise ElearnError(
                        f"{self.host}:{self.port} does not offer STARTTLS, so the password "
                        "would travel in clear text; nothing was sent. Use smtps:// if the "
                        "server speaks TLS from the start, or smtp+insecure:// for a local "
                        "relay that cannot encrypt (ELEARN_SMTP_URL)"
                    )
            if self.username:
                smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            raise ElearnError(
                f"cannot send e-mail through {self.host}:{self.port} ({error}); "
                "check ELEARN_SMTP_URL"
            ) from None
        self._smtp = smtp
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> bool:
        """Send one message; False if the server refused it (the caller falls back)."""
        assert self._smtp is not None, "use the Mailer in a with block"
        message["From"] = formataddr((self.sender_name, self.sender))
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        try:
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            return False
        return True

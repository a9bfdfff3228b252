"""Real servers on 127.0.0.1 for the notification tests: SMTP (aiosmtpd) and HTTP.

``tests/conftest.py`` turns them into the ``smtp`` and ``http`` fixtures.
"""

from __future__ import annotations

import email
import json
import socket
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

JSON = dict[str, Any]


def free_port() -> int:
    """A port nothing listens on (bound, then closed: connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class Mail:
    recipients: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                text: str = part.get_content()
                return text.replace("\r\n", "\n")
        raise AssertionError(f"no {content_type} part in {self.subject!r}")


class SmtpServer:
    """aiosmtpd on 127.0.0.1, plain SMTP without authentication; keeps what it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[Mail] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = email.message_from_bytes(content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.mails.append(Mail(tuple(envelope.rcpt_tos), message))
        return "250 OK"

    def url(self, to: str) -> str:
        """apprise's URL for a plain local SMTP server: the host part only names the
        sender's domain; ``smtp=`` and ``port=`` say where to connect, ``mode=insecure``
        neither STARTTLS nor TLS."""
        return (
            f"mailto://example.com?smtp=127.0.0.1&port={self.port}"
            f"&from=status@example.com&to={to}&mode=insecure"
        )

    def subjects(self, to: str) -> list[str]:
        return [mail.subject for mail in self.mails if to in mail.recipients]


@dataclass(frozen=True)
class Request:
    path: str
    content_type: str
    body: JSON


class HttpServer:
    """An HTTP server in a thread that accepts every POST and keeps its JSON body."""

    def __init__(self, port: int = 0) -> None:
        self.requests: list[Request] = []
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = self.rfile.read(int(self.headers["Content-Length"]))
                path = urlsplit(self.path).path
                received.append(Request(path, self.headers.get_content_type(), json.loads(data)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def json_url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def statuspage_url(self, path: str) -> str:
        return f"statuspage+http://127.0.0.1:{self.port}/{path}"

    def bodies(self, path: str) -> list[JSON]:
        return [r.body for r in self.requests if r.path == f"/{path}"]

    def titles(self, path: str) -> list[str]:
        """What an apprise json:// webhook at ``path`` was told, by message title."""
        return [body["title"] for body in self.bodies(path)]

    def incidents(self, path: str) -> list[tuple[str, str]]:
        """What a Statuspage webhook at ``path`` was told: (incident id, generated_at)."""
        return [(b["incident"]["id"], b["meta"]["generated_at"]) for b in self.bodies(path)]

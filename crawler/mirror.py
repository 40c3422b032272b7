"""A loopback HTTP server that answers at the real sites' paths from fixture corpora, so that the real spiders can
crawl without the internet (`regkb demo`, `regkb mirror`, the tests).

It knows no site: each source says how its site answers in ``sources/<name>/mirror.py`` (a ``Site`` with
``answer(request)``), and the sources registry hands the sites to ``Mirror`` (``sources.mirror()``). The first site
that answers a request wins; a path no site knows gets the HTML 404 page the real sites give. It is a stand-in for
the sites, not a re-implementation: it serves recorded (or assembled, see the corpus READMEs) bodies at real paths
and nothing else.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

Answer = tuple[int, str, bytes]   # HTTP status, Content-Type, body

NOT_FOUND_PAGE = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
HTML = "text/html; charset=utf-8"
JSON = "application/json;charset=UTF-8"
NOT_FOUND: Answer = (404, HTML, NOT_FOUND_PAGE)

CONTENT_TYPES = {
    ".html": HTML, ".shtml": HTML, ".htm": HTML,
    ".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/octet-stream", ".et": "application/octet-stream", ".json": "application/json",
}


@dataclass(frozen=True)
class MirrorRequest:
    target: str                   # the request line's target: path and query as sent
    path: str                     # the path, %-escapes decoded
    query: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)   # a form-encoded POST's fields (NERIS's endpoints)


class Site(Protocol):
    def answer(self, request: MirrorRequest) -> Answer | None:
        """This site's answer at the request's path, or None when the path is not one of its own."""


def static_file(root: Path, path: str, content_type: str | None = None) -> Answer | None:
    """The file at ``path`` under ``root`` (never outside it), typed by its suffix unless ``content_type`` says."""
    root = root.resolve()
    file = (root / path.lstrip("/")).resolve()
    if root not in file.parents or not file.is_file():
        return None
    return 200, content_type or CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream"), file.read_bytes()


class MirrorHandler(BaseHTTPRequestHandler):
    server: "Mirror"

    def log_message(self, format, *args):  # the mirror's requests are recorded in server.hits instead
        return

    def do_GET(self, form: str = ""):
        self.server.hits.append(self.path)
        status, content_type, body = self.server.answer(self.path, self.headers.get("Cookie", ""), form)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        """A POST's body read (so that the connection stays usable), its form fields handed to the sites."""
        length = int(self.headers.get("Content-Length") or 0)
        self.do_GET(self.rfile.read(length).decode("utf-8", "replace") if length else "")


class Mirror(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, sites: list[Site], host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), MirrorHandler)
        self.sites = sites
        self.hits: list[str] = []
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, target: str, cookie_header: str = "", form: str = "") -> Answer:
        url = urlsplit(target)
        cookies = SimpleCookie(cookie_header)
        request = MirrorRequest(target=target, path=unquote(url.path),
                                query={key: values[0] for key, values in parse_qs(url.query).items()},
                                cookies={key: morsel.value for key, morsel in cookies.items()},
                                form={key: values[0] for key, values in parse_qs(form).items()})
        for site in self.sites:
            found = site.answer(request)
            if found is not None:
                return found
        return NOT_FOUND

    def start(self) -> "Mirror":
        self._thread = threading.Thread(target=self.serve_forever, name="regkb-mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

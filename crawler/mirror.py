"""A loopback HTTP server that answers at the real sites' paths from a fixture corpus: NFRA's JSON endpoints, the
PBOC sites' pages and attachments, the CSRC's pages and its searchList JSON.

Corpus layout (see crawler/demo_corpus/README.md)::

    <corpus>/nfra/lists/{item_id}.json       every list row of that item, newest first (the mirror pages them)
    <corpus>/nfra/documents/{doc_id}.json    the detail endpoint's whole JSON body
    <corpus>/nfra/documents/{doc_id}.html    an HTML body served instead (tests: a block page)
    <corpus>/nfra/statuses.json              optional {"/path?query": status}: answer that path with that status
    <corpus>/pboc/site/<path>                a PBOC page or attachment, served at <path> (every site's paths are
                                             distinct, so one mirror serves them all); pboc/headers.json gives a
                                             path its Content-Type when not the default for its suffix
    <corpus>/csrc/site/<path>                a CSRC page, served at <path>
    <corpus>/csrc/lists/{channel_id}.json    every result of that channel's searchList, newest first (paged here)

Unknown paths get an HTML 404, as the real sites give. It is a stand-in for the sites, not a re-implementation: it
serves recorded (or assembled, see the corpus READMEs) bodies at real paths and nothing else.

``challenge=True`` puts a stand-in of the PBOC sites' anti-bot wall in front of their pages: without the cookie it
sets, every PBOC path answers with a page whose script sets that cookie and reloads. It is **a stand-in** (the real
wall's packed script is not reproduced), for testing that a crawl detects a challenge and that --browser passes it.
"""

from __future__ import annotations

import json
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DEMO_CORPUS = Path(__file__).resolve().parent / "demo_corpus"

NOT_FOUND_PAGE = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"

STANDIN_COOKIE = "regkb_standin_challenge"
# A stand-in for the PBOC sites' JavaScript challenge (not the real one): it keeps the real page's visible text and
# does what the real script does in the end, set a cookie and reload.
STANDIN_CHALLENGE = f"""<!-- regkb test stand-in for an anti-bot JavaScript challenge; not a recorded page -->
<html><head><meta charset="utf-8"></head><body>
<noscript><h1><strong>请开启JavaScript并刷新该页.</strong></h1></noscript>
<script type="text/javascript">
document.cookie = "{STANDIN_COOKIE}=passed; path=/";
window.location.reload();
</script></body></html>""".encode("utf-8")

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".shtml": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/octet-stream", ".et": "application/octet-stream", ".json": "application/json",
}
CSRC_MAX_PAGE_SIZE = 20   # the real searchList ignores larger _pageSize values


class MirrorHandler(BaseHTTPRequestHandler):
    server: "Mirror"

    def log_message(self, format, *args):  # the mirror's requests are recorded in server.hits instead
        return

    def do_GET(self):
        self.server.hits.append(self.path)
        cookies = SimpleCookie(self.headers.get("Cookie", ""))
        status, content_type, body = self.server.answer(self.path, {k: v.value for k, v in cookies.items()})
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


class Mirror(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, corpus: Path = DEMO_CORPUS, host: str = "127.0.0.1", port: int = 0, challenge: bool = False):
        super().__init__((host, port), MirrorHandler)
        self.corpus = Path(corpus)
        self.challenge = challenge
        pboc_headers = self.corpus / "pboc" / "headers.json"
        self.pboc_headers = json.loads(pboc_headers.read_text(encoding="utf-8")) if pboc_headers.exists() else {}
        self.hits: list[str] = []
        statuses = self.corpus / "nfra" / "statuses.json"
        self.statuses = json.loads(statuses.read_text()) if statuses.exists() else {}
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, path: str, cookies: dict[str, str] | None = None) -> tuple[int, str, bytes]:
        if path in self.statuses:
            return self.statuses[path], "text/html; charset=utf-8", NOT_FOUND_PAGE
        url = urlsplit(path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        nfra = self.corpus / "nfra"
        if url.path == "/cbircweb/DocInfo/SelectDocByItemIdAndChild":
            return self._list_page(nfra, query)
        if url.path == "/cbircweb/DocInfo/SelectByDocId":
            return self._document(nfra, query.get("docId", ""))
        prefix = "/cn/static/data/DocInfo/SelectByDocId/data_docId="
        if url.path.startswith(prefix) and url.path.endswith(".json"):
            return self._document(nfra, url.path[len(prefix):-len(".json")])
        if url.path.startswith("/searchList/"):
            return self._csrc_list(url.path.removeprefix("/searchList/"), query)
        for source in ("pboc", "csrc"):
            found = self._static(source, unquote(url.path))
            if found is not None:
                if source == "pboc" and self.challenge and (cookies or {}).get(STANDIN_COOKIE) != "passed":
                    return 200, "text/html; charset=utf-8", STANDIN_CHALLENGE
                return found
        return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE

    def _static(self, source: str, path: str) -> tuple[int, str, bytes] | None:
        root = (self.corpus / source / "site").resolve()
        file = (root / path.lstrip("/")).resolve()
        if root not in file.parents or not file.is_file():
            return None
        content_type = (self.pboc_headers.get(path) if source == "pboc" else None) or CONTENT_TYPES.get(
            file.suffix.lower(), "application/octet-stream")
        return 200, content_type, file.read_bytes()

    def _csrc_list(self, channel_id: str, query: dict[str, str]) -> tuple[int, str, bytes]:
        """The searchList JSON: {"data": {"total", "results": [...]}}; pages from 1, at most 20 results a page."""
        rows_file = self.corpus / "csrc" / "lists" / f"{channel_id}.json"
        if not rows_file.exists() or query.get("_isJson") != "true":
            return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE
        rows = json.loads(rows_file.read_text(encoding="utf-8"))
        try:
            size = min(int(query.get("_pageSize", 10)), CSRC_MAX_PAGE_SIZE)
            page = max(int(query.get("page", 1)), 1)
        except ValueError:
            return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE
        answer = {"data": {"total": len(rows), "results": rows[(page - 1) * size: page * size]}}
        return 200, "application/json;charset=UTF-8", json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _list_page(self, nfra: Path, query: dict[str, str]) -> tuple[int, str, bytes]:
        rows_file = nfra / "lists" / f"{query.get('itemId', '')}.json"
        try:
            page_size, page = int(query["pageSize"]), int(query["pageIndex"])
        except (KeyError, ValueError):
            return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE
        rows = json.loads(rows_file.read_text(encoding="utf-8")) if rows_file.exists() else []
        answer = {"rptCode": 200, "msg": "成功",
                  "data": {"total": len(rows), "rows": rows[(page - 1) * page_size: page * page_size]}}
        return 200, "application/json;charset=UTF-8", json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _document(self, nfra: Path, doc_id: str) -> tuple[int, str, bytes]:
        if not doc_id.isdigit():
            return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE
        for suffix, content_type in ((".json", "application/json;charset=UTF-8"), (".html", "text/html; charset=utf-8")):
            path = nfra / "documents" / f"{doc_id}{suffix}"
            if path.exists():
                return 200, content_type, path.read_bytes()
        return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE

    def start(self) -> "Mirror":
        self._thread = threading.Thread(target=self.serve_forever, name="regkb-mirror", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

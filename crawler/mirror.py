"""A loopback HTTP server that answers at the real NFRA site's paths from a fixture corpus.

Corpus layout (see crawler/demo_corpus/README.md)::

    <corpus>/nfra/lists/{item_id}.json       every list row of that item, newest first (the mirror pages them)
    <corpus>/nfra/documents/{doc_id}.json    the detail endpoint's whole JSON body
    <corpus>/nfra/documents/{doc_id}.html    an HTML body served instead (tests: a block page)
    <corpus>/nfra/statuses.json              optional {"/path?query": status}: answer that path with that status

Unknown paths get an HTML 404, as the real site gives. It is a stand-in for the site, not a re-implementation: it
serves recorded bodies at recorded paths and nothing else.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DEMO_CORPUS = Path(__file__).resolve().parent / "demo_corpus"

NOT_FOUND_PAGE = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"


class MirrorHandler(BaseHTTPRequestHandler):
    server: "Mirror"

    def log_message(self, format, *args):  # the mirror's requests are recorded in server.hits instead
        return

    def do_GET(self):
        self.server.hits.append(self.path)
        status, content_type, body = self.server.answer(self.path)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET


class Mirror(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, corpus: Path = DEMO_CORPUS, host: str = "127.0.0.1", port: int = 0):
        super().__init__((host, port), MirrorHandler)
        self.corpus = Path(corpus)
        self.hits: list[str] = []
        statuses = self.corpus / "nfra" / "statuses.json"
        self.statuses = json.loads(statuses.read_text()) if statuses.exists() else {}
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, path: str) -> tuple[int, str, bytes]:
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
        return 404, "text/html; charset=utf-8", NOT_FOUND_PAGE

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

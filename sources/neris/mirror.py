"""NERIS as the loopback mirror serves it: the list and regulation endpoints answer form-encoded POSTs with JSON, a
writ's page is HTML, at the site's paths. Corpus layout (the demo's is ``demo/``)::

    lists/{lawType}.json          every row of that list (1 regulations, 2 writs), paged here 20 a page
    regulations/{secFutrsLawId}.json   what rdqsHeader/lawlist answers for it
    writs/{lawWritId}.html        its rdqsHeader/lawWritInfo page

A request without the fields the endpoint is asked with (a GET of a POST endpoint) is not answered here: how the real
site answers it was not recorded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from crawler.mirror import HTML, JSON, Answer, MirrorRequest, static_file

ROOT = "/falvfagui/rdqsHeader/"
PAGE_SIZE = 20
_ID = re.compile(r"^[\w-]+$")


class Site:
    def __init__(self, corpus: Path, **options):
        self.corpus = Path(corpus)

    def answer(self, request: MirrorRequest) -> Answer | None:
        if not request.path.startswith(ROOT) or not self.corpus.is_dir():
            return None
        endpoint = request.path.removeprefix(ROOT)
        if endpoint == "informationController":
            return self._list(request.form.get("lawType", ""), request.form.get("pageNo", ""))
        if endpoint == "lawlist":
            return self._file("regulations", request.form.get("secFutrsLawId", ""), ".json", JSON)
        if endpoint == "lawWritInfo":
            return self._file("writs", request.query.get("lawWritId", ""), ".html", HTML)
        return None

    def _list(self, law_type: str, page: str) -> Answer | None:
        rows_file = self.corpus / "lists" / f"{law_type}.json"
        if not _ID.match(law_type) or not page.isdigit() or not rows_file.is_file():
            return None
        rows = json.loads(rows_file.read_text(encoding="utf-8"))
        start = (max(int(page), 1) - 1) * PAGE_SIZE
        answer = {"pageUtil": {"rowCount": len(rows), "pageList": rows[start:start + PAGE_SIZE]}}
        return 200, JSON, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _file(self, folder: str, key: str, suffix: str, content_type: str) -> Answer | None:
        if not _ID.match(key):
            return None
        return static_file(self.corpus / folder, key + suffix, content_type)

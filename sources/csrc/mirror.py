"""The CSRC site as the loopback mirror serves it: the searchList JSON, paged as the real one pages it, and the
decision pages at their paths.

Corpus layout (the demo's is ``demo/``)::

    site/<path>                  a CSRC page, served at <path>
    lists/{channel_id}.json      every result of that channel's searchList, newest first (paged here)
    columns.json                 what getLocalList answers: {column code: its channelLevel list}
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.mirror import JSON, NOT_FOUND, Answer, MirrorRequest, static_file

MAX_PAGE_SIZE = 20   # the real searchList ignores larger _pageSize values


class Site:
    def __init__(self, corpus: Path, **options):
        self.corpus = Path(corpus)

    def answer(self, request: MirrorRequest) -> Answer | None:
        if request.path.startswith("/searchList/"):
            return self._search_list(request.path.removeprefix("/searchList/"), request.query)
        if request.path == "/getLocalList":
            return self._local_list(request.query.get("channelCode", ""))
        return static_file(self.corpus / "site", request.path)

    def _search_list(self, channel_id: str, query: dict[str, str]) -> Answer | None:
        """{"data": {"total", "results": [...]}}; pages from 1, at most 20 results a page."""
        rows_file = self.corpus / "lists" / f"{channel_id}.json"
        if not rows_file.exists():
            return None   # another source's channel at the same endpoint (sources/csrc_texts: 证监会令, 公告)
        if query.get("_isJson") != "true":
            return NOT_FOUND
        rows = json.loads(rows_file.read_text(encoding="utf-8"))
        try:
            size = min(int(query.get("_pageSize", 10)), MAX_PAGE_SIZE)
            page = max(int(query.get("page", 1)), 1)
        except ValueError:
            return NOT_FOUND
        answer = {"data": {"total": len(rows), "results": rows[(page - 1) * size: page * size]}}
        return 200, JSON, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _local_list(self, code: str) -> Answer | None:
        """{"code": 200, "results": {"channelLevel": [...]}}: a column's breadcrumb; for a column the corpus does not
        have, the same shape with no level (how the real site answers an unknown code was not recorded)."""
        columns_file = self.corpus / "columns.json"
        if not columns_file.exists():
            return None
        levels = json.loads(columns_file.read_text(encoding="utf-8")).get(code, [])
        answer = {"code": 200, "results": {"channelLevel": levels}}
        return 200, JSON, json.dumps(answer, ensure_ascii=False).encode("utf-8")

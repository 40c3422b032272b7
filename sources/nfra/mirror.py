"""The NFRA site as the loopback mirror serves it: the penalty list endpoint, paged, and both detail endpoints.

Corpus layout (the demo's is ``demo/``)::

    lists/{item_id}.json       every list row of that item, newest first (the mirror pages them)
    documents/{doc_id}.json    the detail endpoint's whole JSON body
    documents/{doc_id}.html    an HTML body served instead (tests: a block page)
    statuses.json              optional {"/path?query": status}: answer that target with that status
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.mirror import HTML, JSON, NOT_FOUND, NOT_FOUND_PAGE, Answer, MirrorRequest

LIST_PATH = "/cbircweb/DocInfo/SelectDocByItemIdAndChild"
DOCUMENT_PATH = "/cbircweb/DocInfo/SelectByDocId"
STATIC_DOCUMENT = "/cn/static/data/DocInfo/SelectByDocId/data_docId="


class Site:
    def __init__(self, corpus: Path, **options):
        self.corpus = Path(corpus)
        statuses = self.corpus / "statuses.json"
        self.statuses = json.loads(statuses.read_text(encoding="utf-8")) if statuses.exists() else {}

    def answer(self, request: MirrorRequest) -> Answer | None:
        if request.target in self.statuses:
            return self.statuses[request.target], HTML, NOT_FOUND_PAGE
        if request.path == LIST_PATH:
            return self._list_page(request.query)
        if request.path == DOCUMENT_PATH:
            return self._document(request.query.get("docId", ""))
        if request.path.startswith(STATIC_DOCUMENT) and request.path.endswith(".json"):
            return self._document(request.path[len(STATIC_DOCUMENT):-len(".json")])
        return None

    def _list_page(self, query: dict[str, str]) -> Answer | None:
        rows_file = self.corpus / "lists" / f"{query.get('itemId', '')}.json"
        if not rows_file.exists():
            return None   # another source's list at the same endpoint (sources/nfra_texts: 927, 928, 925)
        try:
            page_size, page = int(query["pageSize"]), int(query["pageIndex"])
        except (KeyError, ValueError):
            return NOT_FOUND
        rows = json.loads(rows_file.read_text(encoding="utf-8"))
        answer = {"rptCode": 200, "msg": "成功",
                  "data": {"total": len(rows), "rows": rows[(page - 1) * page_size: page * page_size]}}
        return 200, JSON, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _document(self, doc_id: str) -> Answer | None:
        if not doc_id.isdigit():
            return NOT_FOUND
        for suffix, content_type in ((".json", JSON), (".html", HTML)):
            path = self.corpus / "documents" / f"{doc_id}{suffix}"
            if path.exists():
                return 200, content_type, path.read_bytes()
        return None   # perhaps another source's document at the same endpoint; the mirror answers 404 if none has it

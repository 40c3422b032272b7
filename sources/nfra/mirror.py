"""The NFRA site as the loopback mirror serves it: the penalty list endpoint, paged, and both detail endpoints.

Corpus layout (the demo's is ``demo/``)::

    lists/{item_id}.json       every list row of that item, newest first (the mirror pages them)
    documents/{doc_id}.json    the detail endpoint's whole JSON body
    documents/{doc_id}.html    an HTML body served instead (tests: a block page)
    files/{path}               a file an envelope links, at its path on the site (files/chinese/OFFICE/PDF/….pdf)
    columns.json               optional [{itemId, itemName}]: the penalty column's children, as the columns endpoint
                               answers them (with each child's newest rows); without it, every list of the corpus
                               but those of another kind (sources/nfra/envelope.py KINDS)
    statuses.json              optional {"/path?query": status}: answer that target with that status
"""

from __future__ import annotations

import json
from pathlib import Path

from crawler.mirror import HTML, JSON, NOT_FOUND, NOT_FOUND_PAGE, Answer, MirrorRequest
from sources import load_source
from sources.nfra.envelope import KINDS

LIST_PATH = "/cbircweb/DocInfo/SelectDocByItemIdAndChild"
DOCUMENT_PATH = "/cbircweb/DocInfo/SelectByDocId"
STATIC_DOCUMENT = "/cn/static/data/DocInfo/SelectByDocId/data_docId="
COLUMNS_PATH = "/cbircweb/DocInfo/SelectItemAndDocByItemPId"
FILE_TYPES = {".pdf": "application/pdf", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
              ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


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
        if request.path == COLUMNS_PATH and request.query.get("itemId") == "931":
            return self._columns(request.query)
        return self._file(request.path)

    def _file(self, path: str) -> Answer | None:
        files = (self.corpus / "files").resolve()
        target = (files / path.lstrip("/")).resolve()
        if not target.is_relative_to(files) or not target.is_file():
            return None
        return 200, FILE_TYPES.get(target.suffix.lower(), "application/octet-stream"), target.read_bytes()

    def _columns(self, query: dict[str, str]) -> Answer:
        """The penalty column's children, each with its newest rows (``pageSize`` of them)."""
        try:
            page_size = int(query.get("pageSize", "3"))
        except ValueError:
            return NOT_FOUND
        declared = self.corpus / "columns.json"
        if declared.exists():
            children = json.loads(declared.read_text(encoding="utf-8"))
        else:
            names = load_source("nfra").item_ids
            children = [{"itemId": int(path.stem), "itemName": names.get(path.stem, path.stem).split(" (")[0]}
                        for path in sorted((self.corpus / "lists").glob("*.json"))
                        if path.stem.isdigit() and path.stem not in KINDS]
        data = []
        for child in children:
            rows_file = self.corpus / "lists" / f"{child['itemId']}.json"
            rows = json.loads(rows_file.read_text(encoding="utf-8")) if rows_file.exists() else []
            data.append({**child, "docInfoVOList": rows[:page_size]})
        answer = {"rptCode": 200, "msg": "成功", "data": data}
        return 200, JSON, json.dumps(answer, ensure_ascii=False).encode("utf-8")

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

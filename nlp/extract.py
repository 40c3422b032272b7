"""Extraction entry point: archived bytes of one document from one source → a Decision (or Unparseable)."""

from __future__ import annotations

from typing import Callable

from .nfra_document import extract_nfra
from .records import Decision

# source → extractor(body, doc_id=, url=, page_url=, sha256=)
EXTRACTORS: dict[str, Callable[..., Decision]] = {"nfra": extract_nfra}


def extract_document(source: str, body: bytes, **where) -> Decision:
    if source not in EXTRACTORS:
        raise KeyError(f"no extractor for source {source!r}")
    return EXTRACTORS[source](body, **where)

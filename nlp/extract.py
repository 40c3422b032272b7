"""Extraction entry point: archived bytes of one document from one source → a Decision (or Unparseable)."""

from __future__ import annotations

from typing import Callable

from .document import Analysis
from .nfra_document import analyse_nfra

# source → analyser(body, doc_id=, url=, page_url=, sha256=) → Analysis with a decision, or Unparseable
EXTRACTORS: dict[str, Callable[..., Analysis]] = {"nfra": analyse_nfra}


def extract_document(source: str, body: bytes, **where) -> Analysis:
    if source not in EXTRACTORS:
        raise KeyError(f"no extractor for source {source!r}")
    return EXTRACTORS[source](body, **where)

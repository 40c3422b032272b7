"""Extraction entry point: archived bytes of one document from one source → its decisions (or Unparseable)."""

from __future__ import annotations

from typing import Callable

from .document import Analysis
from .csrc_document import analyse_csrc
from .nfra_document import analyse_nfra
from .pboc_document import analyse_pboc

# source → analyser(body, doc_id=, url=, page_url=, sha256=, listing=) → one Analysis per decision, or Unparseable.
# An empty list: a page that holds no decision of its own and is not a failure (a PBOC page whose 公示表 is in its
# attachments, archived and extracted as documents of their own).
EXTRACTORS: dict[str, Callable[..., list[Analysis]]] = {"nfra": analyse_nfra, "pboc": analyse_pboc,
                                                          "csrc": analyse_csrc}


def extract_document(source: str, body: bytes, **where) -> list[Analysis]:
    if source not in EXTRACTORS:
        raise KeyError(f"no extractor for source {source!r}")
    return EXTRACTORS[source](body, **where)

"""One NFRA/CBIRC document (the detail endpoint's JSON envelope) → one Decision.

The envelope gives the title, the publication date and sometimes the decision number (``documentNo``) and the
authority (``docSource``); ``docClob`` holds either a disclosure table or a full-text decision. What the document
itself says wins over the envelope; the envelope fills the gaps.
"""

from __future__ import annotations

import json
import re

from .records import Decision, Unparseable
from .text import normalize, parse_date
from .word_html import parse_html

# Penalty tables, as opposed to other documents the same envelope carries (licensing approvals, notices).
_PENALTY_TITLE = re.compile(r"行政处罚|罚决字|处罚信息|处罚决定")
_TITLE_DECISION_NO = re.compile(r"[(（]\s*(?P<no>[^()（）]*罚[^()（）]*号)\s*[)）]")


def open_envelope(body: bytes, where: str) -> dict:
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise Unparseable(f"not JSON ({error}); {where} is not an NFRA detail answer") from None
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or "docClob" not in data:
        raise Unparseable(f"no data.docClob in the JSON of {where}")
    return data


def analyse_nfra(body: bytes, *, doc_id: str, url: str | None = None, page_url: str | None = None,
                 sha256: str | None = None, require_penalty: bool = True):
    """Analyse the detail endpoint's JSON into its decisions (one, or one per 文号 of a register). With
    ``require_penalty`` (the crawl's penalty lists), anything but a readable penalty decision is Unparseable, with
    the reason; without it (`regkb parse`), another kind of document is analysed as what it is."""
    from .document import analyse_decisions

    data = open_envelope(body, url or f"document {doc_id}")
    title = normalize(data.get("docSubtitle") or data.get("docTitle") or "").replace("\n", "") or None
    if require_penalty and title and not _PENALTY_TITLE.search(title):
        raise Unparseable(f"not a penalty document: {title!r}")
    decision = Decision(source="nfra", doc_id=str(doc_id), doc_format="table", title=title,
                        url=page_url, source_url=url, raw_sha256=sha256)
    publish = data.get("publishDate")
    decision.publish_date = parse_date(publish) if publish else None
    analyses = analyse_decisions(decision, root=parse_html(data["docClob"] or ""), title=title,
                                 decision_no=_envelope_decision_no(data, title),
                                 authority_name=data.get("docSource") or None)
    if require_penalty and any(analysis.decision is None for analysis in analyses):
        raise Unparseable(f"the document reads as {analyses[0].doc_type}, not as a penalty decision: {title!r}")
    return analyses


def extract_nfra(body: bytes, **where) -> Decision:
    """The (first) decision of an NFRA detail answer (see analyse_nfra)."""
    return analyse_nfra(body, **where)[0].decision


def _envelope_decision_no(data: dict, title: str | None) -> str | None:
    number = (data.get("documentNo") or "").strip()
    if number:
        return normalize(number)
    match = _TITLE_DECISION_NO.search(title or "")
    return match["no"].strip() if match else None

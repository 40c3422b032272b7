"""One NFRA/CBIRC document (the detail endpoint's JSON envelope) → one Decision.

The envelope gives the title, the publication date and sometimes the decision number (``documentNo``) and the
authority (``docSource``); ``docClob`` holds either a disclosure table or a full-text decision. What the document
itself says wins over the envelope; the envelope fills the gaps.
"""

from __future__ import annotations

import json
import re

from .authorities import UnknownAuthority, authority_from_decision_no, resolve_authority
from .categories import categorise, subcategorise
from .fulltext_decision import read_fulltext
from .institutions import classify as classify_institution
from .legal_basis import aliases as law_aliases, read_citations
from .records import Authority, Decision, Unparseable
from .table_decision import is_penalty_table, read_table
from .text import normalize, parse_date
from .word_html import grids, lines, parse_html

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
    """Analyse the detail endpoint's JSON. With ``require_penalty`` (the crawl's penalty lists), anything but a
    readable penalty decision is Unparseable, with the reason; without it (`regkb parse`), another kind of document
    is analysed as what it is."""
    from .document import analyse_document

    data = open_envelope(body, url or f"document {doc_id}")
    title = normalize(data.get("docSubtitle") or data.get("docTitle") or "").replace("\n", "") or None
    if require_penalty and title and not _PENALTY_TITLE.search(title):
        raise Unparseable(f"not a penalty document: {title!r}")
    decision = Decision(source="nfra", doc_id=str(doc_id), doc_format="table", title=title,
                        url=page_url, source_url=url, raw_sha256=sha256)
    publish = data.get("publishDate")
    decision.publish_date = parse_date(publish) if publish else None
    analysis = analyse_document(decision, root=parse_html(data["docClob"] or ""), title=title,
                                decision_no=_envelope_decision_no(data, title),
                                authority_name=data.get("docSource") or None)
    if analysis.decision is None and require_penalty:
        raise Unparseable(f"the document reads as {analysis.doc_type}, not as a penalty decision: {title!r}")
    return analysis


def extract_nfra(body: bytes, **where) -> Decision:
    """The decision of an NFRA detail answer (see analyse_nfra)."""
    return analyse_nfra(body, **where).decision


def fill_decision(decision: Decision, root=None, *, text_lines: list[str] | None = None,
                  decision_no: str | None = None, authority_name: str | None = None,
                  tables: list | None = None) -> Decision:
    """Read a disclosure table or a full-text decision (an HTML tree, or clean lines) into ``decision``.
    ``decision_no`` and ``authority_name`` are what the envelope says; the document's own words win."""
    if tables is None:
        tables = [grid for grid in grids(root) if grid] if root is not None else []
    decision.doc_format = "table" if tables else "fulltext"
    if tables:
        # the disclosure table, not a longer layout table around or beside it
        fields = read_table(max([t for t in tables if is_penalty_table(t)] or tables, key=len))
        aliases: dict[str, str] = {}
    else:
        text_lines = text_lines if text_lines is not None else lines(root)
        if not text_lines:
            raise Unparseable("the document has neither a table nor any text")
        fields = read_fulltext(text_lines)
        # 「《中华人民共和国保险法》（以下简称《保险法》）」 is declared once, anywhere in the text
        aliases = law_aliases("\n".join(text_lines))
        decision.aliases = dict(fields.aliases)
    decision.parties = fields.parties
    for party in decision.parties:
        if party.kind == "institution":
            info = classify_institution(party.name)
            party.institution_type, party.parent = info.institution_type, info.parent
            party.legal_entity, party.branch_level = info.legal_entity, info.branch_level
    decision.facts = fields.facts
    decision.legal_basis = fields.legal_basis
    decision.decision_text = fields.decision_text
    decision.decision_no = fields.decision_no or decision_no
    decision.decision_date = parse_date(fields.decision_date_text)
    decision.citations = read_citations(decision.legal_basis, aliases)
    decision.authority_name = fields.authority_name or authority_name
    decision.authority = _authority(decision.authority_name, decision.decision_no)
    types = {party.institution_type for party in decision.parties if party.institution_type}
    evidence = categorise(decision.facts, decision.legal_basis, types)
    decision.categories = list(evidence)
    decision.category_evidence = evidence
    decision.subcategories = subcategorise(evidence, decision.facts)
    return decision


def _envelope_decision_no(data: dict, title: str | None) -> str | None:
    number = (data.get("documentNo") or "").strip()
    if number:
        return normalize(number)
    match = _TITLE_DECISION_NO.search(title or "")
    return match["no"].strip() if match else None


def _authority(name: str | None, decision_no: str | None) -> Authority | None:
    """The named authority when its name can be read, else what the decision number says, else None."""
    if name:
        try:
            return resolve_authority(name)
        except UnknownAuthority:
            pass
    return authority_from_decision_no(decision_no)

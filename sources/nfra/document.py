"""One NFRA/CBIRC document (the detail endpoint's JSON envelope) → its decisions.

The envelope gives the title, the publication date and sometimes the decision number (``documentNo``) and the
authority (``docSource``); ``docClob`` holds either a disclosure table or a full-text decision. What the document
itself says wins over the envelope; the envelope fills the gaps.
"""

from __future__ import annotations

from nlp.document import analyse_decisions
from nlp.formats.word_html import parse_html
from nlp.patterns import BRACKETED_NUMBER, PENALTY_TITLE
from nlp.records import Analysis, Decision, Reading, Unparseable
from nlp.text import normalize, parse_date
from sources import load_source
from sources.nfra.envelope import open_envelope


def page_url(doc_id: str, item_id: str | None) -> str:
    """The page a person opens for this document on the real site (the citable address)."""
    return load_source("nfra").url("page", doc_id=doc_id, item_id=item_id or "")


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """An archived answer of the detail endpoint (``url``), listed under ``item_id``: its decisions (one, or one
    per 文号 of a register), and its docClob to show. Anything but a readable penalty decision is Unparseable,
    with the reason: the lists crawled are penalty lists."""
    data = open_envelope(body, "docClob")
    analyses = _analyse(data, doc_id=str(doc_id), source_url=url, page=page_url(str(doc_id), item_id), sha256=sha256,
                        require_penalty=True)
    return Reading(analyses, document_html=_text(data, "docClob"))


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE`: a .json file in the site's envelope (``{"rptCode": …, "data": …}``) is the detail
    endpoint's answer; other JSON is a stored record, read by pipeline/files.py."""
    return suffix == ".json" and b'"rptCode"' in body[:4096]


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """A saved answer on disk: a penalty decision's analyses, or another kind of document analysed as what it is."""
    return _analyse(open_envelope(body, "docClob"), doc_id=doc_id, source_url=path, page=None, sha256=None,
                    require_penalty=False)


def _analyse(data: dict, *, doc_id: str, source_url: str | None, page: str | None, sha256: str | None,
             require_penalty: bool) -> list[Analysis]:
    title = normalize(_text(data, "docSubtitle") or _text(data, "docTitle") or "").replace("\n", "") or None
    if require_penalty and title and not PENALTY_TITLE.search(title):
        raise Unparseable(f"not a penalty document: {title!r}")
    decision = Decision(source="nfra", doc_id=doc_id, doc_format="table", title=title, url=page,
                        source_url=source_url, raw_sha256=sha256)
    publish = _text(data, "publishDate")
    decision.publish_date = parse_date(publish) if publish else None
    analyses = analyse_decisions(decision, root=parse_html(_text(data, "docClob") or ""), title=title,
                                 decision_no=_envelope_decision_no(data, title),
                                 authority_name=_text(data, "docSource"))
    if require_penalty and any(analysis.decision is None for analysis in analyses):
        raise Unparseable(f"the document reads as {analyses[0].doc_type}, not as a penalty decision: {title!r}")
    return analyses


def _text(data: dict, key: str) -> str | None:
    """A text field of the envelope, or None when it is absent, empty or not text (a number, a list: the site's
    data, not the document's words; the document is still read)."""
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _envelope_decision_no(data: dict, title: str | None) -> str | None:
    number = (_text(data, "documentNo") or "").strip()
    if number:
        return normalize(number)
    match = BRACKETED_NUMBER.search(title or "")
    return match["no"].strip() if match else None

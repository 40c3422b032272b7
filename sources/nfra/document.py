"""One NFRA/CBIRC document (the detail endpoint's JSON envelope) → its decisions.

The envelope gives the title, the publication date and sometimes the decision number (``documentNo``) and the
authority (``docSource``); ``docClob`` holds either a disclosure table or a full-text decision. What the document
itself says wins over the envelope; the envelope fills the gaps.

A file an answer links (a PDF, Word or Excel file, archived as a document of its own) is read by the attachment
readers of nlp/formats/, under its document's title and date and cited by its document's page; an answer whose
document is only in its files holds no decision itself. The list a document came from says what kind of decision it
is (sources/nfra/envelope.py ``KINDS``: 932's are supervisory measures, which fine no one).
"""

from __future__ import annotations

import re

from nlp.document import analyse_attachment, analyse_decisions
from nlp.formats.attachments import read_attachment, render_html, sniff
from nlp.formats.word_html import lines, parse_html
from nlp.patterns import BRACKETED_NUMBER, PENALTY_TITLE
from nlp.records import Analysis, Decision, Reading, Unparseable
from nlp.text import normalize, parse_date
from sources import load_source
from sources.nfra.envelope import attachments, docclob_shown, kind_of, open_envelope, published_as_file, renderings

# What a measure's title says it is (the words of nlp/data/sanctions.yaml's measures, and the lists' own name): the
# titles item 932 admits besides a penalty's.
MEASURE_TITLE = re.compile("监管措施|警示函|监管谈话|监管意见书|责令|不适当人选|暂停")


def admitted(title: str | None, kind: str) -> bool:
    """Whether a list of ``kind`` holds a document so titled: a penalty's title in every list, a measure's in 932."""
    return not title or bool(PENALTY_TITLE.search(title) or (kind == "measure" and MEASURE_TITLE.search(title)))


def page_url(doc_id: str, item_id: str | None) -> str:
    """The page a person opens for this document on the real site (the citable address)."""
    return load_source("nfra").url("page", doc_id=doc_id, item_id=item_id or "")


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """An archived answer of the detail endpoint (``url``), listed under ``item_id``: its decisions (one, or one
    per 文号 of a register), and its docClob to show; or a file such an answer links (``listing.parent_doc_id``),
    read by the attachment readers. A document published only as its files holds no decision itself: its files
    are documents of their own. Anything else but a readable decision of the list's kind (KINDS) is Unparseable,
    with the reason: the lists crawled are penalty and measure lists."""
    if (listing or {}).get("parent_doc_id") or sniff(body) not in ("json", "html", "text"):
        return _read_file(body, doc_id=str(doc_id), url=url, sha256=sha256, listing=listing or {}, item_id=item_id)
    data = open_envelope(body, "docClob")
    shown = docclob_shown(data)
    root = parse_html(shown or "", word=True)   # once: for whether it holds the document, and to read it
    clob_lines = lines(root)
    if (attachments(data) or renderings(data) or (listing or {}).get("files")) \
            and published_as_file(data, "".join(clob_lines)):
        return Reading(document_html=shown,
                       rendering="the document is published as its files, read as documents of their own")
    analyses = _analyse(data, doc_id=str(doc_id), source_url=url, page=page_url(str(doc_id), item_id), sha256=sha256,
                        require_penalty=True, kind=kind_of(item_id), root=root, clob_lines=clob_lines)
    return Reading(analyses, document_html=shown)


def _read_file(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict,
               item_id: str | None) -> Reading:
    """A PDF, Word or Excel file an envelope links: its decisions, under its document's title and date, cited by
    its document's page."""
    kind = kind_of(item_id or listing.get("branch"))
    title = normalize(listing.get("title") or "").replace("\n", "").strip() or None
    if not admitted(title, kind):
        raise Unparseable(f"a file of a document that is not a {kind} decision: {title!r}")
    published = listing.get("published")
    base = Decision(source="nfra", doc_id=doc_id, doc_format="table", kind=kind, title=title,
                    publish_date=published[:10] if published else None, url=listing.get("list_url") or url,
                    source_url=url, raw_sha256=sha256)
    content = read_attachment(body, url or doc_id)
    reading = Reading(document_html=render_html(content), rendering=f"the tables and text of the {content.format} file"
                      + (f" (converted by {content.converted_by})" if content.converted_by else ""))
    reading.analyses = analyse_attachment(base, content, title=title)
    if any(analysis.decision is None for analysis in reading.analyses):
        raise Unparseable(f"a {content.format} file that holds no {kind} decision "
                          f"(reads as {reading.analyses[0].doc_type}): {title!r}")
    for analysis in reading.analyses:
        decision = analysis.decision
        if not decision.decision_no:
            found = BRACKETED_NUMBER.search(title or "")
            decision.decision_no = found["no"].strip() if found else None
    return reading


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE`: a .json file in the site's envelope (``{"rptCode": …, "data": …}``) is the detail
    endpoint's answer; other JSON is a stored record, read by pipeline/files.py."""
    return suffix == ".json" and b'"rptCode"' in body[:4096]


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """A saved answer on disk: a penalty decision's analyses, or another kind of document analysed as what it is."""
    return _analyse(open_envelope(body, "docClob"), doc_id=doc_id, source_url=path, page=None, sha256=None,
                    require_penalty=False)


def _analyse(data: dict, *, doc_id: str, source_url: str | None, page: str | None, sha256: str | None,
             require_penalty: bool, kind: str = "penalty", root=None, clob_lines: list[str] | None = None
             ) -> list[Analysis]:
    """The envelope's decisions; ``root`` and ``clob_lines``: its docClob parsed, and its lines, where read already."""
    title = normalize(_text(data, "docSubtitle") or _text(data, "docTitle") or "").replace("\n", "") or None
    if require_penalty and not admitted(title, kind):
        raise Unparseable(f"not a {kind} document: {title!r}")
    decision = Decision(source="nfra", doc_id=doc_id, doc_format="table", kind=kind, title=title, url=page,
                        source_url=source_url, raw_sha256=sha256)
    publish = _text(data, "publishDate")
    decision.publish_date = parse_date(publish) if publish else None
    if root is None:
        root = parse_html(_text(data, "docClob") or "", word=True)
    analyses = analyse_decisions(decision, root=root, text_lines=clob_lines, clean=False, title=title,
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

"""One archived PBOC document → its decisions: a detail page (a 公示表 in the page, or a decision's text), or an
attachment in any office format (nlp/formats/attachments.py).

What the list said of the document (its title, date and site; for an attachment, the page that links it) comes from
the archive's listings. The document's own words win; the listing fills the gaps: a 公示表 that names no authority
in its rows was published by the site's authority, under the name it had on the decision's date.

A zip's members are read one by one, each as an attachment of its own (nlp/formats/archives.py).

A detail page that only links its 公示表 as attachments holds no decision itself: it yields none, and its
attachments are documents of their own. A page that is neither is Unparseable, with the reason.
"""

from __future__ import annotations

from dataclasses import replace

from nlp.document import analyse_attachment, analyse_decisions
from nlp.fill import resolve_named_authority
from nlp.formats.attachments import is_attachment_url, read_attachment, render_html, sniff
from nlp.formats.word_html import parse_html
from nlp.records import Analysis, Decision, Reading, Unparseable
from nlp.review import IN_ATTACHMENTS
from nlp.text import normalize
from sources import load_source


def site_authority(listing: dict | None, day: str | None) -> str | None:
    """The authority of the site that listed the document, as it was named on ``day``."""
    if not listing or not listing.get("branch"):
        return None
    facts = load_source("pboc")
    try:
        site = facts.site(listing["branch"])
    except KeyError:
        return None
    return site.authority_on(day, facts.reform_date)


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A page or an attachment of a PBOC site: its decisions (one per 文号 of a 公示表), and an attachment's tables
    and text to show (read once: the same content gives both)."""
    listing = listing or {}
    title = normalize(listing.get("title") or "").strip() or None
    published = listing.get("published")
    # an attachment a page links is cited by that page; one a list links directly, by its own address
    cited = (listing.get("list_url") or url) if listing.get("parent_doc_id") else url
    base = Decision(source="pboc", doc_id=str(doc_id), doc_format="register", title=title,
                    publish_date=published, url=cited, source_url=url, raw_sha256=sha256)
    reading = Reading()
    kind = sniff(body)
    if kind == "html":
        root = parse_html(body)
        # where the site keeps a page's content (sources/pboc/source.yaml; the spider fetched attachments from there)
        content = next((found[0] for selector in load_source("pboc").content_selectors
                        if (found := root.cssselect(selector))), root)
        heading = root.xpath("//h3/text()")
        title = title or (normalize(heading[0]).strip() if heading else None)
        base.title = title
        if not content.xpath(".//table") and any(is_attachment_url(href) for href in content.xpath(".//a/@href")):
            return reading   # a page whose 公示表 is in its attachments
        analyses = analyse_decisions(base, root=content, title=title, rows_are_decisions=True)
        if analyses and analyses[0].decision is None:
            raise Unparseable(f"a PBOC page that reads as {analyses[0].doc_type}, with no 公示表 or decision text "
                              "and no attachment")
    else:
        content = read_attachment(body, url or doc_id)
        reading.document_html = render_html(content)
        reading.rendering = f"the tables and text of the {content.format} file" + (
            f" (recognised by OCR: {content.converted_by})" if content.read_by == "ocr"
            else f" (converted by {content.converted_by})" if content.converted_by else "")
        analyses = []
        # a zip's files are attachments of their own (each its 公示表, its rows numbered apart)
        for number, (member, read_) in enumerate(content.members or [(None, content)], start=1):
            part = replace(base, doc_id=f"{base.doc_id}.{number}") if len(content.members) > 1 else base
            found = analyse_attachment(part, read_, title=title)
            if found and found[0].decision is None:
                where = f" (its member {member})" if member else ""
                raise Unparseable(f"a {read_.format} attachment{where} that holds no 公示表 or decision "
                                  f"(reads as {found[0].doc_type})")
            analyses.extend(found)
    for analysis in analyses:
        decision = analysis.decision
        authority = site_authority(listing, decision.decision_date or published)
        if decision.authority is None and authority:
            decision.authority_name = decision.authority_name or authority
            decision.authority = resolve_named_authority(authority, decision.decision_no)
    reading.analyses = analyses
    return reading


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE`: a page of the PBOC's site (the head office's template keeps its text in #easysiteText)."""
    return suffix in (".html", ".htm", ".shtml") and b'id="easysiteText"' in body


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """`regkb parse` of a saved PBOC page: its decisions; a page that holds none (its 公示表 in attachments, a notice)
    is read as what it is, the attachments named in its review."""
    try:
        analyses = read(body, doc_id=doc_id, url=path).analyses
    except Unparseable:
        analyses = []   # not a decision page: read below as what it is
    if analyses:
        return analyses
    root = parse_html(body)
    analyses = analyse_decisions(Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=path),
                                 root=root)
    attached = [href for href in root.xpath("//a/@href") if is_attachment_url(href)]
    if attached:
        analyses[0].review.add(IN_ATTACHMENTS, ", ".join(attached[:5]))
    return analyses

"""One archived CSRC page → its decision: a 行政处罚决定书 or 市场禁入决定书, full text in ``div.detail-news``.

The page says what the text does not: its title (``<meta name="ArticleTitle">``, 「中国证监会市场禁入决定书（高松）」), its
publication date (``PubDate``) and, on head-office pages, the 文号 in the ``xxgk-table``. The text opens with the
number (「〔2026〕6号」), then the parties (当事人:… or, since 2026, one line per person after the first), the facts,
and the decision (我会决定:…); its signature is the authority and the date. What the text says wins.

What a document is, the channel it was listed in says (``source.yaml`` kinds: a 行政监管措施 channel's documents are
measures, addressed as a letter is: 「某某证券股份有限公司：」). A decision published as a file is read from the file
(nlp/formats/attachments.py); the page that links it, holding no decision text of its own, gives none.
"""

from __future__ import annotations

from nlp.document import analyse_attachment, analyse_decisions
from nlp.formats.attachments import is_attachment_url, read_attachment, render_html, sniff
from nlp.formats.word_html import decode_html, head_meta, lines, parse_html
from nlp.patterns import NUMBER_ALONE
from nlp.records import Analysis, Decision, Reading, Unparseable
from nlp.review import IN_ATTACHMENTS
from nlp.text import normalize, squash
from sources import load_source


def _table_value(root, label: str) -> str | None:
    """A value of the head-office page's xxgk-table (索引号, 发布机构, 文号 …), labels padded with spaces."""
    for th in root.xpath('//div[contains(@class, "xxgk-table")]//th'):
        if squash("".join(th.itertext())) == label:
            cell = th.getnext()
            value = squash("".join(cell.itertext())) if cell is not None else ""
            return value or None
    return None


def _site_name(html: str) -> str | None:
    """The authority a page's own SiteName says: 中国证券监督管理委员会, or a bureau's 「北京监管局」 (the CSRC's)."""
    name = head_meta(html, "SiteName")
    if name and name.endswith("监管局") and not name.startswith("中国"):
        return "中国证券监督管理委员会" + name
    return name


def channel_kind(site, channel: str) -> str:
    """The kind of document a site's channel lists (source.yaml ``kinds``, in the channels' order): penalty where the
    YAML says nothing."""
    try:
        index = site.channels.index(channel)
    except ValueError:
        return "penalty"
    return site.kinds[index] if index < len(site.kinds) else "penalty"


def listed_kind(item_id: str | None) -> str:
    """The kind of the channel a document was fetched from (``{site}#{channel}``, the crawl's item id)."""
    site_key, _, channel = (item_id or "").partition("#")
    try:
        return channel_kind(load_source("csrc").site(site_key), channel)
    except KeyError:
        return "penalty"


def site_authority(listing: dict | None) -> str | None:
    if not listing or not listing.get("branch"):
        return None
    try:
        return load_source("csrc").site(listing["branch"]).name
    except KeyError:
        return None


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A CSRC decision page: its decision (the page is shown as it is); a decision's file: its decision and its
    text to show; a page whose decision is in its files: nothing (the files are documents of their own)."""
    kind = listed_kind(item_id)
    if (listing or {}).get("parent_doc_id") or sniff(body) != "html":
        return _read_file(body, doc_id=doc_id, url=url, sha256=sha256, listing=listing or {}, kind=kind)
    return Reading(_analyse(body, doc_id=doc_id, url=url, sha256=sha256, listing=listing, kind=kind))


def _read_file(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict,
               kind: str) -> Reading:
    title = normalize(listing.get("title") or "").strip() or None
    # cited by the page that links it
    base = Decision(source="csrc", doc_id=str(doc_id), doc_format="fulltext", kind=kind, title=title,
                    publish_date=listing.get("published"), url=listing.get("list_url") or url, source_url=url,
                    raw_sha256=sha256)
    content = read_attachment(body, url or str(doc_id))
    reading = Reading(document_html=render_html(content),
                      rendering=f"the text of the {content.format} file" + (
                          f" (converted by {content.converted_by})" if content.converted_by else ""))
    if content.read_by is None:
        # the text's first lines give the 文号 alone (「〔2026〕7号」), the listing site the authority, as on a page
        number = next((m["no"] for line in content.lines[:3] if (m := NUMBER_ALONE.match(line))), None)
        analyses = analyse_decisions(base, tables=content.grids, text_lines=content.lines, clean=False, title=title,
                                     decision_no=number, authority_name=site_authority(listing))
    else:
        analyses = analyse_attachment(base, content, title=title)   # a scan: OCR's doubts go with its decisions
    if any(analysis.decision is None for analysis in analyses):
        raise Unparseable(f"a CSRC {content.format} file that reads as {analyses[0].doc_type}, not as a decision")
    reading.analyses = analyses
    return reading


def _analyse(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict | None,
             kind: str = "penalty") -> list[Analysis]:
    listing = listing or {}
    text = decode_html(body)
    page = parse_html(text)
    content = page.xpath('//div[contains(@class, "detail-news")]') or page.xpath('//div[contains(@class, "content-body")]')
    if not content:
        raise Unparseable("a CSRC page without div.detail-news (the decision's text)")
    title = head_meta(text, "ArticleTitle") or normalize(listing.get("title") or "").strip() or None
    published = (head_meta(text, "PubDate") or listing.get("published") or "")[:10] or None
    text_lines = lines(content[0])
    if _published_as_files(content[0], text_lines):
        return []   # its decision is in the files it links
    if not text_lines:
        raise Unparseable("a CSRC decision page whose div.detail-news has no text")
    number = _table_value(page, "文号") or next(
        (m["no"] for line in text_lines[:3] if (m := NUMBER_ALONE.match(line))), None)
    base = Decision(source="csrc", doc_id=str(doc_id), doc_format="fulltext", kind=kind, title=title,
                    publish_date=published, url=url, source_url=url, raw_sha256=sha256)
    analyses = analyse_decisions(base, text_lines=text_lines, clean=False, title=title, decision_no=number,
                                 authority_name=site_authority(listing) or _site_name(text))
    if any(analysis.decision is None for analysis in analyses):
        raise Unparseable(f"a CSRC page that reads as {analyses[0].doc_type}, not as a decision: {title!r}")
    return analyses


def _published_as_files(content, text_lines: list[str]) -> bool:
    """A page whose text is no more than its files' names (or nothing) above links to them: 「附件：…决定书.pdf」."""
    files = [href for href in content.xpath(".//a/@href") if is_attachment_url(href)]
    if not files:
        return False
    words = "".join(text_lines)
    names = "".join("".join(a.itertext()) for a in content.xpath(".//a") if is_attachment_url(a.get("href") or ""))
    return len(words) - len(names) < 60


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE`: a CSRC decision page (its text in div.detail-news)."""
    return suffix in (".html", ".htm", ".shtml") and b'class="detail-news"' in body


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """`regkb parse` of a saved CSRC page: its decision, or, for a page that holds none, the page read as what it
    is."""
    try:
        analyses = _analyse(body, doc_id=doc_id, url=path, sha256=None, listing=None)
    except Unparseable:
        analyses = []
    if analyses:
        return analyses
    # not a decision page, or one whose decision is in the files it links: read as what it is, the files named
    analyses = analyse_decisions(Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=path),
                                 root=parse_html(body))
    attached = [href for href in parse_html(body).xpath("//a/@href") if is_attachment_url(href)]
    if attached:
        analyses[0].review.add(IN_ATTACHMENTS, ", ".join(attached[:5]))
    return analyses

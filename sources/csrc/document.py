"""One archived CSRC page → its decision: a 行政处罚决定书 or 市场禁入决定书, full text in ``div.detail-news``.

The page says what the text does not: its title (``<meta name="ArticleTitle">``, 「中国证监会市场禁入决定书（高松）」), its
publication date (``PubDate``) and, on head-office pages, the 文号 in the ``xxgk-table``. The text opens with the
number (「〔2026〕6号」), then the parties (当事人:… or, since 2026, one line per person after the first), the facts,
and the decision (我会决定:…); its signature is the authority and the date. What the text says wins.
"""

from __future__ import annotations

import re
from html import unescape

from nlp.document import analyse_decisions
from nlp.formats.word_html import decode_html, lines, parse_html
from nlp.patterns import NUMBER_ALONE
from nlp.records import Analysis, Decision, Reading, Unparseable
from nlp.text import normalize, squash
from sources import load_source


def _meta(html: str, name: str) -> str | None:
    """A ``<meta name=… content=…>`` of the page's head (which parse_html drops with the rest of the head)."""
    found = re.search(rf'<meta\s+name="{name}"\s+content="([^"]*)"', html)
    return (normalize(unescape(found.group(1))).strip() or None) if found else None


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
    name = _meta(html, "SiteName")
    if name and name.endswith("监管局") and not name.startswith("中国"):
        return "中国证券监督管理委员会" + name
    return name


def site_authority(listing: dict | None) -> str | None:
    if not listing or not listing.get("branch"):
        return None
    try:
        return load_source("csrc").site(listing["branch"]).name
    except KeyError:
        return None


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A CSRC decision page: its decision (the page is shown as it is)."""
    return Reading(_analyse(body, doc_id=doc_id, url=url, sha256=sha256, listing=listing))


def _analyse(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict | None) -> list[Analysis]:
    listing = listing or {}
    text = decode_html(body)
    page = parse_html(text)
    content = page.xpath('//div[contains(@class, "detail-news")]') or page.xpath('//div[contains(@class, "content-body")]')
    if not content:
        raise Unparseable("a CSRC page without div.detail-news (the decision's text)")
    title = _meta(text, "ArticleTitle") or normalize(listing.get("title") or "").strip() or None
    published = (_meta(text, "PubDate") or listing.get("published") or "")[:10] or None
    text_lines = lines(content[0])
    if not text_lines:
        raise Unparseable("a CSRC decision page whose div.detail-news has no text")
    number = _table_value(page, "文号") or next(
        (m["no"] for line in text_lines[:3] if (m := NUMBER_ALONE.match(line))), None)
    base = Decision(source="csrc", doc_id=str(doc_id), doc_format="fulltext", title=title, publish_date=published,
                    url=url, source_url=url, raw_sha256=sha256)
    analyses = analyse_decisions(base, text_lines=text_lines, clean=False, title=title, decision_no=number,
                                 authority_name=site_authority(listing) or _site_name(text))
    if any(analysis.decision is None for analysis in analyses):
        raise Unparseable(f"a CSRC page that reads as {analyses[0].doc_type}, not as a decision: {title!r}")
    return analyses


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE`: a CSRC decision page (its text in div.detail-news)."""
    return suffix in (".html", ".htm", ".shtml") and b'class="detail-news"' in body


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """`regkb parse` of a saved CSRC page: its decision, or, for a page that holds none, the page read as what it
    is."""
    try:
        return _analyse(body, doc_id=doc_id, url=path, sha256=None, listing=None)
    except Unparseable:
        return analyse_decisions(Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=path),
                                 root=parse_html(body))

"""One archived CSRC text page → its RegulatoryText: a 证监会令, a 证监会公告, or a rule of the 规章库.

A 令's or 公告's page (the text in ``div.detail-news``) opens with the order or announcement itself —
「中国证券监督管理委员会令 第233号 《…》已经…审议通过，现予公布，自2026年9月1日起施行。主席 吴清 2026年2月24日」
or 「中国证券监督管理委员会公告 〔2026〕8号 现公布《…》，自…起施行」 — and then the rule it publishes, article by article.
A 规章库 page (``div.content-body``) is the rule as amended: its title (``h3``), its history in ``p.sub-title``
(「（2015年10月29日证监会令第118号公布 根据2022年5月31日证监会令第199号《…》修订）」), then the articles; its
``PubDate`` is the page's generation, not the rule's, so the rule's publication is its first 公布 there.

The kind comes from the list the page was crawled from (its item id ``head_office#{channel}``: 证监会令 → rule,
证监会公告 → announcement; ``head_office#fg``, the 规章库 → rule); the issuer is the CSRC (the site's authority).
"""

from __future__ import annotations

import re

from nlp.formats.word_html import decode_html, head_meta, parse_html
from nlp.formats.word_html import spaced_lines as paragraphs_of
from nlp.records import Analysis, Reading, RegulatoryText, Unparseable
from nlp.text import normalize, parse_date
from nlp.texts import read_text
from sources import load_source

# The kind of text each list holds (source.yaml: the channels, then the 规章库).
KINDS = {"cd11df89f5894c1eac37ae37cc11e369": "rule", "625a2f95cc104c1d8b646f98d9f87470": "announcement", "fg": "rule"}

_ORDER_NO = re.compile(r"(中国证券监督管理委员会(?:令|公告))(第\d+号|〔\d{4}〕\d+号)")
_FIRST_ORDER = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)[^，。根据]*?(证监会令第\d+号)[^，。根据]*?公布")
_SPACES = re.compile(r"[\s\u3000]+")


def kind_of(item_id: str | None, title: str) -> str:
    """The list's kind (``item_id`` ``site#channel``), or for a page read without it, its title's.

        >>> kind_of("head_office#625a2f95cc104c1d8b646f98d9f87470", "【第8号公告】《上市公司董事会秘书监管规则》")
        'announcement'
        >>> kind_of(None, "【第233号令】《私募投资基金信息披露监督管理办法》")
        'rule'
    """
    kind = KINDS.get((item_id or "").rpartition("#")[2])
    if kind:
        return kind
    return "announcement" if "公告" in title else "rule"


def document_number(text_lines: list[str]) -> str | None:
    """The order's or announcement's number from its opening lines (split over several on the page):
    中国证券监督管理委员会令第233号, 中国证券监督管理委员会公告〔2026〕8号; or a 规章库 rule's first order,
    中国证券监督管理委员会令第118号 (the one that published it: the amending orders are its versions)."""
    opening = _SPACES.sub("", "".join(text_lines[:6]))
    found = _ORDER_NO.search(opening)
    if found:
        return found[1] + found[2]
    first = _FIRST_ORDER.search(opening)
    return "中国证券监督管理委员会令" + first[2].removeprefix("证监会令") if first else None


def first_published(text_lines: list[str]) -> str | None:
    """A 规章库 rule's publication: the date its first order published it (「2015年10月29日证监会令第118号公布」)."""
    first = _FIRST_ORDER.search(_SPACES.sub("", "".join(text_lines[:6])))
    return parse_date(first[1]) if first else None


def read_page(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict | None,
              item_id: str | None) -> RegulatoryText:
    listing = listing or {}
    html = decode_html(body)
    page = parse_html(html)
    news = page.xpath('//div[contains(@class, "detail-news")]')
    content = news or page.xpath('//div[contains(@class, "content-body")]')
    if not content:
        raise Unparseable("a CSRC page without div.detail-news or div.content-body (the text)")
    text_lines = paragraphs_of(content[0])
    if not text_lines:
        raise Unparseable("a CSRC text page whose content has no text")
    title = head_meta(html, "ArticleTitle") or normalize(listing.get("title") or "").strip()
    if not title:
        raise Unparseable("a CSRC text page without a title (ArticleTitle)")
    # a 规章库 page (content-body) is dated by its generation; the rule by the order that published it
    published = (None if news else first_published(text_lines)) or parse_date(
        (head_meta(html, "PubDate") or listing.get("published") or "")[:10])
    return read_text(text_lines, source="csrc_texts", doc_id=str(doc_id), kind=kind_of(item_id, title), title=title,
                     url=url, raw_sha256=sha256, issuer=load_source("csrc_texts").site("head_office").name,
                     document_no=document_number(text_lines), publish_date=published)


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A CSRC text page: the text it holds (the page is shown as it is). It holds no decision."""
    return Reading(texts=[read_page(body, doc_id=doc_id, url=url, sha256=sha256, listing=listing, item_id=item_id)])


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE` reads decisions: a CSRC page is the CSRC penalty reader's (sources/csrc/document.py),
    which reads a text as the document type it is; this reader claims no file."""
    return False


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """A text holds no decision to analyse (see ``recognises``)."""
    return []

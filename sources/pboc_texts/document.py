"""One archived page of the PBOC's 法律法规 lists → its RegulatoryText: a law, a State Council regulation, a
人民银行令 or a normative document (a 公告, a 通知).

The page keeps the text in ``#zoom`` (or ``td.content``, ``td.p1``: source.yaml ``content_selectors``), its date in
``<meta name="PubDate">``, its title in ``<title>``. The list's title is the fallback: the site cuts long ones
(「中国人民银行 国家外汇管理局关于调整…有关事宜的...」), so the page's own is read first.

A 人民银行令 is titled by its number with the rule in brackets — 「中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）」
— and its page opens with the order (「《银行间外汇市场管理规定》已经…审议通过，现予以发布，自2026年2月1日起施行。
行长 潘功胜」): the 文号 is that number, the name citations use is the rule's. A 公告 is titled by its number
(中国人民银行公告〔2026〕第8号), a State Council regulation by its name and order (存款保险条例（国务院令 第660号）).
A 通知 carries no number on its page.

The kind comes from the list the page was crawled from (its item id ``head_office#{n}``, the n-th list of source.yaml
and its ``kinds``: law, regulation, rule, normative), a normative document's refined by its title (a 通知 → notice,
a 公告 → announcement). Who issued it: the legislature a law's preamble names, 国务院 for a regulation, else the
bodies the title opens with (「中国人民银行 国家外汇管理局关于…」), else the PBOC.
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.formats.word_html import decode_html, head_meta, parse_html
from nlp.formats.word_html import spaced_lines as paragraphs_of
from nlp.records import Analysis, Reading, RegulatoryText, Unparseable
from nlp.text import normalize, parse_date
from nlp.texts import read_text, text_name
from sources import load_source

# 中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）, 中国人民银行公告〔2026〕第8号
_NUMBERED = re.compile(r"^(?P<no>中国人民银行(?:令|公告)\s*[〔\[［]\d{4}[〕\]］]\s*第\s*\d+\s*号)\s*(?:[（(](?P<name>.+)[）)])?$")
# 存款保险条例（国务院令 第660号）
_STATE_COUNCIL = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<no>国务院令\s*第\s*\d+\s*号)\s*[）)]$")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_LEGISLATURE = re.compile(r"全国人民代表大会(?:常务委员会)?")
_BODY = re.compile(r"(?:银行|局|部|委员会|署|院)$")   # 中国人民银行, 国家外汇管理局, 工业和信息化部 …


def list_kind(item_id: str | None) -> str | None:
    """The kind of the list ``head_office#{n}`` (the n-th of source.yaml's lists), None for a page read without it."""
    site, _, number = (item_id or "").partition("#")
    try:
        facts = load_source("pboc_texts").site(site)
        return facts.kinds[int(number) - 1]
    except (KeyError, ValueError, IndexError):
        return None


def kind_of(item_id: str | None, title: str) -> str:
    """law | regulation | rule | normative | notice | announcement: the list's, a normative document's by its title.

        >>> kind_of("head_office#3", "中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）")
        'rule'
        >>> kind_of("head_office#4", "中国人民银行 国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知")
        'notice'
        >>> kind_of(None, "中国人民银行公告〔2026〕第8号")
        'announcement'
    """
    kind = list_kind(item_id)
    if kind is None:   # read without its list: by the title alone
        kind = ("rule" if "中国人民银行令" in title else "regulation" if title.endswith("条例") or "国务院令" in title
                else "law" if title.startswith("中华人民共和国") and re.search(r"法(?:（[^）]*）)?$", title)
                else "normative")
    if kind == "normative":
        if "通知" in title:
            return "notice"
        if "公告" in title:
            return "announcement"
    return kind


def numbered(title: str) -> tuple[str | None, str | None]:
    """(文号, the text's name) of a title that carries its number: a 令 titled by its number, the rule in brackets;
    a 公告 by its number alone; a State Council regulation by its name, the 国务院令 in brackets.

        >>> numbered("中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）")
        ('中国人民银行令〔2025〕第13号', '银行间外汇市场管理规定')
        >>> numbered("中国人民银行公告〔2026〕第8号")
        ('中国人民银行公告〔2026〕第8号', None)
        >>> numbered("存款保险条例（国务院令 第660号）")
        ('国务院令第660号', '存款保险条例')
    """
    found = _NUMBERED.match(title) or _STATE_COUNCIL.match(title)
    if not found:
        return None, None
    return re.sub(r"\s+", "", found["no"]), found["name"]


def issuer_of(kind: str, title: str, body: str) -> str:
    """Who issued it: a law's legislature (its preamble), 国务院 for a regulation, the bodies a joint title opens
    with (joined by 、), else the PBOC.

        >>> issuer_of("notice", "中国人民银行 国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知", "")
        '中国人民银行、国家外汇管理局'
    """
    if kind == "law":
        found = _LEGISLATURE.search(body[:400])
        if found:
            return found[0]
    if kind == "regulation":
        return "国务院"
    before, said, _ = title.partition("关于")
    bodies = [part for part in re.split(r"[\s\u3000、]+", before) if part]
    if said and bodies and all(_BODY.search(part) for part in bodies):
        return "、".join(bodies)
    return load_source("pboc_texts").site("head_office").name


def page_title(html: str) -> str | None:
    found = _TITLE.search(html)
    return (normalize(re.sub(r"<[^>]+>", "", found[1])).strip() or None) if found else None


def read_page(body: bytes, *, doc_id: str, url: str | None, sha256: str | None, listing: dict | None,
              item_id: str | None) -> RegulatoryText:
    listing = listing or {}
    html = decode_html(body)
    root = parse_html(html)
    content = next((found[0] for selector in load_source("pboc_texts").content_selectors
                    if (found := root.cssselect(selector))), None)
    if content is None:
        raise Unparseable("a PBOC text page without #zoom, td.content or td.p1 (the text)")
    text_lines = paragraphs_of(content)
    if not text_lines:
        raise Unparseable("a PBOC text page whose content has no text")
    title = page_title(html) or normalize(listing.get("title") or "").strip()
    if not title:
        raise Unparseable("a PBOC text page without a title (<title>, the list's)")
    kind = kind_of(item_id, title)
    number, rule = numbered(title)
    published = parse_date((head_meta(html, "PubDate") or listing.get("published") or "")[:10])
    text = read_text(text_lines, source="pboc_texts", doc_id=str(doc_id), kind=kind, title=title, url=url,
                     raw_sha256=sha256, issuer=issuer_of(kind, title, "".join(text_lines[:12])), document_no=number,
                     publish_date=published)
    return replace(text, name=text_name(rule)) if rule else text


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A PBOC text page: the text it holds (the page is shown as it is). It holds no decision."""
    return Reading(texts=[read_page(body, doc_id=doc_id, url=url, sha256=sha256, listing=listing, item_id=item_id)])


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE` reads decisions: a text page holds none, and this reader claims no file."""
    return False


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """A text holds no decision to analyse (see ``recognises``)."""
    return []

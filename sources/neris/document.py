"""One archived NERIS answer: a regulation (the ``lawlist`` JSON) → its RegulatoryText; a writ's page → the writ and
the articles it applied (its ``entryInfo`` links).

A regulation's answer, as the public crawler reads it (its parser.py)::

    {"lawlist": {"law": {"secFutrsLawId", "secFutrsLawNbr", "secFutrsLawName", "fileno", "lawPubOrgName",
                         "pubDate", "efctvDate", "inefctvDate" (milliseconds), "lawAthrtyStsCde", "secFutrsLawVersion",
                         "bodyAgoCntnt", "bodyAftCntnt"},
                 "lawEntryVOs": [{"secFutrsLawEntryId", "secFutrsLawEntryCde", "secFutrsLawEntryClsfCde", "title",
                                  "cntnt", "itemList": [{"secFutrsLawEntryId", "secFutrsLawEntryCde", "title",
                                                         "cntnt"}]}],
                 "lawEntryClsfCde": …}}

Its text is the crawler's order of the parts: ``bodyAgoCntnt``, each entry's ``title`` and ``cntnt`` and then its
items' ``title`` and ``cntnt``, ``bodyAftCntnt`` (HTML fragments: the crawler keeps them as the site's HTML). Which
entry is a chapter and which an article is not recorded (an entry titled 「第一章 总则」 holding items is the crawler
README's example), so the parts are handed to ``nlp.texts.read_text`` as lines, which splits the 条 from the words.

A writ's page (``lawWritInfo``, the crawler's writ_parser.py): label cells ``td.table_bg`` each followed by its value
cell (文件名称, 文号, 发文日期, 文书类型, 发文单位, 原文链接), the writ's text in ``pre.pre_law``, and the articles it
applied as links: ``<a onclick="lawInfo('{lawId}')">`` naming a law, ``<a onclick="entryInfo('{lawId}','{entryId}')">``
naming one of its entries (「第一百六十三条」). Where on the page the links stand was not recorded; they are read
wherever they are, as the crawler reads them. A writ holds no decision for regkb: the decision itself is read from
the CSRC's own site (sources/csrc); its links are what ``db/writs.py`` compares with regkb's reading of that decision.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import lxml.html

from nlp.fields.legal_basis import normalise_article
from nlp.formats.word_html import decode_html, spaced_lines
from nlp.records import Analysis, Reading, RegulatoryText, Unparseable
from nlp.text import normalize, parse_date
from nlp.texts import read_text, text_name
from sources import load_source
from sources.neris.spider import ms_date

_CALL = re.compile(r"""(lawInfo|entryInfo)\(([^)]*)\)""")
_ARGUMENT = re.compile(r"""['"]([^'"]+)['"]""")
_ARTICLE = re.compile(r"第[0-9零〇一二两三四五六七八九十百千]+条")
_NUMBER = re.compile(r"〔\d{4}〕\d+号")


# -- regulations ---------------------------------------------------------------------------------------------------

def fragment_lines(html: str | None) -> list[str]:
    """An HTML fragment of the answer (an entry's ``cntnt``) as lines of text, the spaces inside them kept.

        >>> fragment_lines("<p>第三十三条　本办法自2021年11月15日起施行。</p><br><p></p>")
        ['第三十三条 本办法自2021年11月15日起施行。']
    """
    if not html or not str(html).strip():
        return []
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    return spaced_lines(root)


def answer_lines(lawlist: dict) -> list[str]:
    """The text's lines in the crawler's order: before the entries, each entry and its items, after them."""
    law = lawlist.get("law") or {}
    lines = fragment_lines(law.get("bodyAgoCntnt"))
    for entry in lawlist.get("lawEntryVOs") or []:
        for part in (entry, *(entry.get("itemList") or [])):
            lines += fragment_lines(part.get("title")) + fragment_lines(part.get("cntnt"))
    return lines + fragment_lines(law.get("bodyAftCntnt"))


def kind_of(name: str, document_no: str | None, issuer: str | None) -> str:
    """law, regulation, rule or normative, from who issued it and how it was numbered.

        >>> kind_of("中华人民共和国证券法", "主席令第37号", "全国人民代表大会常务委员会")
        'law'
        >>> kind_of("证券市场禁入规定", "中国证券监督管理委员会令第185号", "中国证券监督管理委员会")
        'rule'
    """
    issuer, document_no = issuer or "", document_no or ""
    if "全国人民代表大会" in issuer:
        return "law"
    if "国务院" in issuer or "国务院令" in document_no or name.endswith("条例"):
        return "regulation"
    if "令" in document_no:
        return "rule"
    return "normative"


def read_regulation(data: dict, *, doc_id: str, sha256: str | None) -> RegulatoryText:
    lawlist = data.get("lawlist") or {}
    law = lawlist.get("law") or {}
    title = normalize(str(law.get("secFutrsLawName") or "")).strip()
    if not title:
        raise Unparseable("a NERIS regulation answer without secFutrsLawName")
    lines = answer_lines(lawlist)
    if not lines:
        raise Unparseable("a NERIS regulation answer without text (bodyAgoCntnt, lawEntryVOs, bodyAftCntnt)")
    document_no = normalize(str(law.get("fileno") or "")).strip() or None
    issuer = normalize(str(law.get("lawPubOrgName") or "")).strip() or None
    law_id = str(law.get("secFutrsLawId") or doc_id)
    return read_text(lines, source="neris", doc_id=str(doc_id), kind=kind_of(text_name(title), document_no, issuer),
                     title=title, url=load_source("neris").url("regulation_page", law_id=law_id), raw_sha256=sha256,
                     issuer=issuer, document_no=document_no, publish_date=ms_date(law.get("pubDate")),
                     effective_date=ms_date(law.get("efctvDate")))


# -- writs ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WritLink:
    """One article a writ applied, as its page links it: the law's and the entry's NERIS ids, and their names."""

    law_id: str
    entry_id: str
    law: str                  # the name citations use (nlp.texts.text_name), 「」 when the page names no law for it
    article: str | None       # 第一百六十三条, in the one form citations use; None when the link names no 条
    as_written: str           # the link's words (「第一百六十三条」)


@dataclass
class Writ:
    writ_id: str
    name: str
    document_no: str | None   # the 文号 the page gives, else the 〔年〕号 its name holds
    date: str | None          # 发文日期, ISO
    writ_type: str | None     # 文书类型 (行政处罚, 市场禁入 …)
    issuer: str | None        # 发文单位
    original_link: str | None
    body: str
    links: list[WritLink] = field(default_factory=list)


def _text(element) -> str:
    return re.sub(r"\s+", " ", normalize("".join(element.itertext()))).strip()


def _fields(root) -> tuple[dict[str, str], dict[str, str]]:
    """The label cells' values (and the first link each holds), up to the 当事人信息 rows, as the crawler reads them."""
    values: dict[str, str] = {}
    links: dict[str, str] = {}
    for row in root.iter("tr"):
        if "当事人信息" in _text(row):
            break
        cells = [cell for cell in row if cell.tag == "td"]
        for label_cell, value_cell in zip(cells, cells[1:]):
            if "table_bg" not in (label_cell.get("class") or "").split():
                continue
            label = _text(label_cell)
            if label and label not in values:
                values[label] = _text(value_cell)
                href = next((a.get("href") for a in value_cell.iter("a") if a.get("href")), None)
                if href:
                    links[label] = href
    return values, links


def _calls(root, function: str) -> list[tuple[list[str], str]]:
    found = []
    for link in root.iter("a"):
        for name, arguments in _CALL.findall(link.get("onclick") or ""):
            if name == function:
                found.append((_ARGUMENT.findall(arguments), _text(link)))
    return found


def links_of(root) -> list[WritLink]:
    """The entries the page links (each law and entry once, in page order), named by the law links' words."""
    laws = {arguments[0]: words for arguments, words in _calls(root, "lawInfo") if arguments}
    links: list[WritLink] = []
    seen: set[tuple[str, str]] = set()
    for arguments, words in _calls(root, "entryInfo"):
        if len(arguments) < 2 or (arguments[0], arguments[1]) in seen:
            continue
        seen.add((arguments[0], arguments[1]))
        article = _ARTICLE.search(words.replace(" ", ""))
        law = laws.get(arguments[0], "")
        links.append(WritLink(law_id=arguments[0], entry_id=arguments[1], law=text_name(law) if law else "",
                              article=normalise_article(article[0]) if article else None, as_written=words))
    return links


def read_writ(body: bytes, *, doc_id: str) -> Writ:
    root = lxml.html.document_fromstring(decode_html(body))
    texts = root.xpath('//pre[contains(concat(" ", normalize-space(@class), " "), " pre_law ")]')
    if not texts:
        raise Unparseable("a NERIS writ page without its text (pre.pre_law)")
    values, hrefs = _fields(root)
    name = values.get("文件名称", "")
    number = values.get("文号") or (_NUMBER.search(name)[0] if _NUMBER.search(name) else None)
    body_text = "\n".join(line.rstrip() for line in normalize("".join(texts[0].itertext())).splitlines()
                          if line.strip())
    return Writ(writ_id=str(doc_id), name=name, document_no=number or None,
                date=parse_date(values.get("发文日期", "")) if values.get("发文日期") else None,
                writ_type=values.get("文书类型") or None, issuer=values.get("发文单位") or None,
                original_link=hrefs.get("原文链接") or values.get("原文链接") or None, body=body_text,
                links=links_of(root))


def is_writ_page(body: bytes) -> bool:
    return b"pre_law" in body and not body.lstrip().startswith(b"{")


# -- the reader ----------------------------------------------------------------------------------------------------

def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """A regulation's answer: the text it holds. A writ's page: nothing (its decision is the CSRC's, read from the
    CSRC's site; its links are read by ``writ_links``)."""
    if is_writ_page(body):
        read_writ(body, doc_id=doc_id)   # a page without the writ's text is refused here, not in the check
        return Reading()
    try:
        data = json.loads(body)
    except ValueError:
        raise Unparseable("a NERIS answer that is neither a regulation's JSON nor a writ's page") from None
    if not isinstance(data, dict) or "lawlist" not in data:
        raise Unparseable("a NERIS JSON answer without lawlist")
    return Reading(texts=[read_regulation(data, doc_id=doc_id, sha256=sha256)])


def writ_links(body: bytes, *, doc_id: str) -> Writ | None:
    """The writ a page holds, with the articles it applied; None for any other answer (a regulation's JSON)."""
    return read_writ(body, doc_id=doc_id) if is_writ_page(body) else None


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE` reads decisions: a NERIS answer holds none (a writ's decision is the CSRC's page)."""
    return False


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    return []


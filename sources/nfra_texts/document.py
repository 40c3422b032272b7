"""One NFRA 政策法规 document (the detail endpoint's JSON envelope) → its RegulatoryText.

The envelope says what the text does not: the title (``docSubtitle``, else ``docTitle`` with its line breaks),
the publication date (``publishDate``), the 文号 (``documentNo``: 金规〔2023〕1号; a law has none, only the site's
index number ``indexNo`` 717804719/2019-22305, which is no 文号) and the department that posted it (``docSource``:
法规部, which is not who issued it). ``docClob`` holds the text, a Word-exported page; nlp.texts splits it into 条
and reads its versions.

What kind of text it is comes from the list it was crawled from (``item_id``), refined by its title and its opening
lines: the 法律 list also holds the State Council's 条例 (国务院令), the 规章及规范性文件 list both 令 and normative
documents. Who issued it: a law's preamble names the legislature (全国人民代表大会常务委员会), a 条例's order the
State Council; a rule or notice is the regulator's of its day, as the site publishes the CBIRC's and CBRC's texts too.
"""

from __future__ import annotations

import re

from nlp.formats.word_html import parse_html, spaced_lines
from nlp.records import Analysis, Reading, RegulatoryText, Unparseable
from nlp.text import normalize, parse_date
from nlp.texts import read_text
from sources import load_source
from sources.nfra.envelope import docclob_shown, open_envelope

# The kind of text each list holds (source.yaml item_ids), before the title refines it.
KINDS = {"927": "law", "928": "normative", "925": "notice"}

# The regulator that issued a rule or notice the site lists, by the day it began (the site serves its
# predecessors' texts too). Before the CBIRC the site's texts are the CBRC's or the CIRC's, which a date cannot tell.
REGULATORS = (("2023-05-18", "国家金融监督管理总局"), ("2018-04-08", "中国银行保险监督管理委员会"))

# Elements that break a line (as nlp/formats/word_html.py's lines() has them)
_RULE = re.compile(r"(?:总局|监督管理委员会|银保监会|银监会|保监会)令")      # 国家金融监督管理总局令2023年第1号
_STATE_COUNCIL = re.compile(r"国务院令|条例$")
_LEGISLATURE = re.compile(r"全国人民代表大会(?:常务委员会)?")


def page_url(doc_id: str, item_id: str | None) -> str:
    """The page a person opens for this text on the real site (the citable address)."""
    return load_source("nfra_texts").url("page", doc_id=doc_id, item_id=item_id or "")


def kind_of(item_id: str | None, title: str, opening: str) -> str:
    """law | regulation | rule | normative | notice | announcement: the list's kind, refined by what the text is.

        >>> kind_of("927", "防范和处置非法集资条例", "中华人民共和国国务院令 第737号")
        'regulation'
        >>> kind_of("928", "银行保险机构操作风险管理办法", "国家金融监督管理总局令 2023年第5号")
        'rule'
        >>> kind_of("925", "国家金融监督管理总局公告", "")
        'announcement'
    """
    kind = KINDS.get(str(item_id or ""))
    if kind is None:   # read without its list (a saved answer): by its title alone
        kind = "law" if title.startswith("中华人民共和国") and title.endswith("法") else "notice"
    if kind == "law" and (_STATE_COUNCIL.search(title) or "国务院令" in opening):
        return "regulation"
    if kind in ("normative", "notice") and _RULE.search(opening):
        return "rule"
    if kind == "notice" and "公告" in title and "通知" not in title:
        return "announcement"
    return kind


def issuer_of(kind: str, body: str, publish_date: str | None) -> str | None:
    """Who issued the text: the legislature a law's preamble names, the State Council for a 条例, else the
    regulator of the publication day (None before the CBIRC: the CBRC's and the CIRC's texts are on the site alike)."""
    if kind == "law":
        found = _LEGISLATURE.search(body[:400])
        return found[0] if found else None
    if kind == "regulation":
        return "国务院"
    for began, regulator in REGULATORS:
        if publish_date and publish_date >= began:
            return regulator
    return None


def read_envelope(data: dict, *, doc_id: str, item_id: str | None, sha256: str | None) -> RegulatoryText:
    title = normalize(_text(data, "docSubtitle") or _text(data, "docTitle") or "").replace("\n", "").strip()
    if not title:
        raise Unparseable("an NFRA document without a title (docSubtitle, docTitle)")
    paragraphs = spaced_lines(parse_html(_text(data, "docClob") or "", word=True))
    if not paragraphs:
        raise Unparseable(f"an NFRA document whose docClob has no text: {title!r}")
    published = parse_date(_text(data, "publishDate") or "")
    opening = "".join(paragraphs[:6])
    kind = kind_of(item_id, title, opening)
    number = normalize(_text(data, "documentNo") or "").strip() or None
    return read_text(paragraphs, source="nfra_texts", doc_id=str(doc_id), kind=kind, title=title,
                     url=page_url(str(doc_id), item_id), raw_sha256=sha256,
                     issuer=issuer_of(kind, "".join(paragraphs[:12]), published), document_no=number,
                     publish_date=published)


def read(body: bytes, *, doc_id: str, url: str | None = None, sha256: str | None = None,
         listing: dict | None = None, item_id: str | None = None) -> Reading:
    """An archived answer of the detail endpoint, listed under ``item_id``: the text it holds, and its docClob to
    show. It holds no decision (a notice full of 罚款 and 禁业 punishes no one)."""
    data = open_envelope(body, "docClob")
    text = read_envelope(data, doc_id=str(doc_id), item_id=item_id, sha256=sha256)
    return Reading(texts=[text], document_html=docclob_shown(data))


def recognises(body: bytes, suffix: str) -> bool:
    """`regkb parse FILE` reads decisions: an answer of this endpoint is the NFRA's (sources/nfra/document.py),
    which reads a text as the document type it is; this reader claims no file."""
    return False


def analyse_file(body: bytes, *, doc_id: str, path: str) -> list[Analysis]:
    """A text holds no decision to analyse (see ``recognises``)."""
    return []


def _text(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None

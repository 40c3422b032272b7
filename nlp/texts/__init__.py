"""Laws, rules and notices read into records (nlp/records.py RegulatoryText): their 条, chapters, 款 and 项, and their
versions. The sources' readers (sources/*_texts/) call ``read_text`` with a document's lines and what its page says.

    >>> text = read_text(["（2003年12月27日…会议通过）", "第一章　总", "则", "第一条", "为了加强监督管理，制定本法。"],
    ...                  source="nfra_texts", doc_id="1", kind="law", title="中华人民共和国银行业监督管理法")
    >>> [(p.article, p.chapter) for p in text.provisions], text.versions[0].date, text.effective_date
    ([('第一条', '第一章 总则')], '2003-12-27', '2003-12-27')
"""

from __future__ import annotations

import re

from nlp.clean import is_traditional, simplified, to_simplified
from nlp.fields.categories import FALLBACK, categorise, subcategorise
from nlp.fields.legal_basis import canonical_law, read_citations
from nlp.records import RegulatoryText
from nlp.text import fold
from nlp.texts.articles import join_lines, split_articles
from nlp.texts.versions import in_force_from, read_versions

__all__ = ["read_text", "text_name", "subject_of"]

NOTICE_KINDS = ("notice", "announcement")

# 「【第233号令】《私募投资基金信息披露监督管理办法》」, 「中华人民共和国保险法（2015年修正）」: the name inside
_TITLE_NAME = re.compile(r"《(?P<name>(?:[^《》]|《[^《》]*》)+)》")
_TITLE_NOTE = re.compile(r"^【[^】]*】|[(（][^()（）]*(?:\d{4}年|修订|修正)[^()（）]*[)）]$")
# the preamble: a bracket of events before the first article (「（2003年…通过 根据…修正）」)
_PREAMBLE = re.compile(r"[(（][^()（）]*?\d{4}\s*年[^()（）]*?(?:通过|修正|修订|公布|发布|废止)[^()（）]*[)）]")
_FIRST_ARTICLE = re.compile(r"^第[一1][\s\u3000]*条", re.MULTILINE)


def text_name(title: str) -> str:
    """The name citations use: 《》 stripped, a 【令号】 and a version note dropped, short names resolved
    (nlp/data/laws.yaml), in the folded form citations are read in (「（试行）」 → 「(试行)」)."""
    inner = _TITLE_NAME.search(title)
    name = inner["name"] if inner else _TITLE_NOTE.sub("", title.strip())
    return canonical_law(fold(re.sub(r"\s+", "", name)))


def read_text(lines: list[str], *, source: str, doc_id: str, kind: str, title: str, url: str | None = None,
              raw_sha256: str | None = None, issuer: str | None = None, document_no: str | None = None,
              publish_date: str | None = None, effective_date: str | None = None,
              categories: list[str] | None = None) -> RegulatoryText:
    """One published text: its paragraphs, its 条 (none for a notice written in paragraphs), its versions and the date
    its words are in force from (the page's 施行日期, else the later of 「自…起施行」 and its last version's date).
    A notice's ``categories``, unless given, are those its text speaks of (nlp/fields/categories.py): the
    categories, then their sub-categories as 「category/sub-category」, the names decisions are filed under."""
    # traditional or not is told from the whole text: a heading line 「第一條」 alone has too few characters to tell
    if is_traditional("\n".join(lines)):
        lines = [simplified(line) for line in lines]
    paragraphs = join_lines(lines)
    provisions = split_articles(lines)
    body = "\n".join(paragraphs)
    first = _FIRST_ARTICLE.search(body)
    head = body[:first.start()] if first else body[:2000]
    preamble = _PREAMBLE.search(head)
    versions = read_versions(preamble[0]) if preamble else []
    # the original text's last article says when it took effect (「本法自2004年2月1日起施行」), an amendment's
    # 令 when the amended text does; the text held is in force from the later of those and its last version
    said = in_force_from(head) or in_force_from(provisions[-1].text if provisions else "")
    dated = sorted(d for d in [said, *(v.date for v in versions if v.label != "废止")] if d)
    _stated_in_force(versions, said)
    name = text_name(to_simplified(title))
    # the laws and articles it names, other than itself (a notice's 《…》第N条; a rule's 根据《…法》), nor its own short
    # name (「《通知》」 in 《关于开展…的通知》); the preamble's 《关于修改…的决定》 are its history, not what it names
    said_in = body.replace(preamble[0], "", 1) if preamble else body
    named = list(dict.fromkeys((c.law, c.article) for c in read_citations(said_in) if c.law not in name))
    if categories is None:
        categories = subject_of(body) if kind in NOTICE_KINDS else []
    return RegulatoryText(
        source=source, doc_id=doc_id, kind=kind, title=title, name=name,
        issuer=issuer, document_no=document_no, publish_date=publish_date,
        effective_date=effective_date or (dated[-1] if dated else None) or publish_date,
        url=url, raw_sha256=raw_sha256, body=body, provisions=provisions, versions=versions, named=named,
        categories=list(categories),
    )


def _stated_in_force(versions: list, said: str | None) -> None:
    """The 施行 date a text states (「本法自2004年2月1日起施行」, its last article) is the day the version before it took
    effect, when a later event follows: the 银行业监督管理法 passed on 2003-12-27 was in force from 2004-02-01 (and
    amended in 2006); the 保险法 revised on 2009-02-28 from 2009-10-01. After the last event it is the date of the text
    held (``effective_date``)."""
    events = [v for v in versions if v.label != "废止" and v.date]
    if not said:
        return
    for event, following in zip(events, events[1:]):
        if event.date < said < following.date:
            event.effective = said


def subject_of(body: str) -> list[str]:
    """The categories and sub-categories a notice's text speaks of (the fallback 其他 is no subject)."""
    found = {name: words for name, words in categorise(body).items() if name != FALLBACK}
    return [*found, *subcategorise(found, body)]

"""Split a legal-basis text into citations: the law's full name and each article in one form (第四十六条).

    >>> [(c.law, c.article) for c in read_citations("《中华人民共和国银行业监督管理法》第二十一条、第46条")]
    [('中华人民共和国银行业监督管理法', '第二十一条'), ('中华人民共和国银行业监督管理法', '第四十六条')]

Abbreviations are resolved: 「《中华人民共和国保险法》（以下简称《保险法》）… 根据《保险法》第一百七十条」 cites the
full law. A citation of a law without an article is kept with ``article`` None.
"""

from __future__ import annotations

import re

from .records import Citation
from .text import chinese_integer, fold, to_chinese_ordinal

# A law's name inside 《》; Word exports can escape inner brackets (《…印发<节能减排授信工作指导意见>的通知》).
_LAW = re.compile(r"《(?P<law>(?:[^《》]|《[^《》]*》)+)》")
_NUM = r"[\d一二三四五六七八九十百零〇两]+"
_ARTICLE = re.compile(rf"第(?P<article>{_NUM})条(?:第(?P<clause>{_NUM})款)?(?:第?[(（](?P<item>{_NUM})[)）]项)?")
# What may stand between a law and its articles, or between two articles: 「第九条、第十三条和第三十条」
_GLUE = re.compile(r"^(?:[(（][^()（）]{0,40}[)）])?\s*(?:的规定|规定)?[、，,和及与以]?\s*(?:以及)?\s*$")
_ALIAS = re.compile(r"《(?P<full>[^《》]+)》[(（]以下简称[“\"「]?《?(?P<short>[^》”\"」)）]+)》?[”\"」]?[)）]")


def _ordinal(number: str) -> str:
    return to_chinese_ordinal(int(number) if number.isdigit() else chinese_integer(number))


def aliases(text: str) -> dict[str, str]:
    """《中华人民共和国保险法》（以下简称《保险法》） → {'保险法': '中华人民共和国保险法'}."""
    return {match["short"]: match["full"] for match in _ALIAS.finditer(fold(text).replace("<", "《").replace(">", "》"))}


def read_citations(text: str | None, known_aliases: dict[str, str] | None = None) -> list[Citation]:
    if not text:
        return []
    folded = fold(text)
    names = dict(known_aliases or {})
    names.update(aliases(folded))
    citations: list[Citation] = []
    seen: set[tuple] = set()
    for match in _LAW.finditer(folded):
        law = match["law"].replace("<", "《").replace(">", "》")
        law = names.get(law, law)
        position, articles = match.end(), []
        while True:
            article = _ARTICLE.search(folded, position)
            if not article or not _GLUE.match(folded[position:article.start()]):
                break
            articles.append(article)
            position = article.end()
        if not articles:
            key = (law, None, None)
            if key not in seen:
                seen.add(key)
                citations.append(Citation(law=law))
            continue
        for article in articles:
            clause = f"第{_ordinal(article['clause'])}款" if article["clause"] else None
            key = (law, _ordinal(article["article"]), clause)
            if key not in seen:
                seen.add(key)
                citations.append(Citation(law=law, article=f"第{key[1]}条", clause=clause))
    # 「根据《保险法》…等有关规定」 names a law that is cited article by article later: keep the articles only.
    with_articles = {c.law for c in citations if c.article}
    return [c for c in citations if c.article or c.law not in with_articles]

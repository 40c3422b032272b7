"""Split a legal-basis text into citations: the law's full name and each article in one form (第四十六条).

    >>> [(c.law, c.article) for c in read_citations("《中华人民共和国银行业监督管理法》第二十一条、第46条")]
    [('中华人民共和国银行业监督管理法', '第二十一条'), ('中华人民共和国银行业监督管理法', '第四十六条')]

Published records write citations loosely: 「第二十一条第四十六条」 (two articles, no separator), 「第二十一条四十六条」 and
「四十六条」 (a missing 第), 「第四十六条第（五）项」 and 「第四十六条第五款」, short names (《商业银行法》), misspelt names
(《中华人民共和银行业监督管理法》), a version note (《…法》（2003年）). Abbreviations declared in the text
(「《中华人民共和国保险法》（以下简称《保险法》）」) and the known short names in nlp/data/laws.yaml resolve to the full
name. A law cited without an article is kept with ``article`` None, unless the same text cites articles of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.data import load
from nlp.records import Citation
from nlp.text import chinese_integer, fold, to_chinese_ordinal

# A law's name inside 《》; Word exports can escape inner brackets (《…印发<节能减排授信工作指导意见>的通知》).
_LAW = re.compile(r"《(?P<law>(?:[^《》]|《[^《》]*》)+)》")
_NUM = r"[\d一二三四五六七八九十百零〇两]+"
# 「第四十六条」「四十六条」「第46条」, then an optional 款 and 项: 「第五款」「第（五）项」「第五项」「第(三)(四)项」
_ARTICLE = re.compile(
    rf"第?(?P<article>{_NUM})条"
    rf"(?:第(?P<clause>{_NUM})款)?"
    rf"(?:第?(?P<item>(?:[(（]{_NUM}[)）])+|{_NUM})项)?"
)
# What may stand between a law and its first article, or between two articles: 「（银监发〔2007〕83号）」「（2003年）」,
# 「的规定」, 「、」「和」「及」「，」
_GLUE = re.compile(r"^(?:[(（][^()（）]{0,40}[)）])?\s*(?:的规定|规定)?\s*(?:[、，,和及与]|以及)?\s*$")
_ALIAS = re.compile(r"《(?P<full>[^《》]+)》[(（]以下简称[“\"「]?《?(?P<short>[^》”\"」)）]+)》?[”\"」]?[)）]")
_VERSION = re.compile(r"[(（]\d{4}年(?:修订|修正)?[)）]$")


@lru_cache(maxsize=1)
def _known_laws() -> dict[str, str]:
    names: dict[str, str] = {}
    for entry in load("laws.yaml"):
        names[entry["law"]] = entry["law"]
        for alias in entry.get("aliases") or []:
            names[alias] = entry["law"]
    return names


def canonical_law(name: str, declared: dict[str, str] | None = None) -> str:
    name = _VERSION.sub("", name.replace("<", "《").replace(">", "》").strip())
    if declared and name in declared:
        name = declared[name]
    return _known_laws().get(name, name)


@lru_cache(maxsize=1024)   # articles are numbered by a few hundred numbers
def _ordinal(number: str) -> str:
    return to_chinese_ordinal(int(number) if number.isdigit() else chinese_integer(number))


def normalise_article(text: str) -> str:
    """第46条, 46, 四十六条, 第四十六条 → 第四十六条."""
    match = re.fullmatch(rf"\s*第?({_NUM})条?\s*", fold(text))
    if not match:
        raise ValueError(f"not an article number: {text!r}")
    return f"第{_ordinal(match[1])}条"


def aliases(text: str) -> dict[str, str]:
    """《中华人民共和国保险法》（以下简称《保险法》） → {'保险法': '中华人民共和国保险法'}."""
    return {match["short"]: match["full"] for match in _ALIAS.finditer(fold(text).replace("<", "《").replace(">", "》"))}


def read_citations(text: str | None, known_aliases: dict[str, str] | None = None) -> list[Citation]:
    if not text:
        return []
    folded = fold(text).replace("&lt;", "<").replace("&gt;", ">")
    declared = dict(known_aliases or {})
    declared.update(aliases(folded))
    citations: list[Citation] = []
    seen: set[tuple] = set()
    laws = list(_LAW.finditer(folded))
    for index, match in enumerate(laws):
        law = canonical_law(match["law"], declared)
        limit = laws[index + 1].start() if index + 1 < len(laws) else len(folded)
        position, articles = match.end(), []
        # 「《固定资产贷款管理暂行办法》（中国银行业监督管理委员会令（2009）第2号、…」: the article search stops at the next law
        while True:
            article = _ARTICLE.search(folded, position, limit)
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


# 「根据《中华人民共和国中国人民银行法》第三十二条的规定，处以…」: a basis written inside the decision or the facts
_BASIS_CLAUSE = re.compile(r"(?:根据|依据|依照|按照)(?P<basis>《[^。；;]*?》[^。；;，,]*?(?:条|款|项)[^。；;]*?)(?:的?规定|，|,|。|$)")


def basis_in(text: str | None) -> str | None:
    """The legal basis a decision writes inside another part (its 处罚内容, its facts), for a record with no basis of
    its own: the clauses that cite an article after 根据, 依据, 依照 or 按照.

        >>> basis_in("根据《中华人民共和国中国人民银行法》第三十二条、第四十六条规定，处以罚款1万元")
        '《中华人民共和国中国人民银行法》第三十二条、第四十六条'
    """
    if not text:
        return None
    found = [match["basis"].strip() for match in _BASIS_CLAUSE.finditer(fold(text)) if read_citations(match["basis"])]
    return "；".join(dict.fromkeys(found)) or None


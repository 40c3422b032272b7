"""Split a law's or rule's lines into 条, with their chapter (章, 节), 款 and 项.

Published texts break lines where a person would not: NFRA's law pages put each link's words on a line of their own
(「根据」「宪法」「，制定本法。」), split a heading (「第一章　总」「则」) and the preamble's bracket (「（」「2003年…」).
The rule chosen: a line that does not end a sentence (。；：！？ and closing quotes) continues on the next, unless it is
a heading (第N章, 第N节, 第N条) or the next line starts a 项 (（一）). A 条 heading is one only when it follows the last
article's number (第一条, 第二条, …): a line 「第四十六条」 broken out of 「依照本法第四十六条规定」 is the text's, not a new
article. Chapters listed in a 目录 have no articles under them and are overwritten by the chapter the articles follow.

    >>> [(p.article, p.chapter, p.clauses) for p in split_articles(["第一章　总", "则", "第一条", "为了", "宪法", "，制定本法。"])]
    [('第一条', '第一章 总则', ['为了宪法，制定本法。'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.fields.legal_basis import normalise_article
from nlp.records import Provision
from nlp.text import chinese_integer, fold

_NUM = r"[0-9一二三四五六七八九十百零〇两]+"
_SPACE = r"[\s\u3000\u00a0]"
_ARTICLE = re.compile(rf"^{_SPACE}*第{_SPACE}*(?P<num>{_NUM}){_SPACE}*条(?:{_SPACE}+|$)(?P<rest>.*)$")
# 「第一条为了…」 with no space (a text whose spaces were lost): an article only where a sentence has ended before it
# and the words after it do not go on from a cross-reference (「第三条规定的…」「第三条第二款…」「第三条、第四条…」)
_TIGHT_ARTICLE = re.compile(rf"^第(?P<num>{_NUM})条(?P<rest>(?!规定|的|第|款|项|[、，,和或及至]).+)$")
_CHAPTER = re.compile(rf"^{_SPACE}*第{_SPACE}*(?P<num>{_NUM}){_SPACE}*(?P<unit>[编章节])(?:{_SPACE}*(?P<title>.*))?$")
_ITEM = re.compile(r"^[(（]\s*(?P<num>[0-9一二三四五六七八九十百]+)\s*[)）]")
_ENDS = ("。", "；", "：", ":", ";", "！", "？", "”", "」", "）", ")")
_SENTENCE_MARKS = re.compile(r"[，。；、,;：:]")
_GOES_ON = re.compile(r"^(?:规定|的|第|[、，,和或及至])")
# Lines that hold no words of the text: the 目录 heading, an empty line.
_CONTENTS = re.compile(rf"^{_SPACE}*目(?:{_SPACE}*录)?{_SPACE}*$")


def number_of(text: str) -> int:
    """46, 四十六, 第46条, 第四十六条 → 46 (through nlp/fields/legal_basis.py's one normaliser)."""
    return chinese_integer(normalise_article(str(text))[1:-1])


def _compact(text: str) -> str:
    return re.sub(rf"{_SPACE}+", "", text)


@dataclass
class _Heading:
    unit: str        # 编 | 章 | 节
    label: str       # 第五章
    title: str       # 法律责任

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()


_BROKEN_HEADING = re.compile(rf"^第{_SPACE}*{_NUM}{_SPACE}*$")
# A page number of a PDF-made text: 「— 1 —」, or a bare 「1」 before the empty line of a page break (a bare number
# elsewhere is a date's or a 令号's digits on a line of their own: 「第」「233」「号」)
_PAGE_NUMBER = re.compile(r"^[—\-－]+\s*\d{1,3}\s*[—\-－]+$")
_BARE_NUMBER = re.compile(r"^\d{1,3}$")


def _headings_mended(lines: list[str]) -> list[str]:
    """Lines stripped, empty lines and page numbers dropped, and a heading broken before its unit put back:
    「第八十五」「条　商业银行工作人员…」 (商业银行法 as NFRA serves it)."""
    out: list[str] = []
    stripped = [raw.strip() for raw in lines] + [""]
    for index, line in enumerate(stripped[:-1]):
        if not line or _PAGE_NUMBER.match(line) or (_BARE_NUMBER.match(line) and not stripped[index + 1]):
            continue
        if out and _BROKEN_HEADING.match(out[-1]) and line[0] in "条章节编":
            out[-1] += line
            continue
        out.append(line)
    return out


def _standing_heading(line: str) -> bool:
    """A 第N章 line that cannot be the rest of a sentence broken before it: short, without a sentence's punctuation,
    its title not going on from a cross-reference (「第五章的规定」「第五章第二节」). An order's signature lines
    (「行　长　潘功胜」「2025年12月16日」) end in no punctuation, and the first chapter follows them."""
    heading = _CHAPTER.match(line)
    title = (heading["title"] or "") if heading else ""
    return bool(heading) and len(line) <= 24 and not _SENTENCE_MARKS.search(line) and not _GOES_ON.match(title)


def join_lines(lines: list[str]) -> list[str]:
    """The text's paragraphs: lines broken inside a sentence or a heading put back together."""
    paragraphs: list[str] = []
    state = "closed"        # closed | open (a sentence runs on) | heading (a title may run on) | article (text follows)
    expected = 1            # the next article's number: only it starts an article
    for line in _headings_mended(lines):
        article = _ARTICLE.match(line)
        tight = _TIGHT_ARTICLE.match(line) if not article and state != "open" else None
        if tight and int_of(tight["num"]) == expected:
            line = f"第{tight['num']}条\u3000{tight['rest']}"   # the heading's space put back
            article = _ARTICLE.match(line)
        if article and int_of(article["num"]) == expected:
            expected += 1
            paragraphs.append(line)
            state = "article" if not article["rest"].strip() else ("closed" if line.endswith(_ENDS) else "open")
        elif (_CHAPTER.match(line) or _CONTENTS.match(line)) and (state != "open" or _standing_heading(line)):
            paragraphs.append(line)
            state = "heading"
        elif state == "heading" and len(line) <= 20 and not line.endswith(_ENDS):
            paragraphs[-1] += line           # 「第一章」「总则」, 「第一章　总」「则」
        elif state == "open" and paragraphs and not _ITEM.match(line):
            paragraphs[-1] += line
            state = "closed" if line.endswith(_ENDS) else "open"
        else:
            paragraphs.append(line)
            state = "closed" if line.endswith(_ENDS) else "open"
    return paragraphs


def split_articles(lines: list[str]) -> list[Provision]:
    """The 条 of a text's lines, in order, each with its chapter and 款."""
    provisions: list[Provision] = []
    headings: dict[str, _Heading] = {}
    current: list[str] = []
    for paragraph in join_lines(lines):
        article = _ARTICLE.match(paragraph)
        if article and int_of(article["num"]) == len(provisions) + 1:
            if provisions:
                _finish(provisions[-1], current)
            number = int_of(article["num"])
            chapter = " ".join(str(headings[unit]) for unit in ("编", "章", "节") if unit in headings) or None
            provisions.append(Provision(number=number, article=normalise_article(str(number)), chapter=chapter,
                                        text="", clauses=[]))
            current = [article["rest"].strip()] if article["rest"].strip() else []
            continue
        heading = _CHAPTER.match(paragraph)
        if heading and (not current or current[-1].endswith(_ENDS)):
            unit = heading["unit"]
            headings[unit] = _Heading(unit, _compact(f"第{heading['num']}{unit}"), _compact(heading["title"] or ""))
            for lower in {"编": ("章", "节"), "章": ("节",), "节": ()}[unit]:   # a new chapter ends its sections
                headings.pop(lower, None)
            continue
        if _TRAILER.match(paragraph) or (current and _LAST_WORDS.match(current[-1]) and "废止" not in paragraph):
            break    # the text has ended: what follows is the page's (a 立法说明, an 附件 list), kept in the body only
        if provisions and not _CONTENTS.match(paragraph):
            current.append(paragraph)
    if provisions:
        _finish(provisions[-1], current)
    return provisions


# The last words of a law or rule: 「本法自2004年2月1日起施行。」, 「本办法自 2026 年 9 月 1 日起施行。」; and what opens
# the page's own matter after the text (「---《…》立法说明」, 「附件：」); a 款 after the last words that repeals the
# text it replaces (「《…》同时废止。」) is still the article's
_LAST_WORDS = re.compile(r"^本(?:法|办法|规定|规则|条例|细则|决定|指引|准则|通知)[^。]{0,40}自[^。]*起(?:施行|实施)[^。]*。$")
_TRAILER = re.compile(r"^(?:-{2,}|—{2,}|附件[:：\d一二三四五六七八九十]|附件$)")


def int_of(num: str) -> int:
    num = fold(num)
    return int(num) if num.isdigit() else chinese_integer(num)


def _finish(provision: Provision, lines: list[str]) -> None:
    clauses: list[str] = []
    for line in lines:
        if _ITEM.match(line) and clauses:
            clauses[-1] += "\n" + line
        else:
            clauses.append(line)
    provision.clauses = clauses
    provision.text = "\n".join(clauses)


def items_of(clause: str) -> list[str]:
    """A 款's 项, in order: 「（一）吸收公众存款；」, 「（二）…」."""
    return [line for line in clause.split("\n") if _ITEM.match(line)]


def locate(provision: Provision, clause: int | None = None, item: int | None = None) -> str:
    """The words of 第N条第K款第I项 in one article: ``locate(p, 1, 1)`` for 第一款第一项. A 项 without a 款 is the
    first 款's (「第四十六条第（五）项」 in a one-款 article)."""
    if clause is None and item is None:
        return provision.text
    body = provision.clauses[(clause or 1) - 1]
    if item is None:
        return body
    return items_of(body)[item - 1]

"""What regkb never shows of a person, even where a published page does: an identity-card number, a phone number, an
individual's home address. Masked at extraction, in every text regkb keeps (a decision's fields, the document's text
as shown); the archive keeps the bytes as published, and serves them to no one.

    >>> mask("当事人：张某，男，身份证号码110101198003071234，住址：北京市东城区某街1号，联系电话13912345678。")
    '当事人：张某，男，身份证号码〔已隐去〕，住址：〔已隐去〕，联系电话〔已隐去〕。'

A company's registered address (住所 of an institution) is public business information and stays; a 住所 on a line
that describes a person (「，男，」) is a home address and goes. Amounts are never taken for phone numbers
(13500000000元 is a fine).
"""

from __future__ import annotations

import re

MASK = "〔已隐去〕"

# A page (a Word document's HTML, an NFRA answer: 50 KB) is searched by a pattern only where what it needs is there:
# ``in`` finds a character in such a page in microseconds (a word in tens), where a pattern that opens with a set of
# characters is tried at every character, a millisecond a page. A short text (a line, a decision's field) is searched
# at once: looking first would cost more than the search (a record's texts tested together, 400 characters, take
# 3.8 µs looked at first, 6 not).
_PAGE = 200
# 18 digits (the last may be X): six of the region, the birth date, three, a check; 15 digits after a label (the
# numbers before 1999; 公民身份证号码: the match starts at 身份证, 公民 stays as it is)
_ID_18 = re.compile(r"[1-9](?<![\dA-Za-z][1-9])\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"
                    r"(?![\dA-Za-z])")
# what every such number holds from its year on, searched from a literal (the year's first digit), as a gate
_ID_18_TAILS = (re.compile(r"1[89]\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"),
                re.compile(r"20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]"))
_ID_LABELLED = re.compile(r"(?P<label>身份证(?:件)?(?:号码|号)?|证件号码)(?P<sep>\s*[:：]?\s*)(?P<value>[\dXx*＊]{15,18})")
# mobiles: 11 digits from 13 to 19, not an amount (no 元, 万, 亿 or digit after); landlines after a label
_MOBILE = re.compile(r"1(?<![\d.,]1)[3-9]\d{9}(?![\d.,]|\s*[元万亿])")
_PHONE_LABELLED = re.compile(r"(?P<label>联系电话|电话|手机号码|手机|联系方式|传真|Tel|TEL)(?P<sep>\s*[:：]?\s*)"
                             r"(?P<value>[\d\-－()（）\s]{7,20}\d)")
# a home address: its labels, or 住所 on a line that describes a person
_HOME = re.compile(r"(?P<label>家庭住址|现住址|户籍地址|户籍所在地|居住地|住址)(?P<sep>\s*[:：]\s*)(?P<value>[^，,。；;\n]+)")
_PERSON_LINE = re.compile(r"[，,]\s*[男女]\s*[，,。]")
_RESIDENCE = re.compile(r"(?P<label>住所|地址)(?P<sep>\s*[:：]\s*)(?P<value>[^，,。；;\n]+)")
# the words each labelled pattern cannot match without (every label holds one of them)
_ID_WORDS = ("身份证", "证件号码")
_PHONE_WORDS = ("电话", "手机", "联系方式", "传真")
_PHONE_LATIN = re.compile("T(?:el|EL)")   # the Latin labels in one pass, from their literal T (a page has many)
_HOME_WORDS = ("住址", "户籍", "居住地")
# a character of every label, of 男 and 女, and every digit: a text with none of them (most short values) has
# nothing to mask
_MAYBE = re.compile(r"[身证电手联传住户居男女T\d]")


def _holds(page: str, words: tuple[str, ...]) -> bool:
    return any(word[0] in page and word in page for word in words)   # the character first: ten times faster


def _labelled(match: re.Match) -> str:
    return match["label"] + match["sep"] + MASK


def mask(text: str | None) -> str | None:
    """``text`` with the identity numbers, phone numbers and home addresses of people masked."""
    if not text or not _MAYBE.search(text):
        return text
    page = len(text) >= _PAGE
    if not page or _holds(text, _ID_WORDS):
        text = _ID_LABELLED.sub(_labelled, text)
    if not page or any(tail.search(text) for tail in _ID_18_TAILS):
        text = _ID_18.sub(MASK, text)
    if not page or _holds(text, _PHONE_WORDS) or _PHONE_LATIN.search(text):
        text = _PHONE_LABELLED.sub(_labelled, text)
    text = _MOBILE.sub(MASK, text)
    if not page or _holds(text, _HOME_WORDS):
        text = _HOME.sub(_labelled, text)
    if ("男" in text or "女" in text) and _PERSON_LINE.search(text):
        text = "\n".join(_RESIDENCE.sub(_labelled, line) if _PERSON_LINE.search(line) else line
                         for line in text.split("\n"))
    return text

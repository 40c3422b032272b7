"""Text clean-up shared by every parser: whitespace as Word exports it, full-width forms, dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Callable

# Characters no published text holds and that break what shows it (XML in an Atom feed, a Word export, a terminal):
# C0 controls but tab and line breaks, DEL, a lone half of a surrogate pair (JSON can carry "\ud800"), noncharacters.
# (Word's vertical tab and form feed break a line or a page: they become a space.)
_UNPRINTABLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
_EITHER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def scrub(text: str | None) -> str | None:
    """``text`` without the characters no document should carry: ``scrub("罚款\x1b[31m50万元")`` → 「罚款[31m50万元」."""
    if not text or text is _clean_page[0]:
        return text
    if not _unprintable_in(text):   # nearly every text: one scan, no copy
        if len(text) >= 2000:
            _clean_page[0] = text
        return text
    return _BREAKS.sub(" ", _UNPRINTABLE.sub("", text))


# The last page found clean, itself (not a copy): a page is scrubbed where it is read and again where it is shown
# (an NFRA answer's docClob, 50 KB), and the second time costs nothing.
_clean_page: list[str | None] = [None]


def _unprintable_in(text: str) -> bool:
    """Whether ``text`` holds a character scrub takes out. A long text (a page) is tested as UTF-8, where a control
    character is a byte of its own and never part of another character's, and a lone surrogate cannot be encoded:
    a third of the regex's time over a Word page."""
    if len(text) < 2000:
        return bool(_EITHER.search(text))
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return len(data.translate(None, _CONTROL_BYTES)) < len(data) or "\ufffe" in text or "\uffff" in text


# Word splits words across lines and pads label cells (「单  位」, 「当 事 人」); spaces next to a CJK character carry
# no meaning in Chinese text, while spaces between Latin words do (Standard Chartered Bank). (A space that opens the
# pattern lets the search skip to each space; lookbehinds first would be tried at every character, 4× slower.)
_CJK_SPACE = re.compile(r" (?:(?<=[^\x00-\x7f] )(?=\S)|(?<=\S )(?=[^\x00-\x7f]))")


def squash(text: str | None) -> str:
    """Collapse whitespace and drop the spaces Word puts between Chinese characters, and the characters scrub
    drops: ``squash("单  位")`` → 「单位」."""
    return collapse(scrub(text)) if text else ""


def collapse(text: str) -> str:
    """``squash`` of a text scrubbed already (a parsed page's, a normalised line's): each run of white space one
    space, none between Chinese characters. (str.split() splits at the characters the pattern ``\\s`` matches,
    U+3000 and U+00A0 among them, and joins faster than a pattern.)"""
    return unspace(" ".join(text.split()))


def unspace(spaced: str) -> str:
    """The spaces next to a Chinese character dropped, from a text whose white space is single spaces already."""
    return _CJK_SPACE.sub("", spaced) if " " in spaced else spaced


# The characters NFKC changes that Chinese official text is full of (full-width punctuation and digits, the spaces
# Word pads with), each to the one character that is its whole compatibility decomposition. Replacing such a
# character by its decomposition leaves the text's NFKD, and so its NFKC, as it was; a text that is normalised once
# they are replaced is its own NFKC. str.replace finds a character in C, a page in microseconds, where NFKC takes
# 120 ns a character: 15× faster over the decisions' texts, the same result.
_COMMON_COMPATIBLE = {ch: unicodedata.normalize("NFKD", ch) for ch in
                      "，（）；：！？％＋－／＜＝＞［］\u3000\u2002\u2003\xa0" + "".join(map(chr, range(0xFF10, 0xFF1A)))}
assert all(len(d) == 1 and not unicodedata.combining(d) for d in _COMMON_COMPATIBLE.values())


def fold(text: str) -> str:
    """A form for matching, not for display: full-width digits, letters and punctuation to ASCII (NFKC).

    >>> fold("罚款５０万元（人民币）；ＥＡＳＴ")
    '罚款50万元(人民币);EAST'
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    for character, decomposed in _COMMON_COMPATIBLE.items():
        if character in text:
            text = text.replace(character, decomposed)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)   # the entity scanners fold the same text in turn (nlp/entities.py)
def folded_spans(text: str) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
    """``fold(text)``, and a function taking a span of the folded text back to the same characters of ``text``:
    NFKC changes the length of some characters (「㈠」 → 「(一)」, 「㎡」 → 「m2」), and a match found in the folded form
    must name the characters a person sees.

    >>> folded, back = folded_spans("㈠罚款５万元")
    >>> folded, back(3, 7)
    ('(一)罚款5万元', (1, 5))
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded, lambda start, end: (start, end)
    folds = {character: fold(character) for character in set(text)}   # each character once, not each occurrence
    pieces = [folds[character] for character in text]
    folded = "".join(pieces)
    origin = [index for index, piece in enumerate(pieces) for _ in piece] + [len(text)]
    return folded, lambda start, end: (origin[start], origin[end - 1] + 1 if end > start else origin[start])


_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH_ALNUM[0x3000] = 0x20


# whether a text holds one (found by a pattern in a tenth of the time translate takes to copy the text)
_FULLWIDTH_ANY = re.compile("[" + "".join(map(chr, _FULLWIDTH_ALNUM)) + "]")


def normalize(text: str) -> str:
    """A form for storing and showing: full-width digits and Latin letters to ASCII, Chinese punctuation kept."""
    text = scrub(text)
    return text.translate(_FULLWIDTH_ALNUM) if _FULLWIDTH_ANY.search(text) else text


CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def chinese_integer(text: str) -> int:
    """三十 → 30, 一百九十四 → 194, 叁拾万 → 300000, 二〇一八 → 2018 (digit by digit when there are no units)."""
    if text and all(ch in CN_DIGITS for ch in text):
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    above_yi, above_wan, section, digit = 0, 0, 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        elif ch in ("万", "萬"):
            above_wan = (section + (digit or 0)) * 10_000
            section, digit = 0, None
        elif ch in ("亿", "億"):
            above_yi = (above_wan + section + (digit or 0)) * 100_000_000
            above_wan, section, digit = 0, 0, None
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return above_yi + above_wan + section + (digit or 0)


def chinese_number(text: str) -> float:
    """一百九十四点六 → 194.6; the part after 点 is read digit by digit."""
    whole, _, fraction = text.partition("点")
    value = float(chinese_integer(whole)) if whole else 0.0
    if fraction:
        value += float("0." + "".join(str(CN_DIGITS[ch]) for ch in fraction))
    return value


_ARTICLE_NUMERALS = "零一二三四五六七八九"


def to_chinese_ordinal(number: int) -> str:
    """46 → 四十六, 110 → 一百一十, 161 → 一百六十一: the form laws use for article numbers."""
    if number <= 0:
        raise ValueError(number)
    if number < 10:
        return _ARTICLE_NUMERALS[number]
    if number < 20:
        return "十" + (_ARTICLE_NUMERALS[number % 10] if number % 10 else "")
    if number < 100:
        return _ARTICLE_NUMERALS[number // 10] + "十" + (_ARTICLE_NUMERALS[number % 10] if number % 10 else "")
    if number < 1000:
        rest = number % 100
        head = _ARTICLE_NUMERALS[number // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _ARTICLE_NUMERALS[rest]
        return head + _ARTICLE_NUMERALS[rest // 10] + "十" + (_ARTICLE_NUMERALS[rest % 10] if rest % 10 else "")
    raise ValueError(f"article number {number} out of range")


_DATE_PATTERNS = [
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(r"(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    re.compile(r"(?P<y>[二〇○零一三四五六七八九Ｏ]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"),
]


def _int(text: str) -> int:
    return int(text) if text.isdigit() else chinese_integer(text)


def parse_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO (2018年6月28日, 2016/3/23, 二〇一八年六月二十八日), or None."""
    if not text:
        return None
    return _short_date(text) if len(text) <= 64 else _first_date(text)


@lru_cache(maxsize=4096)   # a date field (a cell, an answer's publishDate) says one of a few thousand days
def _short_date(text: str) -> str | None:
    return _first_date(text)


def _first_date(text: str) -> str | None:
    folded = fold(text)
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            try:
                return date(_int(match["y"]), _int(match["m"]), _int(match["d"])).isoformat()
            except ValueError:
                continue
    return None

"""Messy input made readable before extraction, without inventing anything:

- traditional characters → simplified (OpenCC ``t2s``, only when the text is traditional);
- full-width digits and letters → ASCII;
- pinyin glosses 「罚款（fá kuǎn）」 dropped;
- page furniture (navigation, share buttons, footers, tag clouds, ads: nlp/data/junk.yaml) dropped line by line;
- a person's identity number, phone number and home address masked (nlp/privacy.py);
- text extracted from PDFs: labels with doubled characters 「当当事事人人」 → 「当事人」, and values broken across lines
  joined back (a line that does not end a sentence continues on the next, unless the next starts a new label).

    >>> clean_lines(["首页 > 新闻中心", "當事人：中國工商銀行股份有限公司成都分行", "分享到：微信 微博"])
    ['当事人：中国工商银行股份有限公司成都分行']
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.data import load
from nlp.labels import is_label
from nlp.privacy import mask
from nlp.text import normalize, unspace

_PINYIN = re.compile(r"\s*[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ\s']{2,}[)）]")
_DOUBLED_LABEL = re.compile(r"^(?P<label>(?:(?P<ch>[\u4e00-\u9fff])(?P=ch)){2,})(?P<rest>\s*[:：].*)$")
_LABEL_START = re.compile(r"^(?:[\u4e00-\u9fff（）()][ \u3000]*){2,16}[:：]|^(?:(?P<ch>[\u4e00-\u9fff])(?P=ch)){2,}")
# words that open a decision's paragraph: a line starting with one is never the rest of the line above
_PARAGRAPH_START = re.compile(r"^(?:经查|经查实|经查明|根据|依据|综上|上述|如不服|当事人应|本机关|我局|我会|本局|本会)")
_SENTENCE_END = ("。", "；", "：", ":", "！", "？", "”", "」", "号", "日")
# A tag cloud: a line of many short items separated by spaces or bars, with no sentence in it.
_TAG_CLOUD = re.compile(r"^(?:[\u4e00-\u9fffA-Za-z0-9]{1,8}[ |｜/·]+){5,}[\u4e00-\u9fffA-Za-z0-9]{1,8}$")
# The line patterns over a page of lines, each line's ^ and $ its own: what finds nothing there finds nothing in a line.
_TAG_CLOUDS = re.compile(_TAG_CLOUD.pattern, re.MULTILINE)
_DOUBLED_LABELS = re.compile(_DOUBLED_LABEL.pattern, re.MULTILINE)
# Characters that only traditional text has in the words regulators use (a fast test before converting).
_TRADITIONAL = re.compile(r"[銀監會罰書險處決國關與為條規違號當營業員約貸務資際權區東廣華聯區幣萬億點應據該對負責]")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _junk() -> tuple[re.Pattern, ...]:
    """The furniture patterns, searched over a line or over a page of lines at once (``^`` at each line: they find
    furniture wherever a line holds it, and perhaps across two, so a page is a test before its lines are). Those
    anchored at a line's start apart from the others: tried together, the anchored ones are tried at every
    character."""
    patterns = load("junk.yaml")["lines"]
    anchored = [p for p in patterns if p.startswith("^")]
    anywhere = [p for p in patterns if not p.startswith("^")]
    return tuple(re.compile("|".join(f"(?:{p})" for p in group), re.MULTILINE) for group in (anchored, anywhere)
                 if group)


def is_traditional(text: str) -> bool:
    return len(_TRADITIONAL.findall(text)) >= 2


def to_simplified(text: str) -> str:
    """OpenCC t2s when the text shows traditional characters; simplified text is returned unchanged."""
    return _converter().convert(text) if is_traditional(text) else text


def simplified(text: str) -> str:
    """OpenCC t2s, whatever the text looks like (a search term: 「貸款」 → 「贷款」)."""
    return _converter().convert(text)


@lru_cache(maxsize=1)
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    """OpenCC s2t: the same words in traditional characters (「贷款」 → 「貸款」), to suggest a spelling."""
    return _to_traditional().convert(text)


def undouble_label(line: str) -> str:
    """当当事事人人：张三 → 当事人：张三 (PDF text layers that draw bold labels twice)."""
    match = _DOUBLED_LABEL.match(line)
    if not match:
        return line
    return match["label"][::2] + match["rest"]


def clean_lines(lines: list[str]) -> list[str]:
    lines = [line for line in lines if line and not line.isspace()]
    # Decide for the whole document: a line of a traditional text may hold no telltale character of its own.
    if is_traditional("".join(lines)):
        lines = [_converter().convert(line) for line in lines]
    page = "\n".join(lines)
    # normalised as one text when no line holds a line break of its own (normalize maps each character apart)
    normalized = normalize(page).split("\n") if page.count("\n") == len(lines) - 1 else map(normalize, lines)
    spaced = [line for line in (" ".join(raw.split()) for raw in normalized) if line]
    # Each pattern tried over the page first, line by line only where it finds something (most pages: nowhere).
    page = "\n".join(spaced)
    if any(pattern.search(page) for pattern in _junk()):
        spaced = [line for line in spaced if not any(pattern.search(line) for pattern in _junk())]
    if _TAG_CLOUDS.search(page):
        spaced = [line for line in spaced if not _TAG_CLOUD.match(line)]   # before squashing: told by its spaces
    if _PINYIN.search(page):
        spaced = [" ".join(_PINYIN.sub("", line).split()) for line in spaced]
    squashed = [unspace(line) for line in spaced]   # white space collapsed already, the characters scrubbed
    if _DOUBLED_LABELS.search("\n".join(squashed)):
        squashed = [undouble_label(line) for line in squashed]
    return [line for line in map(mask, squashed) if line]


def looks_like_pdf_text(lines: list[str]) -> bool:
    """A PDF's text layer: most longer lines stop mid-sentence at about the same width."""
    long = [line.strip() for line in lines if len(line.strip()) >= 10]
    if len(long) < 3:
        return False
    open_ended = [line for line in long if not line.endswith(_SENTENCE_END)]
    widths = sorted(len(line) for line in open_ended)
    if len(open_ended) < 0.5 * len(long) or not widths:
        return False
    typical = widths[len(widths) // 2]
    return sum(abs(width - typical) <= 1 for width in widths) >= 0.6 * len(widths)


def join_broken_lines(lines: list[str]) -> list[str]:
    """Join lines a PDF broke mid-sentence: 「当事人：中国工商银行股份有」 + 「限公司成都分行」."""
    out: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if out and not out[-1].endswith(_SENTENCE_END) and not _LABEL_START.match(line) and len(out[-1]) >= 8 \
                and not _PARAGRAPH_START.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out


def looks_fragmented(lines: list[str]) -> bool:
    """Text whose markup was stripped one fragment per line (「第」「233」「号」, each span of a page on its own
    line): most lines are a few characters long."""
    texts = [line.strip() for line in lines if line.strip()]
    if len(texts) < 6:
        return False
    short = sum(len(text) <= 4 for text in texts)
    return short >= 0.4 * len(texts)


# fragments that end a value (「第46」「条」, 「35」「号」), never the start of a label
_VALUE_END = re.compile(r"[条号日元款项年月次]|万元|亿元")


def join_fragments(lines: list[str]) -> list[str]:
    """Fragments joined back into lines: a line that does not end a sentence runs on into the next, unless either is
    a label (a table's cells came one per line: 「作出」「处罚决定的机关名称」 make one label, 「2026」「年」「3」「月」
    one date, but a label never runs into its value) or the next starts 「label：」."""
    out: list[str] = []
    stripped = [line.strip() for line in lines if line.strip()]
    labels = [is_label(line) for line in stripped]
    for index, line in enumerate(stripped):
        label_here = labels[index] or (index + 1 < len(stripped) and re.fullmatch(r"[\u4e00-\u9fff]{1,4}", line)
                                       and not _VALUE_END.fullmatch(line) and is_label(line + stripped[index + 1]))
        previous_label = bool(out) and is_label(out[-1])
        # a 「label：value」 line with its value is whole: a paragraph's opening words or a date start a new one
        after_pair = bool(out) and bool(re.match(r"^[^:：]{2,30}[:：]\S", out[-1])) and bool(
            _PARAGRAPH_START.match(line) or re.match(r"^\d{4}(?:年|$)", line))
        if out and not out[-1].endswith(_SENTENCE_END) and not _LABEL_START.match(line) and not label_here \
                and not previous_label and not after_pair:
            out[-1] += line
        else:
            out.append(line)
    return out


def clean_text_lines(lines: list[str]) -> list[str]:
    """Plain text as read from a file: PDF line breaks or stripped markup's fragments joined when it looks like
    either, then cleaned. Traditional text is made simplified first, so that the joins read the same words."""
    if is_traditional("".join(lines)):
        lines = [_converter().convert(line) for line in lines]
    if looks_fragmented(lines):
        return clean_lines(join_fragments(lines))
    return clean_lines(join_broken_lines(lines) if looks_like_pdf_text(lines) else lines)

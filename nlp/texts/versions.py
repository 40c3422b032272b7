"""A text's history as its preamble states it, and the date its words are in force from.

A law's preamble is one bracket of events, each a date and what happened on it:

    （2003年12月27日第十届全国人民代表大会常务委员会第六次会议通过　根据2006年10月31日第十届全国人民代表大会常务委员会
    第二十四次会议《关于修改〈中华人民共和国银行业监督管理法〉的决定》修正）

Each date opens an event that runs to the next date; its label is the last of 通过, 修正, 修订, 废止, 公布/发布 in it
(「…《关于修改…的决定》第一次修正」 is a 修正 though it names a 决定). The text a source serves is its current version: it is
in force from its last event's date, unless it says when it takes effect (「自2026年9月1日起施行」).

    >>> [(v.label, v.date) for v in read_versions("（2003年12月27日…会议通过　根据2006年10月31日…的决定》修正）")]
    [('通过', '2003-12-27'), ('修正', '2006-10-31')]
"""

from __future__ import annotations

import re

from nlp.records import TextVersion
from nlp.text import fold, parse_date

_DATE = re.compile(r"(?:根据)?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_LABEL = re.compile(r"通过|修正|修订|废止|公布|发布")
_LABELS = {"公布": "发布"}
_IN_FORCE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起\s*(?:施行|实施|生效)")
_SPACES = re.compile(r"[\s\u3000]+")


def read_versions(preamble: str) -> list[TextVersion]:
    """The events of a preamble, in the order it states them."""
    text = _SPACES.sub("", fold(preamble)).strip("()（）")
    starts = [match.start() for match in _DATE.finditer(text)]
    versions: list[TextVersion] = []
    for index, start in enumerate(starts):
        segment = text[start: starts[index + 1] if index + 1 < len(starts) else len(text)].strip()
        labels = _LABEL.findall(segment)
        if not labels:
            continue
        label = _LABELS.get(labels[-1], labels[-1])
        versions.append(TextVersion(label=label, date=parse_date(segment), note=segment))
    return versions


def in_force_from(text: str) -> str | None:
    """The date a text says it takes effect: 「自2026年9月1日起施行」 → 2026-09-01."""
    match = _IN_FORCE.search(_SPACES.sub("", fold(text)))
    return parse_date(match[1]) if match else None

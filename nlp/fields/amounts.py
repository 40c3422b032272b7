"""Amounts of money as decisions write them, in yuan: 50万元, 人民币叁拾万元, 300,000元 (2，500元), 一百九十四点六万元,
1.2亿元, ¥20,000.00; the two ends of a range (1.5万–17万元) are marked, being no one sanction's amount."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlp.text import chinese_number, fold

_CN_NUM = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟点"
# The lookahead names every character an amount starts with, so that the engine passes over any other at once.
AMOUNT = re.compile(
    r"(?=[人R¥\s\d" + _CN_NUM + r"])"
    r"(?:人民币|RMB|¥)?\s*"
    r"(?P<number>\d[\d,]*(?:\.\d+)?|[" + _CN_NUM + r"]+)"
    r"\s*(?P<unit>亿元|万元|元|亿|万)"
)


@dataclass(frozen=True)
class Amount:
    yuan: float
    start: int
    end: int
    text: str
    range: bool = False     # one end of a range (「1.5万–17万元」): a span of amounts, no sanction's amount


# 「¥20,000.00」 (the figure a capital amount gives in brackets: 贰万元（¥20,000.00）), a sum in yuan without a unit
_YEN = re.compile(r"¥\s*(?P<number>\d[\d,]*(?:\.\d+)?)(?![\d,.]|\s*(?:亿|万|元))")
# 「1.5万–17万元」「10万元至50万元」「二十万元以上二百万元以下」: the two ends of a range
_RANGE_BETWEEN = re.compile(r"^\s*(?:[-–—~～]|至|到)\s*$|^\s*以上\s*$")


def _value(number: str, unit: str) -> float:
    if number[0].isdigit():
        value = float(number.replace(",", ""))
    elif unit == "元" and number[-1] in "万亿" and "点" in number:
        # 一百九十四点六万元: the digits after 点 are a fraction of the trailing 万
        return round(chinese_number(number[:-1]) * (10_000 if number[-1] == "万" else 100_000_000), 2)
    else:
        value = chinese_number(number)
    if unit.startswith("万"):
        value *= 10_000
    elif unit.startswith("亿"):
        value *= 100_000_000
    return round(value, 2)


def find_amounts(text: str) -> list[Amount]:
    """Every amount in ``text``, with its offsets in the folded text (full-width digits read as ASCII)."""
    folded = fold(text)
    found = []
    for match in AMOUNT.finditer(folded):
        number = match["number"].rstrip(",")
        if not number or number in {"点"} or set(number) <= set("万亿点"):
            continue
        try:
            found.append(Amount(_value(number, match["unit"]), match.start(), match.end(), match.group(0)))
        except (ValueError, KeyError):
            continue
    for match in _YEN.finditer(folded):
        if not any(a.start <= match.start() < a.end for a in found):
            found.append(Amount(float(match["number"].replace(",", "")), match.start(), match.end(), match.group(0)))
    found.sort(key=lambda amount: amount.start)
    for index in range(len(found) - 1):
        first, second = found[index], found[index + 1]
        if _RANGE_BETWEEN.match(folded[first.end:second.start]):
            found[index], found[index + 1] = replace(first, range=True), replace(second, range=True)
    return found

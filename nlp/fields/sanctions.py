"""Read sanctions out of a decision's words: 罚款人民币50万元, 警告并罚款10万元, 取消高管任职资格3年, 终身禁止从事银行业工作.

    >>> [(s.type, s.amount_yuan) for s in read_sanctions("警告，并处罚款人民币30万元")]
    [('warning', None), ('fine', 300000.0)]

Amounts count only when a sanction keyword governs them (罚款50万元, 处以50万元罚款): the loan that was misused and
the fees that were faked are in the same text and are not sanctions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.data import load
from nlp.fields.amounts import find_amounts
from nlp.records import Sanction
from nlp.text import chinese_integer, fold


@dataclass(frozen=True)
class Rule:
    type: str
    label: str
    pattern: re.Pattern
    amount: bool | str       # True: the amount follows the keyword (or 处以…罚款); "before": it precedes (…元罚单)
    years: bool


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    entries = load("sanctions.yaml")
    return tuple(Rule(e["type"], e["label"], re.compile(e["pattern"]), e.get("amount") or False, bool(e.get("years")))
                 for e in entries)


# 「罚款人民币50万元」「罚款合计65万元」: the amount follows the keyword closely.
_AMOUNT_AFTER = re.compile(r"^(?:金额)?(?:为|是)?[:：]?\s*(?:合计|共计|总计|共|计)?\s*(?:人民币)?\s*(?:[(（](?:大写|小写)[)）])?"
                           r"\s*[:：]?\s*$")
# 「处以50万元罚款」「处50万元罚款」「给予50万元罚款」: the amount comes first.
_AMOUNT_BEFORE = re.compile(r"(?:处以|处|给予|并处|予以)(?:人民币)?(?:金额)?\s*$")   # 处以人民币金额1017.61元罚款
_YEARS = re.compile(r"(?P<n>\d+|[一二两三四五六七八九十]+)\s*年|(?P<life>终身)")


def read_sanctions(text: str) -> list[Sanction]:
    """Every sanction named in ``text`` (the words addressed to one party), in the order they appear."""
    folded = fold(text)
    amounts = [amount for amount in find_amounts(folded) if not amount.range]
    found: list[tuple[int, Sanction]] = []
    taken: list[tuple[int, int]] = []
    for rule in rules():
        for match in rule.pattern.finditer(folded):
            if any(start <= match.start() < end for start, end in taken):
                continue  # 罚没合计 already covers this 罚款
            if rule.type == "warning" and _negated(folded, match.start()):
                continue
            sanction = Sanction(type=rule.type, label=rule.label, text=_clause(folded, match.start(), match.end()))
            if rule.amount == "before":
                sanction.amount_yuan = _amount_before(folded, match, amounts)
            elif rule.amount:
                sanction.amount_yuan = _governed_amount(folded, match, amounts)
            if rule.years:
                sanction.years, sanction.lifetime = _years(folded, match)
            taken.append((match.start(), match.end()))
            found.append((match.start(), sanction))
    found.sort(key=lambda pair: pair[0])
    return _merge_duplicates([sanction for _, sanction in found])


def _governed_amount(text: str, match: re.Match, amounts) -> float | None:
    for amount in amounts:
        between = text[match.end():amount.start]
        if amount.start >= match.end() and len(between) <= 12 and _AMOUNT_AFTER.match(between):
            return amount.yuan
    for amount in amounts:
        between = text[amount.end:match.start()]
        if amount.end <= match.start() and len(between) <= 2 and _AMOUNT_BEFORE.search(text[:amount.start]):
            return amount.yuan
    return None


def _amount_before(text: str, match: re.Match, amounts) -> float | None:
    """「开出1.2亿元罚单」「1.2亿元的罚单」: the amount just before the keyword."""
    for amount in reversed(amounts):
        if amount.end <= match.start() and re.fullmatch(r"\s*(?:的)?\s*", text[amount.end:match.start()]):
            return amount.yuan
    return None


def _years(text: str, match: re.Match) -> tuple[int | None, bool]:
    window = text[max(0, match.start() - 6): match.end() + 8]
    found = _YEARS.search(window)
    if not found:
        return None, False
    if found["life"]:
        return None, True
    number = found["n"]
    return (int(number) if number.isdigit() else chinese_integer(number)), False


def _negated(text: str, start: int) -> bool:
    return text[max(0, start - 2):start] in {"不予", "免予"}


# a clause ends at a comma, a semicolon or a full stop, but not at the comma of a number (「2,735.86元」)
_CLAUSE_MARK = re.compile(r"[，；;。]|,(?!\d{3})|(?<!\d),")


def _clause(text: str, start: int, end: int) -> str:
    """The words around a sanction, from the mark before it to the mark after: 「没收业务收入2,735.86元」 whole."""
    left = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, start)), default=0)
    right = _CLAUSE_MARK.search(text, end)
    return text[left: right.start() if right else len(text)].strip()


def _merge_duplicates(sanctions: list[Sanction]) -> list[Sanction]:
    """The same sanction named twice in one party's words (罚款…，罚款合计…) is one sanction, keeping the amount; a
    罚没合计 over parts that give their own amounts (「没收违法所得578.99万元，并处以5倍罚款，罚没合计3474万元」) is
    their total, not a sanction of its own (only when the parts give no amount does it carry the sum)."""
    parts_priced = any(s.type in ("fine", "confiscation") and s.amount_yuan is not None for s in sanctions)
    if parts_priced:
        sanctions = [s for s in sanctions if s.type != "fine_and_confiscation"]
    merged: list[Sanction] = []
    for sanction in sanctions:
        twin = next((s for s in merged if s.type == sanction.type and sanction.type != "fine"), None)
        if twin is not None:
            twin.amount_yuan = twin.amount_yuan or sanction.amount_yuan
            twin.years = twin.years or sanction.years
            continue
        merged.append(sanction)
    fines = [s for s in merged if s.type == "fine"]
    if len(fines) > 1 and any(s.amount_yuan is None for s in fines):
        # 「处以罚款，罚款金额50万元」: one fine, the amount once
        keep = [s for s in fines if s.amount_yuan is not None] or fines[:1]
        merged = [s for s in merged if s.type != "fine" or s in keep]
    return merged

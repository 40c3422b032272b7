"""First, rule-based violation categories (multi-label) from the taxonomy in nlp/data/categories.yaml.

    >>> categorise("贷前调查不到位，向环保未达标的企业提供融资；贷后管理失职，流动资金贷款被挪用")
    {'信贷业务': '贷前'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.data import load
from nlp.text import fold

FALLBACK = "其他"


@dataclass(frozen=True)
class Category:
    name: str
    pattern: re.Pattern | None
    unless: re.Pattern | None
    basis: bool
    alone: re.Pattern | None
    not_for: frozenset[str]
    sub: tuple[tuple[str, re.Pattern], ...] = ()
    regulators: frozenset[str] | None = None   # None: every regulator's decisions but the CSRC's


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Category, ...]:
    entries = load("categories.yaml")
    return tuple(
        Category(
            name=entry["name"],
            pattern=_either(entry.get("patterns")),
            unless=_either(entry.get("unless")),
            basis=bool(entry.get("basis")),
            alone=_either(entry.get("alone")),
            not_for=frozenset(entry.get("not_for") or ()),
            sub=tuple((name, re.compile("|".join(patterns))) for name, patterns in (entry.get("sub") or {}).items()),
            regulators=frozenset(entry["regulators"]) if entry.get("regulators") else None,
        )
        for entry in entries
    )


def _either(patterns: list[str] | None) -> re.Pattern | None:
    return re.compile("|".join(patterns)) if patterns else None


def category_names() -> list[str]:
    return [category.name for category in taxonomy()] + [FALLBACK]


SECURITIES_REGULATOR = "CSRC"


def applies(category: Category, regulator: str | None) -> bool:
    if category.regulators is None:
        return regulator != SECURITIES_REGULATOR
    return regulator in category.regulators


def categorise(facts: str | None, legal_basis: str | None = None,
               institution_types: frozenset[str] | set[str] = frozenset(), regulator: str | None = None) -> dict[str, str]:
    """Category → the words that put the decision there (evidence a researcher can check). ``institution_types``
    are the parties' types; a category is skipped when every party is of a type it cannot apply to, or when it is
    not one of the ``regulator``'s."""
    found: dict[str, str] = {}
    facts_text = fold(facts or "")
    basis_text = fold(legal_basis or "")
    for category in taxonomy():
        if not applies(category, regulator):
            continue
        if institution_types and set(institution_types) <= category.not_for:
            continue
        match = _search(category, category.pattern, facts_text, basis_text)
        if match:
            found[category.name] = match
    if not found:
        for category in taxonomy():
            if not applies(category, regulator):
                continue
            match = _search(category, category.alone, facts_text, basis_text)
            if match:
                found[category.name] = match
    return found or ({FALLBACK: ""} if facts_text else {})


def subcategorise(categories: dict[str, str], facts: str | None) -> dict[str, str]:
    """「category/sub-category」 → the words that put the decision there, for the categories already found.

        >>> subcategorise({"个人信息保护": "个人信息"}, "员工未经授权查询客户个人信息")
        {'个人信息保护/个人信息查询': '未经授权查询'}
    """
    text = fold(facts or "")
    found: dict[str, str] = {}
    for category in taxonomy():
        if category.name not in categories:
            continue
        for name, pattern in category.sub:
            match = pattern.search(text)
            if match:
                found[f"{category.name}/{name}"] = match.group(0)
    return found


def _search(category: Category, pattern: re.Pattern | None, facts: str, basis: str) -> str | None:
    if pattern is None:
        return None
    for text in (facts, basis if category.basis else ""):
        masked = category.unless.sub("□", text) if category.unless else text
        match = pattern.search(masked)
        if match:
            return match.group(0)
    return None

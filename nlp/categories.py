"""First, rule-based violation categories (multi-label) from the taxonomy in nlp/data/categories.yaml.

    >>> categorise("贷前调查不到位，向环保未达标的企业提供融资；贷后管理失职，流动资金贷款被挪用")
    {'信贷业务': '贷款'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .text import fold

DATA = Path(__file__).resolve().parent / "data"
FALLBACK = "其他"


@dataclass(frozen=True)
class Category:
    name: str
    pattern: re.Pattern
    unless: re.Pattern | None
    basis: bool


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Category, ...]:
    entries = yaml.safe_load((DATA / "categories.yaml").read_text(encoding="utf-8"))
    return tuple(
        Category(
            name=entry["name"],
            pattern=re.compile("|".join(entry["patterns"])),
            unless=re.compile("|".join(entry["unless"])) if entry.get("unless") else None,
            basis=bool(entry.get("basis")),
        )
        for entry in entries
    )


def category_names() -> list[str]:
    return [category.name for category in taxonomy()] + [FALLBACK]


def categorise(facts: str | None, legal_basis: str | None = None) -> dict[str, str]:
    """Category → the words that put the decision there (evidence a researcher can check)."""
    found: dict[str, str] = {}
    facts_text = fold(facts or "")
    basis_text = fold(legal_basis or "")
    for category in taxonomy():
        for text in (facts_text, basis_text if category.basis else ""):
            masked = category.unless.sub("□", text) if category.unless else text
            match = category.pattern.search(masked)
            if match:
                found[category.name] = match.group(0)
                break
    return found or ({FALLBACK: ""} if facts_text else {})

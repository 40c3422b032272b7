"""What a person reads for a coded value, everywhere regkb shows one: nlp/schema.py's names (地市级机构 for
sub-bureau, 证券市场禁入 for market_ban), and each source by its publisher, as its source.yaml names it (the sources
registry is the one place that knows the sources).

    >>> value_name("source", "csrc"), value_name("authority_level", "head office"), value_name("province", "四川省")
    ('中国证券监督管理委员会', '总部机关', '四川省')

and an amount as a page shows it: ``yuan(17124000.0)`` → 「17,124,000 元」.
"""

from __future__ import annotations

from functools import lru_cache

from nlp import schema


@lru_cache(maxsize=1)
def source_names() -> dict[str, str]:
    """Each source's name → its publisher in Chinese (「国家金融监督管理总局 National …」 → 国家金融监督管理总局)."""
    import sources

    return {source.name: source.facts.publisher.split(" ")[0] for source in sources.all_sources()}


def value_name(column: str, value):
    if column == "source" and isinstance(value, str):
        return source_names().get(value, value)
    return schema.value_name(column, value)


def coded(column: str) -> bool:
    """Whether a column holds codes that have names for people."""
    return column in schema.VALUE_NAMES or column in ("type", "source")


def yuan(value) -> str:
    """An amount for reading: ``17,124,000 元``; cents only when there are any (``1,234.50 元``)."""
    amount = float(value)
    return f"{amount:,.0f} 元" if amount == int(amount) else f"{amount:,.2f} 元"

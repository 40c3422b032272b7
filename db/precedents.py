"""What "the decisions under an article" means, once, for every way of asking: the Python API and the exports
(regkb/kb.py), and the canned ``precedents`` query in Datasette, which calls the same rules as SQL functions.

A law is asked for by its full or short name, with or without 《》 and 中华人民共和国 (decisions write both); an
article in any form (46, 第46条, 四十六, 第四十六条), as the citations table holds it (第四十六条):

    >>> law_variants("《银行业监督管理法》")
    ['中华人民共和国银行业监督管理法', '银行业监督管理法']
    >>> article_key("46"), article_key("第４６条"), article_key("第四十六条第一款")
    ('第四十六条', '第四十六条', None)
"""

from __future__ import annotations

import json
import re
import sqlite3

from nlp.fields.legal_basis import canonical_law, normalise_article
from nlp.text import fold

_PRC = "中华人民共和国"


def law_variants(law: str) -> list[str]:
    """The names a law is cited under: as asked, its canonical name (nlp/data/laws.yaml), with and without
    中华人民共和国."""
    name = fold(law).strip().strip("《》").strip()
    names = {name, canonical_law(name)}
    return sorted({form for known in names for form in (known, known.removeprefix(_PRC),
                                                          _PRC + known.removeprefix(_PRC))})


def article_key(article: str | int | None) -> str | None:
    """The article as the citations table holds it, or None when ``article`` is not one article's number."""
    if article is None:
        return None
    try:
        return normalise_article(re.sub(r"\s+", "", str(article)))
    except ValueError:
        return None


def register_functions(connection: sqlite3.Connection) -> None:
    """``regkb_laws(law)`` (a JSON list of law_variants, for ``c.law in (select value from json_each(…))``) and
    ``regkb_article(article)`` on a connection: the canned query then means what the API means."""
    connection.create_function("regkb_laws", 1, lambda law: json.dumps(law_variants(law or ""), ensure_ascii=False),
                               deterministic=True)
    connection.create_function("regkb_article", 1, article_key, deterministic=True)

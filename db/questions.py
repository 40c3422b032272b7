"""What the words of a question mean, once, for every way of asking: the Python API and the exports (regkb/kb.py),
the canned queries and the Atom feed in Datasette, which call the same rules as SQL functions.

* a law and an article: db/precedents.py (《银行业监督管理法》 = 中华人民共和国银行业监督管理法; 46 = 第46条 = 第四十六条);
* a province by its full or short name, and 全国 for the decisions of a head office, which have none:

    >>> province_name("四川"), province_name("广西"), province_name("四川省"), province_name("全国")
    ('四川省', '广西壮族自治区', '四川省', '全国')

* a ban of any kind: 禁止从事银行业工作, 禁止进入保险业 (``ban``) and the CSRC's 证券市场禁入 (``market_ban``).

In SQL (``register_functions``): ``coalesce(d.province, '全国') = regkb_province(:province)``, ``regkb_is_ban(s.type)``,
and the precedents' ``regkb_laws`` and ``regkb_article``.
"""

from __future__ import annotations

import sqlite3

from db.precedents import register_functions as register_precedents
from nlp.fields.regions import gazetteer
from nlp.text import fold

NATIONAL = "全国"
BAN_TYPES = ("ban", "market_ban")


def province_name(value: str | None) -> str | None:
    """The province as the decisions table names it (四川 → 四川省), 全国 as it is; anything else unchanged (it then
    matches nothing, as a misspelt name should)."""
    if value is None:
        return None
    name = fold(value).strip()
    if name in (NATIONAL, "全国（总部）", "总部"):
        return NATIONAL
    return gazetteer().province(name) or name


def is_ban(sanction_type: str | None) -> int:
    return int(sanction_type in BAN_TYPES)


def register_functions(connection: sqlite3.Connection) -> None:
    """Every rule above as an SQL function on ``connection``."""
    register_precedents(connection)
    connection.create_function("regkb_province", 1, province_name, deterministic=True)
    connection.create_function("regkb_is_ban", 1, is_ban, deterministic=True)

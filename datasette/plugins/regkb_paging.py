"""Following 下一页 reaches every row, in every sort order.

Datasette 0.65.5 orders the first page of a sorted table by the sort column alone (``order by total_fine_yuan
desc``) and every next page by the column and then the primary key, starting after the last row's key. Among equal
values (dozens of 300,000-yuan fines, decisions of the same day) the first page's order is whatever the index gives,
so the second page repeats some rows and skips others: sorted by fine, 20 a page, 125 of 136 decisions were reached.

The table page's row query is the one ``select … from <table> … order by <column> [desc] limit N``; here it gets
the table's primary key as the tie-breaker on the first page too, the order the next pages already assume. Nothing
else is touched: other queries, and a row query that already names its tie-breaker, go through as they are.
"""

from __future__ import annotations

import re

from datasette import hookimpl

# Datasette's: select <plain column names> from <table> [where …]order by <column> [desc] limit N[ offset M]
_ROW_QUERY = re.compile(
    r"^(?P<head>select [^()]+? from (?P<table>\[[^\]]+\]|\w+) (?:where .*)?order by (?P<column>\[[^\]]+\]|\w+)"
    r"(?: desc)?)(?P<tail> limit \d+(?: offset \d+)?)$", re.DOTALL)


def with_tie_breaker(sql: str, keys: dict[str, list[str]]) -> str:
    """``sql`` with the primary key after a lone sort column, when it is a table page's row query.

    >>> keys = {"decisions": ["decision_id"]}
    >>> with_tie_breaker("select a, b from decisions where x = 1 order by date desc limit 51", keys)
    'select a, b from decisions where x = 1 order by date desc, [decision_id] limit 51'
    >>> with_tie_breaker("select value, count from (select a from decisions) order by value desc limit 41", keys)
    'select value, count from (select a from decisions) order by value desc limit 41'
    """
    match = _ROW_QUERY.match(sql)
    if not match:
        return sql
    pks = keys.get(match["table"].strip("[]"))
    if not pks or match["column"].strip("[]") in pks:
        return sql
    order = ", ".join(f"[{pk}]" for pk in pks)
    return f"{match['head']}, {order}{match['tail']}"


@hookimpl
def startup(datasette):
    async def inner():
        for name, database in datasette.databases.items():
            if name.startswith("_"):
                continue
            keys = {}
            for table in await database.table_names():
                keys[table] = await database.primary_keys(table)
            execute = database.execute

            async def execute_in_order(sql, *args, _execute=execute, _keys=keys, **kwargs):
                return await _execute(with_tie_breaker(sql, _keys), *args, **kwargs)

            database.execute = execute_in_order

    return inner

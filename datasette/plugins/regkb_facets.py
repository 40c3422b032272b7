"""regkb's facets, built to stay usable on a million decisions: ``value`` for a column, ``list`` for a JSON list.

They count what Datasette's ``column`` and ``array`` facets count, with the same links (``province=四川省``,
``categories__arraycontains=反洗钱``), and metadata.yml uses them for the decisions table's default facets:

* ``list`` (``?_facet_list=categories``): a decision with two categories counts under both. Datasette 0.65's array
  facet de-duplicates ``distinct j.value, inner.*`` over every column of every row, long texts included: seconds on a
  million decisions. regkb writes each list without duplicates (db/load.py), so this counts whole lists first, with
  the column's index, and then spreads each distinct list over its values.
* ``value`` (``?_facet_value=province``): Datasette's column facet.
* Their values in an order a reader expects: by count, but 年份 newest first and 罚款区间 by size; coded values by
  their Chinese names (地市级机构 for sub-bureau); no province as 全国 (``province__isnull=1``), a head office's
  decision. The facets themselves in the order metadata.yml lists them, on every page (``facet_order``; Datasette
  sorts them by how many values each has, so they moved from page to page).
* Both run their queries side by side (Datasette runs them one after another; each is an index scan, and the
  machine has more than one core), and, on an immutable database, remember their results: the file cannot change
  while it is served.
* The whole table's facets, and one province's or one year's, are the build's counts (db/shape.py
  store_facet_counts), read, not counted: the decisions table opens on a million decisions, or under 四川省, in a
  fraction of a second.
* On a search that matches more than ``SEARCH_FACET_LIMIT`` decisions they are not computed (each would re-run the
  search and visit every matching row); the page says so, and a narrower search or a filter brings them back.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict

from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from datasette import hookimpl
from db.search import MATCHES_COUNTED, capped_count_sql
from db.shape import FACET_FILTERS
from nlp.schema import FINE_BANDS, NO_FINE
from regkb.names import value_name

SEARCH_FACET_LIMIT = MATCHES_COUNTED
CACHE_SIZE = 2_000


def _cache(datasette) -> OrderedDict:
    if not hasattr(datasette, "_regkb_facet_cache"):
        datasette._regkb_facet_cache = OrderedDict()
    return datasette._regkb_facet_cache


async def _execute(datasette, database_name: str, sql: str, params: dict):
    """Run a facet query, or answer it from the cache when the database is immutable."""
    database = datasette.get_database(database_name)
    key = (database_name, sql, tuple(sorted((k, str(v)) for k, v in (params or {}).items())))
    cache = _cache(datasette)
    if not database.is_mutable and key in cache:
        cache.move_to_end(key)
        return cache[key]
    results = await datasette.execute(database_name, sql, params, truncate=False,
                                      custom_time_limit=datasette.setting("facet_time_limit_ms"))
    rows = [dict(row) for row in results.rows]
    if not database.is_mutable:
        cache[key] = rows
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return rows


async def _search_too_broad(facet) -> int | None:
    """SEARCH_FACET_LIMIT when a ``?_search=`` matches more rows than that, else None (a broad search on the
    decisions table comes as ``_words``: plugins/regkb_search.py)."""
    search = facet.request.args.get("_search") or facet.request.args.get("_words")
    if not search or not facet.table:
        return None
    fts_table = (facet.ds.table_metadata(facet.database, facet.table) or {}).get("fts_table")
    fts_table = fts_table or await facet.ds.get_database(facet.database).fts_table(facet.table)
    if not fts_table:
        return None
    sql = capped_count_sql(fts_table, "escape_fts(:search)")
    count = (await _execute(facet.ds, facet.database, sql, {"search": search}))[0]["count(*)"]
    return SEARCH_FACET_LIMIT if count > SEARCH_FACET_LIMIT else None


# What a table page may ask besides its filter and still show the build's counts: how it shows its rows
_SHOWING = {"_size", "_sort", "_sort_desc", "_col", "_nocol", "_next", "_facet", "_facet_value", "_facet_list",
            "_facet_size", "_labels", "_nofacet", "_nosuggest"}


def _counted_scope(facet) -> tuple[str | None, str | None] | None:
    """The filter a page's facets were counted under at build (db/shape.py FACET_FILTERS): (None, None) for the whole
    table, ("province", "四川省") for one province's rows; None when the page asks anything else (a search, two
    filters, a range)."""
    args = facet.request.args
    if any(key.startswith("_") and key not in _SHOWING for key in args):
        return None
    filters = [key for key in args if not key.startswith("_")]
    if not filters:
        return (None, None) if not facet.params and " where " not in f" {facet.sql.lower()} " else None
    if len(filters) == 1 and filters[0] in FACET_FILTERS and len(args.getlist(filters[0])) == 1:
        return filters[0], args.get(filters[0])
    return None


async def _counted_at_build(facet) -> tuple[tuple | None, set[str]]:
    """The page's filter as the build counted it, and the columns whose counts it stored (db/shape.py
    store_facet_counts), on a file that cannot change while it is served: those facets are read, not counted."""
    database = facet.ds.get_database(facet.database)
    scope = _counted_scope(facet)
    if database.is_mutable or scope is None:
        return None, set()
    remembered = facet.ds.__dict__.setdefault("_regkb_counted_at_build", {})
    key = (facet.database, facet.table)
    if key not in remembered:
        rows = []
        if await database.table_exists("facet_counts"):
            rows = (await database.execute("select distinct facet from facet_counts where table_name = :table"
                                           " and filter_column is null", {"table": facet.table})).rows
        remembered[key] = {row[0] for row in rows}
    return scope, remembered[key]


class _Concurrent:
    """The facet_results of Datasette's facet classes, with the per-column queries run side by side."""

    remove_arg: str

    def counted_sql(self, column: str) -> str:
        """(value, count) of every value of ``column`` over the page's rows."""
        raise NotImplementedError

    def facet_sql(self, column: str, facet_size: int, counted: str) -> str:
        """The facet's values to show, from ``counted`` (counted_sql, or the build's counts), in order."""
        raise NotImplementedError

    def selection(self, column: str, value: str) -> tuple[str, str]:
        raise NotImplementedError

    def label(self, column: str, value) -> str:
        return value

    async def suggest(self):
        return []

    async def facet_results(self):
        facet_size = self.get_facet_size()
        configs = [(c["config"].get("column") or c["config"]["simple"], c["source"]) for c in self.get_configs()]
        if not configs:
            return [], []
        too_many = await _search_too_broad(self)
        scope, counted_at_build = await _counted_at_build(self)

        async def one(column):
            if too_many:
                return []
            params = self.params
            if column in counted_at_build:
                # the build's counts for this table under this filter (or none: every row)
                counted = ("select value, count from facet_counts where table_name = :regkb_table and facet ="
                           " :regkb_facet and filter_column is :regkb_filter and filter_value is :regkb_value")
                params = {"regkb_table": self.table, "regkb_facet": column, "regkb_filter": scope[0],
                          "regkb_value": scope[1]}
            else:
                counted = self.counted_sql(column)
            try:
                return await _execute(self.ds, self.database, self.facet_sql(column, facet_size, counted), params)
            except QueryInterrupted:
                return None

        outcomes = await asyncio.gather(*(one(column) for column, _ in configs))
        results, timed_out = [], []
        pairs = self.get_querystring_pairs()
        for (column, source), rows in zip(configs, outcomes):
            if rows is None:
                timed_out.append(column)
                continue
            values = []
            for row in rows[:facet_size]:
                value = row["value"]
                key, shown = self.selection(column, value)
                selected = (key, shown) in pairs
                change = path_with_removed_args if selected else path_with_added_args
                values.append({"value": value, "label": self.label(column, value), "count": row["count"],
                               "selected": selected,
                               "toggle_url": self.ds.absolute_url(self.request, change(self.request, {key: shown}))})
            results.append({
                "name": column, "type": self.type, "results": values, "hideable": source != "metadata",
                "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {self.remove_arg: column})),
                "truncated": len(rows) > facet_size,
                # regkb's template says why a facet is empty on a broad search
                "skipped_matches": too_many,
            })
        return results, timed_out


class ListFacet(_Concurrent, ArrayFacet):
    type = "list"
    remove_arg = "_facet_list"

    def counted_sql(self, column):
        col = escape_sqlite(column)
        return f"""
            with lists as (select {col} as list, count(*) as n from ({self.sql}) where json_valid({col}) group by 1)
            select j.value as value, sum(lists.n) as count from lists, json_each(lists.list) j group by j.value"""

    def facet_sql(self, column, facet_size, counted):
        return f"select value, count from ({counted}) order by count desc, value limit {facet_size + 1}"

    def selection(self, column, value):
        return f"{column}__arraycontains", str(value)


# How a facet's values are ordered when counting is not the point: years newest first, fine bands by size.
_BAND_ORDER = "case value " + " ".join(f"when '{label}' then {rank}" for rank, label in
                                       enumerate([label for _, label in FINE_BANDS] + [NO_FINE])) + " end"
VALUE_ORDER = {"year": "value desc", "fine_band": _BAND_ORDER}
# A column whose empty value means something: no province is a head office's decision, national.
EMPTY_MEANS = {"province": "全国"}


class ValueFacet(_Concurrent, ColumnFacet):
    type = "value"
    remove_arg = "_facet_value"

    def counted_sql(self, column):
        col = escape_sqlite(column)
        return f"select {col} as value, count(*) as count from ({self.sql}) group by {col}"

    def facet_sql(self, column, facet_size, counted):
        where = "" if column in EMPTY_MEANS else "where value is not null"
        order = VALUE_ORDER.get(column, "count desc, value")
        return f"select value, count from ({counted}) {where} order by {order} limit {facet_size + 1}"

    def selection(self, column, value):
        if value is None:
            return f"{column}__isnull", "1"
        return column, str(value)

    def label(self, column, value):
        if value is None:
            return EMPTY_MEANS.get(column, "-")
        return value_name(column, value)


@hookimpl
def register_facet_classes():
    return [ValueFacet, ListFacet]


def facet_order(facet_results, configured) -> list:
    """The facets in the order metadata.yml lists them (``configured``: its ``facets``), then any others."""
    names = [next(iter(item.values())) if isinstance(item, dict) else item for item in configured or []]
    rank = {name: position for position, name in enumerate(names)}
    return sorted(facet_results, key=lambda facet: (rank.get(facet["name"], len(rank)), facet["name"]))


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["facet_order"] = facet_order

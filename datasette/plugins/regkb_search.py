"""Chinese full-text search through Datasette's own ``?_search=``, fast on a million decisions.

**The query.** Datasette builds a table's search clause as ``rowid in (select rowid from decisions_fts where
decisions_fts match escape_fts(:search))``, and its search box, page title and export links all keep ``:search``, the
user's own words. Only the function that turns those words into an FTS5 query changes: with regkb's index each
Chinese character is a token, so 「罚款」 has to become the phrase ``"罚 款"`` (db.search.fts_query; the index is
explained there). Everything that goes through ``?_search=`` gets it: table pages, their JSON and CSV,
datasette-search-all, and the ranked-search canned query, which calls ``escape_fts(:q)`` itself. ``trylast``:
Datasette registers its own ``escape_fts`` in the same hook; the last registration wins.

**A broad search** (more than db.search.MATCHES_COUNTED matches: 390,000 decisions of a million say 贷款) costs
Datasette seconds twice over: it counts every match through the table, and it sorts every match by date to show the
newest 20 (1.7 s and 1.4 s, bench/datasette_scale.py). So such a request is answered differently, before Datasette
sees it (``asgi_wrapper``): its words move from ``_search`` to ``_words``, with ``_nocount=1``. Datasette then adds
no clause and counts nothing, and this plugin's ``filters_from_request`` adds the search as a condition each row is
checked against (``exists``, one index probe per row), which SQLite tests while it reads the date index newest first,
stopping at the page's 21st match: tens of milliseconds. The rows are the same rows in the same order; the page says
there are more than 10,000 instead of how many (templates/table.html), and regkb's facets say they were not counted
(plugins/regkb_facets.py). Under any other sort the search stays ``rowid in (…)``, which reads every match once,
where probing rows in the order of, say, the fine would visit most of the table. Links the page makes keep
``_words``; typing new words in the box sends ``_search`` again, and the old ``_words`` are dropped.
"""

from urllib.parse import parse_qsl, urlencode

from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, tilde_decode

from datasette import hookimpl
from db.search import MATCHES_COUNTED, capped_count_sql, fts_query
from db.shape import SEARCH_INDEXES

BROAD = "_words"
# the tables whose searches may be broad, and their index
INDEXED = {spec["table"]: name for name, spec in SEARCH_INDEXES.items()}
# sorts under which a broad search reads an index in date order, so that probing rows in that order finds the newest
# page at once
DATE_SORTS = {None, "date"}


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)


def _table_of(datasette, path: str) -> tuple[str, str] | None:
    """(database, table) of a table page's path (``/regkb/decisions``, ``.json``, ``.csv``, ``.xlsx``), for an indexed table."""
    parts = path.strip("/").split("/")
    if len(parts) != 2:
        return None
    database, table = parts[0], tilde_decode(parts[1])
    for suffix in (".json", ".csv", ".xlsx"):
        if table.endswith(suffix):
            table = table[: -len(suffix)]
    if database not in datasette.databases or table not in INDEXED:
        return None
    return database, table


async def _broad(datasette, database: str, table: str, words: str) -> bool:
    sql = capped_count_sql(INDEXED[table], "escape_fts(:search)")
    count = (await datasette.get_database(database).execute(sql, {"search": words})).single_value()
    return count > MATCHES_COUNTED


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def broad_searches(scope, receive, send):
            if scope["type"] == "http" and b"_search=" in scope.get("query_string", b""):
                where = _table_of(datasette, scope["path"])
                if where is not None:
                    args = parse_qsl(scope["query_string"].decode("utf-8"), keep_blank_values=True)
                    words = dict(args).get("_search", "")
                    # new words typed over a broad search's page: its _words, and the _nocount that came with them, go
                    replaced = ("_search", BROAD, "_nocount") if BROAD in dict(args) else ("_search",)
                    kept = [(key, value) for key, value in args if key not in replaced]
                    if words.strip() and await _broad(datasette, *where, words):
                        kept += [(BROAD, words), ("_nocount", "1")]
                    else:
                        kept += [("_search", words)]
                    scope = {**scope, "query_string": urlencode(kept).encode("utf-8")}
            await app(scope, receive, send)

        return broad_searches

    return wrap


@hookimpl
def filters_from_request(request, database, table, datasette):
    words = request.args.get(BROAD)
    if not words or table not in INDEXED:
        return None
    fts_table = escape_sqlite(INDEXED[table])
    sort = request.args.get("_sort") or request.args.get("_sort_desc")
    if sort is None:
        metadata = datasette.table_metadata(database, table) or {}
        sort = metadata.get("sort") or metadata.get("sort_desc")
    if sort in DATE_SORTS:
        clause = (f"exists (select 1 from {fts_table} where {fts_table}.rowid = {escape_sqlite(table)}.rowid"
                  f" and {fts_table} match escape_fts(:regkb_words))")
    else:
        clause = f"rowid in (select rowid from {fts_table} where {fts_table} match escape_fts(:regkb_words))"
    return FilterArguments(
        [clause], {"regkb_words": words}, [f'search matches "{words}"'],
        {"search": words, "supports_search": True, "regkb_matches_over": MATCHES_COUNTED})

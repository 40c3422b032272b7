"""Chinese full-text search through Datasette's own ``?_search=``: replace its ``escape_fts`` SQL function.

Datasette builds a table's search clause as ``rowid in (select rowid from decisions_fts where decisions_fts match
escape_fts(:search))``, and its search box, page title and export links all keep ``:search``, the user's own words.
Only the function that turns those words into an FTS5 query changes: with regkb's index each Chinese character is
a token, so 「罚款」 has to become the phrase ``"罚 款"`` (db.search.fts_query; the index is explained there).
Everything that goes through ``?_search=`` gets it: table pages, their JSON and CSV, datasette-search-all, and the
ranked-search canned query, which calls ``escape_fts(:q)`` itself.

``trylast``: Datasette registers its own ``escape_fts`` in the same hook; the last registration wins.
"""

from datasette import hookimpl
from db.search import fts_query


@hookimpl(trylast=True)
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)

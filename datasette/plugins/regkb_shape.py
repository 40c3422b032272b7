"""Every table's title, description and column help, from the declaration of the database's shape (db/shape.py,
whose decision tables take theirs from nlp/schema.py), so that Datasette shows what the loaders write and the help
cannot drift from the columns. metadata.yml configures the rest (facets, sort, search, canned queries); where both
say something, metadata.yml wins.
"""

from __future__ import annotations

from datasette import hookimpl
from db.shape import TABLES

DATABASE = "regkb"
_TABLES = {name: {"title": spec["title"], "description": spec["description"], "columns": dict(spec["help"])}
           for name, spec in TABLES.items()}


_KEYS = ("databases", "tables", "title", "description", "columns")   # what these metadata say


def _table(name: str) -> dict:
    """A fresh copy of one table's metadata: Datasette merges metadata.yml into the dicts a plugin returns."""
    shape = _TABLES[name]
    return {"title": shape["title"], "description": shape["description"], "columns": dict(shape["columns"])}


@hookimpl
def get_metadata(datasette, key, database, table):
    """What a page asks of one table is that table's metadata alone (Datasette asks it for every cell: a copy of
    every table's, each time, was most of a table page's time at a million decisions); anything else, all tables."""
    if database not in (None, DATABASE) or key not in (None, *_KEYS):
        return {}   # a plugin's configuration, asked for every cell by datasette-render-markdown: nothing of ours
    names = [table] if table in _TABLES else [] if table else list(_TABLES)
    return {"databases": {DATABASE: {"tables": {name: _table(name) for name in names}}}}

"""Every table's title, description and column help, from the declaration of the database's shape (db/shape.py,
whose decision tables take theirs from nlp/schema.py), so that Datasette shows what the loaders write and the help
cannot drift from the columns. metadata.yml configures the rest (facets, sort, search, canned queries); where both
say something, metadata.yml wins.
"""

from __future__ import annotations

import copy

from datasette import hookimpl
from db.shape import TABLES

DATABASE = "regkb"
_SHAPE = {"databases": {DATABASE: {"tables": {
    name: {"title": spec["title"], "description": spec["description"], "columns": dict(spec["help"])}
    for name, spec in TABLES.items()}}}}


@hookimpl
def get_metadata(datasette, key, database, table):
    # a copy: Datasette merges metadata.yml into what a plugin returns
    return copy.deepcopy(_SHAPE)

"""The canned ``precedents`` query means what `regkb export precedents` and the Python API mean: a law by its full or
short name, an article in any form (46, 第46条, 第四十六条). The rules are db/precedents.py's, registered here as the
SQL functions ``regkb_laws`` and ``regkb_article`` the query calls."""

from datasette import hookimpl
from db.precedents import register_functions


@hookimpl
def prepare_connection(conn):
    register_functions(conn)

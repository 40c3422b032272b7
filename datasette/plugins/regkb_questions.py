"""The canned queries and the feed mean what `regkb export` and the Python API mean: a law by its full or short name,
an article in any form (46, 第46条, 第四十六条), a province by its short name (四川 = 四川省) or 全国, a ban of any kind.
The rules are db/questions.py's, registered here as the SQL functions ``regkb_laws``, ``regkb_article``,
``regkb_province`` and ``regkb_is_ban`` the queries call."""

from datasette import hookimpl
from db.questions import register_functions


@hookimpl
def prepare_connection(conn):
    register_functions(conn)

"""In canned-query results, a ``decision_id`` links to its decision page (table pages link their keys already); the
SQL function ``regkb_decision_path(decision_id)`` gives that page's path (the feed links each entry to it)."""

from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from datasette import hookimpl


@hookimpl
def render_cell(value, column, table, database, datasette):
    if column != "decision_id" or table is not None or not isinstance(value, str) or database != "regkb":
        return None
    url = datasette.urls.row(database, "decisions", tilde_encode(value))
    return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')


def decision_path(decision_id: str | None) -> str | None:
    """``/regkb/decisions/pboc~3A3008201-1``: Datasette's address of a decision's page (its key tilde-encoded)."""
    return None if decision_id is None else f"/regkb/decisions/{tilde_encode(decision_id)}"


@hookimpl
def prepare_connection(conn):
    conn.create_function("regkb_decision_path", 1, decision_path, deterministic=True)

"""In canned-query results, a ``decision_id`` links to its decision page (table pages link their keys already)."""

from datasette.utils import tilde_encode
from markupsafe import Markup, escape

from datasette import hookimpl


@hookimpl
def render_cell(value, column, table, database, datasette):
    if column != "decision_id" or table is not None or not isinstance(value, str) or database != "regkb":
        return None
    url = datasette.urls.row(database, "decisions", tilde_encode(value))
    return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')

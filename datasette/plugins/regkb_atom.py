"""The Atom feed: each entry links to its decision's page on this regkb, as an absolute address; a feed that matches
nothing is an empty feed, not an error.

A feed reader needs an absolute link, and the SQL cannot know the host it is served from: the query gives the page's
path (``regkb_decision_path``), made absolute here from the request.

datasette-atom computes the feed's ``updated`` as the newest entry's, and fails (HTTP 500) on a query with no rows:
an alert feed for a province or category with no decisions yet. This renders those as a valid empty feed and hands
every other feed to datasette-atom. ``trylast`` makes this the ``.atom`` renderer Datasette keeps.
"""

from datetime import datetime, timezone

import datasette_atom
from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

from datasette import hookimpl


def render(datasette, request, sql, columns, rows, database, table, query_name, view_name, data):
    if rows and "atom_link" in columns:
        rows = [{**dict(zip(columns, row)), "atom_link": datasette.absolute_url(request, row["atom_link"])}
                if str(row["atom_link"] or "").startswith("/") else row for row in rows]
    if rows:
        return datasette_atom.render_atom(datasette, request, sql, columns, rows, database, table, query_name,
                                          view_name, data)
    feed = FeedGenerator()
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.updated(datetime.now(timezone.utc))
    queries = (datasette.metadata(database=database) or {}).get("queries") or {}
    title = (queries.get(query_name) or {}).get("title") if query_name else None
    feed.title(title or request.args.get("_feed_title", sql))
    return Response(feed.atom_str(pretty=True), content_type="application/xml; charset=utf-8", status=200)


@hookimpl(trylast=True)
def register_output_renderer(datasette):
    return {"extension": "atom", "render": render, "can_render": datasette_atom.can_render_atom}

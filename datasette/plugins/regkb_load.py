"""Under load, a decision page does not wait behind other people's searches.

Datasette answers every request in one process: pages share the Python interpreter and a few SQL threads, first come
first served. A burst of searches, faceted tables and canned queries (each a few hundred milliseconds of work on a
million decisions) then delays everything equally: measured by bench/datasette_scale.py, 200 mixed requests from 8
clients on 2 cores put the decision page's median at 1.7 s, no faster than the searches it queued behind.

So the pages that search or count (the home page with a query, table and query pages, and their JSON and CSV) are
answered ``SEARCHES_AT_ONCE`` at a time, in the order they came; the others wait their turn before any of their work
starts. A decision page (a row), an article or a law page, an archived original and the static files never wait:
each is a few indexed lookups. A search still answers, later when many arrive at once, and every query stays under
Datasette's own time limit.
"""

from __future__ import annotations

import asyncio
import contextvars
import os

from datasette import hookimpl

# on 2 cores: one search at a time, the other core left for the pages that never wait; REGKB_SEARCHES_AT_ONCE sets
# it (0: no turns, every request at once, as Datasette alone answers)
SEARCHES_AT_ONCE = int(os.environ.get("REGKB_SEARCHES_AT_ONCE", max(1, (os.cpu_count() or 2) - 1)))


def searches(scope) -> bool:
    """Whether a request searches or counts (waits its turn): the home page with a query, and a database's table,
    query and SQL pages (``/regkb/decisions``, ``/regkb/precedents``, ``/regkb``); not a row (``/regkb/decisions/…``),
    the ``/-/`` pages and static files. A streamed CSV of a whole table (``_stream=1``) does not take a turn either:
    it would hold it for minutes."""
    parts = [part for part in scope["path"].split("/") if part]
    query = scope.get("query_string") or b""
    if not parts:
        return bool(query)
    if b"_stream=" in query:
        return False
    return parts[0] != "-" and not parts[0].startswith("regkb-assets") and len(parts) <= 2


# set while a request holds a turn: a page it asks of the server itself (the .xlsx export reads its table's rows
# through datasette.client, in the same task) is part of that request's work, and must not wait for the turn it holds
_in_a_turn = contextvars.ContextVar("regkb_in_a_turn", default=False)


def turn(datasette) -> asyncio.Semaphore:
    """The searches' turns, made at the first request (on the server's own event loop)."""
    if not hasattr(datasette, "_regkb_search_turn"):
        datasette._regkb_search_turn = asyncio.Semaphore(SEARCHES_AT_ONCE)
    return datasette._regkb_search_turn


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def in_turn(scope, receive, send):
            if scope["type"] != "http" or not SEARCHES_AT_ONCE or not searches(scope) or _in_a_turn.get():
                await app(scope, receive, send)
                return
            async with turn(datasette):
                holding = _in_a_turn.set(True)
                try:
                    await app(scope, receive, send)
                finally:
                    _in_a_turn.reset(holding)

        return in_turn

    return wrap

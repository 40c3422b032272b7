"""The Datasette that `regkb serve` runs, on the demo database: what the tests of the web layer share.

``app()`` builds the Datasette instance from the very arguments `regkb serve` passes (``datasette_args``), so the
tests see the metadata, templates, plugins, static files and settings a user gets; ``get`` and ``sql`` ask it a
path, or the database plain SQL.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from datasette.cli import serve

from regkb.cli import datasette_args
from tests.conftest import demo_database

# searches take turns one at a time, as on CI's 2 cores, whatever this machine has (plugins/regkb_load.py reads it when
# the first app loads its plugins): a page that waits on a turn its own request holds hangs here too
os.environ["REGKB_SEARCHES_AT_ONCE"] = "1"


def app(db: Path | None = None):
    """A Datasette configured exactly as `regkb serve DB` configures it."""
    args = datasette_args(Path(db or demo_database()), "127.0.0.1", 8001)
    context = serve.make_context("serve", args[1:])
    instance = serve.callback(**context.params, return_instance=True)
    asyncio.run(instance.invoke_startup())
    return instance


@functools.cache
def demo_app():
    return app(demo_database())


def get(path: str, instance=None, status: int | None = 200, **params):
    """GET a path in process (as Datasette's own tests do) and check its status."""
    instance = instance or demo_app()

    async def fetch():
        return await instance.client.get(path, params=params or None)

    response = asyncio.run(fetch())
    if status is not None:
        assert response.status_code == status, (path, params, response.status_code, response.text[:1000])
    return response


def sql(query: str, params=(), db: Path | None = None) -> list:
    """The database by plain SQL, through the standard library's sqlite3 and nothing of regkb's."""
    connection = sqlite3.connect(f"file:{db or demo_database()}?mode=ro", uri=True)
    try:
        return connection.execute(query, params).fetchall()
    finally:
        connection.close()


def foreign_resources(html: str) -> list[str]:
    """Every script, style sheet, image, frame or other resource a page loads from anywhere but its own host."""
    found = []
    for tag in re.findall(r"<(?:script|link|img|iframe|frame|source|video|audio|embed|object|image|use)\b[^>]*>",
                          html, flags=re.I):
        if tag.lower().startswith("<link") and not re.search(r"rel=[\"']?(stylesheet|icon|preload|modulepreload)",
                                                              tag, re.I):
            continue   # <link rel="alternate"> and the like name a URL without loading it
        for value in re.findall(r"\b(?:src|href|data|srcset)=[\"']([^\"']+)", tag, flags=re.I):
            address = urlsplit(value.strip())
            if (address.scheme in ("http", "https") or value.strip().startswith("//")) \
                    and address.hostname not in ("localhost", "127.0.0.1"):
                found.append(tag)
    return found


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (tests/web/browser.py), for the browser tests."""
    from tests.web.browser import chromium

    yield from chromium()

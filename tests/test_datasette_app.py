"""The Datasette that `regkb serve` runs, on the demo database: the shared set-up of the test_datasette_* modules, and
what every page must be (the pinned Datasette, regkb's own assets, nothing loaded from another host).

``app()`` builds the Datasette instance from the very arguments `regkb serve` passes (``datasette_args``), so the
tests see the metadata, templates, plugins, static files and settings a user gets. ``demo_db()`` is the database
`regkb demo --no-serve` builds from the bundled corpus, made once per test session.
"""

from __future__ import annotations

import asyncio
import functools
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import datasette.version
from datasette.cli import serve

from regkb.cli import datasette_args

from .conftest import demo_database
from .demo_sources import OTHER_DECISIONS

DEMO_DOCUMENTS = 103 + len(OTHER_DECISIONS)   # NFRA: 100 records + 3 decisions; PBOC and CSRC: tests/demo_sources.py


def demo_db() -> Path:
    return demo_database()


def app(db: Path | None = None):
    """A Datasette configured exactly as `regkb serve DB` configures it."""
    args = datasette_args(Path(db or demo_db()), "127.0.0.1", 8001)
    context = serve.make_context("serve", args[1:])
    instance = serve.callback(**context.params, return_instance=True)
    asyncio.run(instance.invoke_startup())
    return instance


@functools.cache
def demo_app():
    return app(demo_db())


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
    connection = sqlite3.connect(f"file:{db or demo_db()}?mode=ro", uri=True)
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


def test_datasette_is_exactly_0_65_5():
    # Plugins such as datasette-plot pull in a 1.0 alpha; regkb's templates and plugins are written for 0.65.5.
    assert datasette.version.__version__ == "0.65.5"
    assert get("/-/versions.json").json()["datasette"]["version"] == "0.65.5"


def test_the_demo_database_is_served_with_its_decisions():
    assert sql("select count(*) from decisions")[0][0] == DEMO_DOCUMENTS
    data = get("/regkb/decisions.json", _size=0).json()
    assert data["filtered_table_rows_count"] == DEMO_DOCUMENTS


def test_pages_load_nothing_from_another_host():
    pages = ["/", "/regkb", "/regkb/decisions", "/regkb/decisions?_search=%E7%BD%9A%E6%AC%BE",
             "/regkb/decisions/nfra~3A9100001", "/regkb/search?q=%E8%B4%B7%E6%AC%BE", "/-/search?q=%E7%BD%9A%E6%AC%BE",
             "/-/dashboards/overview", "/regkb/parties"]
    for page in pages:
        html = get(page).text
        scripts = re.findall(r"<script\b[^>]*\bsrc=[\"']([^\"']+)", html)
        assert all(not urlsplit(src).netloc for src in scripts), (page, scripts)
        assert foreign_resources(html) == [], page


def test_foreign_resources_finds_a_cdn_script():
    # the check above must be able to fail
    assert foreign_resources('<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>') != []
    assert foreign_resources('<link rel="stylesheet" href="//cdnjs.cloudflare.com/x.css">') != []
    assert foreign_resources('<img src="http://evil.example/pixel.gif">') != []
    assert foreign_resources('<script src="/-/static/table.js"></script><a href="https://www.nfra.gov.cn/">') == []


def test_regkb_style_sheet_is_served_from_the_site_itself():
    html = get("/regkb/decisions").text
    assert '<link rel="stylesheet" href="/regkb-assets/regkb.css">' in html
    css = get("/regkb-assets/regkb.css")
    assert "regkb-original" in css.text and "http" not in css.text

"""What every page of the Datasette that `regkb serve` runs must be: the pinned Datasette, regkb's own assets,
nothing loaded from another host (tests/web/conftest.py builds it exactly as `regkb serve` does)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import datasette.version

from tests.expected import DEMO_DECISIONS
from tests.web.conftest import foreign_resources, get, sql


def test_datasette_is_exactly_0_65_5():
    # Plugins such as datasette-plot pull in a 1.0 alpha; regkb's templates and plugins are written for 0.65.5.
    assert datasette.version.__version__ == "0.65.5"
    assert get("/-/versions.json").json()["datasette"]["version"] == "0.65.5"


def test_the_demo_database_is_served_with_its_decisions():
    assert sql("select count(*) from decisions")[0][0] == DEMO_DECISIONS
    data = get("/regkb/decisions.json", _size=0).json()
    assert data["filtered_table_rows_count"] == DEMO_DECISIONS


def test_pages_load_nothing_from_another_host():
    pages = ["/", "/regkb", "/regkb/decisions", "/regkb/decisions?_search=%E7%BD%9A%E6%AC%BE",
             "/regkb/decisions/nfra~3A9100001", "/regkb/search?q=%E8%B4%B7%E6%AC%BE", "/?q=%E7%BD%9A%E6%AC%BE", "/",
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

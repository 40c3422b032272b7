"""Safe to publish: the file is immutable, every query is bounded in time and rows, and no plugin writes."""

from __future__ import annotations

from regkb.cli import datasette_args
from tests.expected import DEMO_DECISIONS
from tests.web.conftest import demo_app, get

# Every plugin regkb installs, and what it does. None of them writes to a database.
EXPECTED_PLUGINS = {
    "datasette-search-all": "searches every searchable table through ?_search=",
    "datasette-atom": "renders .atom from canned queries",
    "datasette-dashboards": "charts from read-only SQL",
    "datasette-leaflet": "bundled Leaflet, needed by datasette-dashboards",
    "datasette-render-markdown": "renders Markdown, needed by datasette-dashboards",
    "regkb_search.py": "escape_fts for Chinese", "regkb_decision_page.py": "the decision page",
    "regkb_labels.py": "Chinese labels", "regkb_links.py": "links decision ids", "regkb_http.py": "headers, CSV BOM",
    "regkb_atom.py": "an empty feed for a query that matches nothing", "regkb_facets.py": "fast list facets",
    "regkb_shape.py": "titles and column help from the declared shape",
    "regkb_questions.py": "the API's rules (law, article, province, bans) as SQL functions",
    "regkb_limits.py": "what one query may cost",
    "regkb_load.py": "searches take turns under load; decision pages never wait",
    "regkb_xlsx.py": "renders .xlsx in Chinese (read-only; the same row and time limits)",
    "regkb_home.py": "the search-first home page (read-only SQL)",
    "regkb_texts.py": "the law, article and notice pages and the texts' search (read-only SQL)",
    "regkb_paging.py": "the key as tie-breaker on a sorted table's first page",
    "regkb_values.py": "Chinese names of coded values, tags, yuan; each table's first columns",
    "regkb_originals.py": "下载原件: serves archived bytes by their sha256, reading only",
}
WRITING_PLUGINS = {"datasette-write", "datasette-write-ui", "datasette-insert", "datasette-upload-csvs",
                   "datasette-edit-schema", "datasette-configure-fts", "datasette-upload-dbs", "datasette-import",
                   "datasette-edit-templates", "datasette-comments", "datasette-annotate", "datasette-enrichments",
                   "datasette-create-view", "datasette-backup", "datasette-auth-passwords"}
RUNAWAY = ("with recursive n(i) as (select 1 union all select i + 1 from n) "
           "select count(*) from n where i > 0")


def test_the_database_is_opened_immutable():
    databases = get("/-/databases.json").json()
    regkb = next(db for db in databases if db["name"] == "regkb")
    assert regkb["is_mutable"] is False
    assert datasette_args(demo_app().databases["regkb"].path, "127.0.0.1", 8001)[1] == "-i"


def test_sql_time_limit_and_row_limits():
    settings = get("/-/settings.json").json()
    assert settings["sql_time_limit_ms"] == 3000 and settings["max_returned_rows"] == 2000
    assert settings["facet_time_limit_ms"] <= settings["sql_time_limit_ms"]


def test_a_runaway_query_is_stopped():
    response = get("/regkb.json", status=400, sql=RUNAWAY)
    assert "took too long" in response.json()["error"]


def test_a_query_returns_at_most_the_row_limit():
    data = get("/regkb.json", sql="with recursive n(i) as (select 1 union all select i + 1 from n where i < 5000) "
                                  "select i from n", _shape="objects").json()
    assert len(data["rows"]) == 2000 and data["truncated"] is True


def test_writing_sql_is_refused():
    for statement in ("insert into regions (region_id) values ('x')", "delete from decisions",
                      "drop table decisions", "update decisions set title = 'x'", "pragma writable_schema = 1"):
        response = get("/regkb.json", status=400, sql=statement)
        assert "Statement must be a SELECT" in response.json()["error"] or "not allowed" in response.json()["error"]
    assert get("/regkb/decisions.json", _size=0).json()["filtered_table_rows_count"] == DEMO_DECISIONS


def test_no_installed_plugin_writes():
    installed = {plugin["name"] for plugin in get("/-/plugins.json").json()}
    assert installed == set(EXPECTED_PLUGINS), installed ^ set(EXPECTED_PLUGINS)
    assert not installed & WRITING_PLUGINS


def test_no_canned_query_writes():
    queries = demo_app().metadata("queries", database="regkb")
    assert queries and not any(isinstance(query, dict) and query.get("write") for query in queries.values())

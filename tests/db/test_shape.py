"""The decision's shape is declared once (nlp/schema.py) and everything else is made from it: the JSON `regkb parse`
prints, the database's columns, Datasette's column help, the README's lists. These fail when one drifts."""

from __future__ import annotations

import json
import sqlite3

from db.shape import TABLES
from nlp.schema import TABLES as PARTS
from regkb.docs import README, render
from tests.conftest import FIXTURES, demo_database, run_regkb
from tests.web.conftest import demo_app, get


def test_every_column_of_the_demo_database_is_declared_with_help():
    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)
    for name, spec in TABLES.items():
        columns = [row[1] for row in connection.execute(f"pragma table_info([{name}])")]
        assert columns == list(spec["columns"]), name
        assert set(spec["help"]) == set(columns), name
        assert all(spec["help"][column].split()[0] for column in columns), name


def test_parse_prints_the_declared_keys_in_order():
    result = run_regkb("parse", str(FIXTURES / "real" / "tianjin_2018_35_penalty_table.html"))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    decision_keys = [f.name for f in PARTS["decisions"].fields if f.json]
    nested = [t.name for t in PARTS.values() if t.nested_in == "decisions" and t.json]
    assert list(printed) == ["doc_type", *decision_keys, *nested]
    assert list(printed["parties"][0]) == [f.name for f in PARTS["parties"].fields if f.json] + ["sanctions"]
    assert list(printed["parties"][0]["sanctions"][0]) == [f.name for f in PARTS["sanctions"].fields if f.json]


def test_datasette_shows_the_declared_help_for_every_column():
    served = demo_app()
    for name, spec in TABLES.items():
        metadata = served.table_metadata("regkb", name)
        assert metadata["columns"] == spec["help"] and metadata["title"] == spec["title"], name
    # the table page labels each column with the help's Chinese name
    html = get("/regkb/decisions", _size=1).text
    assert "处罚机关（规范名称）" in html and "罚款区间" in html


def test_the_readme_is_what_the_declarations_write():
    text = README.read_text(encoding="utf-8")
    assert render(text) == text, "run `python -m regkb.docs` to rewrite README.md's generated parts"


def test_the_facet_counts_are_the_decisions_counted_again():
    """db/shape.py store_facet_counts: what the decisions table shows as its facets, unfiltered and under one province
    or one year, counted at build."""
    from collections import Counter

    from db.shape import FACET_COUNTED
    from nlp.schema import LIST_COLUMNS

    connection = sqlite3.connect(f"file:{demo_database()}?mode=ro", uri=True)
    scopes = [(None, None, "1", []), ("province", "四川省", "province = ?", ["四川省"]), ("year", "2015", "year = ?", [2015])]
    for scope, value, where, params in scopes:
        for column in FACET_COUNTED:
            stored = {item: count for item, count in connection.execute(
                "select value, count from facet_counts where table_name = 'decisions' and facet = ?"
                " and filter_column is ? and filter_value is ?", [column, scope, value])}
            values = [item for (item,) in connection.execute(f"select [{column}] from decisions where {where}", params)]
            if column in LIST_COLUMNS:
                counted = Counter(item for listed in values for item in json.loads(listed or "[]"))
            else:
                counted = Counter(values)
            assert stored == dict(counted), (scope, column)
        assert connection.execute("select sum(count) from facet_counts where facet = 'source' and filter_column is ?"
                                  " and filter_value is ?", [scope, value]).fetchone()[0] == len(values)
    # a year stays a number, as the column holds it
    assert {type(item) for (item,) in connection.execute(
        "select value from facet_counts where facet = 'year' and value is not null")} == {int}

"""`regkb export package`: the demo database as a Frictionless data package, opened as its users open it —
`frictionless validate` on the descriptor, DuckDB on the Parquet files — and compared with the SQLite database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db.shape import TABLES
from regkb.package import DERIVED
from tests.conftest import REPO, run_regkb
from tests.expected import DEMO_DECISIONS

duckdb = pytest.importorskip("duckdb", reason="duckdb is a dev dependency: pip install -e '.[dev]'")
frictionless = pytest.importorskip("frictionless", reason="frictionless is a dev dependency: pip install -e '.[dev]'")


@pytest.fixture(scope="module")
def package(demo_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("package") / "regkb-package"
    result = run_regkb("export", "package", "-o", str(folder), "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(demo_db) as db:
        sanctions = db.execute("select count(*) from sanctions").fetchone()[0]
    assert f"{DEMO_DECISIONS} decisions, {sanctions} sanctions" in result.stdout
    return folder


@pytest.fixture(scope="module")
def descriptor(package) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def test_the_package_validates(package):
    report = frictionless.validate(str(package / "datapackage.json"))
    problems = [(task.name, error.message) for task in report.tasks for error in task.errors][:5]
    assert report.valid, problems or report.errors[:5]


def test_duckdb_counts_equal_sqlite(package, descriptor, demo_db):
    with sqlite3.connect(demo_db) as db:
        for resource in descriptor["resources"]:
            table = resource["name"]
            expected = db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            parquet = package / resource["parquet"]
            assert duckdb.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] == expected, table
            assert duckdb.execute(f"SELECT count(*) FROM read_csv('{package / resource['path']}')").fetchone()[0] \
                == expected, table
        fines = db.execute("SELECT province, round(sum(total_fine_yuan), 2) FROM decisions "
                           "WHERE province IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall()
    decisions = package / "parquet" / "decisions.parquet"
    assert duckdb.execute(f"SELECT province, round(sum(total_fine_yuan), 2) FROM '{decisions}' "
                      "WHERE province IS NOT NULL GROUP BY 1 ORDER BY 1").fetchall() == fines


def test_parquet_columns_are_typed_as_an_analyst_wants(package, demo_db):
    """Dates are dates, lists are lists: 〔2024〕7号 of the CSRC is a 证券市场禁入 dated 2024-03-20."""
    decisions = package / "parquet" / "decisions.parquet"
    types = dict(duckdb.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{decisions}')")
                 .fetchall())
    assert types["decision_date"] == "DATE" and types["categories"] == "VARCHAR[]"
    assert types["total_fine_yuan"] == "DOUBLE" and types["year"] == "BIGINT"
    day, kinds = duckdb.execute(f"SELECT decision_date, sanction_types FROM '{decisions}' "
                            "WHERE decision_id = 'csrc:7474962'").fetchone()
    assert str(day) == "2024-03-20" and kinds == ["证券市场禁入"]
    with sqlite3.connect(demo_db) as db:
        expected = db.execute("SELECT count(*) FROM decisions, json_each(decisions.categories) "
                              "WHERE json_each.value = '反洗钱'").fetchone()[0]
    found = duckdb.execute(f"SELECT count(*) FROM '{decisions}' WHERE list_contains(categories, '反洗钱')").fetchone()
    assert found[0] == expected > 0


def test_every_column_is_described_from_the_shape(descriptor, package):
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == set(TABLES) - DERIVED   # facet_counts: the decisions counted, not data of their own
    parties = {f["name"]: f for f in resources["parties"]["schema"]["fields"]}
    assert parties["fine_yuan"]["title"] == "罚款（元）" and parties["fine_yuan"]["type"] == "number"
    assert parties["fine_yuan"]["description"] == "Fines imposed on this party, in yuan"
    for resource in resources.values():
        for field in resource["schema"]["fields"]:
            assert field["title"] and field["description"], (resource["name"], field["name"])
    assert resources["sanctions"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "parties"
    assert "body" not in {f["name"] for f in resources["raw_documents"]["schema"]["fields"]}
    assert descriptor["licenses"][0]["name"] == "CC0-1.0"
    assert {s["title"].split()[0] for s in descriptor["sources"]} == {"国家金融监督管理总局", "中国人民银行",
                                                                     "中国证券监督管理委员会"}


def test_a_second_export_replaces_the_first_whole(package, demo_db):
    stale = package / "parquet" / "stale.parquet"
    stale.write_bytes(b"left from before")
    assert run_regkb("export", "package", "-o", str(package), "--db", str(demo_db)).returncode == 0
    assert not stale.exists() and (package / "datapackage.json").exists()
    assert not list(package.parent.glob(".*partial"))


def test_the_readme_command_is_the_one_tested():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "regkb export package -o" in readme and "frictionless validate" in readme


def test_a_database_built_by_an_older_regkb_exports_the_columns_it_has(demo_db, tmp_path):
    """A column the shape declares but the database lacks (built before it was added) is left out, never filled with
    its own name (what SQLite answers for a double-quoted name that is no column)."""
    import shutil

    old = tmp_path / "old.db"
    shutil.copy(demo_db, old)
    with sqlite3.connect(old) as db:
        db.execute("ALTER TABLE decisions DROP COLUMN read_by")
    folder = tmp_path / "package"
    assert run_regkb("export", "package", "-o", str(folder), "--db", str(old)).returncode == 0
    decisions = folder / "parquet" / "decisions.parquet"
    columns = [name for name, *_ in duckdb.execute(f"DESCRIBE SELECT * FROM '{decisions}'").fetchall()]
    assert "read_by" not in columns and "decision_no" in columns
    assert frictionless.validate(str(folder / "datapackage.json")).valid

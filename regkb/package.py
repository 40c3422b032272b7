"""The knowledge base as a described data package: a ``datapackage.json`` (Frictionless Data) that says what every
column of every table is, from the shape declared once (db/shape.py, nlp/schema.py), each table as CSV and as
Parquet.

    from regkb.package import export_package
    counts = export_package("regkb-package/")        # {"decisions": 136, "parties": 154, …}

    regkb-package/
        datapackage.json           the tables, their columns (type, Chinese label, meaning), keys, licence, sources
        data/<table>.csv           the Tabular Data Package itself: what data portals and `frictionless validate` read
        parquet/<table>.parquet    the same rows typed for DuckDB, pandas, R and Spark (each resource's ``parquet``)

In DuckDB: ``SELECT province, sum(total_fine_yuan) FROM 'regkb-package/parquet/decisions.parquet' GROUP BY 1``.

Why both: Frictionless reads Parquet through pandas, which turns an integer column with nulls into floats and a list
into an array it does not accept, so a package of Parquet resources would not validate though the files are right.
The CSVs follow the Tabular Data Package conventions (lists as JSON text, dates ISO, empty for null); the Parquet
columns are typed natively: dates as dates, times as UTC timestamps, yuan as doubles, and the lists the database keeps
as JSON text for its facets (``categories``, ``sanction_types`` …) as lists of strings. Each field carries its Chinese
label as ``title`` and its meaning as ``description``; primary and foreign keys are declared.

The search indexes are left out (SQLite's own, rebuilt from the tables), and so are the archived bodies' text columns
(``raw_documents.body``, ``document_html``): the package is the structured data, the archive the evidence.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from db.shape import TABLES
from nlp.schema import TABLES as PARTS
from regkb.kb import KnowledgeBase, KnowledgeBaseError
from sources import get as source
from sources import names as source_names

# The archived bodies are evidence kept in the archive, not data to analyse: left out of raw_documents
LEFT_OUT = {"raw_documents": {"body", "document_html"}}
# Tables of the serving database that are counts of another (the facets of the decisions): not data to analyse
DERIVED = {"facet_counts"}
DATES = {"decision_date", "publish_date", "date"}
TIMES = {"fetched_at", "quarantined_at"}
# Copyright Law of the PRC, art. 5: documents of an administrative nature of state organs are not protected; what
# regkb adds (the structure) is dedicated to the public domain
LICENCE = {"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 Universal",
           "path": "https://creativecommons.org/publicdomain/zero/1.0/"}


def _kinds(table: str) -> dict[str, str]:
    """Each column's Frictionless type: string, integer, number, boolean, array, date, datetime."""
    spec = TABLES[table]
    declared = {f.name: f.type for f in PARTS[table].fields} if table in PARTS else {}
    kinds = {}
    for column, python in spec["columns"].items():
        kind = declared.get(column) or {str: "text", int: "integer", float: "real"}[python]
        if column in DATES:
            kind = "date"
        elif column in TIMES:
            kind = "datetime"
        kinds[column] = {"text": "string", "real": "number", "list": "array"}.get(kind, kind)
    if table == "authorities":
        kinds["names_seen"] = "array"
    return kinds


ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
         "array": pa.list_(pa.string()), "date": pa.date32(), "datetime": pa.timestamp("s", tz="UTC")}


def _value(kind: str, value, where: str):
    if value is None or value == "":
        return None
    try:
        if kind == "array":
            return [str(item) for item in json.loads(value)]
        if kind == "date":
            return date.fromisoformat(value[:10])
        if kind == "datetime":
            return datetime.fromisoformat(value)
        if kind == "boolean":
            return bool(value)
    except (ValueError, TypeError) as error:
        raise KnowledgeBaseError(f"{where}: {value!r} is not a {kind} ({error}); rebuild the database with "
                                 "`regkb build` and report it if it stays") from None
    return value


def _field(table: str, column: str, kind: str) -> dict:
    label, _, meaning = TABLES[table]["help"][column].partition(" ")
    field = {"name": column, "type": kind, "title": label, "description": meaning}
    if kind == "array":
        field["arrayItem"] = {"type": "string"}
    return field


def _schema(table: str, kinds: dict[str, str]) -> dict:
    spec = TABLES[table]
    pk = spec["pk"]
    schema = {"fields": [_field(table, column, kind) for column, kind in kinds.items()],
              "primaryKey": list(pk) if isinstance(pk, tuple) else [pk]}
    keys = [{"fields": [column], "reference": {"resource": parent, "fields": [key]}}
            for column, parent, key in spec.get("foreign_keys", []) if parent in TABLES]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def export_package(folder: str | Path, db: str | Path | None = None) -> dict[str, int]:
    """Write the package into ``folder`` (made whole beside it, then moved into place); rows per table."""
    folder = Path(folder)
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    counts, resources = {}, []
    with KnowledgeBase(db) as kb:       # the database read-only, as the notebooks read it
        built_at, as_of = kb.built_at, kb.data_as_of
        (partial / "data").mkdir(parents=True)
        (partial / "parquet").mkdir()
        present = {row[0] for row in kb.connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, spec in TABLES.items():
            if table not in present or table in DERIVED:
                continue
            # the columns this database has (one built by an older regkb lacks the newer ones: SQLite would read a
            # missing "column" as that string)
            held = {row[1] for row in kb.connection.execute(f'PRAGMA table_info("{table}")')}
            kinds = {c: k for c, k in _kinds(table).items() if c in held and c not in LEFT_OUT.get(table, set())}
            counts[table] = _write_table(kb.connection, table, kinds, partial)
            resources.append({
                "name": table, "path": f"data/{table}.csv", "parquet": f"parquet/{table}.parquet",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "profile": "tabular-data-resource",
                "title": spec["title"], "description": spec["description"], "schema": _schema(table, kinds),
            })
    descriptor = {
        "name": "regkb", "title": "regkb · 中国金融监管行政处罚知识库 The open knowledge base of Chinese financial "
                                  "enforcement",
        "description": "Penalty decisions of the NFRA (and the CBIRC, CBRC, CIRC before it), the People's Bank and "
                       "the CSRC, read into parties, sanctions, authorities, dates and cited articles: every table "
                       "of regkb's SQLite database, as CSV (data/) and Parquet (parquet/), every column described.",
        "profile": "tabular-data-package",
        "licenses": [LICENCE],
        "sources": [{"title": source(name).facts.publisher, "path": source(name).facts.base_url}
                    for name in source_names()],
        "created": built_at.isoformat(), "version": built_at.strftime("%Y.%m.%d"),
        "keywords": ["行政处罚", "金融监管", "enforcement", "sanctions", "China"],
        "resources": resources,
    }
    if as_of:
        descriptor["dataAsOf"] = as_of
    (partial / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    partial.rename(folder)
    return counts


def _write_table(connection: sqlite3.Connection, table: str, kinds: dict[str, str], folder: Path,
                 batch: int = 50_000) -> int:
    """The table's rows in batches into its CSV and its Parquet file (memory bounded by the batch)."""
    schema = pa.schema([(column, ARROW[kind]) for column, kind in kinds.items()])
    names = ", ".join(f'"{column}"' for column in kinds)
    cursor = connection.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
    rows = 0
    with (folder / "data" / f"{table}.csv").open("w", encoding="utf-8", newline="") as text, \
            pq.ParquetWriter(folder / "parquet" / f"{table}.parquet", schema, compression="zstd") as writer:
        out = csv.writer(text)
        out.writerow(kinds)
        while chunk := cursor.fetchmany(batch):
            columns = [[_value(kind, row[i], f"{table}.{column}") for row in chunk]
                       for i, (column, kind) in enumerate(kinds.items())]
            writer.write_table(pa.Table.from_arrays([pa.array(c, type=schema.field(i).type)
                                                     for i, c in enumerate(columns)], schema=schema))
            out.writerows([_csv_cell(kind, value) for kind, value in zip(kinds.values(), values)]
                          for values in zip(*columns))
            rows += len(chunk)
    return rows


def _csv_cell(kind: str, value) -> str:
    """A value as the Tabular Data Package writes it: empty for null, lists as JSON, dates and times ISO."""
    if value is None:
        return ""
    if kind == "array":
        return json.dumps(value, ensure_ascii=False)
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("date", "datetime"):
        return value.isoformat()
    return value

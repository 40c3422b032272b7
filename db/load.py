"""Idempotent loaders: each upserts by its table's stable key, so loading the same records twice changes nothing.

The rows go to SQLite as prepared statements (``INSERT … ON CONFLICT (key) DO UPDATE``), one per table and set of
columns, kept by sqlite3's statement cache: no reading of the schema per row, and no commit; the caller holds the
transaction (db/build.py: one per build).
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import groupby
from typing import Callable, Iterable

import sqlite_utils

from db.shape import TABLES as SHAPE
from nlp.fields.categories import category_names
from nlp.fields.regions import Region, gazetteer
from nlp.records import Analysis, Authority, Decision, RegulatoryText
from nlp.schema import TABLES, db_rows
from nlp.text import to_chinese_ordinal
from nlp.texts.articles import items_of
from pipeline.extract import Extracted


def load_reference(db: sqlite_utils.Database) -> None:
    """Regions from the gazetteer and the category taxonomy, whether or not a decision uses them yet."""
    places = gazetteer()
    regions = {Region(p).region_id: {"region_id": Region(p).region_id, "province": p, "city": None}
               for p in set(places.provinces.values())}
    for region in places.cities.values():
        regions[region.region_id] = {"region_id": region.region_id, "province": region.province, "city": region.city}
    upsert(db, "regions", sorted(regions.values(), key=lambda r: r["region_id"]))
    upsert(db, "categories", [{"category": name, "position": position}
                              for position, name in enumerate(category_names())])


def region_id(province: str | None, city: str | None) -> str | None:
    return Region(province, city).region_id if province else None


def load_authority(db: sqlite_utils.Database, authority: Authority) -> str:
    """Upsert the authority, the names it was seen under merged; a row already as it would be is left unwritten
    (most decisions of a build name an authority loaded before)."""
    authority_id = authority.canonical or authority.name
    row = {"authority_id": authority_id, "canonical": authority.canonical, "regulator": authority.regulator,
           "level": authority.level, "province": authority.province, "city": authority.city,
           "region_id": region_id(authority.province, authority.city)}
    cursor = db.conn.execute(f"SELECT {', '.join(row)}, names_seen FROM authorities WHERE authority_id = ?",
                             [authority_id])
    existing = cursor.fetchone()
    names = {authority.name} | set(json.loads(existing[-1] or "[]") if existing else ())
    row["names_seen"] = json.dumps(sorted(names), ensure_ascii=False)
    if existing is None or tuple(row.values()) != existing:
        upsert(db, "authorities", [row])
    return authority_id


def load_decision(db: sqlite_utils.Database, decision: Decision, analysis: Analysis | None = None,
                  replacing: bool = True, rows: dict[str, list[dict]] | None = None) -> None:
    """Upsert one decision and replace its parts (parties, sanctions, citations, categories and, from its
    ``analysis``, the mentions and entities), each table's rows as nlp/schema.py declares them, or as ``rows``
    gives them made already (the build's workers make them). ``replacing=False``: the decision is not in the
    database (a build's first load of it), so it has no parts to delete."""
    if rows is None:
        rows = db_rows(decision, analysis)
    if decision.authority:
        load_authority(db, decision.authority)
    parts = [name for name in TABLES if name != "decisions"]
    for name in reversed(parts) if replacing else ():   # children before their parents
        db.conn.execute(f"DELETE FROM [{name}] WHERE decision_id = ?", [decision.decision_id])
    upsert(db, "decisions", rows["decisions"])
    for name in parts:
        insert(db, name, rows[name])


def load_text(db: sqlite_utils.Database, text: RegulatoryText, replacing: bool = True) -> None:
    """Upsert one law, rule or notice and replace its versions, articles, clauses and the laws it names. The text
    held is its current version: its articles are in force from its ``effective_date`` (until its 废止, if it
    states one); db/links.py closes that span when the base holds a newer text of the same name.
    ``replacing=False``: the text is not in the database yet (a build's first load of it)."""
    text_id = text.text_id
    if replacing:
        db.conn.execute("DELETE FROM clauses WHERE article_id IN (SELECT article_id FROM articles WHERE text_id = ?)",
                        [text_id])
        for table in ("articles", "text_versions", "text_citations"):
            db.conn.execute(f"DELETE FROM [{table}] WHERE text_id = ?", [text_id])
    repealed = next((v.date for v in text.versions if v.label == "废止"), None)
    upsert(db, "texts", [{
        "text_id": text_id, "source": text.source, "doc_id": text.doc_id, "kind": text.kind, "title": text.title,
        "name": text.name, "issuer": text.issuer, "document_no": text.document_no, "publish_date": text.publish_date,
        "effective_date": text.effective_date, "status": "已废止" if repealed else "现行有效", "url": text.url,
        "raw_sha256": text.raw_sha256, "body": text.body, "categories": list(text.categories),
        "article_count": len(text.provisions)}])
    events = [v for v in text.versions if v.label != "废止"]
    rows = []
    for ordinal, version in enumerate(text.versions, start=1):
        later = [v.date for v in events if v.date and version.date and v.date > version.date]
        current = version is (events[-1] if events else None)
        rows.append({"version_id": f"{text_id}/{ordinal}", "text_id": text_id, "name": text.name, "ordinal": ordinal,
                     "label": version.label, "date": version.date,
                     "effective_from": text.effective_date if current else (version.effective or version.date),
                     "effective_to": repealed if current else (min(later) if later else None), "note": version.note})
    insert(db, "text_versions", rows)
    insert(db, "articles", [{
        "article_id": f"{text_id}/{p.number}", "text_id": text_id, "name": text.name, "number": p.number,
        "article": p.article, "chapter": p.chapter, "text": p.text, "effective_from": text.effective_date,
        "effective_to": repealed} for p in text.provisions])
    insert(db, "clauses", [row for p in text.provisions for row in _clause_rows(f"{text_id}/{p.number}", p.clauses)])
    insert(db, "text_citations", [{
        "text_citation_id": f"{text_id}/{n}", "text_id": text_id, "law": law, "article": article,
        "text_id_cited": None, "article_id": None} for n, (law, article) in enumerate(text.named, start=1)])


def _clause_rows(article_id: str, clauses: list[str]) -> list[dict]:
    """第一款 … and their 项 (第一款第一项 …), each addressable: ``{article_id}/1``, ``{article_id}/1/1``."""
    rows = []
    for k, clause in enumerate(clauses, start=1):
        rows.append({"clause_id": f"{article_id}/{k}", "article_id": article_id,
                     "label": f"第{to_chinese_ordinal(k)}款", "text": clause})
        for i, item in enumerate(items_of(clause), start=1):
            rows.append({"clause_id": f"{article_id}/{k}/{i}", "article_id": article_id,
                         "label": f"第{to_chinese_ordinal(k)}款第{to_chinese_ordinal(i)}项", "text": item})
    return rows


class Copies:
    """Decisions already loaded in this build, by what makes one decision the same as another: its source, its
    number and its parties. A decision without a number is never taken for a copy."""

    def __init__(self):
        self._seen: dict[tuple, str] = {}

    @staticmethod
    def key(decision: Decision) -> tuple | None:
        if not decision.decision_no:
            return None
        number = "".join(decision.decision_no.split())
        return decision.source, number, tuple(sorted(party.name for party in decision.parties))

    def original_of(self, decision: Decision) -> str | None:
        """The decision_id loaded earlier that ``decision`` is a copy of, or None (and it is now the original)."""
        key = self.key(decision)
        if key is None:
            return None
        if key in self._seen and self._seen[key] != decision.decision_id:
            return self._seen[key]
        self._seen[key] = decision.decision_id
        return None


def load_duplicate(db: sqlite_utils.Database, decision: Decision, original_id: str) -> None:
    upsert(db, "duplicates", [{
        "copy_id": decision.decision_id, "decision_id": original_id, "decision_no": decision.decision_no,
        "source": decision.source, "doc_id": decision.doc_id, "url": decision.url, "source_url": decision.source_url,
        "raw_sha256": decision.raw_sha256, "read_by": decision.read_by}])


def raw_document(extracted: Extracted) -> dict:
    """The raw_documents row of an archived document as its reader left it: the bytes as text (an office file has
    none), what the document says as HTML where the reader made it (the NFRA envelope's docClob, an attachment's
    tables and text), and ``rendering`` saying how (or why an office file could not be read). The bytes stay in the
    archive under the same sha256."""
    fetch = extracted.fetch
    return {"sha256": fetch.sha256, "source": fetch.source, "doc_id": fetch.doc_id, "url": fetch.url,
            "fetched_at": fetch.fetched_at, "http_status": fetch.http_status, "content_type": fetch.content_type,
            "size": fetch.size, "body": extracted.body_text, "document_html": extracted.document_html,
            "rendering": extracted.rendering}


def load_raw_documents(db: sqlite_utils.Database, rows: Iterable[dict]) -> None:
    """Upsert raw_documents rows; ``rows`` may be a generator (bodies are streamed, not held in memory)."""
    upsert(db, "raw_documents", rows)


def load_quarantine(db: sqlite_utils.Database, items: Iterable) -> None:
    upsert(db, "quarantine", (item.to_dict() for item in items))


def upsert(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Insert each row, or update the columns it gives where its key is there already (sqlite-utils' upsert, without
    its reading of the schema and its commit per call). ``rows`` may be a generator; lists and dicts go in as JSON."""
    _write(db, _upsert_sql, table, rows)


def insert(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Insert each row; a key already there is an error (sqlite3.IntegrityError), as two parts of one decision
    under one key would be a loader's bug."""
    _write(db, _insert_sql, table, rows)


def _write(db: sqlite_utils.Database, statement: Callable[[str, tuple], str], table: str, rows: Iterable[dict]) -> None:
    # the rows of one set of columns (a table's rows, as nlp/schema.py shapes them) go in as one executemany
    for columns, group in groupby(rows, key=tuple):
        db.conn.executemany(statement(table, columns), ([_value(row[column]) for column in columns] for row in group))


@lru_cache(maxsize=None)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"


@lru_cache(maxsize=None)
def _upsert_sql(table: str, columns: tuple[str, ...]) -> str:
    keys = SHAPE[table]["pk"]
    keys = (keys,) if isinstance(keys, str) else tuple(keys)
    updates = ", ".join(f"[{column}] = excluded.[{column}]" for column in columns if column not in keys)
    conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    return (f"{_insert_sql(table, columns)} ON CONFLICT ({', '.join(f'[{key}]' for key in keys)}) {conflict}")


def _value(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict, tuple)) else value

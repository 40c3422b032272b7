"""Idempotent loaders: each upserts by its table's stable key, so loading the same records twice changes nothing."""

from __future__ import annotations

import json
from typing import Iterable

import sqlite_utils

from nlp.fields.categories import category_names
from nlp.fields.regions import Region, gazetteer
from nlp.records import Authority, Decision
from pipeline.extract import Extracted


def load_reference(db: sqlite_utils.Database) -> None:
    """Regions from the gazetteer and the category taxonomy, whether or not a decision uses them yet."""
    places = gazetteer()
    regions = {Region(p).region_id: {"region_id": Region(p).region_id, "province": p, "city": None}
               for p in set(places.provinces.values())}
    for region in places.cities.values():
        regions[region.region_id] = {"region_id": region.region_id, "province": region.province, "city": region.city}
    db.table("regions").upsert_all(sorted(regions.values(), key=lambda r: r["region_id"]), pk="region_id")
    db.table("categories").upsert_all(
        [{"category": name, "position": position} for position, name in enumerate(category_names())], pk="category")


def region_id(province: str | None, city: str | None) -> str | None:
    return Region(province, city).region_id if province else None


def load_authority(db: sqlite_utils.Database, authority: Authority) -> str:
    authority_id = authority.canonical or authority.name
    table = db.table("authorities")
    names = {authority.name}
    if table.exists():
        existing = list(table.rows_where("authority_id = ?", [authority_id]))
        if existing:
            names |= set(json.loads(existing[0]["names_seen"] or "[]"))
    table.upsert({
        "authority_id": authority_id, "canonical": authority.canonical, "regulator": authority.regulator,
        "level": authority.level, "province": authority.province, "city": authority.city,
        "region_id": region_id(authority.province, authority.city),
        "names_seen": json.dumps(sorted(names), ensure_ascii=False),
    }, pk="authority_id")
    return authority_id


# Fine bands for the facet, in yuan: (lower bound inclusive, label). A decision without a stated fine has none.
FINE_BANDS: list[tuple[float, str]] = [
    (0, "不足10万元"),
    (100_000, "10万至50万元"),
    (500_000, "50万至100万元"),
    (1_000_000, "100万至500万元"),
    (5_000_000, "500万元及以上"),
]
NO_FINE = "无罚款"


def fine_band(total_fine_yuan: float | None) -> str:
    if total_fine_yuan is None:
        return NO_FINE
    return [label for lower, label in FINE_BANDS if total_fine_yuan >= lower][-1]


def decision_facets(decision: Decision) -> dict:
    """Columns of a decision drawn from its parties, for facets and search.

    Multi-valued ones are JSON lists (Datasette's array facets count a decision under each value): a decision that
    fines a bank branch and bans its manager has sanction types ["罚款", "禁止从事银行业工作或禁止进入保险业"].
    """
    def distinct(values) -> str:
        return json.dumps(sorted({value for value in values if value}), ensure_ascii=False)

    return {
        # The punished parties, with an individual's role (时任XX支行行长): what the search index covers as parties.
        "party_names": "、".join(party.name + (f"（{party.role}）" if party.role else "")
                                for party in decision.parties) or None,
        "institution_types": distinct(party.institution_type for party in decision.parties),
        "parent_groups": distinct(party.parent for party in decision.parties),
        "sanction_types": distinct(sanction.label for party in decision.parties for sanction in party.sanctions),
        "fine_band": fine_band(decision.total_fine_yuan),
    }


def load_decision(db: sqlite_utils.Database, decision: Decision, mentions=(), entities=()) -> None:
    """Upsert one decision and replace its parties, sanctions, categories, citations, mentions and entities."""
    authority = decision.authority
    authority_id = load_authority(db, authority) if authority else None
    year_source = decision.decision_date or decision.publish_date
    db.table("decisions").upsert({
        "decision_id": decision.decision_id, "source": decision.source, "doc_id": decision.doc_id,
        "title": decision.title, "decision_no": decision.decision_no,
        "authority_id": authority_id, "authority": decision.authority_name,
        "regulator": authority.regulator if authority else None,
        "authority_level": authority.level if authority else None,
        "province": authority.province if authority else None, "city": authority.city if authority else None,
        "region_id": region_id(authority.province, authority.city) if authority else None,
        "decision_date": decision.decision_date, "publish_date": decision.publish_date,
        "year": int(year_source[:4]) if year_source else None,
        "doc_format": decision.doc_format, "party_count": len(decision.parties),
        "total_fine_yuan": decision.total_fine_yuan,
        "categories": json.dumps(decision.categories, ensure_ascii=False),
        "facts": decision.facts, "legal_basis": decision.legal_basis, "decision_text": decision.decision_text,
        "url": decision.url, "source_url": decision.source_url, "raw_sha256": decision.raw_sha256,
        **decision_facets(decision),
    }, pk="decision_id")
    for child in ("sanctions", "parties", "decision_categories", "decision_subcategories", "citations", "mentions",
                  "entities"):
        db.table(child).delete_where("decision_id = ?", [decision.decision_id])
    parties, sanctions = [], []
    for ordinal, party in enumerate(decision.parties, start=1):
        party_id = f"{decision.decision_id}/{ordinal}"
        parties.append({
            "party_id": party_id, "decision_id": decision.decision_id, "ordinal": ordinal, "name": party.name,
            "kind": party.kind, "role": party.role, "legal_representative": party.legal_representative,
            "institution_type": party.institution_type, "parent": party.parent,
            "legal_entity": party.legal_entity, "branch_level": party.branch_level,
            "fine_yuan": party.fine_yuan, "confiscated_yuan": party.confiscated_yuan,
            "sanctions_text": party.sanctions_text, "decision_date": decision.decision_date,
        })
        for number, sanction in enumerate(party.sanctions, start=1):
            sanctions.append({
                "sanction_id": f"{party_id}/{number}", "party_id": party_id, "decision_id": decision.decision_id,
                "ordinal": number, "type": sanction.type, "label": sanction.label,
                "amount_yuan": sanction.amount_yuan, "years": sanction.years, "lifetime": int(sanction.lifetime),
                "text": sanction.text,
            })
    db.table("parties").insert_all(parties, pk="party_id")
    db.table("sanctions").insert_all(sanctions, pk="sanction_id")
    db.table("decision_categories").insert_all(
        [{"decision_id": decision.decision_id, "category": category,
          "evidence": decision.category_evidence.get(category)} for category in decision.categories],
        pk=("decision_id", "category"))
    db.table("decision_subcategories").insert_all(
        [{"decision_id": decision.decision_id, "subcategory": name, "category": name.split("/")[0],
          "evidence": evidence} for name, evidence in decision.subcategories.items()],
        pk=("decision_id", "subcategory"))
    db.table("citations").insert_all(
        [{"citation_id": f"{decision.decision_id}/{ordinal}", "decision_id": decision.decision_id,
          "ordinal": ordinal, "law": c.law, "article": c.article, "clause": c.clause,
          "decision_date": decision.decision_date}
         for ordinal, c in enumerate(decision.citations, start=1)], pk="citation_id")
    db.table("mentions").insert_all(
        [{"mention_id": f"{decision.decision_id}/{ordinal}", "decision_id": decision.decision_id, "ordinal": ordinal,
          "authority": m.authority, "target": m.target, "sanction": m.sanction, "label": m.label,
          "amount_yuan": m.amount_yuan} for ordinal, m in enumerate(mentions, start=1)], pk="mention_id")
    db.table("entities").insert_all(
        [{"entity_id": f"{decision.decision_id}/{ordinal}", "decision_id": decision.decision_id, "ordinal": ordinal,
          "label": e.label, "text": e.text, "start": e.start, "end": e.end}
         for ordinal, e in enumerate(entities, start=1)], pk="entity_id")


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
    db.table("duplicates").upsert({
        "copy_id": decision.decision_id, "decision_id": original_id, "decision_no": decision.decision_no,
        "source": decision.source, "doc_id": decision.doc_id, "url": decision.url, "source_url": decision.source_url,
        "raw_sha256": decision.raw_sha256}, pk="copy_id")


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
    db.table("raw_documents").upsert_all(rows, pk="sha256")


def load_quarantine(db: sqlite_utils.Database, items: Iterable) -> None:
    db.table("quarantine").upsert_all([item.to_dict() for item in items], pk=("raw_sha256", "stage"))

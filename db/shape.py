"""The database shape as data: tables, primary keys, foreign keys and indexes, applied by ``ensure_shape(db)``.

Primary keys are derived from the source's own identifiers (``nfra:892530``, ``nfra:892530/1``, …), so they are the
same in every rebuild and links into Datasette keep working.
"""

from __future__ import annotations

import sqlite_utils

# The decisions table's default facets (datasette/metadata.yml), for the covering indexes below.
FACETED = ["city", "authority_id", "authority_level", "source", "fine_band", "regulator", "doc_format", "categories",
           "sanction_types", "institution_types", "parent_groups"]

TABLES: dict[str, dict] = {
    "regions": {
        "columns": {"region_id": str, "province": str, "city": str},
        "pk": "region_id",
        "indexes": [["province"], ["city"]],
    },
    "authorities": {
        "columns": {"authority_id": str, "canonical": str, "regulator": str, "level": str, "province": str,
                    "city": str, "region_id": str, "names_seen": str},
        "pk": "authority_id",
        "foreign_keys": [("region_id", "regions", "region_id")],
        "indexes": [["regulator"], ["level"], ["province"], ["city"]],
    },
    "categories": {
        "columns": {"category": str, "position": int, "description": str},
        "pk": "category",
    },
    "raw_documents": {
        "columns": {"sha256": str, "source": str, "doc_id": str, "url": str, "fetched_at": str, "http_status": int,
                    "content_type": str, "size": int,
                    # the bytes as text (none for an office file), and what the document says as HTML where its
                    # reader made it (the NFRA envelope's docClob, an attachment's tables), with how it was made
                    "body": str, "document_html": str, "rendering": str},
        "pk": "sha256",
        "indexes": [["source", "doc_id"]],
    },
    "decisions": {
        "columns": {
            "decision_id": str, "source": str, "doc_id": str, "title": str, "decision_no": str,
            "authority_id": str, "authority": str, "regulator": str, "authority_level": str,
            "province": str, "city": str, "region_id": str,
            "decision_date": str, "publish_date": str, "year": int,
            "doc_format": str, "party_count": int, "total_fine_yuan": float,
            "categories": str, "facts": str, "legal_basis": str, "decision_text": str,
            "url": str, "source_url": str, "raw_sha256": str,
            # For facets and search (derived from the parties and their sanctions in db/load.py): JSON lists, so
            # that a decision with two parties of different types counts under both.
            "party_names": str, "institution_types": str, "parent_groups": str, "sanction_types": str,
            "fine_band": str,
        },
        "pk": "decision_id",
        "foreign_keys": [("authority_id", "authorities", "authority_id"), ("region_id", "regions", "region_id"),
                         ("raw_sha256", "raw_documents", "sha256")],
        "indexes": [["source"], ["province"], ["city"], ["authority_id"], ["authority_level"], ["regulator"],
                    ["year"], ["decision_date"], ["doc_format"], ["total_fine_yuan"], ["decision_no"],
                    ["fine_band"], ["institution_types"], ["parent_groups"], ["sanction_types"], ["categories"],
                    ["publish_date"], ["province", "year", "total_fine_yuan"],
                    # every facet of the decisions page under its two commonest filters, in one covering index each:
                    # on a million decisions a province's facets then read ~40,000 index entries, not rows
                    ["province", *FACETED], ["year", *FACETED]],
    },
    "decision_categories": {
        "columns": {"decision_id": str, "category": str, "evidence": str},
        "pk": ("decision_id", "category"),
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("category", "categories", "category")],
        "indexes": [["category"]],
    },
    "decision_subcategories": {
        "columns": {"decision_id": str, "subcategory": str, "category": str, "evidence": str},
        "pk": ("decision_id", "subcategory"),
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("category", "categories", "category")],
        "indexes": [["subcategory"], ["category"]],
    },
    "parties": {
        "columns": {"party_id": str, "decision_id": str, "ordinal": int, "name": str, "kind": str, "role": str,
                    "legal_representative": str, "institution_type": str, "parent": str, "legal_entity": str,
                    "branch_level": str, "fine_yuan": float, "confiscated_yuan": float, "sanctions_text": str,
                    # the decision's date again, so that "the latest decisions against this group" is an index scan
                    "decision_date": str},
        "pk": "party_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["kind"], ["name"], ["fine_yuan"], ["institution_type"], ["parent"],
                    ["legal_entity"], ["branch_level"], ["parent", "decision_date"]],
    },
    "sanctions": {
        "columns": {"sanction_id": str, "party_id": str, "decision_id": str, "ordinal": int, "type": str,
                    "label": str, "amount_yuan": float, "years": int, "lifetime": int, "text": str},
        "pk": "sanction_id",
        "foreign_keys": [("party_id", "parties", "party_id"), ("decision_id", "decisions", "decision_id")],
        "indexes": [["party_id"], ["decision_id"], ["type"]],
    },
    "citations": {
        "columns": {"citation_id": str, "decision_id": str, "ordinal": int, "law": str, "article": str,
                    "clause": str,
                    # the decision's date again, so that "the latest decisions under this article" is an index scan
                    "decision_date": str},
        "pk": "citation_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["law", "article"], ["law", "article", "decision_date"]],
    },
    "mentions": {
        "columns": {"mention_id": str, "decision_id": str, "ordinal": int, "authority": str, "target": str,
                    "sanction": str, "label": str, "amount_yuan": float},
        "pk": "mention_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["sanction"]],
    },
    "entities": {
        "columns": {"entity_id": str, "decision_id": str, "ordinal": int, "label": str, "text": str,
                    "start": int, "end": int},
        "pk": "entity_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id")],
        "indexes": [["decision_id"], ["label"], ["text"]],
    },
    # The same decision published again (the PBOC posts one 公示表 as .doc and .pdf; the CSRC lists a decision under
    # two catalogues): loaded once, the other copies recorded here with where they were found.
    "duplicates": {
        "columns": {"copy_id": str, "decision_id": str, "decision_no": str, "source": str, "doc_id": str,
                    "url": str, "source_url": str, "raw_sha256": str},
        "pk": "copy_id",
        "foreign_keys": [("decision_id", "decisions", "decision_id"), ("raw_sha256", "raw_documents", "sha256")],
        "indexes": [["decision_id"]],
    },
    "quarantine": {
        "columns": {"raw_sha256": str, "stage": str, "source": str, "doc_id": str, "url": str, "reason": str,
                    "quarantined_at": str},
        "pk": ("raw_sha256", "stage"),
        "indexes": [["source"], ["stage"]],
    },
}


# Full-text indexes (FTS5, built-in tokenizer) over a segmented shadow of these columns: see db/search.py for why and
# how. Each is an external-content index of its table (content="decisions"), filled by search.build_search_index.
SEARCH_INDEXES: dict[str, dict] = {
    "decisions_fts": {"table": "decisions",
                      "columns": ["title", "party_names", "facts", "legal_basis", "decision_text"]},
    "parties_fts": {"table": "parties", "columns": ["name", "role", "sanctions_text"]},
}


def ensure_shape(db: sqlite_utils.Database) -> None:
    """Create every table, column and index that is missing. Safe to run on an existing database."""
    for name, spec in TABLES.items():
        table = db.table(name)
        if not table.exists():
            table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec.get("foreign_keys", []))
        else:
            for column, column_type in spec["columns"].items():
                if column not in table.columns_dict:
                    table.add_column(column, column_type)
        for columns in spec.get("indexes", []):
            table.create_index(columns, if_not_exists=True)
    from db.search import create_search_indexes

    create_search_indexes(db)

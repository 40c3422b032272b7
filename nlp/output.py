"""The JSON of one analysed document, as `regkb parse` prints it and `regkb extract` writes it (one per line).

It is the decision as the database holds it (nlp/schema.py declares both): ``doc_type``, then every field of the
decision in the schema's order, and its parts nested under their tables' names (``parties``, each with its
``sanctions``; ``citations``; ``mentions``; ``entities``). A document that holds no decision (news, a notice) has the
decision's fields empty and the penalties it reports as ``mentions``.

A document holding several decisions (a register: one per 文号) prints as one object for the whole document: its
parties and total fine across all of them, the authority and region when they share one, ``decision_count``, and
``decisions``, each decision in the shape above (document_json).
"""

from __future__ import annotations

from nlp.records import Analysis, Decision
from nlp.schema import TABLES, Row, Table

_NO_DECISION = Decision(source="", doc_id="", doc_format="")


def _value(field, row: Row):
    value = field.read(row)
    if field.type == "list":
        return list(value or [])
    if field.type == "boolean" and value is not None:
        return bool(value)
    return value


def _objects(table: Table, parent: Row | None, decision: Decision, analysis: Analysis) -> list[dict]:
    out = []
    for row in table.rows(decision, analysis):
        if parent is not None and parent.party_ordinal is not None and row.party_ordinal != parent.party_ordinal:
            continue   # a sanction of another party
        item = {field.name: _value(field, row) for field in table.fields if field.json}
        for child in _children(table.name):
            item[child.name] = _objects(child, row, decision, analysis)
        out.append(item)
    return out


def _children(name: str) -> list[Table]:
    return [table for table in TABLES.values() if table.nested_in == name and table.json]


def to_json(analysis: Analysis) -> dict:
    decision = analysis.decision
    out: dict = {"doc_type": analysis.doc_type}
    decisions = TABLES["decisions"]
    if decision is None:
        out.update({field.name: [] if field.type == "list" else None for field in decisions.fields if field.json})
        out["review"], out["review_notes"] = list(analysis.review.items), list(analysis.review.notes)
    else:
        out.update({field.name: _value(field, Row(decision, analysis)) for field in decisions.fields if field.json})
    for child in _children("decisions"):
        out[child.name] = _objects(child, None, decision or _NO_DECISION, analysis)
    return out


# what a register's decisions may share, shown for the whole document when they all do
_SHARED = ("authority_id", "authority", "authority_level", "regulator", "province", "city", "region_id",
           "decision_date", "publish_date", "year", "title", "source", "doc_format")


def document_json(analyses: list[Analysis]) -> dict:
    """The JSON of one document: its decision's object when it holds one; for a register, the whole document with
    every decision under ``decisions``."""
    if len(analyses) == 1:
        return to_json(analyses[0])
    decisions = [to_json(analysis) for analysis in analyses]
    out: dict = {"doc_type": "penalty", "decision_count": len(decisions), "decision_no": None}
    for key in _SHARED:
        values = {d.get(key) for d in decisions}
        out[key] = decisions[0].get(key) if len(values) == 1 else None
    out["parties"] = [party for d in decisions for party in d["parties"]]
    fines = [d["total_fine_yuan"] for d in decisions if d["total_fine_yuan"] is not None]
    out["total_fine_yuan"] = sum(fines) if fines else None
    out["categories"] = sorted({c for d in decisions for c in d["categories"]})
    out["citations"] = [citation for d in decisions for citation in d["citations"]]
    out["mentions"] = [m for d in decisions for m in d["mentions"]]
    out["review"] = list(dict.fromkeys(item for d in decisions for item in d["review"]))
    out["decisions"] = [{key: value for key, value in d.items() if key not in ("mentions", "entities")}
                        for d in decisions]
    return out

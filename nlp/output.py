"""The JSON shape of one analysed document, as `regkb parse` prints it and `regkb extract` writes it (one per line).

Keys (see the README): doc_type, decision_no, title, authority, authority_name, authority_level, regulator, province,
city, decision_date, publish_date, parties [{name, kind, role, institution_type, parent, legal_entity,
branch_level, legal_representative, sanctions [{type, label, amount_yuan, years, lifetime}], fine_yuan,
confiscated_yuan}], total_fine_yuan, violations, facts, categories, legal_basis [{law, articles}],
legal_basis_text, decision_text, mentions [{authority, target, sanction, label, amount_yuan}], entities [{text,
label, start, end}]; and source, doc_id, decision_id, url, source_url, raw_sha256 to trace it to its bytes.

A document holding several decisions (a register: one per 文号) prints as one object for the whole document:
its parties and total fine across all of them, the authority and region when they share one, and ``decisions``,
each decision in the shape above (document_json).
"""

from __future__ import annotations

import re

from nlp.records import Analysis


def violations(facts: str | None) -> list[str]:
    """The violations a facts text lists: split on 「；」 and on 「一是…二是…」 / 「1.…2.…」 enumerations."""
    if not facts:
        return []
    parts = re.split(r"[；;]|(?=[一二三四五六七八九十]是)|(?<=[。])(?=\d+[.、．])", facts)
    return [part.strip(" 。，,") for part in parts if part.strip(" 。，,")]


def legal_basis(decision) -> list[dict]:
    grouped: dict[str, list[str]] = {}
    for citation in decision.citations:
        articles = grouped.setdefault(citation.law, [])
        if citation.article:
            article = citation.article + (citation.clause or "")
            if article not in articles:
                articles.append(article)
    return [{"law": law, "articles": articles} for law, articles in grouped.items()]


def to_json(analysis: Analysis) -> dict:
    decision = analysis.decision
    out: dict = {"doc_type": analysis.doc_type}
    if decision is not None:
        authority = decision.authority
        out.update({
            "decision_no": decision.decision_no,
            "title": decision.title,
            "authority": authority.canonical if authority else decision.authority_name,
            "authority_name": decision.authority_name,
            "authority_level": authority.level if authority else None,
            "regulator": authority.regulator if authority else None,
            "province": authority.province if authority else None,
            "city": authority.city if authority else None,
            "decision_date": decision.decision_date,
            "publish_date": decision.publish_date,
            "parties": [{
                "name": p.name, "kind": p.kind, "decision_no": decision.decision_no, "role": p.role, "institution_type": p.institution_type,
                "parent": p.parent, "legal_entity": p.legal_entity, "branch_level": p.branch_level,
                "legal_representative": p.legal_representative,
                "sanctions": [{"type": s.type, "label": s.label, "amount_yuan": s.amount_yuan, "years": s.years,
                               "lifetime": s.lifetime} for s in p.sanctions],
                "fine_yuan": p.fine_yuan, "confiscated_yuan": p.confiscated_yuan,
            } for p in decision.parties],
            "total_fine_yuan": decision.total_fine_yuan,
            "violations": violations(decision.facts),
            "facts": decision.facts,
            "categories": decision.categories,
            "subcategories": list(decision.subcategories),
            "legal_basis": legal_basis(decision),
            "legal_basis_text": decision.legal_basis,
            "decision_text": decision.decision_text,
            "source": decision.source, "doc_id": decision.doc_id, "decision_id": decision.decision_id,
            "url": decision.url, "source_url": decision.source_url, "raw_sha256": decision.raw_sha256,
        })
    else:
        out.update({key: None for key in ("decision_no", "authority", "authority_level", "province", "city",
                                          "decision_date", "total_fine_yuan")})
        out.update({"parties": [], "violations": [], "categories": [], "legal_basis": []})
    out["mentions"] = [{"authority": m.authority, "target": m.target, "sanction": m.sanction, "label": m.label,
                        "amount_yuan": m.amount_yuan} for m in analysis.mentions]
    out["entities"] = [{"text": e.text, "label": e.label, "start": e.start, "end": e.end} for e in analysis.entities]
    return out


_SHARED = ("authority", "authority_name", "authority_level", "regulator", "province", "city", "decision_date",
           "publish_date", "title", "source")


def document_json(analyses: list[Analysis]) -> dict:
    """The JSON of one document: its decision's object when it holds one; for a register, the whole document with
    every decision under ``decisions``."""
    if len(analyses) == 1:
        return to_json(analyses[0])
    decisions = [to_json(analysis) for analysis in analyses]
    out: dict = {"doc_type": "penalty", "decision_count": len(decisions),
                 "decision_no": None}
    for key in _SHARED:
        values = {d.get(key) for d in decisions}
        out[key] = decisions[0].get(key) if len(values) == 1 else None
    out["parties"] = [party for d in decisions for party in d["parties"]]
    fines = [d["total_fine_yuan"] for d in decisions if d["total_fine_yuan"] is not None]
    out["total_fine_yuan"] = sum(fines) if fines else None
    out["categories"] = sorted({c for d in decisions for c in d["categories"]})
    out["legal_basis"] = [basis for d in decisions for basis in d["legal_basis"]]
    out["mentions"] = [m for d in decisions for m in d["mentions"]]
    out["decisions"] = [{key: value for key, value in d.items() if key not in ("mentions", "entities")}
                        for d in decisions]
    return out

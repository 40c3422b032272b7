"""Published writ↔article links as a check on regkb's own reading of the same decisions' legal basis.

A source whose reader has ``writ_links(body, *, doc_id)`` publishes, for the decisions it holds as writs, which
articles each applied (the CSRC's NERIS: a writ's 处理依据 links, sources/neris/). regkb reads the same decision from
the regulator's own page and extracts its citations (nlp/fields/legal_basis.py). The build compares the two, each
writ matched to the decision of its 文号 (the 〔年〕号 of both, and the same issuing body where the writ names one),
and keeps every article either side names in ``writ_links``, one row each:

- ``agrees`` 1: the writ links it and regkb cites it;
- ``agrees`` 0: only one side has it (``in_writ``, ``in_decision`` say which): a link regkb did not read is a miss of
  the extraction; an article regkb cites and the writ does not link is often an article the decision says was
  violated (违反《证券法》第七十八条) where the writ links only what the penalty applied;
- ``agrees`` null: no decision of that 文号 is in the base (the writ's articles are kept, nothing compared).

Articles are compared as 条 (a writ links 条, not 款 or 项), laws by the names citations use.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import sqlite_utils

from nlp.records import Unparseable

TABLE = "writ_links"
_NUMBER = re.compile(r"〔\d{4}〕\d+号")


def decisions_by_number(db: sqlite_utils.Database, core: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """(decision_id, authority_id) of the decisions whose 文号 ends with its first 〔年〕号, by that 〔年〕号: read once
    for all the writs of a build, not once per writ (only those of ``core``, when given)."""
    where, params = ("decision_no LIKE ?", [f"%{core}"]) if core else ("decision_no IS NOT NULL", [])
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for decision_id, authority, decision_no in db.execute(
            f"SELECT decision_id, authority_id, decision_no FROM decisions WHERE {where}", params):
        number = _NUMBER.search(decision_no or "")
        if number is not None and decision_no.endswith(number[0]):
            found[number[0]].append((decision_id, authority))
    return found


def decision_of(db: sqlite_utils.Database, number: str | None, issuer: str | None,
                held: dict[str, list[tuple[str, str]]] | None = None) -> str | None:
    """The decision whose 文号 has the writ's 〔年〕号 (and whose authority is the writ's issuer, where it names one);
    None when none is held, or when several are and the issuer cannot tell them apart. ``held``: the decisions by
    〔年〕号 (decisions_by_number), else read for this one."""
    core = _NUMBER.search(number or "")
    if core is None:
        return None
    found = (decisions_by_number(db, core[0]) if held is None else held).get(core[0], [])
    if issuer:
        found = [row for row in found if row[1] == issuer]
    return found[0][0] if len(found) == 1 else None


def compare(linked: list[tuple[str, str | None]], cited: list[tuple[str, str | None]]) -> list[tuple]:
    """(law, article, in_writ, in_decision) of every article either side names, the writ's first, in their order.

        >>> compare([("证券法", "第二百二十一条")], [("证券法", "第七十八条"), ("证券法", "第二百二十一条")])
        [('证券法', '第二百二十一条', 1, 1), ('证券法', '第七十八条', 0, 1)]
    """
    linked_set, cited_set = set(linked), set(cited)
    order = list(dict.fromkeys([*linked, *cited]))
    return [(law, article, int((law, article) in linked_set), int((law, article) in cited_set))
            for law, article in order]


def load_writ_links(db: sqlite_utils.Database) -> dict[str, int]:
    """Fill ``writ_links`` from every writ page the build loaded (``raw_documents``: the body as stored, read here
    rather than from the archive again, the newest of each document first), of the sources that publish them;
    counts of agreeing and disagreeing rows, and of writs without their decision in the base."""
    from pipeline.extract import source_named

    readers = {}
    for (source,) in db.execute("SELECT DISTINCT source FROM raw_documents").fetchall():
        try:
            reader = source_named(source).reader
        except KeyError:   # an archive's source no longer registered
            continue
        if hasattr(reader, "writ_links"):
            readers[source] = reader
    counts: Counter[str] = Counter()
    rows = []
    seen: set[tuple[str, str]] = set()
    held = decisions_by_number(db) if readers else {}
    for source, reader in readers.items():
        for doc_id, body in db.execute(
                "SELECT doc_id, body FROM raw_documents WHERE source = ? AND body IS NOT NULL AND doc_id IS NOT NULL"
                " ORDER BY fetched_at DESC", [source]).fetchall():
            if (source, doc_id) in seen:
                continue
            try:
                writ = reader.writ_links(body.encode("utf-8"), doc_id=str(doc_id))
            except (Unparseable, ValueError):   # a page the reader refuses is quarantined by the build's reading
                continue
            if writ is None:
                continue
            seen.add((source, doc_id))
            rows += _rows(db, f"{source}:{doc_id}", writ, held, counts)
    if rows:
        db.table(TABLE).insert_all(rows, pk="writ_link_id", replace=True)
    return dict(counts)


def _rows(db: sqlite_utils.Database, writ_id: str, writ, held: dict, counts: Counter) -> list[dict]:
    decision_id = decision_of(db, writ.document_no, writ.issuer, held)
    linked = list(dict.fromkeys((link.law, link.article) for link in writ.links))
    cited = [] if decision_id is None else list(dict.fromkeys(db.execute(
        "SELECT law, article FROM citations WHERE decision_id = ? ORDER BY rowid", [decision_id])))
    if decision_id is None:
        counts["writs_without_decision"] += 1
    rows = []
    for n, (law, article, in_writ, in_decision) in enumerate(compare(linked, cited), start=1):
        agrees = None if decision_id is None else int(in_writ and in_decision)
        counts[{None: "unmatched", 1: "agree", 0: "disagree"}[agrees]] += 1
        rows.append({"writ_link_id": f"{writ_id}/{n}", "writ_id": writ_id, "writ_name": writ.name,
                     "document_no": writ.document_no, "issuer": writ.issuer, "writ_date": writ.date,
                     "decision_id": decision_id, "law": law, "article": article, "in_writ": in_writ,
                     "in_decision": in_decision, "agrees": agrees})
    return rows

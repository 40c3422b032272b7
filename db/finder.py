"""The home page's search, as SQL over the decisions table and its index: what a researcher asks, the page of cards
it answers with, and what to suggest when nothing matches.

One ``Search`` holds what the form says (words, a 文号, a party, an authority, a region, a category, a kind of
sanction, a date range, a fine range in 万元, a regulator, a document form, a sort and a page). ``search_sql`` turns
it into one query: the words and the 文号, party, authority and region fields become one FTS5 expression (each field
searched in its own columns, so 「银罚决字[2026]112号」 finds 银罚决字〔2026〕112号 and 四川 finds 四川省), the rest
plain conditions. Pages are ordered with the decision id as the last key, so the same page always holds the same
decisions and following 下一页 reaches every one. The count stops at ``COUNT_CAP`` (a million decisions match 罚 and
no one pages through them): the page says 10,000+.

Everything here is read-only SQL with named parameters; the values a person typed are never put into the SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from db.search import MATCHES_COUNTED, fts_query, highlight_pattern, query_terms
from nlp.text import folded_spans

PAGE_SIZE = 20
COUNT_CAP = MATCHES_COUNTED
SORTS = {
    "relevance": "相关度",
    "date": "日期（新→旧）",
    "date_asc": "日期（旧→新）",
    "fine": "罚款（多→少）",
}
# the index's columns each form field searches (db/shape.py SEARCH_INDEXES)
FIELD_COLUMNS = {
    "no": ["decision_no", "title"],
    "party": ["party_names"],
    "authority": ["authority"],
    "region": ["province", "city", "authority"],
}
WEIGHTS = "5.0, 5.0, 2.0, 1.0, 1.0, 5.0, 2.0, 2.0, 2.0, 2.0, 1.0"   # as the ranked-search canned query
SNIPPET_FIELDS = ("facts", "decision_text", "legal_basis", "title", "party_names")
SNIPPET_CHARS = 120


@dataclass
class Search:
    """What the form asks; every field optional (an empty one asks nothing)."""

    q: str = ""
    no: str = ""
    party: str = ""
    authority: str = ""
    region: str = ""
    category: str = ""
    sanction: str = ""
    date_from: str = ""
    date_to: str = ""
    fine_min: str = ""     # 万元
    fine_max: str = ""
    regulator: str = ""
    doc_format: str = ""
    kind: str = ""         # penalty | measure | commitment | review (nlp/records.py KINDS)
    sort: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "Search":
        values = {}
        for field in fields(cls):
            raw = (args.get(field.name) or "").strip()
            if field.name == "page":
                values["page"] = max(1, min(int(raw) if raw.isdigit() else 1, COUNT_CAP // PAGE_SIZE))
            else:
                values[field.name] = raw[:200]
        return cls(**values)

    @property
    def order(self) -> str:
        """The sort in effect: relevance only when there are words to rank by; by date otherwise."""
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "date"

    @property
    def asks(self) -> bool:
        return any(getattr(self, field.name) for field in fields(self) if field.name not in ("sort", "page"))

    def args(self, **changes) -> dict:
        """The form's values as URL parameters (empty ones left out), with ``changes``."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None) and
                not (key == "page" and value == 1)}


def match_expression(search: Search) -> str | None:
    """The FTS5 expression for the words and the text fields, or None when none is filled in."""
    parts = []
    if search.q and query_terms(search.q):
        parts.append(f"({fts_query(search.q)})")
    for name, columns in FIELD_COLUMNS.items():
        value = getattr(search, name)
        if value and query_terms(value):
            parts.append("{%s} : (%s)" % (" ".join(columns), fts_query(value)))
    if (search.q or any(getattr(search, name) for name in FIELD_COLUMNS)) and not parts:
        return '""'   # only punctuation was typed: nothing can match it
    return " AND ".join(parts) if parts else None


def _yuan_of_wan(wan: str) -> float | None:
    try:
        return float(wan) * 10_000
    except ValueError:
        return None


def search_sql(search: Search, date_ordered: bool = False, floor: int | None = None) -> tuple[str, str, dict]:
    """(the page's SQL, the capped count's SQL, their parameters). ``date_ordered``: the database stores its decisions
    in date order (db/shape.py store_in_date_order), so newest first is the index's own order, read from its end,
    with nothing to sort: the same order as ``date desc, decision_id`` on any other database. ``floor``: only the
    decisions stored from this rowid on (floor_sql: the newest COUNT_CAP matches), which is what relevance ranks when
    more match: ranking a million matches to show twenty takes seconds."""
    params: dict = {}
    where = []
    match = match_expression(search)
    if match is not None:
        params["match"] = match
        source = "decisions_fts join decisions d on d.rowid = decisions_fts.rowid"
        where.append("decisions_fts match :match")
        rank, rowid = f"bm25(decisions_fts, {WEIGHTS})", "decisions_fts.rowid"
    else:
        source, rank, rowid = "decisions d", "0", "d.rowid"
    if floor is not None:
        params["floor"] = floor
        where.append(f"{rowid} >= :floor")
    if search.category:
        params["category"] = search.category
        where.append("exists (select 1 from decision_categories c where c.decision_id = d.decision_id"
                     " and c.category = :category)")
    if search.sanction:
        params["sanction"] = search.sanction
        where.append("exists (select 1 from sanctions s where s.decision_id = d.decision_id and s.label = :sanction)")
    if search.date_from:
        params["date_from"] = search.date_from
        where.append("d.date >= :date_from")
    if search.date_to:
        params["date_to"] = search.date_to + "\uffff"   # the whole last day, whatever follows the date
        where.append("d.date <= :date_to")
    for name, op in (("fine_min", ">="), ("fine_max", "<=")):
        amount = _yuan_of_wan(getattr(search, name))
        if amount is not None:
            params[name] = amount
            where.append(f"d.total_fine_yuan {op} :{name}")
    if search.regulator:
        params["regulator"] = search.regulator
        where.append("d.regulator = :regulator")
    if search.doc_format:
        params["doc_format"] = search.doc_format
        where.append("d.doc_format = :doc_format")
    if search.kind:
        params["kind"] = search.kind
        where.append("d.kind = :kind")
    clause = (" where " + " and ".join(where)) if where else ""
    newest, oldest = (f"{rowid} desc", f"{rowid}") if date_ordered else \
        ("d.date is null, d.date desc, d.decision_id", "d.date is null, d.date, d.decision_id desc")
    order = {
        "relevance": f"{rank}, {newest}",
        "date": newest,
        "date_asc": oldest,
        "fine": f"d.total_fine_yuan is null, d.total_fine_yuan desc, {newest}",
    }[search.order]
    params["limit"] = PAGE_SIZE
    params["offset"] = (search.page - 1) * PAGE_SIZE
    page = (f"select d.decision_id, d.heading, d.title, d.decision_no, d.authority, d.province, d.city, d.date,"
            f" d.date_basis, d.total_fine_yuan, d.total_penalty_yuan, d.categories, d.sanction_types,"
            f" d.party_names, d.facts, d.decision_text, d.legal_basis, d.regulator, d.doc_format, d.authority_id,"
            f" d.kind"
            f" from {source}{clause} order by {order} limit :limit offset :offset")
    count = f"select count(*) from (select 1 from {source}{clause} limit {COUNT_CAP + 1})"
    return page, count, params


def floor_sql(search: Search) -> tuple[str, dict]:
    """On a date-ordered database, the rowid of the COUNT_CAP-th newest decision the search matches (what
    ``search_sql(…, floor=…)`` ranks from)."""
    page, _, params = search_sql(search, date_ordered=True)
    rowid = "decisions_fts.rowid" if "match" in params else "d.rowid"
    head, _, _ = page.partition(" order by ")
    source = head[head.index(" from "):]
    params = {key: value for key, value in params.items() if key not in ("limit", "offset")}
    return f"select {rowid}{source} order by {rowid} desc limit 1 offset {COUNT_CAP - 1}", params


def snippet(row: dict, query: str) -> list[tuple[str, bool]]:
    """A few dozen characters of the decision around the first place the words occur, as (text, is a match) pieces
    for the template to mark; the opening of the facts when there are no words or they matched only elsewhere."""
    pattern = highlight_pattern(query) if query else None
    for field in SNIPPET_FIELDS:
        text = row.get(field) or ""
        if not text or pattern is None:
            continue
        folded, back = folded_spans(text)
        hits = [back(*match.span()) for match in pattern.finditer(folded) if match.end() > match.start()]
        if not hits:
            continue
        first = hits[0][0]
        start = max(0, first - SNIPPET_CHARS // 3)
        end = min(len(text), start + SNIPPET_CHARS)
        pieces, at = [], start
        for hit_start, hit_end in hits:
            if hit_end <= start or hit_start >= end:
                continue
            hit_start, hit_end = max(hit_start, at), min(hit_end, end)
            if hit_start > at:
                pieces.append((text[at:hit_start], False))
            pieces.append((text[hit_start:hit_end], True))
            at = hit_end
        pieces.append((text[at:end], False))
        if start > 0:
            pieces.insert(0, ("…", False))
        if end < len(text):
            pieces.append(("…", False))
        return [(piece, marked) for piece, marked in pieces if piece]
    opening = next((row.get(field) for field in SNIPPET_FIELDS if row.get(field)), "") or ""
    return [(opening[:SNIPPET_CHARS] + ("…" if len(opening) > SNIPPET_CHARS else ""), False)] if opening else []


_NUMBER_PARTS = re.compile(r"(\d{4})\D+(\d+)")


def near_numbers_sql(text: str) -> tuple[str, dict] | None:
    """SQL for the 文号 of the same year and number as ``text`` (「银罚字〔2026〕112号」 → 银罚决字〔2026〕112号), or
    None when ``text`` does not look like a 文号."""
    match = _NUMBER_PARTS.search(text or "")
    if not match or "号" not in text:
        return None
    year, number = match.groups()
    return ("select decision_id, decision_no, heading from decisions where decision_no like :pattern"
            " order by date desc limit 5", {"pattern": f"%{year}%{number}号%"})

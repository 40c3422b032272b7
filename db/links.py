"""Citations linked to the texts the base holds: each row of ``citations`` to its law (``text_id``) and to the words of
the article in force on the decision's date (``article_id``), with ``link`` saying how far it resolved:

- ``linked``: the law is held and its version in force on that date has the article;
- ``law_only``: the law is held, the decision cites no article of it;
- ``article_missing``: the law is held and its version in force on that date has no such article (第一百八十条 of a
  law of 52 articles): a misprint in the decision or in its reading, flagged for review (nlp/review.py);
- ``version_missing``: the law is held, but not in a version in force on that date (a 2005 decision under the
  银行业监督管理法 the base holds as amended in 2006): ``article_id`` is that article in the earliest version held
  after the date, the nearest words the base has, shown as such, never as the words the decision applied (null when
  that version has no such article: whether the decision's version had it cannot be told);
- ``law_unknown``: the base holds no text of that name: flagged for review.

Names match as citations are written: both are the full names nlp/fields/legal_basis.py resolves (《银行业监督管理法》
= 中华人民共和国银行业监督管理法). A base that holds no texts at all links nothing (``link`` stays null): every citation
would be ``law_unknown``, which says nothing about a decision.

Several texts of one name are the versions of one law: each is in force until the next one's effective date
(``settle_versions``), the older marked 已修订.
"""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils

from nlp.review import ARTICLE_MISSING, LAW_UNKNOWN
from nlp.texts.articles import number_of

LINKED, LAW_ONLY, ARTICLE_MISSING_LINK, VERSION_MISSING, LAW_UNKNOWN_LINK = (
    "linked", "law_only", "article_missing", "version_missing", "law_unknown")


def settle_versions(db: sqlite_utils.Database) -> None:
    """Texts of one name, by effective date: each older one in force until the next, and 已修订. Two texts of one
    name and one date are the same version published twice: both stay in force."""
    by_name: dict[str, list[tuple]] = defaultdict(list)
    for text_id, name, effective, status in db.execute(
            "SELECT text_id, name, effective_date, status FROM texts WHERE article_count > 0"):
        by_name[name].append((effective or "", text_id, status))
    for texts in by_name.values():
        texts.sort()
        for (older_effective, older, _), (effective, _, _) in zip(texts, texts[1:]):
            # the same text served by two regulators (反洗钱法 by the NFRA and the PBOC) is no newer version
            if not effective or effective <= older_effective:
                continue
            db.execute("UPDATE texts SET status = '已修订' WHERE text_id = ? AND status = '现行有效'", [older])
            db.execute("UPDATE articles SET effective_to = ? WHERE text_id = ? AND effective_to IS NULL",
                       [effective, older])


class _Articles:
    """The articles held, by law name, grouped by the text version they belong to: (effective_from, effective_to,
    text_id, {number: article_id}) each, so that a citation is resolved by a look-up, not a scan of every article."""

    def __init__(self, db: sqlite_utils.Database):
        grouped: dict[tuple, dict[int, str]] = defaultdict(dict)
        for name, number, start, end, article_id, text_id in db.execute(
                "SELECT name, number, effective_from, effective_to, article_id, text_id FROM articles"):
            grouped[(name, start, end, text_id)][number] = article_id
        self.versions: dict[str, list[tuple]] = defaultdict(list)
        for (name, start, end, text_id), numbers in grouped.items():
            self.versions[name].append((start, end, text_id, numbers))
        for versions in self.versions.values():
            versions.sort(key=lambda version: version[0] or "")
        self.texts: dict[str, str] = {}
        for text_id, name in db.execute("SELECT text_id, name FROM texts ORDER BY effective_date"):
            self.texts[name] = text_id   # the newest of a name last

    def version(self, law: str, on: str | None) -> tuple[tuple | None, bool]:
        """The version of ``law`` in force on ``on`` and True; else False with the nearest: the earliest held after
        the date (a decision older than every version held), or the last before it (a law repealed since)."""
        versions = self.versions.get(law, [])
        for version in versions:
            if in_force(version[0], version[1], on):
                return version, True
        later = [version for version in versions if on is not None and version[0] and version[0] > on]
        return (later[0] if later else versions[-1] if versions else None), False

    def resolve(self, law: str, article: str | None, on: str | None) -> tuple[str, str | None, str | None]:
        """(link, text_id, article_id) of a citation of ``law`` ``article`` on the date ``on``."""
        if law not in self.texts:
            return LAW_UNKNOWN_LINK, None, None
        if not article:
            return LAW_ONLY, self.texts[law], None
        version, current = self.version(law, on)
        if version is None:
            return ARTICLE_MISSING_LINK, self.texts[law], None   # a text of that name without articles (a notice)
        try:
            number = number_of(article)
        except ValueError:   # not an article number regkb can read: the citation as written is kept
            return ARTICLE_MISSING_LINK, version[2], None
        article_id = version[3].get(number)
        if not current:
            return VERSION_MISSING, version[2], article_id
        return (LINKED if article_id else ARTICLE_MISSING_LINK), version[2], article_id


def version_on(spans: list[tuple], on: str | None) -> list[tuple]:
    """The spans (number, effective_from, effective_to, …) of the version in force on ``on`` (today's when ``on`` is
    None); else, as ``_Articles.version``, the earliest version held after the date, or the last before it."""
    held = [span for span in spans if in_force(span[1], span[2], on)]
    if held:
        return held
    starts = sorted({span[1] or "" for span in spans})
    later = [start for start in starts if on is not None and start > on]
    nearest = later[0] if later else (starts[-1] if starts else None)
    return [span for span in spans if (span[1] or "") == nearest]


def in_force(start: str | None, end: str | None, on: str | None) -> bool:
    """Whether a version in force from ``start`` until ``end`` (either None: open) is in force on ``on`` (a date
    as text; None: today, when only a version without an end is)."""
    if on is None:
        return end is None
    return (start is None or start <= on) and (end is None or on < end)


def link_citations(db: sqlite_utils.Database) -> dict[str, int]:
    """Fill ``text_id``, ``article_id`` and ``link`` of every citation and of every text's named law
    (``text_citations``), and add the flags to the decisions' review lists. Returns the count of each link."""
    if not db.execute("SELECT 1 FROM texts LIMIT 1").fetchone():
        return {}
    settle_versions(db)
    held = _Articles(db)
    counts: dict[str, int] = defaultdict(int)
    flags: dict[str, list[tuple[str, str]]] = defaultdict(list)
    rows = db.execute("SELECT c.citation_id, c.decision_id, c.law, c.article, coalesce(c.decision_date, d.date) "
                      "FROM citations c LEFT JOIN decisions d ON d.decision_id = c.decision_id").fetchall()
    updates = []
    for citation_id, decision_id, law, article, on in rows:
        link, text_id, article_id = held.resolve(law, article, on)
        counts[link] += 1
        updates.append((link, text_id, article_id, citation_id))
        if link == ARTICLE_MISSING_LINK:
            flags[decision_id].append((ARTICLE_MISSING, f"《{law}》{article}"))
        elif link == LAW_UNKNOWN_LINK:
            flags[decision_id].append((LAW_UNKNOWN, f"《{law}》"))
    db.conn.executemany("UPDATE citations SET link = ?, text_id = ?, article_id = ? WHERE citation_id = ?", updates)
    for decision_id, items in flags.items():
        _flag(db, decision_id, items)
    for text_citation_id, law, article, on in db.execute(
            "SELECT tc.text_citation_id, tc.law, tc.article, t.effective_date FROM text_citations tc "
            "JOIN texts t ON t.text_id = tc.text_id").fetchall():
        link, text_id, article_id = held.resolve(law, article, on)
        db.execute("UPDATE text_citations SET text_id_cited = ?, article_id = ? WHERE text_citation_id = ?",
                   [text_id, article_id, text_citation_id])
    return dict(counts)


def _flag(db: sqlite_utils.Database, decision_id: str, items: list[tuple[str, str]]) -> None:
    """The decision's review list and notes with the citations that did not resolve (each once)."""
    row = db.execute("SELECT review, review_notes FROM decisions WHERE decision_id = ?", [decision_id]).fetchone()
    if row is None:
        return
    review, notes = json.loads(row[0] or "[]"), json.loads(row[1] or "[]")
    for reason, detail in items:
        if reason not in review:
            review.append(reason)
        note = f"{reason}：{detail}"
        if note not in notes:
            notes.append(note)
    db.execute("UPDATE decisions SET review = ?, review_notes = ? WHERE decision_id = ?",
               [json.dumps(review, ensure_ascii=False), json.dumps(notes, ensure_ascii=False), decision_id])


def text_named(connection, law: str) -> dict | None:
    """The newest text held under any name ``law`` is cited by (《银行业监督管理法》, 中华人民共和国银行业监督管理法), as
    a dict of its texts row, or None."""
    from db.precedents import law_variants

    names = law_variants(law)
    cursor = connection.execute(
        f"SELECT * FROM texts WHERE name IN ({','.join('?' * len(names))})"
        " ORDER BY article_count > 0 DESC, effective_date DESC LIMIT 1", names)
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row)) if row else None


def article_on(connection, law: str, number: int, on: str | None = None) -> dict | None:
    """The articles row of ``law``'s article ``number`` in the version in force on ``on`` (now when None; for a date
    before every version held, the earliest held), or None when the base holds no such article then."""
    text = text_named(connection, law)
    if text is None:
        return None
    cursor = connection.execute("SELECT number, effective_from, effective_to, article_id, text_id FROM articles"
                                " WHERE name = ?", [text["name"]])
    spans = [span for span in version_on(cursor.fetchall(), on) if span[0] == number]
    if not spans:
        return None
    cursor = connection.execute("SELECT * FROM articles WHERE article_id = ?", [spans[0][3]])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone()))

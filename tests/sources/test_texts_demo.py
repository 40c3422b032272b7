"""`regkb demo` crawls the regulatory-text sources from the mirror with their real spiders, and the demo database
holds every text of their corpora with its kind and its articles (tests/expected.py, read from the texts)."""

from __future__ import annotations

import sqlite3

from tests.expected import DEMO_ARTICLES, DEMO_TEXT_DOCUMENTS, DEMO_TEXTS

SOURCES = ", ".join("?" * len(DEMO_TEXT_DOCUMENTS))   # one placeholder for each texts source


def test_every_demo_text_is_in_the_database_with_its_articles(demo_db):
    db = sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)
    rows = {row[:2]: row[2:] for row in db.execute(
        f"SELECT source, doc_id, kind, name, article_count FROM texts WHERE source IN ({SOURCES})",
        list(DEMO_TEXT_DOCUMENTS))}
    assert rows == {(source, doc_id): (kind, name, articles) for source, doc_id, kind, name, articles in DEMO_TEXTS}
    counted = db.execute(f"SELECT count(*) FROM articles JOIN texts USING (text_id) WHERE texts.source IN ({SOURCES})",
                         list(DEMO_TEXT_DOCUMENTS)).fetchone()[0]
    assert counted == DEMO_ARTICLES


def test_the_article_a_penalty_cites_is_the_law_s(demo_db):
    db = sqlite3.connect(f"file:{demo_db}?mode=ro", uri=True)
    (text,) = db.execute("SELECT text FROM articles WHERE article_id = 'nfra_texts:879932/46'").fetchone()
    assert text.startswith("银行业金融机构有下列情形之一，由国务院银行业监督管理机构责令改正，并处二十万元以上五十万元以下罚款")

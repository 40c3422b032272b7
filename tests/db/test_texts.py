"""Regulatory texts in the database and the citations linked to them: a small build of real NFRA penalty documents
(sources/nfra/demo/) with the four laws of ../shared/corpus/laws/ (copied: tests/fixtures/real/laws/) read as texts (nlp.texts.read_text, until the text
sources' own demo corpus feeds a build), then the tables, the links, the review flags, the search, ``kb.article``,
``kb.law`` and the precedent export. Expected values were read by hand from the law texts and the decisions."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from db.build import build
from db.links import link_citations
from db.load import load_decision, load_text
from db.search import fts_query
from db.shape import ensure_shape
from nlp.records import Citation, Decision, Reading
from nlp.texts import read_text
from pipeline import extract
from regkb.export import precedent_table, write_docx
from regkb.kb import Filters, KnowledgeBase, NotFound
from tests.conftest import REAL, demo_corpus
from tests.db.test_build import archive_with

LAWS = {"879932": "中华人民共和国银行业监督管理法", "879929": "中华人民共和国商业银行法",
        "879931": "中华人民共和国保险法", "1199538": "中华人民共和国反洗钱法"}
BANKING = "中华人民共和国银行业监督管理法"


def law_text(doc_id: str):
    record = json.loads((REAL / "laws" / f"NFRA-{doc_id}.json").read_text(encoding="utf-8"))
    return read_text(record["text"].split("\n"), source="nfra_texts", doc_id=doc_id, kind="law",
                     title=record["title"], url=record["url"], document_no=record["document_no"],
                     publish_date=record["date"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """nfra:9000003 (2016-03-23, 《银行业监督管理法》第四十六条), and the same real document with its article written
    as 第一百八十条 (an article the 52-article law has not: assembled, the one change), and the four laws."""
    tmp_path = tmp_path_factory.mktemp("texts")
    documents = demo_corpus("nfra") / "documents"
    real = (documents / "9000003.json").read_bytes()
    misprint = real.decode("utf-8").replace("第四十六条", "第一百八十条").encode("utf-8")
    assert misprint != real
    bodies = {"9000003": real, "9000103": misprint, "9000005": (documents / "9000005.json").read_bytes()}
    bodies.update({f"law-{doc_id}": doc_id.encode() for doc_id in LAWS})
    archive_with(tmp_path, bodies).close()
    original = extract.read_document

    def reading(source, body, where):
        # the laws reach the build as a text source's reader would give them
        if where["doc_id"].startswith("law-"):
            return Reading(texts=[law_text(body.decode())])
        return original(source, body, where)

    patch = pytest.MonkeyPatch()
    patch.setattr(extract, "read_document", reading)
    try:
        build(tmp_path / "archive", tmp_path / "regkb.db", isolated=False)
    finally:
        patch.undo()
    return tmp_path / "regkb.db"


@pytest.fixture(scope="module")
def db(built):
    connection = sqlite3.connect(built)
    yield connection
    connection.close()


def one(db, sql, *params):
    return db.execute(sql, params).fetchone()


def test_the_four_laws_are_texts_with_their_articles(db):
    assert dict(db.execute("select name, article_count from texts")) == {
        BANKING: 52, "中华人民共和国商业银行法": 95, "中华人民共和国保险法": 185, "中华人民共和国反洗钱法": 65}
    assert one(db, "select status, effective_date, kind from texts where name = ?", BANKING) == \
        ("现行有效", "2006-10-31", "law")
    assert one(db, "select count(*) from articles") == (52 + 95 + 185 + 65,)


def test_an_article_row_has_its_chapter_words_and_span(db):
    row = one(db, "select article_id, article, chapter, effective_from, effective_to, substr(text, 1, 14)"
                  " from articles where name = ? and number = 46", BANKING)
    assert row == ("nfra_texts:879932/46", "第四十六条", "第五章 法律责任", "2006-10-31", None, "银行业金融机构有下列情形之一")


def test_clauses_and_items_are_addressable(db):
    assert one(db, "select label, text from clauses where clause_id = 'nfra_texts:879932/46/1/5'") == \
        ("第一款第五项", "（五）严重违反审慎经营规则的；")
    assert one(db, "select count(*) from clauses where article_id = 'nfra_texts:879932/2'") == (4,)   # 四款


def test_versions_are_rows_with_their_spans(db):
    rows = db.execute("select version_id, label, date, effective_from, effective_to from text_versions"
                      " where name = ? order by ordinal", [BANKING]).fetchall()
    # passed 2003-12-27, in force from the day its 第五十二条 says: 「本法自2004年2月1日起施行」
    assert rows == [("nfra_texts:879932/1", "通过", "2003-12-27", "2004-02-01", "2006-10-31"),
                    ("nfra_texts:879932/2", "修正", "2006-10-31", "2006-10-31", None)]


def test_a_citation_of_article_46_is_linked_to_the_article_in_force(db):
    assert one(db, "select link, text_id, article_id from citations where decision_id = 'nfra:9000003'") == \
        ("linked", "nfra_texts:879932", "nfra_texts:879932/46")


def test_a_citation_beyond_the_last_article_is_flagged_for_review(db):
    assert one(db, "select article, link, text_id, article_id from citations where decision_id = 'nfra:9000103'") \
        == ("第一百八十条", "article_missing", "nfra_texts:879932", None)
    review, notes = one(db, "select review, review_notes from decisions where decision_id = 'nfra:9000103'")
    assert "引用条文不存在" in json.loads(review)
    assert f"引用条文不存在：《{BANKING}》第一百八十条" in json.loads(notes)
    assert "引用条文不存在" not in json.loads(one(db, "select review from decisions where decision_id = 'nfra:9000003'")[0])


def test_a_law_the_base_does_not_hold_is_flagged_and_not_linked(db):
    # nfra:9000005 cites 《中国银行业监督管理委员会行政处罚办法》第十五条 besides 第四十六条
    rows = dict(db.execute("select law, link from citations where decision_id = 'nfra:9000005'"))
    assert rows == {BANKING: "linked", "中国银行业监督管理委员会行政处罚办法": "law_unknown"}
    assert "引用法规未收录" in json.loads(one(db, "select review from decisions where decision_id = 'nfra:9000005'")[0])


def test_a_decision_older_than_the_version_held_gets_the_nearest_words_said_so():
    # a 2005 decision under the law as amended 2006-10-31, the only version held: not the words it applied
    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    load_text(db, law_text("879932"))
    load_decision(db, Decision(source="t", doc_id="1", doc_format="table", decision_date="2005-01-13",
                               citations=[Citation(BANKING, "第四十六条"), Citation(BANKING)]))
    assert link_citations(db) == {"version_missing": 1, "law_only": 1}
    assert db.execute("select article_id from citations where article is not null").fetchone()[0] == \
        "nfra_texts:879932/46"
    assert db.execute("select review from decisions").fetchone()[0] == "[]"   # the base's gap, not the decision's


def test_a_newer_text_of_the_same_name_closes_the_older(tmp_path):
    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    old = law_text("879932")
    new = law_text("879932")
    new.doc_id, new.effective_date = "later", "2030-01-01"
    load_text(db, old)
    load_text(db, new)
    load_decision(db, Decision(source="t", doc_id="1", doc_format="table", decision_date="2019-01-01",
                               citations=[Citation(BANKING, "第四十六条")]))
    load_decision(db, Decision(source="t", doc_id="2", doc_format="table", decision_date="2031-01-01",
                               citations=[Citation(BANKING, "第四十六条")]))
    link_citations(db)
    assert dict(db.execute("select decision_id, article_id from citations").fetchall()) == {
        "t:1": "nfra_texts:879932/46", "t:2": "nfra_texts:later/46"}
    assert db.execute("select status from texts where text_id = 'nfra_texts:879932'").fetchone()[0] == "已修订"


def test_a_base_without_texts_links_nothing():
    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    load_decision(db, Decision(source="t", doc_id="1", doc_format="table", citations=[Citation(BANKING, "第一条")]))
    assert link_citations(db) == {}
    assert db.execute("select link, review from citations join decisions using (decision_id)").fetchone() == (None, "[]")


def test_loading_a_text_twice_changes_nothing():
    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    for _ in range(2):
        load_text(db, law_text("879932"))
    assert db.execute("select count(*) from articles").fetchone()[0] == 52
    assert db.execute("select count(*) from text_versions").fetchone()[0] == 2


# --- search: exact like LIKE --------------------------------------------------------------------------------------

QUERIES = ["罚", "款", "罚款", "审慎经营", "银行业", "第四十六条", "2006", "保险 罚款", "洗钱", "貸款", "商业银行法",
           "量子计算"]


@pytest.mark.parametrize("query", QUERIES)
def test_text_search_finds_what_like_finds(db, query):
    from db.search import query_terms

    found = {row[0] for row in db.execute(
        "select t.text_id from texts_fts join texts t on t.rowid = texts_fts.rowid where texts_fts match ?",
        [fts_query(query)])}
    clauses, params = [], []
    for forms in query_terms(query):
        alternatives = " or ".join("(title like ? or name like ? or document_no like ? or body like ?)" for _ in forms)
        clauses.append(f"({alternatives})")
        params += [f"%{form}%" for form in forms for _ in range(4)]
    expected = {row[0] for row in db.execute(f"select text_id from texts where {' and '.join(clauses)}", params)}
    assert found == expected, query


# --- Python API and export ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("article", [46, "46", "第46条", "第四十六条"])
def test_kb_article_in_any_form_and_by_short_name(built, article):
    with KnowledgeBase(built) as kb:
        found = kb.article("银行业监督管理法", article, on="2016-03-23")
    assert (found.law, found.article, found.chapter) == (BANKING, "第四十六条", "第五章 法律责任")
    assert found.items["第一款第五项"] == "（五）严重违反审慎经营规则的；" and len(found.clauses) == 1
    assert found.version == "2006-10-31 修正" and found.in_force_on_date


def test_kb_article_before_every_version_held_says_so(built):
    with KnowledgeBase(built) as kb:
        found = kb.article("中华人民共和国反洗钱法", 1, on="2020-01-01")   # the base holds the 2024 revision only
    assert not found.in_force_on_date and found.effective_from == "2025-01-01"


def test_kb_article_missing_says_how_far_the_law_goes(built):
    with KnowledgeBase(built) as kb, pytest.raises(NotFound, match="第五十二条"):
        kb.article("银行业监督管理法", 180)


def test_kb_law_has_its_articles_by_chapter_and_its_versions(built):
    with KnowledgeBase(built) as kb:
        law = kb.law("《保险法》")
    assert law.name == "中华人民共和国保险法" and len(law.articles) == 185
    assert law.articles.chapter.iloc[9] == "第二章 保险合同 第一节 一般规定"
    assert law.versions.label.tolist() == ["通过", "修正", "修订", "修正", "修正"]


def test_the_precedent_export_heads_with_the_article_text(built, tmp_path):
    from docx import Document

    with KnowledgeBase(built) as kb:
        table = precedent_table(kb, Filters(law="银行业监督管理法", article="46"))
    assert table.article is not None and table.article.article == "第四十六条"
    labels = dict(table.summary_lines())
    assert labels["条文"] == f"《{BANKING}》第四十六条（第五章 法律责任；自2006-10-31起施行的文本）"
    write_docx(table, tmp_path / "p.docx")
    paragraphs = [p.text for p in Document(tmp_path / "p.docx").paragraphs]
    assert paragraphs.index(labels["条文"]) < paragraphs.index("（五）严重违反审慎经营规则的；") < \
        paragraphs.index("决定一览")


def test_the_laws_a_text_names_are_linked_where_the_base_holds_them():
    from tests.nlp.test_texts import csrc_rule

    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    load_text(db, law_text("879932"))
    rule = csrc_rule(3)   # 「根据《中华人民共和国证券法》（以下简称《证券法》）、《中华人民共和国公司法》…」: neither held
    rule.named.append((BANKING, "第四十六条"))   # and one the base holds, added here
    load_text(db, rule)
    link_citations(db)
    rows = {law: (article, cited, article_id) for law, article, cited, article_id in db.execute(
        "select law, article, text_id_cited, article_id from text_citations where text_id = 'csrc_texts:3'")}
    assert rows["中华人民共和国证券法"] == (None, None, None)
    assert rows[BANKING] == ("第四十六条", "nfra_texts:879932", "nfra_texts:879932/46")


def test_the_same_law_from_two_regulators_is_not_a_revision():
    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    nfra, pboc = law_text("1199538"), law_text("1199538")
    pboc.source = "pboc_texts"
    load_text(db, nfra)
    load_text(db, pboc)
    load_decision(db, Decision(source="t", doc_id="1", doc_format="table", decision_date="2025-06-01",
                               citations=[Citation("中华人民共和国反洗钱法", "第五十三条")]))
    link_citations(db)
    assert {row[0] for row in db.execute("select status from texts")} == {"现行有效"}
    assert db.execute("select link from citations").fetchone()[0] == "linked"


def test_a_rule_with_full_width_brackets_in_its_name_is_found_as_citations_write_it():
    from nlp.fields.legal_basis import read_citations
    from tests.nlp.test_texts import csrc_rule

    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    load_text(db, csrc_rule(3))   # 北京证券交易所上市公司持续监管办法（试行）, 33 articles
    citations = read_citations("《北京证券交易所上市公司持续监管办法（试行）》第十条、第四十条")
    load_decision(db, Decision(source="t", doc_id="1", doc_format="fulltext", decision_date="2023-01-01",
                               citations=citations))
    assert link_citations(db) == {"linked": 1, "article_missing": 1}


def test_a_repealed_text_is_no_longer_in_force():
    from nlp.records import TextVersion

    db = sqlite_utils.Database(memory=True)
    ensure_shape(db)
    banking = law_text("879932")
    banking.versions.append(TextVersion("废止", "2030-01-01", "2030年1月1日废止"))   # assembled: the law is in force
    load_text(db, banking)
    assert db.execute("select status from texts").fetchone()[0] == "已废止"
    assert db.execute("select effective_to from articles where number = 46").fetchone()[0] == "2030-01-01"
    load_decision(db, Decision(source="t", doc_id="1", doc_format="table", decision_date="2031-01-01",
                               citations=[Citation(BANKING, "第四十六条")]))
    load_decision(db, Decision(source="t", doc_id="2", doc_format="table", decision_date="2029-01-01",
                               citations=[Citation(BANKING, "第四十六条")]))
    link_citations(db)
    assert dict(db.execute("select decision_id, link from citations")) == {"t:1": "version_missing", "t:2": "linked"}


def test_kb_article_of_a_repealed_law_gives_its_last_words(tmp_path):
    from nlp.records import TextVersion

    db = sqlite_utils.Database(tmp_path / "kb.db")
    ensure_shape(db)
    banking = law_text("879932")
    banking.versions.append(TextVersion("废止", "2030-01-01", "2030年1月1日废止"))   # assembled, as above
    load_text(db, banking)
    db.conn.commit()
    db.conn.close()
    with KnowledgeBase(tmp_path / "kb.db") as kb:
        found = kb.article(BANKING, 46, on="2031-01-01")
        assert (found.article, found.in_force_on_date, found.effective_to) == ("第四十六条", False, "2030-01-01")
        assert kb.article(BANKING, 46).in_force_on_date is True   # no date: the words held, as they stand

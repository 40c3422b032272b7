"""The database build: quarantine for what cannot be read, atomic replacement, idempotent loaders."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
import sqlite_utils

from crawler.archive import Archive
from db import build as build_module
from db.build import EmptyArchive, build
from db.load import load_decision
from db.shape import TABLES, ensure_shape
from sources.nfra.document import read as read_nfra
from tests.conftest import demo_corpus, demo_database, responses
from tests.expected import DEMO_DECISIONS, NFRA_DEMO_DOCUMENTS, OTHER_DECISIONS, PBOC_COPIES

DOCUMENTS = demo_corpus("nfra") / "documents"
APPROVAL = responses("nfra") / "SelectByDocId_detail_1.json"


def archive_with(tmp_path, bodies: dict[str, bytes]) -> Archive:
    archive = Archive(tmp_path / "archive")
    for doc_id, body in bodies.items():
        fetch = archive.store(body, url=f"http://127.0.0.1/cbircweb/DocInfo/SelectByDocId?docId={doc_id}",
                              source="nfra", kind="document", doc_id=doc_id, item_id="4114", http_status=200,
                              content_type="application/json")
        archive.judge(fetch.fetch_id, "ok")
    return archive


def test_a_penalty_with_an_empty_page_is_loaded_with_what_its_envelope_says_and_flagged(tmp_path):
    tianjin = (DOCUMENTS / "9100001.json").read_bytes()
    envelope = json.loads(tianjin)
    envelope["data"]["docClob"] = "<html><body><p>　</p></body></html>"   # a penalty title over an empty page
    archive = archive_with(tmp_path, {"9100001": tianjin, "1": json.dumps(envelope, ensure_ascii=False).encode()})
    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert (report.decisions, report.quarantined) == (2, 0)
    db = sqlite3.connect(tmp_path / "regkb.db")
    title, publish_date, review, notes, sha = db.execute(
        "select title, publish_date, review, review_notes, raw_sha256 from decisions where doc_id = '1'").fetchone()
    assert title == envelope["data"]["docSubtitle"] and publish_date == envelope["data"]["publishDate"][:10]
    assert {"无正文", "未识别当事人"} <= set(json.loads(review))
    assert db.execute("select review from decisions where doc_id = '9100001'").fetchone()[0] == "[]"
    body = db.execute("select body from raw_documents where sha256 = ?", [sha]).fetchone()[0]
    assert json.loads(body)["data"]["docClob"].startswith("<html>")   # the bytes are kept for a person to look at
    archive.close()


def test_bytes_that_are_no_answer_at_all_go_to_quarantine_with_reason_and_hash(tmp_path):
    archive = archive_with(tmp_path, {"9100001": (DOCUMENTS / "9100001.json").read_bytes(),
                                      "1": b'{"rptCode": 200, "data": '})   # cut off: not JSON
    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert (report.decisions, report.quarantined) == (1, 1)
    db = sqlite3.connect(tmp_path / "regkb.db")
    stage, doc_id, reason, sha = db.execute("select stage, doc_id, reason, raw_sha256 from quarantine").fetchone()
    assert (stage, doc_id) == ("extract", "1") and "malformed JSON" in reason
    assert db.execute("select body from raw_documents where sha256 = ?", [sha]).fetchone()[0].startswith("{")
    archive.close()


@pytest.mark.skipif(not APPROVAL.exists(), reason="needs the recorded approval fixture")
def test_a_document_that_is_not_a_penalty_is_quarantined_not_loaded(tmp_path):
    archive_with(tmp_path, {"1255850": APPROVAL.read_bytes()}).close()
    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert (report.decisions, report.quarantined) == (0, 1)
    reason = sqlite3.connect(tmp_path / "regkb.db").execute("select reason from quarantine").fetchone()[0]
    assert "not a penalty document" in reason and "平安理财" in reason


def test_failed_build_leaves_the_previous_database_and_no_partial_file(tmp_path, monkeypatch):
    archive_with(tmp_path, {"9100001": (DOCUMENTS / "9100001.json").read_bytes()}).close()
    build(tmp_path / "archive", tmp_path / "regkb.db")
    before = (tmp_path / "regkb.db").read_bytes()

    def explode(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")   # what SQLite raises when the disk is full

    monkeypatch.setattr(build_module, "load_decision", explode)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        build(tmp_path / "archive", tmp_path / "regkb.db")
    assert (tmp_path / "regkb.db").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "regkb.db"]


def test_empty_archive_is_a_clear_error(tmp_path):
    with pytest.raises(EmptyArchive, match="regkb crawl nfra"):
        build(tmp_path / "nothing", tmp_path / "regkb.db")


def test_loading_the_same_decision_twice_changes_nothing(tmp_path):
    db = sqlite_utils.Database(tmp_path / "x.db")
    ensure_shape(db)
    ensure_shape(db)   # idempotent too
    decision = read_nfra((DOCUMENTS / "9100002.json").read_bytes(), doc_id="9100002").analyses[0].decision
    load_decision(db, decision)
    snapshot = {table: list(db.table(table).rows) for table in TABLES}
    load_decision(db, decision)
    assert {table: list(db.table(table).rows) for table in TABLES} == snapshot
    assert db.table("parties").count == 2 and db.table("sanctions").count == 3


def test_extract_writes_one_json_line_per_document_with_every_field(tmp_path):
    from click.testing import CliRunner

    from regkb.cli import cli

    archive_with(tmp_path, {"9100002": (DOCUMENTS / "9100002.json").read_bytes(),
                            "2": b"<html><body>404 Not Found</body></html>"}).close()
    output = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["extract", "--archive", str(tmp_path / "archive"), "-o", str(output)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    decision = next(r for r in records if r["record"] == "decision")
    quarantined = next(r for r in records if r["record"] == "quarantined")
    assert decision["decision_no"] == "银保监罚决字〔2021〕35号" and decision["total_fine_yuan"] == 600_000
    for key in ("doc_type", "authority", "authority_level", "province", "city", "decision_date", "parties",
                "violations", "categories", "legal_basis", "mentions", "entities"):
        assert key in decision
    assert quarantined["doc_id"] == "2" and quarantined["raw_sha256"]
    assert "1 decisions, 1 quarantined" in result.output


def test_one_database_for_three_regulators(demo_db):
    """The demo database: a source column per decision, and every deciding authority in one table with its region."""
    import sqlite3

    connection = sqlite3.connect(demo_db)
    by_source = dict(connection.execute("select source, count(*) from decisions group by source"))
    # the demo corpora's own counts (tests/expected.py, read by hand from each source's demo/README.md)
    assert by_source == {"nfra": NFRA_DEMO_DOCUMENTS, **Counter(source for source, *_ in OTHER_DECISIONS)}
    authorities = {row[0]: row[1:] for row in connection.execute(
        "select canonical, regulator, level, province from authorities")}
    assert authorities["中国人民银行上海分行"] == ("PBOC", "provincial bureau", "上海市")
    assert authorities["中国人民银行"] == ("PBOC", "head office", None)
    assert authorities["中国证券监督管理委员会"] == ("CSRC", "head office", None)
    assert authorities["中国银监会天津监管局"] == ("CBRC", "provincial bureau", "天津市")
    assert {row[0] for row in connection.execute("select distinct regulator from decisions")} >= {
        "PBOC", "CSRC", "CBRC", "CBIRC", "NFRA"}
    copies = connection.execute("select count(*), count(distinct decision_id) from duplicates").fetchone()
    # the Shanghai table's five decisions, in five more readable formats (and its scan, where OCR reads it)
    assert copies == (PBOC_COPIES, 5)


def test_a_build_reads_each_archived_body_once(tmp_path, monkeypatch):
    """The demo's archive built again, counting: every attachment is read by its format reader once, every NFRA
    answer opened once (what the decision page shows is what the reader made of it)."""
    import pipeline.extract
    import sources.nfra.document
    import sources.pboc.document

    archive_dir = demo_database().parent / "demo" / "archive"
    calls = {"attachments": 0, "envelopes": 0, "bodies": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(sources.pboc.document, "read_attachment",
                        counted("attachments", sources.pboc.document.read_attachment))
    monkeypatch.setattr(sources.nfra.document, "open_envelope",
                        counted("envelopes", sources.nfra.document.open_envelope))
    monkeypatch.setattr(Archive, "read", counted("bodies", Archive.read))   # a blocked answer's
    monkeypatch.setattr(pipeline.extract, "read_object", counted("bodies", pipeline.extract.read_object))
    report = build(archive_dir, tmp_path / "regkb.db", isolated=False)   # in this process, to count
    archive = Archive(archive_dir)
    fetches = list(archive.documents())
    blocked = archive.fetches(verdict="blocked")
    archive.close()
    attachments = [f for f in fetches if f.source == "pboc" and pipeline.extract.sniff(
        (archive_dir / "objects" / f.sha256[:2] / f.sha256).read_bytes()) != "html"]
    assert calls["attachments"] == len(attachments) > 0
    # the NFRA's answers (its Word file, 9100004.…, is read by the attachment readers, not opened as an answer)
    assert calls["envelopes"] == sum(f.source == "nfra" and "SelectByDocId" in f.url for f in fetches) == 104
    assert calls["bodies"] == len(fetches) + len(blocked)
    assert report.decisions == DEMO_DECISIONS


def test_a_build_with_one_worker_and_with_several_gives_the_same_database(tmp_path):
    """The demo's archive (every format, OCR included) built one document at a time and three at once: the same
    rows, in the same row order, in every table (the search index's too)."""
    archive = demo_database().parent / "demo" / "archive"
    build(archive, tmp_path / "serial.db", jobs=1)
    build(archive, tmp_path / "several.db", jobs=3)
    several, serial = sqlite3.connect(tmp_path / "several.db"), sqlite3.connect(tmp_path / "serial.db")
    tables = [name for (name,) in several.execute("select name from sqlite_master where type = 'table' and "
                                                  "sql not like 'CREATE VIRTUAL%' order by name")]
    assert {"decisions", "parties", "sanctions", "decisions_fts_data"} <= set(tables)
    for table in tables:
        columns = [row[1] for row in several.execute(f"pragma table_info([{table}])") if row[1] != "quarantined_at"]
        select = f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]"
        assert serial.execute(select).fetchall() == several.execute(select).fetchall(), table

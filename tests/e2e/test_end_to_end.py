"""Mirror → crawl (the real spider, in its own process) → archive → build → Datasette's JSON API.

The expected counts come from the source records (tests/fixtures/real/cbrc_2016_penalties_100.csv and the three real
decisions in the demo corpus), not from the extractor: see sources/nfra/demo/README.md for what the corpus holds.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter

import pytest
from datasette.app import Datasette

import sources
from crawler.archive import Archive
from db.build import build
from regkb.cli import datasette_args
from regkb.settings import DATASETTE_DIR
from tests.conftest import demo_corpus, run_regkb
from tests.expected import (
    DEMO_QUARANTINED,
    NFRA_DEMO_DOCUMENTS,
    NFRA_DEMO_FILES,
    OCR,
    OTHER_DECISIONS,
    PBOC_COPIES,
    expected_provinces,
    records,
)


def crawl(base_url: str, archive, *extra: str):
    return run_regkb("crawl", "nfra", "--base-url", base_url, "--delay", "0", "--concurrency", "4",
                     "--backoff", "0.1", "--archive", str(archive), *extra)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One crawl of the bundled mirror and one build, shared by the tests that only read the result."""
    folder = tmp_path_factory.mktemp("e2e")
    server = sources.mirror().start()
    try:
        first = crawl(server.base_url, folder / "archive")
        first_hits = list(server.hits)
        server.hits.clear()
        second = crawl(server.base_url, folder / "archive")
        second_hits = list(server.hits)
    finally:
        server.stop()
    report = build(folder / "archive", folder / "regkb.db")
    return {"folder": folder, "first": first, "second": second, "first_hits": first_hits,
            "second_hits": second_hits, "report": report, "db": folder / "regkb.db"}


def datasette_json(db_path, path: str) -> dict:
    import asyncio

    metadata = json.loads(json.dumps(__import__("yaml").safe_load((DATASETTE_DIR / "metadata.yml").read_text())))
    app = Datasette([str(db_path)], immutables=[], metadata=metadata)

    async def get():
        response = await app.client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.json()

    return asyncio.run(get())


def test_first_crawl_fetches_every_document(built):
    assert built["first"].returncode == 0, built["first"].stderr[-2000:]
    documents = [hit for hit in built["first_hits"] if "SelectByDocId" in hit]
    assert len(documents) == NFRA_DEMO_DOCUMENTS
    assert f"{NFRA_DEMO_DOCUMENTS + NFRA_DEMO_FILES} documents fetched" in built["first"].stdout


def test_second_crawl_fetches_only_list_pages(built):
    assert built["second"].returncode == 0, built["second"].stderr[-2000:]
    assert [hit for hit in built["second_hits"] if "SelectByDocId" in hit] == []
    # one first page per list: each stops at documents the first, complete crawl already had
    lists = [hit for hit in built["second_hits"] if "SelectDocByItemIdAndChild" in hit]
    assert sorted(hit.split("itemId=")[1].split("&")[0] for hit in lists) == ["4113", "4114", "4115", "932"]
    assert all("pageIndex=1" in hit for hit in lists)


def test_every_fetched_body_is_archived_with_its_metadata(built):
    archive = Archive(built["folder"] / "archive")
    documents = list(archive.documents("nfra"))
    assert len(documents) == NFRA_DEMO_DOCUMENTS + NFRA_DEMO_FILES
    for fetch in documents[:5]:
        assert fetch.http_status == 200 and fetch.content_type.startswith("application/json")
        assert fetch.fetched_at and fetch.url.startswith("http://127.0.0.1")
        assert len(archive.read(fetch.sha256)) > 1000
    lists = archive.fetches(kind="list")
    assert len(lists) >= 8 + 3   # every list page of both crawls is kept too
    archive.close()


def test_build_counts(built):
    report = built["report"]
    assert report.decisions == NFRA_DEMO_DOCUMENTS
    assert report.quarantined == 0
    assert report.provinces == len(expected_provinces()) >= 6


def test_datasette_province_facet_matches_the_records(built):
    data = datasette_json(built["db"], "/regkb/decisions.json?_facet=province&_size=0")
    facet = {row["value"]: row["count"] for row in data["facet_results"]["province"]["results"]}
    # no province: national, the one head-office decision of the NFRA demo (银保监罚决字〔2021〕35号), shown as 全国
    assert facet.pop(None) == 1
    assert facet == dict(expected_provinces())


def test_datasette_category_facet_agrees_with_the_records_own_labels(built):
    # The records carry a third party's violation labels; where that taxonomy and ours mean the same thing,
    # the counts must agree: 反洗钱业务违规 ↔ 反洗钱, 数据报送与治理违规 ↔ 监管数据与报表.
    labelled = Counter(label for r in records() for label in r["违规领域"].split(","))
    data = datasette_json(built["db"], "/regkb/decisions.json?_facet_array=categories&_size=0")
    facet = {row["value"]: row["count"] for row in data["facet_results"]["categories"]["results"]}
    assert facet["反洗钱"] == labelled["反洗钱业务违规"] == 1
    assert facet["监管数据与报表"] == labelled["数据报送与治理违规"] == 5
    # and the many-to-many table counts a decision in each of its categories
    db = sqlite3.connect(built["db"])
    assert db.execute("select count(*) from decision_categories where category = '反洗钱'").fetchone()[0] == 1


def test_fines_match_the_records(built):
    db = sqlite3.connect(built["db"])
    fines = dict(db.execute("select cast(doc_id as int) - 9000000, total_fine_yuan from decisions"
                            " where cast(doc_id as int) between 9000001 and 9000100"))
    for record in records():
        number, kinds = int(record["序号"]), record["处罚类型"].split(",")
        amount = float(record["罚没金额（元）"]) if record["罚没金额（元）"] else None
        if "没收违法所得" in kinds or kinds == ["警告"]:
            assert fines[number] is None, record   # a combined 罚没 amount is not split into a fine
        else:
            assert fines[number] == amount, record


def test_facet_columns_are_indexed(built):
    db = sqlite3.connect(built["db"])
    indexed = {row[0] for row in db.execute(
        "select ii.name from sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii"
        " where m.name = 'decisions'")}
    assert {"province", "city", "authority_id", "authority_level", "year", "source"} <= indexed


def test_rebuild_keeps_primary_keys(built, tmp_path):
    again = build(built["folder"] / "archive", tmp_path / "again.db")
    assert again.decisions == NFRA_DEMO_DOCUMENTS
    keys = lambda path, table, pk: sorted(r[0] for r in sqlite3.connect(path).execute(f"select {pk} from {table}"))
    for table, pk in (("decisions", "decision_id"), ("parties", "party_id"), ("sanctions", "sanction_id")):
        assert keys(built["db"], table, pk) == keys(tmp_path / "again.db", table, pk)


def test_serve_arguments_are_read_only_with_metadata(tmp_path):
    args = datasette_args(tmp_path / "regkb.db", "127.0.0.1", 8001)
    assert args[:3] == ["serve", "-i", str(tmp_path / "regkb.db")]
    assert str(DATASETTE_DIR / "metadata.yml") in args


def test_killing_the_mirror_mid_crawl_gives_a_clear_error_and_no_database(tmp_path):
    server = sources.mirror().start()

    def kill_after_some_documents():
        deadline = time.time() + 60
        while time.time() < deadline and sum("SelectByDocId" in hit for hit in server.hits) < 10:
            time.sleep(0.01)
        server.stop()

    killer = threading.Thread(target=kill_after_some_documents)
    killer.start()
    result = run_regkb("crawl", "nfra", "--base-url", server.base_url, "--delay", "0.02", "--concurrency", "1",
                       "--backoff", "0.05", "--archive", str(tmp_path / "archive"))
    killer.join()
    assert result.returncode == 1
    assert "could not be fetched" in result.stderr
    assert server.base_url in result.stderr and "re-run" in result.stderr
    assert not (tmp_path / "regkb.db").exists()
    # what was fetched before the kill is kept, and a re-run against a live mirror completes the archive
    archive = Archive(tmp_path / "archive")
    kept = len(list(archive.documents("nfra")))
    assert 10 <= kept < NFRA_DEMO_DOCUMENTS
    revived = sources.mirror().start()
    try:
        again = crawl(revived.base_url, tmp_path / "archive")
    finally:
        revived.stop()
    assert again.returncode == 0, again.stderr[-2000:]
    assert len(list(archive.documents("nfra"))) == NFRA_DEMO_DOCUMENTS + NFRA_DEMO_FILES
    archive.close()


def test_blocked_document_is_reported_by_url_and_quarantined(tmp_path):
    # A corpus of one real document whose detail answer is an HTML 403, as a blocking site gives.
    corpus = tmp_path / "corpus"
    (corpus / "nfra" / "lists").mkdir(parents=True)
    (corpus / "nfra" / "documents").mkdir()
    rows = json.loads((demo_corpus("nfra") / "lists" / "4114.json").read_text(encoding="utf-8"))[:2]
    (corpus / "nfra" / "lists" / "4114.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    good, blocked = (str(row["docId"]) for row in rows)
    (corpus / "nfra" / "documents" / f"{good}.json").write_bytes(
        (demo_corpus("nfra") / "documents" / f"{good}.json").read_bytes())
    blocked_path = f"/cbircweb/DocInfo/SelectByDocId?docId={blocked}"
    (corpus / "nfra" / "statuses.json").write_text(json.dumps({blocked_path: 403}))
    server = sources.mirror(corpus).start()
    try:
        result = crawl(server.base_url, tmp_path / "archive", "--item-ids", "4114")
    finally:
        server.stop()
    assert result.returncode == 1
    assert f"{server.base_url}{blocked_path}" in result.stderr and "HTTP 403" in result.stderr
    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert report.decisions == 1 and report.quarantined == 1
    db = sqlite3.connect(tmp_path / "regkb.db")
    stage, doc_id, reason, sha = db.execute("select stage, doc_id, reason, raw_sha256 from quarantine").fetchone()
    assert (stage, doc_id) == ("fetch", blocked) and "403" in reason
    assert db.execute("select count(*) from raw_documents where sha256 = ?", [sha]).fetchone()[0] == 1


def test_demo_no_serve_builds_and_says_what_it_built(tmp_path):
    result = run_regkb("demo", "--no-serve", env={"REGKB_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr[-2000:]
    db = tmp_path / "data" / "regkb.db"
    # NFRA's 104, the PBOC's and CSRC's decisions; the scanned PDF read by OCR (where no engine is installed, the
    # one quarantined document, needing OCR); the Shanghai table's copies
    assert f"built {db}: {NFRA_DEMO_DOCUMENTS + len(OTHER_DECISIONS)} decisions" in result.stdout
    assert "parties" in result.stdout and f"{DEMO_QUARANTINED} quarantined" in result.stdout
    assert f"{PBOC_COPIES} copies of decisions already loaded" in result.stdout
    assert ("needs OCR" in result.stderr) == (not OCR)
    assert (tmp_path / "data" / "demo" / "archive" / "index.sqlite").exists()
    provinces = sqlite3.connect(db).execute("select count(distinct province) from decisions").fetchone()[0]
    assert provinces >= 6


def test_parent_and_branch_level_agree_with_the_records(built):
    # The records name each party's head institution (所属总行) and its level (当事人类型).
    db = sqlite3.connect(built["db"])
    parties = {int(doc) - 9000000: (entity, level) for doc, entity, level in db.execute(
        "select d.doc_id, p.legal_entity, p.branch_level from parties p join decisions d using (decision_id)"
        " where cast(d.doc_id as int) between 9000001 and 9000100")}
    levels = {"法人机构": {"法人"}, "一级分行": {"分行"}, "二级分行": {"分行"}, "其他营业网点": {"支行", "营业网点"}}
    for record in records():
        entity, level = parties[int(record["序号"])]
        assert entity == record["所属总行"], record
        assert level in levels[record["当事人类型"]], record

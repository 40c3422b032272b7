"""The raw archive: fetched bytes kept once by content, every fetch indexed, verdicts and crawl watermarks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from crawler.archive import Archive, CorruptObject, MissingObject, object_path, read_object
from tests.conftest import responses

NFRA_API = responses("nfra")
# A real detail body (UTF-8 JSON around a Word-exported HTML page that declares gb2312): the archive must keep it
# byte for byte.
DETAIL_1 = (NFRA_API / "SelectByDocId_detail_1.json").read_bytes()
ROW_892530 = (NFRA_API / "list_row_docId_892530.json").read_bytes()

DOCUMENT_URL = "https://www.nfra.gov.cn/cbircweb/DocInfo/SelectByDocId?docId={}"


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "archive")
    yield archive
    archive.close()


def store_document(archive: Archive, doc_id: str, body: bytes = DETAIL_1, verdict: str | None = "ok"):
    fetch = archive.store(body, url=DOCUMENT_URL.format(doc_id), source="nfra", kind="document", http_status=200,
                          content_type="application/json;charset=UTF-8", doc_id=doc_id, item_id="4114")
    if verdict:
        archive.judge(fetch.fetch_id, verdict)
    return fetch


def object_files(archive: Archive) -> list[Path]:
    return sorted(path for path in (archive.root / "objects").rglob("*") if path.is_file())


def test_same_bytes_twice_keep_one_object(archive):
    store_document(archive, "1255850", verdict=None)
    store_document(archive, "1255850", verdict=None)
    assert len(object_files(archive)) == 1


def test_same_bytes_twice_index_two_fetches(archive):
    first = store_document(archive, "1255850", verdict=None)
    second = store_document(archive, "1255850", verdict=None)
    assert first.fetch_id != second.fetch_id
    assert [fetch.fetch_id for fetch in archive.fetches(doc_id="1255850")] == [first.fetch_id, second.fetch_id]
    assert first.sha256 == second.sha256


def test_different_bytes_keep_two_objects(archive):
    store_document(archive, "1255850", DETAIL_1, verdict=None)
    store_document(archive, "892530", ROW_892530, verdict=None)
    assert len(object_files(archive)) == 2


def test_object_is_named_by_the_sha256_of_the_body(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    expected = hashlib.sha256(DETAIL_1).hexdigest()
    assert fetch.sha256 == expected
    (path,) = object_files(archive)
    assert path.name == expected


def test_object_bytes_hash_to_its_sha256(archive):
    store_document(archive, "1255850", verdict=None)
    (path,) = object_files(archive)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name


def test_read_returns_the_exact_bytes(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    assert archive.read(fetch.sha256) == DETAIL_1


def test_read_returns_an_empty_body_as_stored(archive):
    # A site that answers with nothing is archived too: the empty answer is evidence of a block.
    fetch = archive.store(b"", url=DOCUMENT_URL.format("1255850"), source="nfra", kind="document", doc_id="1255850")
    assert archive.read(fetch.sha256) == b""


def test_fetch_records_what_was_fetched(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    recorded = archive.fetch(fetch.fetch_id)
    assert recorded.url == "https://www.nfra.gov.cn/cbircweb/DocInfo/SelectByDocId?docId=1255850"
    assert recorded.http_status == 200
    assert recorded.kind == "document"
    assert recorded.doc_id == "1255850"
    assert recorded.verdict is None


def test_has_document_is_false_before_the_fetch_is_judged(archive):
    store_document(archive, "1255850", verdict=None)
    assert not archive.has_document("nfra", "1255850")


def test_has_document_is_false_for_a_blocked_fetch(archive):
    store_document(archive, "1255850", verdict="blocked")
    assert not archive.has_document("nfra", "1255850")


def test_has_document_is_true_after_the_fetch_is_judged_ok(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    archive.judge(fetch.fetch_id, "ok")
    assert archive.has_document("nfra", "1255850")


def test_has_document_is_false_for_an_ok_fetch_of_another_kind(archive):
    fetch = archive.store(ROW_892530, url="https://www.nfra.gov.cn/cbircweb/DocInfo/SelectDocByItemIdAndChild"
                          "?itemId=4114&pageSize=18&pageIndex=1", source="nfra", kind="list", doc_id="892530",
                          item_id="4114")
    archive.judge(fetch.fetch_id, "ok")
    assert not archive.has_document("nfra", "892530")


def test_has_document_is_per_source(archive):
    store_document(archive, "1255850", verdict="ok")
    assert not archive.has_document("pboc", "1255850")


def test_has_document_accepts_an_integer_doc_id(archive):
    # docId is a number in the list JSON (892530) and a string in the open-government list ("1255777").
    store_document(archive, "892530", ROW_892530, verdict="ok")
    assert archive.has_document("nfra", 892530)


def test_documents_give_the_newest_ok_fetch_of_each_document(archive):
    store_document(archive, "1255850", DETAIL_1, verdict="ok")
    newer = store_document(archive, "1255850", DETAIL_1 + b"\n", verdict="ok")
    store_document(archive, "1255850", b"<html>blocked</html>", verdict="blocked")  # newest, but not ok
    other = store_document(archive, "892530", ROW_892530, verdict="ok")
    store_document(archive, "1255852", b"", verdict="blocked")  # never fetched ok
    assert [(fetch.doc_id, fetch.fetch_id) for fetch in archive.documents()] == [
        ("892530", other.fetch_id),
        ("1255850", newer.fetch_id),
    ]


def test_documents_are_in_doc_id_order(archive):
    for doc_id in ("1255850", "892530", "1255779"):
        store_document(archive, doc_id, doc_id.encode(), verdict="ok")
    assert [fetch.doc_id for fetch in archive.documents()] == ["892530", "1255779", "1255850"]


def test_documents_of_one_source(archive):
    store_document(archive, "1255850", verdict="ok")
    assert [fetch.doc_id for fetch in archive.documents("nfra")] == ["1255850"]
    assert list(archive.documents("pboc")) == []


def test_judge_rejects_an_unknown_verdict(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    with pytest.raises(ValueError, match="fine"):
        archive.judge(fetch.fetch_id, "fine")
    assert archive.fetch(fetch.fetch_id).verdict is None


def test_judge_records_the_reason(archive):
    fetch = store_document(archive, "1255850", verdict=None)
    archive.judge(fetch.fetch_id, "blocked", "HTTP 403 instead of the JSON answer")
    recorded = archive.fetch(fetch.fetch_id)
    assert (recorded.verdict, recorded.reason) == ("blocked", "HTTP 403 instead of the JSON answer")


def test_watermark_is_none_before_any_complete_crawl(archive):
    assert archive.watermark("nfra", "4114") is None


def test_watermark_moves_forward(archive):
    archive.set_watermark("nfra", "4114", "2020-03-02T18:16:50")
    archive.set_watermark("nfra", "4114", "2026-04-21T15:30:00")
    assert archive.watermark("nfra", "4114") == "2026-04-21T15:30:00"


def test_watermark_never_moves_back(archive):
    archive.set_watermark("nfra", "4114", "2026-04-21T15:30:00")
    archive.set_watermark("nfra", "4114", "2020-03-02T18:16:50")
    assert archive.watermark("nfra", "4114") == "2026-04-21T15:30:00"


def test_watermark_is_per_item(archive):
    archive.set_watermark("nfra", "4114", "2026-04-21T15:30:00")
    archive.set_watermark("nfra", "4115", "2020-03-02T18:16:50")
    assert archive.watermark("nfra", "4114") == "2026-04-21T15:30:00"
    assert archive.watermark("nfra", "4115") == "2020-03-02T18:16:50"
    assert archive.watermark("nfra", "4113") is None


def test_archive_survives_reopening(tmp_path):
    first = Archive(tmp_path / "archive")
    fetch = store_document(first, "1255850", verdict="ok")
    first.set_watermark("nfra", "4114", "2026-04-21T15:30:00")
    first.close()
    reopened = Archive(tmp_path / "archive")
    try:
        assert reopened.read(fetch.sha256) == DETAIL_1
        assert reopened.has_document("nfra", "1255850")
        assert reopened.watermark("nfra", "4114") == "2026-04-21T15:30:00"
    finally:
        reopened.close()


def test_missing_object_names_the_hash(archive):
    fetch = store_document(archive, "1255850", verdict="ok")
    (path,) = object_files(archive)
    path.unlink()
    with pytest.raises(FileNotFoundError, match=fetch.sha256):
        archive.read(fetch.sha256)


def test_unknown_hash_names_the_hash(archive):
    unknown = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(FileNotFoundError, match=unknown):
        archive.read(unknown)


def test_a_crawls_archive_commits_writes_together_and_a_kill_loses_only_index_rows(tmp_path, monkeypatch):
    """commit_every=4: the bodies are on disk (synced) before the index rows naming them are committed; until a
    commit another reader sees none of them, and a process killed then leaves bodies the next crawl fetches again
    (an index row never names bytes that are not there)."""
    import os
    import sqlite3

    synced = []
    monkeypatch.setattr(os, "sync", lambda: synced.append(True))
    batched = Archive(tmp_path / "archive", commit_every=4)
    first = store_document(batched, "1")            # a store and its verdict: two writes
    committed = lambda: sqlite3.connect(tmp_path / "archive" / "index.sqlite").execute(   # noqa: E731
        "select count(*) from fetches").fetchone()[0]
    assert committed() == 0 and (tmp_path / "archive" / "objects" / first.sha256[:2] / first.sha256).exists()
    store_document(batched, "2", body=ROW_892530)   # the fourth write commits, the bodies synced before it
    assert committed() == 2 and synced == [True]
    store_document(batched, "3", body=b"{}")
    assert committed() == 2                         # killed now: the third document is fetched again next time
    batched.close()                                 # a crawl's end commits the rest
    assert committed() == 3 and len(synced) == 2


def test_an_object_is_read_by_its_hash_alone_and_nothing_is_written(archive, tmp_path):
    fetch = store_document(archive, "892530")
    archive.close()
    index = (archive.root / "index.sqlite").read_bytes()
    assert read_object(archive.root, fetch.sha256) == DETAIL_1   # what the web server does: no index opened
    assert (archive.root / "index.sqlite").read_bytes() == index
    for name in ("../index.sqlite", "..", fetch.sha256.upper(), fetch.sha256[:63], ""):
        with pytest.raises(ValueError):
            object_path(archive.root, name)   # never a name that leaves the objects folder
    with pytest.raises(MissingObject):
        read_object(archive.root, "0" * 64)
    object_path(archive.root, fetch.sha256).write_bytes(DETAIL_1 + b" ")
    with pytest.raises(CorruptObject):
        read_object(archive.root, fetch.sha256)

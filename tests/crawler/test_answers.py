"""Answers judged by what they hold, not by their status: a wrong answer is reported and asked for again by the next
crawl, never archived as the document for ever; and a problem says what it is (a full disk is not the network)."""

from __future__ import annotations

import errno
import json

import scrapy
from twisted.python.failure import Failure

from sources.nfra.envelope import open_envelope
from sources.nfra.spider import NfraSpider
from sources.pboc.spider import PbocSpider
from tests.conftest import FIXTURES, archived_response, demo_corpus

BASE = "http://127.0.0.1:9"
NOT_FOUND = "<html><head><title>404 Not Found</title></head><body><h1>页面不存在</h1></body></html>".encode()


def attachment_request(spider, path: str) -> scrapy.Request:
    return spider.document_request(BASE + path, "3499935", "tianjin", "tianjin#1", spider.parse_attachment)


def test_an_html_error_page_at_200_under_an_attachment_address_is_blocked(archive):
    spider = PbocSpider(base_url=BASE)
    spider.archive = archive
    request = attachment_request(spider, "/fzhtianjin/resource/cms/2018/03/公示表.xlsx")
    response = archived_response(archive, request, NOT_FOUND, source="pboc")
    assert list(spider.parse_attachment(response)) == []
    assert not archive.has_document("pboc", "3499935")     # the next crawl asks for it again
    assert "404 Not Found" in spider.problems[0].reason and ".xlsx" in spider.problems[0].reason


def test_word_html_under_a_doc_address_is_the_attachment(archive):
    spider = PbocSpider(base_url=BASE)
    spider.archive = archive
    request = attachment_request(spider, "/fzhtianjin/resource/cms/2018/03/公示表.doc")
    body = (FIXTURES / "real" / "tianjin_2018_35_penalty_table.html").read_bytes()
    list(spider.parse_attachment(archived_response(archive, request, body, source="pboc")))
    assert archive.has_document("pboc", "3499935") and spider.problems == []


def test_an_nfra_answer_without_its_document_is_blocked(archive):
    spider = NfraSpider(base_url=BASE)
    spider.archive = archive
    body = json.loads((demo_corpus("nfra") / "documents" / "9100001.json").read_text(encoding="utf-8"))
    for clob in ("", None, 7):
        body["data"]["docClob"] = clob
        request = scrapy.Request(f"{BASE}/cbircweb/DocInfo/SelectByDocId?docId=9100001",
                                 meta={"kind": "document", "doc_id": "9100001", "item_id": "4114"})
        answer = json.dumps(body, ensure_ascii=False).encode("utf-8")
        assert list(spider.parse_document(archived_response(archive, request, answer, source="nfra",
                                                            content_type="application/json"))) == []
    assert not archive.has_document("nfra", "9100001") and len(spider.problems) == 3
    assert "docClob is empty" in spider.problems[0].reason and "int" in spider.problems[2].reason


def test_an_nfra_answer_in_gbk_is_read():
    answer = {"rptCode": 200, "msg": "成功", "data": {"total": 1, "rows": [{"docId": 1, "docTitle": "行政处罚"}]}}
    assert open_envelope(json.dumps(answer, ensure_ascii=False).encode("gbk"), "rows")["rows"][0]["docTitle"] == "行政处罚"


def test_an_nfra_answer_that_only_pythons_json_admits_is_read_as_it_reads_it():
    """orjson reads answers first (the faster); what it refuses and json admits (NaN, an integer past 64 bits, a lone
    surrogate's escape) is read as json reads it, not lost."""
    data = open_envelope(b'{"rptCode":200,"data":{"docId":123456789012345678901,"score":NaN,"docClob":"\\ud800<p>"}}')
    assert data["docId"] == 123456789012345678901 and data["score"] != data["score"] and data["docClob"] == "\ud800<p>"


def test_a_full_disk_is_reported_as_such_not_as_the_network():
    spider = NfraSpider(base_url=BASE)
    request = scrapy.Request(BASE + "/x", meta={"item_id": "4114"})
    failure = Failure(OSError(errno.ENOSPC, "No space left on device"))
    failure.request = request
    spider.on_error(failure)
    problem, = spider.problems
    assert "could not be stored" in problem.reason and "free space" in problem.hint and "network" not in problem.hint

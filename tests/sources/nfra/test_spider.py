"""The NFRA spider's parsing, on saved real responses (responses/ beside this file, see its README).

Each response is first stored in a temporary archive, as ArchiveMiddleware does in a crawl, so the spider's verdicts
can be read back from the archive the way a person checking a crawl would. No network, no reactor.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy

from crawler.archive import Archive
from sources.nfra.spider import NfraSpider, parse_publish_date
from tests.conftest import archived_response, needs_shared_corpus, responses

NFRA_API = responses("nfra")

BASE_URL = "http://127.0.0.1:9"
JSON_TYPE = "application/json;charset=UTF-8"
HTML_TYPE = "text/html; charset=utf-8"

# The real penalty list row: 北京银保监局, published 2020-03-02 18:16:50.0, a provincial bureau's (监管局本级, 4114).
ROW_892530 = json.loads((NFRA_API / "list_row_docId_892530.json").read_bytes())
PENALTY_ITEM = "4114"
# The real detail body of docId 1255850 (金复[2026]220号).
DETAIL_1 = (NFRA_API / "SelectByDocId_detail_1.json").read_bytes()
DETAIL_1_DOC_ID = "1255850"
RENDERED_PAGE = (NFRA_API / "ItemDetail_1258343_branch_jiangsu.html").read_bytes()
# A real answer of the open-government search: the same envelope, but its rows are under data.lists.
OPEN_GOV_LIST = (NFRA_API / "openGovSerch_list_1.json").read_bytes()


def envelope(data) -> bytes:
    """The NFRA answer envelope around ``data``, serialised like the recorded bodies (compact UTF-8 JSON)."""
    answer = {"rptCode": 200, "msg": "成功", "data": data}
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def list_answer(total: int, rows=None, page: int = 1, page_size: int = 18) -> bytes:
    """A list page: ``rows``, or as many as the page holds of a list of ``total`` (the real row first, then copies of
    it under assembled docIds 892529, 892528, …: the site always fills a page but the last)."""
    if rows is None:
        count = max(0, min(page_size, total - (page - 1) * page_size))
        rows = [ROW_892530] + [{**ROW_892530, "docId": 892530 - k} for k in range(1, count)]
    return envelope({"total": total, "rows": list(rows)})


def list_url(item_id: str, page: int, page_size: int = 18) -> str:
    return f"{BASE_URL}/cbircweb/DocInfo/SelectDocByItemIdAndChild?itemId={item_id}&pageSize={page_size}&pageIndex={page}"


def document_url(doc_id: str) -> str:
    return f"{BASE_URL}/cbircweb/DocInfo/SelectByDocId?docId={doc_id}"


def list_request(item_id: str = PENALTY_ITEM, page: int = 1, page_size: int = 18) -> scrapy.Request:
    return scrapy.Request(list_url(item_id, page, page_size), dont_filter=True,
                          meta={"kind": "list", "item_id": item_id, "page": page, "handle_httpstatus_all": True})


def document_request(doc_id: str = DETAIL_1_DOC_ID, item_id: str = PENALTY_ITEM) -> scrapy.Request:
    return scrapy.Request(document_url(doc_id),
                          meta={"kind": "document", "doc_id": doc_id, "item_id": item_id, "handle_httpstatus_all": True})


def make_spider(archive: Archive, **options) -> NfraSpider:
    spider = NfraSpider(base_url=BASE_URL, **options)
    spider.archive = archive
    return spider


def answered(archive: Archive, request: scrapy.Request, body: bytes, status: int = 200,
             content_type: str = JSON_TYPE):
    return archived_response(archive, request, body, source="nfra", status=status, content_type=content_type)


def parse_list_page(spider: NfraSpider, archive: Archive, body: bytes, page: int = 1, status: int = 200,
                    content_type: str = JSON_TYPE):
    """Feed one list page to the spider: (document requests, next-page requests). A list page yields nothing else."""
    request = list_request(page=page, page_size=spider.page_size)
    output = list(spider.parse_list(answered(archive, request, body, status, content_type)))
    documents = [out for out in output if isinstance(out, scrapy.Request) and out.meta.get("kind") == "document"]
    pages = [out for out in output if isinstance(out, scrapy.Request) and out.meta.get("kind") == "list"]
    assert len(documents) + len(pages) == len(output), f"a list page yielded something else: {output!r}"
    return documents, pages


def archive_document(archive: Archive, doc_id: str, verdict: str = "ok") -> None:
    """An earlier crawl's fetch of this document, judged."""
    fetch = archive.store(DETAIL_1, url=document_url(doc_id), source="nfra", kind="document", http_status=200,
                          content_type=JSON_TYPE, doc_id=doc_id, item_id=PENALTY_ITEM)
    archive.judge(fetch.fetch_id, verdict)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


# -- the fixtures are the recorded bodies ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, original", [
    ("list_row_docId_892530.json", "nfra/api/list_row_docId_892530.json"),
    ("SelectByDocId_detail_1.json", "nfra/api/SelectByDocId_detail_1.json"),
    ("openGovSerch_list_1.json", "nfra/api/openGovSerch_list_1.json"),
    ("ItemDetail_1258343_branch_jiangsu.html", "nfra/rendered/ItemDetail_1258343_branch_jiangsu.html"),
])
def test_fixture_copies_match_the_shared_corpus(name, original):
    assert (NFRA_API / name).read_bytes() == (needs_shared_corpus() / original).read_bytes()


# -- publishDate ------------------------------------------------------------------------------------------------

def test_publish_date_of_the_penalty_list_row_with_a_fraction():
    assert parse_publish_date("2020-03-02 18:16:50.0") == "2020-03-02T18:16:50"


def test_publish_date_of_the_open_government_list_without_a_fraction():
    assert parse_publish_date("2026-04-21 15:30:00") == "2026-04-21T15:30:00"


def test_publish_dates_sort_as_text_in_time_order():
    older, newer = parse_publish_date("2020-03-02 18:16:50.0"), parse_publish_date("2026-04-21 15:30:00")
    assert older < newer


def test_publish_date_garbage_is_a_value_error_naming_the_value():
    with pytest.raises(ValueError, match="2020年3月2日"):
        parse_publish_date("2020年3月2日")


# -- list pages -------------------------------------------------------------------------------------------------

def test_list_row_becomes_a_request_for_its_document_at_the_detail_endpoint(archive):
    documents, _ = parse_list_page(make_spider(archive), archive, list_answer(total=1))
    assert [request.url for request in documents] == [document_url("892530")]


def test_list_row_document_request_keeps_doc_id_and_item_id(archive):
    documents, _ = parse_list_page(make_spider(archive), archive, list_answer(total=1))
    (request,) = documents
    assert request.meta["doc_id"] == "892530"
    assert request.meta["item_id"] == PENALTY_ITEM


def test_list_page_fetch_is_judged_ok(archive):
    spider = make_spider(archive)
    parse_list_page(spider, archive, list_answer(total=1))
    (fetch,) = archive.fetches(kind="list")
    assert fetch.verdict == "ok"
    assert spider.problems == []


def test_list_row_publish_date_becomes_the_watermark_of_a_complete_walk(archive):
    spider = make_spider(archive)
    parse_list_page(spider, archive, list_answer(total=1))
    spider.on_closed(spider, "finished")
    assert archive.watermark("nfra", PENALTY_ITEM) == "2020-03-02T18:16:50"


# -- paging -----------------------------------------------------------------------------------------------------

def test_more_rows_than_one_page_asks_for_the_next_page(archive):
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    (next_page,) = pages
    assert query_of(next_page.url) == {"itemId": PENALTY_ITEM, "pageSize": "18", "pageIndex": "2"}
    assert next_page.meta["page"] == 2
    assert next_page.meta["item_id"] == PENALTY_ITEM


def test_last_page_asks_for_no_further_page(archive):
    # 19 rows at 18 a page: page 2 holds the 19th and is the last.
    documents, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19, page=2), page=2)
    assert pages == []
    assert len(documents) == 1


def test_single_page_list_asks_for_no_further_page(archive):
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=1), page=1)
    assert pages == []


def test_max_pages_stops_paging(archive):
    spider = make_spider(archive, max_pages="1")
    documents, pages = parse_list_page(spider, archive, list_answer(total=19), page=1)
    assert pages == []
    assert len(documents) == 18


def test_max_pages_allows_pages_below_it(archive):
    spider = make_spider(archive, max_pages="3")
    _, pages = parse_list_page(spider, archive, list_answer(total=100, page=2), page=2)
    assert [page.meta["page"] for page in pages] == [3]


def test_since_skips_rows_published_before_it_and_stops_paging(archive):
    spider = make_spider(archive, since="2020-03-03")
    documents, pages = parse_list_page(spider, archive, list_answer(total=19), page=1)
    assert documents == []
    assert pages == []


def test_since_keeps_rows_published_on_that_day(archive):
    spider = make_spider(archive, since="2020-03-02")
    documents, pages = parse_list_page(spider, archive, list_answer(total=19), page=1)
    assert [request.meta["doc_id"] for request in documents][0] == "892530" and len(documents) == 18
    assert len(pages) == 1


# -- incremental crawls -----------------------------------------------------------------------------------------

def test_document_already_archived_ok_is_not_requested_again(archive):
    archive_document(archive, "892530", "ok")
    documents, _ = parse_list_page(make_spider(archive), archive, list_answer(total=1))
    assert documents == []


def test_document_archived_only_as_blocked_is_requested_again(archive):
    archive_document(archive, "892530", "blocked")
    documents, _ = parse_list_page(make_spider(archive), archive, list_answer(total=1))
    assert [request.meta["doc_id"] for request in documents] == ["892530"]


def test_archived_document_without_a_watermark_keeps_paging(archive):
    # An interrupted earlier crawl: the document is there, but older pages may never have been fetched.
    archive_document(archive, "892530", "ok")
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    assert [page.meta["page"] for page in pages] == [2]


def archive_page(archive: Archive, total: int = 19) -> None:
    """Every row of page 1 fetched by an earlier crawl."""
    for row in json.loads(list_answer(total=total))["data"]["rows"]:
        archive_document(archive, str(row["docId"]), "ok")


def test_a_page_of_archived_documents_at_the_watermark_stops_paging(archive):
    archive_page(archive)
    archive.set_watermark("nfra", PENALTY_ITEM, "2020-03-02T18:16:50")
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    assert pages == []


def test_a_page_of_archived_documents_older_than_the_watermark_stops_paging(archive):
    archive_page(archive)
    archive.set_watermark("nfra", PENALTY_ITEM, "2021-01-01T00:00:00")
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    assert pages == []


def test_a_new_document_among_archived_ones_keeps_the_walk_going(archive):
    # a row the site added below the mark (back-dated, or late): the page is not wholly known, so the walk goes on
    archive_page(archive)
    archive.set_watermark("nfra", PENALTY_ITEM, "2021-01-01T00:00:00")
    rows = json.loads(list_answer(total=19))["data"]["rows"]
    rows[5] = {**rows[5], "docId": 777}
    documents, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19, rows=rows), page=1)
    assert [r.meta["doc_id"] for r in documents] == ["777"] and [p.meta["page"] for p in pages] == [2]


def test_full_walks_past_the_watermark(archive):
    archive_page(archive)
    archive.set_watermark("nfra", PENALTY_ITEM, "2021-01-01T00:00:00")
    _, pages = parse_list_page(make_spider(archive, full=True), archive, list_answer(total=19), page=1)
    assert [p.meta["page"] for p in pages] == [2]


def test_archived_document_newer_than_the_watermark_keeps_paging(archive):
    # Archived after the last complete walk, by a crawl that may have stopped before reaching the older pages.
    archive_document(archive, "892530", "ok")
    archive.set_watermark("nfra", PENALTY_ITEM, "2020-01-01T00:00:00")
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    assert [page.meta["page"] for page in pages] == [2]


def test_watermark_of_another_item_does_not_stop_paging(archive):
    archive_document(archive, "892530", "ok")
    archive.set_watermark("nfra", "4113", "2026-01-01T00:00:00")
    _, pages = parse_list_page(make_spider(archive), archive, list_answer(total=19), page=1)
    assert [page.meta["page"] for page in pages] == [2]


# -- documents --------------------------------------------------------------------------------------------------

def parse_detail_1(spider: NfraSpider, archive: Archive):
    response = answered(archive, document_request(DETAIL_1_DOC_ID), DETAIL_1)
    return response, list(spider.parse_document(response))


def test_document_yields_one_item(archive):
    _, output = parse_detail_1(make_spider(archive), archive)
    assert len(output) == 1
    assert isinstance(output[0], dict)


def test_a_docclob_showing_its_words_is_not_parsed_to_know_it_holds_the_document(archive, monkeypatch):
    """Whether the docClob holds the document (or the document is its file) is asked of every answer: parsing its
    Word page for that was a sixth of a crawl's time (make bench-crawl). A penalty table, some 180 Han characters, is
    not parsed for it; a short reply (平安理财's, 118 characters) is, once."""
    import sources
    import sources.nfra.envelope as envelope

    table = (sources.get("nfra").demo_corpus / "documents" / "9000001.json").read_bytes()
    read = []
    monkeypatch.setattr(envelope, "clob_text", lambda data: read.append(data) or "某银行罚款" * 10)
    spider = make_spider(archive)
    assert len(list(spider.parse_document(answered(archive, document_request("9000001"), table)))) == 1
    assert read == []
    _, output = parse_detail_1(spider, archive)
    assert len(output) == 1 and len(read) == 1


def test_only_the_words_of_a_docclob_tell_that_it_holds_the_document():
    """Word's head (its fonts 宋体, 仿宋) and the tags' attributes are no words: a penalty table's page with its
    words taken out shows none."""
    import re

    import sources
    from sources.nfra.envelope import shows_words

    table = (sources.get("nfra").demo_corpus / "documents" / "9000001.json").read_bytes()
    clob = json.loads(table)["data"]["docClob"]
    assert "宋体" in clob and shows_words(clob)
    assert not shows_words(re.sub(r">[^<]+<", "><", clob))
    assert not shows_words(re.sub(r">[^<]+<", "><", clob).replace("</body>", "<p>详见附件</p></body>"))


def test_document_item_doc_id(archive):
    _, (item,) = parse_detail_1(make_spider(archive), archive)
    assert item["doc_id"] == "1255850"


def test_document_item_sha256_is_that_of_the_body(archive):
    _, (item,) = parse_detail_1(make_spider(archive), archive)
    assert item["sha256"] == hashlib.sha256(DETAIL_1).hexdigest()


def test_document_item_sha256_reads_back_the_archived_body(archive):
    _, (item,) = parse_detail_1(make_spider(archive), archive)
    assert archive.read(item["sha256"]) == DETAIL_1


def test_document_item_title_is_the_one_line_title(archive):
    _, (item,) = parse_detail_1(make_spider(archive), archive)
    assert item["title"] == "国家金融监督管理总局关于平安理财有限责任公司修改公司章程的批复"


def test_document_item_keeps_url_item_and_source(archive):
    _, (item,) = parse_detail_1(make_spider(archive), archive)
    assert item["url"] == document_url("1255850")
    assert item["item_id"] == PENALTY_ITEM
    assert item["source"] == "nfra"


def test_document_fetch_is_judged_ok_and_counts_as_archived(archive):
    spider = make_spider(archive)
    response, _ = parse_detail_1(spider, archive)
    assert archive.fetch(response.meta["fetch_id"]).verdict == "ok"
    assert archive.has_document("nfra", "1255850")
    assert spider.problems == []


# -- blocked answers --------------------------------------------------------------------------------------------

NOT_FOUND_HTML = b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>"
FORBIDDEN_HTML = b"<html><head><title>403 Forbidden</title></head><body><h1>403 Forbidden</h1></body></html>"
ERROR_ENVELOPE = json.dumps({"rptCode": 500, "msg": "系统繁忙", "data": None}, ensure_ascii=False,
                            separators=(",", ":")).encode("utf-8")

# (body, HTTP status, content type, what the recorded reason must mention for a person to act on it)
BLOCKED_ANSWERS = {
    "html-with-status-200": (RENDERED_PAGE, 200, HTML_TYPE, "HTML"),
    "html-404": (NOT_FOUND_HTML, 404, HTML_TYPE, "404"),
    "http-403": (FORBIDDEN_HTML, 403, HTML_TYPE, "403"),
    # A well-formed list answer under a 403 (a proxy or gateway passing the body on): the status alone decides.
    "http-403-with-a-json-body": (list_answer(total=1), 403, JSON_TYPE, "403"),
    "rptCode-500": (ERROR_ENVELOPE, 200, JSON_TYPE, "系统繁忙"),
    "malformed-json": (DETAIL_1[:2000], 200, JSON_TYPE, "JSON"),
    "empty-body": (b"", 200, JSON_TYPE, "empty"),
}


@pytest.fixture(params=sorted(BLOCKED_ANSWERS))
def blocked_answer(request):
    return BLOCKED_ANSWERS[request.param]


@pytest.mark.parametrize("kind", ["list", "document"])
def test_blocked_answer_yields_nothing(archive, blocked_answer, kind):
    body, status, content_type, _ = blocked_answer
    spider = make_spider(archive)
    request = list_request() if kind == "list" else document_request()
    response = answered(archive, request, body, status, content_type)
    parse = spider.parse_list if kind == "list" else spider.parse_document
    assert list(parse(response)) == []


@pytest.mark.parametrize("kind", ["list", "document"])
def test_blocked_answer_is_a_problem_with_its_url(archive, blocked_answer, kind):
    body, status, content_type, _ = blocked_answer
    spider = make_spider(archive)
    request = list_request() if kind == "list" else document_request()
    response = answered(archive, request, body, status, content_type)
    parse = spider.parse_list if kind == "list" else spider.parse_document
    list(parse(response))
    assert [problem.url for problem in spider.problems] == [request.url]


@pytest.mark.parametrize("kind", ["list", "document"])
def test_blocked_answer_fetch_is_judged_blocked_with_a_reason(archive, blocked_answer, kind):
    body, status, content_type, mentions = blocked_answer
    spider = make_spider(archive)
    request = list_request() if kind == "list" else document_request()
    response = answered(archive, request, body, status, content_type)
    parse = spider.parse_list if kind == "list" else spider.parse_document
    list(parse(response))
    fetch = archive.fetch(response.meta["fetch_id"])
    assert fetch.verdict == "blocked"
    assert mentions in fetch.reason


def test_rptcode_error_reason_names_the_code(archive):
    body, status, content_type, _ = BLOCKED_ANSWERS["rptCode-500"]
    response = answered(archive, list_request(), body, status, content_type)
    list(make_spider(archive).parse_list(response))
    assert "500" in archive.fetch(response.meta["fetch_id"]).reason


def test_blocked_document_does_not_count_as_archived(archive):
    body, status, content_type, _ = BLOCKED_ANSWERS["html-with-status-200"]
    response = answered(archive, document_request(), body, status, content_type)
    list(make_spider(archive).parse_document(response))
    assert not archive.has_document("nfra", DETAIL_1_DOC_ID)


def test_blocked_list_page_never_becomes_a_watermark(archive):
    # Page 1 is real; page 2 answers with an HTML page. The list was not walked to its end.
    spider = make_spider(archive)
    parse_list_page(spider, archive, list_answer(total=19), page=1)
    parse_list_page(spider, archive, RENDERED_PAGE, page=2, content_type=HTML_TYPE)
    spider.on_closed(spider, "finished")
    assert archive.watermark("nfra", PENALTY_ITEM) is None


def test_list_answer_of_another_shape_is_blocked(archive):
    # The endpoint changed (HINT_BLOCKED's second case): a well-formed envelope whose rows are not under data.rows.
    spider = make_spider(archive)
    response = answered(archive, list_request(), OPEN_GOV_LIST)
    output = list(spider.parse_list(response))
    assert output == []
    assert [problem.url for problem in spider.problems] == [list_url(PENALTY_ITEM, 1)]
    assert archive.fetch(response.meta["fetch_id"]).verdict == "blocked"
    assert "lacks rows" in spider.problems[0].reason


def test_list_row_without_doc_id_is_reported_and_the_rest_of_the_page_goes_on(archive):
    answer = list_answer(total=2, rows=({"docTitle": "no id", "publishDate": "2020-03-02 18:16:50.0"}, ROW_892530))
    spider = make_spider(archive)
    output = list(spider.parse_list(answered(archive, list_request(), answer)))
    assert [request.meta["doc_id"] for request in output] == ["892530"]
    assert "docId" in spider.problems[0].reason


def test_document_answer_for_another_doc_id_is_blocked(archive):
    spider = make_spider(archive)
    request = document_request()
    request.meta["doc_id"] = "1"
    response = answered(archive, request, DETAIL_1)
    assert list(spider.parse_document(response)) == []
    assert "not 1" in spider.problems[0].reason
    assert archive.fetch(response.meta["fetch_id"]).verdict == "blocked"


def document_without_doc_clob() -> bytes:
    data = json.loads(DETAIL_1)["data"]
    del data["docClob"]
    return envelope(data)


def test_document_without_doc_clob_yields_no_item(archive):
    response = answered(archive, document_request(), document_without_doc_clob())
    assert list(make_spider(archive).parse_document(response)) == []


def test_document_without_doc_clob_is_a_problem_with_its_url(archive):
    spider = make_spider(archive)
    response = answered(archive, document_request(), document_without_doc_clob())
    list(spider.parse_document(response))
    assert [problem.url for problem in spider.problems] == [document_url(DETAIL_1_DOC_ID)]
    assert "docClob" in spider.problems[0].reason


def test_document_without_doc_clob_is_judged_blocked(archive):
    response = answered(archive, document_request(), document_without_doc_clob())
    list(make_spider(archive).parse_document(response))
    assert archive.fetch(response.meta["fetch_id"]).verdict == "blocked"
    assert not archive.has_document("nfra", DETAIL_1_DOC_ID)


# -- a list that answers short: nothing lost ---------------------------------------------------------------------

def feed(spider, archive: Archive, request: scrapy.Request, body: bytes):
    """One answer to ``request``: what the spider asks next (documents, pages)."""
    output = list(spider.parse_list(answered(archive, request, body)))
    return ([o for o in output if o.meta.get("kind") == "document"],
            [o for o in output if o.meta.get("kind") == "list"])


def test_an_empty_page_where_the_count_says_more_is_asked_for_again(archive):
    # the attack: page 2 of 6 answered empty once; 81 of 91 documents were never fetched and the crawl exited 0
    spider = make_spider(archive)
    _, (retry,) = feed(spider, archive, list_request(page=2), list_answer(total=91, rows=[]))
    assert retry.meta["page"] == 2 and retry.meta["short_tries"] == 1 and retry.url == list_url(PENALTY_ITEM, 2)
    documents, (page_3,) = feed(spider, archive, retry, list_answer(total=91, page=2))
    assert len(documents) == 18 and page_3.meta["page"] == 3
    assert spider.problems == []


def test_a_page_that_stays_short_is_reported_and_the_walk_goes_on_without_moving_the_mark(archive):
    spider = make_spider(archive)
    request = list_request(page=2)
    for _ in range(2):
        _, (request,) = feed(spider, archive, request, list_answer(total=91, rows=[]))
    _, pages = feed(spider, archive, request, list_answer(total=91, rows=[]))
    assert [p.meta["page"] for p in pages] == [3]      # the rest of the list is still walked
    problem, = spider.problems
    assert "page 2" in problem.reason and "0 rows" in problem.reason and "18" in problem.reason
    for page in range(3, 7):
        feed(spider, archive, list_request(page=page), list_answer(total=91, page=page))
    spider.on_closed(spider, "finished")
    assert archive.watermark("nfra", PENALTY_ITEM) is None   # the next crawl walks the list again


def test_a_smaller_count_on_a_later_page_does_not_end_the_walk(archive):
    spider = make_spider(archive)
    feed(spider, archive, list_request(page=1), list_answer(total=91))
    # page 2 says the list holds 20 (the site mid-update): pages 3 to 6 must still be asked for
    _, pages = feed(spider, archive, list_request(page=2), list_answer(total=20, page=1))
    assert [p.meta["page"] for p in pages] == [3]


def test_a_list_whose_count_changed_during_the_walk_is_walked_again_from_page_1(archive):
    spider = make_spider(archive)
    first = spider.list_request(PENALTY_ITEM, 1)
    feed(spider, archive, first, list_answer(total=19))
    # rows shifted (two added at the top): page 2 is now the list's last page of a count of 21
    _, pages = feed(spider, archive, list_request(page=2), list_answer(total=21, page=2))
    assert [p.meta["page"] for p in pages] == [1] and pages[0].meta["walked_again"]
    assert spider.tally["lists_walked_again"] == 1

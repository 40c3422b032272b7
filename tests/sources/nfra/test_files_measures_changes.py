"""NFRA: the files an envelope links (attachmentInfoVOList, pdfFileUrl, docFileUrl), the 行政监管措施 list (932),
the penalty column's children (discovery) and documents the site edited (docEditdate), on saved and assembled
answers (this folder's README.md says which); the crawl of the mirror at the end runs in its own process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import scrapy

import sources
from crawler.archive import Archive
from db.build import build
from sources.nfra.document import read
from sources.nfra.spider import attachment_id
from tests.conftest import demo_corpus, run_regkb
from tests.sources.nfra.test_spider import (
    BASE_URL,
    DETAIL_1,
    JSON_TYPE,
    ROW_892530,
    answered,
    document_request,
    envelope,
    list_answer,
    list_request,
    make_spider,
)

DEMO = demo_corpus("nfra")
# The demo's decision published only as a Word file (sources/nfra/demo/README.md): 菏金罚决字〔2023〕26号.
HEZE_ANSWER = (DEMO / "documents" / "9100004.json").read_bytes()
HEZE_PATH = "/chinese/docfile/2023/heze_2023_26.docx"
HEZE_FILE = (DEMO / "files" / HEZE_PATH.lstrip("/")).read_bytes()
HEZE_TITLE = "国家金融监督管理总局菏泽监管分局行政处罚决定书（菏金罚决字〔2023〕26号）"
# A real approval's answer (金复[2026]220号) with the docClob it has: a document that is its text.
DETAIL = json.loads(DETAIL_1)["data"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def answer_with(**changes) -> bytes:
    """The recorded detail answer (docId 1255850) with these keys of ``data`` changed."""
    return envelope({**DETAIL, **changes})


def parse_document(spider, archive, body: bytes, doc_id: str = "1255850", item_id: str = "4114", row=None,
                   changed: bool = False):
    request = document_request(doc_id, item_id)
    request.meta["list_row"] = row or {}
    request.meta["changed"] = changed
    return list(spider.parse_document(answered(archive, request, body)))


def requests_of(output) -> list[scrapy.Request]:
    return [out for out in output if isinstance(out, scrapy.Request)]


EMPTY_CLOB = DETAIL["docClob"].split("<!--StartFragment-->")[0] + "<!--StartFragment--><!--EndFragment--></body></html>"


# -- the files an answer links -------------------------------------------------------------------------------------

def test_an_attachment_of_the_list_is_fetched_at_its_path_on_the_crawls_root(archive):
    body = answer_with(attachmentInfoVOList=[{"attachmentName": "a.xls", "urlOtherName": "/chinese/docfile/2025/a.xls"}])
    fetched = requests_of(parse_document(make_spider(archive), archive, body))
    assert [request.url for request in fetched] == [f"{BASE_URL}/chinese/docfile/2025/a.xls"]


def test_an_attachment_is_listed_under_its_document(archive):
    body = answer_with(attachmentInfoVOList=[{"attachmentName": "a.xls", "urlOtherName": "/chinese/docfile/2025/a.xls"}])
    parse_document(make_spider(archive), archive, body)
    listing = archive.listing("nfra", attachment_id("1255850", "/chinese/docfile/2025/a.xls"))
    assert listing["parent_doc_id"] == "1255850"
    assert listing["title"] == DETAIL["docSubtitle"]
    assert listing["published"] == "2026-04-24T17:32:00"
    assert listing["list_url"] == f"{BASE_URL}/cn/view/pages/ItemDetail.html?docId=1255850&itemId=4114"


def test_a_document_with_its_text_in_doc_clob_does_not_fetch_its_pdf_rendering(archive):
    body = answer_with(pdfFileUrl="/chinese/OFFICE/PDF/1255850.pdf")
    assert requests_of(parse_document(make_spider(archive), archive, body)) == []


def test_a_document_published_only_as_a_file_fetches_the_pdf_the_list_row_gives(archive):
    row = {**ROW_892530, "pdfFileUrl": "/chinese/OFFICE/PDF/1255850.pdf", "docFileUrl": "/chinese/OFFICE/DOC/1255850.doc"}
    fetched = requests_of(parse_document(make_spider(archive), archive, answer_with(docClob=EMPTY_CLOB), row=row))
    assert [request.url for request in fetched] == [f"{BASE_URL}/chinese/OFFICE/PDF/1255850.pdf"]


def test_a_document_published_only_as_a_file_without_one_is_blocked(archive):
    spider = make_spider(archive)
    assert parse_document(spider, archive, answer_with(docClob=EMPTY_CLOB)) == []
    assert "links no file" in spider.problems[0].reason


@pytest.mark.parametrize("address", ["file:///etc/passwd", "http://evil.example/chinese/a.pdf"])
def test_a_file_link_off_the_sites_hosts_is_refused_and_reported(archive, address):
    spider = make_spider(archive)
    body = answer_with(attachmentInfoVOList=[{"attachmentName": "a.pdf", "urlOtherName": address}])
    assert requests_of(parse_document(spider, archive, body)) == []
    assert spider.tally["links_refused"] == 1 and spider.problems[0].url == address


def test_the_cbirc_host_is_one_of_the_sites_in_a_real_crawl(archive):
    spider = make_spider(archive)
    spider.base_url = None   # no --base-url: the source's own hosts
    assert spider.refusal("https://www.cbirc.gov.cn/chinese/docfile/2019/a.pdf") is None


def test_a_file_answered_with_a_pdf_is_judged_ok(archive):
    spider = make_spider(archive)
    request = spider.attachment_request(f"{BASE_URL}/chinese/OFFICE/PDF/1.pdf", "1.abc", "4114")
    items = list(spider.parse_attachment(answered(archive, request, b"%PDF-1.4\n%...", content_type="application/pdf")))
    assert items[0]["doc_id"] == "1.abc" and archive.has_document("nfra", "1.abc")


def test_a_file_answered_with_an_html_page_is_blocked(archive):
    spider = make_spider(archive)
    request = spider.attachment_request(f"{BASE_URL}/chinese/OFFICE/PDF/1.pdf", "1.abc", "4114")
    assert list(spider.parse_attachment(answered(archive, request, b"<html>404</html>", content_type="text/html"))) == []
    assert not archive.has_document("nfra", "1.abc") and "HTML page" in spider.problems[0].reason


# -- the documents of the files: read by the attachment readers ---------------------------------------------------

HEZE_LISTING = {"title": HEZE_TITLE, "published": "2023-12-31T00:00:00", "parent_doc_id": "9100004", "branch": "4115",
                "list_url": "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=9100004&itemId=4115"}


def heze():
    reading = read(HEZE_FILE, doc_id="9100004.x", url=f"https://www.nfra.gov.cn{HEZE_PATH}", listing=HEZE_LISTING,
                   item_id="4115")
    [analysis] = reading.analyses
    return analysis.decision


def test_the_decision_in_a_word_file_has_its_number_party_and_fine():
    # read by hand from shared/corpus/nfra/heze_2023_26_condensed_test_string.txt
    decision = heze()
    assert decision.decision_no == "菏金罚决字〔2023〕26号"
    assert [party.name for party in decision.parties] == ["中国大地财产保险股份有限公司菏泽中心支公司"]
    assert decision.total_fine_yuan == 250000


def test_the_decision_in_a_word_file_is_cited_by_its_documents_page():
    assert heze().url == HEZE_LISTING["list_url"]
    assert heze().publish_date == "2023-12-31"


def test_the_decision_in_a_pdf_rendering_is_read_the_same():
    from tests.conftest import responses

    body = (responses("nfra") / "heze_2023_26.pdf").read_bytes()
    reading = read(body, doc_id="9100004.x", url="https://www.nfra.gov.cn/chinese/OFFICE/PDF/9100004.pdf",
                   listing=HEZE_LISTING, item_id="4115")
    [analysis] = reading.analyses
    assert analysis.decision.decision_no == "菏金罚决字〔2023〕26号"
    assert [party.name for party in analysis.decision.parties] == ["中国大地财产保险股份有限公司菏泽中心支公司"]
    assert analysis.decision.total_fine_yuan == 250000 and reading.rendering.startswith("the tables and text of the pdf")


def test_an_answer_whose_document_is_its_file_holds_no_decision_itself():
    reading = read(HEZE_ANSWER, doc_id="9100004", item_id="4115")
    assert reading.analyses == [] and "published as its files" in reading.rendering


def test_an_empty_answer_whose_list_row_gave_its_file_holds_no_decision_itself():
    # the spider fetched the PDF of the list row (pdfFileUrl) and recorded that the document links one file
    body = answer_with(docClob=EMPTY_CLOB, docSubtitle=HEZE_TITLE)
    assert read(body, doc_id="1255850", item_id="4115", listing={"files": 1}).analyses == []


def test_an_empty_answer_linking_no_file_is_still_read_as_its_envelope_says():
    [analysis] = read(answer_with(docClob=EMPTY_CLOB, docSubtitle=HEZE_TITLE), doc_id="1255850", item_id="4115").analyses
    assert analysis.decision.title == HEZE_TITLE and "无正文" in analysis.review.items


def test_the_number_of_files_a_document_links_is_stored_with_it(archive):
    body = answer_with(attachmentInfoVOList=[{"attachmentName": "a.xls", "urlOtherName": "/chinese/docfile/2025/a.xls"}])
    parse_document(make_spider(archive), archive, body)
    assert archive.listing("nfra", "1255850")["files"] == 1


# -- 行政监管措施 (932) ------------------------------------------------------------------------------------------

def test_the_measures_list_is_crawled_with_the_penalty_lists(archive):
    assert "932" in make_spider(archive).item_ids


# A real record read as a measure: sources/nfra/demo/documents/9000026.json is record 26 of
# tests/fixtures/real/cbrc_2016_penalties_100.csv (衢州银监分局, 中国建设银行股份有限公司衢州分行, 警告，并处罚款人民币10万元).
RECORD_26 = (DEMO / "documents" / "9000026.json").read_bytes()


def test_a_document_of_the_measures_list_is_a_measure():
    [analysis] = read(RECORD_26, doc_id="9000026", item_id="932").analyses
    assert analysis.decision.kind == "measure"


def test_a_measure_keeps_its_sanctions_but_no_fine():
    [analysis] = read(RECORD_26, doc_id="9000026", item_id="932").analyses
    assert [s.type for party in analysis.decision.parties for s in party.sanctions] == ["warning"]
    assert analysis.decision.total_fine_yuan is None


def test_the_same_document_of_a_penalty_list_is_a_penalty_with_its_fine():
    [analysis] = read(RECORD_26, doc_id="9000026", item_id="4115").analyses
    assert analysis.decision.kind == "penalty" and analysis.decision.total_fine_yuan == 100000


def test_a_measures_title_passes_the_gate_of_the_measures_list_only():
    from nlp.records import Unparseable

    body = json.loads(RECORD_26)
    body["data"]["docSubtitle"] = body["data"]["docTitle"] = "关于对中国建设银行股份有限公司衢州分行出具警示函的决定"
    raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
    assert read(raw, doc_id="9000026", item_id="932").analyses[0].decision.kind == "measure"
    with pytest.raises(Unparseable, match="not a penalty document"):
        read(raw, doc_id="9000026", item_id="4115")


# -- discovery: the penalty column's children ----------------------------------------------------------------------

def columns_answer(*children: tuple[int, str]) -> bytes:
    return envelope([{"itemId": item, "itemName": name, "docInfoVOList": [ROW_892530]} for item, name in children])


def parse_columns(spider, archive, body: bytes):
    [request] = spider.discovery_requests()
    return list(spider.parse_columns(answered(archive, request, body)) or ())


def test_discovery_asks_the_penalty_column_for_its_children(archive):
    [request] = make_spider(archive).discovery_requests()
    assert request.url == f"{BASE_URL}/cbircweb/DocInfo/SelectItemAndDocByItemPId?itemId=931&pageSize=1"


def test_the_children_source_yaml_names_are_no_change(archive):
    spider = make_spider(archive)
    parse_columns(spider, archive, columns_answer((4113, "总局机关"), (4114, "监管局本级"), (4115, "监管分局本级")))
    assert spider.discoveries == [] and spider.tally["lists_checked"] == 3


def test_a_child_that_appeared_and_one_that_vanished_are_reported(archive):
    # assembled: the recorded answer's shape (data[] of {itemId, itemName, docInfoVOList}) with 4115 left out and
    # an item id no list has (9999)
    spider = make_spider(archive)
    parse_columns(spider, archive, columns_answer((4113, "总局机关"), (4114, "监管局本级"), (9999, "新栏目")))
    assert sorted((d.change, d.list_id) for d in spider.discoveries) == [("appeared", "9999"), ("vanished", "4115")]


def test_a_columns_answer_of_another_shape_is_blocked(archive):
    spider = make_spider(archive)
    parse_columns(spider, archive, envelope({"total": 0, "rows": []}))
    assert spider.discoveries == [] and "not the columns' answer" in spider.problems[0].reason


# -- documents the site edited: docEditdate -------------------------------------------------------------------------

def crawled_once(archive, edited: str = "2026-04-24T09:47:41.000+00:00"):
    """An earlier crawl archived docId 1255850 (the recorded answer, docEditdate 2026-04-24T09:47:41.000+00:00)."""
    spider = make_spider(archive)
    parse_document(spider, archive, answer_with(docEditdate=edited))
    return spider


def list_rows(spider, archive, row):
    request = list_request(item_id="4114")
    return [out for out in spider.parse_list(answered(archive, request, list_answer(1, rows=[row])))
            if isinstance(out, scrapy.Request) and out.meta["kind"] == "document"]


ROW = {**ROW_892530, "docId": 1255850, "publishDate": "2026-04-24 17:32:00.0"}


def test_the_edit_date_of_the_archived_body_is_stored(archive):
    crawled_once(archive)
    assert archive.listing("nfra", "1255850")["edited"] == "2026-04-24T09:47:41.000+00:00"


def test_a_document_whose_edit_date_changed_is_fetched_again(archive):
    crawled_once(archive)
    spider = make_spider(archive)
    [again] = list_rows(spider, archive, {**ROW, "docEditdate": "2026-05-06T02:10:00.000+00:00"})
    assert again.meta["changed"] and again.dont_filter and spider.tally["documents_changed"] == 1


def test_a_document_whose_edit_date_is_the_same_is_not_fetched_again(archive):
    crawled_once(archive)
    assert list_rows(make_spider(archive), archive, {**ROW, "docEditdate": "2026-04-24T09:47:41.000+00:00"}) == []


def test_a_changed_document_fetches_its_files_again(archive):
    files = [{"attachmentName": "a.xls", "urlOtherName": "/chinese/docfile/2025/a.xls"}]
    spider = make_spider(archive)
    first = requests_of(parse_document(spider, archive, answer_with(attachmentInfoVOList=files)))
    fetch = archive.store(b"%PDF-1.4", url=first[0].url, source="nfra", kind="document", doc_id=first[0].meta["doc_id"])
    archive.judge(fetch.fetch_id, "ok")
    unchanged = requests_of(parse_document(spider, archive, answer_with(attachmentInfoVOList=files)))
    changed = requests_of(parse_document(spider, archive, answer_with(attachmentInfoVOList=files), changed=True))
    assert unchanged == [] and [request.url for request in changed] == [first[0].url]


def test_a_file_that_failed_is_asked_for_again_when_its_document_is_listed_again(archive):
    # a first crawl archived the answer, but the file it links answered with an HTML page (blocked)
    files = [{"attachmentName": "a.xls", "urlOtherName": "/chinese/docfile/2025/a.xls"}]
    spider = make_spider(archive)
    [file_request] = requests_of(parse_document(spider, archive, answer_with(attachmentInfoVOList=files, docEditdate=None)))
    list(spider.parse_attachment(answered(archive, file_request, b"<html>404</html>", content_type="text/html")))
    # the next crawl lists the document, archived already: not fetched again, its file is
    again = make_spider(archive)
    assert [request.url for request in list_rows(again, archive, ROW)] == [file_request.url]
    assert again.tally["documents_already_archived"] == 1 and again.tally["attachments_retried"] == 1


# -- the build: revisions, the newest body ------------------------------------------------------------------------

def built_twice(tmp_path):
    """The demo's 鲁金罚决字〔2026〕16号 fetched three times: twice as archived, then with another docEditdate
    (assembled: the site saving the document again); built. The sha256 of the newest body."""
    first = (DEMO / "documents" / "9100003.json").read_bytes()
    answer = json.loads(first)
    answer["data"]["docEditdate"] = "2026-05-06T02:10:00.000+00:00"
    second = json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    archive = Archive(tmp_path / "archive")
    url = f"{BASE_URL}/cbircweb/DocInfo/SelectByDocId?docId=9100003"
    for body in (first, first, second):
        fetch = archive.store(body, url=url, source="nfra", kind="document", http_status=200, content_type=JSON_TYPE,
                              doc_id="9100003", item_id="4114")
        archive.judge(fetch.fetch_id, "ok")
    archive.close()
    build(tmp_path / "archive", tmp_path / "regkb.db", isolated=False)
    return fetch.sha256


def test_a_decision_archived_twice_differently_has_two_revisions_and_is_read_from_the_newest(tmp_path):
    newest = built_twice(tmp_path)
    with sqlite3.connect(tmp_path / "regkb.db") as db:
        revisions, sha256, fine = db.execute(
            "select revisions, raw_sha256, total_fine_yuan from decisions where doc_id = '9100003'").fetchone()
    assert revisions == 2
    assert sha256 == newest
    assert fine == 115000   # 罚款人民币11.5万元 (shared/corpus/decisions/decision_lu_2026_16.txt)


def test_the_decision_page_says_the_site_changed_the_document(tmp_path):
    from tests.web.conftest import app, get

    built_twice(tmp_path)
    html = get("/regkb/decisions/nfra~3A9100003", instance=app(tmp_path / "regkb.db")).text
    assert "存档中有 2 个不同版本，本页据最新版本读出" in html


# -- a crawl of the mirror, in its own process --------------------------------------------------------------------

def corpus_of(tmp_path, edited: str | None = None):
    """Part of the demo corpus: 鲁金罚决字〔2026〕16号 (4114), the decision published as a Word file (4115) and the
    record 序号 26 under 932; with ``edited``, 16号's answer and list row carry that docEditdate (assembled: the
    recorded list row has none)."""
    root = tmp_path / "corpus"
    nfra = root / "nfra"
    shutil.rmtree(root, ignore_errors=True)
    (nfra / "documents").mkdir(parents=True)
    (nfra / "lists").mkdir()
    shutil.copytree(DEMO / "files", nfra / "files")
    for doc_id in ("9100003", "9100004", "9000026"):
        shutil.copy(DEMO / "documents" / f"{doc_id}.json", nfra / "documents")
    lists = {item: [row for row in json.loads((DEMO / "lists" / f"{item}.json").read_text(encoding="utf-8"))
                    if row["docId"] in (9100003, 9100004)] for item in ("4113", "4114", "4115", "932")}
    # a real record served under 932 (the demo has no real measure): the list it came from makes it a measure
    lists["932"] = [row for row in json.loads((DEMO / "lists" / "4115.json").read_text(encoding="utf-8"))
                    if row["docId"] == 9000026]
    if edited:
        answer = json.loads((nfra / "documents" / "9100003.json").read_text(encoding="utf-8"))
        answer["data"]["docEditdate"] = edited
        (nfra / "documents" / "9100003.json").write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        lists["4114"] = [{**row, "docEditdate": edited} for row in lists["4114"]]
    for item, rows in lists.items():
        (nfra / "lists" / f"{item}.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return root


def crawl(tmp_path, edited: str | None = None):
    server = sources.mirror(corpus_of(tmp_path, edited)).start()
    try:
        return run_regkb("crawl", "nfra", "--base-url", server.base_url, "--delay", "0", "--archive",
                         str(tmp_path / "archive"), "--log-level", "WARNING")
    finally:
        server.stop()


def test_a_crawl_of_the_mirror_fetches_the_file_and_a_changed_document_again(tmp_path):
    first = crawl(tmp_path, edited="2026-04-24T09:47:41.000+00:00")
    same = crawl(tmp_path, edited="2026-04-24T09:47:41.000+00:00")
    changed = crawl(tmp_path, edited="2026-05-06T02:10:00.000+00:00")
    assert first.returncode == 0, first.stdout + first.stderr
    archive = Archive(tmp_path / "archive")
    try:
        fetched = [(f.doc_id, f.url.split("/", 3)[-1]) for f in archive.fetches(source="nfra", kind="document")]
    finally:
        archive.close()
    heze = attachment_id("9100004", HEZE_PATH)
    detail = "cbircweb/DocInfo/SelectByDocId?docId="
    # the two documents and the Word file once, and 16号 again after its docEditdate changed; nothing more
    assert sorted(fetched) == sorted([("9100003", detail + "9100003"), ("9100004", detail + "9100004"),
                                      (heze, HEZE_PATH.lstrip("/")), ("9000026", detail + "9000026"),
                                      ("9100003", detail + "9100003")])
    assert same.returncode == 0 and changed.returncode == 0, changed.stdout + changed.stderr
    build(tmp_path / "archive", tmp_path / "regkb.db", isolated=False)
    with sqlite3.connect(tmp_path / "regkb.db") as db:
        rows = {row[0]: row[1:] for row in db.execute(
            "select doc_id, kind, revisions, total_fine_yuan from decisions").fetchall()}
    # 16号 fined 11.5万元, changed once; 26号 from its Word file, 25万元; record 序号 26 under 932: a measure, no fine
    assert rows == {"9100003": ("penalty", 2, 115000), f"{heze}": ("penalty", 1, 250000),
                    "9000026": ("measure", 1, None)}


def test_discover_against_the_mirror_agrees_with_source_yaml(tmp_path):
    server = sources.mirror(corpus_of(tmp_path)).start()
    try:
        result = run_regkb("crawl", "nfra", "--discover", "--base-url", server.base_url, "--delay", "0",
                           "--archive", str(tmp_path / "archive"), "--log-level", "WARNING")
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nfra: 3 lists checked against the site; they agree with sources/nfra/source.yaml" in result.stdout


def test_a_list_removed_from_the_mirror_is_reported_by_discover(tmp_path):
    corpus = corpus_of(tmp_path)
    (corpus / "nfra" / "lists" / "4115.json").unlink()   # the mirror's penalty column then has no 4115
    server = sources.mirror(corpus).start()
    try:
        result = run_regkb("crawl", "nfra", "--discover", "--base-url", server.base_url, "--delay", "0",
                           "--archive", str(tmp_path / "archive"), "--log-level", "WARNING")
    finally:
        server.stop()
    assert result.returncode == 1
    assert "nfra: 1 list(s) vanished:" in result.stderr and "监管分局本级 (sub-bureaus) (4115)" in result.stderr


def test_the_docclob_is_kept_to_show_with_its_words_and_without_words_head():
    """Word's <head> (style sheets, document properties: 37 of the 50 KB here) is kept only in the whole answer
    (raw_documents.body) and the archive; what is shown, document_html, is the document's own part."""
    clob = json.loads(RECORD_26)["data"]["docClob"]
    shown = read(RECORD_26, doc_id="9000026", item_id="932").document_html
    assert "<head" in clob and "<head" not in shown and "<style" not in shown
    assert shown.startswith("<html") and len(shown) < len(clob) / 3
    assert clob.endswith(shown[-2000:]) and "警告" in shown

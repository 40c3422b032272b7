"""Links that work: every address the demo database stores is the regulator's own (the demo crawled a loopback mirror),
and every decision page offers 下载原件, the archived bytes with their type and name.

Expected values come from the demo corpus (sources/*/demo/: the bytes the mirror served, at the paths it served them)
and the archive the demo crawled into, read with plain sqlite3.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from urllib.parse import quote, unquote, urlsplit

import pytest

from db.originals import size_label
from sources import load_source
from tests.conftest import demo_corpus, demo_database
from tests.web.conftest import app, get, sql

# (table, column) of every address the database stores (db/shape.py, nlp/schema.py)
URL_COLUMNS = [("decisions", "url"), ("decisions", "source_url"), ("raw_documents", "url"), ("quarantine", "url"),
               ("duplicates", "url"), ("duplicates", "source_url")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHANGHAI_2015 = ("/fzhshanghai/resource/cms/2015/06/中国人民银行上海分行行政处罚信息公示表（20150204、20150528）.xlsx")
HEAD_OFFICE_2026 = "/zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/银罚决字〔2026〕104-116号.pdf"


def demo_archive_fetches() -> list[tuple]:
    """(source, doc_id, item_id, url, sha256) of every document the demo fetched, as its archive recorded them."""
    index = demo_database().parent / "demo" / "archive" / "index.sqlite"
    connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        return connection.execute("select source, doc_id, item_id, url, sha256 from fetches where kind = 'document'"
                                  " and verdict = 'ok'").fetchall()
    finally:
        connection.close()


def real_hosts(source: str) -> set[str]:
    facts = load_source(source)
    return {urlsplit(url).hostname for url in [facts.base_url, *(site.host for site in facts.sites)]}


def page(decision_id: str, instance=None) -> str:
    return get(f"/regkb/decisions/{decision_id.replace(':', '~3A')}", instance=instance).text


def offered(html: str) -> str:
    match = re.search(r'<dd class="regkb-download">(.*?)</dd>', html, re.S)
    assert match, "the decision page has no 原件 line"
    return match.group(1)


def download(decision_id: str):
    link = re.search(r'href="(/-/original/[0-9a-f]{64})"', offered(page(decision_id)))
    assert link, offered(page(decision_id))
    return get(link.group(1))


def filename(response) -> str:
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;"), disposition
    return unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))


# -- the addresses ---------------------------------------------------------------------------------------------------

def test_no_stored_address_is_the_mirrors():
    for table, column in URL_COLUMNS:
        rows = sql(f"select {column} from {table} where {column} like '%127.0.0.1%' or {column} like '%localhost%'")
        assert rows == [], (table, column, rows[:3])


def test_every_stored_address_is_on_its_regulators_host():
    for table, column in URL_COLUMNS:
        for source, url in sql(f"select source, {column} from {table} where {column} is not null"):
            assert urlsplit(url).hostname in real_hosts(source), (table, column, url)


def test_each_document_is_cited_at_the_path_the_mirror_served_on_its_sites_host():
    # the archive keeps the address fetched (the mirror's); the database, the same path on the regulator's host
    stored = dict(sql("select sha256, url from raw_documents"))
    fetched = {sha256: (source, item_id, url) for source, _, item_id, url, sha256 in demo_archive_fetches()}
    assert set(fetched) <= set(stored)
    for sha256, (source, item_id, url) in fetched.items():
        real, mirrored = urlsplit(stored[sha256]), urlsplit(url)
        assert mirrored.hostname == "127.0.0.1" and real.hostname in real_hosts(source)
        if source == "pboc":   # each branch on its own host: the list the fetch came from says which
            site = load_source("pboc").site(item_id.split("#")[0])
            assert real.hostname == urlsplit(site.host).hostname
        # copies of the same bytes published under two names are one raw document, kept at one of the names
        same_bytes = [u for s, _, _, u, h in demo_archive_fetches() if h == sha256]
        assert any((real.path, real.query) == (urlsplit(u).path, urlsplit(u).query) for u in same_bytes)


def test_by_hand_against_the_demo_corpus():
    # a Shanghai branch attachment: sources/pboc/demo/attachments.json serves it at this path
    assert SHANGHAI_2015 in json.loads((demo_corpus("pboc") / "attachments.json").read_text(encoding="utf-8"))
    (url,) = {u for (u,) in sql("select source_url from decisions where decision_no = '上海银罚字[2015]2号'")}
    assert unquote(url) == "http://shanghai.pbc.gov.cn" + SHANGHAI_2015
    # the head office's PDF, cited by the page that links it
    (pdf, page_url), = {tuple(row) for row in sql("select source_url, url from decisions"
                                                   " where decision_no = '银罚决字〔2026〕112号'")}
    assert unquote(pdf) == "http://www.pbc.gov.cn" + HEAD_OFFICE_2026
    assert page_url == "http://www.pbc.gov.cn" + HEAD_OFFICE_2026.rsplit("/", 1)[0] + "/index.html"
    # a CSRC page: sources/csrc/demo/site/csrc/c101928/c7625565/content.shtml
    assert (demo_corpus("csrc") / "site" / "csrc" / "c101928" / "c7625565" / "content.shtml").is_file()
    assert sql("select url, source_url from decisions where decision_id = 'csrc:7625565'") == [
        ("https://www.csrc.gov.cn/csrc/c101928/c7625565/content.shtml",) * 2]
    # an NFRA document: the page a person opens, and the endpoint its bytes came from
    assert sql("select url, source_url from decisions where decision_id = 'nfra:9100001'") == [(
        "https://www.nfra.gov.cn/cn/view/pages/ItemDetail.html?docId=9100001&itemId=4114",
        "https://www.nfra.gov.cn/cbircweb/DocInfo/SelectByDocId?docId=9100001")]


def test_the_decision_page_and_its_citation_link_the_regulator():
    html = page("csrc:7625565")
    assert 'href="https://www.csrc.gov.cn/csrc/c101928/c7625565/content.shtml"' in html
    assert "127.0.0.1" not in html.split('<details class="regkb-every-field">')[0]


# -- 下载原件 ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("decision_id, corpus_file, content_type, name, label", [
    # a CSRC page (HTML), an NFRA answer (JSON), a PBOC 公示表 (.xlsx) and the head office's PDF of 13 decisions
    ("csrc:7625565", "csrc/site/csrc/c101928/c7625565/content.shtml", "text/html; charset=utf-8",
     "〔2026〕6号.html", "HTML 网页"),
    ("nfra:9100001", "nfra/documents/9100001.json", "application/json; charset=utf-8",
     "津银监罚决字〔2018〕35号.json", "JSON 数据"),
    ("pboc:3008201-1", "pboc/attachments/shanghai_2015.xlsx", XLSX, "上海银罚字[2015]2号等5件.xlsx", "XLSX"),
    ("pboc:2026092418294123383.92bf9373-9", "pboc/attachments/head_office_2026_104_116.pdf", "application/pdf",
     "银罚决字〔2026〕104号等13件.pdf", "PDF"),
])
def test_download_the_original(decision_id, corpus_file, content_type, name, label):
    source, rest = corpus_file.split("/", 1)
    served = (demo_corpus(source) / rest).read_bytes()   # what the mirror served
    response = download(decision_id)
    (raw_sha256,) = sql("select raw_sha256 from decisions where decision_id = ?", [decision_id])[0]
    assert hashlib.sha256(response.content).hexdigest() == raw_sha256 == hashlib.sha256(served).hexdigest()
    assert response.content == served
    assert response.headers["content-type"] == content_type
    assert filename(response) == name
    assert f"下载原件（{label}，{size_label(len(served))}）" in offered(page(decision_id))


def test_a_download_is_an_attachment_that_runs_nothing_here():
    response = download("csrc:7625565")
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert re.search(r'filename="[A-Za-z0-9._-]+"', response.headers["content-disposition"])   # an ASCII name too


@pytest.mark.parametrize("address", [
    "/-/original/" + "0" * 64,                                   # a hash no archived file has
    "/-/original/" + "A" * 64,                                   # not lowercase hex
    "/-/original/abc",
    "/-/original/..%2f..%2fregkb.db",
    "/-/original/" + quote("../../index.sqlite", safe=""),
    "/-/original/",
])
def test_anything_but_an_archived_sha256_is_a_404(address):
    response = get(address, status=404)
    assert "存档" in response.text and "Traceback" not in response.text


def test_bytes_named_by_no_raw_document_are_not_served():
    # the demo archive holds the list pages too; they are not documents of the database
    index = demo_database().parent / "demo" / "archive" / "index.sqlite"
    connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    (list_page,) = connection.execute("select sha256 from fetches where kind = 'list' limit 1").fetchone()
    connection.close()
    assert sql("select 1 from raw_documents where sha256 = ?", [list_page]) == []
    get(f"/-/original/{list_page}", status=404)


def test_without_the_archive_the_page_says_so_in_chinese(tmp_path, monkeypatch):
    # the database served where no archive is: beside it, nor in the settings' data folder
    monkeypatch.setenv("REGKB_DATA_DIR", str(tmp_path / "nothing"))
    monkeypatch.delenv("REGKB_ARCHIVE_DIR", raising=False)
    alone = tmp_path / "served" / "regkb.db"
    alone.parent.mkdir()
    shutil.copy(demo_database(), alone)
    instance = app(alone)
    line = offered(page("pboc:3008201-1", instance=instance))
    assert "/-/original/" not in line and "原件的字节不在本服务器的存档中" in line
    (raw_sha256,) = sql("select raw_sha256 from decisions where decision_id = 'pboc:3008201-1'")[0]
    assert "不在本服务器的存档中" in get(f"/-/original/{raw_sha256}", instance=instance, status=404).text

"""Every address a decision cites is the regulator's: a crawl of a stand-in (``--base-url``, the demo's mirror) is
cited at the host of the site each request was for, by every source; an address already on the regulator's host, or
one no site can be told for, is left as it is. Older archives (no listing, no list the fetch came from) are read the
same way, the site told by the path.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import urlsplit

import pytest

from crawler.archive import Archive
from db.build import build
from pipeline.extract import as_published, published_listing, regulator_address
from sources import load_source
from tests.conftest import demo_corpus

MIRROR = "http://127.0.0.1:8123"
PBOC = load_source("pboc")


@pytest.mark.parametrize("site", PBOC.sites, ids=[site.key for site in PBOC.sites])
def test_each_pboc_branch_is_cited_at_its_own_host(site):
    path = site.lists[-1].format(page=2)
    assert regulator_address("pboc", MIRROR + path, f"{site.key}#1") == site.host + path
    # an older archive that kept no list for the fetch: the first folder of the path says which site
    assert regulator_address("pboc", MIRROR + path) == site.host + path


def test_csrc_bureaus_and_nfra_share_one_host_each():
    csrc = load_source("csrc")
    for site in csrc.sites[:5]:
        url = f"{MIRROR}/{site.lists[0].split('/')[1]}/c1/c2/content.shtml"
        assert regulator_address("csrc", url, f"{site.key}#x") == "https://www.csrc.gov.cn" + urlsplit(url).path
    endpoint = load_source("nfra").endpoints["document"].format(doc_id="9100001")
    assert regulator_address("nfra", MIRROR + endpoint, "4114") == "https://www.nfra.gov.cn" + endpoint


def test_the_query_and_the_escapes_are_kept():
    url = MIRROR + "/zhengwugongkai/4081330/%E9%93%B6%E7%BD%9A.pdf?a=1&b=%E4%B8%AD"
    assert regulator_address("pboc", url, "head_office") == "http://www.pbc.gov.cn" + url.removeprefix(MIRROR)


@pytest.mark.parametrize("url", [
    "http://shanghai.pbc.gov.cn/fzhshanghai/a.xlsx",      # the regulator's own host
    "https://www.pbc.gov.cn/zhengwugongkai/a.html",       # the site moved to https: still its own
    "http://127.0.0.1:8123/elsewhere/a.html",             # no PBOC site's folder: cannot be told, kept
    "file:///etc/passwd",
    "/fzhshanghai/a.xlsx",                                 # `regkb parse`: a path, not an address
])
def test_what_cannot_be_rewritten_is_left_as_it_is(url):
    assert regulator_address("pboc", url) == url


def test_a_listings_addresses_are_the_regulators_too(tmp_path):
    archive = Archive(tmp_path / "archive")
    page = f"{MIRROR}/zhengwugongkai/4081330/4081344/4081407/4081705/2026092418294123383/index.html"
    archive.list_document("pboc", "1.a", url=page.replace("index.html", "a.pdf"), list_url=page,
                          parent_doc_id="1", branch="head_office")
    listing = published_listing("pboc", archive.listing("pboc", "1.a"))
    assert listing["url"] == page.replace(MIRROR, "http://www.pbc.gov.cn").replace("index.html", "a.pdf")
    assert listing["list_url"] == page.replace(MIRROR, "http://www.pbc.gov.cn")
    fetch = archive.store(b"%PDF-1.4", url=listing["url"].replace("http://www.pbc.gov.cn", MIRROR), source="pboc",
                          kind="document", doc_id="1.a", item_id="head_office#1")
    assert as_published(fetch).url == listing["url"]
    assert archive.fetch(fetch.fetch_id).url.startswith(MIRROR)   # the archive keeps the address it fetched
    archive.close()


def test_an_older_archive_of_a_mirror_crawl_builds_with_real_addresses(tmp_path):
    # as an older crawl left it: the mirror's address, no list it came from, no listing
    archive = Archive(tmp_path / "archive")
    path = "/fzhshanghai/resource/cms/2015/06/%E5%85%AC%E7%A4%BA%E8%A1%A8.xlsx"
    fetch = archive.store((demo_corpus("pboc") / "attachments" / "shanghai_2015.xlsx").read_bytes(),
                          url=MIRROR + path, source="pboc", kind="document", doc_id="3008201", http_status=200)
    archive.judge(fetch.fetch_id, "ok")
    blocked = archive.store(b"<html>403</html>", url=f"{MIRROR}/fzhshanghai/gone.html", source="pboc",
                            kind="document", doc_id="9", http_status=403)
    archive.judge(blocked.fetch_id, "blocked", "HTTP 403")
    archive.close()
    report = build(tmp_path / "archive", tmp_path / "regkb.db", isolated=False)
    assert report.decisions >= 1
    db = sqlite3.connect(tmp_path / "regkb.db")
    urls = {url for (url,) in db.execute("select url from decisions union select source_url from decisions"
                                         " union select url from raw_documents union select url from quarantine")}
    assert urls == {"http://shanghai.pbc.gov.cn" + path, "http://shanghai.pbc.gov.cn/fzhshanghai/gone.html"}
    db.close()

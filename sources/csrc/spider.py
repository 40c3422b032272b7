"""The CSRC: 行政处罚决定书 and 市场禁入决定书 of the head office and the 36 bureaus (证监局).

The site's lists are filled in the browser from ``/searchList/{channel_id}?_isJson=true&…&page=N``, which answers
``{"data": {"total": N, "results": [{title, url, publishedTimeStr, manuscriptId, …}]}}``, newest first, at most 20
results a page whatever ``_pageSize`` says; the spider asks it directly, with the channel's list page as Referer
(the endpoint keys on it). Each result's ``url`` (``//www.csrc.gov.cn/csrc/c101928/c7625565/content.shtml``) is the
decision's page: the head office's template has ``div.xxgk-table`` (索引号, 文号 …) and the text in
``div.detail-news``; a bureau's has an ``.info`` date line and the same ``div.detail-news``. The facts are in
``sources/csrc/source.yaml``: every site's channels and the kind of document each lists (行政处罚决定 and 市场禁入决定:
penalty; 行政监管措施: measure).

A decision published as a file (PDF, Word …) is linked from its result's ``resList[]`` (``filePath``, ``fileName``),
from the page's ``div#files``, or inside the text (``7625567/files/….pdf``, relative to the page); each is fetched,
through the link policy, and archived as a document of its own whose listing names the page (``parent_doc_id``).

Discovery: ``/getLocalList?channelCode=c101971`` says which channel a column code is now; a column whose channel is
not the one the YAML pairs it with, or that the site no longer has, is reported (README.md says from where).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import date
from urllib.parse import unquote, urljoin, urlsplit

import scrapy

from crawler.facts import Site
from crawler.spider import HINT_CHANGED, SitesSpider
from nlp.formats.attachments import is_attachment_url
from nlp.schema import value_name
from sources import load_source
from sources.csrc.document import channel_kind

_COLUMN = re.compile(r"/(c\d+)/[^/]+\.shtml$")   # /csrc/c101971/zfxxgk_zdgk.shtml → c101971

logger = logging.getLogger(__name__)


class NotAList(ValueError):
    pass


def read_search_list(body: bytes) -> tuple[int, list[dict]]:
    """(total, results) of a searchList answer; NotAList saying why the answer is something else."""
    head = body.lstrip()[:1]
    if head == b"<":
        raise NotAList("HTML instead of the searchList JSON (a block or challenge page, or the site has changed)")
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise NotAList(f"malformed JSON ({error})") from None
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list) or "total" not in data:
        raise NotAList("JSON without data.total and data.results")
    return int(data["total"]), data["results"]


def result_fields(result: dict) -> tuple[str, str, str, str | None]:
    """(manuscriptId, page URL, published ISO date, 文号) of one result; KeyError/ValueError when one is missing."""
    doc_id = str(result["manuscriptId"])
    url = result.get("redirectUrl") or result["url"]
    published = result["publishedTimeStr"][:10]
    date.fromisoformat(published)
    metas = result.get("domainMetaList") or []
    fields = {meta.get("key"): meta.get("value") for meta in (metas[0].get("resultList") or [])} if metas else {}
    return doc_id, url, published, fields.get("wh") or None


def result_files(result: dict) -> list[tuple[str, str | None]]:
    """(filePath, fileName) of each file a result lists in ``resList[]`` (a path on the site, or an address)."""
    files = []
    for item in result.get("resList") or []:
        if isinstance(item, dict) and isinstance(item.get("filePath"), str) and item["filePath"].strip():
            files.append((item["filePath"].strip(), item.get("fileName") or item.get("title")))
    return files


def read_local_list(body: bytes, code: str) -> dict | None:
    """The level of a getLocalList answer whose ``channelCode`` is ``code`` (None: the site has no such column);
    NotAList when the answer is not the recorded shape."""
    try:
        answer = json.loads(body)
    except ValueError as error:
        raise NotAList(f"malformed JSON ({error})") from None
    results = answer.get("results") if isinstance(answer, dict) else None
    levels = results.get("channelLevel") if isinstance(results, dict) else None
    if str(answer.get("code") if isinstance(answer, dict) else "") != "200" or not isinstance(levels, list):
        raise NotAList("JSON without code 200 and results.channelLevel")
    found = [level for level in levels if isinstance(level, dict) and str(level.get("channelCode") or "") == code]
    return found[0] if found else None


def column_code(list_path: str) -> str | None:
    found = _COLUMN.search(list_path)
    return found.group(1) if found else None


class CsrcSpider(SitesSpider):
    name = "csrc"
    facts = load_source("csrc")

    def __init__(self, page_size: int | str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.page_size = int(page_size or self.facts.page_size)

    def page_url(self, site: Site, url: str) -> str:
        """A result's address on the site (protocol-relative on the real one), or on --base-url."""
        parts = urlsplit(url if "//" in url else "//host" + url)
        return self.root(site) + parts.path + (f"?{parts.query}" if parts.query else "")

    def site_url(self, site: Site, url: str) -> str:
        """A link a page or result gives, absolute: a path or an address on the CSRC's own host taken to the crawl's
        root (the real host, or --base-url); another host's address is left as it is (the link policy refuses it)."""
        parts = urlsplit(url)
        own = {urlsplit(host).hostname for host in (self.facts.base_url, site.host)}
        if parts.scheme in ("", "http", "https") and (not parts.netloc or parts.hostname in own):
            return self.root(site) + parts.path + (f"?{parts.query}" if parts.query else "")
        return url

    async def start_lists(self):
        for site in self.sites:
            for number, channel in enumerate(site.channels):
                yield self.list_request(site, channel, number, 1, seen=0)

    # -- discovery: each column code the YAML pairs with a channel, resolved by the site -------------------------

    def discovery_requests(self):
        requests = []
        for site in self.sites:
            for list_path, channel in zip(site.lists, site.channels):
                code = column_code(list_path)
                if code is None:
                    continue
                url = self.root(site) + self.facts.endpoints["local_list"].format(code=code)
                requests.append(scrapy.Request(url, callback=self.parse_local_list, errback=self.on_error,
                                               dont_filter=True,
                                               meta={"kind": "other", "site": site.key, "code": code,
                                                     "channel": channel, "item_id": f"{site.key}#{code}",
                                                     "handle_httpstatus_all": True}))
        return requests

    def parse_local_list(self, response):
        meta = response.meta
        site = self.facts.site(meta["site"])
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the getLocalList JSON", HINT_CHANGED)
            return
        try:
            level = read_local_list(response.body, meta["code"])
        except NotAList as error:
            self.block(response, f"{error}: not a getLocalList answer", HINT_CHANGED)
            return
        self.archive.judge(meta["fetch_id"], "ok")
        self.tally["lists_checked"] += 1
        kind = value_name("kind", channel_kind(site, meta["channel"]))
        named = f"{site.name} {kind} (column {meta['code']})"
        if level is None:
            self.discovered("vanished", meta["channel"], named, response.url)
            return
        found = str(level.get("channelId") or "")
        if found != meta["channel"]:
            self.discovered("vanished", meta["channel"], named, response.url)
            self.discovered("appeared", found, f"{site.name} {level.get('channelName') or ''} (column {meta['code']})",
                            response.url)
        return
        yield

    def list_request(self, site: Site, channel: str, number: int, page: int, seen: int) -> scrapy.Request:
        referer = self.root(site) + site.lists[min(number, len(site.lists) - 1)]
        path = self.facts.endpoints["search_list"].format(channel_id=channel, page_size=self.page_size, page=page)
        item_id = f"{site.key}#{channel}"
        request = scrapy.Request(self.root(site) + path, callback=self.parse_list, errback=self.on_error,
                                 dont_filter=True, headers={"Referer": referer},
                                 meta={"kind": "list", "item_id": item_id, "site": site.key, "channel": channel,
                                       "document_kind": channel_kind(site, channel), "number": number, "page": page,
                                       "seen": seen, "handle_httpstatus_all": True})
        return self.first_page(item_id, request) if page == 1 else request

    def parse_list(self, response):
        meta = response.meta
        site = self.facts.site(meta["site"])
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the searchList JSON", HINT_CHANGED)
            return
        try:
            total, results = read_search_list(response.body)
        except NotAList as error:
            self.block(response, str(error), HINT_CHANGED)
            return
        self.archive.judge(meta["fetch_id"], "ok")
        self.tally["list_pages"] += 1
        watermark = self.archive.watermark(self.name, meta["item_id"])
        known = 0
        reached_since = False
        for result in results:
            try:
                doc_id, url, published, number = result_fields(result)
            except (KeyError, TypeError, ValueError, IndexError) as error:
                self.report(response.url, f"a result without a readable manuscriptId, url and publishedTimeStr "
                            f"({type(error).__name__}: {error}): {str(result)[:200]}", HINT_CHANGED, meta["item_id"])
                continue
            self.seen(meta["item_id"], published)
            if self.since and date.fromisoformat(published) < self.since:
                reached_since = True
                continue
            page_url = self.page_url(site, url)
            title = result.get("subTitle") or result.get("title")
            self.archive.list_document(self.name, doc_id, url=page_url, title=title, published=published,
                                       list_url=response.url, branch=site.key)
            if self.archive.has_document(self.name, doc_id):
                yield from self.archived_already(doc_id, lambda url, file_id: self.attachment_request(
                    url, file_id, site.key, meta["item_id"]))
                known += bool(watermark and published <= watermark)
                continue
            yield scrapy.Request(page_url, callback=self.parse_document, errback=self.on_error,
                                 meta={"kind": "document", "doc_id": doc_id, "item_id": meta["item_id"],
                                       "site": site.key, "decision_no": number, "files": result_files(result),
                                       "handle_httpstatus_all": True})
        seen = meta["seen"] + len(results)
        logger.info("%s page %d: %d results (%d of %d)", meta["item_id"], meta["page"], len(results), seen, total)
        # the server caps a page at page_size results whatever _pageSize says; the largest count seen decides how
        # many pages there are (a page that says fewer must not end the walk early)
        most = max(self._totals.get(meta["item_id"], set()) | {total})
        expected = max(0, min(self.page_size, most - (meta["page"] - 1) * self.page_size))
        step = self.keep_paging(response, meta["item_id"], meta["page"], rows=len(results), expected=expected,
                                total=total, reached_known=bool(results) and known == len(results),
                                reached_since=reached_since, more=meta["page"] * self.page_size < most)
        if isinstance(step, scrapy.Request):
            yield step
        elif step:
            yield self.list_request(site, meta["channel"], meta["number"], meta["page"] + 1, seen)

    def parse_document(self, response):
        if not self.judge_html(response):
            return
        if not response.css("div.detail-news, div.content-body"):
            self.block(response, "a page without div.detail-news: not a decision page", HINT_CHANGED)
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["documents_fetched"] += 1
        links = self.attachment_links(response)
        yield from self.follow_attachments(response, links)
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "url": response.url,
               "sha256": response.meta["sha256"], "attachments": len(links)}

    # -- attachments -------------------------------------------------------------------------------------------

    def attachment_links(self, response) -> list[tuple[str, str | None]]:
        """(absolute URL, name) of each file the decision is published as, once each: its result's resList, the
        page's div#files, and attachment links inside the text (relative to the page, as the CMS writes them)."""
        site = self.facts.site(response.meta["site"])
        found: dict[str, str | None] = {}
        for path, name in response.meta.get("files") or []:
            found.setdefault(self.site_url(site, urljoin(response.url, path)), name)
        for link in response.css("div#files a[href], div.detail-news a[href], div.content-body a[href]"):
            url = self.site_url(site, response.urljoin(link.attrib["href"].strip()))
            if is_attachment_url(url) or link.xpath("ancestor::div[@id='files']"):
                found.setdefault(url, "".join(link.css("::text").getall()).strip() or None)
        return list(found.items())

    def follow_attachments(self, response, links: list[tuple[str, str | None]]):
        doc_id, site_key = response.meta["doc_id"], response.meta["site"]
        page = self.archive.listing(self.name, doc_id) or {}
        for url, name in links:
            refused = self.refusal(url)
            if refused:
                self.refuse(url, f"an attachment link on {response.url}: {refused}", response.meta["item_id"])
                continue
            # named by its address, not its place on the page: a link added above it later is another attachment
            attachment_id = f"{doc_id}.{hashlib.sha1(unquote(urlsplit(url).path).encode('utf-8')).hexdigest()[:8]}"
            name = name or unquote(urlsplit(url).path).rsplit("/", 1)[-1]
            # published with the page: the page's title and date
            self.archive.list_document(self.name, attachment_id, url=url, title=page.get("title") or name,
                                       published=page.get("published"), parent_doc_id=doc_id,
                                       list_url=response.url, branch=site_key)
            if not self.archive.has_document(self.name, attachment_id):
                yield self.attachment_request(url, attachment_id, site_key, response.meta["item_id"])

    def attachment_request(self, url: str, doc_id: str, site: str, item_id: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                              meta={"kind": "document", "doc_id": doc_id, "item_id": item_id, "site": site,
                                    "handle_httpstatus_all": True})


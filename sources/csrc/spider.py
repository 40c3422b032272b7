"""The CSRC: 行政处罚决定书 and 市场禁入决定书 of the head office and the 36 bureaus (证监局).

The site's lists are filled in the browser from ``/searchList/{channel_id}?_isJson=true&…&page=N``, which answers
``{"data": {"total": N, "results": [{title, url, publishedTimeStr, manuscriptId, …}]}}``, newest first, at most 20
results a page whatever ``_pageSize`` says; the spider asks it directly, with the channel's list page as Referer
(the endpoint keys on it). Each result's ``url`` (``//www.csrc.gov.cn/csrc/c101928/c7625565/content.shtml``) is the
decision's page: the head office's template has ``div.xxgk-table`` (索引号, 文号 …) and the text in
``div.detail-news``; a bureau's has an ``.info`` date line and the same ``div.detail-news``. The facts are in
``sources/csrc.yaml``.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from urllib.parse import urlsplit

import scrapy

from crawler.facts import Site
from crawler.spider import HINT_CHANGED, SitesSpider
from sources import load_source

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

    async def start_lists(self):
        for site in self.sites:
            for number, channel in enumerate(site.channels):
                yield self.list_request(site, channel, number, 1, seen=0)

    def list_request(self, site: Site, channel: str, number: int, page: int, seen: int) -> scrapy.Request:
        referer = self.root(site) + site.lists[min(number, len(site.lists) - 1)]
        path = self.facts.endpoints["search_list"].format(channel_id=channel, page_size=self.page_size, page=page)
        item_id = f"{site.key}#{channel}"
        request = scrapy.Request(self.root(site) + path, callback=self.parse_list, errback=self.on_error,
                                 dont_filter=True, headers={"Referer": referer},
                                 meta={"kind": "list", "item_id": item_id, "site": site.key, "channel": channel,
                                       "number": number, "page": page, "seen": seen, "handle_httpstatus_all": True})
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
                # listed under two catalogues, or fetched by an earlier crawl
                self.tally["documents_already_archived"] += 1
                known += bool(watermark and published <= watermark)
                continue
            yield scrapy.Request(page_url, callback=self.parse_document, errback=self.on_error,
                                 meta={"kind": "document", "doc_id": doc_id, "item_id": meta["item_id"],
                                       "site": site.key, "decision_no": number, "handle_httpstatus_all": True})
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
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "url": response.url,
               "sha256": response.meta["sha256"]}

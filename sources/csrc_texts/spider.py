"""The CSRC's texts: 证监会令 and 证监会公告 by searchList (as the penalties are, ``sources/csrc/spider.py``), and the
规章库 (``/csrc/c106256/fg.shtml``), the rules in force as amended, a static list.

searchList answers ``{"data": {"total", "results": [{title, url, publishedTimeStr, manuscriptId, …}]}}`` for a
channel, at most 20 a page; each result's ``url`` is the text's page (``//www.csrc.gov.cn/csrc/c101953/c7616837/
content.shtml``), its text in ``div.detail-news``. The 规章库 is one HTML page a page: its rows are
``tbody#zc-list-content a.list`` (the title in ``span.til``, the versions in ``span.sub-til``), linking each rule's
page (``/csrc/c106256/c3217074/content.shtml``, its text in ``div.content-body``); its pager is the call
``createPageHTML('page_div', pages, current, 'fg', 'shtml', total)``, page n+1 at ``fg_{n}.shtml``. A page's id is
the CMS's manuscript id (``c3217074`` → 3217074), the one searchList gives, so a rule listed in both is fetched once.
"""

from __future__ import annotations

import logging
import re

import scrapy

from crawler.facts import Site
from crawler.spider import HINT_CHANGED
from sources import load_source
from sources.csrc.spider import CsrcSpider

logger = logging.getLogger(__name__)

RULE_LIST = "fg"   # the 规章库's list, as item ids name it (head_office#fg)
_PAGER = re.compile(r"createPageHTML\(\s*'page_div'\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'fg'\s*,\s*'shtml'\s*,\s*(\d+)\s*\)")
_MANUSCRIPT = re.compile(r"/c(\d+)/content\.shtml$")


def rule_list_pager(html: str) -> tuple[int, int, int] | None:
    """(pages, current page, rows in all) of the 规章库 page's pager call, None when it has none.

        >>> rule_list_pager("<script>createPageHTML('page_div',5, 1,'fg','shtml',89);</script>")
        (5, 1, 89)
    """
    found = _PAGER.search(html)
    return (int(found[1]), int(found[2]), int(found[3])) if found else None


def manuscript_id(path: str) -> str:
    """``/csrc/c106256/c3217074/content.shtml`` → ``3217074``; ValueError for another address."""
    found = _MANUSCRIPT.search(path)
    if not found:
        raise ValueError(f"not a CSRC page address: {path!r}")
    return found[1]


class CsrcTextsSpider(CsrcSpider):
    name = "csrc_texts"
    facts = load_source("csrc_texts")

    def discovery_requests(self):
        """None: the penalty spider checks the penalty columns' channels; no answer telling the 令's, the 公告's or the
        规章库's lists was recorded, so they are not checked."""
        return []

    async def start(self):
        for site in self.sites:
            for number, channel in enumerate(site.channels):
                yield self.list_request(site, channel, number, 1, seen=0)
            yield self.rule_list_request(site, 1)

    def rule_list_request(self, site: Site, page: int) -> scrapy.Request:
        suffix = "" if page == 1 else f"_{page - 1}"
        item_id = f"{site.key}#{RULE_LIST}"
        request = scrapy.Request(self.root(site) + self.facts.endpoints["rule_list"].format(suffix=suffix),
                                 callback=self.parse_rule_list, errback=self.on_error, dont_filter=True,
                                 meta={"kind": "list", "item_id": item_id, "site": site.key, "page": page,
                                       "handle_httpstatus_all": True})
        return self.first_page(item_id, request) if page == 1 else request

    def parse_rule_list(self, response):
        meta = response.meta
        site = self.facts.site(meta["site"])
        if not self.judge_html(response):
            return
        rows = response.css("tbody#zc-list-content a.list")
        pager = rule_list_pager(response.text)
        if pager is None or (not rows and pager[2]):
            self.block(response, "a page without the 规章库's rows (tbody#zc-list-content a.list) and pager", HINT_CHANGED)
            return
        self.archive.judge(meta["fetch_id"], "ok")
        self.tally["list_pages"] += 1
        pages, current, total = pager
        for row in rows:
            href = row.attrib.get("href", "")
            try:
                doc_id = manuscript_id(href)
            except ValueError as error:
                self.report(response.url, f"a row without a rule's page address ({error})", HINT_CHANGED,
                            meta["item_id"])
                continue
            page_url = self.page_url(site, href)
            title = " ".join(row.css("span.til::text").getall()).strip() or None
            self.archive.list_document(self.name, doc_id, url=page_url, title=title, published=None,
                                       list_url=response.url, branch=site.key)
            if self.archive.has_document(self.name, doc_id):
                self.tally["documents_already_archived"] += 1
                continue
            yield scrapy.Request(page_url, callback=self.parse_document, errback=self.on_error,
                                 meta={"kind": "document", "doc_id": doc_id, "item_id": meta["item_id"],
                                       "site": site.key, "decision_no": None, "handle_httpstatus_all": True})
        logger.info("%s page %d of %d: %d rules (%d in all)", meta["item_id"], current, pages, len(rows), total)
        # the rows are in no date order, so no mark of an earlier crawl can end the walk: the list (a few pages) is
        # walked to its end each time
        step = self.keep_paging(response, meta["item_id"], meta["page"], rows=len(rows), total=total,
                                reached_known=False, reached_since=False, more=current < pages)
        if isinstance(step, scrapy.Request):
            yield step
        elif step:
            yield self.rule_list_request(site, meta["page"] + 1)

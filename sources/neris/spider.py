"""NERIS (neris.csrc.gov.cn/falvfagui/): the CSRC's regulations and its enforcement writs, as a public crawler of the
site asks for them (README.md says which, and what was not recorded).

Every endpoint but a writ's page is an AJAX POST, form-encoded, answering JSON, sent as the site's own pages send
them (``X-Requested-With: XMLHttpRequest``, the site as Origin and Referer):

- the lists: ``rdqsHeader/informationController`` with ``pageNo`` and ``lawType`` (1 regulations, 2 writs) answers
  ``{"pageUtil": {"rowCount": N, "pageList": [row, …]}}``, 20 rows a page; a regulation's row gives
  ``secFutrsLawId``, ``secFutrsLawName``, ``fileno``, ``lawPubOrgName``, ``pubDate`` (milliseconds), a writ's
  ``lawWritId``, ``name``, ``fileno``, ``issueOrgName``, ``dsptDate``, ``linkAddr``;
- a regulation: ``rdqsHeader/lawlist`` with ``secFutrsLawId`` and ``navbarId=1`` answers ``{"lawlist": {"law": {…},
  "lawEntryVOs": […]}}`` (read by ``document.py``);
- a writ: its page ``rdqsHeader/lawWritInfo?navbarId=1&lawWritId=…``, rendered by the server (GET, HTML).

An answer with ``"success": false``, an HTTP 5xx, or a body opening with one of the site's block markers (source.yaml
``challenge_markers``) is blocked, never taken for an empty list. How the lists are ordered was not recorded, so each
crawl walks every page, asking only for what the archive lacks. The spider fetches and judges; ``document.py`` reads
what was archived.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

import scrapy

from crawler.spider import HINT_CHANGED, RegulatorSpider
from sources import load_source

logger = logging.getLogger(__name__)

REGULATIONS, WRITS = "1", "2"   # lawType, the lists' item ids (source.yaml item_ids)
# the row's id and title fields, by list (crawl.py reads secFutrsLawId or lawWritId, secFutrsLawName or name)
ROW_ID = {REGULATIONS: "secFutrsLawId", WRITS: "lawWritId"}
ROW_TITLE = {REGULATIONS: "secFutrsLawName", WRITS: "name"}
ROW_DATE = {REGULATIONS: "pubDate", WRITS: "dsptDate"}
# what the crawler's session sends with every request (client.py): an AJAX call of the site's own pages
HEADERS = {"Accept": "application/json, text/javascript, */*; q=0.01", "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
           "X-Requested-With": "XMLHttpRequest"}
PAGE_HEADERS = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SITE_ZONE = ZoneInfo("Asia/Shanghai")
HINT_BLOCKED = ("open the site in a browser: if it shows a block page, wait and re-run later (NERIS blocks fast or "
                "parallel clients); if the answer is JSON of another shape, the endpoint changed and "
                "sources/neris/source.yaml needs updating")


def ms_date(value) -> str | None:
    """The site's dates are milliseconds since 1970 at Beijing time: ``1577376000000`` → ``2019-12-27``."""
    if value in (None, ""):
        return None
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=SITE_ZONE).date().isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def blocked_reason(response, markers: tuple[str, ...]) -> str | None:
    """Why an answer is not the site's (HTTP 5xx or another error, a block marker in its opening), or None."""
    if response.status != 200:
        return f"HTTP {response.status} instead of the answer"
    if not response.body.strip():
        return "an empty body instead of the answer"
    opening = response.body[:500].decode("utf-8", "replace")
    found = next((marker for marker in markers if marker in opening), None)
    return f"a block page ({found!r} in its opening)" if found else None


def json_answer(body: bytes, *keys: str) -> dict:
    """The JSON object an endpoint answered, with ``keys`` (a path: ``pageUtil``, ``pageList``) present; ValueError
    for anything else, or an answer saying ``"success": false`` (client.py refuses those)."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(data, dict):
        raise ValueError(f"JSON {type(data).__name__}, not an object")
    if data.get("success") is False:
        raise ValueError("an answer saying success: false")
    node = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise ValueError(f"an answer without {'.'.join(keys)}")
        node = node[key]
    return data


class NerisSpider(RegulatorSpider):
    name = "neris"
    facts = load_source("neris")

    def __init__(self, base_url: str | None = None, since: str | None = None, max_pages: int | str | None = None,
                 item_ids: str | list[str] | None = None, full: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.full = bool(full)
        self.base_url = (base_url or self.facts.base_url).rstrip("/")
        self.challenge_markers = self.facts.challenge_markers
        self.since: date | None = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        if isinstance(item_ids, str):
            item_ids = [part.strip() for part in item_ids.split(",") if part.strip()]
        self.item_ids = [str(item) for item in (item_ids or self.facts.item_ids)]
        self.page_size = int(self.facts.page_size)
        self.partial = self.since is not None or self.max_pages is not None

    def url(self, endpoint: str, **values: object) -> str:
        return self.base_url + self.facts.endpoints[endpoint].format(**values)

    def site_url(self, endpoint: str, **values: object) -> str:
        """The address on the real site (what a text or a writ is cited by), whatever root this crawl asks."""
        return self.facts.url(endpoint, **values)

    # -- requests ------------------------------------------------------------------------------------------------

    async def start_lists(self):
        for law_type in self.item_ids:
            yield self.list_request(law_type, 1)

    def post(self, endpoint: str, form: dict[str, str], callback, meta: dict, **options) -> scrapy.FormRequest:
        """A form-encoded POST as the site's pages send it: AJAX, from the site (Origin, Referer)."""
        headers = {**HEADERS, "Origin": self.base_url, "Referer": self.base_url + "/falvfagui/"}
        return scrapy.FormRequest(self.url(endpoint), formdata=form, headers=headers, callback=callback,
                                  errback=self.on_error, meta={**meta, "handle_httpstatus_all": True}, **options)

    def list_request(self, law_type: str, page: int) -> scrapy.Request:
        request = self.post("list", {"pageNo": str(page), "lawType": law_type}, self.parse_list,
                            {"kind": "list", "item_id": law_type, "page": page}, dont_filter=True)
        return self.first_page(law_type, request) if page == 1 else request

    def regulation_request(self, law_id: str) -> scrapy.Request:
        return self.post("regulation", {"secFutrsLawId": law_id, "navbarId": "1"}, self.parse_regulation,
                         {"kind": "document", "doc_id": law_id, "item_id": REGULATIONS})

    def writ_request(self, writ_id: str) -> scrapy.Request:
        referer = self.url("writ", writ_id=writ_id)
        return scrapy.Request(self.url("writ", writ_id=writ_id), headers={**PAGE_HEADERS, "Referer": referer},
                              callback=self.parse_writ, errback=self.on_error,
                              meta={"kind": "document", "doc_id": writ_id, "item_id": WRITS,
                                    "handle_httpstatus_all": True})

    # -- answers -------------------------------------------------------------------------------------------------

    def judge_json(self, response, *keys: str) -> dict | None:
        reason = blocked_reason(response, self.challenge_markers)
        if reason is None:
            try:
                data = json_answer(response.body, *keys)
            except ValueError as error:
                reason = str(error)
        if reason is not None:
            self.block(response, reason, HINT_BLOCKED)
            return None
        self.archive.judge(response.meta["fetch_id"], "ok")
        return data

    def parse_list(self, response):
        law_type, page = response.meta["item_id"], response.meta["page"]
        data = self.judge_json(response, "pageUtil", "pageList")
        if data is None:
            return
        self.tally["list_pages"] += 1
        try:
            total, rows = int(data["pageUtil"].get("rowCount") or 0), list(data["pageUtil"]["pageList"] or [])
        except (TypeError, ValueError) as error:
            self.block(response, f"a list answer whose rowCount or pageList cannot be read ({error})", HINT_BLOCKED)
            return
        for row in rows:
            doc_id = str((row or {}).get(ROW_ID[law_type]) or "")
            if not doc_id:
                self.report(response.url, f"a list row without {ROW_ID[law_type]}: {str(row)[:200]}", HINT_CHANGED,
                            law_type)
                continue
            published = ms_date(row.get(ROW_DATE[law_type]))
            if published:
                self.seen(law_type, published)
                if self.since and date.fromisoformat(published) < self.since:
                    continue   # skipped, and the walk goes on: the rows' order is not known
            endpoint, key = ("regulation_page", "law_id") if law_type == REGULATIONS else ("writ", "writ_id")
            self.archive.list_document(self.name, doc_id, url=self.site_url(endpoint, **{key: doc_id}),
                                       title=row.get(ROW_TITLE[law_type]), published=published,
                                       list_url=response.url, branch=law_type)
            if self.archive.has_document(self.name, doc_id):
                self.tally["documents_already_archived"] += 1
                continue
            yield self.regulation_request(doc_id) if law_type == REGULATIONS else self.writ_request(doc_id)
        pages = math.ceil(total / self.page_size) if total else 0
        logger.info("lawType %s page %d of %d: %d rows (%d in all)", law_type, page, pages, len(rows), total)
        most = max(self._totals.get(law_type, set()) | {total})
        expected = max(0, min(self.page_size, most - (page - 1) * self.page_size))
        # the lists' order was not recorded (the crawler walks every page each time, skipping what it has), so neither
        # a mark of an earlier crawl nor --since ends the walk: every page is asked for, archived documents are not
        step = self.keep_paging(response, law_type, page, rows=len(rows), expected=expected, total=total,
                                reached_known=False, reached_since=False, more=page * self.page_size < most)
        if isinstance(step, scrapy.Request):
            yield step
        elif step:
            yield self.list_request(law_type, page + 1)

    def parse_regulation(self, response):
        data = self.judge_json(response, "lawlist", "law")
        if data is None:
            return
        said = str((data["lawlist"]["law"] or {}).get("secFutrsLawId") or "")
        if said and said != response.meta["doc_id"]:
            reason = f"the answer is for secFutrsLawId {said}, not {response.meta['doc_id']}"
            self.archive.judge(response.meta["fetch_id"], "blocked", reason)
            self.report(response.url, reason, HINT_BLOCKED, REGULATIONS)
            return
        self.tally["documents_fetched"] += 1
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "item_id": REGULATIONS, "url": response.url,
               "sha256": response.meta["sha256"]}

    def parse_writ(self, response):
        """A writ's page: archived once it holds the writ's text (``pre.pre_law``, where the crawler reads it)."""
        reason = blocked_reason(response, self.challenge_markers)
        if reason is not None:
            self.block(response, reason, HINT_BLOCKED)
            return
        if not self.judge_html(response):
            return
        if not response.css("pre.pre_law"):
            self.block(response, "a writ page without its text (pre.pre_law)", HINT_CHANGED)
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["documents_fetched"] += 1
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "item_id": WRITS, "url": response.url,
               "sha256": response.meta["sha256"]}

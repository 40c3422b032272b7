"""What every regkb spider does the same way: judge each answer, report what could not be fetched by URL with what to
do, count what it did, and move a list's watermark only after a complete walk.

A spider only fetches and judges: ArchiveMiddleware has stored every body before the spider sees it, and extraction
later reads the archive. A blocked answer is recorded as a problem with its URL, never taken for an empty page.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

import scrapy
from scrapy import signals
from twisted.python.failure import Failure

from crawler.challenge import HINT_CHALLENGE, challenge_reason
from crawler.facts import Facts, Site
from crawler.middlewares import archive_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Problem:
    """Something the crawl could not get: which URL, what went wrong, and what a person can do about it."""

    url: str
    reason: str
    hint: str

    def __str__(self) -> str:
        return f"{self.url}\n    {self.reason}\n    → {self.hint}"


HINT_UNREACHABLE = "check the network and --base-url, then re-run the same command: archived documents are not fetched again"
HINT_CHANGED = ("open the URL in a browser: if it shows the list, the site's markup changed and the spider (and its "
                "source.yaml in sources/) needs updating; if it shows a verification page, re-run later or with --browser")


class RegulatorSpider(scrapy.Spider):
    """Problems, tallies, the archive and the watermark rule shared by the regulators' spiders."""

    facts: Facts                      # the source's facts (its source.yaml), set by each spider class
    challenge_markers: tuple[str, ...] = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.problems: list[Problem] = []
        self.tally: Counter[str] = Counter()
        self._newest: dict[str, str] = {}
        self._walked_to_end: set[str] = set()
        self._failed_items: set[str | None] = set()
        self.partial = False   # --since, --max-pages, --branch: a walk that may not move watermarks

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.archive = archive_of(crawler)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    def on_spider_error(self, failure, response, spider):
        """A bug in a callback: the page it was reading is a problem of the crawl, not silently skipped."""
        self.report(response.url, f"the spider failed on this page ({failure.type.__name__}: "
                    f"{failure.getErrorMessage()}): a bug, please report it with the URL",
                    "re-run after updating regkb; the answer is in the archive", response.meta.get("item_id"))

    def report(self, url: str, reason: str, hint: str, item_id: str | None) -> None:
        self.problems.append(Problem(url, reason, hint))
        self._failed_items.add(item_id)
        logger.error("%s: %s", url, reason)

    def block(self, response, reason: str, hint: str) -> None:
        """Record the answer as blocked in the archive and as a problem of the crawl."""
        self.archive.judge(response.meta["fetch_id"], "blocked", reason)
        self.report(response.url, reason, hint, response.meta.get("item_id"))
        self.tally["blocked_answers"] += 1

    def judge_html(self, response, hint: str = HINT_CHANGED) -> bool:
        """An HTML page (list or document): HTTP 200, not empty, not an anti-bot challenge. False when blocked."""
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the page", hint)
            return False
        if not response.body.strip():
            self.block(response, "an empty body instead of the page", hint)
            return False
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        challenge = challenge_reason(response.body, content_type or "text/html", self.challenge_markers)
        if challenge:
            failed = response.meta.get("browser_failed")
            hint = (f"--browser could not pass it: {failed}" if failed else
                    "the browser passed it once and the site challenged again: re-run later" if
                    response.meta.get("browser_passed") else HINT_CHALLENGE)
            self.block(response, challenge, hint)
            self.tally["challenges"] += 1
            return False
        return True

    def keep_paging(self, item_id: str, page: int, *, reached_known: bool, reached_since: bool, more: bool) -> bool:
        """Whether to ask for a list's next page. A list stops below the mark of an earlier complete walk (and that
        counts as walked to its end), at --since or --max-pages (partial walks), or at its last page."""
        if reached_known:
            self._walked_to_end.add(item_id)
            return False
        if reached_since or (getattr(self, "max_pages", None) and page >= self.max_pages):
            return False
        if more:
            return True
        self._walked_to_end.add(item_id)
        return False

    def seen(self, item_id: str, published: str) -> None:
        self._newest[item_id] = max(self._newest.get(item_id, published), published)

    def on_error(self, failure: Failure):
        request = failure.request
        reason = failure.getErrorMessage() or failure.type.__name__
        self.tally["unreachable"] += 1
        self.report(request.url, f"{failure.type.__name__}: {reason}", HINT_UNREACHABLE, request.meta.get("item_id"))

    def on_closed(self, spider, reason):
        # Only a crawl that saw every page and document of a list may move its watermark.
        if self.partial or reason != "finished":
            return
        for item_id in self._walked_to_end - self._failed_items:
            if item_id in self._newest:
                self.archive.set_watermark(self.name, item_id, self._newest[item_id])


class SitesSpider(RegulatorSpider):
    """A regulator with a site per office (the PBOC's branches, the CSRC's bureaus), its sites in its YAML:
    ``--branch`` picks some, ``--base-url`` puts one root (a mirror serving every site's paths) in front of all."""

    def __init__(self, base_url: str | None = None, branch: str | None = None, since: str | None = None,
                 max_pages: int | str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.challenge_markers = self.facts.challenge_markers
        self.base_url = base_url.rstrip("/") if base_url else None
        names = [part for part in (branch or "").split(",") if part.strip()]
        self.sites: list[Site] = [self.facts.site(name) for name in names] if names else list(self.facts.sites)
        self.since: date | None = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        self.partial = bool(self.since or self.max_pages or names)

    def root(self, site: Site) -> str:
        """The site root to fetch from: the real host, or --base-url."""
        return self.base_url or site.host.rstrip("/")

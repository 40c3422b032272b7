"""What every regkb spider does the same way: judge each answer, report what could not be fetched by URL with what to
do, count what it did, and move a list's watermark only after a complete walk.

A spider only fetches and judges: ArchiveMiddleware has stored every body before the spider sees it, and extraction
later reads the archive. A blocked answer is recorded as a problem with its URL, never taken for an empty page.
"""

from __future__ import annotations

import errno
import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote, urlsplit

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


HINT_DISK = ("free space on the disk that holds the archive (or make it writable), then re-run the same command: "
             "nothing half-written is kept, and what was archived is not fetched again")
HINT_UNREACHABLE = "check the network and --base-url, then re-run the same command: archived documents are not fetched again"
HINT_CHANGED = ("open the URL in a browser: if it shows the list, the site's markup changed and the spider (and its "
                "source.yaml in sources/) needs updating; if it shows a verification page, re-run later or with --browser")


HINT_SHORT = ("re-run the same command: a list's mark moves only after a walk that saw every row, so the rows missing "
              "now are asked for again; if the site keeps answering short pages, look at the URL in a browser")
SHORT_PAGE_RETRIES = 2   # a list page with fewer rows than the list's count says is asked for again this often
HINT_REFUSED = ("nothing to do if the link is not the regulator's: regkb follows http(s) links on the source's own "
                "hosts only; if the site has moved an attachment to another host of its own, add that host to "
                "attachment_hosts in the source's source.yaml")
DEFAULT_PORTS = {"http": 80, "https": 443}
HINT_ATTACHMENT = ("re-run the same command later: the files an archived document links and the archive lacks are "
                   "asked for again; if it keeps failing, open the URL in a browser to see what the site serves")
# What a site answers under a file's address when the file is gone: an HTML page (at HTTP 200 as often as 404).
# Word's "save as web page" under .doc is the file: it holds a table or Word's own markup.
_WORD_HTML = (b"<table", b"<TABLE", b"urn:schemas-microsoft-com:office", b"MsoNormal")
HINT_APPEARED = ("a list the site now has and the source's YAML does not: if it holds penalties or measures, add it to "
                 "sources/{source}/source.yaml (its id as the site gives it) and crawl again; if not, ignore it")
HINT_VANISHED = ("a list the source's YAML names and the site no longer has: open the site to see where it went, then "
                 "update sources/{source}/source.yaml; until then its new documents are not fetched")


@dataclass(frozen=True)
class Discovery:
    """A list the site has and the YAML does not (``appeared``), or the YAML names and the site lacks
    (``vanished``), found by checking the source's lists against the site (``--discover``, and at a crawl's start)."""

    change: str          # appeared | vanished
    list_id: str         # the site's id of the list (a channel id, a column path, an item id)
    name: str            # what the site calls it
    where: str           # the page or answer that said so

    def problem(self, source: str) -> Problem:
        hint = HINT_APPEARED if self.change == "appeared" else HINT_VANISHED
        what = "appeared on the site" if self.change == "appeared" else "vanished from the site"
        return Problem(self.where, f"list {self.name} ({self.list_id}) {what}", hint.format(source=source))


def host_of(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) address, or None for anything else (file:, ftp:, javascript: …)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        return None
    return parts.hostname.lower().rstrip("."), port


def not_the_file(url: str, body: bytes) -> str | None:
    """Why an HTML answer under a file's address is not the file, or None when it may be (Word's HTML export)."""
    suffix = unquote(urlsplit(url).path).lower().rsplit(".", 1)[-1]
    if suffix in ("doc", "htm", "html") and any(marker in body for marker in _WORD_HTML):
        return None
    title = re.search(rb"<title[^>]*>(.*?)</title>", body, re.I | re.S)
    said = title[1].decode("utf-8", "replace").strip()[:60] if title else body.lstrip()[:60].decode("utf-8", "replace")
    return f"an HTML page ({said!r}) where a .{suffix} file was linked: the file is not there"


class RegulatorSpider(scrapy.Spider):
    """Problems, tallies, the archive and the watermark rule shared by the regulators' spiders."""

    facts: Facts                      # the source's facts (its source.yaml), set by each spider class
    challenge_markers: tuple[str, ...] = ()
    base_url: str | None = None       # --base-url: every request goes to this root (a mirror on loopback)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.problems: list[Problem] = []
        self.tally: Counter[str] = Counter()
        self._newest: dict[str, str] = {}
        self._walked_to_end: set[str] = set()
        self._failed_items: set[str | None] = set()
        self._totals: dict[str, set[int]] = {}          # every count a list's pages gave during this walk
        self._first_pages: dict[str, scrapy.Request] = {}
        self._walked_again: set[str] = set()
        self.partial = False   # --since, --max-pages, --branch: a walk that may not move watermarks
        self.full = False      # --full: walk every page, past the documents a complete earlier crawl had
        self.discoveries: list[Discovery] = []
        self.discover_only = bool(kwargs.get("discover"))   # --discover: check the lists, fetch nothing else

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

    def allowed_hosts(self) -> set[tuple[str, int]]:
        """The hosts a crawl may ask anything of: --base-url's alone when it is given (a mirror), else the source's
        own, from its facts (base URL, sites, declared attachment hosts). Never a local file, never another host:
        the PBOC's sites are crawled over plain http, and anyone on the path could inject a link."""
        if self.base_url:
            return {host for host in [host_of(self.base_url)] if host}
        urls = [self.facts.base_url, *(site.host for site in self.facts.sites), *self.facts.attachment_hosts]
        names = {host[0] for url in urls if (host := host_of(url if "//" in url else f"http://{url}"))}
        # a site moving from http to https stays the site
        return {(name, port) for name in names for port in DEFAULT_PORTS.values()}

    def refusal(self, url: str) -> str | None:
        """Why ``url`` is not followed, or None when it may be."""
        host = host_of(url)
        if host is None:
            scheme = urlsplit(url).scheme or "schemeless"
            return f"a {scheme} link, not followed: only http(s) links on the {self.name} sites' own hosts are"
        if host not in self.allowed_hosts():
            return (f"a link to {host[0]}:{host[1]}, not one of the {self.name} sites' hosts"
                    + (" (--base-url " + self.base_url + " is the only host of this crawl)" if self.base_url else ""))
        return None

    def archived_already(self, doc_id: str, attachment_request) -> list[scrapy.Request]:
        """A listed document the archive holds (listed under two catalogues, or fetched by an earlier crawl): counted,
        and the files of it an earlier crawl did not get asked for again, each by ``attachment_request(url,
        doc_id)``."""
        self.tally["documents_already_archived"] += 1
        requests = []
        for missing in self.archive.missing_attachments(self.name, doc_id):
            self.tally["attachments_retried"] += 1
            requests.append(attachment_request(missing["url"], missing["doc_id"]))
        return requests

    def refuse(self, url: str, reason: str, item_id: str | None) -> None:
        """A link the crawl will not follow: reported (nothing fetched), so a person sees what a page linked."""
        self.tally["links_refused"] += 1
        self.problems.append(Problem(url, reason, HINT_REFUSED))
        logger.warning("%s: %s", url, reason)

    # -- discovery: the lists the site has against the lists the YAML names ------------------------------------

    def discovery_requests(self):
        """The requests that tell which lists the site has (a source whose lists can be checked overrides this; the
        answers go to callbacks that count ``self.tally["lists_checked"]`` and call ``discovered`` for each change).
        Sent at the start of every crawl, and alone with --discover."""
        return []

    def discovered(self, change: str, list_id: str, name: str, where: str) -> None:
        """A list that appeared on the site or vanished from it: a problem of the crawl, with what to do."""
        discovery = Discovery(change, list_id, name, where)
        self.discoveries.append(discovery)
        self.tally[f"lists_{change}"] += 1
        self.problems.append(discovery.problem(self.name))
        logger.warning("%s: %s", where, discovery.problem(self.name).reason)

    async def start(self):
        for request in self.discovery_requests():
            yield request
        if self.discover_only:
            return
        async for request in self.start_lists():
            yield request

    async def start_lists(self):
        """The first page of every list (each spider's own)."""
        return
        yield

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

    def parse_attachment(self, response):
        """A file a list or a document links (an office attachment, a PDF): archived as a document of its own when
        it is any bytes but an error, an empty body, a challenge or an HTML page standing where the file should be."""
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the file", HINT_ATTACHMENT)
            return
        if not response.body.strip():
            self.block(response, "an empty body instead of the file", HINT_ATTACHMENT)
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if "html" in content_type or response.body.lstrip()[:1] == b"<":
            if not self.judge_html(response, HINT_ATTACHMENT):
                return
            wrong = not_the_file(response.url, response.body)
            if wrong:
                self.block(response, wrong, HINT_ATTACHMENT)
                return
        self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["documents_fetched"] += 1
        self.tally["attachments_fetched"] += 1
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "item_id": response.meta.get("item_id"),
               "url": response.url, "sha256": response.meta["sha256"]}

    def first_page(self, item_id: str, request: scrapy.Request) -> scrapy.Request:
        """Remember a list's first page (to walk the list again when it changed under the walk)."""
        self._first_pages.setdefault(item_id, request)
        return request

    def keep_paging(self, response, item_id: str, page: int, *, rows: int, expected: int | None = None,
                    total: int | None = None, reached_known: bool, reached_since: bool,
                    more: bool) -> bool | scrapy.Request:
        """What follows a list page, one rule for every spider:

        - the same page again, when it had fewer rows than the list's own count says (an empty or short answer):
          asked for again twice, then reported, and the walk goes on (the list's mark does not move);
        - nothing, at a page wholly of documents a complete earlier crawl had, below its mark (unless --full), at
          --since or --max-pages (partial walks), or past the last page;
        - the list again from page 1, once, when its count changed during the walk (rows shift between pages as
          the site adds or removes some, and a row can slip past the pages read);
        - else the next page (True). Returns False to stop, True for the next page, or the request to send."""
        if total is not None:
            self._totals.setdefault(item_id, set()).add(total)
        if expected is not None and rows < expected:
            retry = self._short_page(response, item_id, page, rows, expected)
            if retry is not None:
                return retry
        if reached_known and not self.full:
            self._walked_to_end.add(item_id)
            return self._walk_again_if_shifted(item_id) or False
        if reached_since or (getattr(self, "max_pages", None) and page >= self.max_pages):
            return False
        if more:
            return True
        self._walked_to_end.add(item_id)
        return self._walk_again_if_shifted(item_id) or False

    def _short_page(self, response, item_id: str, page: int, rows: int, expected: int) -> scrapy.Request | None:
        tries = response.meta.get("short_tries", 0)
        if tries < SHORT_PAGE_RETRIES:
            self.tally["short_pages_asked_again"] += 1
            crawler = getattr(self, "crawler", None)
            base = crawler.settings.getfloat("REGKB_BACKOFF_BASE", 2.0) if crawler else 0.0
            meta = {key: value for key, value in response.meta.items()
                    if key not in ("fetch_id", "sha256", "download_latency", "download_slot", "depth")}
            return response.request.replace(dont_filter=True, meta={**meta, "short_tries": tries + 1,
                                                                    "backoff_delay": base * 2 ** tries})
        self.report(response.url, f"page {page} of the list answered {rows} rows where the list's count says "
                    f"{expected}, three times: its other rows were not seen", HINT_SHORT, item_id)
        return None

    def _walk_again_if_shifted(self, item_id: str) -> scrapy.Request | None:
        if len(self._totals.get(item_id, ())) < 2 or item_id in self._walked_again or item_id not in self._first_pages:
            return None
        self._walked_again.add(item_id)
        self.tally["lists_walked_again"] += 1
        logger.info("%s: its count changed during the walk (%s): walking it again from page 1", item_id,
                    sorted(self._totals[item_id]))
        first = self._first_pages[item_id]
        meta = {key: value for key, value in first.meta.items()
                if key not in ("fetch_id", "sha256", "download_latency", "download_slot", "depth", "short_tries")}
        return first.replace(dont_filter=True, meta={**meta, "walked_again": True})

    def seen(self, item_id: str, published: str) -> None:
        self._newest[item_id] = max(self._newest.get(item_id, published), published)

    def on_error(self, failure: Failure):
        request = failure.request
        reason = failure.getErrorMessage() or failure.type.__name__
        if failure.check(OSError) and getattr(failure.value, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EROFS,
                                                                              errno.EIO):
            # the answer came and could not be stored: not a network problem
            self.tally["not_stored"] += 1
            self.report(request.url, f"the answer could not be stored in the archive ({reason})",
                        HINT_DISK, request.meta.get("item_id"))
            return
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
                 max_pages: int | str | None = None, full: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.full = bool(full)
        self.challenge_markers = self.facts.challenge_markers
        self.base_url = base_url.rstrip("/") if base_url else None
        names = [part for part in (branch or "").split(",") if part.strip()]
        self.sites: list[Site] = [self.facts.site(name) for name in names] if names else list(self.facts.sites)
        self.since: date | None = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        self.partial = bool(self.since or self.max_pages or names)

    def root(self, site: Site) -> str:
        """The site root to fetch from: the real host, or --base-url. The archive records the address fetched; what
        a decision cites is the same path on the site's real host (pipeline/extract.py ``regulator_address``, which
        tells the site by the request's ``item_id`` ``{site.key}#…`` or the listing's branch)."""
        return self.base_url or site.host.rstrip("/")

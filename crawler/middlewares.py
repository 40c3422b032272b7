"""Downloader middlewares: ask only the source's own hosts, keep every body in the raw archive, follow redirects that
stay on those hosts, retry with exponential back-off, and (behind --browser) pass anti-bot challenges in Chromium."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urljoin

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from crawler.archive import Archive

logger = logging.getLogger(__name__)


def _offline_public_suffixes() -> None:
    """Scrapy's cookie middleware checks cookie domains with tldextract, whose default fetches the public suffix list
    from GitHub on first use: behind a firewall that is a failed download and a traceback. Its bundled snapshot does
    the same job offline."""
    from scrapy.downloadermiddlewares import cookies
    from tldextract import TLDExtract

    if not hasattr(cookies, "_split_domain"):
        raise RuntimeError("Scrapy's cookie middleware no longer has _split_domain: check how it reads the public "
                           "suffix list before upgrading (it must not be fetched at run time)")
    cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)


_offline_public_suffixes()


class ArchiveMiddleware:
    """Store each response body in the archive before anything parses it, and tag the request with its fetch.

    The spider later judges the fetch (ok / blocked) by its ``fetch_id`` in ``request.meta``."""

    def __init__(self, archive: Archive, crawler):
        self.archive = archive
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(archive_of(crawler), crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        spider = self.crawler.spider
        kind = request.meta.get("kind") or ("robots" if request.url.endswith("/robots.txt") else "other")
        fetch = self.archive.store(
            response.body,
            url=request.url,
            method=request.method,
            source=getattr(spider, "name", "unknown"),
            kind=kind,
            http_status=response.status,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            doc_id=request.meta.get("doc_id"),
            item_id=request.meta.get("item_id"),
        )
        request.meta["fetch_id"] = fetch.fetch_id
        request.meta["sha256"] = fetch.sha256
        return response


class LinkPolicyMiddleware:
    """Every request, whatever asked for it (a list row, a page's link, a redirect, a retry), goes to the source's own
    hosts over http(s) or not at all: ``spider.refusal(url)`` says why not, and the refusal is a problem of the crawl
    naming the URL. A page that links ``file:///…`` or an internal address never makes regkb fetch it."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        refusal = getattr(spider, "refusal", None)
        reason = refusal(request.url) if refusal else None
        if reason:
            spider.refuse(request.url, reason, request.meta.get("item_id"))
            raise IgnoreRequest(reason)
        return None


REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class SameSiteRedirectMiddleware:
    """The spiders see every status (``handle_httpstatus_all``, so that a block is reported, not hidden), which turns
    Scrapy's own redirects off: a move from http to https would stop every crawl. This follows a redirect whose
    target the link policy allows, up to five hops; the redirect answer itself is archived and judged "redirect".
    Any other redirect reaches the spider, which reports it with its status."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response | Request:
        location = response.headers.get("Location")
        if response.status not in REDIRECTS or not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        spider = self.crawler.spider
        hops = request.meta.get("redirect_hops", 0)
        reason = spider.refusal(target) if hasattr(spider, "refusal") else None
        if reason or hops >= MAX_REDIRECTS:
            return response   # the spider reports the status; a redirect off the source's hosts is not followed
        if "fetch_id" in request.meta:
            archive_of(self.crawler).judge(request.meta["fetch_id"], "redirect", f"moved to {target}")
        meta = {key: value for key, value in request.meta.items() if key not in ("fetch_id", "sha256")}
        return request.replace(url=target, method="GET" if response.status == 303 else request.method,
                               dont_filter=True, meta={**meta, "redirect_hops": hops + 1})


def archive_of(crawler) -> Archive:
    """One Archive per crawler, opened from the REGKB_ARCHIVE_DIR setting and shared by spider and middleware."""
    archive = getattr(crawler, "_regkb_archive", None)
    if archive is None:
        # the index committed a hundred writes at a time (the bodies synced first), and when the engine stops: after
        # every spider_closed handler (the spider's records its lists' watermarks)
        archive = Archive(crawler.settings.get("REGKB_ARCHIVE_DIR"),
                          commit_every=crawler.settings.getint("REGKB_ARCHIVE_COMMIT_EVERY", 100))
        crawler._regkb_archive = archive
        crawler.signals.connect(archive.close, signal=signals.engine_stopped)
    return archive


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, with the n-th retry waiting ``REGKB_BACKOFF_BASE * 2**(n-1)`` seconds (capped)."""

    def _retry(self, request, reason):
        retry = super()._retry(request, reason)
        if retry is not None:
            settings = self.crawler.settings
            attempt = retry.meta.get("retry_times", 1)
            delay = min(
                settings.getfloat("REGKB_BACKOFF_BASE", 2.0) * 2 ** (attempt - 1),
                settings.getfloat("REGKB_BACKOFF_MAX", 60.0),
            )
            retry.meta["backoff_delay"] = delay
            logger.info("retry %d of %s in %.1fs (%s)", attempt, request.url, delay, reason)
        return retry


class BackoffDelayMiddleware:
    """Sleep for a retry's back-off before it reaches the downloader (non-blocking: other requests go on)."""

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("backoff_delay", 0)
        if delay:
            await asyncio.sleep(delay)
        return None


class BrowserChallengeMiddleware:
    """With ``REGKB_BROWSER`` (``regkb crawl … --browser``): an answer that is an anti-bot challenge is opened in
    Chromium, whose cookies are then sent with the same request again. Without it, challenges reach the spider,
    which reports them by URL. The challenge answer itself is archived (ArchiveMiddleware runs first) and judged
    blocked, with the note that it was passed."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("REGKB_BROWSER")
        self.session = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Response | Request:
        from crawler.challenge import BrowserSession, challenge_reason

        if not self.enabled or request.meta.get("browser_passed"):
            return response
        markers = getattr(self.crawler.spider, "challenge_markers", ())
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        reason = challenge_reason(response.body, content_type, markers)
        if reason is None:
            return response
        if self.session is None:
            self.session = BrowserSession(self.crawler.settings.get("USER_AGENT"), markers)
        from crawler.challenge import BrowserUnavailable

        try:
            cookies = await self.session.pass_challenge(request.url)
        except BrowserUnavailable as error:
            request.meta["browser_failed"] = str(error)   # the spider reports the challenge, saying why
            return response
        archive_of(self.crawler).judge(request.meta["fetch_id"], "blocked", f"{reason}; passed in Chromium")
        self.crawler.stats.inc_value("regkb/challenges_passed")
        return request.replace(
            dont_filter=True,
            cookies=[{"name": c["name"], "value": c["value"], "path": c.get("path", "/"),
                      **({"domain": c["domain"]} if c.get("domain") else {})} for c in cookies],
            meta={**request.meta, "browser_passed": True},
        )

    async def close(self, spider=None, reason=None):
        if self.session is not None:
            await self.session.close()

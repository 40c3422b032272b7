"""Scrapy settings shared by every regkb spider. Per-source politeness comes from the source's YAML
(sources/<name>/source.yaml) and is applied by crawler/run.py; what is here is what all sources have in common.

There is no scrapy.cfg and no SPIDER_MODULES: `regkb crawl SOURCE` hands Scrapy the source's spider class itself
(the sources registry, sources/__init__.py, knows which it is), so Scrapy never imports every module to find it."""

import os

BOT_NAME = "regkb"
SPIDER_MODULES: list[str] = []

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 60.0
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# A command-line crawl needs no remote control port (Scrapy 2.19 opens one by default).
REMOTE_CONTROL_ENABLED = False

# What a callback yields (a list page's document requests, a document's one item) is handled in order: Scrapy's
# default of 100 at once starts 100 asyncio tasks for every answer, a third of a crawl's time (make bench-crawl).
CONCURRENT_ITEMS = 1
# Scrapy reads a callback's source to warn of a generator returning a value, and caches the answer by a weak
# reference to the bound method, made anew for each answer: the source was parsed again for every page.
WARN_ON_GENERATOR_RETURN_VALUE = False

RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

DOWNLOAD_TIMEOUT = 30   # seconds (Scrapy's 180 × 5 retries holds a crawl a quarter of an hour per hung URL)

DOWNLOADER_MIDDLEWARES = {
    # First of all: a request for anything but the source's own hosts over http(s) is refused, and reported.
    "crawler.middlewares.LinkPolicyMiddleware": 10,
    # Our retry adds exponential back-off; it replaces Scrapy's own at the same position.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Archive every body after decompression (590) and before retries or the spider can discard it.
    "crawler.middlewares.ArchiveMiddleware": 580,
    # After the archive has the answer: a redirect on the source's own hosts is followed.
    "crawler.middlewares.SameSiteRedirectMiddleware": 575,
    # Then: a challenge is passed in Chromium when --browser asks for it.
    "crawler.middlewares.BrowserChallengeMiddleware": 570,
    # Wait out a retry's back-off before it is downloaded again.
    "crawler.middlewares.BackoffDelayMiddleware": 50,
}

# Archive index writes made durable together (crawler/archive.py: the bodies synced to disk first); 1 commits each
# write as it is made (make bench-crawl times both).
REGKB_ARCHIVE_COMMIT_EVERY = int(os.environ.get("REGKB_ARCHIVE_COMMIT_EVERY", "100"))

LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"

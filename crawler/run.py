"""Run one spider in this process and report what it got and what it could not.

A Twisted reactor cannot be restarted, so one process runs one crawl; the CLI and the tests start a process per crawl.
Which spider is a source's is the sources registry's business (sources/__init__.py); this runs any of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as crawler_settings
from crawler.archive import Archive
from crawler.facts import Politeness

HINT_COUNT = ("a full crawl of {source} should archive between {low} and {high} documents (sources/{source}/"
              "source.yaml, expected): look at the lists in a browser; if the site moved them, update the YAML, if it "
              "really publishes this many now, change the bounds")


@dataclass
class CrawlReport:
    source: str
    tally: dict[str, int]
    problems: list = field(default_factory=list)
    archived_documents: int = 0
    discoveries: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def scrapy_settings(politeness: Politeness, archive_dir: Path, *, delay: float | None = None,
                    concurrency: int | None = None, backoff: float | None = None, log_level: str = "INFO",
                    browser: bool = False, timeout: float | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(crawler_settings, priority="project")
    delay = politeness.download_delay if delay is None else delay
    settings.setdict({
        "REGKB_ARCHIVE_DIR": str(archive_dir),
        "USER_AGENT": politeness.user_agent,
        "ROBOTSTXT_OBEY": politeness.obey_robots_txt,
        "DOWNLOAD_DELAY": delay,
        # AutoThrottle only slows a crawl down from its delay; with no delay (our own loopback mirror) it is off.
        "AUTOTHROTTLE_ENABLED": delay > 0,
        "AUTOTHROTTLE_START_DELAY": max(delay, 0.1),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": politeness.autothrottle_target_concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency or politeness.concurrency,
        "CONCURRENT_REQUESTS": concurrency or politeness.concurrency,
        "RETRY_TIMES": politeness.retry_times,
        "REGKB_BACKOFF_BASE": politeness.backoff_base if backoff is None else backoff,
        "REGKB_BACKOFF_MAX": politeness.backoff_max,
        "LOG_LEVEL": log_level,
        "DOWNLOAD_TIMEOUT": politeness.download_timeout if timeout is None else timeout,
        "REGKB_BROWSER": browser,
    }, priority="cmdline")
    return settings


def crawl(spider_class: type, archive_dir: Path, *, delay: float | None = None, concurrency: int | None = None,
          backoff: float | None = None, log_level: str = "INFO", browser: bool = False, timeout: float | None = None,
          **spider_args) -> CrawlReport:
    """Crawl with ``spider_class`` (a RegulatorSpider, its politeness in its facts) into the archive at
    ``archive_dir``. Spider arguments: base_url, since, max_pages, branch …; ``browser``: pass anti-bot challenges
    in Chromium."""
    source = spider_class.name
    process = CrawlerProcess(scrapy_settings(spider_class.facts.politeness, archive_dir, delay=delay,
                                             concurrency=concurrency, backoff=backoff, log_level=log_level,
                                             browser=browser, timeout=timeout))
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, **{key: value for key, value in spider_args.items() if value is not None})
    # Scrapy sets its own loggers to DEBUG and leaves the level to the handler: each answer's "Crawled" and each
    # item's "Scraped from" record was built only to be dropped (a twentieth of a crawl at --log-level ERROR)
    logging.getLogger("scrapy").setLevel(log_level)
    process.start()
    spider = crawler.spider
    archive = Archive(archive_dir)
    try:
        archived = sum(1 for _ in archive.documents(source))
    finally:
        archive.close()
    problems = list(spider.problems)
    if not (spider.partial or spider.discover_only):
        problems += count_problems(source, spider_class.facts.expected, archived, archive_dir)
    return CrawlReport(source=source, tally=dict(spider.tally), problems=problems, archived_documents=archived,
                       discoveries=list(spider.discoveries))


def count_problems(source: str, expected: dict[str, int], archived: int, where: Path) -> list:
    """The source's count assertions (``expected`` in its YAML), checked after a crawl that walked every list: an
    archive holding fewer documents than a full crawl finds means lists were lost (a site revision zeroes one
    silently), more means the lists now hold something else."""
    from crawler.spider import Problem

    low = expected.get("min_documents_per_full_crawl")
    high = expected.get("max_documents_per_full_crawl")
    if (low is None or archived >= low) and (high is None or archived <= high):
        return []
    side = f"fewer than {low}" if low is not None and archived < low else f"more than {high}"
    return [Problem(str(where), f"the archive holds {archived} {source} documents after a full crawl, {side}",
                    HINT_COUNT.format(source=source, low=low if low is not None else 0,
                                      high=high if high is not None else "any number of"))]

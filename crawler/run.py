"""Run one spider in this process and report what it got and what it could not.

A Twisted reactor cannot be restarted, so one process runs one crawl; the CLI and the tests start a process per crawl.
Which spider is a source's is the sources registry's business (sources/__init__.py); this runs any of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler import settings as crawler_settings
from crawler.archive import Archive
from crawler.facts import Politeness


@dataclass
class CrawlReport:
    source: str
    tally: dict[str, int]
    problems: list = field(default_factory=list)
    archived_documents: int = 0

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
    process.start()
    spider = crawler.spider
    archive = Archive(archive_dir)
    try:
        archived = sum(1 for _ in archive.documents(source))
    finally:
        archive.close()
    return CrawlReport(source=source, tally=dict(spider.tally), problems=list(spider.problems),
                       archived_documents=archived)

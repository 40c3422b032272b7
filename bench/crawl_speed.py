"""The crawl beside Scrapy itself: `regkb crawl nfra` against the loopback mirror, and a plain Scrapy spider fetching
the same URLs with the same concurrency, in the same run; then an incremental re-crawl, counting its requests.

    make bench-crawl                          # or: .venv/bin/python bench/crawl_speed.py [--factor 30]

The mirror serves the NFRA demo corpus multiplied: each of its 103 detail answers ``--factor`` times (the copy k of
document 9100001 is document k9100001, listed after the originals with the same title and date), so the lists page
through some three thousand documents as a real crawl's would. The plain spider does nothing with an answer; regkb's
archives every body (sha256-named file and an index row), judges it and follows the lists. Three runs of regkb: its
archive committing every write (how it was), committing a hundred writes at a time (syncing the bodies first: how it
is), and the re-crawl. Goal: regkb ≥ 0.85× the plain spider's pages/s; the re-crawl fetches only the list heads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sources  # noqa: E402

CONCURRENCY = 8
PLAIN_SPIDER = '''
import sys
import scrapy
from scrapy.crawler import CrawlerProcess

URLS = open(sys.argv[1]).read().split()


class Plain(scrapy.Spider):
    name = "plain"

    async def start(self):
        for url in URLS:
            yield scrapy.Request(url, dont_filter=True)

    def parse(self, response):
        pass


process = CrawlerProcess({"CONCURRENT_REQUESTS": int(sys.argv[2]), "CONCURRENT_REQUESTS_PER_DOMAIN": int(sys.argv[2]),
                          "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR",
                          "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False})
process.crawl(Plain)
process.start()
'''


def multiplied_corpus(folder: Path, factor: int) -> Path:
    corpus = folder / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    demo = sources.get("nfra").demo_corpus
    shutil.copytree(demo, corpus / "nfra")
    documents = corpus / "nfra" / "documents"
    originals = sorted(documents.glob("*.json"))
    for k in range(1, factor):
        for path in originals:
            body = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(body.get("data"), dict) and "docId" in body["data"]:
                body["data"]["docId"] = int(f"{k}{path.stem}")
            (documents / f"{k}{path.stem}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    for listing in (corpus / "nfra" / "lists").glob("*.json"):
        rows = json.loads(listing.read_text(encoding="utf-8"))
        copies = [{**row, "docId": int(f"{k}{row['docId']}")} for k in range(1, factor) for row in rows]
        listing.write_text(json.dumps(rows + copies, ensure_ascii=False), encoding="utf-8")
    return corpus


def crawl(base_url: str, archive: Path, commit_every: int | None) -> float:
    env = {**os.environ, **({"REGKB_ARCHIVE_COMMIT_EVERY": str(commit_every)} if commit_every else {})}
    os.sync()   # each run starts with the disk quiet: none pays for the writing of the one before
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "regkb", "crawl", "nfra", "--base-url", base_url, "--delay", "0",
                    "--concurrency", str(CONCURRENCY), "--log-level", "ERROR", "--archive", str(archive)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def fetched_urls(archive: Path) -> list[str]:
    connection = sqlite3.connect(archive / "index.sqlite")
    urls = [url for (url,) in connection.execute("select url from fetches where kind != 'robots' order by fetch_id")]
    connection.close()
    return urls


def plain(urls: list[str], folder: Path) -> float:
    script, listed = folder / "plain_spider.py", folder / "urls.txt"
    script.write_text(PLAIN_SPIDER, encoding="utf-8")
    listed.write_text("\n".join(urls), encoding="utf-8")
    os.sync()
    start = time.perf_counter()
    subprocess.run([sys.executable, str(script), str(listed), str(CONCURRENCY)], check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factor", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="regkb-bench-crawl-") as tmp:
        folder = Path(tmp)
        server = sources.mirror(multiplied_corpus(folder, args.factor)).start()
        try:
            rows = []
            before = crawl(server.base_url, folder / "each", commit_every=1)
            urls = fetched_urls(folder / "each")
            baseline = plain(urls, folder)
            rows.append(("plain Scrapy spider, the same URLs", len(urls), baseline))
            rows.append(("regkb crawl, the archive committing each write", len(urls), before))
            now = crawl(server.base_url, folder / "batched", commit_every=None)
            rows.append(("regkb crawl, 100 writes per commit", len(fetched_urls(folder / "batched")), now))
            hits = len(server.hits)
            again = crawl(server.base_url, folder / "batched", commit_every=None)
            recrawl = len(server.hits) - hits
        finally:
            server.stop()
    print(f"{'crawl of the mirror (NFRA demo ×' + str(args.factor) + ')':<48}{'pages':>7}{'s':>8}{'pages/s':>9}"
          f"{'× plain':>9}")
    for name, pages, seconds in rows:
        print(f"{name:<48}{pages:>7}{seconds:>8.1f}{pages / seconds:>9.1f}{baseline / seconds * pages / len(urls):>8.2f}×")
    print(f"incremental re-crawl with nothing new: {recrawl} requests in {again:.1f} s (the lists' first pages and "
          "robots.txt)")
    print(f"goal ≥ 0.85× the plain spider: {'met' if baseline / now >= 0.85 else 'NOT met'}")


if __name__ == "__main__":
    main()

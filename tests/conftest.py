"""What every layer's tests share: where the recorded material is, private data folders, the loopback mirror, the
CLI in its own process, the demo database (built once per test run), and the harness that hands a spider a saved
response as ArchiveMiddleware would."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse

import sources
from crawler.archive import Archive

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"                     # real and assembled documents shared by the layers' tests
SHARED_CORPUS = REPO.parent / "shared" / "corpus"  # the real material, beside a working tree (not a clone)
REAL = FIXTURES / "real"                            # the part of it the tests read, copied (its README)
# shared/corpus/csrc/detail_regulation_{n}.html, byte for byte in the csrc_texts demo (its README)
CSRC_RULE_PAGES = {n: REPO / "sources" / "csrc_texts" / "demo" / "site" / "csrc" / "c106256" / f"c{page}" / "content.shtml"
                   for n, page in {1: 3217074, 2: 1942800, 3: 1653980, 4: 1653977, 5: 1653979}.items()}


def responses(source: str) -> Path:
    """A source's saved responses: tests/sources/<name>/responses/ (its README says what each is)."""
    return TESTS / "sources" / source / "responses"


def needs_shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the repository at {SHARED_CORPUS}")
    return SHARED_CORPUS


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private data folder: archive and database go here, never into the developer's data/."""
    folder = tmp_path / "data"
    monkeypatch.setenv("REGKB_DATA_DIR", str(folder))
    for name in ("REGKB_ARCHIVE_DIR", "REGKB_DB", "REGKB_EXTRACTED"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def mirror():
    """The loopback mirror of every source's site, serving the bundled demo corpus."""
    server = sources.mirror().start()
    yield server
    server.stop()


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "archive")
    yield archive
    archive.close()


def archived_response(archive: Archive, request: scrapy.Request, body: bytes, *, source: str, status: int = 200,
                      content_type: str = "text/html; charset=utf-8") -> Response:
    """The response a spider sees after ArchiveMiddleware: the body archived, its fetch_id and sha256 in the meta.
    No network, no reactor: the spider's verdicts can then be read back from the archive, as a person checking a
    crawl would."""
    fetch = archive.store(body, url=request.url, source=source, kind=request.meta["kind"], http_status=status,
                          content_type=content_type, doc_id=request.meta.get("doc_id"),
                          item_id=request.meta.get("item_id"))
    request.meta["fetch_id"], request.meta["sha256"] = fetch.fetch_id, fetch.sha256
    if "html" in content_type:
        return HtmlResponse(url=request.url, status=status, body=body, headers={"Content-Type": content_type},
                            request=request)
    if "json" in content_type or "text" in content_type:
        return TextResponse(url=request.url, status=status, body=body, headers={"Content-Type": content_type},
                            encoding="utf-8", request=request)
    return Response(url=request.url, status=status, body=body, headers={"Content-Type": content_type},
                    request=request)


def run_regkb(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI in its own process, as a user would (a Scrapy crawl needs a fresh process each time)."""
    return subprocess.run([sys.executable, "-m", "regkb", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@functools.cache
def demo_database() -> Path:
    """`regkb demo --no-serve` into a private folder, once per test run: the real mirror, spiders, extraction and
    build. Tests only read it (Datasette opens it immutable; a test that changes it works on a copy)."""
    folder = Path(tempfile.mkdtemp(prefix="regkb-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    result = run_regkb("demo", "--no-serve", env={"REGKB_DATA_DIR": str(folder / "data")})
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "data" / "regkb.db"


@pytest.fixture(scope="session")
def demo_db() -> Path:
    return demo_database()


def demo_corpus(source: str) -> Path:
    """A source's bundled demo corpus (sources/<name>/demo/), as the mirror serves it."""
    return sources.get(source).demo_corpus

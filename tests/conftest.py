"""Shared fixtures: where the real recorded material is, temporary data folders, a running mirror."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import subprocess
import sys
from pathlib import Path

import pytest

from regkb.crawler.mirror import DEMO_CORPUS, Mirror

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


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
    server = Mirror(DEMO_CORPUS).start()
    yield server
    server.stop()


def run_regkb(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the CLI in its own process, as a user would (a Scrapy crawl needs a fresh process each time)."""
    return subprocess.run([sys.executable, "-m", "regkb", *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@functools.cache
def demo_database() -> Path:
    """`regkb demo --no-serve` into a private folder, once per test session: the real mirror, spider, extraction
    and build. Tests only read it (Datasette opens it immutable; a test that changes it works on a copy)."""
    folder = Path(tempfile.mkdtemp(prefix="regkb-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    result = run_regkb("demo", "--no-serve", env={"REGKB_DATA_DIR": str(folder / "data")})
    assert result.returncode == 0, result.stderr[-3000:]
    return folder / "data" / "regkb.db"


@pytest.fixture(scope="session")
def demo_db() -> Path:
    return demo_database()

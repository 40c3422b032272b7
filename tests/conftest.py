"""Shared fixtures: where the real recorded material is, temporary data folders, a running mirror."""

from __future__ import annotations

import os
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

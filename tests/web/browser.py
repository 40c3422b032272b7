"""What the browser tests share: Debian's Chromium driven by Playwright, `regkb serve` started as a user starts it,
and one page visited in a fresh tab that records JavaScript errors and every request to another host.
Screenshots are kept in tests/artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TESTS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = TESTS / "artifacts"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving(database: Path):
    """`regkb serve DATABASE` on a free port, until the generator is closed: yields the server's address (a module
    fixture's body: ``yield from serving(db)``)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regkb", "serve", str(database), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            break
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"regkb serve did not start: {process.stdout.read().decode()[-2000:]}")
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def chromium():
    """Headless Chromium until the generator is closed (the ``browser`` fixture of tests/web/conftest.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page in a fresh tab, recording JavaScript errors and every request to another host."""

    def __init__(self, browser, base: str, path: str, name: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

        def route(route):
            if route.request.url.startswith(base):
                route.continue_()
            else:
                self.foreign.append(route.request.url)
                route.abort()

        self.page.route("**/*", route)
        response = self.page.goto(base + path, wait_until="networkidle")
        assert response.status == 200, (path, response.status)
        self.name = name

    def finish(self):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{self.name}.png"), full_page=True)
        self.page.close()
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign

"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) on the pages people use: the faceted table,
a search, a decision page and the charts. A JavaScript error, a request to another host or a blank chart fails the
test; screenshots are kept in tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TESTS, demo_database
from tests.expected import DEMO_DECISIONS

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = TESTS / "artifacts"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """`regkb serve` on the demo database, as a user starts it."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "regkb", "serve", str(demo_database()), "--port", str(port)],
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


@pytest.fixture(scope="module")
def browser():
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


def test_faceted_table(server, browser):
    visit = Visit(browser, server, "/regkb/decisions", "decisions-table")
    facets = visit.page.locator(".facet-info").count()
    assert facets >= 11
    assert visit.page.locator(".facet-info-name").first.inner_text().strip()
    assert visit.page.locator("table.rows-and-columns tbody tr").count() == 50
    assert visit.page.locator('th[data-column="province"] .zh-label').inner_text() == "省份"
    # a facet value narrows the table, as a click would
    visit.page.locator("#facet-province li a").first.click()
    visit.page.wait_for_load_state("networkidle")
    assert "province=" in visit.page.url
    visit.finish()


def test_search(server, browser):
    visit = Visit(browser, server, "/regkb/decisions", "search")
    visit.page.fill("#_search", "贷款 挪用")
    visit.page.press("#_search", "Enter")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.input_value("#_search") == "贷款 挪用"
    heading = visit.page.locator("h3").first.inner_text()
    assert 'search matches "贷款 挪用"' in heading and not heading.startswith("0 rows")
    visit.finish()


def test_decision_page(server, browser):
    visit = Visit(browser, server, "/regkb/decisions/nfra~3A9100001", "decision-page")
    assert "津银监罚决字〔2018〕35号" in visit.page.locator("h1").inner_text()
    original = visit.page.locator(".regkb-original table")
    assert original.count() == 1 and original.bounding_box()["height"] > 200
    assert "平安银行股份有限公司" in original.inner_text()
    visit.finish()


def test_charts_are_drawn(server, browser):
    visit = Visit(browser, server, "/-/dashboards/overview", "charts")
    visit.page.wait_for_function("document.querySelectorAll('.dashboard-card-chart canvas, "
                                 ".dashboard-card-chart svg.marks').length >= 4", timeout=20_000)
    # each Vega chart must have drawn its marks (bars, lines), with a size, not just axes on an empty plot
    marks = visit.page.evaluate("""() => Array.from(document.querySelectorAll('.dashboard-card-chart svg.marks'))
        .map(svg => Array.from(svg.querySelectorAll('g.mark-rect path, g.mark-line path, g.mark-symbol path'))
            .filter(mark => (mark.getAttribute('d') || '').length > 0)
            .filter(mark => { const box = mark.getBBox(); return box.width > 0 || box.height > 0; }).length)""")
    assert len(marks) == 4 and all(count >= 3 for count in marks), marks
    metrics = visit.page.locator(".dashboard-card-chart p").all_inner_texts()
    assert f"{DEMO_DECISIONS} 份" in metrics
    visit.finish()

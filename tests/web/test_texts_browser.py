"""The regulatory texts in headless Chromium (with tests/web/browser.py's Visit and browser, as tests/web/test_browser.py): from a
decision to the article it applied, its precedents and their fines' chart drawn; the law's page; the texts' search;
a notice's chart. A JavaScript error or a request to another host fails; screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.web.browser import ARTIFACTS, NEEDS_CHROMIUM, Visit, serving
from tests.web.test_texts import ITEM_FIVE, LAW, NOTICE, OPENING
from tests.web.texts_fixture import texts_database

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server():
    """`regkb serve` on the texts database."""
    yield from serving(texts_database())


def drawn_bars(visit) -> list[dict]:
    """The bars of the page's charts as the browser lays them out: their value and their drawn height."""
    return visit.page.evaluate("""() => Array.from(document.querySelectorAll('svg.regkb-chart rect.bar'))
        .map(rect => ({value: Number(rect.dataset.value), height: rect.getBoundingClientRect().height}))""")


def test_from_a_decision_to_the_article_it_applied_and_its_chart(server, browser):  # noqa: F811
    visit = Visit(browser, server, "/regkb/decisions/nfra~3A9000003", "texts-decision")
    cited = visit.page.locator("section.regkb-cited", has_text="第四十六条").first
    assert OPENING in cited.inner_text()
    flagged = visit.page.locator("section.regkb-flagged").first
    assert flagged.is_visible() and "待核查" in flagged.inner_text()
    cited.locator("h3 a").click()
    visit.page.wait_for_load_state("networkidle")
    assert "/-/article/" in visit.page.url
    assert visit.page.locator("h1").inner_text() == f"《{LAW}》第四十六条"
    assert ITEM_FIVE in visit.page.locator(".regkb-article-text").inner_text()
    # the fines' chart is drawn: a bar for each band, those with decisions visibly tall
    bars = drawn_bars(visit)
    assert len(bars) == 6
    assert all(bar["height"] >= 2 for bar in bars if bar["value"]) and sum(bar["value"] for bar in bars) >= 60
    assert max(bar["height"] for bar in bars) > 100
    assert visit.page.locator("table.regkb-precedents tbody tr").count() >= 60
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "texts-article.png"), full_page=True)
    # and from it, the law's page
    visit.page.locator(".crumbs a", has_text=LAW).click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.locator("section.regkb-chapter h3").count() == 6
    visit.finish()


def test_the_texts_search(server, browser):  # noqa: F811
    visit = Visit(browser, server, "/", "texts-search")
    visit.page.fill("#q", "审慎")
    visit.page.locator("button", has_text="检索法规").click()   # beside 检索, which searches the decisions
    visit.page.wait_for_load_state("networkidle")
    assert "/-/laws?" in visit.page.url and visit.page.input_value("#q") == "审慎"
    card = visit.page.locator(".regkb-text-result", has_text=LAW)
    assert card.locator("mark").first.inner_text() == "审慎"
    card.locator(".regkb-matching-articles a", has_text="第四十六条").click()
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.endswith(f"/-/article/{quote(LAW, safe='')}/46")
    visit.finish()


def test_a_notices_chart_around_its_date(server, browser):  # noqa: F811
    visit = Visit(browser, server, f"/-/notice/{NOTICE}", "texts-notice")
    bars = drawn_bars(visit)
    assert bars and any(bar["value"] and bar["height"] > 5 for bar in bars)
    assert visit.page.locator("svg.regkb-chart line.marker").count() == 1
    visit.finish()

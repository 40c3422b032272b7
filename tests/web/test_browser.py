"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) on the pages people use: the home search and
its advanced form, result cards paged to the last, the faceted table paged to its last row, its column menu, a
decision page and its 下载原件, the charts. A JavaScript error, a request to another host or a blank chart fails the
test; screenshots are kept in tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import demo_database
from tests.expected import DEMO_DECISIONS
from tests.web.browser import ARTIFACTS, NEEDS_CHROMIUM, Visit, serving
from tests.web.conftest import sql

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server():
    """`regkb serve` on the demo database, as a user starts it."""
    yield from serving(demo_database())



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


def test_home_search(server, browser):
    visit = Visit(browser, server, "/", "home")
    visit.page.fill("#q", "贷款 挪用")
    visit.page.press("#q", "Enter")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.input_value("#q") == "贷款 挪用"
    cards = visit.page.locator("li.regkb-card")
    expected = sql("select count(*) from decisions where (facts like '%贷款%' or decision_text like '%贷款%'"
                   " or title like '%贷款%' or legal_basis like '%贷款%') and (facts like '%挪用%'"
                   " or decision_text like '%挪用%' or title like '%挪用%' or legal_basis like '%挪用%')")[0][0]
    assert cards.count() == expected > 5
    assert f"找到 {expected} 份处罚决定" in visit.page.locator(".regkb-count").inner_text()
    marks = visit.page.locator("li.regkb-card mark")
    assert marks.count() >= expected and set(marks.all_inner_texts()) <= {"贷款", "挪用"}
    assert marks.first.evaluate("mark => getComputedStyle(mark).backgroundColor") != "rgba(0, 0, 0, 0)"
    visit.page.screenshot(path=str(ARTIFACTS / "home-search.png"), full_page=True)
    # the first card leads to its decision's page
    heading = cards.first.locator("h2 a").inner_text()
    cards.first.locator("h2 a").click()
    visit.page.wait_for_load_state("networkidle")
    assert "/regkb/decisions/" in visit.page.url and heading in visit.page.content()
    visit.finish()


def test_advanced_form(server, browser):
    visit = Visit(browser, server, "/", "advanced-form")
    visit.page.locator(".regkb-advanced summary").click()
    visit.page.fill('input[name="region"]', "四川")
    visit.page.select_option('select[name="category"]', "信贷业务")
    visit.page.fill('input[name="fine_min"]', "30")
    visit.page.select_option('select[name="sort"]', "fine")
    visit.page.locator('.regkb-advanced button[type="submit"]').click()
    visit.page.wait_for_load_state("networkidle")
    expected = sql("select count(*) from decisions d where province = '四川省' and total_fine_yuan >= 300000 and"
                   " exists (select 1 from decision_categories c where c.decision_id = d.decision_id"
                   " and c.category = '信贷业务')")[0][0]
    cards = visit.page.locator("li.regkb-card")
    assert cards.count() == expected > 0
    metas = cards.locator(".regkb-meta").all_inner_texts()
    assert all("四川省" in meta for meta in metas)
    assert visit.page.locator(".regkb-advanced").get_attribute("open") is not None   # the form stays open
    visit.finish()


def follow_next(visit: Visit, links: str, following: str) -> list[str]:
    """Every address the ``links`` of each page lead to, clicking ``following`` (下一页) until there is none."""
    seen = []
    while True:
        seen += visit.page.locator(links).evaluate_all("links => links.map(a => a.href)")
        if not visit.page.locator(following).count():
            return seen
        visit.page.locator(following).click()
        visit.page.wait_for_load_state("networkidle")


def test_paging_to_the_last_result(server, browser):
    visit = Visit(browser, server, "/?q=%E7%BD%9A%E6%AC%BE&sort=date", "home-last-page")
    seen = follow_next(visit, "li.regkb-card h2 a", 'a[rel="next"]')
    expected = sql("select count(*) from decisions where facts like '%罚款%' or decision_text like '%罚款%'"
                   " or title like '%罚款%' or legal_basis like '%罚款%' or party_names like '%罚款%'"
                   " or sanction_types like '%罚款%'")[0][0]
    assert len(seen) == len(set(seen)) == expected > 100
    visit.finish()


def test_the_table_pages_to_its_last_row(server, browser):
    visit = Visit(browser, server, "/regkb/decisions?_sort_desc=total_fine_yuan&_size=20", "table-last-page")
    seen = follow_next(visit, "table.rows-and-columns tbody tr td:first-child a", ".next-page a")
    assert len(seen) == len(set(seen)) == DEMO_DECISIONS
    visit.finish()


def test_the_column_menu_speaks_chinese(server, browser):
    visit = Visit(browser, server, "/regkb/decisions", "column-menu")
    visit.page.locator('th[data-column="total_fine_yuan"] svg').click()
    menu = visit.page.locator(".dropdown-menu")
    assert "升序排列" in menu.inner_text() and "Sort ascending" not in menu.inner_text()
    assert "类型：数值" in visit.page.locator(".dropdown-column-type").inner_text()
    visit.finish()


def test_download_the_original(server, browser):
    decision = "pboc:3008201-1"   # the Shanghai 公示表, published as an .xlsx
    (sha256,) = sql("select raw_sha256 from decisions where decision_id = ?", [decision])[0]
    visit = Visit(browser, server, "/regkb/decisions/pboc~3A3008201-1", "download-original")
    link = visit.page.locator("dd.regkb-download a")
    assert "下载原件" in link.inner_text()
    with visit.page.expect_download() as download:
        link.click()
    saved = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(saved).hexdigest() == sha256
    assert download.value.suggested_filename.endswith(".xlsx")
    visit.finish()


@pytest.mark.parametrize("table", ["parties", "sanctions", "citations"])
def test_the_parts_tables_are_laid_out_for_their_content(server, browser, table):
    # the parties page was 58,556 px tall for 154 rows, its 职务 column one character wide
    visit = Visit(browser, server, f"/regkb/{table}", f"{table}-table")
    rows = visit.page.locator("table.rows-and-columns tbody tr")
    height = visit.page.locator("table.rows-and-columns tbody").bounding_box()["height"]
    assert rows.count() > 20 and height / rows.count() < 150, (rows.count(), height)   # it was 380 px a row
    narrowest = visit.page.evaluate("""() => Math.min(...Array.from(
        document.querySelectorAll('table.rows-and-columns thead th')).map(th => th.getBoundingClientRect().width))""")
    assert narrowest > 40   # no column squeezed to one character
    visit.finish()

"""The PBOC's 法律法规 lists (法律 144951, 行政法规 144953, 人民银行令 144957, 规范性文件 3581332, under
``/tiaofasi/144941/``), crawled as the penalty lists are (``sources/pboc/spider.py``): the same site, CMS and wall.

A list page's rows, as several public scrapers of the head office's lists read them::

    <font class="newslist_style"><a href="/tiaofasi/144941/144957/2025122610045251946/index.html"
        title="中国人民银行令〔2025〕第13号（银行间外汇市场管理规定）">…</a></font> <span class="hui12">2025-12-26</span>

and the CMS pager the penalty lists have (``td.Normal``: 「共N条 分M页 当前 第K页」, 下一页 whose ``tagname`` holds
the next page's address, ``[NEXTPAGE]`` on the last page; ``input[name=article_paging_list_hidden][totalpage]``).
The public scrapers disagree on page 2's address (``…/{code}/index2.html`` or ``…/{code}-2.html``, README.md), so this
spider never builds one: it pages on by the address 下一页 gives, and a pager that counts more pages but gives no
address is reported, the list's walk ended there.

A row is a text's page (its id the path's, ``…/2025122610045251946/index.html``); its text is in ``#zoom``,
``td.content`` or ``td.p1``. What kind of text it is comes from the list (source.yaml ``kinds``), read by
``document.py``. Attachments a page links (a 附表 PDF) are counted, not fetched: the text is the page.
"""

from __future__ import annotations

from crawler.facts import Site
from crawler.spider import HINT_CHANGED
from nlp.formats.attachments import is_attachment_url
from sources import load_source
from sources.pboc.spider import PbocSpider, decoded, list_date


class PbocTextsSpider(PbocSpider):
    name = "pboc_texts"
    facts = load_source("pboc_texts")

    def discovery_requests(self):
        """None: the penalty spider walks each site's home page to its 行政处罚 column; no answer of the 条法司's own
        pages (/tiaofasi/144941/index.html) was recorded, so the four lists are not checked against it."""
        return []

    def not_a_decision(self, title: str) -> str | None:
        """Every row is a text: the penalty lists' words for rows that are no decision (words.yaml) do not apply (a
        rule on 行政许可 is a text like any other)."""
        return None

    def list_rows(self, response, template: str) -> list[tuple[str, str, str | None, str | None]]:
        """(title, absolute URL, list date, onclick) of each ``font.newslist_style`` row; the date is the
        ``span.hui12`` after the font, or else in the row's cell."""
        if template != "tiaofasi":
            return super().list_rows(response, template)
        rows = []
        for font in response.css("font.newslist_style"):
            link = font.css("a[href]")
            if not link:
                continue
            dates = font.xpath("following-sibling::span[contains(@class, 'hui12')][1]//text()").getall() or \
                font.xpath("ancestor::td[1]//span[contains(@class, 'hui12')]//text()").getall()
            rows.append((link.attrib.get("title") or "".join(link.css("::text").getall()).strip(),
                         response.urljoin(link.attrib["href"]), list_date(" ".join(dates)),
                         link.attrib.get("onclick")))
        return rows

    def next_page(self, response, site: Site, pattern: str, page: int, total_pages: int) -> str | None:
        """The address 下一页 gives (the penalty spider's reading of the link, asked as if this were the last page,
        so that no address is built); where the pager counts more pages and gives none, a report, and the end."""
        found = super().next_page(response, site, pattern, page, page)
        if found is None and page < total_pages:
            self.report(response.url, f"the pager counts {total_pages} pages but 下一页 gives no address on page "
                        f"{page}: the next page's address is not guessed", HINT_CHANGED, response.meta["item_id"])
        return found

    def parse_detail(self, response):
        """A text's page: archived, once its text is where the site keeps it (source.yaml ``content_selectors``)."""
        response = decoded(response)
        if not self.judge_html(response):
            return
        content = next((found for selector in self.facts.content_selectors if (found := response.css(selector))),
                       None)
        if content is None:
            self.block(response, f"a page without its text ({', '.join(self.facts.content_selectors)})",
                       HINT_CHANGED)
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["documents_fetched"] += 1
        links = [link for link in content.css("a[href]") if is_attachment_url(response.urljoin(link.attrib["href"]))]
        yield {"source": self.name, "doc_id": response.meta["doc_id"], "url": response.url,
               "sha256": response.meta["sha256"], "attachments": len(links)}

"""The People's Bank of China: the head office and every branch site, their 行政处罚信息公示 lists, detail pages and
attachments. The sites, their list paths and names are in ``sources/pboc.yaml``.

Branch lists (``template: branch``)::

    <td class="hei12jj"><font class="hei12"><a href="/fzhtianjin/resource/cms/2018/03/….docx"
        onclick="recordLinkArticleHits('3499935')" title="…">…</a></font></td> <td class="hei12jj">2018-03-16</td>
    … <a tagname="[NEXTPAGE]">下一页</a> … <input name="article_paging_list_hidden" moduleid="10983" totalpage="1"/>

A row links a detail page (``…/2625104/index.html``) or, as often, the attachment itself. 下一页's ``tagname`` holds
the next page's address, or the placeholder ``[NEXTPAGE]`` on the last page; ``totalpage`` says how many there are.
Shenzhen's 下一页 carries the address in ``href`` too, Chongqing's in ``href`` alone (xxxoast/pbc_crawler follows
``href`` for Chongqing). The head office (``template: head_office``) lists ``ul.txtlist li > a`` with ``span.date``;
its pages after the first are ``…/4081705/d80f41dc/index{N}.html``: the column, the first 8 characters of the
pager's ``moduleid``, the page number (as yangguo/dbpboc pages it), whether or not 下一页 carries an address.

Pages are decoded as they declare themselves in ``<meta charset>``: some answer ``charset=ISO-8859-1`` in the HTTP
header for a page written in GB2312, and the header would garble every title, 下一页 and 共0条.

Rows whose title says they are not decisions (a 行政许可 公示表, the 行政处罚项目表 of what the office may punish:
``not_decisions`` in words.yaml) are listed in the log and counted (``rows_not_decisions``), never fetched as
decisions.

Discovery (at a crawl's start, and alone with ``--discover``): each site's home page links its 公开目录, which links
the 行政处罚 column (the words are in words.yaml, the walk is xxxoast/pbc_crawler's); a column outside every list
source.yaml names for the site has ``appeared``, a 公开目录 without it has ``vanished``. A list whose first page
answers 404 has vanished too. A mirror serves every site at one root (``--base-url``), where the sites' home pages
cannot be told apart: there only the lists' first pages are checked.

Every answer is judged: a JavaScript challenge page (the sites' anti-bot wall) is reported by URL with what to do,
never read as an empty list; ``--browser`` passes it in Chromium (crawler/challenge.py).
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import scrapy
import yaml
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

from crawler.facts import Site
from crawler.spider import HINT_CHANGED, SitesSpider
from nlp.formats.attachments import is_attachment_url as is_attachment
from sources import load_source

logger = logging.getLogger(__name__)


_ARTICLE_ID = re.compile(r"recordLinkArticleHits\('(\d+)'\)")
_DETAIL_ID = re.compile(r"/(\d+)/index\.html$")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# the pager's 「共10条 分1页」, or Shenzhen's 「共<b>427</b>条」
_ROW_COUNT = re.compile(r"共\s*(?:<[^>]*>\s*)*(\d+)\s*(?:<[^>]*>\s*)*条")
WORDS = yaml.safe_load((Path(__file__).parent / "words.yaml").read_text(encoding="utf-8"))
_MODULE_ID = re.compile(r"[0-9a-f]{8}", re.I)


def doc_id_of(url: str, onclick: str | None = None) -> str:
    """The site's article id when the list gives it (recordLinkArticleHits('3499935')) or the page's path has it
    (…/2625104/index.html); else a stable id from the address."""
    if onclick:
        found = _ARTICLE_ID.search(onclick)
        if found:
            return found.group(1)
    path = urlsplit(url).path
    found = _DETAIL_ID.search(path)
    if found:
        return found.group(1)
    return "u" + hashlib.sha1(unquote(path).encode("utf-8")).hexdigest()[:12]


def decoded(response):
    """The response decoded by the page's own declaration (``<meta charset>``) where the HTTP header says otherwise:
    a page in GB2312 served as ``charset=ISO-8859-1`` reads right."""
    declared = html_body_declared_encoding(response.body)
    if declared and resolve_encoding(declared) != resolve_encoding(response.encoding):
        return response.replace(encoding=declared)
    return response


def list_date(text: str) -> str | None:
    found = _DATE.search(text or "")
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return None


class PbocSpider(SitesSpider):
    name = "pboc"
    facts = load_source("pboc")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._visited: set[tuple[str, bool, str]] = set()   # (list, walked again, page) fetched in this crawl

    # -- requests ------------------------------------------------------------------------------------------------

    async def start_lists(self):
        for site in self.sites:
            for number, pattern in enumerate(site.lists, start=1):
                item_id = f"{site.key}#{number}"
                url = self.root(site) + pattern.format(page=1)
                yield self.list_request(site, item_id, pattern, 1, url)

    def list_request(self, site: Site, item_id: str, pattern: str, page: int, url: str) -> scrapy.Request:
        request = scrapy.Request(url, callback=self.parse_list, errback=self.on_error, dont_filter=True,
                                 meta={"kind": "list", "item_id": item_id, "site": site.key, "pattern": pattern,
                                       "page": page, "handle_httpstatus_all": True})
        return self.first_page(item_id, request) if page == 1 else request

    def document_request(self, url: str, doc_id: str, site: str, item_id: str, callback) -> scrapy.Request:
        return scrapy.Request(url, callback=callback, errback=self.on_error,
                              meta={"kind": "document", "doc_id": doc_id, "item_id": item_id, "site": site,
                                    "handle_httpstatus_all": True})

    # -- discovery -----------------------------------------------------------------------------------------------

    def discovery_requests(self):
        requests = []
        if not self.base_url:   # on the real hosts: each site's home page (on a mirror all share one root)
            for site in self.sites:
                requests.append(scrapy.Request(
                    site.host.rstrip("/") + "/", callback=self.parse_home, errback=self.on_error, dont_filter=True,
                    meta={"kind": "list", "item_id": f"{site.key}#home", "site": site.key,
                          "handle_httpstatus_all": True}))
        if self.discover_only:   # a crawl checks the first pages as it walks the lists
            for site in self.sites:
                for number, pattern in enumerate(site.lists, start=1):
                    requests.append(scrapy.Request(
                        self.root(site) + pattern.format(page=1), callback=self.check_list, errback=self.on_error,
                        dont_filter=True, meta={"kind": "list", "item_id": f"{site.key}#{number}", "site": site.key,
                                                "pattern": pattern, "page": 1, "handle_httpstatus_all": True}))
        return requests

    def _link_by_words(self, response, words: str):
        """(absolute URL, words) of the first link whose words match ``words`` (a regular expression), or None."""
        for link in response.css("a[href]"):
            said = "".join(link.css("::text").getall()).strip()
            if re.search(words, said):
                return response.urljoin(link.attrib["href"]), said
        return None

    def parse_home(self, response):
        """A site's home page: its 公开目录 link, followed to the catalogue."""
        response = decoded(response)
        if not self.judge_html(response):
            return
        found = self._link_by_words(response, WORDS["catalogue_link"])
        if found is None:
            self.block(response, "a home page without its 公开目录 link", HINT_CHANGED)
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        yield scrapy.Request(found[0], callback=self.parse_catalogue, errback=self.on_error, dont_filter=True,
                             meta={**{k: response.meta[k] for k in ("kind", "item_id", "site")},
                                   "handle_httpstatus_all": True})

    def parse_catalogue(self, response):
        """The 公开目录: its 行政处罚 link, against the lists source.yaml names for the site (the column holds them, or
        is one of them)."""
        response = decoded(response)
        if not self.judge_html(response):
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        site = self.facts.site(response.meta["site"])
        self.tally["lists_checked"] += 1
        found = self._link_by_words(response, WORDS["column_link"])
        if found is None:
            self.discovered("vanished", f"{site.key}: 行政处罚", f"{site.name} 行政处罚", response.url)
            return
        column = urlsplit(found[0]).path.rsplit("/", 1)[0] + "/"
        known = [pattern.rsplit("/", 1)[0] + "/" for pattern in site.lists]
        if not any(path.startswith(column) or column.startswith(path) for path in known):
            self.discovered("appeared", column, f"{site.name} {found[1]}", response.url)
        return
        yield

    def check_list(self, response):
        """A list's first page (--discover): there, or vanished."""
        if self.vanished(response):
            return
        if self.judge_html(response):
            self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["lists_checked"] += 1

    def vanished(self, response) -> bool:
        """A list's first page that answers 404 or 410: the list is gone from the site (a discovery: the YAML names it)."""
        if response.meta.get("page") != 1 or response.status not in (404, 410):
            return False
        reason = f"HTTP {response.status}: the list's first page is not there"
        self.archive.judge(response.meta["fetch_id"], "blocked", reason)
        self._failed_items.add(response.meta["item_id"])
        self.tally["lists_checked"] += 1
        self.discovered("vanished", response.meta["item_id"], response.meta["pattern"], response.url)
        return True

    # -- lists ---------------------------------------------------------------------------------------------------

    def list_rows(self, response, template: str) -> list[tuple[str, str, str | None, str | None]]:
        """(title, absolute URL, list date, onclick) of each row, in the template the site serves."""
        rows = []
        if template == "head_office":
            for item in response.css("ul.txtlist li"):
                link = item.css("a[href]")
                if not link:
                    continue
                rows.append((link.attrib.get("title") or "".join(link.css("::text").getall()).strip(),
                             response.urljoin(link.attrib["href"]), list_date(" ".join(item.css(".date::text").getall())),
                             link.attrib.get("onclick")))
        else:
            for cell in response.css("td.hei12jj"):
                link = cell.css("font.hei12 a[href]")
                if not link:
                    continue
                dates = cell.xpath("following-sibling::td[contains(@class, 'hei12jj')][1]//text()").getall()
                rows.append((link.attrib.get("title") or "".join(link.css("::text").getall()).strip(),
                             response.urljoin(link.attrib["href"]), list_date(" ".join(dates)),
                             link.attrib.get("onclick")))
        return rows

    def not_a_decision(self, title: str) -> str | None:
        """The phrase of ``not_decisions`` (source.yaml) a list row's or link's title holds, if any."""
        return next((phrase for phrase in WORDS["not_decisions"] if re.search(phrase, title or "")), None)

    def parse_list(self, response):
        if self.vanished(response):
            return
        response = decoded(response)
        meta = response.meta
        site = self.facts.site(meta["site"])
        if not self.judge_html(response):
            return
        rows = self.list_rows(response, site.template)
        pager = response.css("input[name=article_paging_list_hidden]")
        count = _ROW_COUNT.search(response.text)
        if not rows and not pager and not (count and count[1] == "0"):
            self.block(response, f"no list rows ({site.template} template) and no pager: not a list page", HINT_CHANGED)
            return
        self.archive.judge(meta["fetch_id"], "ok")
        self.tally["list_pages"] += 1
        watermark = self.archive.watermark(self.name, meta["item_id"])
        known = 0
        reached_since = False
        for title, url, published, onclick in rows:
            if published is None:
                self.report(response.url, f"a list row without a date: {title!r} ({url})", HINT_CHANGED,
                            meta["item_id"])
                continue
            self.seen(meta["item_id"], published)
            if self.since and date.fromisoformat(published) < self.since:
                reached_since = True
                continue
            other = self.not_a_decision(title)
            if other:
                self.tally["rows_not_decisions"] += 1
                logger.info("%s: not a decision (%s), not fetched: %r %s", response.url, other, title, url)
                continue
            refused = self.refusal(url)
            if refused:
                self.refuse(url, f"a list row's link on {response.url}: {refused}", meta["item_id"])
                continue
            doc_id = doc_id_of(url, onclick)
            self.archive.list_document(self.name, doc_id, url=url, title=title, published=published,
                                       list_url=response.url, branch=site.key)
            if self.archive.has_document(self.name, doc_id):
                yield from self.archived_already(doc_id, lambda url, file_id: self.document_request(
                    url, file_id, site.key, meta["item_id"], self.parse_attachment))
                known += bool(watermark and published <= watermark)
                continue
            callback = self.parse_attachment if is_attachment(url) else self.parse_detail
            yield self.document_request(url, doc_id, site.key, meta["item_id"], callback)
        counted = pager.attrib.get("totalpage", "") if pager else ""
        total_pages = int(counted) if counted.strip().isdigit() else 1
        logger.info("%s page %d of %d: %d rows", meta["item_id"], meta["page"], total_pages, len(rows))
        next_url = self.next_page(response, site, meta["pattern"], meta["page"], total_pages)
        walk = (meta["item_id"], bool(meta.get("walked_again")))
        self._visited.add((*walk, response.url))
        if (*walk, next_url) in self._visited or (pager and meta["page"] >= total_pages):
            next_url = None   # a pager pointing back, or past the pages it counts: the list has ended
        step = self.keep_paging(response, meta["item_id"], meta["page"], rows=len(rows),
                                # an empty page where the pager counts more: short
                                expected=1 if pager and meta["page"] < total_pages else None,
                                total=int(count[1]) if count else None,
                                reached_known=bool(rows) and known == len(rows), reached_since=reached_since,
                                more=next_url is not None)
        if isinstance(step, scrapy.Request):
            yield step
        elif step:
            yield self.list_request(site, meta["item_id"], meta["pattern"], meta["page"] + 1, next_url)

    def next_page(self, response, site: Site, pattern: str, page: int, total_pages: int) -> str | None:
        """下一页's address when the page gives one (``tagname``, else ``href``; a ``[NEXTPAGE]`` placeholder ends
        the list); else, while pages remain, the module-id form (the head office) or the list pattern's next page."""
        for link in response.css("a"):
            if "下一页" not in "".join(link.css("::text").getall()):
                continue
            tagname = (link.attrib.get("tagname") or "").strip()
            if tagname.startswith("["):
                break   # the last page's placeholder
            target = tagname or (link.attrib.get("href") or "").strip()
            if target and not target.lower().startswith(("javascript", "#")):
                return response.urljoin(target)
        if page >= total_pages:
            return None
        if "{page}" in pattern:
            return urljoin(response.url, pattern.format(page=page + 1))
        module = response.css("input[name=article_paging_list_hidden]").attrib.get("moduleid", "")
        if _MODULE_ID.match(module) and not module.isdigit():
            return urljoin(self.root(site) + pattern, f"{module[:8]}/index{page + 1}.html")
        return None

    # -- documents -----------------------------------------------------------------------------------------------

    def parse_detail(self, response):
        """A detail page: archived as a document; the attachments it links are fetched as documents of their own
        (but for those whose words say they are no decision: ``not_decisions`` of words.yaml)."""
        response = decoded(response)
        if not self.judge_html(response):
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        self.tally["documents_fetched"] += 1
        doc_id = response.meta["doc_id"]
        content = next((found for selector in self.facts.content_selectors if (found := response.css(selector))),
                       None) or response
        links = [link for link in content.css("a[href]") if is_attachment(response.urljoin(link.attrib["href"]))]
        page = self.archive.listing(self.name, doc_id) or {}
        for link in links:
            url = response.urljoin(link.attrib["href"])
            words = "".join(link.css("::text").getall()).strip() or unquote(urlsplit(url).path).rsplit("/", 1)[-1]
            other = self.not_a_decision(words)
            if other:
                self.tally["rows_not_decisions"] += 1
                logger.info("%s: an attachment that is not a decision (%s), not fetched: %r %s", response.url,
                            other, words, url)
                continue
            refused = self.refusal(url)
            if refused:
                self.refuse(url, f"an attachment link on {response.url}: {refused}", response.meta["item_id"])
                continue
            # named by its address, not its place on the page: a link added above it later is another attachment
            attachment_id = f"{doc_id}.{doc_id_of(url).removeprefix('u')[:8]}"
            name = "".join(link.css("::text").getall()).strip() or unquote(urlsplit(url).path).rsplit("/", 1)[-1]
            # its decisions were published with the page: the page's title and date, the link's words as a note
            self.archive.list_document(self.name, attachment_id, url=url, title=page.get("title") or name,
                                       published=page.get("published"), parent_doc_id=doc_id,
                                       list_url=response.url, branch=response.meta["site"])
            if not self.archive.has_document(self.name, attachment_id):
                yield self.document_request(url, attachment_id, response.meta["site"], response.meta["item_id"],
                                            self.parse_attachment)
        yield {"source": self.name, "doc_id": doc_id, "url": response.url, "sha256": response.meta["sha256"],
               "attachments": len(links)}


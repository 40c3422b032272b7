"""NFRA (and CBIRC/CBRC before it) penalty decisions, from the site's own JSON endpoints.

List: ``/cbircweb/DocInfo/SelectDocByItemIdAndChild?itemId=4113|4114|4115&pageSize=18&pageIndex=N`` answers
``{"rptCode":200,"msg":"成功","data":{"total":N,"rows":[{docId, docTitle, docSubtitle, publishDate}]}}``, newest first.
Document: ``/cbircweb/DocInfo/SelectByDocId?docId=…`` answers the same envelope around one document whose ``docClob``
is a Word-exported HTML page. The facts (base URL, paths, item ids, page size, politeness) are in ``source.yaml``.

The files an answer links (``attachmentInfoVOList``; the document's own PDF or Word file when ``docClob`` is all but
empty) are fetched as documents of their own, listed under their document. Item 932 (行政监管措施) is crawled like
the penalty lists. Each crawl first asks the penalty column 931 for its children (discovery), and fetches again a
document whose list row gives a ``docEditdate`` other than the one stored with its archived body.

The spider only fetches and judges: every body is archived by ArchiveMiddleware before the spider sees it, and
extraction later reads the archive. A blocked answer (HTML where JSON was expected, ``rptCode`` other than 200,
HTTP 403/404) is recorded as a problem with its URL, never taken for an empty page.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from urllib.parse import unquote, urljoin, urlsplit

import scrapy

from crawler.spider import RegulatorSpider
from sources import load_source
from sources.nfra.envelope import NotAnEnvelope, attachments, kind_of, open_envelope, published_as_file, renderings

logger = logging.getLogger(__name__)


def parse_publish_date(value: str) -> str:
    """``2020-03-02 18:16:50.0`` or ``2026-04-21 15:30:00`` → ``2020-03-02T18:16:50`` (sortable as text)."""
    text = value.strip()
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).isoformat(timespec="seconds")
        except ValueError:
            continue
    raise ValueError(f"unrecognised publishDate {value!r}")


HINT_COLUMNS = ("open the URL in a browser: if it is not JSON of the column's children ({itemId, itemName, "
                "docInfoVOList}), the endpoint changed and the columns endpoint in sources/nfra/source.yaml needs "
                "updating")


def attachment_id(doc_id: str, path: str) -> str:
    """A file's document id: its document's, then 8 hex digits of its address (named by its address, not by its
    place in the list: a file added before it later is another file)."""
    return f"{doc_id}.{hashlib.sha1(unquote(urlsplit(path).path).encode('utf-8')).hexdigest()[:8]}"


def _edited(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


HINT_BLOCKED = (
    "open the URL in a browser: if it shows a verification page, wait and re-run later with a longer --delay;"
    " if it shows JSON of another shape, the endpoint changed and sources/nfra/source.yaml needs updating"
)


class NfraSpider(RegulatorSpider):
    name = "nfra"
    facts = load_source("nfra")

    def __init__(
        self,
        base_url: str | None = None,
        since: str | None = None,
        max_pages: int | str | None = None,
        item_ids: str | list[str] | None = None,
        page_size: int | str | None = None,
        full: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.full = bool(full)
        self.base_url = (base_url or self.facts.base_url).rstrip("/")
        self.since: date | None = date.fromisoformat(since) if since else None
        self.max_pages = int(max_pages) if max_pages else None
        if isinstance(item_ids, str):
            item_ids = [part.strip() for part in item_ids.split(",") if part.strip()]
        self.item_ids = list(item_ids or self.facts.item_ids)
        self.page_size = int(page_size or self.facts.page_size)
        # --since and --max-pages walks are partial by design: they may not move a list's watermark
        self.partial = self.since is not None or self.max_pages is not None

    def url(self, endpoint: str, **values: object) -> str:
        return self.base_url + self.facts.endpoints[endpoint].format(**values)

    # -- requests ------------------------------------------------------------------------------------------------

    async def start_lists(self):
        for item_id in self.item_ids:
            yield self.list_request(item_id, 1)

    def list_request(self, item_id: str, page: int) -> scrapy.Request:
        request = scrapy.Request(
            self.url("list", item_id=item_id, page_size=self.page_size, page=page),
            callback=self.parse_list,
            errback=self.on_error,
            dont_filter=True,
            meta={"kind": "list", "item_id": item_id, "page": page, "handle_httpstatus_all": True},
        )
        return self.first_page(item_id, request) if page == 1 else request

    def document_request(self, doc_id: str, item_id: str, row: dict, changed: bool = False) -> scrapy.Request:
        return scrapy.Request(
            self.url("document", doc_id=doc_id),
            callback=self.parse_document,
            errback=self.on_error,
            dont_filter=changed,
            meta={"kind": "document", "doc_id": doc_id, "item_id": item_id, "list_row": row, "changed": changed,
                  "handle_httpstatus_all": True},
        )

    def attachment_request(self, url: str, doc_id: str, item_id: str, changed: bool = False) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error, dont_filter=changed,
                              meta={"kind": "document", "doc_id": doc_id, "item_id": item_id,
                                    "handle_httpstatus_all": True})

    def changed(self, doc_id: str, row: dict) -> bool:
        """Whether the list row says the document was edited since the body archived of it: its ``docEditdate``
        (when the row gives one) is not the one stored with that body."""
        edited = _edited(row.get("docEditdate"))
        stored = (self.archive.listing(self.name, doc_id) or {}).get("edited")
        return bool(edited and stored and edited != stored)

    def file_url(self, path: str) -> str:
        """A file's address as the envelope gives it (a path on the site, or a whole address), on this crawl's root."""
        return urljoin(self.base_url + "/", path)

    # -- answers -------------------------------------------------------------------------------------------------

    def judge(self, response, required: tuple[str, ...] = ()) -> dict | None:
        """Open the envelope and check it has the ``required`` keys; record a blocked answer in the archive and the
        problem list and return None."""
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the JSON answer", HINT_BLOCKED)
            return None
        try:
            data = open_envelope(response.body, *required)
        except NotAnEnvelope as blocked:
            self.block(response, str(blocked), HINT_BLOCKED)
            return None
        self.archive.judge(response.meta["fetch_id"], "ok")
        return data

    def parse_list(self, response):
        item_id, page = response.meta["item_id"], response.meta["page"]
        data = self.judge(response, required=("total", "rows"))
        if data is None:
            return
        self.tally["list_pages"] += 1
        try:
            total, rows = int(data["total"]), list(data["rows"])
        except (TypeError, ValueError) as error:
            self.block(response, f"a list answer whose total or rows cannot be read ({error})", HINT_BLOCKED)
            return
        watermark = self.archive.watermark(self.name, item_id)
        known = 0
        reached_since = False
        for row in rows:
            try:
                doc_id = str(row["docId"])
                published = parse_publish_date(row["publishDate"])
            except (KeyError, TypeError, ValueError) as error:
                self.report(response.url, f"a list row without a readable docId and publishDate ({error}): "
                            f"{str(row)[:200]}", HINT_BLOCKED, item_id)
                continue
            self.seen(item_id, published)
            if self.since and date.fromisoformat(published[:10]) < self.since:
                reached_since = True
                continue
            self.archive.list_document(self.name, doc_id, url=self.url("document", doc_id=doc_id),
                                       title=row.get("docSubtitle") or row.get("docTitle"), published=published,
                                       list_url=response.url, branch=item_id)
            if self.archive.has_document(self.name, doc_id):
                if self.changed(doc_id, row):
                    # the site edited it since it was archived: fetched again, a new fetch beside the old one
                    self.tally["documents_changed"] += 1
                    yield self.document_request(doc_id, item_id, row, changed=True)
                    continue
                yield from self.archived_already(doc_id, lambda url, file_id: self.attachment_request(
                    url, file_id, item_id))
                # below the mark of an earlier crawl that walked the whole list (an interrupted crawl leaves older
                # pages unfetched, and they must still be reached)
                known += bool(watermark and published <= watermark)
                continue
            yield self.document_request(doc_id, item_id, row)
        logger.info("item %s page %d: %d rows of %d", item_id, page, len(rows), total)
        # the largest count seen: a page that says fewer (the site mid-update) must not end the walk early
        most = max(self._totals.get(item_id, set()) | {total})
        expected = max(0, min(self.page_size, most - (page - 1) * self.page_size))
        step = self.keep_paging(response, item_id, page, rows=len(rows), expected=expected, total=total,
                                reached_known=bool(rows) and known == len(rows), reached_since=reached_since,
                                more=page * self.page_size < most)
        if isinstance(step, scrapy.Request):
            yield step
        elif step:
            yield self.list_request(item_id, page + 1)

    def parse_document(self, response):
        data = self.judge(response, required=("docId", "docClob", "publishDate"))
        if data is None:
            return
        if str(data["docId"]) != response.meta["doc_id"]:
            reason = f"the answer is for docId {data['docId']}, not {response.meta['doc_id']}"
            self.archive.judge(response.meta["fetch_id"], "blocked", reason)
            self.report(response.url, reason, HINT_BLOCKED, response.meta["item_id"])
            return
        clob = data["docClob"]
        row = response.meta.get("list_row") or {}
        files, rendered = list(attachments(data)), renderings(data, row)
        # what the docClob says is read (its Word page parsed) once, and only where a decision hangs on it
        in_files = published_as_file(data) if rendered or not files else False
        if in_files and not (files or rendered):
            # judged by its content: an answer without the document is asked for again by the next crawl
            said = ("empty" if not (isinstance(clob, str) and clob.strip()) else "all but empty") \
                if isinstance(clob, str) or clob is None else type(clob).__name__
            self.block(response, f"the answer's docClob is {said} and it links no file: the site answered without"
                       " the document", HINT_BLOCKED)
            return
        self.tally["documents_fetched"] += 1
        doc_id, item_id = response.meta["doc_id"], response.meta["item_id"]
        title = data.get("docSubtitle") or data.get("docTitle") or row.get("docSubtitle") or row.get("docTitle")
        try:
            published = parse_publish_date(data["publishDate"])
        except (TypeError, ValueError):
            published = None
        if in_files:
            # the document is its file: the PDF the site offers of it (else its Word file), once
            files += [(path, None) for path in rendered[:1]]
        self.archive.list_document(self.name, doc_id, url=response.url, title=title, published=published,
                                   branch=item_id, edited=_edited(data.get("docEditdate"))
                                   or _edited(row.get("docEditdate")), files=len(files))
        for path, name in files:
            url = self.file_url(path)
            refused = self.refusal(url)
            if refused:
                self.refuse(url, f"a file the answer for docId {doc_id} links: {refused}", item_id)
                continue
            child = attachment_id(doc_id, path)
            # its decisions were published with the document: the document's title and date, its page cites them
            self.archive.list_document(self.name, child, url=url, title=title, published=published,
                                       list_url=self.url("page", doc_id=doc_id, item_id=item_id),
                                       parent_doc_id=doc_id, branch=item_id)
            if response.meta.get("changed") or not self.archive.has_document(self.name, child):
                yield self.attachment_request(url, child, item_id, changed=bool(response.meta.get("changed")))
        yield {
            "source": self.name,
            "doc_id": doc_id,
            "item_id": item_id,
            "url": response.url,
            "sha256": response.meta["sha256"],
            "title": title,
            "attachments": len(files),
        }

    # -- discovery: the penalty column's children against source.yaml ------------------------------------------

    def discovery_requests(self):
        """The penalty column (931 行政处罚) answered with its children and their newest documents, to tell which
        child lists the site has against the penalty item ids source.yaml names."""
        url = self.url("columns", page_size=1)
        return [scrapy.Request(url, callback=self.parse_columns, errback=self.on_error, dont_filter=True,
                               meta={"kind": "list", "item_id": "columns", "handle_httpstatus_all": True})]

    def parse_columns(self, response):
        """``{"rptCode":200,"data":[{itemId, itemName, docInfoVOList:[…]}, …]}``: one entry per child column."""
        if response.status != 200:
            self.block(response, f"HTTP {response.status} instead of the columns' JSON", HINT_COLUMNS)
            return
        try:
            answer = json.loads(response.body.decode("utf-8"))
            children = {str(entry["itemId"]): str(entry.get("itemName") or entry["itemId"])
                        for entry in answer["data"]}
            if str(answer.get("rptCode")) != "200":
                raise ValueError(f"rptCode {answer.get('rptCode')}")
        except (ValueError, KeyError, TypeError) as error:
            self.block(response, f"not the columns' answer ({type(error).__name__}: {error})", HINT_COLUMNS)
            return
        self.archive.judge(response.meta["fetch_id"], "ok")
        declared = {item: name for item, name in self.facts.item_ids.items() if kind_of(item) == "penalty"}
        self.tally["lists_checked"] += len(set(children) | set(declared))
        for item_id, name in children.items():
            if item_id not in declared:
                self.discovered("appeared", item_id, name, response.url)
        for item_id, name in declared.items():
            if item_id not in children:
                self.discovered("vanished", item_id, name, response.url)
        return
        yield

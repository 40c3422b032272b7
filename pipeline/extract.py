"""Archive → analyses: each archived document read once, by its source's reader, into what it holds (its decisions)
and what a person is shown of it; or quarantined with the reason. `regkb extract` and the build both run this.

The body is read from the archive once and handed on whole: the reader's ``Reading`` (the decisions, the envelope's
docClob, an attachment's tables) goes to the database loader as it is, so nothing is parsed a second time.

Every address handed on is the regulator's own. A crawl with ``--base-url`` (the demo's loopback mirror) fetched
every page from that root, and the archive records the address it fetched (where the bytes came from, what a
re-crawl asks again); what a decision cites, what the feed and the exports link, is the page on the regulator's site:
the same path and query on the host of the site the request was for (``regulator_address``). The rewriting is done
at every read, never in the archive, so an archive crawled before it was written is cited at the real sites too.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from crawler.archive import Archive, ArchiveError, Fetch, read_object, utc_now
from crawler.facts import Facts, Site
from nlp.formats.attachments import BINARY_FORMATS, sniff
from nlp.formats.word_html import decode_html
from nlp.privacy import mask
from nlp.records import Analysis, Reading, RegulatoryText, Unparseable
from nlp.schema import db_rows
from nlp.text import scrub
from pipeline.isolation import Outcome, Pool, run_here
from sources import get as source_named


@dataclass
class Quarantined:
    """A fetched body nothing could be read from, kept where a person can look (the quarantine table)."""

    raw_sha256: str
    source: str
    doc_id: str | None
    url: str
    stage: str          # fetch (the site answered with something else) | archive (its bytes are missing or changed) |
                        # extract (the document could not be read) | load (its records could not be stored)
    reason: str
    quarantined_at: str

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class Extracted:
    """One archived document after its reader: its decisions, or why it is quarantined, and how it is shown."""

    fetch: Fetch                         # as archived, but at the regulator's own address (``as_published``)
    body_text: str | None                # the bytes as text (an office file has none: see document_html)
    analyses: list[Analysis] = field(default_factory=list)
    quarantined: Quarantined | None = None
    document_html: str | None = None     # what the document says as HTML, where the reader made it
    rendering: str | None = None         # how document_html was made (or why an office file could not be shown)
    texts: list[RegulatoryText] = field(default_factory=list)   # the laws, rules and notices it holds
    # each analysis's rows as the database holds them (nlp/schema.py: table → rows), where the build asked for them
    rows: list[dict[str, list[dict]]] | None = None


def regulator_address(source: str, url: str, site_key: str | None = None) -> str:
    """``url`` as the regulator publishes it. An address on one of the source's own hosts (its base URL, its sites',
    its attachment hosts) is its own. Any other was fetched from a stand-in (``--base-url``: the crawl's link policy
    follows nothing else), and is the same path and query on the host of the site the request was for: the site
    ``site_key`` names (a listing's branch, or the list a fetch came from: ``shanghai#1``), else the one whose list
    paths open with the same folder (the PBOC's 37 sites each have their own), else the source's one host. An address
    whose site cannot be told is left as it is.

        >>> regulator_address("pboc", "http://127.0.0.1:8123/fzhshanghai/resource/cms/2015/06/a.xlsx")
        'http://shanghai.pbc.gov.cn/fzhshanghai/resource/cms/2015/06/a.xlsx'
        >>> regulator_address("csrc", "http://127.0.0.1:8123/csrc/c101928/c7625565/content.shtml", "head_office")
        'https://www.csrc.gov.cn/csrc/c101928/c7625565/content.shtml'
        >>> regulator_address("nfra", "http://localhost:9/cbircweb/DocInfo/SelectByDocId?docId=1", "4113")
        'https://www.nfra.gov.cn/cbircweb/DocInfo/SelectByDocId?docId=1'
        >>> regulator_address("pboc", "http://127.0.0.1:8123/elsewhere/a.html")   # no site of the PBOC's
        'http://127.0.0.1:8123/elsewhere/a.html'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return url
    root = _root_of(source, parts.hostname.lower().rstrip("."), (site_key or "").split("#", 1)[0],
                    parts.path.lstrip("/").split("/", 1)[0])
    if root is None:
        return url
    return root.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=4096)
def _root_of(source: str, host: str, site_key: str, folder: str) -> str | None:
    """The regulator's root for an address on ``host`` (None: the address is the regulator's own, or its site
    cannot be told), by the site ``site_key`` names, else the one whose lists open with ``folder``; asked once per
    host, site and folder (a build asks for every document)."""
    facts = source_named(source).facts
    if host in _own_hosts(source):
        return None
    site = _site_named(facts, site_key) or _site_of_folder(facts, folder)
    if site is not None:
        return site.host
    if len({other.host for other in facts.sites}) <= 1:
        return facts.sites[0].host if facts.sites else facts.base_url
    return None


@lru_cache(maxsize=None)
def _own_hosts(source: str) -> frozenset[str]:
    facts = source_named(source).facts
    urls = [facts.base_url, *(site.host for site in facts.sites), *facts.attachment_hosts]
    return frozenset(host.lower().rstrip(".") for url in urls
                     if (host := urlsplit(url if "//" in url else f"//{url}").hostname))


def _site_named(facts: Facts, key: str) -> Site | None:
    return next((site for site in facts.sites if site.key == key), None) if key else None


def _site_of_folder(facts: Facts, folder: str) -> Site | None:
    found = {site.host: site for site in facts.sites if folder and any(
        pattern.lstrip("/").split("/", 1)[0] == folder for pattern in site.lists)}
    return next(iter(found.values())) if len(found) == 1 else None


def as_published(fetch: Fetch, listing: dict | None = None) -> Fetch:
    """The fetch at the regulator's address of what it fetched (``regulator_address``), its site told by the
    listing's branch or the list it came from."""
    site = (listing or {}).get("branch") or fetch.item_id
    return replace(fetch, url=regulator_address(fetch.source, fetch.url, site))


def published_listing(source: str, listing: dict | None) -> dict | None:
    """What a list said of a document, its addresses (the document's, the list's or linking page's) the regulator's."""
    if not listing:
        return listing
    site = listing.get("branch")
    return {**listing, **{key: regulator_address(source, listing[key], site)
                          for key in ("url", "list_url") if listing.get(key)}}


def body_text(fetch: Fetch, body: bytes) -> str | None:
    """The archived bytes as text a person can read: a page by its charset (GB2312 pages as GB2312), JSON and text as
    UTF-8, a person's identity number, phone and home address masked (nlp/privacy.py); None for an office file or
    an image, whose text only its reader can give."""
    kind = sniff(body)
    if kind == "html":
        return mask(scrub(decode_html(body, fetch.content_type)))
    if kind in BINARY_FORMATS:
        return None
    return mask(scrub(body.decode("utf-8", "replace")))


@contextmanager
def ocr_kept_beside(archive_dir: Path) -> Iterator[None]:
    """While extracting: recognised scans kept beside the archive (``derived/ocr/``, by the bytes' sha256), so that
    a rebuild recognises nothing twice (nlp/formats/ocr.py reads $REGKB_OCR_CACHE; the workers inherit it). A
    $REGKB_OCR_CACHE already set is kept."""
    before = os.environ.get("REGKB_OCR_CACHE")
    os.environ["REGKB_OCR_CACHE"] = before or str(Path(archive_dir) / "derived" / "ocr")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("REGKB_OCR_CACHE", None)


def read_document(source: str, body: bytes, where: dict) -> Reading:
    """What the source's reader makes of an archived body."""
    return source_named(source).reader.read(body, **where)


def read_fetched(fetch: Fetch, body: bytes, listing: dict | None, revisions: int = 1,
                 shaped: bool = False) -> Extracted:
    """An archived body read: as text a person can read, and by its source's reader (its decisions, what it says as
    HTML), its decisions counting ``revisions`` versions. Touches nothing but its arguments, so that it runs in a
    worker process; a document its reader refuses raises Unparseable. ``shaped``: each analysis also as the rows of
    the database's tables (``Extracted.rows``), made here, in the worker, and the analysis's text and entities then
    only there (they are most of what would travel back twice)."""
    extracted = _shown(fetch, body)
    where = {"doc_id": fetch.doc_id, "url": fetch.url, "sha256": fetch.sha256, "listing": listing,
             "item_id": fetch.item_id}
    reading = read_document(fetch.source, body, where)
    for analysis in reading.analyses:
        if analysis.decision is not None:
            analysis.decision.revisions = revisions
    extracted.analyses = reading.analyses
    extracted.texts = reading.texts
    extracted.document_html, extracted.rendering = mask(scrub(reading.document_html)), reading.rendering
    if shaped:
        extracted.rows = [_rows(analysis) for analysis in reading.analyses]
    return extracted


def _rows(analysis: Analysis) -> dict[str, list[dict]]:
    if analysis.decision is None:
        return {}
    rows = db_rows(analysis.decision, analysis)
    analysis.text, analysis.entities = "", []
    return rows


def _shown(fetch: Fetch, body: bytes) -> Extracted:
    """An Extracted holding the body as text a person can read, or why it cannot be shown."""
    try:
        return Extracted(fetch, body_text(fetch, body))
    except Exception as error:   # noqa: BLE001 - shown as what it is, never stopping the caller
        return Extracted(fetch, None, rendering=f"not shown: {type(error).__name__}: {error}")


def extract_fetches(archive: Archive, fetches: Iterable[Fetch], workers: Pool | None = None,
                    shaped: bool = False) -> Iterator[Extracted]:
    """Read each archived document of ``fetches`` with its source's reader, in their order, by the ``workers`` at
    once (under their memory and time limits; in this process when there are none); what the list said of it
    (title, date, the page it was linked from) comes from the archive, and every address is the regulator's
    (``as_published``); ``shaped``: with the rows of the database (``read_fetched``). Whatever goes wrong, the
    document comes back:
    quarantined with the reason (a missing or changed archive object, a file that cannot be read, a reader over its
    limits, a bug), never lost and never stopping the caller. The bodies are read from the archive's objects by the
    workers (checked against their sha256 there), so that no body travels to them through this process."""
    listings = archive.listings()
    revisions = archive.revisions()

    def calls() -> Iterator[tuple]:
        for fetch in fetches:
            listing = listings.get((fetch.source, str(fetch.doc_id))) if fetch.doc_id else None
            yield (as_published(fetch, listing), str(archive.root), published_listing(fetch.source, listing),
                   revisions.get((fetch.source, str(fetch.doc_id)), 1), shaped)

    for outcome in (workers.map if workers else run_here)(_read_archived, calls()):
        yield _judged(outcome)


def _read_archived(fetch: Fetch, root: str, listing: dict | None, revisions: int, shaped: bool) -> Extracted:
    """``read_fetched`` of the body the archive at ``root`` holds for ``fetch``, or the document quarantined with
    the reason: its object missing or changed, or its reader refusing it (or failing: a bug)."""
    try:
        body = read_object(root, fetch.sha256)
    except ArchiveError as error:
        return _missing(fetch, error)
    try:
        return read_fetched(fetch, body, listing, revisions, shaped)
    except MemoryError:
        raise   # the worker is replaced (pipeline/isolation.py)
    except Exception as error:  # noqa: BLE001 - an extractor bug must not lose the document: quarantined with it
        return _unreadable(fetch, body, error)


def _missing(fetch: Fetch, error: ArchiveError) -> Extracted:
    """The document quarantined because its archived object is missing or changed: nothing of it to show."""
    return Extracted(fetch, None, quarantined=quarantine(fetch, "archive", str(error)), rendering=f"not shown: {error}")


def _unreadable(fetch: Fetch, body: bytes, error: Exception) -> Extracted:
    """The document quarantined because it could not be read, shown as what it is."""
    if isinstance(error, Unparseable):
        reason = str(error)
    else:
        reason = f"extractor error {type(error).__name__}: {error} (a bug: please report it with this hash)"
    extracted = _shown(fetch, body)
    extracted.quarantined = quarantine(fetch, "extract", reason)
    if extracted.body_text is None and not extracted.rendering:
        extracted.rendering = f"the {sniff(body)} file could not be read: {reason}"
    return extracted


def _judged(outcome: Outcome) -> Extracted:
    """The Extracted of one read: as it came, or quarantined with the reason its reader could not finish (over its
    time or memory, or killed: its body read again here, to show it)."""
    try:
        return outcome.get()
    except Exception as error:  # noqa: BLE001 - the document is kept, with the reason
        fetch, root, *_ = outcome.call
        try:
            body = read_object(root, fetch.sha256)
        except ArchiveError as missing:   # gone since the worker read it
            return _missing(fetch, missing)
        return _unreadable(fetch, body, error)


def quarantine(fetch: Fetch, stage: str, reason: str) -> Quarantined:
    return Quarantined(fetch.sha256, fetch.source, fetch.doc_id, fetch.url, stage, scrub(reason), utc_now())


def document_fetches(archive: Archive) -> list[Fetch]:
    """The fetch each document is read from: its newest good one (a document the site changed was archived again,
    as a new fetch; the earlier bodies stay in the archive, counted in the decision's ``revisions``)."""
    return list(archive.documents())


def blocked_fetches(archive: Archive) -> Iterator[Quarantined]:
    """Answers the crawler judged blocked, for documents never fetched successfully since, at the regulator's
    address of what was asked for."""
    for fetch in archive.fetches(verdict="blocked"):
        if fetch.kind == "document" and fetch.doc_id and archive.has_document(fetch.source, fetch.doc_id):
            continue
        if archive.answered_later(fetch):
            continue   # a challenge passed in the browser, a list fetched again: the page was had in the end
        url = as_published(fetch, archive.listing(fetch.source, fetch.doc_id) if fetch.doc_id else None).url
        yield Quarantined(fetch.sha256, fetch.source, fetch.doc_id, url, "fetch", fetch.reason or "blocked",
                          fetch.fetched_at)

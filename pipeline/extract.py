"""Archive → analyses: each archived document read once, by its source's reader, into what it holds (its decisions)
and what a person is shown of it; or quarantined with the reason. `regkb extract` and the build both run this.

The body is read from the archive once and handed on whole: the reader's ``Reading`` (the decisions, the envelope's
docClob, an attachment's tables) goes to the database loader as it is, so nothing is parsed a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from crawler.archive import Archive, Fetch, utc_now
from nlp.formats.attachments import BINARY_FORMATS, sniff
from nlp.formats.word_html import decode_html
from nlp.records import Analysis, Reading, Unparseable
from sources import get as source_named


@dataclass
class Quarantined:
    """A fetched body nothing could be read from, kept where a person can look (the quarantine table)."""

    raw_sha256: str
    source: str
    doc_id: str | None
    url: str
    stage: str          # fetch (the site answered with something else) | extract (the document could not be read)
    reason: str
    quarantined_at: str

    def to_dict(self) -> dict:
        return dict(vars(self))


@dataclass
class Extracted:
    """One archived document after its reader: its decisions, or why it is quarantined, and how it is shown."""

    fetch: Fetch
    body_text: str | None                # the bytes as text (an office file has none: see document_html)
    analyses: list[Analysis] = field(default_factory=list)
    quarantined: Quarantined | None = None
    document_html: str | None = None     # what the document says as HTML, where the reader made it
    rendering: str | None = None         # how document_html was made (or why an office file could not be shown)


def body_text(fetch: Fetch, body: bytes) -> str | None:
    """The archived bytes as text a person can read: a page by its charset (GB2312 pages as GB2312), JSON and text as
    UTF-8; None for an office file or an image, whose text only its reader can give."""
    kind = sniff(body)
    if kind == "html":
        return decode_html(body, fetch.content_type)
    if kind in BINARY_FORMATS:
        return None
    return body.decode("utf-8", "replace")


def extract_fetch(archive: Archive, fetch: Fetch, body: bytes | None = None) -> Extracted:
    """Read an archived document (``body``: its bytes, when the caller has read them already) with its source's
    reader; what the list said of it (title, date, the page it was linked from) comes from the archive."""
    body = archive.read(fetch.sha256) if body is None else body
    extracted = Extracted(fetch, body_text(fetch, body))
    try:
        listing = archive.listing(fetch.source, fetch.doc_id) if fetch.doc_id else None
        reading: Reading = source_named(fetch.source).reader.read(
            body, doc_id=fetch.doc_id, url=fetch.url, sha256=fetch.sha256, listing=listing, item_id=fetch.item_id)
    except Unparseable as error:
        reason = str(error)
    except Exception as error:  # an extractor bug must not lose the document: quarantine it with the error
        reason = f"extractor error {type(error).__name__}: {error} (a bug: please report it with this hash)"
    else:
        extracted.analyses = reading.analyses
        extracted.document_html, extracted.rendering = reading.document_html, reading.rendering
        return extracted
    extracted.quarantined = Quarantined(fetch.sha256, fetch.source, fetch.doc_id, fetch.url, "extract", reason,
                                        utc_now())
    if extracted.body_text is None:
        extracted.rendering = f"the {sniff(body)} file could not be read: {reason}"
    return extracted


def document_fetches(archive: Archive) -> list[Fetch]:
    return list(archive.documents())


def blocked_fetches(archive: Archive) -> Iterator[Quarantined]:
    """Answers the crawler judged blocked, for documents never fetched successfully since."""
    for fetch in archive.fetches(verdict="blocked"):
        if fetch.kind == "document" and fetch.doc_id and archive.has_document(fetch.source, fetch.doc_id):
            continue
        if archive.answered_later(fetch):
            continue   # a challenge passed in the browser, a list fetched again: the page was had in the end
        yield Quarantined(fetch.sha256, fetch.source, fetch.doc_id, fetch.url, "fetch", fetch.reason or "blocked",
                          fetch.fetched_at)

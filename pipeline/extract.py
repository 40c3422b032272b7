"""Glue between the raw archive and extraction: every archived document, extracted, or quarantined with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from crawler.archive import Archive, Fetch, utc_now
from nlp.records import Analysis, Unparseable
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


def extract_fetch(archive: Archive, fetch: Fetch, body: bytes | None = None) -> list[Analysis] | Quarantined:
    """Analyse an archived document (``body``: its bytes, when the caller has read them already) into its
    decisions; what the list said of it (title, date, the page it was linked from) comes from the archive."""
    try:
        body = archive.read(fetch.sha256) if body is None else body
        listing = archive.listing(fetch.source, fetch.doc_id) if fetch.doc_id else None
        return source_named(fetch.source).reader.analyse(body, doc_id=fetch.doc_id, url=fetch.url,
                                                         sha256=fetch.sha256, listing=listing, item_id=fetch.item_id)
    except Unparseable as error:
        reason = str(error)
    except Exception as error:  # an extractor bug must not lose the document: quarantine it with the error
        reason = f"extractor error {type(error).__name__}: {error} (a bug: please report it with this hash)"
    return Quarantined(fetch.sha256, fetch.source, fetch.doc_id, fetch.url, "extract", reason, utc_now())


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

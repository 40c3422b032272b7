"""The raw archive: every fetched body, content-addressed, kept before anything parses it.

Layout under the archive folder::

    objects/ab/ab12…ef      the bytes exactly as received (after transfer decoding), named by their sha256
    index.sqlite            one row per fetch: URL, time, HTTP status, content type, what it was, and the verdict;
                            and what a list said of each document (title, date, the page that links an attachment)

A fetch is never deleted or overwritten; fetching the same bytes twice stores them once and indexes both fetches.
Re-running extraction reads only this folder, never the network.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    fetch_id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    url TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'GET',
    fetched_at TEXT NOT NULL,
    http_status INTEGER,
    content_type TEXT,
    size INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,          -- list | document | robots | other
    doc_id TEXT,
    item_id TEXT,
    verdict TEXT,                -- ok | blocked | redirect | error; NULL until the spider has judged it
    reason TEXT
);
CREATE INDEX IF NOT EXISTS fetches_doc ON fetches (source, doc_id, verdict);
CREATE INDEX IF NOT EXISTS fetches_sha ON fetches (sha256);
CREATE TABLE IF NOT EXISTS listings (
    source TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    url TEXT NOT NULL,           -- the document's (or attachment's) own address
    title TEXT,                  -- the title the list or the linking page gives it
    published TEXT,              -- the date the list shows, ISO
    list_url TEXT,               -- where it was listed
    parent_doc_id TEXT,          -- an attachment: the document whose page links it
    branch TEXT,                 -- the list it came from (a PBOC branch, a CSRC channel)
    seen_at TEXT NOT NULL,
    edited TEXT,                 -- when the site says the archived body was last edited (NFRA docEditdate)
    files INTEGER,               -- how many files of its own the document links (fetched as documents of their own)
    PRIMARY KEY (source, doc_id)
);
CREATE TABLE IF NOT EXISTS crawl_state (
    source TEXT NOT NULL,
    item_id TEXT NOT NULL,
    watermark TEXT NOT NULL,     -- newest publishDate of the last crawl that walked this list to its end
    completed_at TEXT NOT NULL,
    PRIMARY KEY (source, item_id)
);
"""


@dataclass(frozen=True)
class Fetch:
    """One archived fetch, as the index records it."""

    fetch_id: int
    sha256: str
    url: str
    fetched_at: str
    http_status: int | None
    content_type: str | None
    size: int
    source: str
    kind: str
    doc_id: str | None
    item_id: str | None
    verdict: str | None
    reason: str | None


class ArchiveError(Exception):
    """An archived object that cannot be had as it was stored: the message says which and what to do."""


class MissingObject(ArchiveError, FileNotFoundError):
    pass


class CorruptObject(ArchiveError):
    """The bytes under a sha256 are not the bytes of that sha256: changed on disk since they were stored."""


def sha256_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Archive:
    """Content-addressed store of fetched bodies with an index of every fetch.

    ``commit_every``: index writes made durable together (a crawl: 100, or every 2 seconds, and at ``close``).
    Before such a commit the objects written since are synced to disk, so an index row never names bytes that a
    power cut could lose; a crawl killed between commits loses only index rows, and the next crawl fetches those
    documents again. With 1 (the default) each write is committed as it is made."""

    def __init__(self, root: Path | str, commit_every: int = 1):
        self.root = Path(root)
        self.commit_every = max(1, commit_every)
        self._pending = 0
        self._committed = time.monotonic()
        self.objects = self.root / "objects"
        self.objects.mkdir(parents=True, exist_ok=True)
        self._objects, self._folders = str(self.objects), set()
        _remove_stale_temporaries(self.objects)
        self._db = sqlite3.connect(self.root / "index.sqlite")
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)
        _add_missing_columns(self._db)

    def close(self) -> None:
        self.commit()
        self._db.close()

    def commit(self) -> None:
        """Every write so far made durable: the objects' bytes on disk first, then the index rows naming them."""
        if self._pending:
            if self.commit_every > 1:
                os.sync()
            self._db.commit()
            self._pending, self._committed = 0, time.monotonic()

    def _written(self) -> None:
        self._pending += 1
        if self._pending >= self.commit_every or time.monotonic() - self._committed >= 2.0:
            self.commit()

    # -- writing -------------------------------------------------------------------------------------------------

    def store(
        self,
        body: bytes,
        *,
        url: str,
        source: str,
        kind: str,
        http_status: int | None = None,
        content_type: str | None = None,
        method: str = "GET",
        doc_id: str | None = None,
        item_id: str | None = None,
    ) -> Fetch:
        """Write the bytes (once per content) and index this fetch. Durable when it returns, or (``commit_every``
        above 1) at the next commit."""
        digest = sha256_of(body)
        # object_path's layout, spelt out in strings: a crawl stores a few hundred bodies a second
        folder = f"{self._objects}/{digest[:2]}"
        path = f"{folder}/{digest}"
        if not os.path.exists(path):
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            tmp = f"{path}.tmp{os.getpid()}"
            with open(tmp, "wb") as out:
                out.write(body)
            os.replace(tmp, path)
        fetched_at = utc_now()
        cur = self._db.execute(
            "INSERT INTO fetches (sha256, url, method, fetched_at, http_status, content_type, size, source, kind,"
            " doc_id, item_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (digest, url, method, fetched_at, http_status, content_type, len(body), source, kind, doc_id, item_id),
        )
        self._written()
        return Fetch(fetch_id=cur.lastrowid, sha256=digest, url=url, fetched_at=fetched_at, http_status=http_status,
                     content_type=content_type, size=len(body), source=source, kind=kind, doc_id=doc_id,
                     item_id=item_id, verdict=None, reason=None)

    def judge(self, fetch_id: int, verdict: str, reason: str | None = None) -> None:
        """Record what the spider concluded about a fetch: ok, blocked (with why) or error."""
        if verdict not in {"ok", "blocked", "redirect", "error"}:
            raise ValueError(f"unknown verdict {verdict!r}")
        self._db.execute("UPDATE fetches SET verdict = ?, reason = ? WHERE fetch_id = ?", (verdict, reason, fetch_id))
        self._written()

    def list_document(self, source: str, doc_id: str, *, url: str, title: str | None = None,
                      published: str | None = None, list_url: str | None = None, parent_doc_id: str | None = None,
                      branch: str | None = None, edited: str | None = None, files: int | None = None) -> None:
        """Record what a list (or a page linking an attachment) says of a document; the latest sighting wins.
        ``edited``: when the site says the body just archived was last edited, compared by the next crawl;
        ``files``: how many files it links, each fetched as a document of its own (a document published only as
        its files holds no decision itself)."""
        self._db.execute(
            "INSERT INTO listings (source, doc_id, url, title, published, list_url, parent_doc_id, branch, seen_at,"
            " edited, files) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (source, doc_id) DO UPDATE SET url = excluded.url,"
            " title = coalesce(excluded.title, title), published = coalesce(excluded.published, published),"
            " list_url = coalesce(excluded.list_url, list_url),"
            " parent_doc_id = coalesce(excluded.parent_doc_id, parent_doc_id),"
            " branch = coalesce(excluded.branch, branch), seen_at = excluded.seen_at,"
            " edited = coalesce(excluded.edited, edited), files = coalesce(excluded.files, files)",
            (source, str(doc_id), url, title, published, list_url, parent_doc_id, branch, utc_now(), edited, files),
        )
        self._written()

    def listing(self, source: str, doc_id: str) -> dict | None:
        row = self._db.execute("SELECT * FROM listings WHERE source = ? AND doc_id = ?",
                               (source, str(doc_id))).fetchone()
        return dict(row) if row else None

    def listings(self) -> dict[tuple[str, str], dict]:
        """What the lists said of every document, by (source, doc_id): one query for a build, not one a document."""
        return {(row["source"], row["doc_id"]): dict(row) for row in self._db.execute("SELECT * FROM listings")}

    def set_watermark(self, source: str, item_id: str, watermark: str) -> None:
        self._db.execute(
            "INSERT INTO crawl_state (source, item_id, watermark, completed_at) VALUES (?,?,?,?) "
            "ON CONFLICT (source, item_id) DO UPDATE SET watermark = max(watermark, excluded.watermark),"
            " completed_at = excluded.completed_at",
            (source, item_id, watermark, utc_now()),
        )
        self._written()

    # -- reading -------------------------------------------------------------------------------------------------

    def fetch(self, fetch_id: int) -> Fetch:
        row = self._db.execute("SELECT * FROM fetches WHERE fetch_id = ?", (fetch_id,)).fetchone()
        if row is None:
            raise KeyError(f"no fetch {fetch_id} in the archive at {self.root}")
        return _to_fetch(row)

    def read(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, checked against it: a missing or changed object is an ArchiveError
        naming it (a tampered fine must not be served with the original hash as its proof)."""
        return read_object(self.root, sha256)

    def has_document(self, source: str, doc_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM fetches WHERE source = ? AND doc_id = ? AND kind = 'document' AND verdict = 'ok' LIMIT 1",
            (source, str(doc_id)),
        ).fetchone()
        return row is not None

    def missing_attachments(self, source: str, parent_doc_id: str) -> list[dict]:
        """The listings of the attachments a page links that have no good fetch yet (an earlier crawl failed them)."""
        rows = self._db.execute(
            "SELECT * FROM listings l WHERE l.source = ? AND l.parent_doc_id = ? AND NOT EXISTS (SELECT 1 FROM fetches f"
            " WHERE f.source = l.source AND f.doc_id = l.doc_id AND f.kind = 'document' AND f.verdict = 'ok')"
            " ORDER BY l.doc_id", (source, str(parent_doc_id))).fetchall()
        return [dict(row) for row in rows]

    def answered_later(self, fetch: Fetch) -> bool:
        """Whether a later fetch of the same URL was judged ok."""
        row = self._db.execute("SELECT 1 FROM fetches WHERE url = ? AND fetch_id > ? AND verdict = 'ok' LIMIT 1",
                               (fetch.url, fetch.fetch_id)).fetchone()
        return row is not None

    def watermark(self, source: str, item_id: str) -> str | None:
        row = self._db.execute(
            "SELECT watermark FROM crawl_state WHERE source = ? AND item_id = ?", (source, str(item_id))
        ).fetchone()
        return row["watermark"] if row else None

    def documents(self, source: str | None = None) -> Iterator[Fetch]:
        """The newest good fetch of each document, in a stable order (source, doc_id)."""
        sql = (
            "SELECT * FROM fetches WHERE fetch_id IN ("
            " SELECT max(fetch_id) FROM fetches WHERE kind = 'document' AND verdict = 'ok'"
            + (" AND source = ?" if source else "")
            + " GROUP BY source, doc_id) ORDER BY source, length(doc_id), doc_id"
        )
        for row in self._db.execute(sql, (source,) if source else ()):
            yield _to_fetch(row)

    def revisions(self, source: str | None = None) -> dict[tuple[str, str], int]:
        """How many different bodies were archived (judged ok) for each document, by (source, doc_id): 1 for a
        document fetched once or fetched again unchanged, more for one the site changed (a corrected decision)."""
        sql = ("SELECT source, doc_id, count(DISTINCT sha256) AS n FROM fetches WHERE kind = 'document'"
               " AND verdict = 'ok'" + (" AND source = ?" if source else "") + " GROUP BY source, doc_id")
        return {(row["source"], row["doc_id"]): row["n"] for row in self._db.execute(sql, (source,) if source else ())}

    def fetches(self, **where: str) -> list[Fetch]:
        clauses = " AND ".join(f"{column} = ?" for column in where) or "1"
        rows = self._db.execute(f"SELECT * FROM fetches WHERE {clauses} ORDER BY fetch_id", tuple(where.values()))
        return [_to_fetch(row) for row in rows]


SHA256 = re.compile(r"[0-9a-f]{64}")


def object_path(root: Path | str, sha256: str) -> Path:
    """Where the archive at ``root`` keeps the bytes of ``sha256`` (whether or not it holds them). Anything but 64
    lowercase hex digits is a ValueError: the name never leaves the objects folder."""
    if not SHA256.fullmatch(sha256):
        raise ValueError(f"not a sha256: {sha256[:80]!r}")
    return Path(root) / "objects" / sha256[:2] / sha256


def read_object(root: Path | str, sha256: str) -> bytes:
    """The bytes the archive at ``root`` holds under ``sha256``, checked against it, without opening the archive's
    index (a reader that only serves the bytes, such as the web server, writes nothing): a missing or changed object
    is an ArchiveError naming it (a tampered fine must not be served with the original hash as its proof)."""
    path = object_path(root, sha256)
    try:
        body = path.read_bytes()
    except FileNotFoundError:
        raise MissingObject(f"archive object {sha256} is missing from {path.parent.parent}: restore it from a backup "
                            "of the archive, or crawl the document again") from None
    if sha256_of(body) != sha256:
        raise CorruptObject(f"archive object {sha256} does not hold the bytes of its sha256 (they are "
                            f"{sha256_of(body)[:16]}…): changed on disk since the crawl; restore it from a backup "
                            "of the archive, or crawl the document again") from None
    return body


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """An archive made before a column was added to its index gains it (empty): archives are kept for years."""
    have = {row[1] for row in db.execute("PRAGMA table_info(listings)")}
    for column, kind in (("edited", "TEXT"), ("files", "INTEGER")):
        if column not in have:
            db.execute(f"ALTER TABLE listings ADD COLUMN {column} {kind}")
    db.commit()


def _remove_stale_temporaries(objects: Path) -> None:
    """Objects half-written by a process that died (killed, or the disk full): ``<sha256>.tmp<pid>`` whose process is
    gone. A complete object is renamed into place, so nothing else is ever half there."""
    for tmp in objects.glob("*/*.tmp*"):
        pid = tmp.suffix.removeprefix(".tmp")
        if pid.isdigit() and not process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    """Whether a process of that id is running (one of another user's counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _to_fetch(row: sqlite3.Row) -> Fetch:
    return Fetch(**{key: row[key] for key in Fetch.__dataclass_fields__})

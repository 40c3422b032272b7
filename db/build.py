"""Build the SQLite database from the raw archive: into a temporary file, moved into place only when complete.

A build that fails (or is interrupted) leaves the previous database untouched and no partial file behind.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import unquote

import sqlite_utils

from crawler.archive import Archive, ArchiveError, process_alive
from db.links import link_citations
from db.load import (
    Copies,
    load_decision,
    load_duplicate,
    load_quarantine,
    load_raw_documents,
    load_reference,
    load_text,
    raw_document,
)
from db.redact import Redaction, apply_redactions
from db.search import build_search_index
from db.shape import create_indexes, ensure_shape, store_facet_counts, store_in_date_order
from db.writs import load_writ_links
from pipeline.extract import (
    Extracted,
    Quarantined,
    as_published,
    blocked_fetches,
    body_text,
    document_fetches,
    extract_fetches,
    ocr_kept_beside,
    quarantine,
    source_named,
)
from pipeline.isolation import Pool


@dataclass
class BuildReport:
    db_path: Path
    decisions: int = 0
    parties: int = 0
    sanctions: int = 0
    quarantined: int = 0
    duplicates: int = 0
    provinces: int = 0
    quarantine_reasons: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)    # decisions by kind (penalty, measure …)
    texts: int = 0                                          # regulatory texts, and their articles
    articles: int = 0
    citations_flagged: int = 0                              # citations of a law or article the base lacks


class EmptyArchive(RuntimeError):
    pass


def build(archive_dir: Path, db_path: Path, progress: Callable | None = None, isolated: bool = True,
          redactions: list[Redaction] = (), jobs: int | None = None) -> BuildReport:
    """Extract every archived document and write the database at ``db_path`` atomically. ``isolated``: each
    document read in a worker process under memory and time limits (pipeline/isolation.py), ``jobs`` of them at
    once (default: one per core; the database is the same whatever their number); ``redactions``: the names to
    remove (db/redact.py), applied before the search index is built. Scans recognised by OCR are kept beside the
    archive for the next build."""
    with ocr_kept_beside(archive_dir):
        return _build(archive_dir, db_path, progress, isolated, redactions, jobs)


def _build(archive_dir: Path, db_path: Path, progress: Callable | None, isolated: bool,
           redactions: list[Redaction], jobs: int | None) -> BuildReport:
    if not (Path(archive_dir) / "index.sqlite").exists():
        raise EmptyArchive(f"no archive at {archive_dir}: run `regkb crawl nfra` (or `regkb demo`) first")
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_builds(db_path)
    tmp_path = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)
    archive = Archive(archive_dir)
    workers = Pool(jobs) if isolated else None
    try:
        fetches = document_fetches(archive)
        blocked = archive.fetches(verdict="blocked")
        if not fetches and not blocked:
            raise EmptyArchive(f"the archive at {archive_dir} holds no documents: run `regkb crawl nfra` first")
        db = sqlite_utils.Database(tmp_path)
        # a file no one reads until it is complete and renamed into place: no journal on disk, no sync per write,
        # one transaction for the whole build (synced once, before the rename)
        db.conn.execute("PRAGMA journal_mode = MEMORY")
        db.conn.execute("PRAGMA synchronous = OFF")
        db.conn.execute("PRAGMA cache_size = -262144")
        ensure_shape(db, indexes=False)   # the indexes made once the rows are in (create_indexes)
        _import_readers({fetch.source for fetch in fetches})
        quarantined: list[Quarantined] = list(blocked_fetches(archive))
        copies, loaded = Copies(), set()
        with db.conn:
            db.conn.execute("BEGIN")
            load_reference(db)
            load_raw_documents(db, (raw_document(_blocked_answer(archive, fetch)) for fetch in blocked))
            iterator = progress(fetches) if progress else fetches
            # read once, in the workers under limits: analysed, and kept as its reader showed it
            for extracted in extract_fetches(archive, iterator, workers=workers, shaped=True):
                failure = _load(db, extracted, copies, loaded)
                if failure is not None:
                    quarantined.append(failure)
                elif extracted.quarantined is not None:
                    quarantined.append(extracted.quarantined)
            load_quarantine(db, quarantined)
            # newest last: a search's newest matches come straight from its index (db/shape.py)
            store_in_date_order(db)
            create_indexes(db)   # the other tables'
            link_citations(db)   # once every text is loaded: citations to the article in force on their date
            load_writ_links(db)   # published writ↔article links against the citations read
            apply_redactions(db, list(redactions))
            store_facet_counts(db)
        with db.conn:
            db.conn.execute("BEGIN")
            build_search_index(db, _segmenting(workers))
        db.analyze()
        report = _report(db, db_path, quarantined)
        db.conn.close()
        _sync(tmp_path)
        os.replace(tmp_path, db_path)
        return report
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    finally:
        if workers is not None:
            workers.close()
        archive.close()


def _load(db: sqlite_utils.Database, extracted: Extracted, copies: Copies, loaded: set) -> Quarantined | None:
    """Store one document's records, all or nothing (a savepoint): a document whose records cannot be stored (a
    value SQLite refuses, a bug in a loader) is quarantined with the reason, its raw bytes still kept, and the build
    goes on. A database that cannot be written at all (the disk full) stops the build, leaving the old one.
    ``loaded``: the decisions and texts this build loaded before (only theirs have parts to replace)."""
    db.conn.execute("SAVEPOINT document")
    try:
        load_raw_documents(db, [raw_document(extracted)])
        analyses = extracted.analyses if extracted.quarantined is None else []
        for analysis, rows in zip(analyses, extracted.rows or [None] * len(analyses)):
            original = copies.original_of(analysis.decision)
            if original is not None:
                load_duplicate(db, analysis.decision, original)
                continue
            load_decision(db, analysis.decision, analysis, replacing=_seen(loaded, analysis.decision.decision_id),
                          rows=rows)
        for text in extracted.texts if extracted.quarantined is None else ():
            load_text(db, text, replacing=_seen(loaded, ("text", text.text_id)))
    except sqlite3.OperationalError:
        raise
    except Exception as error:   # noqa: BLE001 - one document's failure, kept with its reason
        db.conn.execute("ROLLBACK TO document")
        db.conn.execute("RELEASE document")
        reason = f"its records could not be stored ({type(error).__name__}: {error}): a bug, please report it with this hash"
        fetch = extracted.fetch
        load_raw_documents(db, [raw_document(Extracted(fetch, None, rendering=f"not stored: {reason}"))])
        return quarantine(fetch, "load", reason)
    db.conn.execute("RELEASE document")
    return None


def _seen(loaded: set, key) -> bool:
    """Whether ``key`` was loaded before in this build; it is from now on."""
    if key in loaded:
        return True
    loaded.add(key)
    return False


def _segmenting(workers: Pool | None) -> Callable | None:
    """The search index's texts segmented by the workers, every core at once, while this process writes the index;
    a batch a worker could not segment (it died) is segmented here. None without workers: all in this process."""
    if workers is None:
        return None

    def segmenting(function: Callable, calls) -> Iterator:
        for outcome in workers.map(function, calls):
            try:
                yield outcome.get()
            except Exception:   # noqa: BLE001 - the same work, done here
                yield function(*outcome.call)
    return segmenting


def _import_readers(sources: set[str]) -> None:
    """The readers of the archive's sources imported here, before the workers are forked: each then starts with
    them, instead of importing them again (seconds each: a reader's formats and their libraries)."""
    for source in sorted(sources):
        try:
            source_named(source).reader
        except KeyError:   # a source no longer registered: its documents are quarantined by the reading
            continue


def _sync(path: Path) -> None:
    """The file's bytes on disk before it is renamed into place (the build wrote them without syncing)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _blocked_answer(archive: Archive, fetch) -> Extracted:
    """A blocked answer as raw_documents keeps it: its bytes as text, or why they cannot be shown; at the regulator's
    address of what was asked for."""
    fetch = as_published(fetch, archive.listing(fetch.source, fetch.doc_id) if fetch.doc_id else None)
    try:
        return Extracted(fetch, body_text(fetch, archive.read(fetch.sha256)))
    except ArchiveError as error:
        return Extracted(fetch, None, rendering=f"not shown: {error}")


def _remove_abandoned_builds(db_path: Path) -> None:
    """Temporary databases of builds whose process is gone (killed, or out of disk): ``.regkb.db.building-<pid>``."""
    for path in db_path.parent.glob(f".{db_path.name}.building-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            path.unlink(missing_ok=True)


def _report(db: sqlite_utils.Database, db_path: Path, quarantined: list[Quarantined]) -> BuildReport:
    def scalar(sql: str) -> int:
        return db.execute(sql).fetchone()[0]

    return BuildReport(
        db_path=db_path,
        decisions=scalar("select count(*) from decisions"),
        parties=scalar("select count(*) from parties"),
        sanctions=scalar("select count(*) from sanctions"),
        quarantined=scalar("select count(*) from quarantine"),
        duplicates=scalar("select count(*) from duplicates"),
        provinces=scalar("select count(distinct province) from decisions where province is not null"),
        quarantine_reasons=[f"{unquote(q.url)}: {q.reason}" for q in quarantined],
        kinds=dict(db.execute("select kind, count(*) from decisions group by kind order by count(*) desc").fetchall()),
        texts=scalar("select count(*) from texts"),
        articles=scalar("select count(*) from articles"),
        citations_flagged=scalar("select count(*) from citations where link in ('article_missing', 'law_unknown')"),
    )

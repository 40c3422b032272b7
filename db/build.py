"""Build the SQLite database from the raw archive: into a temporary file, moved into place only when complete.

A build that fails (or is interrupted) leaves the previous database untouched and no partial file behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote

import sqlite_utils

from crawler.archive import Archive
from db.load import (
    Copies,
    load_decision,
    load_duplicate,
    load_quarantine,
    load_raw_documents,
    load_reference,
    raw_document,
)
from db.search import build_search_index
from db.shape import ensure_shape
from pipeline.extract import Extracted, Quarantined, blocked_fetches, body_text, document_fetches, extract_fetch


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


class EmptyArchive(RuntimeError):
    pass


def build(archive_dir: Path, db_path: Path, progress: Callable | None = None) -> BuildReport:
    """Extract every archived document and write the database at ``db_path`` atomically."""
    if not (Path(archive_dir) / "index.sqlite").exists():
        raise EmptyArchive(f"no archive at {archive_dir}: run `regkb crawl nfra` (or `regkb demo`) first")
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)
    archive = Archive(archive_dir)
    try:
        fetches = document_fetches(archive)
        blocked = archive.fetches(verdict="blocked")
        if not fetches and not blocked:
            raise EmptyArchive(f"the archive at {archive_dir} holds no documents: run `regkb crawl nfra` first")
        db = sqlite_utils.Database(tmp_path)
        ensure_shape(db)
        load_reference(db)
        quarantined: list[Quarantined] = list(blocked_fetches(archive))
        copies = Copies()
        with db.conn:
            load_raw_documents(db, (raw_document(Extracted(fetch, body_text(fetch, archive.read(fetch.sha256))))
                                    for fetch in blocked))
            iterator = progress(fetches) if progress else fetches
            for fetch in iterator:
                extracted = extract_fetch(archive, fetch)   # read once: analysed, and kept as its reader showed it
                load_raw_documents(db, [raw_document(extracted)])
                if extracted.quarantined is not None:
                    quarantined.append(extracted.quarantined)
                    continue
                for analysis in extracted.analyses:
                    original = copies.original_of(analysis.decision)
                    if original is not None:
                        load_duplicate(db, analysis.decision, original)
                        continue
                    load_decision(db, analysis.decision, analysis)
            load_quarantine(db, quarantined)
        with db.conn:
            build_search_index(db)
        db.analyze()
        report = _report(db, db_path, quarantined)
        db.conn.close()
        os.replace(tmp_path, db_path)
        return report
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    finally:
        archive.close()


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
    )

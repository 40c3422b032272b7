"""`regkb parse FILE`: any single document on disk → a Decision, whatever its form.

    .json        the NFRA detail endpoint's envelope
    .html/.htm   a Word-exported table or decision, or a page with one inside
    .txt         the text of a full-text decision
"""

from __future__ import annotations

import json
from pathlib import Path

from .document import Analysis, analyse_document
from .nfra_document import analyse_nfra
from .records import Decision, Unparseable
from .word_html import parse_html

ENCODINGS = ("utf-8", "gb18030")


def read_text(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unparseable(f"{path}: neither UTF-8 nor GB18030 text")


def parse_file(path: Path | str) -> Decision:
    """The penalty decision in a file; Unparseable when the file holds none."""
    analysis = analyse_file(path)
    if analysis.decision is None:
        raise Unparseable(f"{path}: a {analysis.doc_type} document, not a penalty decision (no party line)")
    return analysis.decision


def analyse_file(path: Path | str) -> Analysis:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    doc_id = path.stem
    if suffix == ".json":
        try:
            return analyse_nfra(path.read_bytes(), doc_id=doc_id, url=str(path), require_penalty=False)
        except json.JSONDecodeError as error:
            raise Unparseable(f"{path}: not JSON ({error})") from None
    decision = Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=str(path))
    if suffix in (".html", ".htm", ".xhtml"):
        return analyse_document(decision, root=parse_html(read_text(path)))
    if suffix in (".txt", ".text", ""):
        return analyse_document(decision, text_lines=read_text(path).splitlines())
    raise Unparseable(f"{path}: {suffix} files are not read yet (JSON envelopes, HTML and plain text are)")

"""`regkb parse FILE`: any single document on disk → a Decision, whatever its form.

    .json        the NFRA detail endpoint's envelope
    .html/.htm   a Word-exported table or decision, or a page with one inside
    .txt         the text of a full-text decision
"""

from __future__ import annotations

import json
from pathlib import Path

from .nfra_document import extract_nfra, fill_decision
from .records import Decision, Unparseable
from .text import squash
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
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    suffix = path.suffix.lower()
    doc_id = path.stem
    if suffix == ".json":
        try:
            return extract_nfra(path.read_bytes(), doc_id=doc_id, url=str(path))
        except json.JSONDecodeError as error:
            raise Unparseable(f"{path}: not JSON ({error})") from None
    decision = Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=str(path))
    if suffix in (".html", ".htm", ".xhtml"):
        return fill_decision(decision, parse_html(read_text(path)))
    if suffix in (".txt", ".text", ""):
        return fill_decision(decision, text_lines=[squash(line) for line in read_text(path).splitlines() if line.strip()])
    raise Unparseable(f"{path}: {suffix} files are not read yet (JSON envelopes, HTML and plain text are)")

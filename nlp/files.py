"""`regkb parse FILE`: any single document on disk → its decisions, whatever its form.

    .json                       the NFRA detail endpoint's envelope
    .html/.htm/.shtml           a Word-exported table or decision, or a page with one inside (NFRA, PBOC, CSRC)
    .txt                        the text of a full-text decision
    .xlsx .xls .et              a spreadsheet 公示表
    .docx .doc .wps .rtf        a Word (or Kingsoft WPS) 公示表 or decision
    .pdf                        a PDF with a text layer (a scan is reported as needing OCR)

The attachment formats are told from the bytes (nlp/attachments.py), so a mislabelled file is still read.
"""

from __future__ import annotations

import json
from pathlib import Path

from .attachments import ATTACHMENT_SUFFIXES, read_attachment
from .document import Analysis, analyse_decisions
from .csrc_document import analyse_csrc
from .nfra_document import analyse_nfra
from .pboc_document import analyse_pboc
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
    """The penalty decision in a file holding one; Unparseable when it holds none."""
    analysis = analyse_file(path)
    if analysis.decision is None:
        raise Unparseable(f"{path}: a {analysis.doc_type} document, not a penalty decision (no party line)")
    return analysis.decision


def analyse_file(path: Path | str) -> Analysis:
    """The analysis of a file holding one document's worth (one decision, or none); see analyse_path for
    registers that hold several."""
    analyses = analyse_path(path)
    if len(analyses) != 1:
        raise Unparseable(f"{path} holds {len(analyses)} decisions (a register): read it with analyse_path")
    return analyses[0]


def analyse_path(path: Path | str) -> list[Analysis]:
    """Every decision in the file at ``path`` (one Analysis each), or the one Analysis of a non-penalty document."""
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
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        raw = path.read_bytes()
        if b'class="detail-news"' in raw:          # a CSRC decision page
            return analyse_csrc(raw, doc_id=doc_id, url=str(path))
        if b'id="easysiteText"' in raw:             # a PBOC head-office page
            analyses = analyse_pboc(raw, doc_id=doc_id, url=str(path))
            if not analyses:
                raise Unparseable(f"{path}: a PBOC page whose 公示表 is in its attachments: parse those files")
            return analyses
        return analyse_decisions(decision, root=parse_html(raw))
    if suffix in (".txt", ".text", ""):
        return analyse_decisions(decision, text_lines=read_text(path).splitlines())
    if suffix in ATTACHMENT_SUFFIXES:
        try:
            content = read_attachment(path.read_bytes(), str(path))
        except Unparseable as error:
            raise Unparseable(f"{path}: {error}") from None
        # an office attachment with a table of parties is a PBOC 公示表: each row a decision
        return analyse_decisions(decision, tables=content.grids, text_lines=content.lines, clean=False,
                                 title=path.stem, rows_are_decisions=True)
    raise Unparseable(f"{path}: {suffix} files are not read (regkb reads .json, .html, .txt and "
                      f"{', '.join(ATTACHMENT_SUFFIXES)})")

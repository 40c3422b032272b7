"""`regkb parse FILE`: any single document on disk → its decisions, whatever its form.

    .json                       the NFRA detail endpoint's envelope; any other JSON as a stored record of one
                                document (title, text, date, url: nlp/formats/json_record.py)
    .html/.htm/.shtml           a Word-exported table or decision, or a page with one inside (NFRA, PBOC, CSRC)
    .txt                        the text of a full-text decision
    .xlsx .xls .et              a spreadsheet 公示表
    .docx .doc .wps .rtf        a Word (or Kingsoft WPS) 公示表 or decision
    .pdf                        a PDF with a text layer (a scan is reported as needing OCR)

A page or answer of a source's site is recognised by that source's reader (``recognises`` in
sources/<name>/document.py). The attachment formats are told from the bytes (nlp/formats/attachments.py), so a
mislabelled file is still read.
"""

from __future__ import annotations

from pathlib import Path

from nlp.document import analyse_attachment, analyse_decisions
from nlp.formats.attachments import ATTACHMENT_SUFFIXES, BINARY_FORMATS, read_attachment, sniff
from nlp.formats.json_record import read_json_record
from nlp.formats.word_html import parse_html
from nlp.records import Analysis, Decision, Unparseable
from sources import all_sources

ENCODINGS = ("utf-8", "gb18030")


def decode_text(raw: bytes, path: Path) -> str:
    """A text file's bytes (``path``'s, named in the error) as text, UTF-8 else GB18030."""
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
    """Every decision in the file at ``path`` (one Analysis each), or the one Analysis of a non-penalty document.
    A page or answer of a source's site is read by that source's reader (sources/<name>/document.py); anything
    else by the generic readers."""
    path = Path(path)
    try:
        with open(path, "rb", buffering=0) as file:   # one read of the whole file: 16 µs for a 55 KB answer, not 25
            raw = file.readall()
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file") from None
    suffix = path.suffix.lower()
    doc_id = path.stem
    for source in all_sources():
        if source.reader.recognises(raw, suffix):
            return source.reader.analyse_file(raw, doc_id=doc_id, path=str(path))
    decision = Decision(source="file", doc_id=doc_id, doc_format="fulltext", source_url=str(path))
    if suffix in ATTACHMENT_SUFFIXES or sniff(raw) in BINARY_FORMATS:   # told by its bytes: a PDF saved as "公示表"
        try:
            content = read_attachment(raw, str(path))
        except Unparseable as error:
            raise Unparseable(f"{path}: {error}") from None
        # an office attachment with a table of parties is a PBOC 公示表: each row a decision
        return analyse_attachment(decision, content, title=path.stem)
    if suffix == ".json":
        record = read_json_record(raw)
        decision.title, decision.publish_date, decision.url = record.title, record.published, record.url
        if record.html is not None:
            return analyse_decisions(decision, root=parse_html(record.html), title=record.title)
        return analyse_decisions(decision, text_lines=record.lines, title=record.title)
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return analyse_decisions(decision, root=parse_html(raw))
    if suffix in (".txt", ".text", ""):
        return analyse_decisions(decision, text_lines=decode_text(raw, path).splitlines())
    raise Unparseable(f"{path}: {suffix} files are not read (regkb reads .json, .html, .txt and "
                      f"{', '.join(ATTACHMENT_SUFFIXES)})")

"""An attachment's bytes → its tables and text, whatever office format it is in.

The format is told from the bytes, not the file name: PBOC branches publish the same 公示表 as .xlsx, .xls, .et,
.docx, .doc, .wps and .pdf, and a file named .doc is at times Word's HTML export or RTF.

    PDF         %PDF                                 → nlp/formats/pdf.py (text layer), or nlp/formats/ocr.py (a scan)
    image       JPEG, PNG, TIFF, BMP, GIF            → nlp/formats/ocr.py
    OOXML zip   word/document.xml | xl/workbook.xml  → nlp/formats/docx.py | nlp/formats/spreadsheets.py
    OLE2        WordDocument stream (.doc, .wps)     → LibreOffice → .docx (nlp/formats/converters.py)
                Workbook / Book stream (.xls, .et)   → nlp/formats/spreadsheets.py (xlrd)
    RTF         {\\rtf                                → LibreOffice → .docx
    HTML        <html … (Word "save as web page")    → nlp/formats/word_html.py
    zip         any other zip                        → nlp/formats/archives.py: each member read as an attachment
    RAR         Rar!                                 → refused: no pure-Python reader (quarantined, what to do)
    OFD         a zip holding OFD.xml (GB/T 33190)   → refused: no reader (quarantined, what to do)

WPS's spreadsheet template (.ett) is the .et workbook under another name, read as it.
"""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from nlp.clean import clean_text_lines
from nlp.formats.converters import libreoffice_to_docx
from nlp.formats.docx import read_docx
from nlp.formats.grid import Grid
from nlp.formats.pdf import NeedsOCR, read_pdf
from nlp.formats.spreadsheets import read_xls, read_xlsx
from nlp.formats.word_html import grids as html_grids
from nlp.formats.word_html import lines as html_lines
from nlp.formats.word_html import parse_html
from nlp.records import Unparseable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# File names the regulators' sites use for attachments (what a list link may point at).
ATTACHMENT_SUFFIXES = (".xlsx", ".xls", ".et", ".ett", ".docx", ".doc", ".wps", ".pdf", ".rtf",
                       # archives: a zip's members are read one by one; a .rar and an .ofd are kept and
                       # quarantined with the reason (nlp/formats/archives.py)
                       ".zip", ".rar", ".ofd",
                       # a 公示表 photographed or scanned: read by OCR (nlp/formats/ocr.py)
                       ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif")


def is_attachment_url(url: str) -> bool:
    """Whether a link points at an attachment (by its path's suffix, %-escapes and a query ignored)."""
    return unquote(urlsplit(url).path).lower().endswith(ATTACHMENT_SUFFIXES)


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"II*\x00", b"MM\x00*", b"BM", b"GIF8")


@dataclass
class AttachmentContent:
    """What an attachment holds, ready for the table readers: grids (merged cells expanded) and lines of text."""

    format: str                    # pdf | docx | xlsx | doc | xls | rtf | html | image (as told from the bytes)
    grids: list[Grid] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    converted_by: str | None = None   # the program that turned it into a readable form, if any
    read_by: str | None = None        # "ocr" when its text was recognised from images
    doubts: list = field(default_factory=list)   # what OCR read that a person should check (ocr.Doubt)
    scores: dict = field(default_factory=dict)   # OCR: a row's 文号 as read → the lowest score of its cells
    members: list = field(default_factory=list)  # a zip: (member name, AttachmentContent) of each file, in its order


def sniff(data: bytes) -> str:
    """The format of ``data`` from its first bytes (and, for OLE2 files, the names of the streams inside)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError):
            return "unknown"   # a damaged package, or one in a zip version no reader of ours opens
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        return "zip"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(OLE_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return "xls"
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if head[:1] in (b"{", b"["):
        return "json"   # an NFRA envelope (its docClob is HTML, declaring gb2312, inside UTF-8 JSON)
    lowered = head[:1024].lower()
    if head.startswith(b"<") or b"<html" in lowered or b"<table" in lowered:
        return "html"
    if decode_text(data) is not None:
        return "text"   # plain text (a decision saved as .txt, a page's text under an attachment's name)
    return "unknown"


def decode_text(data: bytes) -> str | None:
    """``data`` as text when it is text: UTF-8 or GB18030 without the control characters binary data is full of."""
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\r\n\f")
        return text if controls <= len(text[:4096]) // 100 else None
    return None


BINARY_FORMATS = ("pdf", "docx", "xlsx", "doc", "xls", "rtf", "zip", "rar", "ofd", "ole", "image")

# Formats kept in the archive and quarantined, with why and what a person can do.
UNREAD = {
    "rar": "a RAR archive: regkb has no RAR reader (none in pure Python on PyPI; rarfile needs an unrar binary). "
           "Unpack it by hand (unar, or bsdtar of libarchive-tools) and read each file with `regkb parse FILE`",
    "ofd": "an OFD document (GB/T 33190, the national layout format): regkb has no OFD reader. Open it in an OFD "
           "reader, save it as PDF and read that with `regkb parse FILE`",
}


def read_attachment(data: bytes, name: str) -> AttachmentContent:
    """Read an attachment; ``name`` (its file name or URL) is used only in messages. Unparseable (NeedsOCR,
    ToolMissing, …) says why it cannot be read."""
    if not data:
        raise Unparseable(f"{name}: an empty file")
    kind = sniff(data)
    if kind in UNREAD:
        raise Unparseable(f"{name}: {UNREAD[kind]}")
    if kind == "zip":
        return read_zip(data, name)
    if kind == "pdf":
        try:
            grids, lines = read_pdf(data)
        except NeedsOCR as scan:
            return _recognised(data, "pdf", scan)
        return AttachmentContent("pdf", grids, lines)
    if kind == "docx":
        grids, lines = read_docx(data)
        return AttachmentContent("docx", grids, lines)
    if kind == "xlsx":
        return AttachmentContent("xlsx", read_xlsx(data))
    if kind == "xls":
        return AttachmentContent("xls", read_xls(data))
    if kind in ("doc", "rtf"):
        grids, lines = read_docx(libreoffice_to_docx(data, "." + kind))
        return AttachmentContent(kind, grids, lines, converted_by="LibreOffice")
    if kind == "image":
        return _recognised(data, "image", NeedsOCR("needs OCR: the attachment is an image"))
    if kind == "html":
        root = parse_html(data)
        return AttachmentContent("html", [g for g in html_grids(root) if g], html_lines(root))
    if kind == "text":
        return AttachmentContent("text", [], clean_text_lines(decode_text(data).splitlines()))
    raise Unparseable(f"not a format regkb reads (it starts {data[:16]!r}); expected one of "
                      f"{', '.join(ATTACHMENT_SUFFIXES)}")


def read_zip(data: bytes, name: str) -> AttachmentContent:
    """A zip's members, each read as an attachment of its own (in ``members``); their tables and lines together are
    the zip's. A member that cannot be read makes the zip Unparseable, naming the member: the archive is
    quarantined whole rather than half read."""
    from nlp.formats.archives import unpack

    content = AttachmentContent("zip")
    for member in unpack(data, name):
        try:
            read = read_attachment(member.data, member.name)
        except Unparseable as error:
            raise type(error)(f"{name}: its member {member.name!r} cannot be read ({error}); the zip is quarantined "
                              "whole, its other members unread") from None
        content.members.append((member.name, read))
        content.grids.extend(read.grids)
        content.lines.extend(read.lines)
        content.doubts.extend(read.doubts)
    return content


def _recognised(data: bytes, kind: str, scan: NeedsOCR) -> AttachmentContent:
    """A scan read by OCR; NeedsOCR (quarantined with what to do) where the engine is not installed."""
    from nlp.formats.ocr import ENGINE, OCRUnavailable, read_scan

    try:
        reading = read_scan(data, kind)
    except OCRUnavailable as missing:
        raise NeedsOCR(f"{scan}; {missing}") from None
    return AttachmentContent(kind, reading.grids, reading.lines, converted_by=ENGINE, read_by="ocr",
                             doubts=reading.doubts, scores=reading.scores)


def render_html(content: AttachmentContent) -> str:
    """What an attachment says, as HTML a person can read: its lines as paragraphs and each table with its merged
    cells merged again (a cell repeated over a block of the grid becomes one cell spanning it)."""
    parts = [f"<p>{html.escape(line)}</p>" for line in content.lines]
    for grid in content.grids:
        rows, done = [], set()
        for r, row in enumerate(grid):
            cells = []
            for c, cell in enumerate(row):
                if (r, c) in done:
                    continue
                width = 1
                while c + width < len(row) and row[c + width].key == cell.key != -1:
                    width += 1
                height = 1
                while r + height < len(grid) and c < len(grid[r + height]) and grid[r + height][c].key == cell.key != -1:
                    height += 1
                done.update((r + dr, c + dc) for dr in range(height) for dc in range(width))
                span = (f' rowspan="{height}"' if height > 1 else "") + (f' colspan="{width}"' if width > 1 else "")
                cells.append(f"<td{span}>{html.escape(cell.text)}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("<table>" + "".join(rows) + "</table>")
    return "\n".join(parts)

"""The NFRA site's JSON answer, read once, by one reader, for the spider and the document reader alike.

Every endpoint answers ``{"rptCode": 200, "msg": "成功", "data": {…}}``: the list ``data.{total, rows[]}``, a document
``data.{docId, docTitle, docSubtitle, publishDate, documentNo, docSource, docClob, attachmentInfoVOList, …}`` whose
``docClob`` is a whole Word-exported HTML page. A block shows as an HTML page (a 404, a verification page) or an
``rptCode`` other than 200; ``NotAnEnvelope`` says which, and the spider reports it while extraction quarantines it.
"""

from __future__ import annotations

import json
import re
from itertools import islice

import orjson

from nlp.records import Unparseable

# The kind of decision each list (``itemId``, source.yaml item_ids) holds; a list not named here holds penalties. Asked
# by the document reader of each document, by the spider of the columns the site lists.
KINDS = {"932": "measure"}


def kind_of(item_id: str | None) -> str:
    return KINDS.get(str(item_id or ""), "penalty")


class NotAnEnvelope(Unparseable):
    """The bytes are not an NFRA answer of the expected shape (the message says how they differ)."""


def open_envelope(body: bytes, *required: str) -> dict:
    """The ``data`` of an NFRA JSON answer, holding every key in ``required``; NotAnEnvelope saying why not.

        >>> open_envelope('{"rptCode":200,"msg":"成功","data":{"total":0,"rows":[]}}'.encode(), "total", "rows")
        {'total': 0, 'rows': []}
        >>> open_envelope(b'<html>404</html>')
        Traceback (most recent call last):
        sources.nfra.envelope.NotAnEnvelope: HTML instead of JSON (a block or challenge page, or the site has changed); it starts '<html>404</html>'
    """
    body = body.lstrip()
    if not body:
        raise NotAnEnvelope("an empty body instead of the JSON answer")
    if body[:1] == b"<":
        raise NotAnEnvelope("HTML instead of JSON (a block or challenge page, or the site has changed);"
                            f" it starts {body[:80].decode('utf-8', 'replace')!r}")
    try:
        answer = orjson.loads(body)   # 2.3× json's speed over a 50 KB answer; what it refuses, json reads as before
    except orjson.JSONDecodeError:
        answer = _loads(body)
    if not isinstance(answer, dict) or "rptCode" not in answer:
        raise NotAnEnvelope("JSON without the rptCode envelope")
    if str(answer["rptCode"]) != "200":
        raise NotAnEnvelope(f"rptCode {answer['rptCode']} ({answer.get('msg')!r}) instead of 200")
    data = answer.get("data")
    if not isinstance(data, dict):
        raise NotAnEnvelope("rptCode 200 but no data object")
    missing = [key for key in required if key not in data]
    if missing:
        raise NotAnEnvelope(f"JSON of another shape: data lacks {', '.join(missing)}")
    return data


def docclob_shown(data: dict) -> str | None:
    """The envelope's docClob as regkb keeps it to show (raw_documents.document_html): without Word's <head>, its
    style sheets and document properties, three quarters of the characters and none of the document's words (the
    decision page drops it with its content); the whole answer stays in raw_documents.body and the archive."""
    from nlp.formats.word_html import without_head  # (the HTML stack: not imported by a crawl)

    clob = data.get("docClob")
    return without_head(clob) if isinstance(clob, str) and clob.strip() else None


def _loads(body: bytes):
    """The answer as json reads it: as UTF-8, else as GB18030 (a server answering in GBK, as some proxies of the
    site do), with what orjson refuses and json admits (NaN, integers past 64 bits, a lone surrogate's escape)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("gb18030", "replace")
    try:
        return json.loads(text)
    except ValueError as error:
        raise NotAnEnvelope(f"malformed JSON ({error})") from None


# Where an envelope links files. Recorded: ``attachmentInfoVOList[]`` of the detail answer, each
# ``{attachmentName, urlOtherName, title, attachmentUrl, …}`` with ``urlOtherName`` a path on the site
# (``/chinese/docfile/2025/19c05ee0….xls``); ``pdfFileUrl`` and ``docFileUrl`` of a list row or the detail answer, the
# document itself as a PDF and a Word file (``/chinese/OFFICE/PDF/1273452.pdf``, ``/chinese/OFFICE/DOC/1273452.doc``).
# Which public scrapers record them: sources/nfra/README.md.
RENDERINGS = ("pdfFileUrl", "docFileUrl")
EMPTY_CLOB = 40   # characters: a docClob holding fewer is not the document (it is published as a file)


def attachments(data: dict) -> list[tuple[str, str | None]]:
    """(address as the site gives it, file name) of each file ``attachmentInfoVOList`` lists, in its order; an entry
    without an address is skipped (the site's own page shows nothing for it either)."""
    found = []
    for entry in data.get("attachmentInfoVOList") or ():
        if not isinstance(entry, dict):
            continue
        path = _path(entry.get("urlOtherName"))
        if path is None:
            folder, name = _path(entry.get("attachmentUrl")), _path(entry.get("attachmentName"))
            path = f"/{folder.strip('/')}/{name.lstrip('/')}" if folder and name else None
        if path:
            found.append((path, _path(entry.get("attachmentName")) or _path(entry.get("title"))))
    return found


def renderings(*envelopes: dict | None) -> list[str]:
    """The addresses of the document as a file (``pdfFileUrl``, then ``docFileUrl``) the detail answer or the list row
    gives, the PDF first, each once."""
    found: list[str] = []
    for key in RENDERINGS:
        for data in envelopes:
            path = _path((data or {}).get(key))
            if path and path not in found:
                found.append(path)
    return found


def clob_text(data: dict) -> str:
    """What ``docClob`` says, as text (its Word styles and markup left out)."""
    from nlp.formats.word_html import lines, parse_html

    clob = data.get("docClob")
    if not isinstance(clob, str) or not clob.strip():
        return ""
    return "".join(lines(parse_html(clob, word=True)))


def published_as_file(data: dict, text: str | None = None) -> bool:
    """Whether the document is in its files, not in ``docClob``: a docClob empty or near it (a line naming the
    attachment), while the envelope links a file. ``text``: what the docClob says, where the caller read it already
    (``clob_text``); else a docClob whose body plainly shows words is taken to hold the document without its page
    being parsed (``shows_words``: the crawl asks this of every answer)."""
    if text is None:
        if shows_words(data.get("docClob")):
            return False
        text = clob_text(data)
    return len(text) < EMPTY_CLOB


# A Han character outside the tags: the next angle bracket after it opens one (in an attribute or a comment, the next
# closes one). Word's body holds no script or style element: its styles are in the head, which is passed over.
_SHOWN_HAN = re.compile(r"[\u4e00-\u9fff](?=[^<>]*<)")
SHOWS_WORDS = 100   # Han characters, two and a half times EMPTY_CLOB: no line cleaning drops that many of a Word page


def shows_words(clob) -> bool:
    """Whether a docClob's body shows SHOWS_WORDS Han characters outside its tags, found by one search over the
    markup (40 µs, where parsing the Word page to read its lines takes 270). Only an answer to the question whether
    the docClob holds the document: where it does not show them, its lines are read.

        >>> shows_words("<html><head><title>行政处罚信息公开表</title></head><body><p>详见附件</p></body></html>")
        False
        >>> shows_words("<p style='font-family:仿宋'>" + "<span>当事人：某银行</span>" * 20 + "</p>")
        True
    """
    if not isinstance(clob, str):
        return False
    head = clob.find("</head>")   # as Word writes it; else as any page may
    found = None if head >= 0 else re.search(r"</head\s*>", clob, re.I)
    start = head + len("</head>") if head >= 0 else found.end() if found else 0
    return sum(1 for _ in islice(_SHOWN_HAN.finditer(clob, start), SHOWS_WORDS)) >= SHOWS_WORDS


def _path(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None

"""Read Word-exported HTML (the ``docClob`` of NFRA pages): its tables as grids, its body as lines of text.

Word HTML is messy in known ways: label cells merged with ``rowspan``/``colspan``, one value split over many
``<span>``s, dates wrapped in ``<st1:chsdate>``, ``<o:p>`` paragraph marks, padded labels (「单  位」), styles and
conditional comments in the head. Grids are expanded so every row has one cell per column, merged cells repeated.
"""

from __future__ import annotations

import re
from html import unescape

import lxml.html
from lxml import etree

from nlp.clean import clean_lines, is_traditional, join_fragments, looks_fragmented, simplified
from nlp.formats.grid import Grid, GridBuilder
from nlp.text import collapse, normalize, scrub

_BLOCKS = ("p", "br", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th")


_HEAD_START = re.compile(r"<head\b", re.I)
_HEAD_END = re.compile(r"</head\s*>", re.I)


def without_head(html: str) -> str:
    """Word's <head> is most of a docClob's bytes (style sheets, document properties) and none of its text.
    (Found with two searches: one lazy ``<head.*?</head>`` pattern costs as much as parsing the rest.)"""
    start = _HEAD_START.search(html)
    if not start:
        return html
    end = _HEAD_END.search(html, start.end())
    return html[:start.start()] + html[end.end():] if end else html


_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_\-]+)""", re.I)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """HTML bytes as text, by the charset the answer (``declared``, its Content-Type) or the page's meta declares;
    GB2312 and GBK pages are decoded as GB18030, which contains both. Undeclared: UTF-8, else GB18030."""
    names = [declared or "", *(m.decode("ascii", "replace") for m in _CHARSET.findall(data[:4096]))]
    for name in (n.lower() for n in names if n):
        found = _CHARSET.search(name.encode()) if "charset" in name else None
        name = found.group(1).decode() if found else name
        if name.startswith("gb"):
            return data.decode("gb18030", "replace")
        if name in ("utf-8", "utf8"):
            return data.decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def head_meta(html: str, name: str) -> str | None:
    """A ``<meta name=… content=…>`` of a page's head (which parse_html drops with the rest of the head): the CMS
    pages of the CSRC and the PBOC say their title and date there (ArticleTitle, PubDate)."""
    found = re.search(rf'<meta\s+name="{name}"\s+content="([^"]*)"', html)
    return (normalize(unescape(found.group(1))).strip() or None) if found else None


# lxml.html's parser looks up each element's Python class in Python (a form, an input …: classes regkb never uses),
# once per element every time a walk meets it; one class for all, looked up in C, makes every walk cheaper.
_PARSER = lxml.html.HTMLParser()
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))
_JUNK = ("style", "script", "head", etree.Comment, "xml", "nav", "footer")
_CONTENT_ID = "wenzhang-content"
_CONTENT = etree.XPath(f'//*[@id="{_CONTENT_ID}"]')
_CONTENT_BY_ID = etree.XPath(f"id('{_CONTENT_ID}')")   # libxml2's table of ids: no walk


def parse_html(html: str | bytes, *, word: bool = False) -> etree._Element:
    """The document's tree, without its head, scripts, styles, comments and site furniture; on a rendered NFRA page,
    the document's own part of it. The head and the inline styles go before the rest is scrubbed of control
    characters (nlp.text.scrub): they are most of a Word page's characters and none of its text. ``word``: the
    page is Word's export (an NFRA docClob), whose readers read its words, blocks and tables only, and its
    ``<span>`` and ``<o:p>`` tags (half its elements) go too, their words kept."""
    if isinstance(html, bytes):
        html = decode_html(html)
    html = _STYLE.sub("", without_head(html))
    html = scrub(_WORD_INLINE.sub("", html) if word else html)
    root = _tree(html)
    # Traditional characters are told by the document's words, not its markup (a Word body is ten times its text):
    # a traditional document is converted as markup and parsed again, its attributes and text alike. (Word's markup,
    # stripped as above, holds every character of its words but those written as references: where it shows no
    # traditional character, its words show none, and they need not be read to know it.)
    if (not word or "&#" in html or is_traditional(html)) and is_traditional(_STRING(root)):
        root = _tree(scrub(simplified(_written_out(html))))
    # A rendered NFRA page (ItemDetail.html) carries the document in #wenzhang-content; the rest is the site. (The
    # search for it walks every element: looked for only where the markup names it, or its parser registered it
    # under an id written with character references.)
    if word:
        return root   # Word's export, not a rendered page of the site
    content = _CONTENT(root) if _CONTENT_ID in html or _CONTENT_BY_ID(root) else []
    return content[0] if content else root


# Word's inline styles: three quarters of a docClob's body, read by no reader (what is shown is the markup as archived,
# never this tree), and they take lxml longer to parse than the rest (134 µs → 81 µs for a disclosure table, the
# pattern 17 µs). Only inside a tag: what follows, up to the next ``>``, holds no ``<``.
_STYLE = re.compile(r""" style=(?:"[^"]*"|'[^']*')(?=[^<>]*>)""")
# Word's inline tags, opening and closing, their attributes quoted or not; neither breaks a line nor holds a table.
_WORD_INLINE = re.compile(r"""</?(?:span|o:p)(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?>""")


# A numeric character reference. Those to a character from U+2E80 on (CJK and beyond: 「&#37504;」 is 銀) are written
# out for conversion; never one to a character of the markup's own (< & " ') or a control.
_LETTER_REFERENCE = re.compile(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<dec>[0-9]{1,7}));")


def _written_out(html: str) -> str:
    """``html`` with its references to CJK characters (and beyond) written as the characters, so that converting the
    markup reaches them."""
    def character(found: re.Match) -> str:
        code = int(found["hex"], 16) if found["hex"] else int(found["dec"])
        return chr(code) if 0x2E80 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else found.group(0)
    return _LETTER_REFERENCE.sub(character, html) if "&#" in html else html


def _tree(html: str) -> etree._Element:
    """The markup's tree without its scripts, styles, comments and site furniture."""
    try:
        root = lxml.html.document_fromstring(html or "<html></html>", parser=_PARSER)
    except etree.ParserError:
        root = lxml.html.document_fromstring("<html></html>", parser=_PARSER)   # no document in the markup
    for junk in list(root.iter(*_JUNK)):   # one walk, in document order
        if junk.getparent() is None:
            continue   # the root itself, or inside junk dropped already
        junk.drop_tree()
    # The markup was scrubbed, but a character reference (「&#27;」) can still name a character scrub takes out: the
    # tree's text is scrubbed too, so that what is read from it (cell_text, lines) is clean as it stands.
    if "&#" in html and scrub(whole := _STRING(root)) is not whole:
        for element in root.iter():
            element.text, element.tail = scrub(element.text), scrub(element.tail)
    return root


# An element's words as XPath's string value (its text nodes joined, a comment's none), joined by libxml2: a Word
# cell is a nest of spans, whose text Python would walk node by node.
_STRING = etree.XPath("string()", smart_strings=False)


def cell_text(element: etree._Element) -> str:
    """An element's words, white space collapsed (nlp.text.collapse: a tree of parse_html's is scrubbed already)."""
    return collapse(_STRING(element))


# The text between block elements, each block's start and end a line break, a comment's words no text (Word's
# ``<!--[if gte mso 9]>…`` holds its settings); written as a stylesheet so that libxslt walks the tree, not Python.
_PARAGRAPHS = etree.XSLT(etree.XML(f"""\
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:template match="/"><xsl:apply-templates select="*"/></xsl:template>
  <xsl:template match="{'|'.join(_BLOCKS)}">
    <xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
  </xsl:template>
  <xsl:template match="comment()|processing-instruction()"/>
</xsl:stylesheet>"""), regexp=False)   # EXSLT regexps unused (set up per transform: 1.5 µs)


def _paragraphs(root: etree._Element) -> list[str]:
    """The text of ``root`` as it stands between block elements (which break lines), a paragraph an entry, raw."""
    return str(_PARAGRAPHS(root)).split("\n")


def spaced_lines(root: etree._Element) -> list[str]:
    """The paragraphs with the spaces inside them kept, only normalised: in a law or rule a space is what divides an
    article's heading from its words (「第一条　为了…」, 「第八十五」「条　商业银行…」), which ``lines`` squashes.

        >>> spaced_lines(parse_html("<p><span>第一条</span>&ensp;<span>为了规范，制定本规定。</span></p><p>第二条　…</p>"))
        ['第一条\u2002为了规范，制定本规定。', '第二条 …']
    """
    return [line for line in (normalize(part).strip() for part in _paragraphs(root)) if line]


def lines(root: etree._Element) -> list[str]:
    """The document's text, one entry per paragraph (block elements break lines), cleaned (nlp/clean.py)."""
    raw = _paragraphs(root)
    if next(root.iterdescendants("table"), None) is None and looks_fragmented(raw):
        raw = join_fragments(raw)   # markup that holds each word in a span of its own, one per line
    return clean_lines(raw)


def grids(root: etree._Element) -> list[Grid]:
    """Every outermost table under ``root`` as an expanded grid: outermost within ``root``, which may itself stand in
    a table (a PBOC page's #zoom in the cell of its layout table)."""
    return [expand(table) for table in root.iter("table") if _outermost(table, root)]


def _outermost(table: etree._Element, root: etree._Element) -> bool:
    if table is root:
        return True
    for ancestor in table.iterancestors():
        if ancestor.tag == "table":
            return False
        if ancestor is root:
            return True
    return True


def expand(table: etree._Element) -> Grid:
    """Expand rowspan/colspan so that ``grid[r][c]`` is the cell covering row r, column c."""
    builder = GridBuilder()
    rows = list(table.iter("tr"))
    if next(table.iterdescendants("table"), None) is not None:
        rows = [tr for tr in rows if _owning_table(tr) is table]   # a nested table's rows are its own
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            c = builder.free_column(r, c)
            colspan = _span(td.get("colspan"))
            builder.add(r, c, cell_text(td), rowspan=_span(td.get("rowspan")), colspan=colspan)
            c += colspan
    return builder.build(height=len(rows))


def _owning_table(element):
    for ancestor in element.iterancestors():
        if ancestor.tag == "table":
            return ancestor
    return None


def _span(value: str | None) -> int:
    if value is None:   # nearly every cell
        return 1
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1

"""The archived bytes a decision was read from, as a person downloads them (下载原件): where they are, what they are,
and what to call them.

The database keeps no bytes: ``raw_documents`` names them by sha256, and the archive they were crawled into holds
them (crawler/archive.py, ``objects/ab/ab12…``). A server looks for them in the archives beside its database, as
regkb lays out a data folder (``regkb.db`` beside ``archive/`` and the demo's ``demo/archive/``), then in those the
settings name. The bytes are found by their hash and checked against it, so whichever archive holds them, they are
the bytes the decision was read from.

What they are is read from the bytes themselves (nlp/formats/attachments.py ``sniff``), not from what a site
answered: the PBOC serves .wps and .et as application/octet-stream, and Word's "save as web page" under .doc is HTML.
The extension is the one the regulator published the file under when it names that format (.wps for a WPS file in
Word's format), else the format's own.

    >>> kind = kind_of(b"%PDF-1.7 ...", "http://www.pbc.gov.cn/a/%E9%93%B6%E7%BD%9A.pdf")
    >>> kind.content_type, kind.extension, kind.label
    ('application/pdf', 'pdf', 'PDF')
    >>> download_name(["银罚决字〔2026〕104号"], "pboc", "2026092418294123383.92bf9373", kind)
    '银罚决字〔2026〕104号.pdf'
    >>> download_name(["上海银罚字[2015]2号", "上海银罚字[2015]3号"], "pboc", "3008201", kind)
    '上海银罚字[2015]2号等2件.pdf'
    >>> content_disposition("银罚决字〔2026〕104号.pdf", "pboc", "2026092418294123383.92bf9373", kind)
    'attachment; filename="pboc-2026092418294123383.92bf9373.pdf"; filename*=UTF-8\\'\\'%E9%93%B6%E7%BD%9A%E5%86%B3%E5%AD%97%E3%80%942026%E3%80%95104%E5%8F%B7.pdf'
    >>> size_label(118306), size_label(700), size_label(3_500_000)
    ('116 KB', '700 字节', '3.3 MB')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import quote, unquote, urlsplit

from crawler.archive import SHA256, ArchiveError, CorruptObject, MissingObject, object_path, read_object
from nlp.formats.attachments import sniff

__all__ = ["ArchiveError", "CorruptObject", "MissingObject", "SHA256", "Kind", "archives_beside", "locate",
           "read_original", "kind_of", "download_name", "content_disposition", "size_label"]


@dataclass(frozen=True)
class Kind:
    """What a file is, for a person downloading it."""

    format: str          # sniff's name: pdf, xlsx, doc, html, json …
    content_type: str    # what the server answers it as
    extension: str       # without the dot
    label: str           # how the page names it: PDF, XLSX, HTML 网页 …


# format → (Content-Type, its own extension, the extensions files of that format are published under)
_FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", "pdf", ("pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", ("xlsx",)),
    # WPS Office writes .wps and .et in Word's and Excel's binary formats
    "doc": ("application/msword", "doc", ("doc", "wps", "dot")),
    "xls": ("application/vnd.ms-excel", "xls", ("xls", "et")),
    "rtf": ("application/rtf", "rtf", ("rtf", "doc")),
    "zip": ("application/zip", "zip", ("zip",)),
    "ole": ("application/octet-stream", "bin", ("doc", "xls", "wps", "et", "ppt")),
    "image": ("application/octet-stream", "bin", ("jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp")),
    "json": ("application/json", "json", ("json",)),
    "html": ("text/html", "html", ("html", "htm", "doc")),   # Word's "save as web page" under .doc stays .doc
    "text": ("text/plain", "txt", ("txt",)),
    "unknown": ("application/octet-stream", "bin", ()),
}
_IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                "tif": "image/tiff", "tiff": "image/tiff", "bmp": "image/bmp"}
_LABELS = {"html": "HTML 网页", "json": "JSON 数据", "text": "纯文本", "unknown": "文件"}


def archives_beside(db_path: Path | str | None, *more: Path | str | None) -> list[Path]:
    """The archive folders that may hold a database's bytes: beside the file (a link followed to the file itself),
    then ``more``, each once, those that exist."""
    candidates: list[Path] = []
    if db_path:
        folder = Path(db_path).resolve().parent
        candidates += [folder / "archive", folder / "demo" / "archive"]
    candidates += [Path(path) for path in more if path]
    found: list[Path] = []
    for folder in candidates:
        if (folder / "objects").is_dir() and folder.resolve() not in {known.resolve() for known in found}:
            found.append(folder)
    return found


def locate(sha256: str, archives: Iterable[Path]) -> Path | None:
    """The archive holding the object ``sha256``, or None (also for anything that is not a sha256)."""
    if not SHA256.fullmatch(sha256 or ""):
        return None
    return next((archive for archive in archives if object_path(archive, sha256).is_file()), None)


def read_original(sha256: str, archives: Iterable[Path]) -> bytes:
    """The bytes of ``sha256`` from the first archive holding them, checked against the hash: MissingObject when
    none holds them, CorruptObject when they have changed on disk."""
    archive = locate(sha256, archives)
    if archive is None:
        raise MissingObject(f"no archive here holds object {sha256}")
    return read_object(archive, sha256)


def kind_of(body: bytes, url: str | None = None, answered: str | None = None) -> Kind:
    """What the bytes are, named with the extension of their address when it is one of their format's (``url``: the
    address they were published at; ``answered``: the Content-Type the site gave, whose charset a page keeps)."""
    found = sniff(body)
    content_type, extension, published_as = _FORMATS.get(found, _FORMATS["unknown"])
    suffix = _suffix(url)
    if suffix and suffix in published_as:
        extension = suffix
        if found == "image":
            content_type = _IMAGE_TYPES.get(suffix, content_type)
    if found in ("html", "json", "text"):
        charset = re.search(r"charset=([\w-]+)", answered or "", re.I)
        if charset:
            content_type += f"; charset={charset.group(1).lower()}"
        elif found != "html":   # a page says its charset itself; JSON and text are UTF-8, or GB18030 when not
            content_type += "; charset=" + ("utf-8" if _is_utf8(body) else "gb18030")
    return Kind(found, content_type, extension, _LABELS.get(found) or extension.upper())


def _suffix(url: str | None) -> str | None:
    name = unquote(urlsplit(url or "").path).rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def download_name(decision_nos: Iterable[str | None], source: str, doc_id: str | None, kind: Kind) -> str:
    """The file's name: the 文号 of the decision read from it; the first 文号 and how many, when it holds several
    (a 公示表); else the source and the document's id."""
    numbers = list(dict.fromkeys(number.strip() for number in decision_nos if number and number.strip()))
    if len(numbers) == 1:
        stem = numbers[0]
    elif numbers:
        stem = f"{numbers[0]}等{len(numbers)}件"
    else:
        stem = f"{source}-{doc_id}" if doc_id else source
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:150] or source
    return f"{stem}.{kind.extension}"


def content_disposition(name: str, source: str, doc_id: str | None, kind: Kind) -> str:
    """A download named ``name`` (RFC 6266: UTF-8 for every browser of today, and an ASCII name for any other)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{source}-{doc_id}" if doc_id else source).strip("._")
    return f"attachment; filename=\"{fallback or 'original'}.{kind.extension}\"; filename*=UTF-8''{quote(name, safe='')}"


def size_label(size: int) -> str:
    """A size as a person reads it: 700 字节, 116 KB, 3.3 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"

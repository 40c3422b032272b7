r"""A JSON file that stores one document as a record: its title, its text (or HTML), its date and address, the way
third-party collections keep regulators' pages (`../shared/corpus/laws/NFRA-879932.json`:
``{"title": …, "text": …, "date": …, "url": …, "document_no": …}``). Not a site's own answer: the NFRA envelope
(``rptCode``) is sources/nfra's.

    >>> record = read_json_record('{"title": "某通知", "text": "第一段\\n第二段", "date": "2026-02-27"}'.encode())
    >>> record.title, record.lines, record.published
    ('某通知', ['第一段', '第二段'], '2026-02-27')
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from nlp.records import Unparseable
from nlp.text import parse_date

_TITLE = ("title", "docTitle", "doc_title", "name", "headline", "subject")
_TEXT = ("text", "content", "body", "docClob", "html", "fulltext", "full_text", "article")
_DATE = ("date", "publishDate", "publish_date", "published", "pubDate", "release_date")
_URL = ("url", "link", "source_url", "page_url")


@dataclass
class JsonRecord:
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    html: str | None = None            # the text when the record keeps it as HTML
    published: str | None = None
    url: str | None = None


def read_json_record(raw: bytes) -> JsonRecord:
    """The record's title, text lines (or HTML), date and address; Unparseable for bytes that are not JSON."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        try:
            data = json.loads(raw.decode("gb18030"))
        except (UnicodeDecodeError, ValueError) as error:
            raise Unparseable(f"neither UTF-8 nor GB18030 JSON ({error})") from None
    except ValueError as error:
        raise Unparseable(f"not JSON ({error}): regkb reads a .json file as a stored record of one document "
                          "(title, text, date, url) or as an NFRA answer") from None
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = {**data["data"], **{k: v for k, v in data.items() if k != "data"}}
    if not isinstance(data, dict):
        return JsonRecord()
    record = JsonRecord(title=_first(data, _TITLE), url=_first(data, _URL))
    day = _first(data, _DATE)
    record.published = parse_date(day) if day else None
    text = _first(data, _TEXT)
    if text and text.lstrip().startswith("<"):
        record.html = text
    elif text:
        record.lines = [line for line in text.splitlines() if line.strip()]
    return record


def _first(data: dict, keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None

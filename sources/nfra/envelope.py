"""The NFRA site's JSON answer, read once, by one reader, for the spider and the document reader alike.

Every endpoint answers ``{"rptCode": 200, "msg": "成功", "data": {…}}``: the list ``data.{total, rows[]}``, a document
``data.{docId, docTitle, docSubtitle, publishDate, documentNo, docSource, docClob, attachmentInfoVOList, …}`` whose
``docClob`` is a whole Word-exported HTML page. A block shows as an HTML page (a 404, a verification page) or an
``rptCode`` other than 200; ``NotAnEnvelope`` says which, and the spider reports it while extraction quarantines it.
"""

from __future__ import annotations

import json

from nlp.records import Unparseable


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
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("gb18030", "replace")   # a server answering in GBK, as some proxies of the site do
    try:
        answer = json.loads(text)
    except ValueError as error:
        raise NotAnEnvelope(f"malformed JSON ({error})") from None
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

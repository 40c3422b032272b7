"""What regkb adds to every HTTP answer, as one ASGI wrapper.

* CSV opens in Excel with the Chinese intact: Excel reads a CSV as the local code page (GBK on a Chinese Windows)
  unless it starts with a UTF-8 byte-order mark, so every CSV answer gets one. pandas and LibreOffice skip it.
* CSV carries no live formula: a cell that opens with = + - @ (or a tab or carriage return), and is not a number, is
  written with a leading apostrophe, as regkb's own exports write it (a published text is data, never a formula).
* Only GET and HEAD: regkb writes nothing, and any other method is a 405, not a server error.
* ``?_sort=`` and ``?_sort_desc=`` must name a column of the table (a 400 saying which, not a 500).
* ``/-/databases.json`` does not show where the file is on the server's disk.
* Queries wait their turn: custom SQL, canned queries and searches share all SQL threads but one, so that the pages
  stay answered while some visitors loop a slow query (a wait over 10 s is a 503 with Retry-After).
* A canned query or the feed asked with a parameter it does not take (``/regkb/feed.atom?provnce=四川``) is a 400
  naming the ones it takes: a mistyped alert must fail where it is set up, not silently send every decision.
* An empty search box (``?_search=``) shows every row instead of an FTS syntax error: the parameter is dropped by a
  redirect, so the address the user sees says what is shown.
* A Content-Security-Policy that lets a page load nothing from another host, and no plugins or frames: even if a
  hostile archived document got past the sanitiser of the decision page, it could neither load nor send anything.
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
import json
import re
from urllib.parse import parse_qsl, unquote, urlencode

from datasette import hookimpl
from db.shape import TABLES

BOM = "\ufeff".encode("utf-8")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    # Datasette's pages carry inline scripts and styles; Vega (the dashboards) compiles expressions with Function().
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, made text: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``; -5.0 stays."""
    if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


class CsvNeutraliser:
    """Rewrites a CSV as it streams past, record by record (a record may break over chunks, and a quoted cell may
    hold line breaks): each cell through ``neutralise``."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        text = self._pending + self._decoder.decode(chunk, final=final)
        cut = len(text) if final else self._last_record_end(text)
        ready, self._pending = text[:cut], text[cut:]
        if not ready:
            return b""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in csv.reader(io.StringIO(ready, newline="")):
            writer.writerow([neutralise(cell) for cell in row])
        return out.getvalue().encode("utf-8")

    @staticmethod
    def _last_record_end(text: str) -> int:
        """The end of the last complete record: after a line break outside quotes."""
        quoted, end = False, 0
        for position, char in enumerate(text):
            if char == '"':
                quoted = not quoted
            elif char == "\n" and not quoted:
                end = position + 1
        return end


def _query_args(scope) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)


def _bad_sort(scope) -> str | None:
    """Why the page's ?_sort= cannot be served, or None."""
    parts = unquote(scope["path"]).strip("/").split("/")
    if len(parts) != 2 or parts[0] != DATABASE:
        return None
    table = parts[1].removesuffix(".json").removesuffix(".csv")
    if table not in TABLES:
        return None
    columns = [*TABLES[table]["columns"], "rowid"]
    for key, value in _query_args(scope):
        if key in ("_sort", "_sort_desc") and value not in columns:
            return f"{table} cannot be sorted by {value[:60]!r}: sort by one of {', '.join(columns)}"
    return None


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def query_parameters(sql: str) -> set[str]:
    """The named parameters of a canned query: ``:province`` → province (not ``::``-casts or times like 00:00)."""
    return {name for name in _NAMED.findall(sql) if not name.isdigit()}


def _unknown_parameters(scope, canned: dict[str, set[str]]) -> str | None:
    """Why a canned query cannot take this request's parameters, or None."""
    parts = unquote(scope["path"]).strip("/").split("/")
    if len(parts) != 2 or parts[0] != DATABASE:
        return None
    name = parts[1].split(".")[0]
    if name not in canned:
        return None
    unknown = sorted({key for key, _ in _query_args(scope) if not key.startswith("_") and key not in canned[name]})
    if not unknown:
        return None
    takes = "、".join(sorted(canned[name])) or "无"
    return (f"查询 {name} 没有参数 {'、'.join(unknown)}；它接受的参数：{takes}。"
            f"\nThe query {name} takes no parameter {', '.join(unknown)}; it takes: {', '.join(sorted(canned[name]))}.")


def _runs_a_query(scope, canned) -> bool:
    """Custom SQL, a canned query, or a search: what a visitor can make slow."""
    args = dict(_query_args(scope))
    if "sql" in args or "_search" in args or args.get("_stream"):
        return True
    parts = unquote(scope["path"]).strip("/").split("/")
    return (len(parts) == 2 and parts[0] == DATABASE and parts[1].split(".")[0] in canned) or \
        scope["path"].startswith("/-/search")


async def _answer(send, status: int, body: str, headers: list | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *(headers or [])]})
    await send({"type": "http.response.body", "body": body.encode("utf-8")})


DATABASE = "regkb"
QUERY_WAIT_SECONDS = 10


def _is_csv(scope) -> bool:
    if scope["path"].endswith(".csv"):
        return True
    return ("_format", "csv") in parse_qsl(scope.get("query_string", b"").decode("latin-1"))


def _without_empty_search(scope) -> str | None:
    """The query string without a blank ``_search``, or None when there is none to drop."""
    pairs = parse_qsl(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
    kept = [(key, value) for key, value in pairs if not (key == "_search" and not value.strip())]
    return urlencode(kept) if len(kept) != len(pairs) else None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        turns: dict[str, object] = {}

        def queries() -> tuple[asyncio.Semaphore, dict[str, set[str]]]:
            if "semaphore" not in turns:
                threads = int(datasette.setting("num_sql_threads") or 3)
                turns["semaphore"] = asyncio.Semaphore(max(1, threads - 1))
                turns["canned"] = {name: query_parameters(query["sql"] if isinstance(query, dict) else query)
                                   for name, query in (datasette.metadata("queries", database=DATABASE) or {}).items()}
            return turns["semaphore"], turns["canned"]

        async def regkb_http(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if scope["method"] not in ("GET", "HEAD"):
                return await _answer(send, 405, "regkb is read-only: only GET and HEAD are answered",
                                     [(b"allow", b"GET, HEAD")])
            bad_sort = _bad_sort(scope)
            if bad_sort:
                return await _answer(send, 400, bad_sort)
            query = _without_empty_search(scope)
            if query is not None:
                location = scope.get("root_path", "") + scope["path"] + (f"?{query}" if query else "")
                await send({"type": "http.response.start", "status": 302,
                            "headers": [(b"location", location.encode("utf-8")),
                                        (b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b""})
                return
            semaphore, canned = queries()
            unknown = _unknown_parameters(scope, canned)
            if unknown:
                return await _answer(send, 400, unknown)
            if _runs_a_query(scope, canned):
                try:
                    await asyncio.wait_for(semaphore.acquire(), QUERY_WAIT_SECONDS)
                except asyncio.TimeoutError:
                    return await _answer(send, 503, "busy: other queries are running; try again in a few seconds",
                                         [(b"retry-after", b"5")])
                try:
                    return await _serve(app, scope, receive, send)
                finally:
                    semaphore.release()
            return await _serve(app, scope, receive, send)

        return regkb_http

    return wrap


async def _serve(app, scope, receive, send):
    csv_answer = _is_csv(scope)
    databases = scope["path"].rstrip("/") in ("/-/databases.json", "/-/databases")
    state = {"csv": False, "bom_sent": False, "body": b""}
    neutraliser = CsvNeutraliser()

    async def wrapped_send(event):
        if event["type"] == "http.response.start":
            headers = [(name, value) for name, value in event.get("headers", [])]
            content_type = dict((name.lower(), value) for name, value in headers).get(b"content-type", b"")
            state["csv"] = csv_answer and event["status"] == 200 and (
                content_type.startswith(b"text/csv") or content_type.startswith(b"text/plain"))
            state["databases"] = databases and content_type.startswith(b"application/json")
            if state["csv"] or state["databases"]:
                headers = [(name, value) for name, value in headers if name.lower() != b"content-length"]
            if content_type.startswith(b"text/html"):
                headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
            headers.append((b"x-content-type-options", b"nosniff"))
            event = {**event, "headers": headers}
        elif event["type"] == "http.response.body" and state.get("databases"):
            state["body"] += event.get("body", b"")
            if event.get("more_body"):
                return
            listing = json.loads(state["body"] or b"[]")
            for database in listing if isinstance(listing, list) else []:
                database.pop("path", None)   # where the file is on the server's disk is nobody's business
            event = {**event, "body": json.dumps(listing, ensure_ascii=False).encode("utf-8")}
        elif event["type"] == "http.response.body" and state["csv"]:
            body = neutraliser.feed(event.get("body", b""), final=not event.get("more_body"))
            if not state["bom_sent"]:
                state["bom_sent"] = True
                body = BOM + body
            event = {**event, "body": body}
        await send(event)

    await app(scope, receive, wrapped_send)

"""What regkb adds to every HTTP answer, as one ASGI wrapper.

* CSV opens in Excel with the Chinese intact: Excel reads a CSV as the local code page (GBK on a Chinese Windows)
  unless it starts with a UTF-8 byte-order mark, so every CSV answer gets one. pandas and LibreOffice skip it.
* An empty search box (``?_search=``) shows every row instead of an FTS syntax error: the parameter is dropped by a
  redirect, so the address the user sees says what is shown.
* A Content-Security-Policy that lets a page load nothing from another host, and no plugins or frames: even if a
  hostile archived document got past the sanitiser of the decision page, it could neither load nor send anything.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

BOM = "\ufeff".encode("utf-8")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    # Datasette's pages carry inline scripts and styles; Vega (the dashboards) compiles expressions with Function().
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; frame-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


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
        async def regkb_http(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            query = _without_empty_search(scope)
            if query is not None:
                location = scope.get("root_path", "") + scope["path"] + (f"?{query}" if query else "")
                await send({"type": "http.response.start", "status": 302,
                            "headers": [(b"location", location.encode("utf-8")),
                                        (b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b""})
                return
            csv = _is_csv(scope)
            state = {"csv": False, "bom_sent": False}

            async def wrapped_send(event):
                if event["type"] == "http.response.start":
                    headers = [(name, value) for name, value in event.get("headers", [])]
                    content_type = dict((name.lower(), value) for name, value in headers).get(b"content-type", b"")
                    state["csv"] = csv and event["status"] == 200 and (
                        content_type.startswith(b"text/csv") or content_type.startswith(b"text/plain"))
                    if state["csv"]:
                        headers = [(name, str(int(value) + len(BOM)).encode() if name.lower() == b"content-length"
                                    else value) for name, value in headers]
                    if content_type.startswith(b"text/html"):
                        headers.append((b"content-security-policy", CONTENT_SECURITY_POLICY.encode()))
                    headers.append((b"x-content-type-options", b"nosniff"))
                    event = {**event, "headers": headers}
                elif event["type"] == "http.response.body" and state["csv"] and not state["bom_sent"]:
                    state["bom_sent"] = True
                    event = {**event, "body": BOM + event.get("body", b"")}
                await send(event)

            await app(scope, receive, wrapped_send)

        return regkb_http

    return wrap

"""下载原件: ``/-/original/<sha256>`` answers with the archived bytes a decision was read from, as they were
published (a PDF, an .xlsx, a .doc, the page, the NFRA's JSON answer), under their own Content-Type and a name a
person can file (the decision's 文号 and the file's extension: db/originals.py); and the decision page
(templates/row-regkb-decisions.html) gets ``regkb_original``: the link with the file's type and size, or why the
bytes cannot be had here.

Only a sha256 the database's raw_documents names is answered; anything else is a 404, and the name never reaches the
file system but as 64 hex digits. The bytes are checked against their hash before they are sent. They come from the
archive beside the database (``data/archive``, the demo's ``data/demo/archive``), from the settings' archive
($REGKB_ARCHIVE_DIR), or from the folders ``plugins: regkb_originals: archives:`` lists in the metadata; when none
holds them the answer says so, in Chinese, and the decision page offers no link (plugins/regkb_decision_page.py).

A downloaded page is an attachment, never shown on this site: it is the publisher's, and runs nothing here
(``Content-Security-Policy: sandbox`` besides).
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from datasette.utils import urlsafe_components
from datasette.utils.asgi import Response

from datasette import hookimpl
from db import originals
from regkb.settings import paths

DATABASE = "regkb"


def archives(datasette) -> list[Path]:
    """Where this server looks for archived bytes, in order."""
    configured = (datasette.plugin_config("regkb_originals") or {}).get("archives") or []
    database = datasette.databases.get(DATABASE)
    settings = paths()
    return originals.archives_beside(database.path if database else None, settings.archive_dir,
                                     settings.demo_archive_dir, *configured)


def _refused(status: int, message: str) -> Response:
    return Response.text(message, status=status, headers={"Cache-Control": "no-store"})


async def original(request, datasette):
    sha256 = request.url_vars["sha256"]
    if not originals.SHA256.fullmatch(sha256) or DATABASE not in datasette.databases:
        return _refused(404, "没有这份存档文件：地址应为 /-/original/ 加 64 位小写十六进制的 sha256。")
    db = datasette.get_database(DATABASE)
    row = (await db.execute("select source, doc_id, url, content_type from raw_documents where sha256 = ?",
                            [sha256])).first()
    if row is None:
        return _refused(404, f"本库没有 sha256 为 {sha256} 的存档文件。")
    # in the file's own order (the decisions of one file are numbered …-1, …-2, … -10): the name is the first's 文号,
    # whatever order the database stores them in (by date: db/shape.py store_in_date_order)
    numbers = [number for (number,) in (await db.execute(
        "select decision_no from (select decision_id as id, decision_no from decisions where raw_sha256 = ?"
        " union all select copy_id, decision_no from duplicates where raw_sha256 = ?)"
        " order by length(id), id", [sha256, sha256])).rows]
    try:
        body = await asyncio.to_thread(originals.read_original, sha256, archives(datasette))
    except originals.MissingObject:
        return _refused(404, f"原件（sha256 {sha256}）不在本服务器的存档中，无法下载：请到原文链接查看，"
                             "或在有存档的机器上运行 regkb serve。")
    except originals.CorruptObject:
        return _refused(500, f"存档中的原件（sha256 {sha256}）已被改动，与其哈希不符，不予提供：请从备份恢复存档，"
                             "或重新抓取该文件。")
    kind = originals.kind_of(body, row["url"], row["content_type"])
    name = originals.download_name(numbers, row["source"], row["doc_id"], kind)
    return Response(body, status=200, content_type=kind.content_type, headers={
        "Content-Disposition": originals.content_disposition(name, row["source"], row["doc_id"], kind),
        "Content-Length": str(len(body)),
        "Content-Security-Policy": "sandbox",
        # named by its hash: the same address is always the same bytes
        "Cache-Control": "public, max-age=31536000, immutable",
    })


@lru_cache(maxsize=4096)
def _kind(sha256: str, archive: Path, url: str | None, answered: str | None) -> originals.Kind | None:
    """What the bytes of ``sha256`` are; None when they are not what their hash says. An object is never rewritten
    in place, so the answer holds as long as it is there."""
    try:
        return originals.kind_of(originals.read_original(sha256, [archive]), url, answered)
    except originals.ArchiveError:
        return None


def offer(datasette, raw: dict) -> dict:
    """下载原件 as the page offers it: the link, the type and the size; or ``missing``, why it cannot be had here."""
    archive = originals.locate(raw["sha256"], archives(datasette))
    if archive is None:
        return {"missing": "原件的字节不在本服务器的存档中，无法在此下载；请通过原文链接查看。"}
    kind = _kind(raw["sha256"], archive, raw["url"], raw["content_type"])
    if kind is None:
        return {"missing": "存档中的原件已被改动，与其哈希不符，不予下载；请从备份恢复存档。"}
    return {"url": datasette.urls.path(f"/-/original/{raw['sha256']}"), "label": kind.label,
            "size": originals.size_label(raw["size"])}


@hookimpl
def register_routes():
    return [(r"^/-/original/(?P<sha256>.*)$", original)]


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name != "row" or database != DATABASE or table != "decisions" or request is None \
            or "pks" not in request.url_vars:
        return {}

    async def inner():
        pk_values = urlsafe_components(request.url_vars["pks"])
        if len(pk_values) != 1:
            return {}
        raw = (await datasette.get_database(DATABASE).execute(
            "select r.sha256, r.url, r.content_type, r.size from decisions d join raw_documents r"
            " on r.sha256 = d.raw_sha256 where d.decision_id = ?", [pk_values[0]])).first()
        if raw is None:
            return {}
        return {"regkb_original": await asyncio.to_thread(offer, datasette, dict(raw))}

    return inner

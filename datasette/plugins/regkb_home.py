"""The home page (``/``): one search box, the advanced form, and the decisions that match as cards.

The query is db/finder.py's; this view runs it on the regkb database, lays out the cards (their 名称, authority,
region, date, fine, categories as tags and the words marked in a snippet), pages them, and, when nothing matches,
says what does exist: a category of that name, a 文号 of the same year and number, each word alone, the same words
in the other script. ``/-/search`` (datasette-search-all's page) leads here with its words.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response

from datasette import hookimpl
from db.finder import (
    COUNT_CAP,
    PAGE_SIZE,
    SORTS,
    Search,
    floor_sql,
    match_expression,
    near_numbers_sql,
    search_sql,
    snippet,
)
from db.search import capped_count_sql, fts_query, query_terms
from db.shape import is_date_ordered
from nlp.records import KINDS
from nlp.schema import VALUE_NAMES
from regkb.names import value_name, yuan

DATABASE = "regkb"
TEMPLATE = "regkb_home.html"


def _url(search: Search, **changes) -> str:
    args = search.args(**changes)
    return "/" + ("?" + urlencode(args) if args else "")


def _card(row: dict, search: Search, datasette) -> dict:
    region = " ".join(part for part in (row["province"], row["city"]) if part) or "全国"
    return {
        "url": _decision_url(datasette, row["decision_id"]),
        "heading": row["heading"] or row["title"] or row["decision_id"],
        "title": row["title"],
        # as the decision writes it, else as regkb resolved it (from its 文号, its site)
        "authority": row["authority"] or row["authority_id"],
        "kind": None if row["kind"] == "penalty" else value_name("kind", row["kind"]),
        "region": region,
        "date": row["date"], "date_basis": row["date_basis"],
        "fine": None if row["total_fine_yuan"] is None else yuan(row["total_fine_yuan"]),
        "penalty": yuan(row["total_penalty_yuan"]) if row["total_fine_yuan"] is None
        and row["total_penalty_yuan"] is not None else None,
        "categories": json.loads(row["categories"] or "[]"),
        "sanctions": json.loads(row["sanction_types"] or "[]"),
        "regulator": value_name("regulator", row["regulator"]),
        "snippet": snippet(row, " ".join(part for part in (search.q, search.party) if part)),
    }


async def _rows(db, sql: str, params: dict) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def _count(db, match: str) -> int:
    return (await db.execute(capped_count_sql("decisions_fts"), {"match": match})).single_value()


async def _suggestions(datasette, db, search: Search) -> list[dict]:
    """What exists, when nothing matched: each as {text, url, count}."""
    found: list[dict] = []
    words = [term[0] for term in query_terms(search.q)] if search.q else []
    if words:
        categories = [row["category"] for row in await _rows(db, "select category from categories order by position", {})]
        for category in categories:
            if any(piece in category for word in words for piece in _pieces(word)):
                found.append({"text": f"违法违规类别「{category}」", "url": _url(Search(category=category))})
    for text in filter(None, (search.q, search.no)):
        near = near_numbers_sql(text)
        if near:
            for row in await _rows(db, *near):
                found.append({"text": f"文号相近：{row['decision_no']}（{row['heading']}）",
                              "url": _decision_url(datasette, row["decision_id"])})
    if len(words) > 1:
        for word in words:
            count = await _count(db, fts_query(word))
            if count:
                found.append({"text": f"只检索「{word}」", "url": _url(Search(q=word)), "count": count})
    if search.q:
        from nlp.clean import traditional

        other = traditional(search.q)
        if other != search.q:
            count = await _count(db, fts_query(other))
            if count:
                found.append({"text": f"繁体写法「{other}」", "url": _url(Search(q=other)), "count": count})
    return found


def _pieces(word: str) -> list[str]:
    """What of a word a category's name may share: the word, and each two characters of it (洗钱规定 → 洗钱 …)."""
    return [word] + [word[i:i + 2] for i in range(len(word) - 1)] if len(word) > 2 else [word]


def _decision_url(datasette, decision_id: str) -> str:
    return datasette.urls.row(DATABASE, "decisions", tilde_encode(decision_id))


async def _remembered(datasette, db, name: str, read):
    """``await read(db)``, once for a served file (immutable: it cannot change while served), every time otherwise."""
    if db.is_mutable:
        return await read(db)
    remembered = datasette.__dict__.setdefault("_regkb_home", {})
    if name not in remembered:
        remembered[name] = await read(db)
    return remembered[name]


async def _options(db) -> dict:
    """The advanced form's choices, from the database itself (remembered: the kinds of sanction are a scan of every
    sanction, 1.7 s at a million decisions)."""
    held = {row["kind"] for row in await _rows(db, "select distinct kind from decisions", {})}
    return {
        "categories": [row["category"] for row in
                       await _rows(db, "select category from categories order by position", {})],
        "sanctions": [row["label"] for row in await _rows(
            db, "select label, count(*) as n from sanctions where label is not null group by label order by n desc",
            {})],
        "regulators": [(row["regulator"], value_name("regulator", row["regulator"]))
                       for row in await _rows(db, "select distinct regulator from decisions where regulator is not null"
                                              " order by regulator", {})],
        "doc_formats": [(code, name) for code, name in VALUE_NAMES["doc_format"].items()],
        # the kinds the base holds (a penalty, a measure …), in KINDS order
        "kinds": [(kind, value_name("kind", kind)) for kind in KINDS if kind in held],
        "provinces": [row["province"] for row in await _rows(
            db, "select distinct province from decisions where province is not null order by province", {})],
    }


async def _date_ordered(db) -> bool:
    """Whether the database stores its decisions in date order (db/shape.py store_in_date_order)."""
    return await db.execute_fn(is_date_ordered)


async def home(datasette, request):
    db = datasette.get_database(DATABASE)
    search = Search.from_args(request.args)
    context = {"search": search, "sorts": SORTS, "options": await _remembered(datasette, db, "options", _options), "cards": [], "count": None,
               "capped": False, "ranked_newest": False, "pages": 0, "suggestions": [], "expanded": [], "error": None}
    if search.asks or request.args.get("sort"):
        date_ordered = await _remembered(datasette, db, "date_ordered", _date_ordered)
        page, count, params = search_sql(search, date_ordered=date_ordered)
        try:
            total = (await db.execute(count, params)).single_value()
            if total > COUNT_CAP and search.order == "relevance" and date_ordered:
                # relevance among the newest COUNT_CAP matches: ranking them all would take seconds
                context["ranked_newest"] = True
                floor = (await db.execute(*floor_sql(search))).single_value()
                page, count, params = search_sql(search, date_ordered=True, floor=floor)
            rows = await _rows(db, page, params)
        except QueryInterrupted:
            rows, total = [], None
            context["error"] = "检索超时：请缩小范围（加一个词、一个类别或一段日期）后再试。"
        context["cards"] = [_card(row, search, datasette) for row in rows]
        context["count"] = total
        context["capped"] = total is not None and total > COUNT_CAP
        shown = min(total or 0, COUNT_CAP)
        context["pages"] = max(1, math.ceil(shown / PAGE_SIZE))
        context["previous_url"] = _url(search, page=search.page - 1) if search.page > 1 else None
        context["next_url"] = _url(search, page=search.page + 1) if search.page < context["pages"] else None
        context["sort_urls"] = {key: _url(search, sort=key, page=1) for key in SORTS
                                if key != "relevance" or search.q}
        context["expanded"] = [(term[0], term[1:]) for term in query_terms(search.q) if len(term) > 1] \
            if search.q else []
        context["unsearchable"] = match_expression(search) == '""'
        if not rows and total == 0:
            context["suggestions"] = await _suggestions(datasette, db, search)
        if search.q:
            context["texts_count"] = await _texts_count(datasette, db, search.q)
    return Response.html(await datasette.render_template(TEMPLATE, context, request=request))


async def _texts_count(datasette, db, q: str) -> int | None:
    """How many regulatory texts (plugins/regkb_texts.py, /-/laws) hold the words too; None without texts."""
    has_index = await _remembered(datasette, db, "texts_fts", lambda db: db.table_exists("texts_fts"))
    if not has_index:
        return None
    return (await db.execute(capped_count_sql("texts_fts"), {"match": fts_query(q)})).single_value()


async def search_all(datasette, request):
    """datasette-search-all's page, replaced: its words searched on the home page."""
    q = request.args.get("q", "")
    return Response.redirect("/" + ("?" + urlencode({"q": q}) if q.strip() else ""))


@hookimpl
def register_routes():
    return [(r"^/$", home), (r"^/-/search$", search_all)]

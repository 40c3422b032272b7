"""The regulatory texts in Chinese: a law's page, an article's page with its precedents, a notice's page, and the
texts' search (the tables are db/shape.py's texts, text_versions, articles, clauses and text_citations).

Routes (a law and an article are addressed as citations name them, so a page can be linked without asking the
database: 《中华人民共和国银行业监督管理法》第四十六条 → ``/-/article/中华人民共和国银行业监督管理法/46``):

* ``/-/laws?q=…``: every text by kind, and the texts' search, exact for one character and more (db/search.py's
  query on ``texts_fts``; the matching articles of each text are shown under it);
* ``/-/law/<name>``: its articles by chapter (each with the number of decisions citing it), its versions
  (通过/修正/修订/废止 with their dates), the notices that name it; a short name (银行业监督管理法) means the full one;
* ``/-/article/<name>/<number>``: the article's text in force now (``?on=2016-03-23``: on that day; ``?text=<text_id>``:
  of that text), its chapter, 款 and 项, the version it belongs to and its dates; every decision that applied it
  (newest first, with party, authority, date and fine); the fines' distribution as a chart; the notices naming it;
* ``/-/notice/<text_id>``: the notice's text, what it names, and the penalties in its categories before and after
  its date, by month or by year, as a chart;
* ``/-/text/<text_id>``: the page of that text, whatever its kind (tables link their text_id and article_id here).

Charts are SVG drawn here, in the page: no script, nothing fetched (as the dashboards' Vega is bundled). A law, an
article or a text the base does not hold is a 404 that says so in Chinese.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote, urlencode

from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from datasette import hookimpl
from db.links import in_force
from db.precedents import article_key, law_variants
from db.search import fts_query, highlight_pattern
from db.shape import is_date_ordered
from nlp.schema import FINE_BANDS, NO_FINE, TEXT_KIND_NAMES
from nlp.texts.articles import items_of
from regkb.names import yuan

DATABASE = "regkb"
TABLES = ("texts", "text_versions", "articles", "text_citations")
KIND_NAMES = TEXT_KIND_NAMES
KIND_ORDER = list(KIND_NAMES)
NOTICE_KINDS = {"notice", "announcement"}
PRECEDENTS_SHOWN = 200
SEARCH_SHOWN = 50
ARTICLES_PER_TEXT = 5


# ---- addresses ---------------------------------------------------------------------------------------------------

def law_url(name: str, text_id: str | None = None) -> str:
    return f"/-/law/{quote(name, safe='')}" + ("?" + urlencode({"text": text_id}) if text_id else "")


def article_url(name: str, number, text_id: str | None = None, on: str | None = None) -> str:
    args = {key: value for key, value in (("text", text_id), ("on", on)) if value}
    return f"/-/article/{quote(name, safe='')}/{number}" + ("?" + urlencode(args) if args else "")


def notice_url(text_id: str) -> str:
    return f"/-/notice/{quote(text_id, safe=':')}"


def text_url(text_id: str) -> str:
    return f"/-/text/{quote(text_id, safe=':')}"


def decision_url(decision_id: str) -> str:
    return f"/{DATABASE}/decisions/{tilde_encode(decision_id)}"


# ---- charts ------------------------------------------------------------------------------------------------------

def bar_chart(bars: list[dict], *, title: str, unit: str = "份", marker: int | None = None,
              marker_label: str = "") -> Markup:
    """A bar chart as inline SVG: ``bars`` are {label, value} or {label, value, after}: ``after`` of the ``value``
    came after the date (the notice's), drawn in another colour above the rest, so a month that holds the date is
    split where it falls; a dashed line before bar ``marker`` marks the date. Each part says its count in a tooltip,
    each bar its total above it."""
    if not bars:
        return Markup("")
    width_each = 40 if len(bars) <= 24 else 18
    left, top, bottom = 40, 24, 90   # room under the axis for a label of eight characters at 45°
    width = max(360, left + width_each * len(bars) + 10)
    height = 246
    plot = height - top - bottom
    peak = max(bar["value"] for bar in bars) or 1
    parts = [(f'<svg class="regkb-chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" '
              f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'),
             f"<title>{escape(title)}</title>",
             f'<line x1="{left}" y1="{top + plot}" x2="{width - 5}" y2="{top + plot}" class="axis"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="tick">{peak:,}</text>',
             f'<text x="{left - 4}" y="{top + plot}" text-anchor="end" class="tick">0</text>']

    def scaled(value: int) -> int:
        return max(2, round(plot * value / peak)) if value else 0   # a single decision still shows

    for index, bar in enumerate(bars):
        x = left + index * width_each + 3
        pieces = [(bar["value"], "", "")] if "after" not in bar else \
            [(bar["value"] - bar["after"], "before", "（发布前）"), (bar["after"], "after", "（发布后）")]
        pieces = [piece for piece in pieces if piece[0]] or pieces[:1]   # a bar of none: one empty rect
        y = top + plot
        for value, kind, said in pieces:
            h = scaled(value)
            y -= h
            tooltip = f'{bar["label"]}{said}：{value:,} {unit}'
            parts.append(f'<rect x="{x}" y="{y}" width="{width_each - 6}" height="{h}" class="bar {kind}" '
                         f'data-value="{value}"><title>{escape(tooltip)}</title></rect>')
        if bar["value"] and width_each >= 30:
            parts.append(f'<text x="{x + (width_each - 6) / 2}" y="{y - 3}" text-anchor="middle" class="value">'
                         f'{bar["value"]:,}</text>')
        cx, cy = x + (width_each - 6) / 2, top + plot + 12
        parts.append(f'<text x="{cx}" y="{cy}" text-anchor="end" class="tick" '
                     f'transform="rotate(-45 {cx} {cy})">{escape(bar["label"])}</text>')
    if marker is not None:
        mx = left + marker * width_each
        parts.append(f'<line x1="{mx}" y1="{top - 10}" x2="{mx}" y2="{top + plot}" class="marker"/>'
                     f'<text x="{mx + 3}" y="{top - 12}" class="marker-label">{escape(marker_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def fine_bars(counts: dict[str, int]) -> list[dict]:
    """The fine bands (nlp/schema.py FINE_BANDS, the table's facet) in order, 无罚款 first, each with its count."""
    return [{"label": label, "value": counts.get(label, 0)} for label in [NO_FINE] + [b for _, b in FINE_BANDS]]


def periods(first: str, last: str, by_year: bool) -> list[str]:
    """Every month (2024-03) or year (2024) from ``first`` to ``last``, none left out (a chart's axis)."""
    if by_year:
        return [str(year) for year in range(int(first[:4]), int(last[:4]) + 1)]
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last[:7]:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


# ---- reading ----------------------------------------------------------------------------------------------------

async def _rows(db, sql: str, params=()) -> list[dict]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def has_texts(db) -> bool:
    names = set(await db.table_names())
    return all(name in names for name in TABLES)


def _database(datasette):
    if DATABASE not in datasette.databases:
        raise Missing("没有 regkb 数据库。")
    return datasette.get_database(DATABASE)


async def _texts_db(datasette):
    db = _database(datasette)
    if not await has_texts(db):
        raise Missing("本库尚未收录法规文本（没有 texts 表）：请用 regkb build 重新构建数据库。")
    return db


def _marks(values: list[str]) -> str:
    return ", ".join("?" for _ in values)


async def _texts_named(db, name: str) -> tuple[list[str], list[dict]]:
    """The names a law goes by (its short and full names) and the texts of that name, the one in force first."""
    names = law_variants(name)
    texts = await _rows(db, f"select * from texts where name in ({_marks(names)})"
                            " order by (status = '现行有效') desc, coalesce(effective_date, publish_date) desc", names)
    return names, texts


async def _versions(db, text_id: str) -> list[dict]:
    return await _rows(db, "select * from text_versions where text_id = ? order by ordinal", [text_id])


async def labelled(db, article_id: str) -> list[dict]:
    """An article's 款 and 项 as the build split them (the clauses table, nlp/texts/), a line each: a 款's own words
    (its items are lines of their own) labelled 第N款 where the article has more than one, each 项 第N项."""
    rows = await _rows(db, "select label, text from clauses where article_id = ? order by rowid", [article_id])
    paragraphs = sum("项" not in row["label"] for row in rows)
    found = []
    for row in rows:
        if "项" in row["label"]:
            found.append({"label": row["label"].partition("款")[2], "text": row["text"], "item": True})
            continue
        items = set(items_of(row["text"]))
        own = "\n".join(line for line in row["text"].splitlines() if line not in items)
        if own:
            found.append({"label": row["label"] if paragraphs > 1 else "", "text": own, "item": False})
    return found


def _version_of(article: dict, versions: list[dict]) -> dict | None:
    """The version an article's text belongs to: the one whose span it has."""
    for version in versions:
        if version["effective_from"] == article["effective_from"] and version["effective_to"] == article["effective_to"]:
            return version
    return None


async def _date_ordered(db) -> bool:
    return await db.execute_fn(is_date_ordered)


async def precedents(db, names: list[str], article: str) -> dict:
    """Every decision citing ``article`` of the law (by any of its names), newest first, and their fines by band."""
    cited = f"select decision_id from citations where law in ({_marks(names)}) and article = ?"
    params = [*names, article]
    order = "d.rowid desc" if await _date_ordered(db) else "d.date desc, d.rowid desc"
    decisions = await _rows(
        db, "select d.decision_id, d.heading, d.title, d.decision_no, d.party_names, d.authority, d.province,"
            " d.decision_date, d.date, d.total_fine_yuan, d.fine_band,"
            " (select group_concat(distinct c.clause) from citations c where c.decision_id = d.decision_id"
            f"  and c.law in ({_marks(names)}) and c.article = ?) as clauses,"
            " (select c.link from citations c where c.decision_id = d.decision_id"
            f"  and c.law in ({_marks(names)}) and c.article = ? limit 1) as link"
            f" from decisions d where d.decision_id in ({cited}) order by {order} limit {PRECEDENTS_SHOWN}",
        [*params, *params, *params])
    for decision in decisions:
        decision["url"] = decision_url(decision["decision_id"])
        decision["parties"] = json.loads(decision["party_names"] or "[]") \
            if (decision["party_names"] or "").startswith("[") else [decision["party_names"]] if decision["party_names"] else []
        decision["fine"] = None if decision["total_fine_yuan"] is None else yuan(decision["total_fine_yuan"])
    # one pass over the precedents: their number, fines and bands
    by_band = await _rows(db, "select fine_band, count(*) as n, count(total_fine_yuan) as fined, sum(total_fine_yuan)"
                              f" as total, max(total_fine_yuan) as largest from decisions where decision_id in ({cited})"
                              " group by fine_band", params)
    count, fined = sum(row["n"] for row in by_band), sum(row["fined"] for row in by_band)
    totals = [row["total"] for row in by_band if row["total"] is not None]
    largest = [row["largest"] for row in by_band if row["largest"] is not None]
    return {"decisions": decisions, "count": count, "fined": fined,
            "total": yuan(sum(totals)) if totals else None, "largest": yuan(max(largest)) if largest else None,
            "chart": bar_chart(fine_bars({row["fine_band"]: row["n"] for row in by_band}),
                               title="罚款金额分布（按罚款合计，份）") if count else Markup("")}


async def _named_by(db, names: list[str], article: str | None, article_ids: list[str], text_ids: list[str]) -> list[dict]:
    """The notices (any text) that name this law, or this article of it."""
    if article is None:
        where = f"(tc.law in ({_marks(names)}) or tc.text_id_cited in ({_marks(text_ids) or 'null'}))"
        params = [*names, *text_ids]
    else:
        where = (f"((tc.law in ({_marks(names)}) and tc.article = ?)"
                 f" or tc.article_id in ({_marks(article_ids) or 'null'}))")
        params = [*names, article, *article_ids]
    found = await _rows(db, "select distinct t.text_id, t.title, t.kind, t.document_no, t.publish_date, t.issuer"
                            f" from text_citations tc join texts t on t.text_id = tc.text_id where {where}"
                            " order by t.publish_date desc", params)
    for text in found:
        text["url"] = text_url(text["text_id"])
        text["kind_name"] = KIND_NAMES.get(text["kind"], text["kind"])
    return found


# ---- pages ------------------------------------------------------------------------------------------------------

async def _render(datasette, request, template: str, context: dict) -> Response:
    return Response.html(await datasette.render_template(template, context, request=request))


class Missing(Exception):
    """What the base does not hold, said in Chinese as a 404 (raised, Datasette's NotFound would send a page's
    %-encoded Chinese address to its tilde-encoded form instead)."""


async def _missing(datasette, request, message: str) -> Response:
    return Response.html(await datasette.render_template(
        "error.html", {"error": message, "status": 404, "title": "没有找到"}, request=request), status=404)


def answers_missing(view):
    """A page that says what is missing, in Chinese, with a 404."""
    async def page(datasette, request):
        try:
            return await view(datasette, request)
        except Missing as missing:
            return await _missing(datasette, request, str(missing))
    page.__name__ = view.__name__
    return page


async def article_page(datasette, request):
    db = await _texts_db(datasette)
    name = unquote(request.url_vars["name"])
    article = article_key(unquote(request.url_vars["article"]))
    names, texts = await _texts_named(db, name)
    if not texts:
        raise Missing(f"本库没有《{name}》的文本。")
    law = texts[0]["name"]
    if article is None:
        raise Missing(f"「{unquote(request.url_vars['article'])}」不是一条的条号：请写 46、第46条或第四十六条。")
    rows = await _rows(db, "select a.*, t.title, t.status, t.kind, t.issuer, t.document_no from articles a"
                           f" join texts t on t.text_id = a.text_id where t.name in ({_marks(names)}) and a.article = ?"
                           " order by a.effective_from desc", [*names, article])
    if not rows:
        last = (await db.execute("select max(number), count(*) from articles where text_id = ?",
                                 [texts[0]["text_id"]])).first()
        raise Missing(f"《{law}》没有{article}：本库所存文本共 {last[1]} 条，最后一条是第 {last[0]} 条。"
                       if last[1] else f"本库所存《{law}》的文本没有分条。")
    wanted_text, on, on_missing = request.args.get("text"), request.args.get("on"), None
    shown = next((row for row in rows if row["text_id"] == wanted_text), None) if wanted_text else None
    if shown is None and on:
        shown = next((row for row in rows if in_force(row["effective_from"], row["effective_to"], on)), None)
        if shown is None:
            on_missing, on = on, None   # the page says the base holds no words of that day, and shows today's
    if shown is None:
        shown = next((row for row in rows if row["effective_to"] is None), rows[0])
    versions = await _versions(db, shown["text_id"])
    others = [{**row, "url": article_url(law, row["number"], row["text_id"])} for row in rows if row is not shown]
    found = await precedents(db, names, article)
    notices = await _named_by(db, names, article, [row["article_id"] for row in rows], [])
    return await _render(datasette, request, "regkb_article.html", {
        "law": law, "article": shown, "lines": await labelled(db, shown["article_id"]), "versions": versions,
        "version": _version_of(shown, versions), "others": others, "on": on, "on_missing": on_missing, "precedents": found,
        "notices": notices, "law_url": law_url(law), "kind_names": KIND_NAMES,
        "precedents_url": f"/{DATABASE}/precedents?" + urlencode({"law": law, "article": article}),
        "shown_limit": PRECEDENTS_SHOWN,
    })


async def law_page(datasette, request):
    db = await _texts_db(datasette)
    name = unquote(request.url_vars["name"])
    names, texts = await _texts_named(db, name)
    if not texts:
        raise Missing(f"本库没有《{name}》的文本。")
    text = next((t for t in texts if t["text_id"] == request.args.get("text")), texts[0])
    if text["kind"] in NOTICE_KINDS and not request.args.get("text"):
        return Response.redirect(notice_url(text["text_id"]))
    articles = await _rows(db, "select article_id, number, article, chapter, text from articles where text_id = ?"
                               " order by number", [text["text_id"]])
    cited = {row["article"]: row["n"] for row in await _rows(
        db, f"select article, count(distinct decision_id) as n from citations where law in ({_marks(names)})"
            " group by article", names)}
    chapters: list[dict] = []
    for row in articles:
        row["url"] = article_url(text["name"], row["number"], None if text is texts[0] else text["text_id"])
        row["cited"] = cited.get(row["article"], 0)
        if not chapters or chapters[-1]["chapter"] != row["chapter"]:
            chapters.append({"chapter": row["chapter"], "articles": []})
        chapters[-1]["articles"].append(row)
    citing = (await db.execute(f"select count(distinct decision_id) from citations where law in ({_marks(names)})",
                               names)).single_value()
    notices = await _named_by(db, names, None, [], [t["text_id"] for t in texts])
    return await _render(datasette, request, "regkb_law.html", {
        "text": text, "versions": await _versions(db, text["text_id"]), "chapters": chapters,
        "article_count": len(articles), "citing": citing,
        "notices": [n for n in notices if n["text_id"] != text["text_id"]],
        "others": [{**t, "url": law_url(t["name"], t["text_id"])} for t in texts if t is not text],
        "kind_names": KIND_NAMES, "categories": json.loads(text.get("categories") or "[]"),
        "precedents_url": f"/{DATABASE}/precedents?" + urlencode({"law": text["name"], "article": ""}),
    })


async def notice_page(datasette, request):
    db = await _texts_db(datasette)
    text_id = unquote(request.url_vars["text_id"])
    text = (await _rows(db, "select * from texts where text_id = ?", [text_id]) or [None])[0]
    if text is None:
        raise Missing(f"本库没有编号为 {text_id} 的法规或通知。")
    categories = json.loads(text.get("categories") or "[]")
    named = await _rows(db, "select tc.*, a.number from text_citations tc left join articles a"
                            " on a.article_id = tc.article_id where tc.text_id = ? order by tc.rowid", [text_id])
    known = {row["name"] for row in await _rows(db, "select distinct name from texts")}
    for row in named:
        row["url"] = (article_url(row["law"], row["number"]) if row["number"] is not None
                      else law_url(row["law"]) if row["law"] in known else None)
    when = text["publish_date"] or text["effective_date"]
    return await _render(datasette, request, "regkb_notice.html", {
        "text": text, "categories": categories, "named": named, "kind_names": KIND_NAMES,
        "paragraphs": [line for line in (text["body"] or "").splitlines() if line.strip()],
        "versions": await _versions(db, text_id), "penalties": await _around(db, categories, when),
    })


def counted(categories: list[str]) -> tuple[list[str], list[str]]:
    """What a notice's penalties are counted in: (whole categories, subcategories). A category the notice names
    subcategories of (个人信息保护 with 个人信息保护/个人信息收集 …) is counted by those subcategories only, the
    others whole."""
    subcategories = [c for c in categories if "/" in c]
    whole = [c for c in categories if "/" not in c and not any(s.startswith(c + "/") for s in subcategories)]
    return whole, subcategories


async def _around(db, categories: list[str], when: str | None) -> dict | None:
    """The decisions in the notice's categories by month (by year over more than three years), before and after its
    date, as a chart; and the newest after it."""
    if not categories or not when:
        return None
    whole, subcategories = counted(categories)
    if "decision_subcategories" not in await db.table_names():
        whole, subcategories = list(dict.fromkeys(c.split("/")[0] for c in categories)), []
    parts, chosen = [], []
    if whole:
        parts.append(f"select decision_id from decision_categories where category in ({_marks(whole)})")
    if subcategories:
        parts.append(f"select decision_id from decision_subcategories where subcategory in ({_marks(subcategories)})")
    in_categories = " union ".join(parts)
    chosen = [*whole, *subcategories]
    span = (await db.execute(f"select min(date), max(date) from decisions where decision_id in ({in_categories})"
                             " and date is not null", chosen)).first()
    if span[0] is None:
        return {"before": 0, "after": 0, "chart": Markup(""), "latest": [], "unit": None, "counted": chosen}
    first, last = min(span[0], when), max(span[1], when)
    by_year = len(periods(first, last, by_year=False)) > 36
    width = 4 if by_year else 7
    counts = {row["period"]: (row["n"], row["after"]) for row in await _rows(
        db, f"select substr(date, 1, {width}) as period, count(*) as n, sum(date >= ?) as after from decisions"
            f" where decision_id in ({in_categories}) and date is not null group by period", [when, *chosen])}
    axis = periods(first, last, by_year)
    mark = when[:width]
    bars = [{"label": period, "value": counts.get(period, (0, 0))[0], "after": counts.get(period, (0, 0))[1]}
            for period in axis]
    before = (await db.execute(f"select count(*) from decisions where decision_id in ({in_categories})"
                               " and date < ?", [*chosen, when])).first()[0]
    after = (await db.execute(f"select count(*) from decisions where decision_id in ({in_categories})"
                              " and date >= ?", [*chosen, when])).first()[0]
    latest = await _rows(db, "select decision_id, heading, title, authority, date, total_fine_yuan from decisions"
                             f" where decision_id in ({in_categories}) and date >= ? order by date desc limit 10",
                         [*chosen, when])
    for row in latest:
        row["url"] = decision_url(row["decision_id"])
        row["fine"] = None if row["total_fine_yuan"] is None else yuan(row["total_fine_yuan"])
    return {"before": before, "after": after, "unit": "年" if by_year else "月", "latest": latest, "counted": chosen,
            "chart": bar_chart(bars, title=f"所涉类别的处罚决定数（按{'年' if by_year else '月'}）",
                               marker=axis.index(mark), marker_label=f"本文 {when}")}


async def text_page(datasette, request):
    """``/-/text/<text_id>`` and ``/-/text/<text_id>/<number>``: the page of a text, or of one of its articles."""
    db = await _texts_db(datasette)
    text_id = unquote(request.url_vars["text_id"])
    number = request.url_vars.get("number")
    text = (await _rows(db, "select text_id, name, kind from texts where text_id = ?", [text_id]) or [None])[0]
    if text is None:
        raise Missing(f"本库没有编号为 {text_id} 的法规或通知。")
    if number:
        return Response.redirect(article_url(text["name"], number, text_id))
    if text["kind"] in NOTICE_KINDS:
        return Response.redirect(notice_url(text_id))
    return Response.redirect(law_url(text["name"], text_id))


def _snippet(pattern, text) -> dict | None:
    """The words around the first match in ``text`` (a string, or a query's result of one row and column)."""
    if not isinstance(text, str) and text is not None:
        text = text.single_value()
    match = pattern.search(text or "")
    if match is None:
        return None
    start = max(0, match.start() - 30)
    return {"before": ("…" if start else "") + text[start:match.start()], "match": match.group(0),
            "after": text[match.end():match.end() + 60]}


async def laws_page(datasette, request):
    """Every text by kind; with ``q``, the texts that contain every word (texts_fts), each with its matching
    articles."""
    db = await _texts_db(datasette)
    q = (request.args.get("q") or "").strip()
    context = {"q": q, "kind_names": KIND_NAMES, "results": None, "groups": []}
    if q:
        results = await _rows(
            db, "select t.text_id, t.kind, t.title, t.name, t.issuer, t.document_no, t.publish_date, t.status,"
                " t.article_count from texts_fts join texts t on t.rowid = texts_fts.rowid"
                # best first: a word in the title or the name counts more than one in the body
                f" where texts_fts match ? order by bm25(texts_fts, 5.0, 5.0, 3.0, 1.0), t.publish_date desc"
                f" limit {SEARCH_SHOWN}", [fts_query(q)])
        pattern = highlight_pattern(q)
        for result in results:
            result["url"] = text_url(result["text_id"])
            result["kind_name"] = KIND_NAMES.get(result["kind"], result["kind"])
            result["articles"] = []
            if pattern is None:
                continue
            for row in await _rows(db, "select number, article, text from articles where text_id = ?"
                                       " order by number", [result["text_id"]]):
                found = _snippet(pattern, row["text"])
                if found:
                    result["articles"].append({"article": row["article"],
                                               "url": article_url(result["name"], row["number"]), **found})
                    if len(result["articles"]) >= ARTICLES_PER_TEXT:
                        break
            if not result["articles"]:
                result["snippet"] = _snippet(pattern, await db.execute(
                    "select body from texts where text_id = ?", [result["text_id"]]))
        context["results"] = results
    else:
        texts = await _rows(db, "select text_id, kind, title, name, issuer, document_no, publish_date, status,"
                                " article_count from texts order by publish_date desc")
        for kind in sorted({t["kind"] for t in texts}, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99):
            context["groups"].append({"kind": KIND_NAMES.get(kind, kind), "texts": [
                {**t, "url": text_url(t["text_id"])} for t in texts if t["kind"] == kind]})
    return await _render(datasette, request, "regkb_laws.html", context)


@hookimpl
def register_routes():
    return [
        (r"^/-/laws$", answers_missing(laws_page)),
        (r"^/-/law/(?P<name>[^/]+)$", answers_missing(law_page)),
        (r"^/-/article/(?P<name>[^/]+)/(?P<article>[^/]+)$", answers_missing(article_page)),
        (r"^/-/notice/(?P<text_id>[^/]+)$", answers_missing(notice_page)),
        (r"^/-/text/(?P<text_id>[^/]+)(?:/(?P<number>\d+))?$", answers_missing(text_page)),
    ]


@hookimpl
def prepare_jinja2_environment(env):
    env.globals["regkb_law_url"] = law_url
    env.globals["regkb_article_url"] = article_url
    env.globals["regkb_text_url"] = text_url


@hookimpl
def render_cell(value, column, table, database, datasette):
    """A text's or an article's key, in any table or query, links to its page (coded values, a text's kind and a
    citation's link among them, are named by regkb_values.py)."""
    if database != DATABASE or not isinstance(value, str) or not value:
        return None
    if column in ("text_id", "text_id_cited") and table != "texts":
        return Markup(f'<a href="{escape(text_url(value))}">{escape(value)}</a>')
    if column == "article_id" and "/" in value:
        text_id, _, number = value.rpartition("/")
        if number.isdigit():
            return Markup(f'<a href="{escape(text_url(text_id) + "/" + number)}">{escape(value)}</a>')
    return None

"""The decision page (templates/row-regkb-decisions.html): what a lawyer cites, gathered for the template.

The structured summary (each party with its own sanctions), the words of each article it cites as in force on its
date (linked to the article's page, plugins/regkb_texts.py; a citation the base cannot resolve flagged 待核查 with
why), the original table or text rendered from the archived bytes, sanitised, the source URL and the archive hash,
and the other decisions under the same article and against the same parent group.

The archived document is hostile until proven otherwise: it is published by a third party and passed through a
mirror, a crawler and an archive. It is shown only after an allowlist sanitiser (ammonia, through nh3) has kept the
table and paragraph structure and dropped everything else: scripts and styles with their content, event handlers,
``style`` and ``class`` attributes, links, images, frames, forms, comments and any URL, so no script runs and nothing
is fetched from another host.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import nh3
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup

from datasette import hookimpl

# What a disclosure table or a Word-exported decision needs to keep its shape; nothing that can load or run anything.
ALLOWED_TAGS = {
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
    "p", "br", "div", "span", "b", "strong", "i", "em", "u", "sup", "sub",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
}
ALLOWED_ATTRIBUTES = {"td": {"rowspan", "colspan"}, "th": {"rowspan", "colspan"}, "col": {"span"},
                      "colgroup": {"span"}, "*": set()}   # "*": none of ammonia's default lang and title
# Elements whose content is dropped with them (the text of a script or a style sheet is not part of the decision).
DROPPED_WITH_CONTENT = {"script", "style", "title", "xml", "template", "noscript", "textarea", "iframe", "object",
                        "noembed", "noframes", "svg", "math", "select", "option", "button", "head"}
RELATED_SHOWN = 10       # other decisions listed under each article and each group
RELATED_COUNTED = 1000   # beyond this the page says "1000+" instead of counting every precedent
# A citation the linking (db/links.py) could not resolve, and what the page says of it, flagged 待核查
CITATION_FLAGS = {
    "article_missing": "本库所存该法在决定日期施行的文本中没有这一条",
    "version_missing": "本库没有该法在决定日期施行的文本（只有其他时期的版本）",
    "law_unknown": "本库没有这部法律或规定的文本",
}


def sanitise(html: str) -> str:
    """The archived HTML reduced to its table and paragraph structure and its text."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, clean_content_tags=DROPPED_WITH_CONTENT,
                     generic_attribute_prefixes=set(), strip_comments=True, link_rel=None, url_schemes=set())


def original_document(body: str | None, document_html: str | None, content_type: str | None) -> dict | None:
    """The archived document as something to show: the HTML its reader made of it (the NFRA envelope's docClob, an
    attachment's tables), else the body as the page it is, or as plain text."""
    if document_html is not None:
        return {"html": Markup(sanitise(document_html))}
    if body is None:
        return None
    if "html" in (content_type or "") or body.lstrip()[:1] == "<":
        return {"html": Markup(sanitise(body))}
    return {"text": body}


async def cited_articles(db, decision_id: str) -> list[dict] | None:
    """Each article the decision cites, once, with the words of the version in force on the decision's date
    (citations.article_id, linked by db/links.py) or, when the linking could not resolve it, why (``flag``); None when
    the base holds no regulatory texts (no ``link`` column)."""
    if "link" not in await db.table_columns("citations") or "articles" not in await db.table_names():
        return None
    found, seen = [], {}
    for row in (await db.execute(
            "select c.law, c.article, c.clause, c.link, c.text_id, c.article_id, c.decision_date, a.number, a.chapter,"
            " a.text, a.effective_from, a.effective_to, t.title, t.status,"
            " (select count(*) from articles n where n.text_id = c.text_id) as article_count,"
            " (select v.label || ' ' || coalesce(v.date, '') from text_versions v where v.text_id = a.text_id"
            "  and v.effective_from is a.effective_from order by v.ordinal desc limit 1) as version"
            " from citations c left join articles a on a.article_id = c.article_id"
            " left join texts t on t.text_id = c.text_id"
            " where c.decision_id = ? and c.law is not null order by c.ordinal", [decision_id])).rows:
        row = dict(row)
        key = (row["law"], row["article"])
        if key in seen:
            if row["clause"] and row["clause"] not in seen[key]["clauses"]:
                seen[key]["clauses"].append(row["clause"])
            continue
        row["clauses"] = [row["clause"]] if row["clause"] else []
        row["flag"] = CITATION_FLAGS.get(row["link"])
        if row["link"] == "article_missing" and row["article_count"]:
            row["flag"] += f"（共 {row['article_count']} 条）"
        seen[key] = row
        found.append(row)
    return found


async def decision_page(datasette, database: str, decision_id: str) -> dict:
    """Everything the page shows of one decision. Its queries are sent together, in two rounds (the decision and its
    parts, then the other decisions under each article and each group): Datasette runs SQL on a few threads shared
    by every visitor, and a page that waited for each of its fifteen queries in turn would queue fifteen times
    behind other people's searches (bench/datasette_scale.py, under load)."""
    db = datasette.get_database(database)

    async def rows(sql: str, params: list) -> list[dict]:
        return [dict(row) for row in (await db.execute(sql, params)).rows]

    async def first(sql: str, params: list):
        return (await db.execute(sql, params)).first()[0]

    found, parties, sanctions, citations, cited, raws = await asyncio.gather(
        rows("select * from decisions where decision_id = ?", [decision_id]),
        rows("select * from parties where decision_id = ? order by ordinal", [decision_id]),
        rows("select * from sanctions where decision_id = ? order by party_id, ordinal", [decision_id]),
        rows("select law, article, clause from citations where decision_id = ? order by ordinal", [decision_id]),
        cited_articles(db, decision_id),
        rows("select sha256, url, fetched_at, http_status, content_type, size, body, document_html, rendering"
             " from raw_documents where sha256 = (select raw_sha256 from decisions where decision_id = ?)",
             [decision_id]))
    if not found:
        return {}
    decision = found[0]
    for party in parties:
        party["sanctions"] = [s for s in sanctions if s["party_id"] == party["party_id"]]

    def decision_url(other_id: str) -> str:
        return datasette.urls.row(database, "decisions", tilde_encode(other_id))

    keys = list(dict.fromkeys((c["law"], c["article"]) for c in citations if c["law"]))
    parents = sorted({party["parent"] for party in parties if party["parent"]})
    same_article = ("select c.decision_id from citations c where c.law = ? and c.article is ? and c.decision_id != ?",
                    "c.decision_date")
    same_parent = ("select p.decision_id from parties p where p.parent = ? and p.decision_id != ?", "p.decision_date")

    def related(members: tuple[str, str], params: list) -> list:
        """The queries for the other decisions ``members`` selects: how many (up to RELATED_COUNTED), and the newest."""
        select, date = members
        return [first(f"select count(*) from (select distinct decision_id from ({select}) limit {RELATED_COUNTED})",
                      params),
                rows("select d.decision_id, d.title, d.decision_no, d.decision_date, d.authority from decisions d"
                     f" where d.decision_id in ({select} order by {date} desc limit {RELATED_SHOWN * 3})"
                     f" order by d.decision_date desc limit {RELATED_SHOWN}", params)]

    answers = await asyncio.gather(*(query for key in keys for query in related(same_article, [*key, decision_id])),
                                   *(query for parent in parents for query in related(same_parent,
                                                                                      [parent, decision_id])))
    held = {(c["law"], c["article"]): c for c in cited or [] if c["number"] is not None}
    articles, groups = [], []
    for index, key in enumerate(keys):
        count, others = answers[2 * index], answers[2 * index + 1]
        articles.append({
            "law": key[0], "article": key[1], "count": count, "more": count >= RELATED_COUNTED,
            "decisions": [{**other, "url": decision_url(other["decision_id"])} for other in others],
            "url": datasette.urls.query(database, "precedents") + "?" + urlencode({"law": key[0],
                                                                                  "article": key[1] or ""}),
            "held": held.get(key),
        })
    for index, parent in enumerate(parents, start=len(keys)):
        count, others = answers[2 * index], answers[2 * index + 1]
        groups.append({
            "parent": parent, "count": count, "more": count >= RELATED_COUNTED,
            "decisions": [{**other, "url": decision_url(other["decision_id"])} for other in others],
            "url": datasette.urls.table(database, "decisions") + "?"
            + urlencode({"parent_groups__arraycontains": parent}),
        })

    raw = None
    if decision["raw_sha256"] and raws:
        raw = raws[0]
        raw["original"] = original_document(raw.pop("body"), raw.pop("document_html"), raw["content_type"])
        raw["row_url"] = datasette.urls.row(database, "raw_documents", tilde_encode(raw["sha256"]))

    return {
        "decision": decision,
        "categories": json.loads(decision["categories"] or "[]"),
        "review_notes": json.loads(decision.get("review_notes") or "[]"),
        "parties": parties,
        "articles": articles,
        "cited": cited,
        "groups": groups,
        "raw": raw,
    }


@hookimpl
def extra_template_vars(view_name, database, table, request, datasette):
    if view_name != "row" or table != "decisions" or request is None or "pks" not in request.url_vars:
        return {}

    async def inner():
        pk_values = urlsafe_components(request.url_vars["pks"])
        if len(pk_values) != 1:
            return {}
        return {"regkb_decision": await decision_page(datasette, database, pk_values[0])}

    return inner

"""A database with regulatory texts for the web tests (tests/web/test_texts.py, test_browser.py): a copy of the demo
build when it holds them (db/shape.py's texts, text_versions, articles, clauses, text_citations and the citations'
links, db/links.py), with the one assembled citation below if the build flags none; else the demo build with those
tables added here in the same shape, from real documents:

* the four laws of ``tests/fixtures/real/laws/`` (copies of ../shared/corpus/laws/: NFRA-879932
  中华人民共和国银行业监督管理法, NFRA-879929 商业银行法, NFRA-879931 保险法, NFRA-1199538 反洗钱法: NFRA's pages as
  worldwidelaw/legal-sources stored them), split into 条 at
  each line that is one article's number, chapters at 第N章 (a chapter's name broken over two lines joined), versions
  from the preamble (通过 / 修正 / 修订 with their dates); the first version in force from the date its last article
  says (本法自2004年2月1日起施行), each later one from its own date: an approximation, the linking's is db/links.py;
* one notice: ``tests/fixtures/real/csrc/sample_09_announcement_7628225.json`` (中国证券监督管理委员会公告〔2026〕8号,
  《上市公司董事会秘书监管规则》, 2026-04-21), its category 证券期货市场 assigned here, the laws it names
  (《证券法》第一百八十一条 …) read from its text;
* the demo's own citations linked to those laws by name, article and date (linked, law_only, article_missing, version_missing,
  law_unknown), plus ONE ASSEMBLED citation: 《中华人民共和国银行业监督管理法》第一百八十条 added to the real decision
  nfra:9000003 (the law has 52 articles), the case the issue names, so the flagged display is seen.
"""

from __future__ import annotations

import atexit
import functools
import itertools
import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from db.search import segment
from nlp.fields.legal_basis import canonical_law
from tests.conftest import REAL, demo_database

CORPUS = REAL   # the shared corpus's files these read, copied (tests/fixtures/real/README.md)
LAWS = ["NFRA-879932", "NFRA-879929", "NFRA-879931", "NFRA-1199538"]   # REAL / "laws"
NOTICE = "csrc/sample_09_announcement_7628225.json"
ASSEMBLED = ("nfra:9000003", "中华人民共和国银行业监督管理法", "第一百八十条")
TABLES = ("texts", "text_versions", "articles", "clauses", "text_citations")

_DIGITS = "零一二三四五六七八九"
_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零]+)条$")
_CHAPTER = re.compile(r"^第[一二三四五六七八九十]+章")
_VERSION = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日.*?(通过|修正|修订)")


def chinese_number(text: str) -> int:
    """第四十六条's 四十六 → 46 (up to 999)."""
    total, current = 0, 0
    for character in text:
        if character == "百":
            total += (current or 1) * 100
            current = 0
        elif character == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS.index(character)
    return total + current


def _date(match) -> str:
    return f"{int(match[0]):04d}-{int(match[1]):02d}-{int(match[2]):02d}"


def split_law(text: str) -> tuple[list[dict], list[dict]]:
    """(articles, versions) of a law as NFRA's page gives it: one article number a line, its 款 on the lines after."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if _ARTICLE.match(line))
    preamble = "".join(lines[:first])
    versions = [{"label": m[4], "date": _date(m.groups()), "note": m.group(0)} for m in _VERSION.finditer(preamble)]
    articles, chapter, chapter_open = [], None, False
    for line in lines:
        if _CHAPTER.match(line):
            chapter, chapter_open = line, True
        elif _ARTICLE.match(line):
            articles.append({"number": chinese_number(_ARTICLE.match(line)[1]), "article": line, "chapter": chapter,
                             "paragraphs": []})
            chapter_open = False
        elif chapter_open and len(line) <= 4:
            chapter += line   # 「第一章　总」「则」
        elif articles:
            articles[-1]["paragraphs"].append(line)
    return articles, versions


def _spans(versions: list[dict], articles: list[dict]) -> None:
    """Each version in force from its date, the one before the date the last article names (本法自…起施行) from that
    date instead; until the next."""
    for version in versions:
        version["effective_from"] = version["date"]
    start = re.search(r"自\s*(\d{4})年(\d{1,2})月(\d{1,2})日起施行", "".join(articles[-1]["paragraphs"]))
    if start:
        day = _date(start.groups())
        earlier = [version for version in versions if version["date"] <= day]
        if earlier:
            earlier[-1]["effective_from"] = day
    for version, following in itertools.pairwise(versions):
        version["effective_to"] = following["effective_from"]
    versions[-1]["effective_to"] = None


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript("""
        create table texts (text_id text primary key, source text, doc_id text, kind text, title text, name text,
            issuer text, document_no text, publish_date text, effective_date text, status text, url text,
            raw_sha256 text, body text, categories text, article_count integer);
        create table text_versions (version_id text primary key, text_id text, name text, ordinal integer,
            label text, date text, effective_from text, effective_to text, note text);
        create table articles (article_id text primary key, text_id text, name text, number integer, article text,
            chapter text, text text, effective_from text, effective_to text);
        create table clauses (clause_id text primary key, article_id text, label text, text text);
        create table text_citations (text_citation_id text primary key, text_id text, law text, article text,
            text_id_cited text, article_id text);
        alter table citations add column text_id text;
        alter table citations add column article_id text;
        alter table citations add column link text;
        create virtual table texts_fts using fts5(title, name, document_no, body, content="texts",
            tokenize='unicode61 remove_diacritics 2');
    """)


def _load_law(connection: sqlite3.Connection, doc_id: str) -> None:
    record = json.loads((CORPUS / "laws" / f"{doc_id}.json").read_text())
    articles, versions = split_law(record["text"])
    _spans(versions, articles)
    text_id = f"nfra_texts:{doc_id.removeprefix('NFRA-')}"
    name = record["title"]
    current = versions[-1]
    connection.execute("insert into texts values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        text_id, "nfra_texts", doc_id.removeprefix("NFRA-"), "law", record["title"], name, "全国人民代表大会常务委员会",
        None, record["date"], current["effective_from"], "现行有效", record["url"], None, record["text"], "[]",
        len(articles)])
    for ordinal, version in enumerate(versions, 1):
        connection.execute("insert into text_versions values (?,?,?,?,?,?,?,?,?)", [
            f"{text_id}/{ordinal}", text_id, name, ordinal, version["label"], version["date"],
            version["effective_from"], version["effective_to"], version["note"]])
    for article in articles:
        article_id = f"{text_id}/{article['number']}"
        connection.execute("insert into articles values (?,?,?,?,?,?,?,?,?)", [
            article_id, text_id, name, article["number"], article["article"], article["chapter"],
            "\n".join(article["paragraphs"]), current["effective_from"], None])
        k = i = 0
        for paragraph in article["paragraphs"]:   # （一） … are the 项 of the 款 before them
            if paragraph.startswith("（") and k:
                i += 1
                clause_id, label = f"{article_id}/{k}/{i}", f"第{_chinese(k)}款第{_chinese(i)}项"
            else:
                k, i = k + 1, 0
                clause_id, label = f"{article_id}/{k}", f"第{_chinese(k)}款"
            connection.execute("insert into clauses values (?,?,?,?)", [clause_id, article_id, label, paragraph])


def _chinese(number: int) -> str:
    return _DIGITS[number] if number < 10 else "十" + (_DIGITS[number - 10] if number > 10 else "")


def _load_notice(connection: sqlite3.Connection) -> None:
    record = json.loads((CORPUS / NOTICE).read_text())
    text_id = f"csrc_texts:{record['manuscriptId']}"
    body = record["text"]
    connection.execute("insert into texts values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        text_id, "csrc_texts", record["manuscriptId"], "announcement", record["title"].split("】")[-1].strip("《》"),
        "上市公司董事会秘书监管规则", "中国证券监督管理委员会", "中国证券监督管理委员会公告〔2026〕8号", "2026-04-21",
        "2026-05-24", "现行有效", record["url"], None, body, json.dumps(["证券期货市场"], ensure_ascii=False), 0])
    named, n = set(), 0
    for law, article in re.findall(r"《([^》]{2,40})》(第[一二三四五六七八九十百零]+条)?", body.replace("\n", "")):
        law = canonical_law(law)
        if law.startswith("中华人民共和国") and (law, article) not in named:
            named.add((law, article))
            n += 1
            connection.execute("insert into text_citations values (?,?,?,?,?,?)",
                               [f"{text_id}/{n}", text_id, law, article or None, None, None])


def _link(connection: sqlite3.Connection) -> None:
    connection.execute("insert into citations (citation_id, decision_id, ordinal, law, article, decision_date)"
                       " select decision_id || '/assembled', decision_id, 99, ?, ?, decision_date from decisions"
                       " where decision_id = ?", [ASSEMBLED[1], ASSEMBLED[2], ASSEMBLED[0]])
    texts = dict(connection.execute("select name, text_id from texts where kind = 'law'").fetchall())
    for citation_id, law, article, date in connection.execute(
            "select citation_id, law, article, decision_date from citations").fetchall():
        text_id = texts.get(law)
        if text_id is None:
            link, article_id = "law_unknown", None
        elif article is None:
            link, article_id = "law_only", None
        else:
            held = connection.execute("select article_id, effective_from from articles where text_id = ?"
                                      " and article = ?", [text_id, article]).fetchone()
            if held is None:
                link, article_id = "article_missing", None
            elif date and date < held[1]:
                link, article_id = "version_missing", None   # the words held came into force after the decision
            else:
                link, article_id = "linked", held[0]
        connection.execute("update citations set text_id = ?, article_id = ?, link = ? where citation_id = ?",
                           [text_id, article_id, link, citation_id])


def _index(connection: sqlite3.Connection) -> None:
    rows = connection.execute("select rowid, title, name, document_no, body from texts").fetchall()
    connection.executemany("insert into texts_fts(rowid, title, name, document_no, body) values (?,?,?,?,?)",
                           [(row[0], *(segment(value) for value in row[1:])) for row in rows])


def holds_texts(db: Path) -> bool:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
        return all(name in names for name in TABLES) and \
            connection.execute("select count(*) from texts where name = ?", [ASSEMBLED[1]]).fetchone()[0] > 0
    finally:
        connection.close()


def _flag_one(connection: sqlite3.Connection) -> None:
    """The assembled citation beyond the law's last article, flagged as db/links.py flags one, when the build has
    none of its own; and the notice's category (证券期货市场) when the build gives it none."""
    notice = f"csrc_texts:{json.loads((CORPUS / NOTICE).read_text())['manuscriptId']}"
    connection.execute("update texts set categories = ? where text_id = ? and coalesce(categories, '[]') = '[]'",
                       [json.dumps(["证券期货市场"], ensure_ascii=False), notice])
    if connection.execute("select count(*) from citations where link = 'article_missing'").fetchone()[0]:
        return
    text_id = connection.execute("select text_id from texts where name = ? order by effective_date desc",
                                 [ASSEMBLED[1]]).fetchone()[0]
    connection.execute("insert into citations (citation_id, decision_id, ordinal, law, article, decision_date,"
                       " text_id, article_id, link) select decision_id || '/assembled', decision_id, 99, ?, ?,"
                       " decision_date, ?, null, 'article_missing' from decisions where decision_id = ?",
                       [ASSEMBLED[1], ASSEMBLED[2], text_id, ASSEMBLED[0]])


@functools.cache
def texts_database() -> Path:
    """A copy of the demo build with one citation beyond a law's last article (_flag_one) if it holds the texts;
    else with the texts added as the docstring says."""
    demo = demo_database()
    real = holds_texts(demo)
    folder = Path(tempfile.mkdtemp(prefix="regkb-texts-"))
    atexit.register(shutil.rmtree, folder, True)
    copy = folder / "regkb.db"
    shutil.copy(demo, copy)
    connection = sqlite3.connect(copy)
    try:
        if real:
            _flag_one(connection)
        else:
            _create(connection)
            for doc_id in LAWS:
                _load_law(connection, doc_id)
            _load_notice(connection)
            _link(connection)
            _index(connection)
        connection.commit()
    finally:
        connection.close()
    return copy

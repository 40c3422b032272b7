"""Assemble the bundled NERIS demo corpus (sources/neris/demo/) from real material; its README says what is real and
what assembled, from which files.

    .venv/bin/python tools/assemble_neris_demo.py [--shared PATH]

- regulations/{id}.json: the answer of ``rdqsHeader/lawlist`` in the shape the public crawler reads (its parser.py):
  the text of a real CSRC rule, shared/corpus/csrc/detail_regulation_3.html (北京证券交易所上市公司持续监管办法（试行）),
  its chapters as entries and its articles as their items (the crawler README's example: an entry 「第一章 总则」
  holding items), each paragraph of the page a <p> of the entry's or item's cntnt;
- writs/{id}.html: the ``lawWritInfo`` page of two real CSRC decisions (sources/csrc/demo/decisions/7491800.txt,
  7474964.txt) with the elements the crawler's writ_parser.py reads: label cells, the text in pre.pre_law, and
  the article links, which are exactly the articles each decision's own 依据 sentence names (WRITS, read by hand);
- lists/{lawType}.json: every row of ``rdqsHeader/informationController`` for lawType 1 and 2 (the mirror pages them).

Standard library only; the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from assembly import DEFAULT_SHARED, REPO_ROOT

OUT = REPO_ROOT / "sources" / "neris" / "demo"
DECISIONS = REPO_ROOT / "sources" / "csrc" / "demo" / "decisions"
BEIJING = timezone(timedelta(hours=8))

# The ids are regkb's: no NERIS id of these texts was recorded (README.md).
RULE = {"file": "csrc/detail_regulation_3.html", "id": "regkb-demo-law-order-189",
        "fileno": "证监会令第189号", "issuer": "中国证券监督管理委员会", "published": "2021-10-30",
        "effective": "2021-11-15", "status": "1"}
SECURITIES_LAW, BAN_185, BAN_115 = ("regkb-demo-law-securities-law", "regkb-demo-law-order-185",
                                    "regkb-demo-law-order-115")
LAW_NAMES = {SECURITIES_LAW: "中华人民共和国证券法", BAN_185: "证券市场禁入规定", BAN_115: "证券市场禁入规定"}
# Each writ's links, read by hand from its decision's 依据 sentence (the articles only: NERIS links 条, not 款 or 项):
# 7491800: 「依据《证券法》第二百二十一条和《证券市场禁入规定》(证监会令第185号)第三条第一项、第七条第一款的规定」
# 7474964: 「依据《证券法》第二百二十一条和《证券市场禁入规定》(证监会令第115号)第三条、第五条第六项的规定」
WRITS = [
    {"manuscript": "7491800", "id": "regkb-demo-writ-7491800", "number": "〔2024〕10号",
     "links": [(SECURITIES_LAW, "第二百二十一条"), (BAN_185, "第三条"), (BAN_185, "第七条")]},
    {"manuscript": "7474964", "id": "regkb-demo-writ-7474964", "number": "〔2024〕8号",
     "links": [(SECURITIES_LAW, "第二百二十一条"), (BAN_115, "第三条"), (BAN_115, "第五条")]},
]
WRIT_ISSUER = "中国证券监督管理委员会"
_CHAPTER = re.compile(r"^第[一二三四五六七八九十百]+章")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百]+条")


def milliseconds(day: str) -> int:
    """A date as the site gives it: milliseconds since 1970 of its midnight at Beijing time."""
    return int(datetime.fromisoformat(day).replace(tzinfo=BEIJING).timestamp() * 1000)


def page_lines(page: str) -> list[str]:
    """The paragraphs of the 规章库 page's div.content-body, as its markup gives them (one <p> or <h3> each)."""
    body = page[page.index('class="content-body"'):]
    body = body[:body.index("</div>")]
    lines = []
    for paragraph in re.findall(r"<(?:p|h3)\b[^>]*>(.*?)</(?:p|h3)>", body, re.S):
        text = html.unescape(re.sub(r"<[^>]+>", "", paragraph)).replace("\xa0", " ").strip()
        if text:
            lines.append(text)
    return lines


def regulation_answer(shared: Path) -> dict:
    lines = page_lines((shared / RULE["file"]).read_text(encoding="utf-8"))
    title, history, rest = lines[0], lines[1], lines[2:]
    entries: list[dict] = []
    for line in rest:
        if _CHAPTER.match(line):
            entries.append({"secFutrsLawEntryId": f"{RULE['id']}-entry-{len(entries) + 1}", "title": line,
                            "cntnt": "", "itemList": []})
        elif _ARTICLE.match(line) or not entries[-1]["itemList"]:
            items = entries[-1]["itemList"]
            items.append({"secFutrsLawEntryId": f"{entries[-1]['secFutrsLawEntryId']}-{len(items) + 1}",
                          "title": "", "cntnt": f"<p>{html.escape(line, quote=False)}</p>"})
        else:   # a 款 of the article before
            entries[-1]["itemList"][-1]["cntnt"] += f"<p>{html.escape(line, quote=False)}</p>"
    law = {"secFutrsLawId": RULE["id"], "secFutrsLawName": title, "fileno": RULE["fileno"],
           "lawPubOrgName": RULE["issuer"], "pubDate": milliseconds(RULE["published"]),
           "efctvDate": milliseconds(RULE["effective"]), "inefctvDate": None, "lawAthrtyStsCde": RULE["status"],
           "bodyAgoCntnt": f"<p>{html.escape(history, quote=False)}</p>", "bodyAftCntnt": ""}
    return {"lawlist": {"law": law, "lawEntryVOs": entries}}


def decision(manuscript: str) -> tuple[dict[str, str], list[str]]:
    """A demo decision's header (title, date, url) and its paragraphs."""
    header, lines = {}, []
    for line in (DECISIONS / f"{manuscript}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(": ")
            header[key] = value
        elif line.strip():
            lines.append(line)
    return header, lines


def decided(lines: list[str]) -> str:
    """The decision's own date, the last line's (「2024年4月24日」): the writ's 发文日期 (its page gives the day it
    was published, a day later)."""
    year, month, day = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lines[-1].strip()).groups()
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def writ_page(writ: dict) -> str:
    header, lines = decision(writ["manuscript"])
    cell = lambda label, value: f'<td class="table_bg">{label}</td><td>{value}</td>'   # noqa: E731
    link = f'<a href="{html.escape(header["url"])}" target="_blank">{html.escape(header["url"])}</a>'
    laws = dict.fromkeys(law for law, _ in writ["links"])
    law_links = "".join(f"<a href=\"javascript:void(0)\" onclick=\"lawInfo('{law}')\">{LAW_NAMES[law]}</a>"
                        for law in laws)
    entry_links = "".join(
        f"<a href=\"javascript:void(0)\" onclick=\"entryInfo('{law}','{law}-{article}')\">{article}</a>"
        for law, article in writ["links"])
    return ("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>执法文书</title>\n</head>\n<body>\n"
            "<table>\n"
            f"<tr>{cell('文件名称', html.escape(header['title']))}{cell('文号', writ['number'])}</tr>\n"
            f"<tr>{cell('发文日期', decided(lines))}{cell('发文单位', WRIT_ISSUER)}</tr>\n"
            f"<tr>{cell('原文链接', link)}</tr>\n"
            "</table>\n"
            f"<div>{law_links}</div>\n<div>{entry_links}</div>\n"
            f"<pre class=\"pre_law\">{html.escape(chr(10).join(lines), quote=False)}</pre>\n"
            "</body>\n</html>\n")


def writ_row(writ: dict) -> dict:
    header, lines = decision(writ["manuscript"])
    return {"lawWritId": writ["id"], "name": header["title"], "fileno": writ["number"], "issueOrgName": WRIT_ISSUER,
            "dsptDate": milliseconds(decided(lines)), "linkAddr": header["url"]}


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    shared = parser.parse_args().shared
    answer = regulation_answer(shared)
    law = answer["lawlist"]["law"]
    write(OUT / "regulations" / f"{RULE['id']}.json", json.dumps(answer, ensure_ascii=False, indent=1) + "\n")
    rows = {"1": [{key: law[key] for key in ("secFutrsLawId", "secFutrsLawName", "fileno", "lawPubOrgName",
                                             "pubDate")}],
            "2": [writ_row(writ) for writ in WRITS]}
    for writ in WRITS:
        write(OUT / "writs" / f"{writ['id']}.html", writ_page(writ))
    for law_type, listed in rows.items():
        write(OUT / "lists" / f"{law_type}.json", json.dumps(listed, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()

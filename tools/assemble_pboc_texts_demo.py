"""Assemble the bundled demo corpus of the PBOC's 法律法规 lists (sources/pboc_texts/demo/) from real parts (its
README says what is real and what assembled, from which files).

    .venv/bin/python tools/assemble_pboc_texts_demo.py [--shared PATH]

- the texts: sources/pboc_texts/demo/recorded/*.json, each a text as a third party stored it from its page
  (title, date, address, the text one tag of the page a line), each line a paragraph of the page's #zoom;
- the four list pages: a row per text (font.newslist_style > a + span.hui12, as the public scrapers read the rows)
  above the real CMS pager of shared/corpus/pboc/tianjin_penalty_list_fragment_2018.html, its counts and module id
  set for the list.

Standard library only; the same inputs give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from assembly import REPO_ROOT, AssemblyError, command

OUT = REPO_ROOT / "sources" / "pboc_texts" / "demo"
PAGER_FILE = "pboc/tianjin_penalty_list_fragment_2018.html"

# the four lists: (list id, its column's name, the paging code the public scrapers record for it)
LISTS = [("144951", "法律", "21885"), ("144953", "行政法规", "21888"), ("144957", "人民银行令", "21892"),
         ("3581332", "规范性文件", "3b3662a6")]
# a stored title the list cut ("…的...") and the page's own, completed from the text's words (demo/README.md)
PAGE_TITLES = {"2026041514283057907": "中国人民银行 国家外汇管理局关于调整银行业金融机构境外贷款业务有关事宜的通知"}
HEAD = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'


def real_pager(fragment: str) -> str:
    """The pager cell of the recorded list fragment: the td around td.Normal and the article_paging_list_hidden input."""
    found = re.search(r'<td style="line-height: 25px;.*?totalpage="\d+" /></td>', fragment, re.DOTALL)
    if not found:
        raise AssemblyError(f"{PAGER_FILE}: no pager cell (td.Normal … article_paging_list_hidden)")
    return found[0]


def pager(shell: str, *, rows: int, code: str) -> str:
    """The real pager with this list's counts (one page) and module id."""
    out, count = re.subn(r"共\d+条", f"共{rows}条", shell)
    out, pages = re.subn(r'moduleid="\d+" modulekey="\d+"', f'moduleid="{code}" modulekey="{code}"', out)
    if count != 1 or pages != 1:
        raise AssemblyError("the recorded pager has not exactly one 共N条 and one moduleid")
    return out


def list_page(column: str, rows: list[dict], shell: str, code: str) -> str:
    cells = "".join(
        f'<tr><td height="22" align="left"><font class="newslist_style"><a href="{html.escape(row["path"])}" '
        f'target="_blank" title="{html.escape(row["title"])}">{html.escape(row["title"], quote=False)}</a></font> '
        f'<span class="hui12">{row["date"]}</span></td></tr>\n' for row in rows)
    return (f"{HEAD}<title>{column}</title></head><body>\n"
            f'<table width="100%" border="0" cellpadding="0" cellspacing="0"><tbody>\n{cells}'
            f"<tr>{pager(shell, rows=len(rows), code=code)}</tr>\n</tbody></table>\n</body></html>\n")


def text_page(title: str, date: str, lines: list[str]) -> str:
    paragraphs = "".join(f"<p>{html.escape(line, quote=False)}</p>\n" for line in lines if line.strip())
    return (f'{HEAD}<title>{html.escape(title, quote=False)}</title><meta name="PubDate" content="{date}"></head>'
            f'<body>\n<table width="100%"><tbody><tr><td class="content"><div id="zoom">\n{paragraphs}</div></td></tr>'
            f"</tbody></table>\n</body></html>\n")


def assemble(shared: Path) -> dict[str, int]:
    shell = real_pager((shared / PAGER_FILE).read_text(encoding="utf-8"))
    site = OUT / "site"
    shutil.rmtree(site, ignore_errors=True)
    rows: dict[str, list[dict]] = {list_id: [] for list_id, _, _ in LISTS}
    for path in sorted((OUT / "recorded").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        page = urlsplit(record["url"]).path
        found = re.fullmatch(r"/tiaofasi/144941/(\d+)/(\d+)/index\.html", page)
        if not found or found[1] not in rows or f"PBOC-{found[2]}" != record["_id"]:
            raise AssemblyError(f"{path.name}: its url {record['url']} is not a text of the four lists")
        doc_id = found[2]
        title = PAGE_TITLES.get(doc_id, record["title"])
        target = site / page.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text_page(title, record["date"], record["text"].split("\n")), encoding="utf-8")
        rows[found[1]].append({"path": page, "title": record["title"], "date": record["date"]})
    for list_id, column, code in LISTS:
        listed = sorted(rows[list_id], key=lambda row: (row["date"], row["path"]), reverse=True)   # newest first
        target = site / "tiaofasi" / "144941" / list_id / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(list_page(column, listed, shell, code), encoding="utf-8")
    return {column: len(rows[list_id]) for list_id, column, _ in LISTS}


def main(argv: list[str] | None = None) -> int:
    return command(assemble, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

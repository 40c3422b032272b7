"""Assemble the bundled demo CSRC site from real material (see sources/csrc/demo/README.md for what is real and what assembled).

    .venv/bin/python tools/assemble_csrc_demo.py [--shared PATH]

Reads ``csrc/decisions/{manuscriptId}.txt`` (real decision texts, with their title, date and address),
``csrc/measures/{manuscriptId}.txt`` (a supervisory measure assembled from a real report) and the real CSRC page head
of the shared corpus, and writes ``csrc/site/`` (each decision's page at its real path; a decision whose header says
``published: pdf`` as a page linking its text written into a PDF), ``csrc/lists/{channel_id}.json`` (what searchList
answers for the demo sites' channels) and ``csrc/columns.json`` (what getLocalList answers for their column codes).
The PDF needs python-docx and LibreOffice (``soffice``), as tools/assemble_pboc_demo.py's do; everything else is the
standard library, and the same inputs give the same bytes (LibreOffice stamps the PDF with the time it wrote it).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from assembly import REPO_ROOT, AssemblyError, command

OUT = REPO_ROOT / "sources" / "csrc" / "demo"
HEAD_FILE = "csrc/detail_regulation_1.html"

# The demo sites' channels (sources/csrc/source.yaml): the head office's 行政处罚决定, 市场禁入决定, 行政监管措施 and
# 广东证监局's 行政处罚决定, 市场禁入决定, 行政监管措施.
PENALTY_CHANNEL, BAN_CHANNEL = "17d5ff2fe43e488dba825807ae40d63f", "3795869930ca4b70bf55469270a6e641"
MEASURE_CHANNEL = "3ff8b60a78ab4c749387d99b9164ec6e"
GUANGDONG = {"02a93424320e46dea2631da827f96174": "行政处罚决定", "45c4bd0b8818479a9a55f7d68ddf1d64": "市场禁入决定",
             "29a1328dc824498b89eae8e63c38837f": "行政监管措施"}
COLUMN = {PENALTY_CHANNEL: "行政处罚决定", BAN_CHANNEL: "市场禁入决定", MEASURE_CHANNEL: "行政监管措施", **GUANGDONG}
# What getLocalList answers for the column codes source.yaml pairs with a channel: the column's own level
# (channelCode, channelId, channelName, staticUrl, as the site's list script and RSSHub read it; the names are the
# columns' as RSSHub lists them). The levels above it (政府信息公开 …) are left out: their channel ids were not recorded.
COLUMNS = {
    "c101971": (PENALTY_CHANNEL, "行政处罚决定", "/csrc/c101971/zfxxgk_zdgk.shtml"),
    "c101972": (BAN_CHANNEL, "市场禁入决定", "/csrc/c101972/zfxxgk_zdgk.shtml"),
    "c105955": (MEASURE_CHANNEL, "监管措施", "/csrc/c105955/zfxxgk_zdgk.shtml"),
    "c104558": ("02a93424320e46dea2631da827f96174", "行政处罚决定", "/guangdong/c104558/zfxxgk_zdgk.shtml"),
}


def read_decision(path: Path) -> dict:
    header, paragraphs = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            key, _, value = line[2:].partition(": ")
            header[key] = value
        elif line.strip():
            paragraphs.append(line)
    missing = {"title", "date", "url"} - set(header)
    if missing:
        raise AssemblyError(f"{path.name}: no {', '.join(sorted(missing))} line")
    return {**header, "id": path.stem, "paragraphs": paragraphs}


def page_head(real_head: str, decision: dict, column: str) -> str:
    """The real page head with this page's column, title and date (the values the CMS fills per page)."""
    head = real_head
    published = f"{decision['date']} 00:00:00"
    for name in ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"):
        head, count = re.subn(rf'<meta name="{name}" content="[^"]*"', f'<meta name="{name}" content="{column}"', head)
        if count != 1:
            raise AssemblyError(f"the real head has not exactly one {name}")
    replacements = [
        (r'<meta name="ArticleTitle" content="[^"]*"', f'<meta name="ArticleTitle" content="{html.escape(decision["title"])}"'),
        (r'<meta name="PubDate" content="[^"]*"', f'<meta name="PubDate" content="{published}"'),
        (r'<meta name="ContentSource" content="[^"]*"', '<meta name="ContentSource" content=""'),
        (r'<meta name="others" content="[^"]*"', f'<meta name="others" content="页面生成时间 {published}"'),
        (r"<title>[^<]*</title>", f"<title>{html.escape(decision['title'])}_中国证券监督管理委员会</title>"),
    ]
    for pattern, new in replacements:
        head, count = re.subn(pattern, new, head)
        if count != 1:
            raise AssemblyError(f"the real head has not exactly one {pattern}")
    return head


def file_path(decision: dict) -> str | None:
    """Where a decision published as a file keeps it, relative to its page as the CMS writes it
    (``{manuscriptId}/files/{name}.pdf``, as on the real regulation pages of shared/corpus/csrc/)."""
    if decision.get("published") != "pdf":
        return None
    return f"{decision['id']}/files/{decision['title']}（{decision['paragraphs'][0]}）.pdf"


def page_body(decision: dict) -> str:
    """The head office's 政府信息公开 detail layout: the xxgk-table, the title, the text in div.detail-news (or, for
    a decision published as a file, a link to it there)."""
    published_ms = int(datetime.fromisoformat(decision["date"]).replace(tzinfo=timezone.utc).timestamp() * 1000)
    attached = file_path(decision)
    if attached:
        name = html.escape(attached.rsplit("/", 1)[-1])
        paragraphs = f'<p style="text-indent: 2em;"><a href="{html.escape(attached)}">{name}</a></p>'
    else:
        paragraphs = "\n".join(f'<p style="text-indent: 2em;">{html.escape(p)}</p>' for p in decision["paragraphs"])
    title = html.escape(decision["title"])
    return f"""<body>
<div class="main"><div class="content">
  <div class="xxgk-table"><table><tbody>
    <tr><th>索  引  号</th><td></td><th>分        类</th><td></td></tr>
    <tr><th>发布机构</th><td></td><th>发文日期</th><td><input class="fwrq" type="hidden" value='{published_ms}'/><span id="fwrqBox"></span></td></tr>
    <tr><th>名        称</th><td colspan="3">{title}</td></tr>
    <tr><th>文        号</th><td></td><th>主  题  词</th><td></td></tr>
  </tbody></table></div>
  <h2>{title}</h2>
  <div class="detail-news">
{paragraphs}
     <div  id="files" style="display: none"></div>
  </div>
</div></div>
<script src="/csrc/xhtml/js/xxgkDetail.js"></script>
</body>
</html>
"""


def list_result(decision: dict) -> dict:
    """One searchList result, with the fields the site's lists read."""
    published = datetime.fromisoformat(decision["date"]).replace(tzinfo=timezone.utc)
    url = urlsplit(decision["url"])
    return {"title": decision["title"], "url": f"//{url.netloc}{url.path}",
            "publishedTime": int(published.timestamp() * 1000),
            "publishedTimeStr": f"{decision['date']} 00:00:00",
            "manuscriptId": int(decision["id"]),
            "memo": "\n".join(decision["paragraphs"][:2]),
            # the files a result lists (RSSHub's gov/csrc routes read filePath and fileName)
            **({"resList": [{"fileName": attached.rsplit("/", 1)[-1],
                             "filePath": url.path.rsplit("/", 1)[0] + "/" + attached}]}
               if (attached := file_path(decision)) else {})}


def decision_pdf(decision: dict) -> bytes:
    """The decision's text as a Word document (python-docx, one paragraph a line) turned into a PDF by LibreOffice."""
    import docx

    document = docx.Document()
    for paragraph in decision["paragraphs"]:
        document.add_paragraph(paragraph)
    data = io.BytesIO()
    document.save(data)
    soffice = shutil.which("soffice")
    if soffice is None:
        raise AssemblyError("LibreOffice (soffice) is needed to write the decision published as a PDF")
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "in.docx").write_bytes(data.getvalue())
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", folder, str(Path(folder) / "in.docx")],
                       check=True, capture_output=True, timeout=180)
        return (Path(folder) / "in.pdf").read_bytes()


def assemble(shared: Path) -> dict[str, int]:
    real = (shared / HEAD_FILE).read_text(encoding="utf-8")
    real_head = real[: real.index("</head>") + len("</head>")]
    decisions = [read_decision(path) for folder in ("decisions", "measures")
                 for path in sorted((OUT / folder).glob("*.txt"))]
    site, lists = OUT / "site", OUT / "lists"
    for folder in (site, lists):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    by_channel: dict[str, list[dict]] = {channel: [] for channel in COLUMN}
    for decision in decisions:
        channel = decision.get("channel") or (BAN_CHANNEL if "市场禁入" in decision["title"] else PENALTY_CHANNEL)
        path = site / urlsplit(decision["url"]).path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_head(real_head, decision, COLUMN[channel]) + "\n" + page_body(decision), encoding="utf-8")
        attached = file_path(decision)
        if attached:
            (path.parent / attached).parent.mkdir(parents=True, exist_ok=True)
            (path.parent / attached).write_bytes(decision_pdf(decision))
        by_channel[channel].append(list_result(decision))
    columns = {code: [{"channelCode": code, "channelId": channel, "channelName": name, "staticUrl": url}]
               for code, (channel, name, url) in COLUMNS.items()}
    (OUT / "columns.json").write_text(json.dumps(columns, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for channel, results in by_channel.items():
        results.sort(key=lambda r: (r["publishedTime"], r["manuscriptId"]), reverse=True)   # newest first
        (lists / f"{channel}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8")
    return {"pages": len(decisions), **{f"{COLUMN[c]} ({c[:6]}…)": len(r) for c, r in by_channel.items()}}


def main(argv: list[str] | None = None) -> int:
    return command(assemble, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

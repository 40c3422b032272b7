"""Assemble the bundled demo PBOC site from real source material (see sources/pboc/demo/README.md for what is real and what is
assembled).

    .venv/bin/python tools/assemble_pboc_demo.py [--shared PATH]

Reads ``pboc/records.yaml`` (real published rows) and the real branch list fragment of the shared corpus, and writes
``pboc/site/`` (every file at the path the mirror serves it from) and ``pboc/attachments/`` (the same attachments
under plain names, for tests and `regkb parse`). The office files are written the way a regulator's office writes
them: .docx by python-docx, .xlsx by openpyxl, and .doc, .xls and .pdf by LibreOffice converting those (so they are
real Word 97, BIFF8 and PDF files, not imitations). Needs LibreOffice (``soffice``) and poppler (``pdftoppm``).
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
from pathlib import Path

import yaml
from assembly import REPO_ROOT, AssemblyError, command

OUT = REPO_ROOT / "sources" / "pboc" / "demo"
LIST_FRAGMENT = "pboc/tianjin_penalty_list_fragment_2018.html"

# The real paths of the two sites (research notes in pboc/README.md): 上海分行's penalty list module 14681, paged
# index1.html, index2.html …; the head office's 行政处罚公示 column 4081705 and its two real detail pages.
SHANGHAI_LIST = "/fzhshanghai/113577/114832/114918/14681/index{page}.html"
SHANGHAI_FILES = "/fzhshanghai/resource/cms/2015/06/"
HEAD_OFFICE_LIST = "/zhengwugongkai/4081330/4081344/4081407/4081705/index.html"
HEAD_OFFICE_PAGE = "/zhengwugongkai/4081330/4081344/4081407/4081705/{article}/index.html"


def records() -> dict:
    return yaml.safe_load((OUT / "records.yaml").read_text(encoding="utf-8"))


def tables() -> dict[str, dict]:
    return {table["id"]: table for table in records()["tables"]}


def write_decision_docx(decision: dict) -> bytes:
    """A decision published as text: its number, the party's lines, the facts, the decision, authority and date."""
    import docx

    document = docx.Document()
    for line in [decision["decision_no"], *decision["party_lines"], decision["facts"], decision["decision"],
                 decision["authority"], decision["date"]]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- office files


def merged_runs(values: list[str]) -> list[tuple[int, int]]:
    """(first, last) row ranges of equal consecutive values: the cells a clerk merges down a column."""
    runs, start = [], 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs.append((start, index - 1))
            start = index
    return runs


MERGED_COLUMNS = ("作出行政处罚决定机关名称", "作出行政处罚决定日期")


def write_docx(table: dict, *, landscape: bool = False, title: str | None = None, ruled: bool = True,
               centred: bool = False) -> bytes:
    """The 公示表 as a Word table: the authority and date cells merged down the rows that share them, the header
    row marked to repeat at the top of every page (Word's 标题行重复)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    style = document.styles["Normal"]
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    if title:
        document.add_paragraph(title)
    columns, rows = table["columns"], table["rows"]
    grid = document.add_table(rows=1 + len(rows), cols=len(columns))
    if ruled:
        grid.style = "Table Grid"   # else Word's plain table: no rulings, as some offices print them
    header = grid.rows[0]
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_properties.append(repeat)
    for c, label in enumerate(columns):
        header.cells[c].text = label
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            cell = grid.cell(r, c)
            lines = value.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for name in MERGED_COLUMNS:
        if name not in columns:
            continue
        c = columns.index(name)
        for first, last in merged_runs([row[c] for row in rows]):
            if last > first:
                merged = grid.cell(first + 1, c).merge(grid.cell(last + 1, c))
                merged.text = rows[first][c]
    if centred:   # the cells' text centred vertically, as many clerks set a table
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

        for row in grid.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_xlsx(table: dict, *, title: str | None = None) -> bytes:
    """The 公示表 as a worksheet: a title row merged across, the header, one row per party, the authority and date
    merged down the rows that share them."""
    import openpyxl
    from openpyxl.styles import Alignment

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "公示表"
    columns, rows = table["columns"], table["rows"]
    top = 1
    if title:
        sheet.cell(1, 1, title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        top = 2
    for c, label in enumerate(columns, start=1):
        sheet.cell(top, c, label)
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, int(value) if c == 1 and value.isdigit() else value)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    for name in MERGED_COLUMNS:
        if name not in columns:
            continue
        c = columns.index(name) + 1
        for first, last in merged_runs([row[c - 1] for row in rows]):
            if last > first:
                sheet.merge_cells(start_row=top + 1 + first, start_column=c, end_row=top + 1 + last, end_column=c)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def libreoffice(data: bytes, suffix: str, target: str) -> bytes:
    """Convert with LibreOffice headless: ``target`` is 'doc:MS Word 97', 'xls:MS Excel 97' or 'pdf'."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise AssemblyError("LibreOffice (soffice) is needed to write .doc, .xls and .pdf files")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        source = folder / f"table{suffix}"
        source.write_bytes(data)
        done = subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                               "--convert-to", target, "--outdir", str(folder / "out"), str(source)],
                              check=True, capture_output=True, timeout=180)
        produced = list((folder / "out").iterdir()) if (folder / "out").is_dir() else []
        if len(produced) != 1:
            # soffice answers 0 having written nothing when the module for the format is missing
            raise AssemblyError(f"LibreOffice wrote {len(produced)} files for {target} (a spreadsheet needs the "
                                f"libreoffice-calc package, a document libreoffice-writer): "
                                f"{done.stderr.decode('utf-8', 'replace').strip() or 'it said nothing'}")
        return produced[0].read_bytes()


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` as a Chinese Windows writes one (names in GBK, no UTF-8 flag), dated to the day the
    fixture's list says, so the same inputs give the same bytes."""
    import zipfile

    class GbkName(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = GbkName(name, date_time=(2015, 6, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def scanned(pdf: bytes) -> bytes:
    """The PDF as a scan would come: each page an image at 150 dpi, no text layer (pdftoppm, then Pillow)."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise AssemblyError("poppler (pdftoppm) is needed to write the scanned PDF")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "in.pdf").write_bytes(pdf)
        subprocess.run([pdftoppm, "-r", "150", "-gray", "-png", str(folder / "in.pdf"), str(folder / "page")],
                       check=True, timeout=120)
        pages = [Image.open(path).convert("L") for path in sorted(folder.glob("page-*.png"))]
        out = io.BytesIO()
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
        return out.getvalue()


# --------------------------------------------------------------------------- pages


def list_page(fragment: str, rows: list[dict], *, page: int, total_pages: int, total_rows: int,
              next_url: str | None, module_id: str) -> str:
    """The real branch list fragment with its rows replaced by ours and its pager set for this page."""
    items = re.findall(r"<li class=\"\">.*?</li>", fragment, flags=re.S)
    if len(items) != 10:
        raise AssemblyError(f"the list fragment has {len(items)} rows, expected the recorded 10")
    template = items[0]
    out_rows = []
    for row in rows:
        item = template
        item = re.sub(r'href="[^"]*"', f'href="{html.escape(row["href"])}"', item, count=1)
        item = re.sub(r"recordLinkArticleHits\('\d+'\)", f"recordLinkArticleHits('{row['article']}')", item)
        item = re.sub(r'title="[^"]*"', f'title="{html.escape(row["title"])}"', item, count=1)
        item = re.sub(r'(target="_blank" title="[^"]*">)[^<]*(</a>)', rf"\g<1>{html.escape(row['title'])}\g<2>", item)
        item = re.sub(r">\d{4}-\d{2}-\d{2}<", f">{row['date']}<", item)
        out_rows.append(item)
    start = fragment.index(items[0])
    end = fragment.index(items[-1]) + len(items[-1])
    page_html = fragment[:start] + "\n     ".join(out_rows) + fragment[end:]
    for old, new in ((" 共10条", f" 共{total_rows}条"), (" 分1页", f" 分{total_pages}页"), (" 当前 第1页", f" 当前 第{page}页"),
                     ('moduleid="10983" modulekey="10983" totalpage="1"',
                      f'moduleid="{module_id}" modulekey="{module_id}" totalpage="{total_pages}"')):
        if page_html.count(old) != 1:
            raise AssemblyError(f"the list fragment has not exactly one {old!r}")
        page_html = page_html.replace(old, new)
    # On a page before the last, 下一页 carries the next page's address in tagname; on the last, the placeholder.
    if next_url:
        page_html = page_html.replace('<a tagname="[NEXTPAGE]"', f'<a tagname="{next_url}"')
    return page_html


def head_office_list(entries: list[dict]) -> str:
    """The head office's 行政处罚公示 list, from the parts of the real page the research notes quote."""
    items = "".join(
        f'<li><a href="{e["href"]}" target="_blank" title="{html.escape(e["title"])}" istitle="true">'
        f'{html.escape(e["title"])}</a><span class="date">{e["date"]}</span></li>\n' for e in entries)
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>行政处罚公示 </title>'
            '<meta name="ColumnName" content="行政处罚公示" ></head><body>\n'
            f'<div opentype="page"> <ul class="txtlist">\n{items}</ul>\n'
            '<input type="hidden" name="article_paging_list_hidden" moduleid="d80f41dc52fb4715918b5ec4f8a4f33c" '
            'totalpage="1"></div>\n</body></html>\n')


def html_table(table: dict) -> str:
    cells = lambda row, tag: "".join(  # noqa: E731
        f"<{tag}>" + "".join(f"<p>{html.escape(line)}</p>" for line in value.split("\n")) + f"</{tag}>" for value in row)
    body = "".join(f"<tr>{cells(row, 'td')}</tr>\n" for row in table["rows"])
    return (f'<table border="0" cellspacing="0"><tbody><tr>{cells(table["columns"], "td")}</tr>\n{body}'
            "</tbody></table>")


def head_office_detail(table: dict, published: str, *, attachments: list[tuple[str, str]] = (),
                       inline: bool = True) -> str:
    """A head-office detail page: h3 title, 发布时间, and div#easysiteText holding the table (or its attachments)."""
    y, m, d = published.split("-")
    links = "".join(f'<p><a href="{href}">{html.escape(name)}</a></p>' for href, name in attachments)
    content = html_table(table) if inline else links
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f'<title>{table["title"]} </title><meta name="ColumnName" content="行政处罚公示" >'
            f'<meta name="ArticleTitle" content="{table["title"]}"><meta name="PubDate" content="{published}">'
            '</head><body>\n<div class="content_box" scope="zkhlAisiteArticleContent">\n'
            f'<h3>{table["title"]}</h3>\n<p class="top">发布时间：{y}年{m}月{d}日 </p>\n'
            f'<div class="txt_con" id="easysiteText">\n{content}\n<p></p> </div>\n</div>\n</body></html>\n')


# --------------------------------------------------------------------------- assembly


def assemble(shared: Path) -> dict[str, int]:
    fragment = (shared / LIST_FRAGMENT).read_text(encoding="utf-8")
    known = tables()
    shanghai, ho_2025, ho_2026 = known["shanghai_2015"], known["head_office_2025_31_38"], known["head_office_2026_104_116"]
    site, attachments = OUT / "site", OUT / "attachments"
    for folder in (site, attachments):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    # The Shanghai table in every attachment format a branch publishes.
    title = "中国人民银行上海分行行政处罚信息公示表（20150204、20150528）"
    files: dict[str, bytes] = {}
    files["docx"] = write_docx(shanghai)
    files["xlsx"] = write_xlsx(shanghai, title=title)
    # (by way of .odt: LibreOffice 7.4 drops python-docx's table when it writes Word 97 from a .docx directly)
    files["doc"] = libreoffice(libreoffice(files["docx"], ".docx", "odt"), ".odt", "doc:MS Word 97")
    files["xls"] = libreoffice(files["xlsx"], ".xlsx", "xls:MS Excel 97")
    text_pdf = libreoffice(files["docx"], ".docx", "pdf")
    files["pdf"] = scanned(text_pdf)  # the scan: quarantined as needing OCR
    stored = {kind: f"shanghai_2015_scan.{kind}" if kind == "pdf" else f"shanghai_2015.{kind}" for kind in files}
    # Kingsoft WPS saves .wps in the Word 97 binary format and .et as a BIFF8 workbook: the same bytes as the .doc
    # and .xls, published under Kingsoft's names (the mirror serves them from the one file)
    stored.update({"wps": stored["doc"], "et": stored["xls"]})
    # and the .xlsx zipped under its published name, as branches publish a 公示表 in a .zip
    files["zip"] = zipped({f"{title}.xlsx": files["xlsx"]})
    stored["zip"] = "shanghai_2015.zip"
    for kind, data in files.items():
        (attachments / stored[kind]).write_bytes(data)
    served: dict[str, str] = {}   # a path of the site → the attachment served there
    (attachments / "shanghai_2015_text.pdf").write_bytes(text_pdf)
    unruled = libreoffice(write_docx(shanghai, ruled=False), ".docx", "pdf")
    (attachments / "shanghai_2015_unruled.pdf").write_bytes(unruled)
    centred = libreoffice(write_docx(shanghai, ruled=False, centred=True), ".docx", "pdf")
    (attachments / "shanghai_2015_unruled_centred.pdf").write_bytes(centred)

    # The head office's 2026 table, long enough to run over pages, printed to PDF with its header repeated.
    ho_docx = write_docx(ho_2026, landscape=False)
    ho_pdf = libreoffice(ho_docx, ".docx", "pdf")
    (attachments / "head_office_2026_104_116.docx").write_bytes(ho_docx)
    (attachments / "head_office_2026_104_116.pdf").write_bytes(ho_pdf)
    (attachments / "head_office_2025_31_38.xlsx").write_bytes(write_xlsx(ho_2025))
    for decision in records().get("decisions", []):
        text_docx = write_decision_docx(decision)
        (attachments / f"{decision['id']}.docx").write_bytes(text_docx)
        (attachments / f"{decision['id']}.pdf").write_bytes(libreoffice(text_docx, ".docx", "pdf"))

    # 上海分行's list: two pages in the real branch markup, each row a direct link to an attachment.
    order = ["xlsx", "docx", "xls", "doc", "et", "wps", "pdf", "zip"]
    rows = []
    for number, kind in enumerate(order, start=1):
        name = f"{title}{'-扫描件' if kind == 'pdf' else ''}.{kind}"
        rows.append({"kind": kind, "href": SHANGHAI_FILES + name, "title": name.rsplit(".", 1)[0],
                     "article": str(3_008_200 + number), "date": "2015-06-01"})
        served[SHANGHAI_FILES + name] = f"attachments/{stored[kind]}"
    pages = [rows[:4], rows[4:]]
    headers: dict[str, str] = {}
    for page, page_rows in enumerate(pages, start=1):
        next_url = SHANGHAI_LIST.format(page=page + 1) if page < len(pages) else None
        body = list_page(fragment, page_rows, page=page, total_pages=len(pages), total_rows=len(rows),
                         next_url=next_url, module_id="14681")
        path_name = SHANGHAI_LIST.format(page=page)
        path = site / path_name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if page == 1:
            # served as GB2312, as branch pages can be: the spider must decode by what the answer declares
            path.write_bytes(body.encode("gb18030"))
            headers[path_name] = "text/html; charset=GB2312"
        else:
            path.write_text(body, encoding="utf-8")

    # The head office: its list and two detail pages; the 2026 page links its table as a PDF.
    ho_2025_page = HEAD_OFFICE_PAGE.format(article="5860077")
    ho_2026_page = HEAD_OFFICE_PAGE.format(article="2026092418294123383")
    ho_2026_pdf = ho_2026_page.rsplit("/", 1)[0] + "/银罚决字〔2026〕104-116号.pdf"
    entries = [{"href": ho_2026_page, "title": ho_2026["title"], "date": ho_2026["published"]},
               {"href": ho_2025_page, "title": ho_2025["title"], "date": ho_2025["published"]}]
    for path_name, body in ((HEAD_OFFICE_LIST, head_office_list(entries)),
                            (ho_2025_page, head_office_detail(ho_2025, ho_2025["published"])),
                            (ho_2026_page, head_office_detail(ho_2026, ho_2026["published"], inline=False,
                                                              attachments=[(ho_2026_pdf, "银罚决字〔2026〕104-116号.pdf")]))):
        path = site / path_name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    served[ho_2026_pdf] = "attachments/head_office_2026_104_116.pdf"
    (OUT / "headers.json").write_text(json.dumps(headers, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (OUT / "attachments.json").write_text(json.dumps(served, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {"attachments": len(list(attachments.iterdir())), "site files": sum(1 for p in site.rglob("*") if p.is_file())}


def main(argv: list[str] | None = None) -> int:
    return command(assemble, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())

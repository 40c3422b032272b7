"""Adds to the NFRA demo corpus (sources/nfra/demo/) the decision published only as an attached Word file, and the
empty 行政监管措施 list; run after tools/assemble_nfra_demo.py (which rewrites lists/ and documents/):

    .venv/bin/python -m sources.nfra.demo_files [--shared PATH] [--out PATH]

What is real and what is assembled: sources/nfra/demo/README.md, "The decision published as a file". The output is
the same from run to run (the .docx's timestamps are fixed).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC_ID = 9100004
ITEM = "4115"                 # 监管分局本级: 菏泽 is a sub-bureau (菏泽监管分局)
TITLE = "国家金融监督管理总局菏泽监管分局行政处罚决定书（菏金罚决字〔2023〕26号）"
PUBLISHED = "2023-12-31 00:00:00"      # a placeholder: the text carries no date
FILE_PATH = "/chinese/docfile/2023/heze_2023_26.docx"   # the recorded form /chinese/docfile/{year}/{name}
EMPTY_BODY = re.compile(r"(<!--StartFragment-->).*(<!--EndFragment-->)", re.S)


def docx_of(lines: list[str]) -> bytes:
    """The lines as Word paragraphs, the first centred (the 文号), saved by python-docx with fixed timestamps."""
    from datetime import datetime

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = datetime(2023, 12, 31)
    document.core_properties.author = ""
    for number, line in enumerate(lines):
        paragraph = document.add_paragraph(line)
        if number == 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    raw = io.BytesIO()
    document.save(raw)
    # the zip's member times fixed, so the bytes (and their sha256) are the same from run to run
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            info.date_time = (2023, 12, 31, 0, 0, 0)
            out.writestr(info, source.read(info.filename))
    return fixed.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "sources" / "nfra" / "demo")
    args = parser.parse_args(argv)
    text = (args.shared / "nfra" / "heze_2023_26_condensed_test_string.txt").read_text(encoding="utf-8")
    # the text's own lines, their indentation dropped; the first holds the 文号 and the 当事人 line, split there
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first, _, party = lines[0].partition(" ")
    lines = [first, party, *lines[1:]]
    answer = json.loads((args.shared / "nfra" / "api" / "SelectByDocId_detail_1.json").read_text(encoding="utf-8"))
    data = answer["data"]
    data.update(docId=DOC_ID, docTitle=TITLE, docSubtitle=TITLE, publishDate=PUBLISHED, indexNo=None,
                documentNo="菏金罚决字〔2023〕26号", docSource="国家金融监督管理总局菏泽监管分局",
                listTwoItem=[{"ItemName": "监管分局本级", "ItemID": int(ITEM), "shortLink": None, "ItemLvs": []}],
                docClob=EMPTY_BODY.sub(r"\1\2", data["docClob"]),
                attachmentInfoVOList=[{"attachmentName": "heze_2023_26.docx", "title": TITLE,
                                       "urlOtherName": FILE_PATH}])
    (args.out / "documents" / f"{DOC_ID}.json").write_bytes(
        json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    target = args.out / "files" / FILE_PATH.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(docx_of(lines))
    rows_file = args.out / "lists" / f"{ITEM}.json"
    rows = [row for row in json.loads(rows_file.read_text(encoding="utf-8")) if row["docId"] != DOC_ID]
    row = {"docId": DOC_ID, "docTitle": TITLE, "docSubtitle": TITLE, "publishDate": PUBLISHED + ".0"}
    rows = sorted([*rows, row], key=lambda r: r["publishDate"], reverse=True)
    rows_file.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (args.out / "lists" / "932.json").write_text("[]\n", encoding="utf-8")
    print(f"documents/{DOC_ID}.json, files{FILE_PATH}, lists/{ITEM}.json ({len(rows)} rows), lists/932.json (empty)")


if __name__ == "__main__":
    main()

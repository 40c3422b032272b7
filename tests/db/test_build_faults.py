"""One bad archived file never stops a build: whatever one document does (a truncated PDF, a .docx with broken XML or
a DOCTYPE, an encrypted zip, a lone surrogate in an NFRA field, a workbook declaring a million rows, a table spanning
a million cells, control characters, a missing or changed archive object), it is quarantined with its reason and
every other document is built. These are the faults of the attack, each reproduced first.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import openpyxl
import pytest

from crawler.archive import Archive
from db.build import build
from tests.conftest import demo_corpus, run_regkb

GOOD = demo_corpus("nfra") / "documents" / "9100001.json"    # 津银监罚决字〔2018〕35号, 平安银行: 50万元
ENVELOPE = json.loads(GOOD.read_text(encoding="utf-8"))


def envelope_with(**data) -> bytes:
    answer = json.loads(json.dumps(ENVELOPE))
    answer["data"].update(data)
    return json.dumps(answer, ensure_ascii=True).encode("utf-8")   # \\ud800 stays an escape, as a site can send it


def docx_with(document_xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def huge_sheet() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["当事人名称", "行政处罚决定书文号", "行政处罚内容"])
    sheet.append(["某银行", "上海银罚字[2015]2号", "罚款人民币50万元"])
    sheet.cell(row=1_048_576, column=16_384, value="x")   # the sheet now declares A1:XFD1048576
    for column in range(1, 3000):
        sheet.cell(row=3, column=column, value=str(column))   # and holds 3,000 columns by 3 rows of values
    for row in range(4, 100):
        sheet.cell(row=row, column=1, value="行")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SPAN = "<html><body><table>" + "".join(
    "<tr>" + '<td rowspan="1000" colspan="1000">罚款</td>' * 3 + "</tr>" for _ in range(3)) + "</table></body></html>"

FAULTS = {   # doc id → (bytes, source, what the quarantine must say)
    "pdf9": (b"%PDF-1.4\n", "pboc", "PDF"),
    "bad-xml": (docx_with(b"<w:document><w:body><w:p>"), "pboc", "docx"),
    "doctype": (docx_with(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                          b'<x>&e;</x>'), "pboc", "docx"),
    "encrypted": (b"PK\x03\x04\x14\x00\x01\x00" + b"\x00" * 200, "pboc", "not a format regkb reads"),
    "huge-sheet": (huge_sheet(), "pboc", "not a table regkb reads"),
    "span": (SPAN.encode("utf-8"), "pboc", ""),
}


def archive_of(tmp_path, documents: dict[str, tuple[bytes, str]]) -> Archive:
    archive = Archive(tmp_path / "archive")
    for doc_id, (body, source) in documents.items():
        fetch = archive.store(body, url=f"http://127.0.0.1/{doc_id}", source=source, kind="document",
                              http_status=200, content_type="application/octet-stream", doc_id=doc_id,
                              item_id="4114" if source == "nfra" else "head_office#1")
        archive.judge(fetch.fetch_id, "ok")
    return archive


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("faults")
    documents = {"9100001": (GOOD.read_bytes(), "nfra"),
                 "surrogate": (envelope_with(docId="surrogate", documentNo="津银监罚决字\ud800〔2018〕35号",
                                             docSubtitle="行政处罚信息公开表\x1b[31m",
                                             docClob=ENVELOPE["data"]["docClob"].replace(
                                                 "平安银行股份有限公司", "某\x1b银行\ud800\x00股份有限公司")), "nfra"),
                 **{doc_id: (body, source) for doc_id, (body, source, _) in FAULTS.items()}}
    archive = archive_of(tmp, documents)
    # an object removed, and one changed, after the crawl stored them
    missing = archive.store(b"gone", url="http://127.0.0.1/missing", source="pboc", kind="document", doc_id="missing")
    archive.judge(missing.fetch_id, "ok")
    (tmp / "archive" / "objects" / missing.sha256[:2] / missing.sha256).unlink()
    crawled = GOOD.read_bytes() + b" "
    tampered = archive.store(crawled, url="http://127.0.0.1/tampered", source="nfra", kind="document",
                             doc_id="9100009", item_id="4114")
    archive.judge(tampered.fetch_id, "ok")
    (tmp / "archive" / "objects" / tampered.sha256[:2] / tampered.sha256).write_bytes(
        crawled.replace("平安银行".encode(), "平安银行某".encode()))
    archive.close()
    report = build(tmp / "archive", tmp / "regkb.db")
    db = sqlite3.connect(tmp / "regkb.db")
    return report, db, {"missing": missing.sha256, "tampered": tampered.sha256}


def quarantined(db, doc_id: str) -> str:
    row = db.execute("select stage || ': ' || reason from quarantine where doc_id = ?", [doc_id]).fetchone()
    assert row, f"{doc_id} is not in quarantine"
    return row[0]


def test_the_good_document_is_built_whatever_the_others_are(built):
    report, db, _ = built
    assert db.execute("select decision_no, total_fine_yuan from decisions where doc_id = '9100001'").fetchone() \
        == ("津银监罚决字〔2018〕35号", 500_000.0)


@pytest.mark.parametrize("doc_id", sorted(FAULTS))
def test_each_bad_file_is_quarantined_with_its_reason(built, doc_id):
    _, db, _ = built
    reason = quarantined(db, doc_id)
    assert FAULTS[doc_id][2] in reason, reason
    assert db.execute("select count(*) from raw_documents where doc_id = ?", [doc_id]).fetchone()[0] == 1


def test_a_missing_object_and_a_changed_one_are_quarantined_not_served(built):
    _, db, hashes = built
    assert "missing" in quarantined(db, "missing") and "archive:" in quarantined(db, "missing")
    assert "does not hold the bytes of its sha256" in quarantined(db, "9100009")
    assert db.execute("select count(*) from decisions where raw_sha256 = ?", [hashes["tampered"]]).fetchone()[0] == 0


def test_control_characters_and_lone_surrogates_never_reach_the_database(built):
    _, db, _ = built
    row = db.execute("select d.title, p.name from decisions d join parties p using (decision_id)"
                     " where d.doc_id = 'surrogate'").fetchone()
    assert row == ("行政处罚信息公开表[31m", "某银行股份有限公司")
    for table, column in (("decisions", "title"), ("decisions", "decision_no"), ("parties", "name"),
                          ("raw_documents", "body")):
        texts = [value for (value,) in db.execute(f"select {column} from {table}") if value]
        assert not any(ch in text for text in texts for ch in ("\x1b", "\x00", "\ud800")), (table, column)


def test_parse_refuses_a_table_spanning_a_million_cells_quickly(tmp_path):
    path = tmp_path / "span.html"
    path.write_text(SPAN, encoding="utf-8")
    result = run_regkb("parse", str(path), timeout=60)
    assert result.returncode == 1 and "not a table regkb reads" in result.stderr and str(path) in result.stderr

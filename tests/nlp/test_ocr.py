"""Scans read by OCR (nlp/formats/ocr.py): the demo's scanned 公示表 and four scans made from the same real table
(tests/fixtures/assembled/scans/README.md), each against the table's hand-annotated values; a 文号 OCR cannot read
whole is flagged with where to look, never guessed; a rebuild recognises nothing twice; without the engine a scan is
quarantined with what to install."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
import yaml

from nlp.formats import ocr
from nlp.formats.attachments import read_attachment
from nlp.formats.pdf import NeedsOCR
from nlp.records import Unparseable
from tests.conftest import FIXTURES, REPO, run_regkb

SCAN = REPO / "sources" / "pboc" / "demo" / "attachments" / "shanghai_2015_scan.pdf"
SCANS = FIXTURES / "assembled" / "scans"
# the table's values, as annotated by hand for its .xlsx (tests/gold/dev/pboc_csrc.yaml), and its 文号 as printed
GOLD = next(a for a in yaml.safe_load((REPO / "tests/gold/dev/pboc_csrc.yaml").read_text(encoding="utf-8"))
            if a["path"].endswith("shanghai_2015.xlsx"))
PARTIES = [(p["name"], p["fine_yuan"]) for p in GOLD["parties"]]
NUMBERS = ["上海银罚字[2015]2号", "上海银罚字[2015]3号", "上海银罚字[2015]4号", "上海银罚字[2015]17号",
           "上海银罚字[2015]18号"]

needs_engine = pytest.mark.skipif(ocr.available() is not None,
                                  reason=f"the OCR engine is not here: {ocr.available()}")


def parsed(path) -> list[dict]:
    result = run_regkb("parse", str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)["decisions"]


@needs_engine
def test_the_demo_scan_reads_as_its_table():
    decisions = parsed(SCAN)
    assert [d["decision_no"] for d in decisions] == NUMBERS
    assert [(d["parties"][0]["name"], d["parties"][0]["fine_yuan"]) for d in decisions] == PARTIES
    assert [d["decision_date"] for d in decisions] == ["2015-02-04"] * 3 + ["2015-05-28"] * 2
    assert {d["authority_id"] for d in decisions} == {GOLD["authority_id"]}
    assert all(d["read_by"] == "ocr" and "识别存疑" not in d["review"] for d in decisions)
    assert all(0.80 <= d["ocr_score"] <= 1 for d in decisions)


@needs_engine
@pytest.mark.parametrize("name", ["shanghai_2015_150dpi.png", "shanghai_2015_300dpi.png",
                                  "shanghai_2015_rotated.png", "shanghai_2015_noisy.jpg"])
def test_each_kind_of_scan_reads_as_the_table(name):
    content = read_attachment((SCANS / name).read_bytes(), name)
    assert content.read_by == "ocr" and content.format == "image" and not content.doubts
    grid, = content.grids
    header = [cell.text for cell in grid[0]]
    name_at, number_at, sanction_at = header.index("企业名称"), header.index("处罚决定书文号"), header.index("行政处罚内容")
    assert [row[name_at].text for row in grid[1:]] == [name for name, _ in PARTIES]
    assert [row[number_at].text for row in grid[1:]] == NUMBERS
    assert [row[sanction_at].text for row in grid[1:]] == ["罚款人民币50万元", "罚款人民币98400元", "罚款人民币20万元",
                                                           "罚款人民币1000元", "罚款人民币20万元"]
    # the merged authority cell covers all five rows, as in the printed table
    assert len({row[header.index("作出行政处罚决定机关名称")].key for row in grid[1:]}) == 1


@needs_engine
def test_a_scanned_table_without_rulings_is_read_by_its_alignment():
    content = read_attachment((SCANS / "shanghai_2015_unruled.png").read_bytes(), "unruled.png")
    grid, = content.grids
    header = [cell.text for cell in grid[0]]
    # 「企业名称处罚决定」 recognised as one box over a column gap is cut at the gap
    assert header[:3] == ["序号", "企业名称", "处罚决定书文号"]
    assert [row[2].text for row in grid[1:]] == NUMBERS
    assert [row[1].text for row in grid[1:]] == [name for name, _ in PARTIES]


@needs_engine
def test_a_scanned_table_whose_rows_cannot_be_told_apart_is_quarantined_not_guessed(tmp_path):
    """The table printed without rulings and its cells centred (shanghai_2015_unruled_centred.pdf): the PDF reader
    refuses it; its scan is refused too, as a PBOC attachment holding no 公示表 regkb can trust."""
    import pypdfium2 as pdfium

    from sources.pboc.document import read

    document = pdfium.PdfDocument((REPO / "sources/pboc/demo/attachments/shanghai_2015_unruled_centred.pdf")
                                  .read_bytes())
    buffer = io.BytesIO()
    document[0].render(scale=150 / 72, grayscale=True).to_pil().save(buffer, format="PNG")
    document.close()
    with pytest.raises(Unparseable, match="holds no 公示表"):
        read(buffer.getvalue(), doc_id="centred", url="http://shanghai.pbc.gov.cn/centred.png")


@needs_engine
def test_a_number_ocr_cannot_read_whole_is_flagged_with_where_to_look(tmp_path):
    """The 「7号」 line of 上海银罚字[2015]17号 blotted out: the row reads 上海银罚字[2015]1, which is no 文号."""
    import numpy as np
    from PIL import Image

    image = Image.open(SCANS / "shanghai_2015_150dpi.png").convert("L")
    blot = next(b for b in ocr.recognise(np.asarray(image)) if b.text == "7号")
    pixels = np.asarray(image).copy()
    pixels[int(blot.y0):int(blot.y1) + 1, int(blot.x0):int(blot.x1) + 1] = 255
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    (tmp_path / "blotted.png").write_bytes(buffer.getvalue())
    decisions = parsed(tmp_path / "blotted.png")
    flagged = [d for d in decisions if "识别存疑" in d["review"]]
    assert [d["decision_no"] for d in flagged] != []
    note = next(n for d in flagged for n in d["review_notes"] if "不是完整的文号" in n)
    assert "上海银罚字[2015]1」" in note and "第1页" in note and "图像区域" in note
    # the others are read and not flagged; nothing is guessed into 17号
    assert "上海银罚字[2015]17号" not in [d["decision_no"] for d in decisions]
    assert sum("识别存疑" not in d["review"] for d in decisions) >= 4


@needs_engine
def test_a_scan_is_recognised_once(tmp_path, monkeypatch):
    monkeypatch.setenv("REGKB_OCR_CACHE", str(tmp_path / "ocr"))
    first = read_attachment(SCAN.read_bytes(), "scan.pdf")
    assert len(list((tmp_path / "ocr").glob("*.json"))) == 1

    def no_second_time(image):
        raise AssertionError("recognised again")

    monkeypatch.setattr(ocr, "recognise", no_second_time)
    again = read_attachment(SCAN.read_bytes(), "scan.pdf")
    assert [[c.text for c in row] for row in again.grids[0]] == [[c.text for c in row] for row in first.grids[0]]


def test_what_ocr_read_is_checked_row_by_row():
    """doubts_of on a grid as OCR gives one: a 文号 cut short, an amount whose figure was lost, a party name read
    with a low score; the sound row and the columns that only look alike (机关名称, 处罚决定书文号) are not flagged."""
    from nlp.formats.grid import GridBuilder

    builder = GridBuilder()
    rows = [["序号", "企业名称", "处罚决定书文号", "行政处罚内容", "作出行政处罚决定机关名称"],
            ["1", "上汽通用汽车金融公司", "上海银罚字[2015]2号", "罚款人民币50万元", "中国人民银行上海分行"],
            ["2", "上海奉贤浦发村镇银行股份有限公司", "上海银罚字[2015]", "罚款人民币元", "中国人民银行上海分行"],
            ["3", "汇丰银行（中国）有限公司", "上海银罚字[2015]4号", "罚款人民币20万元", "中国人民银行上海分行"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            builder.add(r, c, text)
    grid = builder.build()
    trust = {cell.key: (0.99, (10 * c, 10 * r, 10 * c + 9, 10 * r + 9)) for r, row in enumerate(grid)
             for c, cell in enumerate(row)}
    trust[grid[3][1].key] = (0.62, (10, 30, 19, 39))
    found = {(d.number, d.column, d.why) for d in ocr.doubts_of(grid, trust, page=1)}
    assert found == {("上海银罚字[2015]", "处罚决定书文号", "不是完整的文号"),
                     ("上海银罚字[2015]", "行政处罚内容", "读不出金额"),
                     ("上海银罚字[2015]4号", "企业名称", "识别置信度低")}


def test_without_the_engine_a_scan_is_quarantined_with_what_to_install(monkeypatch):
    def missing():
        raise ocr.OCRUnavailable("needs OCR, and the OCR engine cannot be loaded (No module named "
                                 "'rapidocr_onnxruntime'): install it with pip install -e '.[ocr]'")

    monkeypatch.setattr(ocr, "engine", missing)
    with pytest.raises(NeedsOCR, match=r"no text layer.*pip install -e '\.\[ocr\]'"):
        read_attachment(SCAN.read_bytes(), "scan.pdf")


@needs_engine
def test_a_decision_read_from_a_scan_is_marked_in_the_database_the_api_and_its_page(tmp_path):
    from crawler.archive import Archive
    from db.build import build
    from regkb.kb import KnowledgeBase
    from tests.web.conftest import app, get

    archive = Archive(tmp_path / "archive")
    fetch = archive.store(SCAN.read_bytes(), url="http://shanghai.pbc.gov.cn/fzhshanghai/resource/cms/2015/06/scan.pdf",
                          source="pboc", kind="document", http_status=200, content_type="application/pdf",
                          doc_id="scan")
    archive.judge(fetch.fetch_id, "ok")
    archive.close()
    report = build(tmp_path / "archive", tmp_path / "regkb.db")
    assert (report.decisions, report.quarantined) == (5, 0)
    assert (tmp_path / "archive" / "derived" / "ocr").is_dir()     # kept beside the archive for the next build
    rows = sqlite3.connect(tmp_path / "regkb.db").execute(
        "select decision_no, read_by, total_fine_yuan from decisions order by decision_id").fetchall()
    assert rows == [(n, "ocr", fine) for n, (_, fine) in zip(NUMBERS, PARTIES)]
    scores = [score for score, in sqlite3.connect(tmp_path / "regkb.db").execute("select ocr_score from decisions")]
    assert all(0.80 <= score <= 1 for score in scores)
    with KnowledgeBase(tmp_path / "regkb.db") as kb:
        assert set(kb.decisions().read_by) == {"ocr"}
    page = get("/regkb/decisions/pboc:scan-1", app(tmp_path / "regkb.db")).text
    assert "识别方式" in page and "文字识别（OCR）" in page and "最低置信度" in page


@needs_engine
def test_the_demo_holds_the_scan_as_five_decisions_read_by_ocr(demo_db):
    """`make demo`: the scan's five rows are the Shanghai table's decisions (same 文号, same parties: loaded once,
    the scan's copies recorded with read_by = ocr), and nothing of it is quarantined."""
    db = sqlite3.connect(demo_db)
    copies = db.execute("select c.decision_no, d.total_fine_yuan from duplicates c join decisions d "
                        "on d.decision_id = c.decision_id where c.read_by = 'ocr' order by c.copy_id").fetchall()
    assert copies == [(number, fine) for number, (_, fine) in zip(NUMBERS, PARTIES)]
    assert db.execute("select count(*) from quarantine where url like '%扫描件%'").fetchone()[0] == 0
    rendering, = db.execute("select r.rendering from raw_documents r join duplicates c on c.raw_sha256 = r.sha256 "
                            "where c.read_by = 'ocr' limit 1").fetchone()
    assert "recognised by OCR" in rendering

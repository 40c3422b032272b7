"""PBOC 公示表 attachments in every format a branch publishes, read into the same records.

The files are real office files (python-docx, openpyxl, LibreOffice; see sources/pboc/demo/README.md) holding
real published rows (sources/pboc/demo/records.yaml). The expected values below were read off those rows by
hand: 罚款人民币50万元 is 500,000 yuan, 罚款人民币98400元 is 98,400, and so on.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

from nlp.formats import archives, converters
from nlp.formats.attachments import is_attachment_url, read_attachment, sniff
from nlp.formats.pdf import NeedsOCR
from nlp.output import document_json
from nlp.records import Unparseable
from pipeline.files import analyse_path
from tests.conftest import FIXTURES, REPO, demo_corpus, run_regkb

ATTACHMENTS = demo_corpus("pboc") / "attachments"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="needs LibreOffice: apt-get install libreoffice-writer-nogui")

# 上海分行's five rows as published: (当事人, 文号, fine in yuan, decision date)
SHANGHAI = [
    ("上汽通用汽车金融公司", "上海银罚字[2015]2号", 500_000.0, "2015-02-04"),
    ("上海奉贤浦发村镇银行股份有限公司", "上海银罚字[2015]3号", 98_400.0, "2015-02-04"),
    ("汇丰银行（中国）有限公司", "上海银罚字[2015]4号", 200_000.0, "2015-02-04"),
    ("西班牙桑坦德银行有限公司上海分行", "上海银罚字[2015]17号", 1_000.0, "2015-05-28"),
    ("渣打银行（中国）有限公司", "上海银罚字[2015]18号", 200_000.0, "2015-05-28"),
]


# Kingsoft WPS saves .et as a BIFF8 workbook and .wps in the Word 97 format: the sites publish the .xls and .doc bytes
# under these names too (sources/pboc/demo/README.md), and regkb must read them whatever the name says.
# .ett is WPS's spreadsheet template: the same workbook again under another name.
KINGSOFT = {"shanghai_2015.et": "shanghai_2015.xls", "shanghai_2015.ett": "shanghai_2015.xls",
            "shanghai_2015.wps": "shanghai_2015.doc"}
_KINGSOFT_DIR = Path(tempfile.mkdtemp(prefix="regkb-kingsoft-"))
atexit.register(shutil.rmtree, _KINGSOFT_DIR, True)


def attachment(name: str) -> Path:
    """The demo attachment ``name``; a Kingsoft name holds the bytes it is published with."""
    if name not in KINGSOFT:
        return ATTACHMENTS / name
    path = _KINGSOFT_DIR / name
    if not path.exists():
        shutil.copyfile(ATTACHMENTS / KINGSOFT[name], path)
    return path


def parse(name: str) -> dict:
    return document_json(analyse_path(attachment(name)))


@pytest.mark.parametrize("name", [
    "shanghai_2015.xlsx", "shanghai_2015.xls", "shanghai_2015.et", "shanghai_2015.ett", "shanghai_2015.docx",
    "shanghai_2015_text.pdf",
    "shanghai_2015_unruled.pdf",
    pytest.param("shanghai_2015.doc", marks=needs_libreoffice),
    pytest.param("shanghai_2015.wps", marks=needs_libreoffice),
])
def test_every_format_gives_the_same_five_decisions(name):
    document = parse(name)
    assert document["decision_count"] == 5
    got = [(p["name"], p["decision_no"], p["fine_yuan"]) for p in document["parties"]]
    assert got == [(name_, number, fine) for name_, number, fine, _ in SHANGHAI]
    assert [d["decision_date"] for d in document["decisions"]] == [date for *_, date in SHANGHAI]
    assert document["authority_id"] == "中国人民银行上海分行"
    assert document["province"] == "上海市" and document["regulator"] == "PBOC"
    assert document["total_fine_yuan"] == 999_400.0
    assert all(p["kind"] == "institution" for p in document["parties"])
    assert all(d["categories"] == ["存款准备金与货币政策工具"] for d in document["decisions"])


def test_each_decision_keeps_its_own_number_and_row():
    decisions = parse("shanghai_2015.xlsx")["decisions"]
    assert [d["doc_id"] for d in decisions] == [f"shanghai_2015-{n}" for n in range(1, 6)]
    assert decisions[1]["facts"] == "违反存款准备金管理规定"
    assert decisions[1]["parties"][0]["sanctions"] == [
        {"type": "fine", "label": "罚款", "amount_yuan": 98_400.0, "years": None, "lifetime": False,
         "text": "罚款人民币98400元"}]


def test_merged_cells_are_read_for_every_row_they_cover():
    # the .xlsx and .docx merge 作出行政处罚决定机关名称 down all five rows and the date down rows 1-3 and 4-5
    grids = read_attachment((ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(), "x.xlsx").grids
    authority = [row[5] for row in grids[0][2:]]
    assert {cell.text for cell in authority} == {"中国人民银行上海分行"} and len({c.key for c in authority}) == 1
    grids = read_attachment((ATTACHMENTS / "shanghai_2015.docx").read_bytes(), "x.docx").grids
    dates = [row[6].text for row in grids[0][1:]]
    assert dates == ["2015年2月4日"] * 3 + ["2015年5月28日"] * 2


def test_title_row_above_the_header_is_not_a_party():
    grid = read_attachment((ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(), "x.xlsx").grids[0]
    assert grid[0][0].text.startswith("中国人民银行上海分行行政处罚信息公示表")
    assert "中国人民银行上海分行行政处罚信息公示表" not in [p["name"] for p in parse("shanghai_2015.xlsx")["parties"]]


def test_a_pdf_table_over_pages_repeats_its_header_and_breaks_rows():
    document = parse("head_office_2026_104_116.pdf")
    assert document["decision_count"] == 13
    numbers = [p["decision_no"] for p in document["parties"]]
    assert numbers == [f"银罚决字〔2026〕{n}号" for n in range(104, 117)]
    bank = document["parties"][0]
    assert bank["name"] == "广发银行股份有限公司" and bank["kind"] == "institution"
    # 警告，没收违法所得1.621747万元，罚款1712.4万元
    assert [s["type"] for s in bank["sanctions"]] == ["warning", "confiscation", "fine"]
    assert bank["confiscated_yuan"] == pytest.approx(16_217.47) and bank["fine_yuan"] == pytest.approx(17_124_000)
    # row 4 breaks over the first page: its two halves are one party
    xie = document["parties"][3]
    assert (xie["name"], xie["kind"]) == ("谢某升", "individual")
    assert document["decisions"][3]["parties"][0]["role"] == "广发银行股份有限公司零售信贷部、零售业务管理部"
    assert document["authority_id"] == "中国人民银行" and document["province"] is None
    assert document["authority_level"] == "head office"
    assert document["decision_date"] == "2026-09-08"
    assert document["total_fine_yuan"] == pytest.approx(17_679_000)


def test_individuals_named_with_their_post_or_unit():
    parties = parse("head_office_2025_31_38.xlsx")["parties"]
    # 「宋某仁（时任浙商银行股份有限公司运营管理部总经理)」: brackets mismatched as published
    assert parties[1]["name"] == "宋某仁" and parties[1]["kind"] == "individual"
    # nested brackets inside the post
    assert parties[3]["name"] == "孙某名"
    assert [p["fine_yuan"] for p in parties] == [2_959_900.0, 70_000.0, 50_000.0, 11_000.0, 11_000.0, 10_000.0,
                                                  20_000.0, 10_000.0]
    unit = parse("head_office_2026_104_116.docx")["decisions"][1]["parties"][0]
    assert (unit["name"], unit["kind"], unit["role"]) == ("蒋某", "individual", "广发银行股份有限公司资产托管部")


def test_a_scan_is_reported_as_needing_ocr_when_ocr_is_off(monkeypatch):
    """Where scans are not read (REGKB_OCR=off, or no engine: tests/nlp/test_ocr.py), a scan is refused with what to
    do, never read as an empty table."""
    monkeypatch.setenv("REGKB_OCR", "off")
    with pytest.raises(NeedsOCR, match="needs OCR"):
        read_attachment((ATTACHMENTS / "shanghai_2015_scan.pdf").read_bytes(), "scan.pdf")
    result = run_regkb("parse", str(ATTACHMENTS / "shanghai_2015_scan.pdf"), env={"REGKB_OCR": "off"})
    assert result.returncode == 1
    assert "shanghai_2015_scan.pdf" in result.stderr and "needs OCR" in result.stderr
    assert "REGKB_OCR=off" in result.stderr


def test_regkb_parse_prints_the_register(tmp_path):
    result = run_regkb("parse", str(ATTACHMENTS / "shanghai_2015.xls"))
    assert result.returncode == 0, result.stderr
    import json

    document = json.loads(result.stdout)
    assert document["decision_count"] == 5 and len(document["decisions"]) == 5
    assert document["decisions"][0]["decision_no"] == "上海银罚字[2015]2号"


@pytest.mark.parametrize("name, kind", [
    ("shanghai_2015.xlsx", "xlsx"), ("shanghai_2015.xls", "xls"), ("shanghai_2015.et", "xls"),
    ("shanghai_2015.docx", "docx"), ("shanghai_2015.doc", "doc"), ("shanghai_2015.wps", "doc"),
    ("shanghai_2015_text.pdf", "pdf"), ("shanghai_2015_scan.pdf", "pdf"),
])
def test_format_is_told_from_the_bytes(name, kind):
    assert sniff(attachment(name).read_bytes()) == kind


def test_a_doc_that_is_word_html_is_read_as_html(tmp_path):
    # Branch sites serve Word's "save as web page" under .doc: the real Tianjin table, renamed
    mislabelled = tmp_path / "公示表.doc"
    mislabelled.write_bytes((FIXTURES / "real" / "tianjin_2018_35_penalty_table.html").read_bytes())
    document = document_json(analyse_path(mislabelled))
    assert document["parties"][0]["name"] == "平安银行股份有限公司"
    assert document["total_fine_yuan"] == 500_000.0


def test_missing_libreoffice_says_what_to_install(monkeypatch):
    monkeypatch.setattr(converters.shutil, "which", lambda name: None)
    with pytest.raises(converters.ToolMissing, match="apt-get install libreoffice-writer-nogui"):
        read_attachment((ATTACHMENTS / "shanghai_2015.doc").read_bytes(), "x.doc")


def test_text_under_an_attachment_name_is_read_as_text():
    # found by bench/fuzz.py: a decision's text (UTF-8 or GB18030) archived as an attachment is a document, not junk
    text = "中国人民银行兰州中心支行行政处罚决定书\n当事人：某某村镇银行股份有限公司"
    for encoding in ("utf-8", "gb18030"):
        content = read_attachment(text.encode(encoding), "attachment.bin")
        assert (content.format, content.lines) == ("text", text.split("\n"))


def test_unknown_bytes_are_refused_with_the_formats_read():
    with pytest.raises(Unparseable, match=r"not a format regkb reads.*\.xlsx"):
        read_attachment(b"\x00\x01garbage", "x.bin")


def test_a_pdf_whose_page_box_is_not_numbers_is_refused_with_the_reason():
    # found by bench/fuzz.py (seed 10): one byte of a real attachment's MediaBox changed (same length, so the
    # cross-reference table still points right); pdfplumber raises its own exception for it, not pdfminer's
    data = (ATTACHMENTS / "head_office_2026_104_116.pdf").read_bytes()
    assert data.count(b"/MediaBox[0 0 612 792]") >= 3
    damaged = data.replace(b"/MediaBox[0 0 612 792]", b"/MediaBox[0 0 612 79/$]", 1)
    with pytest.raises(Unparseable, match=r"not a readable PDF \(MalformedPDFException"):
        read_attachment(damaged, "damaged.pdf")


@pytest.mark.parametrize("name", ["lanzhou_2016_3.docx", "lanzhou_2016_3.pdf"])
def test_a_decision_published_as_text(name):
    # 兰银罚字〔2016〕第3号 (records.yaml, decisions): a 村镇银行 fined 1017.61元 for 1,696,016.59元 of reserves it
    # failed to deposit; the shortfall is not a fine, the 法定代表人 is not a party. The authority is the signature
    # the fixture gives it (its site's, see the README); the PDF breaks every paragraph over lines
    document = parse(name)
    assert document["decision_no"] == "兰银罚字〔2016〕第3号" and document["decision_date"] == "2016-11-04"
    assert document["authority_id"] == "中国人民银行兰州中心支行"
    assert (document["province"], document["city"]) == ("甘肃省", "兰州市")
    party, = document["parties"]
    assert party["name"] == "甘肃西固金城村镇银行股份有限公司" and party["legal_representative"] == "高晓民"
    assert party["fine_yuan"] == 1017.61 and document["total_fine_yuan"] == 1017.61
    assert document["categories"] == ["存款准备金与货币政策工具"]
    assert {"law": "中华人民共和国中国人民银行法", "article": "第三十二条", "clause": "第一款"} in document["citations"]


def test_an_unruled_table_that_cannot_be_told_apart_is_refused_not_guessed():
    # the same real table without rulings, its cells centred: printed lines no longer fall row by row
    from nlp.formats.pdf import UnreadableTable

    with pytest.raises(UnreadableTable, match=r"cannot be told apart reliably .*文号 read as"):
        read_attachment((ATTACHMENTS / "shanghai_2015_unruled_centred.pdf").read_bytes(), "x.pdf")


def test_a_register_without_a_number_column_gives_a_decision_per_row(tmp_path):
    # the real Shanghai rows without their 处罚决定书文号 and 备注 columns, as some branches publish them
    import openpyxl
    import yaml

    table = next(t for t in yaml.safe_load((ATTACHMENTS.parent / "records.yaml").read_text(encoding="utf-8"))["tables"]
                 if t["id"] == "shanghai_2015")
    keep = [i for i, label in enumerate(table["columns"]) if label not in ("处罚决定书文号", "备注")]
    book = openpyxl.Workbook()
    book.active.append([table["columns"][i] for i in keep])
    for row in table["rows"]:
        book.active.append([row[i] for i in keep])
    book.save(tmp_path / "公示表.xlsx")
    document = document_json(analyse_path(tmp_path / "公示表.xlsx"))
    assert document["decision_count"] == 5
    assert [(p["name"], p["fine_yuan"]) for p in document["parties"]] == [(n, f) for n, _, f, _ in SHANGHAI]


def test_a_bank_named_with_its_unit_stays_a_bank():
    from nlp.fields.parties import split_role

    assert split_role("招商银行（信用卡中心）") == ("招商银行（信用卡中心）", None)
    assert split_role("蒋某（广发银行股份有限公司资产托管部）") == ("蒋某", "广发银行股份有限公司资产托管部")


def test_a_row_without_its_own_ordinal_but_with_its_own_number_is_a_party_of_its_own(tmp_path, monkeypatch):
    # the head office's 2025 table with 序号 left out of row 2 (宋某仁, 银罚决字〔2025〕32号), as tables that number
    # only the institutions do: it must not be read as the rest of 浙商银行's row
    import importlib.util

    monkeypatch.syspath_prepend(str(REPO / "tools"))   # as when it runs: its folder first, where tools/assembly.py is
    spec = importlib.util.spec_from_file_location("assemble_pboc_demo", REPO / "tools" / "assemble_pboc_demo.py")
    assemble_pboc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(assemble_pboc)
    table = assemble_pboc.tables()["head_office_2025_31_38"]
    table["rows"][1][0] = ""
    (tmp_path / "公示表.docx").write_bytes(assemble_pboc.write_docx(table))
    parties = document_json(analyse_path(tmp_path / "公示表.docx"))["parties"]
    assert [(p["name"], p["decision_no"]) for p in parties[:2]] == [
        ("浙商银行股份有限公司", "银罚决字〔2025〕31号"), ("宋某仁", "银罚决字〔2025〕32号")]
    assert parties[0]["fine_yuan"] == 2_959_900 and parties[1]["fine_yuan"] == 70_000


def test_a_pdf_row_cut_by_a_page_keeps_the_rest_of_its_facts():
    # 银罚决字〔2026〕112号 (孙某涛): its 违法行为类型 runs onto the next page, where the row has only that cell's text;
    # it is the rest of the facts, not a note under the table. The PDF then reads as the .docx of the same table.
    pdf = {a.decision.decision_no: a.decision for a in analyse_path(ATTACHMENTS / "head_office_2026_104_116.pdf")}
    docx = {a.decision.decision_no: a.decision for a in analyse_path(ATTACHMENTS / "head_office_2026_104_116.docx")}
    assert pdf["银罚决字〔2026〕112号"].facts.endswith("1.未按规定履行客户身份识别义务；2.未按规定报送大额交易报告。")
    assert pdf["银罚决字〔2026〕112号"].categories == ["反洗钱"]
    assert {no: (d.facts, d.categories) for no, d in pdf.items()} == {no: (d.facts, d.categories)
                                                                       for no, d in docx.items()}


def test_the_staff_of_a_fined_bank_carry_its_group():
    # the twelve people punished with 广发银行股份有限公司 are named with their unit (王某（广发银行股份有限公司信用卡中心）):
    # a search of the group's decisions finds them
    staff = [p for a in analyse_path(ATTACHMENTS / "head_office_2026_104_116.docx") for p in a.decision.parties
             if p.kind == "individual"]
    assert len(staff) == 12
    assert {(p.parent, p.legal_entity) for p in staff} == {("广发银行", "广发银行股份有限公司")}
    assert all(p.institution_type is None for p in staff)


# -- archives (nlp/formats/archives.py): the zips are made here from the demo's real attachments ---------------------

class _GbkName(zipfile.ZipInfo):
    """A member name written in GBK with no UTF-8 flag (the standard library writes UTF-8 for any non-ASCII name)."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zipped(members: dict[str, bytes], *, utf8: bool = False, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members``; names GBK-encoded without the UTF-8 flag, as a Chinese Windows writes them, unless
    ``utf8``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name) if utf8 else _GbkName(name)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def test_each_member_of_a_zip_is_read_as_an_attachment_of_its_own(tmp_path):
    data = zipped({"上海分行公示表.xlsx": (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(),
                   "总行/银罚决字〔2025〕31-38号.xlsx": (ATTACHMENTS / "head_office_2025_31_38.xlsx").read_bytes()})
    content = read_attachment(data, "公示表.zip")
    assert content.format == "zip"
    assert [(name, read.format) for name, read in content.members] == [
        ("上海分行公示表.xlsx", "xlsx"), ("总行/银罚决字〔2025〕31-38号.xlsx", "xlsx")]
    path = tmp_path / "公示表.zip"
    path.write_bytes(data)
    parties = document_json(analyse_path(path))["parties"]
    # Shanghai's five rows, then the head office's eight
    assert [p["decision_no"] for p in parties] == [number for _, number, _, _ in SHANGHAI] + [
        f"银罚决字〔2025〕{n}号" for n in range(31, 39)]


def test_the_pboc_reader_numbers_each_members_decisions_apart():
    from sources.pboc.document import read

    data = zipped({"a.xlsx": (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(),
                   "b.xls": (ATTACHMENTS / "shanghai_2015.xls").read_bytes()})
    decisions = [a.decision for a in read(data, doc_id="3499935.0a1b2c3d", url="http://x/a.zip").analyses]
    assert [d.doc_id for d in decisions] == ([f"3499935.0a1b2c3d.1-{n}" for n in range(1, 6)]
                                             + [f"3499935.0a1b2c3d.2-{n}" for n in range(1, 6)])
    assert decisions[6].decision_no == "上海银罚字[2015]3号" and decisions[6].parties[0].fine_yuan == 98_400.0


@pytest.mark.parametrize("member", ["../../etc/公示表.xlsx", "/tmp/公示表.xlsx", "C:\\公示表.xlsx"])
def test_a_member_named_outside_the_archive_is_refused(member):
    data = zipped({member: (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes()}, utf8=True)
    with pytest.raises(archives.Refused, match="path traversal"):
        read_attachment(data, "x.zip")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = zipped({"公示表.xlsx": bytes(20 * 2**20)})   # 20 MB of zeros pack into some 20 KB
    assert len(data) < 100_000
    with pytest.raises(archives.Refused, match="zip bomb"):
        read_attachment(data, "x.zip")


def test_limits_on_members_and_sizes(monkeypatch):
    xlsx = (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes()
    stored = dict(compression=zipfile.ZIP_STORED)
    monkeypatch.setattr(archives, "MAX_MEMBERS", 2)
    with pytest.raises(archives.Refused, match="a zip of 3 files, over the 2"):
        read_attachment(zipped({f"{n}.xlsx": xlsx for n in range(3)}, **stored), "x.zip")
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", len(xlsx) - 1)
    with pytest.raises(archives.Refused, match="member '0.xlsx' unpacks to"):
        read_attachment(zipped({"0.xlsx": xlsx}, **stored), "x.zip")
    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", len(xlsx))
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", len(xlsx) + 1)
    with pytest.raises(archives.Refused, match="unpacks to .* bytes, over the"):
        read_attachment(zipped({"0.xlsx": xlsx, "1.xlsx": xlsx}, **stored), "x.zip")


def test_a_macs_resource_forks_are_not_members():
    data = zipped({"公示表.xlsx": (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(),
                   "__MACOSX/._公示表.xlsx": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        "}, utf8=True)
    assert [name for name, _ in read_attachment(data, "x.zip").members] == ["公示表.xlsx"]


def test_a_zip_inside_a_zip_is_refused():
    inner = zipped({"公示表.xlsx": (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes()})
    with pytest.raises(archives.Refused, match="itself a zip"):
        read_attachment(zipped({"inner.zip": inner}), "x.zip")


def test_an_unreadable_member_quarantines_the_zip_naming_it():
    data = zipped({"a.xlsx": (ATTACHMENTS / "shanghai_2015.xlsx").read_bytes(), "说明.bin": b"\x00\x01garbage"})
    with pytest.raises(Unparseable, match="x.zip: its member '说明.bin' cannot be read \\(not a format regkb reads.*other members unread"):
        read_attachment(data, "x.zip")


def test_rar_and_ofd_are_refused_with_what_to_do():
    # a RAR 5 signature (no RAR writer exists here to make a whole one; the reader refuses on the signature)
    with pytest.raises(Unparseable, match="no RAR reader.*unar"):
        read_attachment(b"Rar!\x1a\x07\x01\x00" + bytes(64), "公示表.rar")
    # an OFD is a zip whose entry point is OFD.xml (GB/T 33190)
    ofd = zipped({"OFD.xml": b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD/>', "Doc_0/Document.xml": b"<x/>"})
    assert sniff(ofd) == "ofd"
    with pytest.raises(Unparseable, match="公示表.ofd: an OFD document.*save it as PDF"):
        read_attachment(ofd, "公示表.ofd")


@pytest.mark.parametrize("url", ["http://tianjin.pbc.gov.cn/resource/cms/2018/03/公示表.ett",
                                 "http://x/resource/cms/2019/05/2019052716354843211.ZIP", "http://x/a.rar?v=1",
                                 "http://x/%E5%85%AC%E7%A4%BA%E8%A1%A8.ofd"])
def test_archive_and_template_links_are_attachments(url):
    assert is_attachment_url(url)
